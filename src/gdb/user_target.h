// GdbTarget for lpar-user: one guest process, one thread (vCPU 1).  Runs in
// interpreter blocks while no breakpoint or watchpoint is set, one
// instruction at a time otherwise.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cpu/memory.h"
#include "gdb/breakpoints.h"
#include "gdb/memory_spy.h"
#include "gdb/target.h"
#include "user/process.h"

namespace lpar::gdb {

class UserTarget final : public GdbTarget {
 public:
  explicit UserTarget(user::Process& p);
  ~UserTarget() override;
  UserTarget(const UserTarget&) = delete;  // points_ reads memory through this

  const ArchDesc& arch() const override;
  bool big_endian() const override;
  std::vector<int> threads() const override { return {1}; }
  bool read_register(int thread, unsigned regnum, u128& value) override;
  bool write_register(int thread, unsigned regnum, u128 value) override;
  size_t read_memory(int thread, u64 addr, uint8_t* buf, size_t len) override;
  size_t write_memory(int thread, u64 addr, const uint8_t* buf, size_t len) override;
  bool insert_breakpoint(BpType type, u64 addr, u64 len) override;
  bool remove_breakpoint(BpType type, u64 addr, u64 len) override;
  void resume(int step_thread, int signal) override;
  StopEvent run_slice() override;
  StopEvent interrupt() override;
  void detach() override;
  void kill() override;
  std::string monitor(const std::string& cmd) override;

  // Instructions per run_slice when nothing needs single-stepping.
  static constexpr u64 SLICE = u64{1} << 18;

 private:
  struct Access {
    u64 ea;
    lpar::Access acc;
  };
  bool slow_mode() const { return stepping_ || points_.has_breakpoints() || !points_.watches().empty(); }
  std::optional<StopEvent> after_exception();
  std::optional<StopEvent> check_watches();
  StopEvent end_event();
  void update_spy();
  void deliver(int sig, const user::SigInfo* fault);
  static int spy_fill(CpuState& s, u64 ea, lpar::Access acc, uintptr_t* addend);

  user::Process& p_;
  Breakpoints points_;
  bool stepping_ = false;
  bool skip_bp_ = false;  // the first instruction after resume does not re-hit its breakpoint
  std::optional<user::SigInfo> fault_;  // reported to gdb, delivered if gdb continues with it
  // Read/access watchpoints: every guest access goes through spy_fill.
  MemorySpy spy_;
  std::vector<Access> accesses_;
};

// lpar-user -g SPEC: listen, wait for gdb and serve it until it detaches or
// the guest ends; afterwards the caller runs the process on as usual.
// False with err set if the socket cannot be opened.
bool serve_user_gdb(user::Process& p, const std::string& spec, std::string& err);

}  // namespace lpar::gdb
