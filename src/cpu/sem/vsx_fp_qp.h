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

inline constexpr u128 Q_SIGN = u128{1} << 127;
inline constexpr u128 Q_EXP = u128{0x7fff} << 112;
inline constexpr u128 Q_FRAC = (u128{1} << 112) - 1;
inline constexpr u128 Q_QUIET = u128{1} << 111;
inline constexpr u128 Q_DEFAULT_NAN = Q_EXP | Q_QUIET;
inline constexpr u128 Q_MIN_NORMAL = u128{1} << 112;

inline bool is_nan128(u128 a) { return (a & ~Q_SIGN) > Q_EXP; }
inline bool is_snan128(u128 a) { return is_nan128(a) && !(a & Q_QUIET); }
inline bool is_inf128(u128 a) { return (a & ~Q_SIGN) == Q_EXP; }
inline bool is_zero128(u128 a) { return (a & ~Q_SIGN) == 0; }
inline bool is_neg128(u128 a) { return a >> 127; }
inline u64 snan_bits128(u128 a) { return is_snan128(a) ? FPSCR_VXSNAN : 0; }
inline unsigned qexp(u128 a) { return static_cast<unsigned>((a >> 112) & 0x7fff); }

inline __float128 q2f(u128 v) { return std::bit_cast<__float128>(v); }
inline u128 f2q(__float128 v) { return std::bit_cast<u128>(v); }

// Finite quad as sign, integer significand and exponent.
inline void unpack128(u128 a, bool& neg, u128& m, int& q) {
  neg = is_neg128(a);
  const unsigned e = qexp(a);
  m = e ? ((a & Q_FRAC) | Q_MIN_NORMAL) : (a & Q_FRAC);
  q = static_cast<int>(e ? e : 1) - 16383 - 112;
}
// sign * m * 2^q exactly as a quad (m has at most 113 significant bits; no
// overflow or underflow for the callers' ranges).
inline u128 pack128_exact(bool neg, u128 m, int q) {
  const u128 sign = neg ? Q_SIGN : 0;
  if (m == 0) return sign;
  const int len = bitlen128(m);
  int e = len - 1 + q;
  if (e < -16382) return sign | (m >> (-16382 - 112 - q));  // stays a denormal
  m = len <= 113 ? m << (113 - len) : m >> (len - 113);
  return sign | ((static_cast<u128>(e + 16383 - 1) << 112) + m);
}

enum class QOp { Add, Sub, Mul, Div, Sqrt, Fma };
struct QRes {
  u128 v;
  u64 fl;
};

inline __float128 q_host(QOp op, __float128 a, __float128 b, __float128 c) {
  volatile __float128 va = a, vb = b, vc = c;
  __float128 r;
  switch (op) {
    case QOp::Add: r = va + vb; break;
    case QOp::Sub: r = va - vb; break;
    case QOp::Mul: r = va * vb; break;
    case QOp::Div: r = va / vb; break;
    case QOp::Sqrt: r = lpar_vsx_sqrtq(vb); break;
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
inline QRes q_arith(CpuState& s, QOp op, u128 a, u128 b, u128 c, bool odd, bool neg_c = false, bool neg_r = false) {
  auto inf_opp = [](u128 x, bool negx, u128 y, bool negy) { return is_inf128(x) && is_inf128(y) && negx != negy; };
  auto imz = [](u128 x, u128 y) { return (is_inf128(x) && is_zero128(y)) || (is_zero128(x) && is_inf128(y)); };
  u64 inv = 0;
  switch (op) {
    case QOp::Add:
    case QOp::Sub:
      inv = snan_bits128(a) | snan_bits128(b);
      if (inf_opp(a, is_neg128(a), b, is_neg128(b) ^ (op == QOp::Sub))) inv |= FPSCR_VXISI;
      break;
    case QOp::Mul:
      inv = snan_bits128(a) | snan_bits128(b) | (imz(a, b) ? FPSCR_VXIMZ : 0);
      break;
    case QOp::Div:
      inv = snan_bits128(a) | snan_bits128(b);
      if (is_inf128(a) && is_inf128(b)) inv |= FPSCR_VXIDI;
      if (is_zero128(a) && is_zero128(b)) inv |= FPSCR_VXZDZ;
      break;
    case QOp::Sqrt:
      inv = snan_bits128(b);
      if (is_neg128(b) && !is_zero128(b) && !is_nan128(b)) inv |= FPSCR_VXSQRT;
      break;
    case QOp::Fma: {
      inv = snan_bits128(a) | snan_bits128(b) | snan_bits128(c) | (imz(a, b) ? FPSCR_VXIMZ : 0);
      const bool prod_inf = (is_inf128(a) || is_inf128(b)) && !is_nan128(a) && !is_nan128(b) && !imz(a, b);
      if (prod_inf && inf_opp(c, is_neg128(c) ^ neg_c, a, is_neg128(a) ^ is_neg128(b))) inv |= FPSCR_VXISI;
      break;
    }
  }
  const u128 nan_in = op == QOp::Sqrt                    ? (is_nan128(b) ? b : 0)
                      : is_nan128(a)                     ? a
                      : (op == QOp::Fma && is_nan128(c)) ? c
                      : is_nan128(b)                     ? b
                                                         : 0;
  if (nan_in) return {nan_in | Q_QUIET, inv};
  if (inv) return {Q_DEFAULT_NAN, inv};

  __float128 fa = q2f(a), fb = q2f(b), fc = q2f(c);
  if (op == QOp::Fma) {
    if (neg_c) fc = -fc;
    if (neg_r) {
      fa = -fa;
      fc = -fc;
    }
  }
  const unsigned rn = odd ? 1 : fp_rn(s);
  QRes r;
  __float128 v;
  {
    HostFp hf(s, rn);
    v = q_host(op, fa, fb, fc);
    r.fl = hf.flags() & ~FPSCR_UX;
  }
  r.v = f2q(v);
  if (neg_r && is_zero128(r.v) && !(r.fl & FPSCR_XX)) {
    // An exact zero: the sign the unnegated sum gets, flipped.
    HostFp hf(s, rn);
    r.v = f2q(q_host(op, -fa, fb, -fc)) ^ Q_SIGN;
  }
  // PowerPC detects tininess before rounding (the host after).
  const u128 mag = r.v & ~Q_SIGN;
  if ((r.fl & FPSCR_XX) && mag <= Q_MIN_NORMAL) {
    bool tiny = mag < Q_MIN_NORMAL;
    if (!tiny) {
      HostFp hz(s, 1);
      tiny = (f2q(q_host(op, fa, fb, fc)) & ~Q_SIGN) < Q_MIN_NORMAL;
    }
    if (tiny) r.fl |= FPSCR_UX;
  }
  if (odd && (r.fl & FPSCR_XX) && !is_inf128(r.v)) r.v |= 1;
  return r;
}

inline Status q_commit(CpuState& s, unsigned vrt, const QRes& r) {
  return vsx_commit(s, r.fl, [&] {
    qr(s, vrt) = r.v;
    set_fprf(s, fp_fprf128(r.v));
  });
}

template <QOp OP>
inline Status xs_qarith(CpuState& s, u32 i, bool odd) {
  REQUIRE_VSX();
  const QRes r = q_arith(s, OP, qr(s, VRA(i)), qr(s, VRB(i)), 0, odd);
  return q_commit(s, VRT(i), r);
}
// xsmaddqp & co.: VRT = VRA * VRB + VRT.
template <bool NEG_C, bool NEG_R>
inline Status xs_qfma(CpuState& s, u32 i, bool odd) {
  REQUIRE_VSX();
  const QRes r = q_arith(s, QOp::Fma, qr(s, VRA(i)), qr(s, VRB(i)), qr(s, VRT(i)), odd, NEG_C, NEG_R);
  return q_commit(s, VRT(i), r);
}

// Quad compares (Book I 7.6 xscmpuqp/xscmpoqp): sign-magnitude ordering.
inline int q_order(u128 a, u128 b) {
  if (is_zero128(a) && is_zero128(b)) return 0;
  auto key = [](u128 x) -> s128 {
    const s128 mag = static_cast<s128>(x & ~Q_SIGN);
    return is_neg128(x) ? -mag : mag;
  };
  const s128 ka = key(a), kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
template <bool ORDERED>
inline Status xs_qcmp(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const u128 a = qr(s, VRA(i)), b = qr(s, VRB(i));
  unsigned cc;
  u64 fl = snan_bits128(a) | snan_bits128(b);
  if (is_nan128(a) || is_nan128(b)) {
    cc = CR_SO;
    if (ORDERED && (!fl || !(s.fpscr & FPSCR_VE))) fl |= FPSCR_VXVC;
  } else {
    const int o = q_order(a, b);
    cc = o < 0 ? CR_LT : o > 0 ? CR_GT : CR_EQ;
  }
  s.fpscr = (s.fpscr & ~FPSCR_FPCC) | (u64{cc} << FPSCR_FPRF_SHIFT);
  set_crf(s, BF(i), cc);
  return vsx_commit(s, fl, [] {});
}

// Quad to integer, truncating.
inline Status xs_qcvt_int(CpuState& s, u32 i, bool is_signed, unsigned width) {
  REQUIRE_VSX();
  const u128 b = qr(s, VRB(i));
  CvtRes r;
  if (is_nan128(b)) {
    r = {is_signed ? (width == 64 ? u64{1} << 63 : u64{1} << 31) : 0, FPSCR_VXCVI | snan_bits128(b)};
  } else if (is_inf128(b)) {
    r = trunc_to_int(is_neg128(b), ~u128{0}, 0, is_signed, width);
  } else {
    bool neg;
    u128 m;
    int q;
    unpack128(b, neg, m, q);
    r = trunc_to_int(neg, m, q, is_signed, width);
  }
  if (is_signed && width == 32) r.v = static_cast<u64>(static_cast<s64>(static_cast<s32>(r.v)));
  const unsigned vrt = VRT(i);
  return vsx_commit(s, r.fl, [&] { qr(s, vrt) = u128{r.v} << 64; });
}

// Round a quad to an integer (mode as shr_round) or to 64-bit precision.
inline QRes q_round(u128 b, unsigned mode, bool to_int) {
  if (is_nan128(b)) return {b | Q_QUIET, snan_bits128(b)};
  if (is_inf128(b) || is_zero128(b)) return {b, 0};
  bool neg, inexact;
  u128 m;
  int q;
  unpack128(b, neg, m, q);
  if (to_int) {
    if (q >= 0) return {b, 0};
    const u128 r = shr_round(m, static_cast<unsigned>(std::min(-q, 200)), mode, neg, inexact);
    return {pack128_exact(neg, r, 0), inexact ? FPSCR_XX : 0};
  }
  const int len = bitlen128(m);
  if (len <= 64) return {b, 0};
  const unsigned sh = static_cast<unsigned>(len - 64);
  const u128 r = shr_round(m, sh, mode, neg, inexact);
  const int e = bitlen128(r) - 1 + q + static_cast<int>(sh);
  if (e > 16383) return {(neg ? Q_SIGN : 0) | Q_EXP, FPSCR_OX | FPSCR_XX};
  return {pack128_exact(neg, r, q + static_cast<int>(sh)), inexact ? FPSCR_XX : 0};
}
// xsrqpi/xsrqpxp (Book I 7.6): R || RMC picks the rounding; QEMU 7.2 maps
// R=0 RMC=3 by handing FPSCR[RN] to softfloat's mode numbering.
inline unsigned q_rmc_mode(CpuState& s, u32 i) {
  const unsigned rmc = RMC(i);
  if (ZR(i)) return rmc;  // 0 nearest-even, 1 zero, 2 +inf, 3 -inf
  if (rmc == 0) return 4;
  if (rmc == 3) {
    static constexpr unsigned softfloat_order[4] = {0, 3, 2, 1};
    return softfloat_order[fp_rn(s)];
  }
  return 0;
}

// Quad data class (DCMX as xststdcdp).
inline bool dclass128(u128 a, unsigned dcmx) {
  return dclass_match(dcmx, is_nan128(a), is_inf128(a), is_zero128(a), qexp(a) == 0, is_neg128(a));
}

}  // namespace lpar::sem
