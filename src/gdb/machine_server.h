// lpar's -s / -gdb / -S (as QEMU's): run a machine with a GDB stub listening.
// With wait (-S) the machine does not execute its first instruction before a
// debugger has connected and resumed it; otherwise it runs and a debugger may
// attach (stopping it) at any time.  After a detach it runs on and the next
// debugger may attach.
#pragma once
#include <string>

#include "gdb/server.h"
#include "machine/bare.h"

namespace lpar::gdb {

struct MachineRunResult {
  int status = 0;        // as BareMachine::run: exit status, -1 checkstop, -2 timeout
  bool killed = false;   // the debugger killed the machine ('k')
  std::string error;     // the stub could not listen (status -3)
};

// timeout_s counts wall time while no debugger is connected (0: no limit).
MachineRunResult run_machine_with_gdb(machine::BareMachine& m, const Endpoint& ep, bool wait, double timeout_s);

}  // namespace lpar::gdb
