// Fixed-point facility semantics (PowerISA 3.0B Book I chapter 3), except the
// loads and stores.  Where the book leaves a result undefined, the value is
// the one qemu-ppc64le 7.2 produces.
#pragma once
#include "cpu/sem/common.h"
#include "cpu/sem/spr.h"

namespace lpar::sem {

// Fields the shared extractor list lacks.
constexpr unsigned BC(u32 i) { return bits(i, 21, 25); }
constexpr unsigned TBR(u32 i) { return SPR(i); }
constexpr unsigned L_darn(u32 i) { return bits(i, 14, 15); }
constexpr unsigned MB_M(u32 i) { return bits(i, 21, 25); }
constexpr unsigned ME_M(u32 i) { return bits(i, 26, 30); }
// DX-form d = d0 || d1 || d2 (Book I 3.3.9, addpcis).
constexpr s64 DX_D(u32 i) { return sext((bits(i, 16, 25) << 6) | (bits(i, 11, 15) << 1) | bits(i, 31, 31), 16); }

// Reserved bits that must be 0 (else illegal, as qemu 7.2 decodes them) but
// that the table leaves open so the extended mnemonics still refine the line.
#define FX_RESERVED(m) do { if (i & (m)) return ::lpar::sem::illegal(s); } while (0)
inline constexpr u32 RSV_RC = 1;              // bit 31
inline constexpr u32 RSV_B20 = 1u << (31 - 20);

inline u64 ra_or_zero(const CpuState& s, u32 i) { return RA(i) ? s.gpr[RA(i)] : 0; }
inline u64 fx_exts32(u64 v) { return static_cast<u64>(static_cast<s64>(static_cast<s32>(v))); }
inline u64 fx_lo32(u64 v) { return static_cast<u32>(v); }

// ---- Carry and overflow of RT = a + b + c (Book I 3.3.9: CA is the carry out
// of bit 0 in 64-bit mode and of bit 32 in 32-bit mode; CA32 is always the
// carry out of bit 32; OV likewise, OV32 always for the low word).
inline bool fx_carry64(u64 a, u64 b, u64 c) { return ((static_cast<u128>(a) + b + c) >> 64) != 0; }
inline bool fx_carry32(u64 a, u64 b, u64 c) { return ((fx_lo32(a) + fx_lo32(b) + c) >> 32) != 0; }
inline void set_ca_add(CpuState& s, u64 a, u64 b, u64 c) {
  const bool c32 = fx_carry32(a, b, c);
  s.ca = mode64(s) ? fx_carry64(a, b, c) : c32;
  s.ca32 = c32;
}
inline void set_ov_add(CpuState& s, u64 a, u64 b, u64 r) {
  const u64 x = (a ^ r) & (b ^ r);
  const bool o32 = (x >> 31) & 1;
  set_ov(s, mode64(s) ? (x >> 63) != 0 : o32, o32);
}

// The common tail of the XO-form arithmetic: RT ← a + b + c, then CA, OV, CR0.
inline Status fx_arith(CpuState& s, u32 i, u64 a, u64 b, u64 c, bool set_ca) {
  const u64 r = a + b + c;
  if (set_ca) set_ca_add(s, a, b, c);
  if (OE(i)) set_ov_add(s, a, b, r);
  s.gpr[RT(i)] = r;
  if (Rc(i)) set_cr0(s, r);
  return Status::Next;
}

// ---- Book I 3.3.9 Fixed-Point Arithmetic
SEM(addi) { s.gpr[RT(i)] = ra_or_zero(s, i) + SI(i); return Status::Next; }
SEM(addis) { s.gpr[RT(i)] = ra_or_zero(s, i) + (SI(i) << 16); return Status::Next; }
SEM(addpcis) { s.gpr[RT(i)] = s.nip + 4 + (DX_D(i) * 65536); return Status::Next; }
SEM(addic) {
  const u64 a = s.gpr[RA(i)], b = SI(i);
  set_ca_add(s, a, b, 0);
  s.gpr[RT(i)] = a + b;
  return Status::Next;
}
SEM(addic_rc) {
  const u64 a = s.gpr[RA(i)], b = SI(i);
  set_ca_add(s, a, b, 0);
  s.gpr[RT(i)] = a + b;
  set_cr0(s, a + b);
  return Status::Next;
}
SEM(subfic) {
  const u64 a = ~s.gpr[RA(i)], b = SI(i);
  set_ca_add(s, a, b, 1);
  s.gpr[RT(i)] = a + b + 1;
  return Status::Next;
}
SEM(add) { return fx_arith(s, i, s.gpr[RA(i)], s.gpr[RB(i)], 0, false); }
SEM(subf) { return fx_arith(s, i, ~s.gpr[RA(i)], s.gpr[RB(i)], 1, false); }
SEM(addc) { return fx_arith(s, i, s.gpr[RA(i)], s.gpr[RB(i)], 0, true); }
SEM(subfc) { return fx_arith(s, i, ~s.gpr[RA(i)], s.gpr[RB(i)], 1, true); }
SEM(adde) { return fx_arith(s, i, s.gpr[RA(i)], s.gpr[RB(i)], s.ca, true); }
SEM(subfe) { return fx_arith(s, i, ~s.gpr[RA(i)], s.gpr[RB(i)], s.ca, true); }
SEM(addme) { return fx_arith(s, i, s.gpr[RA(i)], ~u64{0}, s.ca, true); }
SEM(subfme) { return fx_arith(s, i, ~s.gpr[RA(i)], ~u64{0}, s.ca, true); }
SEM(addze) { return fx_arith(s, i, s.gpr[RA(i)], 0, s.ca, true); }
SEM(subfze) { return fx_arith(s, i, ~s.gpr[RA(i)], 0, s.ca, true); }
SEM(neg) { return fx_arith(s, i, ~s.gpr[RA(i)], 0, 1, false); }
// addex with CY=0 uses OV as its carry in and out (Book I 3.3.9); SO is untouched.
SEM(addex) {
  const u64 a = s.gpr[RA(i)], b = s.gpr[RB(i)], c = s.ov;
  const bool c32 = fx_carry32(a, b, c);
  s.ov = mode64(s) ? fx_carry64(a, b, c) : c32;
  s.ov32 = c32;
  s.gpr[RT(i)] = a + b + c;
  return Status::Next;
}

SEM(mulli) { s.gpr[RT(i)] = s.gpr[RA(i)] * static_cast<u64>(SI(i)); return Status::Next; }
SEM(mullw) {
  const s64 p = s64{static_cast<s32>(s.gpr[RA(i)])} * static_cast<s32>(s.gpr[RB(i)]);
  s.gpr[RT(i)] = static_cast<u64>(p);
  if (OE(i)) {
    const bool o = p != static_cast<s32>(p);
    set_ov(s, o, o);
  }
  if (Rc(i)) set_cr0(s, static_cast<u64>(p));
  return Status::Next;
}
// The high word of the product; RT[0:31] are undefined, qemu clears them.
SEM(mulhw) {
  const s64 p = s64{static_cast<s32>(s.gpr[RA(i)])} * static_cast<s32>(s.gpr[RB(i)]);
  const u64 r = fx_lo32(static_cast<u64>(p) >> 32);
  s.gpr[RT(i)] = r;
  if (Rc(i)) set_cr0(s, r);
  return Status::Next;
}
SEM(mulhwu) {
  const u64 r = (fx_lo32(s.gpr[RA(i)]) * fx_lo32(s.gpr[RB(i)])) >> 32;
  s.gpr[RT(i)] = r;
  if (Rc(i)) set_cr0(s, r);
  return Status::Next;
}
SEM(mulld) {
  const s128 p = s128{static_cast<s64>(s.gpr[RA(i)])} * static_cast<s64>(s.gpr[RB(i)]);
  const u64 r = static_cast<u64>(p);
  s.gpr[RT(i)] = r;
  if (OE(i)) {
    const bool o = p != static_cast<s64>(r);
    set_ov(s, o, o);
  }
  if (Rc(i)) set_cr0(s, r);
  return Status::Next;
}
SEM(mulhd) {
  const s128 p = s128{static_cast<s64>(s.gpr[RA(i)])} * static_cast<s64>(s.gpr[RB(i)]);
  const u64 r = static_cast<u64>(static_cast<u128>(p) >> 64);
  s.gpr[RT(i)] = r;
  if (Rc(i)) set_cr0(s, r);
  return Status::Next;
}
SEM(mulhdu) {
  const u64 r = static_cast<u64>((static_cast<u128>(s.gpr[RA(i)]) * s.gpr[RB(i)]) >> 64);
  s.gpr[RT(i)] = r;
  if (Rc(i)) set_cr0(s, r);
  return Status::Next;
}
// Book I 3.3.9 multiply-add (VA-form, ISA 3.0).
SEM(maddhd) {
  const s128 p = s128{static_cast<s64>(s.gpr[RA(i)])} * static_cast<s64>(s.gpr[RB(i)]) +
                 static_cast<s64>(s.gpr[RC(i)]);
  s.gpr[RT(i)] = static_cast<u64>(static_cast<u128>(p) >> 64);
  return Status::Next;
}
SEM(maddhdu) {
  const u128 p = static_cast<u128>(s.gpr[RA(i)]) * s.gpr[RB(i)] + s.gpr[RC(i)];
  s.gpr[RT(i)] = static_cast<u64>(p >> 64);
  return Status::Next;
}
SEM(maddld) {
  s.gpr[RT(i)] = s.gpr[RA(i)] * s.gpr[RB(i)] + s.gpr[RC(i)];
  return Status::Next;
}

// Divides: the tail shared by all forms.  OV32 mirrors OV (Book I 3.3.9).
inline Status div_done(CpuState& s, u32 i, u64 r, bool bad) {
  s.gpr[RT(i)] = r;
  if (OE(i)) set_ov(s, bad, bad);
  if (Rc(i)) set_cr0(s, r);
  return Status::Next;
}
// For the undefined divw/divd cases qemu divides by 1 instead, and keeps only
// the low word (zero-extended) of the word forms.
SEM(divw) {
  const s32 a = static_cast<s32>(s.gpr[RA(i)]), b = static_cast<s32>(s.gpr[RB(i)]);
  const bool bad = b == 0 || (a == INT32_MIN && b == -1);
  return div_done(s, i, fx_lo32(static_cast<u32>(bad ? a : a / b)), bad);
}
SEM(divwu) {
  const u32 a = static_cast<u32>(s.gpr[RA(i)]), b = static_cast<u32>(s.gpr[RB(i)]);
  const bool bad = b == 0;
  return div_done(s, i, bad ? a : a / b, bad);
}
SEM(divd) {
  const s64 a = static_cast<s64>(s.gpr[RA(i)]), b = static_cast<s64>(s.gpr[RB(i)]);
  const bool bad = b == 0 || (a == INT64_MIN && b == -1);
  return div_done(s, i, static_cast<u64>(bad ? a : a / b), bad);
}
SEM(divdu) {
  const u64 a = s.gpr[RA(i)], b = s.gpr[RB(i)];
  const bool bad = b == 0;
  return div_done(s, i, bad ? a : a / b, bad);
}
// Divide extended: the dividend is RA shifted left by the operand width; on
// overflow qemu returns 0, and divwe's RT[0:31] (undefined) is the sign.
SEM(divwe) {
  const s64 a = static_cast<s64>(u64{fx_lo32(s.gpr[RA(i)])} << 32);
  const s64 b = static_cast<s32>(s.gpr[RB(i)]);
  bool bad = b == 0 || (a == INT64_MIN && b == -1);
  s64 q = 0;
  if (!bad) {
    q = a / b;
    bad = q != static_cast<s32>(q);
  }
  return div_done(s, i, bad ? 0 : static_cast<u64>(q), bad);
}
SEM(divweu) {
  const u64 a = u64{fx_lo32(s.gpr[RA(i)])} << 32, b = fx_lo32(s.gpr[RB(i)]);
  bool bad = b == 0;
  u64 q = 0;
  if (!bad) {
    q = a / b;
    bad = q > 0xffffffffu;
  }
  return div_done(s, i, bad ? 0 : q, bad);
}
// qemu 7.2 reports overflow only when |RA| >= |RB|, and otherwise keeps the
// low 64 bits of the quotient even where the book calls that an overflow.
SEM(divde) {
  const s64 ra = static_cast<s64>(s.gpr[RA(i)]), rb = static_cast<s64>(s.gpr[RB(i)]);
  auto mag = [](s64 v) { return v < 0 ? -static_cast<u64>(v) : static_cast<u64>(v); };
  const bool bad = rb == 0 || mag(ra) >= mag(rb);
  u64 q = 0;
  if (!bad) q = static_cast<u64>(static_cast<s128>(static_cast<u128>(static_cast<u64>(ra)) << 64) / rb);
  return div_done(s, i, q, bad);
}
SEM(divdeu) {
  const u128 a = static_cast<u128>(s.gpr[RA(i)]) << 64, b = s.gpr[RB(i)];
  bool bad = b == 0;
  u128 q = 0;
  if (!bad) {
    q = a / b;
    bad = (q >> 64) != 0;
  }
  return div_done(s, i, bad ? 0 : static_cast<u64>(q), bad);
}
// Modulo (ISA 3.0): the undefined cases give 0 as in qemu.
SEM(modsw) {
  const s32 a = static_cast<s32>(s.gpr[RA(i)]), b = static_cast<s32>(s.gpr[RB(i)]);
  const bool bad = b == 0 || (a == INT32_MIN && b == -1);
  s.gpr[RT(i)] = bad ? 0 : static_cast<u64>(s64{a % b});
  return Status::Next;
}
SEM(moduw) {
  const u32 a = static_cast<u32>(s.gpr[RA(i)]), b = static_cast<u32>(s.gpr[RB(i)]);
  s.gpr[RT(i)] = b == 0 ? 0 : a % b;
  return Status::Next;
}
SEM(modsd) {
  const s64 a = static_cast<s64>(s.gpr[RA(i)]), b = static_cast<s64>(s.gpr[RB(i)]);
  const bool bad = b == 0 || (a == INT64_MIN && b == -1);
  s.gpr[RT(i)] = bad ? 0 : static_cast<u64>(a % b);
  return Status::Next;
}
SEM(modud) {
  const u64 a = s.gpr[RA(i)], b = s.gpr[RB(i)];
  s.gpr[RT(i)] = b == 0 ? 0 : a % b;
  return Status::Next;
}

// ---- Book I 3.3.10 Fixed-Point Compare.  L=0 compares the low words.
SEM(cmpi) {
  const u64 a = s.gpr[RA(i)];
  const s64 x = L10(i) ? static_cast<s64>(a) : static_cast<s32>(a);
  set_crf(s, BF(i), cmp_flags(x, SI(i), s.so));
  return Status::Next;
}
SEM(cmp) {
  const u64 a = s.gpr[RA(i)], b = s.gpr[RB(i)];
  if (L10(i))
    set_crf(s, BF(i), cmp_flags(static_cast<s64>(a), static_cast<s64>(b), s.so));
  else
    set_crf(s, BF(i), cmp_flags(static_cast<s32>(a), static_cast<s32>(b), s.so));
  return Status::Next;
}
SEM(cmpli) {
  const u64 a = s.gpr[RA(i)];
  set_crf(s, BF(i), cmpu_flags(L10(i) ? a : fx_lo32(a), UI(i), s.so));
  return Status::Next;
}
SEM(cmpl) {
  const u64 a = s.gpr[RA(i)], b = s.gpr[RB(i)];
  set_crf(s, BF(i), L10(i) ? cmpu_flags(a, b, s.so) : cmpu_flags(fx_lo32(a), fx_lo32(b), s.so));
  return Status::Next;
}
// cmprb: is RA's low byte within one (L=0) or either of two (L=1) byte ranges?
SEM(cmprb) {
  const u64 c = s.gpr[RA(i)] & 0xff, b = s.gpr[RB(i)];
  auto in = [c](u64 lo, u64 hi) { return lo <= c && c <= hi; };
  bool r = in(b & 0xff, (b >> 8) & 0xff);
  if (L10(i)) r = r || in((b >> 16) & 0xff, (b >> 24) & 0xff);
  set_crf(s, BF(i), r ? CR_GT : 0);
  return Status::Next;
}
SEM(cmpeqb) {
  const u64 c = s.gpr[RA(i)] & 0xff, b = s.gpr[RB(i)];
  bool r = false;
  for (unsigned k = 0; k < 8; ++k) r = r || ((b >> (8 * k)) & 0xff) == c;
  // Book I 3.3.10: the match lands in the GT bit, as for cmprb.
  set_crf(s, BF(i), r ? CR_GT : 0);
  return Status::Next;
}
SEM(setb) {
  const unsigned f = get_crf(s, BFA(i));
  s.gpr[RT(i)] = (f & CR_LT) ? ~u64{0} : (f & CR_GT) ? 1 : 0;
  return Status::Next;
}

// ---- Book I 3.3.11 Fixed-Point Trap
inline bool trap_cond(unsigned to, s64 a, s64 b) {
  return ((to & 16) && a < b) || ((to & 8) && a > b) || ((to & 4) && a == b) ||
         ((to & 2) && static_cast<u64>(a) < static_cast<u64>(b)) ||
         ((to & 1) && static_cast<u64>(a) > static_cast<u64>(b));
}
inline Status fx_trap(CpuState& s, bool hit) { return hit ? raise_program(s, PROG_TRAP) : Status::Next; }
SEM(tw) { FX_RESERVED(RSV_RC); return fx_trap(s, trap_cond(TO(i), static_cast<s32>(s.gpr[RA(i)]), static_cast<s32>(s.gpr[RB(i)]))); }
SEM(twi) { return fx_trap(s, trap_cond(TO(i), static_cast<s32>(s.gpr[RA(i)]), static_cast<s32>(SI(i)))); }
SEM(td) { FX_RESERVED(RSV_RC); return fx_trap(s, trap_cond(TO(i), static_cast<s64>(s.gpr[RA(i)]), static_cast<s64>(s.gpr[RB(i)]))); }
SEM(tdi) { return fx_trap(s, trap_cond(TO(i), static_cast<s64>(s.gpr[RA(i)]), SI(i))); }

// ---- Book I 3.3.13 Fixed-Point Logical
inline Status fx_logical(CpuState& s, u32 i, u64 r) {
  s.gpr[RA(i)] = r;
  if (Rc(i)) set_cr0(s, r);
  return Status::Next;
}
SEM(andi_rc) { const u64 r = s.gpr[RS(i)] & UI(i); s.gpr[RA(i)] = r; set_cr0(s, r); return Status::Next; }
SEM(andis_rc) { const u64 r = s.gpr[RS(i)] & (UI(i) << 16); s.gpr[RA(i)] = r; set_cr0(s, r); return Status::Next; }
SEM(ori) { s.gpr[RA(i)] = s.gpr[RS(i)] | UI(i); return Status::Next; }
SEM(oris) { s.gpr[RA(i)] = s.gpr[RS(i)] | (UI(i) << 16); return Status::Next; }
SEM(xori) { s.gpr[RA(i)] = s.gpr[RS(i)] ^ UI(i); return Status::Next; }
SEM(xoris) { s.gpr[RA(i)] = s.gpr[RS(i)] ^ (UI(i) << 16); return Status::Next; }
// "or Rx,Rx,Rx" (Rc=0) is also a Program Priority hint (Book II 3.2): it sets
// PPR[PRI] when the current privilege may use that priority.  The levels
// follow qemu 7.2: 1, 6, 2 for everyone; 31, 5, 3 privileged; 7 hypervisor.
inline unsigned or_priority(const CpuState& s, unsigned r) {
  const bool pr = s.msr & MSR_PR, hv = (s.msr & MSR_HV) && !pr;
  switch (r) {
    case 1: return 2;
    case 6: return 3;
    case 2: return 4;
    case 31: return pr ? 0 : 1;
    case 5: return pr ? 0 : 5;
    case 3: return pr ? 0 : 6;
    case 7: return hv ? 7 : 0;
    default: return 0;
  }
}
inline constexpr unsigned PPR_PRI_SHIFT = 63 - 13;  // PPR[11:13]
SEM(or_) {
  const unsigned rs = RS(i);
  if (rs == RA(i) && rs == RB(i) && !Rc(i)) {
    if (const u64 p = or_priority(s, rs)) s.ppr = (s.ppr & ~(u64{7} << PPR_PRI_SHIFT)) | (p << PPR_PRI_SHIFT);
    return Status::Next;
  }
  return fx_logical(s, i, s.gpr[rs] | s.gpr[RB(i)]);
}
SEM(and_) { return fx_logical(s, i, s.gpr[RS(i)] & s.gpr[RB(i)]); }
SEM(xor_) { return fx_logical(s, i, s.gpr[RS(i)] ^ s.gpr[RB(i)]); }
SEM(nand) { return fx_logical(s, i, ~(s.gpr[RS(i)] & s.gpr[RB(i)])); }
SEM(nor) { return fx_logical(s, i, ~(s.gpr[RS(i)] | s.gpr[RB(i)])); }
SEM(eqv) { return fx_logical(s, i, ~(s.gpr[RS(i)] ^ s.gpr[RB(i)])); }
SEM(andc) { return fx_logical(s, i, s.gpr[RS(i)] & ~s.gpr[RB(i)]); }
SEM(orc) { return fx_logical(s, i, s.gpr[RS(i)] | ~s.gpr[RB(i)]); }
SEM(extsb) { return fx_logical(s, i, static_cast<u64>(s64{static_cast<s8>(s.gpr[RS(i)])})); }
SEM(extsh) { return fx_logical(s, i, static_cast<u64>(s64{static_cast<s16>(s.gpr[RS(i)])})); }
SEM(extsw) { return fx_logical(s, i, fx_exts32(s.gpr[RS(i)])); }
SEM(cntlzw) { return fx_logical(s, i, std::countl_zero(static_cast<u32>(s.gpr[RS(i)]))); }
SEM(cntlzd) { return fx_logical(s, i, std::countl_zero(s.gpr[RS(i)])); }
SEM(cnttzw) { return fx_logical(s, i, std::countr_zero(static_cast<u32>(s.gpr[RS(i)]))); }
SEM(cnttzd) { return fx_logical(s, i, std::countr_zero(s.gpr[RS(i)])); }
SEM(popcntb) {
  const u64 v = s.gpr[RS(i)];
  u64 r = 0;
  for (unsigned k = 0; k < 64; k += 8) r |= u64(std::popcount((v >> k) & 0xff)) << k;
  s.gpr[RA(i)] = r;
  return Status::Next;
}
SEM(popcntw) {
  const u64 v = s.gpr[RS(i)];
  s.gpr[RA(i)] = (u64(std::popcount(v >> 32)) << 32) | u64(std::popcount(fx_lo32(v)));
  return Status::Next;
}
SEM(popcntd) { s.gpr[RA(i)] = std::popcount(s.gpr[RS(i)]); return Status::Next; }
// Parity of the low bit of each byte, per word / doubleword.
SEM(prtyw) {
  const u64 v = s.gpr[RS(i)] & 0x0101010101010101ull;
  const u64 hi = std::popcount(v >> 32) & 1, lo = std::popcount(fx_lo32(v)) & 1;
  s.gpr[RA(i)] = (hi << 32) | lo;
  return Status::Next;
}
SEM(prtyd) { s.gpr[RA(i)] = std::popcount(s.gpr[RS(i)] & 0x0101010101010101ull) & 1; return Status::Next; }
SEM(cmpb) {
  const u64 a = s.gpr[RS(i)], b = s.gpr[RB(i)];
  u64 r = 0;
  for (unsigned k = 0; k < 64; k += 8)
    if (((a >> k) & 0xff) == ((b >> k) & 0xff)) r |= u64{0xff} << k;
  s.gpr[RA(i)] = r;
  return Status::Next;
}
// bpermd: eight bit-selects of RB by the bytes of RS (ISA bit numbering).
SEM(bpermd) {
  const u64 rs = s.gpr[RS(i)], rb = s.gpr[RB(i)];
  u64 r = 0;
  for (unsigned k = 0; k < 8; ++k) {
    const unsigned idx = (rs >> (56 - 8 * k)) & 0xff;
    const u64 bit = idx < 64 ? (rb >> (63 - idx)) & 1 : 0;
    r |= bit << (7 - k);
  }
  s.gpr[RA(i)] = r;
  return Status::Next;
}
SEM(isel) {
  FX_RESERVED(RSV_RC);
  s.gpr[RT(i)] = get_crbit(s, BC(i)) ? ra_or_zero(s, i) : s.gpr[RB(i)];
  return Status::Next;
}
// darn (Book I 3.3.13.1): L=0 a 32-bit number, L=1/2 64-bit; all-ones means
// "no number available", which is also what the reserved L=3 gives under qemu.
SEM(darn) {
  const unsigned l = L_darn(i);
  u64 v = ~u64{0};
  if (l <= 2) {
    // Under the instruction-counting clock a run must repeat exactly: the
    // number comes from the retired-instruction count (splitmix64), not the host.
    if (s.vclock == 1) {
      u64 z = s.icount * 0x9e3779b97f4a7c15u + s.nip;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
      v = z ^ (z >> 31);
    } else {
      v = host_random64();
    }
    if (l == 0 && v != ~u64{0}) v = fx_lo32(v);
  }
  s.gpr[RT(i)] = v;
  return Status::Next;
}

// ---- Book I 3.3.14 Fixed-Point Rotate and Shift
inline u64 fx_rotl64(u64 v, unsigned n) { return std::rotl(v, static_cast<int>(n & 63)); }
// ROTL32: the word doubled, then rotated, so both halves hold the rotated word.
inline u64 fx_rotl32(u64 v, unsigned n) { return fx_rotl64(fx_lo32(v) | (fx_lo32(v) << 32), n); }
// MASK(mb, me): ones from bit mb to bit me, wrapping when mb > me.
inline u64 fx_mask(unsigned mb, unsigned me) {
  const u64 a = ~u64{0} >> mb, b = ~u64{0} << (63 - me);
  return mb <= me ? (a & b) : (a | b);
}
SEM(rlwinm) { return fx_logical(s, i, fx_rotl32(s.gpr[RS(i)], SH(i)) & fx_mask(MB_M(i) + 32, ME_M(i) + 32)); }
SEM(rlwnm) { return fx_logical(s, i, fx_rotl32(s.gpr[RS(i)], s.gpr[RB(i)] & 31) & fx_mask(MB_M(i) + 32, ME_M(i) + 32)); }
SEM(rlwimi) {
  const u64 m = fx_mask(MB_M(i) + 32, ME_M(i) + 32);
  return fx_logical(s, i, (fx_rotl32(s.gpr[RS(i)], SH(i)) & m) | (s.gpr[RA(i)] & ~m));
}
SEM(rldicl) { return fx_logical(s, i, fx_rotl64(s.gpr[RS(i)], SH6(i)) & fx_mask(MB6(i), 63)); }
SEM(rldicr) { return fx_logical(s, i, fx_rotl64(s.gpr[RS(i)], SH6(i)) & fx_mask(0, MB6(i))); }
SEM(rldic) { return fx_logical(s, i, fx_rotl64(s.gpr[RS(i)], SH6(i)) & fx_mask(MB6(i), 63 - SH6(i))); }
SEM(rldimi) {
  const u64 m = fx_mask(MB6(i), 63 - SH6(i));
  return fx_logical(s, i, (fx_rotl64(s.gpr[RS(i)], SH6(i)) & m) | (s.gpr[RA(i)] & ~m));
}
SEM(rldcl) { return fx_logical(s, i, fx_rotl64(s.gpr[RS(i)], s.gpr[RB(i)] & 63) & fx_mask(MB6(i), 63)); }
SEM(rldcr) { return fx_logical(s, i, fx_rotl64(s.gpr[RS(i)], s.gpr[RB(i)] & 63) & fx_mask(0, MB6(i))); }

// Word shifts use RB[58:63]: a count of 32..63 shifts everything out.
SEM(slw) {
  const u64 n = s.gpr[RB(i)] & 63;
  return fx_logical(s, i, n > 31 ? 0 : fx_lo32(s.gpr[RS(i)] << n));
}
SEM(srw) {
  const u64 n = s.gpr[RB(i)] & 63;
  return fx_logical(s, i, n > 31 ? 0 : fx_lo32(s.gpr[RS(i)]) >> n);
}
SEM(sld) {
  const u64 n = s.gpr[RB(i)] & 127;
  return fx_logical(s, i, n > 63 ? 0 : s.gpr[RS(i)] << n);
}
SEM(srd) {
  const u64 n = s.gpr[RB(i)] & 127;
  return fx_logical(s, i, n > 63 ? 0 : s.gpr[RS(i)] >> n);
}
// Algebraic shifts set CA when the source is negative and ones were shifted
// out; ISA 3.0 sets CA32 to the same value.
inline Status sra_done(CpuState& s, u32 i, s64 v, unsigned n, unsigned width) {
  const s64 r = n >= width ? (v < 0 ? -1 : 0) : (v >> n);
  const bool lost = n >= width ? v != 0 : (static_cast<u64>(v) & ((u64{1} << n) - 1)) != 0;
  s.ca = s.ca32 = v < 0 && lost;
  return fx_logical(s, i, static_cast<u64>(r));
}
SEM(sraw) { return sra_done(s, i, static_cast<s32>(s.gpr[RS(i)]), s.gpr[RB(i)] & 63, 32); }
SEM(srawi) { return sra_done(s, i, static_cast<s32>(s.gpr[RS(i)]), SH(i), 32); }
SEM(srad) { return sra_done(s, i, static_cast<s64>(s.gpr[RS(i)]), s.gpr[RB(i)] & 127, 64); }
SEM(sradi) { return sra_done(s, i, static_cast<s64>(s.gpr[RS(i)]), SH6(i), 64); }
SEM(extswsli) { return fx_logical(s, i, fx_exts32(s.gpr[RS(i)]) << SH6(i)); }

// ---- Book I 3.3.15 BCD assist
// Densely packed decimal declet <-> three BCD digits (Book I Appendix B).
inline u32 dpd_to_bcd(u32 d) {
  const u32 p = (d >> 9) & 1, q = (d >> 8) & 1, r = (d >> 7) & 1, s_ = (d >> 6) & 1, t = (d >> 5) & 1,
            u = (d >> 4) & 1, v = (d >> 3) & 1, w = (d >> 2) & 1, x = (d >> 1) & 1, y = d & 1;
  u32 a, b, c;
  const u32 pqr = (d >> 7) & 7, stu = (d >> 4) & 7;
  if (!v) {
    a = pqr; b = stu; c = (d & 7);
  } else {
    switch ((w << 1) | x) {
      case 0: a = pqr; b = stu; c = 8 | y; break;
      case 1: a = pqr; b = 8 | u; c = (s_ << 2) | (t << 1) | y; break;
      case 2: a = 8 | r; b = stu; c = (p << 2) | (q << 1) | y; break;
      default:
        switch ((s_ << 1) | t) {
          case 0: a = 8 | r; b = 8 | u; c = (p << 2) | (q << 1) | y; break;
          case 1: a = 8 | r; b = (p << 2) | (q << 1) | u; c = 8 | y; break;
          case 2: a = pqr; b = 8 | u; c = 8 | y; break;
          default: a = 8 | r; b = 8 | u; c = 8 | y; break;
        }
    }
  }
  return (a << 8) | (b << 4) | c;
}
inline u32 bcd_to_dpd(u32 bcd) {
  const u32 a = (bcd >> 8) & 0xf, b = (bcd >> 4) & 0xf, c = bcd & 0xf;
  const u32 ah = a >> 3, bh = b >> 3, ch = c >> 3;
  const u32 a3 = a & 7, b3 = b & 7, c3 = c & 7;
  const u32 a0 = a & 1, b0 = b & 1, c0 = c & 1;
  const u32 bhi = (b >> 1) & 3, chi = (c >> 1) & 3;
  switch ((ah << 2) | (bh << 1) | ch) {
    case 0: return (a3 << 7) | (b3 << 4) | c3;
    case 1: return (a3 << 7) | (b3 << 4) | 0x8 | c0;
    case 2: return (a3 << 7) | (chi << 5) | (b0 << 4) | 0xa | c0;
    case 4: return (chi << 8) | (a0 << 7) | (b3 << 4) | 0xc | c0;
    case 6: return (chi << 8) | (a0 << 7) | (0 << 5) | (b0 << 4) | 0xe | c0;
    case 5: return (bhi << 8) | (a0 << 7) | (1 << 5) | (b0 << 4) | 0xe | c0;
    case 3: return (a3 << 7) | (2 << 5) | (b0 << 4) | 0xe | c0;
    default: return (a0 << 7) | (3 << 5) | (b0 << 4) | 0xe | c0;
  }
}
SEM(cdtbcd) {
  const u64 v = s.gpr[RS(i)];
  u64 r = 0;
  for (unsigned w = 0; w < 64; w += 32) {
    const u32 x = static_cast<u32>(v >> w);
    r |= u64((dpd_to_bcd((x >> 10) & 0x3ff) << 12) | dpd_to_bcd(x & 0x3ff)) << w;
  }
  s.gpr[RA(i)] = r;
  return Status::Next;
}
SEM(cbcdtd) {
  const u64 v = s.gpr[RS(i)];
  u64 r = 0;
  for (unsigned w = 0; w < 64; w += 32) {
    const u32 x = static_cast<u32>(v >> w);
    r |= u64((bcd_to_dpd((x >> 12) & 0xfff) << 10) | bcd_to_dpd(x & 0xfff)) << w;
  }
  s.gpr[RA(i)] = r;
  return Status::Next;
}
// addg6s: a 6 in every nibble that produced no decimal carry.
SEM(addg6s) {
  const u64 a = s.gpr[RA(i)], b = s.gpr[RB(i)];
  u64 r = 0;
  for (unsigned k = 0; k < 16; ++k) {
    const unsigned w = 4 * (k + 1);  // the low w bits end with nibble k
    const u64 m = w == 64 ? ~u64{0} : (u64{1} << w) - 1;
    const bool c = w == 64 ? fx_carry64(a, b, 0) : (((a & m) + (b & m)) >> w) != 0;
    if (!c) r |= u64{6} << (4 * k);
  }
  s.gpr[RT(i)] = r;
  return Status::Next;
}

// ---- Book I 3.3.17 Move To/From System Registers
SEM(mfcr) { s.gpr[RT(i)] = s.cr; return Status::Next; }
// mfocrf/mtocrf with other than exactly one FXM bit: qemu leaves RT / CR as they were.
SEM(mfocrf) {
  const unsigned m = FXM(i);
  if (std::popcount(m) == 1) {
    const unsigned f = 7 - std::countr_zero(m);
    s.gpr[RT(i)] = s.cr & (0xfu << (28 - 4 * f));
  }
  return Status::Next;
}
SEM(mtcrf) {
  FX_RESERVED(RSV_RC | RSV_B20);
  u32 m = 0;
  for (unsigned f = 0; f < 8; ++f)
    if (FXM(i) & (0x80 >> f)) m |= 0xfu << (28 - 4 * f);
  s.cr = (s.cr & ~m) | (static_cast<u32>(s.gpr[RS(i)]) & m);
  return Status::Next;
}
SEM(mtocrf) {
  FX_RESERVED(RSV_RC | RSV_B20);
  const unsigned m = FXM(i);
  if (std::popcount(m) == 1) {
    const u32 f = 0xfu << (4 * std::countr_zero(m));
    s.cr = (s.cr & ~f) | (static_cast<u32>(s.gpr[RS(i)]) & f);
  }
  return Status::Next;
}
SEM(mcrxrx) {
  set_crf(s, BF(i), (s.ov << 3) | (s.ov32 << 2) | (s.ca << 1) | s.ca32);
  return Status::Next;
}
SEM(mfspr) {
  FX_RESERVED(RSV_RC);
  u64 v;
  if (!spr_read(s, SPR(i), v)) return Status::Exception;
  s.gpr[RT(i)] = v;
  return Status::Next;
}
SEM(mtspr) {
  if (!spr_write(s, SPR(i), s.gpr[RS(i)])) return Status::Exception;
  // A Decrementer exception exists while DEC's most significant bit is 1
  // (v3.0B Book III 6.5.11, v2.07B 6.5.11): written so with MSR[EE]=1, it
  // interrupts before the next instruction, SRR0 = CIA + 4.  Only the
  // machine's virtual clock has timers (as msr_written).
  if (SPR(i) == SPR_DEC && s.vclock && timer_pending(s) == Exc::Decrementer) {
    s.nip += 4;
    return raise(s, Exc::Decrementer);
  }
  return Status::Next;
}
SEM(mftb) {
  FX_RESERVED(RSV_RC);
  // Book II 6.2.1: only the Time Base SPRs are valid here; qemu routes every
  // number through its mfspr path, and so do we.
  u64 v;
  if (!spr_read(s, TBR(i), v)) return Status::Exception;
  s.gpr[RT(i)] = v;
  return Status::Next;
}

}  // namespace lpar::sem
