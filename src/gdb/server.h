// The GDB stub's socket: listen on host:port, accept one debugger, pump
// bytes between it and a GdbSession, and keep the target running between
// reads (polling for ^C).
#pragma once
#include <optional>
#include <string>

#include "gdb/target.h"

namespace lpar::gdb {

struct Endpoint {
  std::string host = "127.0.0.1";
  int port = 1234;
};

// QEMU's spellings: "tcp::1234", "tcp:HOST:1234", "HOST:1234", ":1234",
// "1234" (qemu-user's -g), "-s" (tcp::1234).  An empty host means 127.0.0.1.
std::optional<Endpoint> parse_endpoint(const std::string& spec);

class GdbServer {
 public:
  GdbServer() = default;
  ~GdbServer();
  GdbServer(const GdbServer&) = delete;
  GdbServer& operator=(const GdbServer&) = delete;

  // Bind and listen; false with err set on failure.  Port 0 picks a free one.
  bool listen(const Endpoint& ep, std::string& err);
  int port() const { return port_; }
  // Wait for one debugger and serve it until it detaches, kills, disconnects
  // or the guest ends.  Returns true if the debugger killed the guest.
  bool serve(GdbTarget& target);
  // A debugger is waiting to be accepted (checked without blocking when
  // timeout_ms is 0): serve() then returns to it at once.
  bool client_waiting(int timeout_ms = 0) const;

 private:
  int listen_fd_ = -1;
  int port_ = 0;
};

}  // namespace lpar::gdb
