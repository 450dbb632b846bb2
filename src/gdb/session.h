// One debugger connection speaking the GDB remote serial protocol against a
// GdbTarget.  Transport-free: bytes go in through feed(), replies come out
// through the Sender, so tests can drive it from memory.
#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "gdb/packet.h"
#include "gdb/target.h"

namespace lpar::gdb {

// Linux signal number <-> gdb's protocol signal number (gdb/signals.def).
int gdb_signal_from_host(int sig);
int host_signal_from_gdb(int sig);

class GdbSession {
 public:
  using Sender = std::function<void(std::string_view)>;
  GdbSession(GdbTarget& target, Sender send);

  // Bytes from the client: packets, acks, ^C.
  void feed(std::string_view bytes);
  // The target has been resumed and has not stopped yet.
  bool running() const { return running_; }
  // While running: let the target progress; sends the stop reply when it stops.
  void run_slice();
  // Detached, killed, or the guest ended and the client was told.
  bool finished() const { return finished_; }
  bool killed() const { return killed_; }
  // The connection dropped: let the guest go on undebugged.
  void client_gone();

  // Packet handler with the framing stripped (exposed for tests): replies are
  // sent framed.
  void handle_packet(const std::string& payload);

 private:
  void reply(std::string_view payload);
  void send_stop(const StopEvent& ev);
  std::string stop_reply(const StopEvent& ev) const;
  bool valid_thread(long tid) const;
  int thread_or_current(long tid, int current) const;
  bool encode_reg(int thread, unsigned regnum, std::string& out);
  bool decode_reg(int thread, unsigned regnum, std::string_view hex);
  void resume(int step_thread, int signal);

  void cmd_read_mem(std::string_view args);
  void cmd_write_mem(std::string_view args, bool binary);
  void cmd_breakpoint(std::string_view args, bool insert);
  void cmd_vcont(std::string_view args);
  void cmd_query(const std::string& p);
  void cmd_resume(char cmd, std::string_view args);

  GdbTarget& t_;
  Sender send_;
  PacketReader reader_;
  bool no_ack_ = false;
  bool running_ = false;
  bool finished_ = false;
  bool killed_ = false;
  std::string last_reply_;  // framed, for retransmission on '-'
  int g_thread_ = 1, c_thread_ = 1;
  StopEvent last_stop_;
};

}  // namespace lpar::gdb
