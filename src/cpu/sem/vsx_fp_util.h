// vsx_fp helpers: VSX field extractors, element access, format conversions
// and the integer rounding used by half- and quad-precision work.  Built on
// the shared FPSCR core (fpu.h); nothing here touches the FPSCR itself.
#pragma once
#include "cpu/sem/fpu.h"

namespace lpar::sem {

// ---- Fields of the VSX forms that insn.h does not name (Book I 1.6.28).
// XX2-form DCMX (xststdc*: bits 9:15) and XX2-form split DCMX (xvtstdc*: dc||dm||dx).
constexpr unsigned VF_DCMX(u32 i) { return insn::bits(i, 9, 15); }
constexpr unsigned VF_DCMX_XV(u32 i) {
  return (insn::bits(i, 25, 25) << 6) | (insn::bits(i, 29, 29) << 5) | insn::bits(i, 11, 15);
}
// Z23-form xsrqpi/xsrqpxp: R (bit 15) and RMC (bits 21:22); EX / RO is bit 31.
constexpr unsigned VF_R(u32 i) { return insn::bits(i, 15, 15); }
constexpr unsigned VF_RMC(u32 i) { return insn::bits(i, 21, 22); }
constexpr bool VF_RO(u32 i) { return i & 1; }

// ---- VSR elements by ISA index.
inline u64& vf_dw(CpuState& s, unsigned r, unsigned k) { return elem<u64>(s.vsr[r], k); }
inline u32& vf_w(CpuState& s, unsigned r, unsigned k) { return elem<u32>(s.vsr[r], k); }
// A quad-precision operand: VR n is VSR 32+n (Book I 7.6.1 "VSX Scalar Quad-Precision").
inline u128& vf_q(CpuState& s, unsigned n) { return s.vsr[32 + n].q; }

// Scalar results go to doubleword 0; doubleword 1 becomes 0 (PowerISA 3.0, and QEMU 7.2).
inline void vf_set_scalar(CpuState& s, unsigned xt, u64 v) {
  vf_dw(s, xt, 0) = v;
  vf_dw(s, xt, 1) = 0;
}

// ---- Format conversions without rounding (Book I 4.6.2 DOUBLE, 4.6.3 SINGLE).
inline u64 vf_sp_to_dp(u32 w) {
  const u32 sign = w >> 31, exp = (w >> 23) & 0xff, frac = w & 0x7fffff;
  u64 r = u64{sign} << 63;
  if (exp == 0xff) return r | 0x7ff0000000000000ull | (u64{frac} << 29);
  if (exp != 0) return r | (u64{exp - 127 + 1023} << 52) | (u64{frac} << 29);
  if (frac == 0) return r;
  // Single denormal: normalise into a double normal.
  const int lz = std::countl_zero(frac) - 9;  // leading zeros inside the 23-bit fraction
  const u64 m = (u64{frac} << (lz + 1)) & 0x7fffff;
  return r | (u64{static_cast<u64>(-126 - lz - 1 + 1023)} << 52) | (m << 29);
}
inline u32 vf_dp_to_sp(u64 d) {
  const u64 exp = (d >> 52) & 0x7ff;
  u32 r = static_cast<u32>(d >> 63) << 31;
  if (exp > 896) return r | static_cast<u32>(((d >> 62) & 3) << 30) | static_cast<u32>((d >> 29) & 0x3fffffff);
  if (exp >= 874) r |= static_cast<u32>(((u64{1} << 52) | (d & 0xfffffffffffffull)) >> (896 + 30 - exp));
  return r;
}

// ---- Rounding a magnitude right by sh bits (Book I 4.3.6): modes 0 nearest-even,
// 1 toward zero, 2 toward +inf, 3 toward -inf (FPSCR[RN] encoding), 4 nearest-away.
inline u128 vf_shr_round(u128 m, unsigned sh, unsigned mode, bool neg, bool& inexact) {
  if (sh == 0) {
    inexact = false;
    return m;
  }
  u128 q, rem, half;
  if (sh >= 128) {
    q = 0;
    rem = m;
    half = sh == 128 ? (u128{1} << 127) : 0;
  } else {
    q = m >> sh;
    rem = m & ((u128{1} << sh) - 1);
    half = u128{1} << (sh - 1);
  }
  inexact = rem != 0;
  if (!inexact) return q;
  bool up = false;
  switch (mode) {
    case 0: up = half && (rem > half || (rem == half && (q & 1))); break;
    case 1: break;
    case 2: up = !neg; break;
    case 3: up = neg; break;
    default: up = half && rem >= half; break;
  }
  return q + (up ? 1 : 0);
}

inline int vf_bitlen128(u128 m) {
  const u64 hi = static_cast<u64>(m >> 64), lo = static_cast<u64>(m);
  return hi ? 128 - std::countl_zero(hi) : 64 - std::countl_zero(lo);
}

// Round sign * m * 2^q to a binary format with p-bit significands, exponents
// emin..emax and ebits exponent bits.  Returns the encoding (sign included)
// and adds OX/UX/XX to fl (tininess before rounding, as PowerPC detects it).
inline u64 vf_round_pack(bool neg, u128 m, int q, int p, int emin, int emax, int ebits, unsigned mode, u64& fl) {
  const u64 sign = u64{neg} << (p - 1 + ebits);
  if (m == 0) return sign;
  const int e = vf_bitlen128(m) - 1 + q;  // unbiased exponent of the exact value
  const bool tiny = e < emin;
  const int quantum = (tiny ? emin : e) - (p - 1);
  bool inexact = false;
  u128 r;
  if (quantum >= q) {
    r = vf_shr_round(m, static_cast<unsigned>(std::min(quantum - q, 200)), mode, neg, inexact);
  } else {
    r = m << (q - quantum);
  }
  const int bias = (1 << (ebits - 1)) - 1;
  // Implicit bit counted into the exponent field: a carry out of rounding bumps it.
  const u64 base = tiny ? 0 : static_cast<u64>(e + bias - 1);
  const u64 bits = (base << (p - 1)) + static_cast<u64>(r);
  const u64 inf = ((u64{1} << ebits) - 1) << (p - 1);
  if (bits >= inf || e > emax) {
    fl |= FPSCR_OX | FPSCR_XX;
    const bool to_inf = mode == 0 || mode == 4 || (mode == 2 && !neg) || (mode == 3 && neg);
    return sign | (to_inf ? inf : inf - 1);
  }
  if (inexact) fl |= FPSCR_XX | (tiny ? FPSCR_UX : 0);
  return sign | bits;
}

// ---- Floating-point to integer, truncating (Book I 7.6 xscvdpsxds & co.):
// m * 2^q with sign; range [lo, hi] as signed or unsigned 64-bit values.
struct VfCvt {
  u64 v;
  u64 fl;
};
inline VfCvt vf_trunc_to_int(bool neg, u128 m, int q, bool is_signed, unsigned width) {
  VfCvt r{0, 0};
  u128 mag;
  bool inexact = false;
  if (q >= 0) {
    mag = q > 100 ? ~u128{0} : (vf_bitlen128(m) + q > 127 ? ~u128{0} : m << q);
  } else {
    mag = vf_shr_round(m, static_cast<unsigned>(std::min(-q, 200)), 1, neg, inexact);
  }
  const u128 maxpos = is_signed ? (u128{1} << (width - 1)) - 1 : (width == 64 ? ~u64{0} : (u128{1} << width) - 1);
  const u128 maxneg = is_signed ? (u128{1} << (width - 1)) : 0;
  const u64 mask = width == 64 ? ~u64{0} : (u64{1} << width) - 1;
  if (!neg && mag > maxpos) {
    r.v = static_cast<u64>(maxpos);
    r.fl = FPSCR_VXCVI;
  } else if (neg && mag > maxneg) {
    r.v = is_signed ? static_cast<u64>(-static_cast<s128>(maxneg)) & mask : 0;
    r.fl = FPSCR_VXCVI;
  } else {
    r.v = (neg ? static_cast<u64>(-static_cast<s128>(mag)) : static_cast<u64>(mag)) & mask;
    r.fl = inexact ? FPSCR_XX : 0;
  }
  return r;
}

// Decompose a double into sign, integer significand and exponent (finite values).
inline void vf_unpack64(u64 a, bool& neg, u128& m, int& q) {
  neg = a >> 63;
  const int exp = static_cast<int>((a >> 52) & 0x7ff);
  const u64 frac = a & 0xfffffffffffffull;
  m = exp ? (frac | (u64{1} << 52)) : frac;
  q = (exp ? exp : 1) - 1075;
}

}  // namespace lpar::sem
