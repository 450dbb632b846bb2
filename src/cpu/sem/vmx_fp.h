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

namespace vfp {
// log2 estimate, bit by bit: the integer part is the exponent; each squaring
// of the significand yields the next fraction bit.  This is the algorithm
// QEMU uses, so results match it exactly.
inline u32 log2_estimate(const CpuState& s, u32 x) {
  if (nj(s) && is_denorm(x)) x &= 0x80000000u;
  int e = (x >> 23) & 0xff;
  u32 m = x & 0x7fffff;
  if (e == 0) {
    if (m == 0) return 0xff800000u;  // log2(+-0) = -inf
    while (!(m & 0x800000)) { m <<= 1; --e; }
    ++e;
    m &= 0x7fffff;
  }
  if (x >> 31) return DEFAULT_NAN;
  if (e == 0xff) return m ? quiet(x) : x;
  const s32 ie = e - 127;
  u32 sig = m | 0x800000;
  u32 z = static_cast<u32>(ie) << 23;
  for (u32 bit = 1u << 22; bit; bit >>= 1) {
    sig = static_cast<u32>((u64{sig} * sig) >> 23);
    if (sig & 0x1000000) {
      sig >>= 1;
      z |= bit;
    }
  }
  // z is log2(x) in two's complement fixed point with 23 fraction bits.
  return out(s, static_cast<float>(static_cast<double>(static_cast<s32>(z)) / 8388608.0));
}
}  // namespace vfp

SEM(vlogefp) {
  return vmx_fp3(s, i, [&](u32, u32 y, u32) { return vfp::log2_estimate(s, y); });
}
SEM(vexptefp) {
  return vmx_fp3(s, i, [&](u32, u32 y, u32) {
    if (vfp::is_nan(y)) return vfp::quiet(y);
    return vfp::out(s, static_cast<float>(std::exp2(static_cast<double>(vfp::in(s, y)))));
  });
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
