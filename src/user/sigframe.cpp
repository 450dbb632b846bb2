#include "user/sigframe.h"

#include <iterator>
#include <vector>

#include "cpu/sem/common.h"
#include "user/process.h"

namespace lpar::user {

namespace {
constexpr u64 SA_ONSTACK = 0x08000000, SA_RESETHAND = 0x80000000, SA_NODEFER = 0x40000000;
constexpr int SS_ONSTACK = 1, SS_DISABLE = 2;
// The "trap" word of the saved registers: which interrupt brought us here.
u64 trap_vector(Exc e) {
  switch (e) {
    case Exc::DSI: return 0x300;
    case Exc::ISI: return 0x400;
    case Exc::Alignment: return 0x600;
    case Exc::Program: return 0x700;
    case Exc::SystemCall: return 0xc00;
    default: return 0;
  }
}
}  // namespace

bool setup_rt_frame(Process& p, const SigInfo& info) {
  CpuState& s = p.s;
  AddressSpace& as = p.as;
  GuestSigaction& act = p.sigact[info.signo];

  u64 sp = s.gpr[1];
  const bool on_alt = p.altstack_size && !(p.altstack_flags & SS_DISABLE) &&
                      !(sp - p.altstack_sp < p.altstack_size);
  if ((act.flags & SA_ONSTACK) && on_alt) sp = p.altstack_sp + p.altstack_size;
  const u64 frame = (sp - FRAME_SIZE) & ~u64{15};
  const u64 uc = frame, mc = uc + UC_MCONTEXT, gp = uc + SC_GP_REGS, fp = uc + SC_FP_REGS;
  const u64 vregs = (uc + SC_VMX_RESERVE + 15) & ~u64{15};
  const u64 infop = frame + FRAME_INFO;

  // Start from zeros: unused words must not leak stale stack contents.
  std::vector<u8> zero(FRAME_SIZE);
  bool ok = as.write(frame, zero.data(), zero.size());
  // ucontext header
  ok = ok && as.put64(uc + 16, p.altstack_sp) &&
       as.put32(uc + 24, (p.altstack_flags & SS_DISABLE) ? SS_DISABLE : (on_alt ? 0 : SS_ONSTACK)) &&
       as.put64(uc + 32, p.altstack_size) && as.put64(uc + 40, p.sigmask);
  // sigcontext
  ok = ok && as.put32(mc + 32, info.signo) && as.put64(mc + 40, act.handler) && as.put64(mc + 48, p.sigmask) &&
       as.put64(mc + 56, gp);
  for (unsigned k = 0; k < 32 && ok; ++k) ok = as.put64(gp + 8 * k, s.gpr[k]);
  const u64 regs[] = {s.nip, s.msr, s.gpr[3], s.ctr, s.lr, sem::get_xer(s), s.cr, 0, trap_vector(s.exc),
                      info.addr, s.exc_reason};
  for (unsigned k = 0; k < std::size(regs) && ok; ++k) ok = as.put64(gp + 8 * (32 + k), regs[k]);
  for (unsigned k = 0; k < 32 && ok; ++k) ok = as.put64(fp + 8 * k, fpr(s, k));
  ok = ok && as.put64(fp + 8 * 32, s.fpscr) && as.put64(uc + SC_V_REGS, vregs);
  // VR0-31 as 16-byte images in guest order, VSCR, VRSAVE, then VSR0-31 doubleword 1.
  for (unsigned k = 0; k < 32 && ok; ++k) {
    const Vec& v = vr(s, k);
    ok = as.big_endian ? (as.put64(vregs + 16 * k, v.dw[1]) && as.put64(vregs + 16 * k + 8, v.dw[0]))
                       : (as.put64(vregs + 16 * k, v.dw[0]) && as.put64(vregs + 16 * k + 8, v.dw[1]));
  }
  ok = ok && as.put32(vregs + 32 * 16 + (as.big_endian ? 12 : 0), s.vscr) && as.put32(vregs + 33 * 16, s.vrsave);
  for (unsigned k = 0; k < 32 && ok; ++k) ok = as.put64(vregs + 34 * 16 + 8 * k, s.vsr[k].dw[0]);
  // siginfo: signo, errno, code, then the union (si_addr, or si_pid/si_uid).
  ok = ok && as.put32(infop, info.signo) && as.put32(infop + 8, info.code);
  if (info.fault) ok = ok && as.put64(infop + 16, info.addr);
  else ok = ok && as.put32(infop + 16, info.pid) && as.put32(infop + 20, info.uid);
  ok = ok && as.put64(frame + UC_SIZE + 16 + 32, infop) && as.put64(frame + UC_SIZE + 16 + 40, uc);
  // Back chain for the handler's caller frame.
  const u64 newsp = frame - SIGNAL_FRAMESIZE;
  ok = ok && as.put64(newsp, s.gpr[1]);
  if (!ok) return false;

  u64 entry = act.handler, toc = s.gpr[2];
  if (!p.image.elfv2 && !(as.get64(act.handler, entry) && as.get64(act.handler + 8, toc))) return false;
  s.gpr[1] = newsp;
  s.gpr[2] = toc;
  s.gpr[3] = static_cast<u64>(info.signo);
  s.gpr[4] = infop;
  s.gpr[5] = uc;
  s.gpr[6] = frame;
  s.gpr[12] = entry;
  s.lr = p.stack.sigtramp;
  s.nip = entry;
  s.exc = Exc::None;

  if (!(act.flags & SA_NODEFER)) p.sigmask |= u64{1} << (info.signo - 1);
  p.sigmask |= act.mask;
  if (act.flags & SA_RESETHAND) act = GuestSigaction{};
  return true;
}

bool restore_rt_frame(Process& p) {
  CpuState& s = p.s;
  AddressSpace& as = p.as;
  const u64 uc = s.gpr[1] + SIGNAL_FRAMESIZE;
  const u64 gp = uc + SC_GP_REGS, fp = uc + SC_FP_REGS;
  u64 regs[39], mask, vregs, fpscr;
  bool ok = as.get64(uc + 40, mask);
  for (unsigned k = 0; k < 39 && ok; ++k) ok = as.get64(gp + 8 * k, regs[k]);
  ok = ok && as.get64(fp + 8 * 32, fpscr) && as.get64(uc + SC_V_REGS, vregs);
  if (!ok) return false;
  for (unsigned k = 0; k < 32; ++k) s.gpr[k] = regs[k];
  s.nip = regs[32];
  s.ctr = regs[35];
  s.lr = regs[36];
  sem::set_xer(s, regs[37]);
  s.cr = static_cast<u32>(regs[38]);
  for (unsigned k = 0; k < 32; ++k) as.get64(fp + 8 * k, fpr(s, k));
  s.fpscr = fpscr;
  if (vregs) {
    for (unsigned k = 0; k < 32; ++k) {
      Vec& v = vr(s, k);
      if (as.big_endian) as.get64(vregs + 16 * k, v.dw[1]), as.get64(vregs + 16 * k + 8, v.dw[0]);
      else as.get64(vregs + 16 * k, v.dw[0]), as.get64(vregs + 16 * k + 8, v.dw[1]);
    }
    as.get32(vregs + 32 * 16 + (as.big_endian ? 12 : 0), s.vscr);
    as.get32(vregs + 33 * 16, s.vrsave);
    for (unsigned k = 0; k < 32; ++k) as.get64(vregs + 34 * 16 + 8 * k, s.vsr[k].dw[0]);
  }
  p.sigmask = mask & ~((u64{1} << 8) | (u64{1} << 18));  // SIGKILL, SIGSTOP never blocked
  return true;
}

}  // namespace lpar::user
