#include "gdb/power_regs.h"

namespace lpar::gdb::power {

namespace {

// XER as mfxer reads it (Book I 3.2.2): SO OV CA, OV32 CA32, the byte count.
u64 xer_of(const CpuState& s) {
  return (u64{s.so} << 31) | (u64{s.ov} << 30) | (u64{s.ca} << 29) | (u64{s.ov32} << 19) | (u64{s.ca32} << 18) |
         s.xer_bc;
}
void set_xer_bits(CpuState& s, u64 v) {
  s.so = (v >> 31) & 1;
  s.ov = (v >> 30) & 1;
  s.ca = (v >> 29) & 1;
  s.ov32 = (v >> 19) & 1;
  s.ca32 = (v >> 18) & 1;
  s.xer_bc = v & 0x7f;
}

}  // namespace

bool read_problem_register(const CpuState& s, unsigned n, u128& v) {
  if (n < 32) v = s.gpr[n];
  else if (n < 64) v = s.vsr[n - F0].dw[1];
  else if (n == PC) v = s.nip;
  else if (n == CR) v = s.cr;
  else if (n == LR) v = s.lr;
  else if (n == CTR) v = s.ctr;
  else if (n == XER) v = xer_of(s);
  else if (n == FPSCR) v = s.fpscr;
  else if (n >= VR0 && n < VR0 + 32) v = s.vsr[32 + n - VR0].q;
  else if (n == VSCR) v = s.vscr;
  else if (n == VRSAVE) v = s.vrsave;
  else if (n >= VS0H && n < VS0H + 32) v = s.vsr[n - VS0H].dw[0];
  else return false;
  return true;
}

bool write_problem_register(CpuState& s, unsigned n, u128 v) {
  const u64 d = static_cast<u64>(v);
  if (n < 32) s.gpr[n] = d;
  else if (n < 64) s.vsr[n - F0].dw[1] = d;
  else if (n == PC) s.nip = d;
  else if (n == CR) s.cr = static_cast<u32>(d);
  else if (n == LR) s.lr = d;
  else if (n == CTR) s.ctr = d;
  else if (n == XER) set_xer_bits(s, d);
  else if (n == FPSCR) s.fpscr = d;
  else if (n >= VR0 && n < VR0 + 32) s.vsr[32 + n - VR0].q = v;
  else if (n == VSCR) s.vscr = static_cast<u32>(d);
  else if (n == VRSAVE) s.vrsave = static_cast<u32>(d);
  else if (n >= VS0H && n < VS0H + 32) s.vsr[n - VS0H].dw[0] = d;
  else return false;
  return true;
}

}  // namespace lpar::gdb::power
