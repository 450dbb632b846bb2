#include "gdb/machine_server.h"

#include <chrono>
#include <cstdio>

#include "gdb/machine_target.h"

namespace lpar::gdb {

MachineRunResult run_machine_with_gdb(machine::BareMachine& m, const Endpoint& ep, bool wait, double timeout_s) {
  using clock = std::chrono::steady_clock;
  MachineRunResult r;
  GdbServer srv;
  if (!srv.listen(ep, r.error)) {
    r.status = -3;
    return r;
  }
  std::fprintf(stderr, "lpar: %s gdb on %s:%d\n", wait ? "waiting for" : "listening for", ep.host.c_str(),
               srv.port());
  MachineTarget t(m);
  double ran = 0;  // seconds run without a debugger
  while (!m.exited()) {
    if (wait || srv.client_waiting()) {
      wait = false;
      r.killed = srv.serve(t);
      if (r.killed || t.killed()) {
        r.killed = true;
        return r;
      }
      if (t.checkstopped()) {
        r.status = -1;
        return r;
      }
      continue;
    }
    const auto start = clock::now();
    const auto st = m.run_slices(1024);
    ran += std::chrono::duration<double>(clock::now() - start).count();
    if (st == machine::BareMachine::Stop::Checkstop) {
      r.status = -1;
      return r;
    }
    if (timeout_s > 0 && ran > timeout_s) {
      r.status = -2;
      return r;
    }
  }
  std::fflush(m.out);
  r.status = m.exit_code();
  return r;
}

}  // namespace lpar::gdb
