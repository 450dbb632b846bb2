// Guest signals: which signal an interrupt becomes, and the default actions.
// Handlers are recorded by rt_sigaction but never run: a signal the guest
// does not ignore ends the process as the kernel's default action would.
#pragma once
#include "cpu/state.h"
#include "user/sigframe.h"

namespace lpar::user {

class Process;

// The Linux signal a synchronous interrupt raises (0: not a signal).
int signal_for_exception(const CpuState& s);
// True if the default action of sig is to ignore it (SIGCHLD, SIGWINCH...).
bool default_ignored(int sig);
// Send a signal to the guest itself (kill/tgkill to self, or a fault): it is
// ignored, queued for the guest's handler (run by Process::run), or ends the
// process.  Returns true if the process ended.
bool deliver_signal(Process& p, const SigInfo& info, bool synchronous);
// The siginfo of the fault in s.exc.
SigInfo fault_info(const CpuState& s);
// Terminate the host process the way qemu-ppc64le does for an uncaught
// target signal: message on stderr, then die of the same host signal.
[[noreturn]] void die_of_signal(int sig);

}  // namespace lpar::user
