// vsx_fp: scalar quad-precision instructions (PowerISA 3.0B Book I 7.6,
// "VSX Scalar Quad-Precision").  Operands are VRs (VSR 32+n).  Arithmetic runs
// on the host binary128 (__float128: libgcc soft-fp and glibc's fmaf128/
// sqrtf128, which honour the installed rounding mode and raise host flags);
// conversions and rounding to integer are done in integer arithmetic.
#pragma once
#include "cpu/sem/vsx_fp_dp.h"

extern "C" __float128 lpar_vsx_fmaq(__float128, __float128, __float128) __asm__("fmaf128");
extern "C" __float128 lpar_vsx_sqrtq(__float128) __asm__("sqrtf128");

namespace lpar::sem {

inline constexpr u128 QF_SIGN = u128{1} << 127;
inline constexpr u128 QF_EXP = u128{0x7fff} << 112;
inline constexpr u128 QF_FRAC = (u128{1} << 112) - 1;
inline constexpr u128 QF_QUIET = u128{1} << 111;
inline constexpr u128 QF_DEFAULT_NAN = QF_EXP | QF_QUIET;
inline constexpr u128 QF_MIN_NORMAL = u128{1} << 112;

inline bool qf_is_nan(u128 a) { return (a & ~QF_SIGN) > QF_EXP; }
inline bool qf_is_snan(u128 a) { return qf_is_nan(a) && !(a & QF_QUIET); }
inline bool qf_is_inf(u128 a) { return (a & ~QF_SIGN) == QF_EXP; }
inline bool qf_is_zero(u128 a) { return (a & ~QF_SIGN) == 0; }
inline bool qf_is_neg(u128 a) { return a >> 127; }
inline u64 qf_snan_bits(u128 a) { return qf_is_snan(a) ? FPSCR_VXSNAN : 0; }
inline unsigned vf_qexp(u128 a) { return static_cast<unsigned>((a >> 112) & 0x7fff); }

inline __float128 vf_q2f(u128 v) { return std::bit_cast<__float128>(v); }
inline u128 vf_f2q(__float128 v) { return std::bit_cast<u128>(v); }

// Finite quad as sign, integer significand and exponent.
inline void vf_unpack128(u128 a, bool& neg, u128& m, int& q) {
  neg = qf_is_neg(a);
  const unsigned e = vf_qexp(a);
  m = e ? ((a & QF_FRAC) | QF_MIN_NORMAL) : (a & QF_FRAC);
  q = static_cast<int>(e ? e : 1) - 16383 - 112;
}
// sign * m * 2^q exactly as a quad (m has at most 113 significant bits; no
// overflow or underflow for the callers' ranges).
inline u128 vf_pack128(bool neg, u128 m, int q) {
  const u128 sign = neg ? QF_SIGN : 0;
  if (m == 0) return sign;
  const int len = vf_bitlen128(m);
  int e = len - 1 + q;
  if (e < -16382) {  // a denormal: m * 2^q in units of 2^-16494
    const int sh = q + 16494;
    return sign | (sh >= 0 ? m << sh : m >> -sh);
  }
  m = len <= 113 ? m << (113 - len) : m >> (len - 113);
  return sign | ((static_cast<u128>(e + 16383 - 1) << 112) + m);
}

enum class VfQOp { Add, Sub, Mul, Div, Sqrt, Fma };
struct VfQRes {
  u128 v;
  u64 fl;
};

inline __float128 vf_qhost(VfQOp op, __float128 a, __float128 b, __float128 c) {
  volatile __float128 va = a, vb = b, vc = c;
  __float128 r;
  switch (op) {
    case VfQOp::Add: r = va + vb; break;
    case VfQOp::Sub: r = va - vb; break;
    case VfQOp::Mul: r = va * vb; break;
    case VfQOp::Div: r = va / vb; break;
    case VfQOp::Sqrt: r = lpar_vsx_sqrtq(vb); break;
    default: r = lpar_vsx_fmaq(va, vb, vc); break;
  }
  volatile __float128 vr = r;
  return vr;
}

// One quad operation: a op b, or a*b + c (c negated for msub, the exact result
// negated for nmadd/nmsub); sqrt takes b.  Invalid cases and NaN choice as for
// the FPRs (Book I 4.4.1, 4.3.2: A, then the addend C, then B for fma, as
// QEMU 7.2); round-to-odd (RO=1) is round-toward-zero with the sticky bit
// ORed into the lsb.
inline VfQRes vf_qarith(CpuState& s, VfQOp op, u128 a, u128 b, u128 c, bool odd, bool neg_c = false, bool neg_r = false) {
  auto inf_opp = [](u128 x, bool negx, u128 y, bool negy) { return qf_is_inf(x) && qf_is_inf(y) && negx != negy; };
  auto imz = [](u128 x, u128 y) { return (qf_is_inf(x) && qf_is_zero(y)) || (qf_is_zero(x) && qf_is_inf(y)); };
  u64 inv = 0;
  switch (op) {
    case VfQOp::Add:
    case VfQOp::Sub:
      inv = qf_snan_bits(a) | qf_snan_bits(b);
      if (inf_opp(a, qf_is_neg(a), b, qf_is_neg(b) ^ (op == VfQOp::Sub))) inv |= FPSCR_VXISI;
      break;
    case VfQOp::Mul:
      inv = qf_snan_bits(a) | qf_snan_bits(b) | (imz(a, b) ? FPSCR_VXIMZ : 0);
      break;
    case VfQOp::Div:
      inv = qf_snan_bits(a) | qf_snan_bits(b);
      if (qf_is_inf(a) && qf_is_inf(b)) inv |= FPSCR_VXIDI;
      if (qf_is_zero(a) && qf_is_zero(b)) inv |= FPSCR_VXZDZ;
      break;
    case VfQOp::Sqrt:
      inv = qf_snan_bits(b);
      if (qf_is_neg(b) && !qf_is_zero(b) && !qf_is_nan(b)) inv |= FPSCR_VXSQRT;
      break;
    case VfQOp::Fma: {
      inv = qf_snan_bits(a) | qf_snan_bits(b) | qf_snan_bits(c) | (imz(a, b) ? FPSCR_VXIMZ : 0);
      const bool prod_inf = (qf_is_inf(a) || qf_is_inf(b)) && !qf_is_nan(a) && !qf_is_nan(b) && !imz(a, b);
      if (prod_inf && inf_opp(c, qf_is_neg(c) ^ neg_c, a, qf_is_neg(a) ^ qf_is_neg(b))) inv |= FPSCR_VXISI;
      break;
    }
  }
  const u128 nan_in = op == VfQOp::Sqrt                    ? (qf_is_nan(b) ? b : 0)
                      : qf_is_nan(a)                     ? a
                      : (op == VfQOp::Fma && qf_is_nan(c)) ? c
                      : qf_is_nan(b)                     ? b
                                                         : 0;
  if (nan_in) return {nan_in | QF_QUIET, inv};
  if (inv) return {QF_DEFAULT_NAN, inv};

  __float128 fa = vf_q2f(a), fb = vf_q2f(b), fc = vf_q2f(c);
  if (op == VfQOp::Fma) {
    if (neg_c) fc = -fc;
    if (neg_r) {
      fa = -fa;
      fc = -fc;
    }
  }
  const unsigned rn = odd ? 1 : fp_rn(s);
  VfQRes r;
  __float128 v;
  {
    HostFp hf(s, rn, true);
    v = vf_qhost(op, fa, fb, fc);
    r.fl = hf.flags() & ~FPSCR_UX;
  }
  r.v = vf_f2q(v);
  if (neg_r && qf_is_zero(r.v) && !(r.fl & FPSCR_XX)) {
    // An exact zero: the sign the unnegated sum gets, flipped.
    HostFp hf(s, rn, true);
    r.v = vf_f2q(vf_qhost(op, -fa, fb, -fc)) ^ QF_SIGN;
  }
  // PowerPC detects tininess before rounding (the host after).
  const u128 mag = r.v & ~QF_SIGN;
  if ((r.fl & FPSCR_XX) && mag <= QF_MIN_NORMAL) {
    bool tiny = mag < QF_MIN_NORMAL;
    if (!tiny) {
      HostFp hz(s, 1, true);
      tiny = (vf_f2q(vf_qhost(op, fa, fb, fc)) & ~QF_SIGN) < QF_MIN_NORMAL;
    }
    if (tiny) r.fl |= FPSCR_UX;
  }
  if (odd && (r.fl & FPSCR_XX) && !qf_is_inf(r.v)) r.v |= 1;
  return r;
}

inline Status vf_qcommit(CpuState& s, unsigned vrt, const VfQRes& r) {
  return vf_commit(s, r.fl, [&] {
    vf_q(s, vrt) = r.v;
    set_fprf(s, fp_fprf128(r.v));
  });
}

template <VfQOp OP>
inline Status vfs_qarith(CpuState& s, u32 i, bool odd) {
  REQUIRE_VSX();
  const VfQRes r = vf_qarith(s, OP, vf_q(s, VRA(i)), vf_q(s, VRB(i)), 0, odd);
  return vf_qcommit(s, VRT(i), r);
}
// xsmaddqp & co.: VRT = VRA * VRB + VRT.
template <bool NEG_C, bool NEG_R>
inline Status vfs_qfma(CpuState& s, u32 i, bool odd) {
  REQUIRE_VSX();
  const VfQRes r = vf_qarith(s, VfQOp::Fma, vf_q(s, VRA(i)), vf_q(s, VRB(i)), vf_q(s, VRT(i)), odd, NEG_C, NEG_R);
  return vf_qcommit(s, VRT(i), r);
}

// Quad compares (Book I 7.6 xscmpuqp/xscmpoqp): sign-magnitude ordering.
inline int vf_qorder(u128 a, u128 b) {
  if (qf_is_zero(a) && qf_is_zero(b)) return 0;
  auto key = [](u128 x) -> s128 {
    const s128 mag = static_cast<s128>(x & ~QF_SIGN);
    return qf_is_neg(x) ? -mag : mag;
  };
  const s128 ka = key(a), kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
template <bool ORDERED>
inline Status vfs_qcmp(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const u128 a = vf_q(s, VRA(i)), b = vf_q(s, VRB(i));
  unsigned cc;
  u64 fl = qf_snan_bits(a) | qf_snan_bits(b);
  if (qf_is_nan(a) || qf_is_nan(b)) {
    cc = CR_SO;
    if (ORDERED && (!fl || !(s.fpscr & FPSCR_VE))) fl |= FPSCR_VXVC;
  } else {
    const int o = vf_qorder(a, b);
    cc = o < 0 ? CR_LT : o > 0 ? CR_GT : CR_EQ;
  }
  s.fpscr = (s.fpscr & ~FPSCR_FPCC) | (u64{cc} << FPSCR_FPRF_SHIFT);
  set_crf(s, BF(i), cc);
  return vf_commit_keepfi(s, fl, [] {});
}

// Quad to integer, truncating.
inline Status vfs_qcvt_int(CpuState& s, u32 i, bool is_signed, unsigned width) {
  REQUIRE_VSX();
  const u128 b = vf_q(s, VRB(i));
  VfCvt r;
  if (qf_is_nan(b)) {
    r = {is_signed ? (width == 64 ? u64{1} << 63 : u64{1} << 31) : 0, FPSCR_VXCVI | qf_snan_bits(b)};
  } else if (qf_is_inf(b)) {
    r = vf_trunc_to_int(qf_is_neg(b), ~u128{0}, 0, is_signed, width);
  } else {
    bool neg;
    u128 m;
    int q;
    vf_unpack128(b, neg, m, q);
    r = vf_trunc_to_int(neg, m, q, is_signed, width);
  }
  if (is_signed && width == 32) r.v = static_cast<u64>(static_cast<s64>(static_cast<s32>(r.v)));
  const unsigned vrt = VRT(i);
  return vf_commit(s, r.fl, [&] { vf_q(s, vrt) = u128{r.v} << 64; });
}

// Round a quad to an integer (mode as vf_shr_round) or to 64-bit precision.
inline VfQRes vf_qround(u128 b, unsigned mode, bool to_int) {
  if (qf_is_nan(b)) {
    const u128 v = b | QF_QUIET;
    return {to_int ? v : v & ~((u128{1} << 49) - 1), qf_snan_bits(b)};
  }
  if (qf_is_inf(b) || qf_is_zero(b)) return {b, 0};
  bool neg, inexact;
  u128 m;
  int q;
  vf_unpack128(b, neg, m, q);
  if (to_int) {
    if (q >= 0) return {b, 0};
    const u128 r = vf_shr_round(m, static_cast<unsigned>(std::min(-q, 200)), mode, neg, inexact);
    return {vf_pack128(neg, r, 0), inexact ? FPSCR_XX : 0};
  }
  // xsrqpxp: QEMU 7.2 rounds through the x87 extended format: 64-bit
  // significand, exponents down to -16382 (denormals below), NaN payloads
  // cut to the top 63 fraction bits.
  const int e = vf_bitlen128(m) - 1 + q;
  const bool tiny = e < -16382;
  const int quantum = (tiny ? -16382 : e) - 63;
  if (quantum <= q) return {b, 0};
  const u128 r = vf_shr_round(m, static_cast<unsigned>(std::min(quantum - q, 200)), mode, neg, inexact);
  if (r != 0 && vf_bitlen128(r) - 1 + quantum > 16383) return {(neg ? QF_SIGN : 0) | QF_EXP, FPSCR_OX | FPSCR_XX};
  u64 fl = inexact ? FPSCR_XX : 0;
  if (inexact && tiny) fl |= FPSCR_UX;
  return {vf_pack128(neg, r, quantum), fl};
}
// xsrqpi/xsrqpxp (Book I 7.6): R || VF_RMC picks the rounding; QEMU 7.2 maps
// R=0 VF_RMC=3 by handing FPSCR[RN] to softfloat's mode numbering.
inline unsigned vf_rmc_mode(CpuState& s, u32 i) {
  const unsigned rmc = VF_RMC(i);
  if (VF_R(i)) return rmc;  // 0 nearest-even, 1 zero, 2 +inf, 3 -inf
  if (rmc == 0) return 4;
  if (rmc == 3) {
    static constexpr unsigned softfloat_order[4] = {0, 3, 2, 1};
    return softfloat_order[fp_rn(s)];
  }
  return 0;
}

// Quad data class (DCMX as xststdcdp).
inline bool vf_dclass128(u128 a, unsigned dcmx) {
  return vf_dclass(dcmx, qf_is_nan(a), qf_is_inf(a), qf_is_zero(a), vf_qexp(a) == 0, qf_is_neg(a));
}

}  // namespace lpar::sem
