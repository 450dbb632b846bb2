// Running guest signal handlers: the ppc64 rt_sigframe (ucontext with the
// 64-bit sigcontext, siginfo, red zone), and rt_sigreturn.
#pragma once
#include "cpu/state.h"

namespace lpar::user {

class Process;

struct SigInfo {
  int signo = 0;
  int code = 0;      // si_code
  u64 addr = 0;      // si_addr for SIGSEGV/SIGBUS/SIGILL/SIGFPE/SIGTRAP
  bool fault = false;
  int pid = 0, uid = 0;  // sender, for SI_USER
};

// The frame layout (arch/powerpc/kernel/signal_64.c, struct rt_sigframe).
inline constexpr u64 UC_MCONTEXT = 168;            // in struct ucontext
inline constexpr u64 SC_GP_REGS = UC_MCONTEXT + 64;
inline constexpr u64 SC_FP_REGS = SC_GP_REGS + 48 * 8;
inline constexpr u64 SC_V_REGS = SC_FP_REGS + 33 * 8;  // pointer
inline constexpr u64 SC_VMX_RESERVE = SC_V_REGS + 8;
inline constexpr u64 UC_SIZE = SC_VMX_RESERVE + 101 * 8;
inline constexpr u64 FRAME_INFO = UC_SIZE + 16 + 28 + 4 + 16;  // after _unused, tramp, pinfo, puc
inline constexpr u64 FRAME_SIZE = (FRAME_INFO + 128 + 512 + 15) & ~u64{15};
inline constexpr u64 SIGNAL_FRAMESIZE = 128;  // the caller frame below the handler's stack

// Build the frame for p.pending and enter the handler.  False if the frame
// cannot be written (the kernel then kills the process with SIGSEGV).
bool setup_rt_frame(Process& p, const SigInfo& info);
// rt_sigreturn: restore the registers saved in the frame at r1 + 128.
bool restore_rt_frame(Process& p);

}  // namespace lpar::user
