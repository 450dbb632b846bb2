// VMX single-precision floating point (Book I 6.13).  VMX float always
// rounds to nearest-even, ignores FPSCR, raises no exceptions, and in
// non-Java mode (VSCR[NJ]=1) treats denormal operands and results as zero.
// NaN results: the first NaN operand (VRA, then VRB, then VRC) quieted, else
// the default NaN 0x7fc00000.  Included from vmx.h.
#pragma once
#include <cfenv>

#include "cpu/sem/common.h"

namespace lpar::sem {
namespace vfp {

inline constexpr u32 DEFAULT_NAN = 0x7fc00000;
inline u32 bits_of(float f) { return std::bit_cast<u32>(f); }
inline float float_of(u32 u) { return std::bit_cast<float>(u); }
inline bool is_nan(u32 x) { return (x & 0x7fffffff) > 0x7f800000; }
inline bool is_denorm(u32 x) { return (x & 0x7f800000) == 0 && (x & 0x7fffff); }
inline u32 quiet(u32 x) { return x | 0x00400000; }

// The host rounding mode belongs to the FPU emulation; VMX needs nearest.
struct NearestScope {
  int old;
  NearestScope() : old(std::fegetround()) {
    if (old != FE_TONEAREST) std::fesetround(FE_TONEAREST);
  }
  ~NearestScope() {
    if (old != FE_TONEAREST) std::fesetround(old);
  }
};

inline bool nj(const CpuState& s) { return s.vscr & VSCR_NJ; }
// Operand: a denormal becomes a zero of the same sign in NJ mode.
inline float in(const CpuState& s, u32 x) { return float_of(nj(s) && is_denorm(x) ? (x & 0x80000000u) : x); }
// Result of an operation whose operands were not NaN.
inline u32 out(const CpuState& s, float f) {
  const u32 x = bits_of(f);
  if (is_nan(x)) return DEFAULT_NAN;
  return nj(s) && is_denorm(x) ? (x & 0x80000000u) : x;
}

}  // namespace vfp

// Element-wise float forms; F gets (x, y, z) raw bits of VRA, VRB, VRC words.
template <typename F>
inline Status vmx_fp3(CpuState& s, u32 i, F f) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i)), c = vr(s, VRC(i));
  vfp::NearestScope rn;
  Vec r;
  for (unsigned k = 0; k < 4; ++k) r.w[k] = f(a.w[k], b.w[k], c.w[k]);
  vr(s, VRT(i)) = r;
  return Status::Next;
}

SEM(vaddfp) {
  return vmx_fp3(s, i, [&](u32 x, u32 y, u32) {
    if (vfp::is_nan(x)) return vfp::quiet(x);
    if (vfp::is_nan(y)) return vfp::quiet(y);
    return vfp::out(s, vfp::in(s, x) + vfp::in(s, y));
  });
}
SEM(vsubfp) {
  return vmx_fp3(s, i, [&](u32 x, u32 y, u32) {
    if (vfp::is_nan(x)) return vfp::quiet(x);
    if (vfp::is_nan(y)) return vfp::quiet(y);
    return vfp::out(s, vfp::in(s, x) - vfp::in(s, y));
  });
}
// (VRA * VRC) + VRB with one rounding; NaN priority VRA, VRB, VRC.
SEM(vmaddfp) {
  return vmx_fp3(s, i, [&](u32 x, u32 y, u32 z) {
    if (vfp::is_nan(x)) return vfp::quiet(x);
    if (vfp::is_nan(y)) return vfp::quiet(y);
    if (vfp::is_nan(z)) return vfp::quiet(z);
    return vfp::out(s, std::fma(vfp::in(s, x), vfp::in(s, z), vfp::in(s, y)));
  });
}
// -((VRA * VRC) - VRB): the negation applies to the rounded result.
SEM(vnmsubfp) {
  return vmx_fp3(s, i, [&](u32 x, u32 y, u32 z) {
    if (vfp::is_nan(x)) return vfp::quiet(x);
    if (vfp::is_nan(y)) return vfp::quiet(y);
    if (vfp::is_nan(z)) return vfp::quiet(z);
    const float t = std::fma(vfp::in(s, x), vfp::in(s, z), -vfp::in(s, y));
    if (std::isnan(t)) return vfp::DEFAULT_NAN;
    return vfp::out(s, -t);
  });
}
// max(+0, -0) = +0, min(+0, -0) = -0 (Book I 6.13.3).
SEM(vmaxfp) {
  return vmx_fp3(s, i, [&](u32 x, u32 y, u32) {
    if (vfp::is_nan(x)) return vfp::quiet(x);
    if (vfp::is_nan(y)) return vfp::quiet(y);
    const float fx = vfp::in(s, x), fy = vfp::in(s, y);
    if (fx == fy) return vfp::bits_of(std::signbit(fx) ? fy : fx);
    return vfp::bits_of(fx > fy ? fx : fy);
  });
}
SEM(vminfp) {
  return vmx_fp3(s, i, [&](u32 x, u32 y, u32) {
    if (vfp::is_nan(x)) return vfp::quiet(x);
    if (vfp::is_nan(y)) return vfp::quiet(y);
    const float fx = vfp::in(s, x), fy = vfp::in(s, y);
    if (fx == fy) return vfp::bits_of(std::signbit(fx) ? fx : fy);
    return vfp::bits_of(fx < fy ? fx : fy);
  });
}

// Conversions with scale 2^UIM (Book I 6.13.4).  To integer: truncate,
// saturate (setting VSCR[SAT]); NaN gives 0 without SAT.
template <bool SIGNED>
inline Status vmx_cvt_to_int(CpuState& s, u32 i) {
  REQUIRE_VEC();
  const unsigned uim = VRA(i);
  const Vec b = vr(s, VRB(i));
  Vec r;
  bool q = false;
  for (unsigned k = 0; k < 4; ++k) {
    const u32 x = b.w[k];
    if (vfp::is_nan(x)) { r.w[k] = 0; continue; }
    const double t = std::trunc(std::ldexp(static_cast<double>(vfp::in(s, x)), static_cast<int>(uim)));
    if (SIGNED) {
      if (t < -2147483648.0) { q = true; r.w[k] = 0x80000000u; }
      else if (t > 2147483647.0) { q = true; r.w[k] = 0x7fffffffu; }
      else r.w[k] = static_cast<u32>(static_cast<s32>(t));
    } else {
      if (t < 0) { q = true; r.w[k] = 0; }
      else if (t > 4294967295.0) { q = true; r.w[k] = 0xffffffffu; }
      else r.w[k] = static_cast<u32>(t);
    }
  }
  vr(s, VRT(i)) = r;
  vmx::set_sat(s, q);
  return Status::Next;
}
SEM(vctsxs) { return vmx_cvt_to_int<true>(s, i); }
SEM(vctuxs) { return vmx_cvt_to_int<false>(s, i); }
// Integer to float (rounded) then divided by 2^UIM (exact: never tiny).
SEM(vcfsx) {
  const unsigned uim = VRA(i);
  return vmx_fp3(s, i, [&](u32, u32 y, u32) {
    return vfp::bits_of(std::ldexp(static_cast<float>(static_cast<s32>(y)), -static_cast<int>(uim)));
  });
}
SEM(vcfux) {
  const unsigned uim = VRA(i);
  return vmx_fp3(s, i, [&](u32, u32 y, u32) {
    return vfp::bits_of(std::ldexp(static_cast<float>(y), -static_cast<int>(uim)));
  });
}

// Round to integral (Book I 6.13.5).
SEM(vrfin) {
  return vmx_fp3(s, i, [&](u32, u32 y, u32) { return vfp::is_nan(y) ? vfp::quiet(y) : vfp::bits_of(std::nearbyint(vfp::in(s, y))); });
}
SEM(vrfiz) {
  return vmx_fp3(s, i, [&](u32, u32 y, u32) { return vfp::is_nan(y) ? vfp::quiet(y) : vfp::bits_of(std::trunc(vfp::in(s, y))); });
}
SEM(vrfip) {
  return vmx_fp3(s, i, [&](u32, u32 y, u32) { return vfp::is_nan(y) ? vfp::quiet(y) : vfp::bits_of(std::ceil(vfp::in(s, y))); });
}
SEM(vrfim) {
  return vmx_fp3(s, i, [&](u32, u32 y, u32) { return vfp::is_nan(y) ? vfp::quiet(y) : vfp::bits_of(std::floor(vfp::in(s, y))); });
}

// Estimates: QEMU computes them exactly (correctly rounded 1/x, 1/sqrt(x) as
// two roundings), which is within the book's error bounds.
SEM(vrefp) {
  return vmx_fp3(s, i, [&](u32, u32 y, u32) {
    if (vfp::is_nan(y)) return vfp::quiet(y);
    return vfp::out(s, 1.0f / vfp::in(s, y));
  });
}
SEM(vrsqrtefp) {
  return vmx_fp3(s, i, [&](u32, u32 y, u32) {
    if (vfp::is_nan(y)) return vfp::quiet(y);
    const float r = std::sqrt(vfp::in(s, y));
    if (std::isnan(r)) return vfp::DEFAULT_NAN;
    return vfp::out(s, 1.0f / r);
  });
}

// ---- Estimates of 2^x and log2(x).  The book only bounds their error; to
// be bit-exact with QEMU they are evaluated the way its soft-float does:
// unrounded binary values with a 64-bit (or 128-bit) significand whose
// shifted-out bits are kept as a sticky bit, rounded once at the end.
namespace vfp {

template <typename F>
struct Parts {  // normal numbers only: value = frac / 2^(W-1) * 2^exp, msb set
  bool sign;
  int exp;
  F frac;
};
template <typename F>
inline constexpr int FW = static_cast<int>(sizeof(F) * 8);
template <typename F>
inline F shr_jam(F x, int c) {
  if (c <= 0) return x;
  if (c >= FW<F>) return x != 0;
  return (x >> c) | ((x << (FW<F> - c)) != 0 ? 1 : 0);
}
template <typename F>
inline int clz_wide(F x) {
  if constexpr (sizeof(F) == 8) return std::countl_zero(x);
  else return static_cast<u64>(x >> 64) ? std::countl_zero(static_cast<u64>(x >> 64)) : 64 + std::countl_zero(static_cast<u64>(x));
}
// Magnitude addition of two normals, result in a.
template <typename F>
inline void add_mag(Parts<F>& a, Parts<F> b) {
  const int d = a.exp - b.exp;
  if (d > 0) b.frac = shr_jam(b.frac, d);
  else if (d < 0) { a.frac = shr_jam(a.frac, -d); a.exp = b.exp; }
  const F sum = a.frac + b.frac;
  if (sum < a.frac) {
    a.frac = shr_jam(sum, 1) | (F{1} << (FW<F> - 1));
    a.exp += 1;
  } else {
    a.frac = sum;
  }
}
// Magnitude subtraction a - b, result in a; false if exactly zero.
template <typename F>
inline bool sub_mag(Parts<F>& a, Parts<F> b) {
  const int d = a.exp - b.exp;
  if (d > 0) {
    a.frac -= shr_jam(b.frac, d);
  } else if (d < 0) {
    a.exp = b.exp;
    a.sign = !a.sign;
    a.frac = b.frac - shr_jam(a.frac, -d);
  } else if (a.frac < b.frac) {
    a.frac = b.frac - a.frac;
    a.sign = !a.sign;
  } else {
    a.frac -= b.frac;
  }
  if (a.frac == 0) return false;
  const int sh = clz_wide(a.frac);
  a.frac <<= sh;
  a.exp -= sh;
  return true;
}
inline Parts<u64> unpack32(u32 x) {  // x normal or denormal, not zero
  int e = static_cast<int>((x >> 23) & 0xff);
  u64 m = x & 0x7fffff;
  if (e == 0) {
    const int sh = std::countl_zero(m) - 40;
    return {static_cast<bool>(x >> 31), -126 - sh, m << (40 + sh)};
  }
  return {static_cast<bool>(x >> 31), e - 127, (m | 0x800000) << 40};
}
inline Parts<u64> unpack64(u64 x) {  // x normal
  return {static_cast<bool>(x >> 63), static_cast<int>((x >> 52) & 0x7ff) - 1023, ((x & ((u64{1} << 52) - 1)) | (u64{1} << 52)) << 11};
}
inline Parts<u64> mul(const Parts<u64>& a, const Parts<u64>& b) {
  const u128 p = u128{a.frac} * b.frac;
  Parts<u64> r{a.sign != b.sign, a.exp + b.exp + 1, static_cast<u64>(p >> 64) | (static_cast<u64>(p) != 0)};
  if (!(r.frac >> 63)) { r.frac <<= 1; r.exp -= 1; }
  return r;
}
// a * b + c with the product exact in 128 bits; c nonzero.  zero=true if
// the sum cancels exactly.
inline Parts<u64> muladd(const Parts<u64>& a, const Parts<u64>& b, const Parts<u64>& c, bool& zero) {
  Parts<u128> p{a.sign != b.sign, a.exp + b.exp + 1, u128{a.frac} * b.frac};
  if (!(p.frac >> 127)) { p.frac <<= 1; p.exp -= 1; }
  const Parts<u128> cw{c.sign, c.exp, u128{c.frac} << 64};
  zero = false;
  if (p.sign == c.sign) add_mag(p, cw);
  else zero = !sub_mag(p, cw);
  return {p.sign, p.exp, static_cast<u64>(p.frac >> 64) | (static_cast<u64>(p.frac) != 0)};
}
// Round to single precision, nearest-even; NJ flushes tiny results.
inline u32 round32(const CpuState& s, const Parts<u64>& p) {
  const u32 sign = p.sign ? 0x80000000u : 0;
  int be = p.exp + 127;
  int sh = 40;
  if (be <= 0) {
    if (nj(s)) return sign;
    sh += 1 - be;
    be = 0;
  }
  const u64 m = sh >= 64 ? 0 : p.frac >> sh;
  const u64 rest = sh >= 64 ? p.frac : p.frac & ((u64{1} << sh) - 1);
  const u64 half = sh >= 64 ? 0 : u64{1} << (sh - 1);
  u64 r = m;
  if (sh >= 64) r = 0;  // far below the smallest denormal: rounds to 0
  else if (rest > half || (rest == half && (m & 1))) ++r;
  if (be == 0) return sign | static_cast<u32>(r);  // a carry makes it normal
  if (r >> 24) { r >>= 1; ++be; }
  if (be >= 255) return sign | 0x7f800000u;
  return sign | (static_cast<u32>(be) << 23) | (static_cast<u32>(r) & 0x7fffff);
}

inline constexpr double inv_factorial(int n) {
  double f = 1;
  for (int k = 2; k <= n; ++k) f *= k;
  return 1.0 / f;
}

// 2^x as e^(x ln 2) by its Taylor series to the 15th power.
inline u32 exp2_estimate(const CpuState& s, u32 x) {
  if (nj(s) && is_denorm(x)) x &= 0x80000000u;
  if (is_nan(x)) return quiet(x);
  if ((x & 0x7fffffff) == 0x7f800000) return (x >> 31) ? 0 : x;
  if ((x & 0x7fffffff) == 0) return 0x3f800000u;
  const Parts<u64> xp = mul(unpack32(x), unpack64(0x3fe62e42fefa39efull));  // x * ln 2
  Parts<u64> xn = xp;
  Parts<u64> r = unpack64(0x3ff0000000000000ull);
  bool r_zero = false;
  for (int k = 1; k <= 15; ++k) {
    const Parts<u64> coef = unpack64(std::bit_cast<u64>(inv_factorial(k)));
    if (r_zero) {
      r = mul(coef, xn);
      r_zero = false;
    } else {
      bool z;
      r = muladd(coef, xn, r, z);
      r_zero = z;
    }
    xn = mul(xn, xp);
  }
  return r_zero ? 0 : round32(s, r);
}

// log2: the integer part is the exponent; each squaring of the significand
// yields the next fraction bit.
inline u32 log2_estimate(const CpuState& s, u32 x) {
  if (nj(s) && is_denorm(x)) x &= 0x80000000u;
  if (is_nan(x)) return quiet(x);
  if ((x & 0x7fffffff) == 0) return 0xff800000u;  // log2(+-0) = -inf
  if (x >> 31) return DEFAULT_NAN;
  if (x == 0x7f800000u) return x;
  const Parts<u64> a = unpack32(x);
  constexpr u64 ONE = u64{1} << 63;
  const int a_exp = a.exp;
  int f_exp = -1;
  u64 r = 0, t = ONE, a0 = a.frac, a1 = 0;
  const int n = a_exp == -1 ? 48 : 25;
  bool exact = false;
  for (int k = 0; k < n; ++k) {
    if (a1) {
      // Top 128 bits of the 256-bit square of a0:a1.
      const u128 ll = u128{a1} * a1, lh = u128{a1} * a0, hh = u128{a0} * a0;
      const u128 t1 = (ll >> 64) + static_cast<u64>(lh) + static_cast<u64>(lh);
      const u128 t2 = (t1 >> 64) + (lh >> 64) + (lh >> 64) + static_cast<u64>(hh);
      a1 = static_cast<u64>(t2);
      a0 = static_cast<u64>((hh >> 64) + (t2 >> 64));
    } else if (a0 & 0xffffffffu) {
      const u128 p = u128{a0} * a0;
      a0 = static_cast<u64>(p >> 64);
      a1 = static_cast<u64>(p);
    } else if (a0 & ~ONE) {
      a0 >>= 32;
      a0 *= a0;
    } else {
      exact = true;
      break;
    }
    if (a0 & ONE) {
      if (a_exp == 0 && r == 0) {
        // Close to 1.0: restart the digits below the leading one.
        f_exp -= k;
        t = r = ONE;
        k = 0;
      } else {
        r |= t;
      }
    } else {
      a0 = (a0 << 1) | (a1 >> 63);
      a1 <<= 1;
    }
    t >>= 1;
  }
  if (!exact) r |= (a1 != 0 || (a0 & ~ONE) != 0) ? 1 : 0;
  if (a_exp == 0 && r == 0) return 0;
  Parts<u64> res{a_exp < 0, 0, 0};
  if (a_exp != 0) {
    const u64 mag = static_cast<u64>(a_exp < 0 ? -a_exp : a_exp);
    const int lz = std::countl_zero(mag);
    res.frac = mag << lz;
    res.exp = 63 - lz;
  }
  if (r != 0) {
    const int lz = std::countl_zero(r);
    const Parts<u64> f{false, f_exp - lz, r << lz};
    if (a_exp < 0) sub_mag(res, f);
    else if (a_exp > 0) add_mag(res, f);
    else res = f;
  }
  return round32(s, res);
}
}  // namespace vfp

SEM(vlogefp) {
  return vmx_fp3(s, i, [&](u32, u32 y, u32) { return vfp::log2_estimate(s, y); });
}
SEM(vexptefp) {
  return vmx_fp3(s, i, [&](u32, u32 y, u32) { return vfp::exp2_estimate(s, y); });
}

// ---- Float compares (Book I 6.13.6)
template <typename F>
inline Status vmx_fcmp(CpuState& s, u32 i, F cond) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  Vec r;
  for (unsigned k = 0; k < 4; ++k) r.w[k] = cond(vfp::in(s, a.w[k]), vfp::in(s, b.w[k])) ? ~0u : 0u;
  vr(s, VRT(i)) = r;
  if (vmx::Rc_vc(i)) vmx::set_cr6(s, r);
  return Status::Next;
}
SEM(vcmpeqfp) { return vmx_fcmp(s, i, [](float x, float y) { return x == y; }); }
SEM(vcmpgefp) { return vmx_fcmp(s, i, [](float x, float y) { return x >= y; }); }
SEM(vcmpgtfp) { return vmx_fcmp(s, i, [](float x, float y) { return x > y; }); }
// Bounds: bit 0 = not (a <= b), bit 1 = not (a >= -b); CR6[2] = all in bounds.
SEM(vcmpbfp) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  Vec r;
  bool all_in = true;
  for (unsigned k = 0; k < 4; ++k) {
    const float x = vfp::in(s, a.w[k]), y = vfp::in(s, b.w[k]);
    const u32 v = (x <= y ? 0 : 0x80000000u) | (x >= -y ? 0 : 0x40000000u);
    r.w[k] = v;
    all_in = all_in && v == 0;
  }
  vr(s, VRT(i)) = r;
  if (vmx::Rc_vc(i)) set_crf(s, 6, all_in ? 2 : 0);
  return Status::Next;
}

}  // namespace lpar::sem
