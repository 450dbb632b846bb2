#include "user/signals.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "user/process.h"

namespace lpar::user {

int signal_for_exception(const CpuState& s) {
  switch (s.exc) {
    case Exc::Program:
      if (s.exc_reason & PROG_TRAP) return SIGTRAP;
      if (s.exc_reason & PROG_FP) return SIGFPE;
      return SIGILL;
    case Exc::DSI: case Exc::ISI: case Exc::DSegI: case Exc::ISegI: return SIGSEGV;
    case Exc::Alignment: return SIGBUS;
    case Exc::FPUnavailable: case Exc::VMXUnavailable: case Exc::VSXUnavailable:
    case Exc::FacilityUnavailable: case Exc::HVFacilityUnavailable: return SIGILL;
    case Exc::Trace: return SIGTRAP;
    case Exc::SystemCall: return SIGILL;  // sc with LEV != 0 from problem state
    default: return SIGSEGV;
  }
}

bool default_ignored(int sig) {
  return sig == SIGCHLD || sig == SIGWINCH || sig == SIGURG || sig == SIGCONT;
}

SigInfo fault_info(const CpuState& s) {
  SigInfo i;
  i.signo = signal_for_exception(s);
  i.fault = true;
  i.addr = s.exc == Exc::DSI || s.exc == Exc::Alignment ? s.exc_addr : s.nip;
  switch (i.signo) {
    case SIGSEGV: i.code = (s.exc_reason & 0x08000000) ? 2 : 1; break;  // SEGV_ACCERR / SEGV_MAPERR
    case SIGILL: i.code = (s.exc_reason & PROG_PRIV) ? 5 : 1; break;    // ILL_PRVOPC / ILL_ILLOPC
    case SIGTRAP: i.code = 1; break;                                     // TRAP_BRKPT
    case SIGBUS: i.code = 1; break;                                      // BUS_ADRALN
    case SIGFPE: i.code = 0; break;
    default: break;
  }
  return i;
}

bool deliver_signal(Process& p, const SigInfo& info, bool synchronous) {
  const int sig = info.signo;
  if (sig <= 0 || sig > 64) return false;
  const GuestSigaction& a = p.sigact[sig];
  const bool blocked = (p.sigmask >> (sig - 1)) & 1;
  if (sig != SIGKILL && sig != SIGSTOP) {
    // A blocked or ignored synchronous fault gets the default action (force_sig).
    if (a.handler > 1 && !(synchronous && blocked)) {
      p.pending = info;
      return false;
    }
    if (!synchronous) {
      if (a.handler == 1) return false;  // SIG_IGN
      if (default_ignored(sig)) return false;
      if (sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) return false;
    }
  }
  if (sig == SIGSTOP) return false;
  p.end({true, 0, sig});
  return true;
}

void die_of_signal(int sig) {
  std::fflush(stdout);
  std::fprintf(stderr, "lpar-user: uncaught target signal %d (%s) - core dumped\n", sig, strsignal(sig));
  std::fflush(stderr);
  // Like qemu: no host core file, then the same signal with its default action.
  struct rlimit nocore = {0, 0};
  setrlimit(RLIMIT_CORE, &nocore);
  struct sigaction sa {};
  sa.sa_handler = SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, nullptr);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  kill(getpid(), sig);
  std::_Exit(128 + sig);  // signals whose default is not to terminate
}

}  // namespace lpar::user
