// vsx_fp: scalar and vector double/single-precision instructions
// (PowerISA 3.0B Book I 7.6).  The FPSCR work goes through fpu.h.
#pragma once
#include "cpu/sem/vsx_fp_util.h"

namespace lpar::sem {

inline constexpr u64 VF_DP_ONE = 0x3ff0000000000000ull;

// ---- Committing results.
// Scalar: fp_finish sets FR/FI/sticky bits; the target is written unless an
// enabled invalid/zero-divide exception forbids it.
template <typename W>
inline Status vf_commit(CpuState& s, u64 fl, W&& write) {
  bool upd = true;
  const bool trap = fp_finish(s, fl, &upd);
  if (upd) write();
  return trap ? raise_program(s, PROG_FP) : Status::Next;
}
// Vector: the sticky bits as for scalars, but FR and FI are left alone
// (Book I 7.3.2: vector instructions do not change FR, FI, FPRF) -- except
// that QEMU 7.2 clears them for the invalid operations other than VXSNAN/VXVC
// and for zero divide, as it does for scalars.
template <typename W>
inline Status vf_commit_vec(CpuState& s, u64 fl, W&& write) {
  constexpr u64 CLEARS = FPSCR_VXISI | FPSCR_VXIDI | FPSCR_VXZDZ | FPSCR_VXIMZ | FPSCR_VXSQRT | FPSCR_VXCVI |
                         FPSCR_ZX;
  const u64 keep = (fl & CLEARS) ? 0 : s.fpscr & (FPSCR_FR | FPSCR_FI);
  // One element's overflow hides another's underflow (QEMU records OX else UX).
  if (fl & FPSCR_OX) fl &= ~FPSCR_UX;
  bool upd = true;
  const bool trap = fp_finish(s, fl, &upd);
  s.fpscr = (s.fpscr & ~(FPSCR_FR | FPSCR_FI)) | keep;
  if (upd) write();
  return trap ? raise_program(s, PROG_FP) : Status::Next;
}

// Max/min and compares leave FR and FI as they were (QEMU 7.2 does not
// touch them for these); the other bits as vf_commit.
template <typename W>
inline Status vf_commit_keepfi(CpuState& s, u64 fl, W&& write) {
  return vf_commit_vec(s, fl, static_cast<W&&>(write));
}

// Round a double result to single (frsp).  QEMU 7.2 computes the ISA 2.07 scalar
// single-precision instructions as a double operation followed by this rounding.
inline FpRes vf_frsp(CpuState& s, FpRes r) {
  FpRes t = fp_arith(s, FpOp::Mul, r.v, VF_DP_ONE, 0, true);
  t.fl |= r.fl;
  return t;
}

// ---- Scalar arithmetic.
template <FpOp OP, bool SP>
inline Status vfs_arith(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const u64 a = vf_dw(s, XA(i), 0), b = vf_dw(s, XB(i), 0);
  FpRes r = OP == FpOp::Sqrt ? fp_arith(s, OP, 0, b, 0, false) : fp_arith(s, OP, a, b, 0, false);
  if (SP) r = vf_frsp(s, r);
  const unsigned xt = XT(i);
  return vf_commit(s, r.fl, [&] {
    vf_set_scalar(s, xt, r.v);
    set_fprf(s, fp_fprf64(r.v));
  });
}

// Book I 7.6: xsmadda (XT = XA*XB + XT) and xsmaddm (XT = XA*XT + XB) families.
template <bool AFORM, bool NEG_B, bool NEG_R, bool SP>
inline FpRes vf_fma(CpuState& s, u64 a, u64 xb, u64 xt) {
  const u64 add = AFORM ? xt : xb, mul = AFORM ? xb : xt;
  if (SP && fp_rn(s) == 0) return fp_arith(s, FpOp::Fma, a, add, mul, true, NEG_B, NEG_R);
  FpRes r = fp_arith(s, FpOp::Fma, a, add, mul, false, NEG_B, NEG_R);
  return SP ? vf_frsp(s, r) : r;
}
template <bool AFORM, bool NEG_B, bool NEG_R, bool SP>
inline Status vfs_fma(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const unsigned xt = XT(i);
  const FpRes r = vf_fma<AFORM, NEG_B, NEG_R, SP>(s, vf_dw(s, XA(i), 0), vf_dw(s, XB(i), 0), vf_dw(s, xt, 0));
  return vf_commit(s, r.fl, [&] {
    vf_set_scalar(s, xt, r.v);
    set_fprf(s, fp_fprf64(r.v));
  });
}

// Reciprocal (square root) estimates: QEMU computes them exactly and records
// no zero-divide exception (1/0 gives the infinity).
inline FpRes vf_re(CpuState& s, u64 b, bool sp) {
  FpRes r = fp_arith(s, FpOp::Div, VF_DP_ONE, b, 0, sp);
  r.fl &= ~FPSCR_ZX;
  return r;
}
inline FpRes vf_rsqrte(CpuState& s, u64 b, bool sp) {
  FpRes q = fp_arith(s, FpOp::Sqrt, 0, b, 0, sp);
  if (q.fl & FPSCR_VX_ALL) {
    if (sp) q.v = nan_to_single(q.v);
    return q;
  }
  FpRes r = fp_arith(s, FpOp::Div, VF_DP_ONE, q.v, 0, sp);
  r.fl = (r.fl | q.fl) & ~FPSCR_ZX;
  return r;
}
template <bool RSQRT, bool SP>
inline Status vfs_estimate(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const u64 b = vf_dw(s, XB(i), 0);
  FpRes r = RSQRT ? vf_rsqrte(s, b, false) : vf_re(s, b, false);
  if (SP) r = vf_frsp(s, r);
  const unsigned xt = XT(i);
  return vf_commit(s, r.fl, [&] {
    vf_set_scalar(s, xt, r.v);
    set_fprf(s, fp_fprf64(r.v));
  });
}

// ---- Vector arithmetic: each element as the scalar operation, SP elements
// widened exactly (DOUBLE) and rounded once to single.
template <typename F>
inline Status vfv_map_dp(CpuState& s, u32 i, F&& f) {
  REQUIRE_VSX();
  const unsigned xt = XT(i), xa = XA(i), xb = XB(i);
  u64 res[2], fl = 0;
  for (unsigned k = 0; k < 2; ++k) {
    const FpRes r = f(vf_dw(s, xa, k), vf_dw(s, xb, k), vf_dw(s, xt, k));
    res[k] = r.v;
    fl |= r.fl;
  }
  return vf_commit_vec(s, fl, [&] {
    vf_dw(s, xt, 0) = res[0];
    vf_dw(s, xt, 1) = res[1];
  });
}
template <typename F>
inline Status vfv_map_sp(CpuState& s, u32 i, F&& f) {
  REQUIRE_VSX();
  const unsigned xt = XT(i), xa = XA(i), xb = XB(i);
  u32 res[4];
  u64 fl = 0;
  for (unsigned k = 0; k < 4; ++k) {
    const FpRes r = f(vf_sp_to_dp(vf_w(s, xa, k)), vf_sp_to_dp(vf_w(s, xb, k)), vf_sp_to_dp(vf_w(s, xt, k)));
    res[k] = vf_dp_to_sp(r.v);
    fl |= r.fl;
  }
  return vf_commit_vec(s, fl, [&] {
    for (unsigned k = 0; k < 4; ++k) vf_w(s, xt, k) = res[k];
  });
}
template <FpOp OP, bool SP>
inline Status vfv_arith(CpuState& s, u32 i) {
  auto f = [&s](u64 a, u64 b, u64) {
    return OP == FpOp::Sqrt ? fp_arith(s, OP, 0, b, 0, SP) : fp_arith(s, OP, a, b, 0, SP);
  };
  return SP ? vfv_map_sp(s, i, f) : vfv_map_dp(s, i, f);
}
template <bool AFORM, bool NEG_B, bool NEG_R, bool SP>
inline Status vfv_fma(CpuState& s, u32 i) {
  auto f = [&s](u64 a, u64 b, u64 t) {
    const u64 add = AFORM ? t : b, mul = AFORM ? b : t;
    return fp_arith(s, FpOp::Fma, a, add, mul, SP, NEG_B, NEG_R);
  };
  return SP ? vfv_map_sp(s, i, f) : vfv_map_dp(s, i, f);
}
template <bool RSQRT, bool SP>
inline Status vfv_estimate(CpuState& s, u32 i) {
  auto f = [&s](u64, u64 b, u64) { return RSQRT ? vf_rsqrte(s, b, SP) : vf_re(s, b, SP); };
  return SP ? vfv_map_sp(s, i, f) : vfv_map_dp(s, i, f);
}

// ---- Maximum / minimum.
// xsmaxdp & co. (Book I 7.6): IEEE maxNum/minNum; a lone QNaN loses to a number.
inline FpRes vf_maxmin(u64 a, u64 b, bool max) {
  FpRes r{0, snan_bits(a) | snan_bits(b)};
  if (is_nan64(a) || is_nan64(b)) {
    if (!r.fl && !(is_nan64(a) && is_nan64(b))) {
      r.v = is_nan64(a) ? b : a;
    } else {
      r.v = quiet64(is_nan64(a) ? a : b);
    }
    return r;
  }
  if (is_zero64(a) && is_zero64(b)) {
    const bool neg = max ? (is_neg64(a) && is_neg64(b)) : (is_neg64(a) || is_neg64(b));
    r.v = neg ? (u64{1} << 63) : 0;
    return r;
  }
  const bool a_lt_b = u2d(a) < u2d(b);
  r.v = (a_lt_b != max) ? a : b;
  return r;
}
template <bool MAX>
inline Status vfs_maxmin(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const FpRes r = vf_maxmin(vf_dw(s, XA(i), 0), vf_dw(s, XB(i), 0), MAX);
  const unsigned xt = XT(i);
  return vf_commit_keepfi(s, r.fl, [&] { vf_set_scalar(s, xt, r.v); });
}
template <bool MAX, bool SP>
inline Status vfv_maxmin(CpuState& s, u32 i) {
  auto f = [](u64 a, u64 b, u64) { return vf_maxmin(a, b, MAX); };
  return SP ? vfv_map_sp(s, i, f) : vfv_map_dp(s, i, f);
}
// xsmaxcdp/xsmincdp (ISA 3.0): C-language semantics, XB when either is a NaN.
template <bool MAX>
inline Status vfs_maxminc(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const u64 a = vf_dw(s, XA(i), 0), b = vf_dw(s, XB(i), 0);
  FpRes r{b, snan_bits(a) | snan_bits(b)};
  if (!is_nan64(a) && !is_nan64(b)) {
    const bool lt = u2d(a) < u2d(b);
    r.v = (MAX ? !lt : lt) ? a : b;
  }
  const unsigned xt = XT(i);
  return vf_commit_keepfi(s, r.fl, [&] { vf_set_scalar(s, xt, r.v); });
}
// xsmaxjdp/xsminjdp (ISA 3.0): Java semantics, NaN of XA first, -0 < +0.
template <bool MAX>
inline Status vfs_maxminj(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const u64 a = vf_dw(s, XA(i), 0), b = vf_dw(s, XB(i), 0);
  FpRes r{0, 0};
  if (is_nan64(a)) {
    r = {a, snan_bits(a)};
  } else if (is_nan64(b)) {
    r = {b, snan_bits(b)};
  } else if (is_zero64(a) && is_zero64(b)) {
    const bool neg = MAX ? (is_neg64(a) && is_neg64(b)) : (is_neg64(a) || is_neg64(b));
    r.v = neg ? (u64{1} << 63) : 0;
  } else {
    const bool lt = u2d(a) < u2d(b);
    r.v = (MAX ? !lt : lt) ? a : b;
  }
  const unsigned xt = XT(i);
  return vf_commit_keepfi(s, r.fl, [&] { vf_set_scalar(s, xt, r.v); });
}

// ---- Sign manipulation (no exceptions, no FPSCR change).
enum class VfSignOp { Abs, Nabs, Neg, Cpsgn };
template <VfSignOp OP>
inline u64 sign_op64(u64 a, u64 b, unsigned width) {
  const u64 sm = u64{1} << (width - 1);
  switch (OP) {
    case VfSignOp::Abs: return b & ~sm;
    case VfSignOp::Nabs: return b | sm;
    case VfSignOp::Neg: return b ^ sm;
    default: return (a & sm) | (b & ~sm);
  }
}
template <VfSignOp OP>
inline Status vfs_sign(CpuState& s, u32 i) {
  REQUIRE_VSX();
  vf_set_scalar(s, XT(i), sign_op64<OP>(vf_dw(s, XA(i), 0), vf_dw(s, XB(i), 0), 64));
  return Status::Next;
}
template <VfSignOp OP, bool SP>
inline Status vfv_sign(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const Vec a = s.vsr[XA(i)], b = s.vsr[XB(i)];
  Vec& t = s.vsr[XT(i)];
  if (SP) {
    for (unsigned k = 0; k < 4; ++k)
      elem<u32>(t, k) = static_cast<u32>(sign_op64<OP>(elem<u32>(a, k), elem<u32>(b, k), 32));
  } else {
    for (unsigned k = 0; k < 2; ++k) elem<u64>(t, k) = sign_op64<OP>(elem<u64>(a, k), elem<u64>(b, k), 64);
  }
  return Status::Next;
}

// ---- Compares.
// xscmpudp/xscmpodp (Book I 7.6): CR field BF and FPCC.
template <bool ORDERED>
inline Status vfs_cmp(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const u64 a = vf_dw(s, XA(i), 0), b = vf_dw(s, XB(i), 0);
  unsigned cc;
  u64 fl = snan_bits(a) | snan_bits(b);
  if (is_nan64(a) || is_nan64(b)) {
    cc = CR_SO;
    // An SNaN raises VXVC only when VE=0 (Book I 7.6 xscmpodp).
    if (ORDERED && (!fl || !(s.fpscr & FPSCR_VE))) fl |= FPSCR_VXVC;
  } else {
    cc = u2d(a) < u2d(b) ? CR_LT : u2d(a) > u2d(b) ? CR_GT : CR_EQ;
  }
  s.fpscr = (s.fpscr & ~FPSCR_FPCC) | (u64{cc} << FPSCR_FPRF_SHIFT);
  set_crf(s, BF(i), cc);
  return vf_commit_keepfi(s, fl, [] {});
}
// xscmpeqdp/xscmpgtdp/xscmpgedp (ISA 3.0): all-ones mask in doubleword 0.
enum class VfCmpOp { Eq, Gt, Ge };
template <VfCmpOp OP>
inline bool vf_cmp(double a, double b) {
  return OP == VfCmpOp::Eq ? a == b : OP == VfCmpOp::Gt ? a > b : a >= b;
}
template <VfCmpOp OP>
inline Status vfs_cmpmask(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const u64 a = vf_dw(s, XA(i), 0), b = vf_dw(s, XB(i), 0);
  u64 fl = snan_bits(a) | snan_bits(b);
  if (OP != VfCmpOp::Eq && (is_nan64(a) || is_nan64(b)) && (!fl || !(s.fpscr & FPSCR_VE))) fl |= FPSCR_VXVC;
  const u64 r = vf_cmp<OP>(u2d(a), u2d(b)) ? ~u64{0} : 0;
  const unsigned xt = XT(i);
  return vf_commit_keepfi(s, fl, [&] { vf_set_scalar(s, xt, r); });
}
// xvcmpeqdp[.] & co.: masks per element; Rc=1 puts all-true/all-false in CR6.
template <VfCmpOp OP, bool SP>
inline Status vfv_cmp(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const unsigned n = SP ? 4 : 2;
  const Vec a = s.vsr[XA(i)], b = s.vsr[XB(i)];
  Vec t{};
  u64 fl = 0;
  bool all_true = true, all_false = true;
  for (unsigned k = 0; k < n; ++k) {
    const u64 ea = SP ? vf_sp_to_dp(elem<u32>(a, k)) : elem<u64>(a, k);
    const u64 eb = SP ? vf_sp_to_dp(elem<u32>(b, k)) : elem<u64>(b, k);
    bool r = false;
    if (is_nan64(ea) || is_nan64(eb)) {
      fl |= snan_bits(ea) | snan_bits(eb);
      if (OP != VfCmpOp::Eq) fl |= FPSCR_VXVC;
    } else {
      r = vf_cmp<OP>(u2d(ea), u2d(eb));
    }
    if (SP) elem<u32>(t, k) = r ? ~u32{0} : 0;
    else elem<u64>(t, k) = r ? ~u64{0} : 0;
    all_true &= r;
    all_false &= !r;
  }
  const unsigned xt = XT(i);
  if ((i >> 10) & 1) set_crf(s, 6,  // Rc is bit 21 in XX3 compares
  (all_true ? 8u : 0u) | (all_false ? 2u : 0u));
  return vf_commit_vec(s, fl, [&] { s.vsr[xt] = t; });
}

// ---- Test for software divide / square root (Book I 7.6 xstdivdp, xstsqrtdp).
struct VfFmt {
  int ebits, fbits, emin, emax;
};
inline constexpr VfFmt VF64{11, 52, -1022, 1023}, VF32{8, 23, -126, 127};
inline bool vf_zero_den(u64 a, const VfFmt& f) { return ((a >> f.fbits) & ((1u << f.ebits) - 1)) == 0; }
inline int vf_exp(u64 a, const VfFmt& f) {
  return static_cast<int>((a >> f.fbits) & ((1u << f.ebits) - 1)) - ((1 << (f.ebits - 1)) - 1);
}
inline void vf_tdiv_one(u64 a, u64 b, const VfFmt& f, bool& fe, bool& fg) {
  // Work on the values widened to double bits for classification; exponents on the native format.
  const u64 da = f.ebits == 8 ? vf_sp_to_dp(static_cast<u32>(a)) : a;
  const u64 db = f.ebits == 8 ? vf_sp_to_dp(static_cast<u32>(b)) : b;
  if (is_inf64(da) || is_inf64(db) || is_zero64(db)) {
    fe = fg = true;
    return;
  }
  const int ea = vf_exp(a, f), eb = vf_exp(b, f);
  if (is_nan64(da) || is_nan64(db)) fe = true;
  else if (eb <= f.emin || eb >= f.emax - 2) fe = true;
  else if (!is_zero64(da) && (ea - eb >= f.emax || ea - eb <= f.emin + 1 || ea <= f.emin + f.fbits)) fe = true;
  if (vf_zero_den(b, f)) fg = true;
}
inline void vf_tsqrt_one(u64 b, const VfFmt& f, bool& fe, bool& fg) {
  const u64 db = f.ebits == 8 ? vf_sp_to_dp(static_cast<u32>(b)) : b;
  if (is_inf64(db) || is_zero64(db)) {
    fe = fg = true;
    return;
  }
  if (is_nan64(db) || is_neg64(db) || vf_exp(b, f) <= f.emin + f.fbits) fe = true;
  if (vf_zero_den(b, f)) fg = true;
}
template <bool SQRT, bool VEC, bool SP>
inline Status vf_tdiv(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const unsigned n = VEC ? (SP ? 4 : 2) : 1;
  bool fe = false, fg = false;
  for (unsigned k = 0; k < n; ++k) {
    const u64 a = SP ? vf_w(s, XA(i), k) : vf_dw(s, XA(i), k);
    const u64 b = SP ? vf_w(s, XB(i), k) : vf_dw(s, XB(i), k);
    if (SQRT) vf_tsqrt_one(b, SP ? VF32 : VF64, fe, fg);
    else vf_tdiv_one(a, b, SP ? VF32 : VF64, fe, fg);
  }
  set_crf(s, BF(i), 8u | (fg ? 4u : 0u) | (fe ? 2u : 0u));
  return Status::Next;
}

// ---- Conversions.
// xscvdpsp: round to single; the single goes to words 0 and 1 (QEMU 7.2).
inline Status vf_cvdpsp(CpuState& s, u32 i, bool vec) {
  REQUIRE_VSX();
  const unsigned xt = XT(i), xb = XB(i);
  u32 res[2];
  u64 fl = 0;
  for (unsigned k = 0; k < (vec ? 2u : 1u); ++k) {
    const FpRes r = fp_arith(s, FpOp::Mul, vf_dw(s, xb, k), VF_DP_ONE, 0, true);
    res[k] = vf_dp_to_sp(r.v);
    fl |= r.fl;
  }
  if (!vec) {
    return vf_commit(s, fl, [&] {
      vf_set_scalar(s, xt, (u64{res[0]} << 32) | res[0]);
      set_fprf(s, fp_fprf32(res[0]));
    });
  }
  return vf_commit_vec(s, fl, [&] {
    vf_dw(s, xt, 0) = (u64{res[0]} << 32) | res[0];
    vf_dw(s, xt, 1) = (u64{res[1]} << 32) | res[1];
  });
}
// xscvspdp: widen word 0 (exact); an SNaN is quieted.
inline FpRes vf_cvt_sp_dp(u32 w) {
  const u64 d = vf_sp_to_dp(w);
  return is_snan64(d) ? FpRes{quiet64(d), FPSCR_VXSNAN} : FpRes{d, 0};
}

// Floating to integer, truncating (Book I 7.6 xscvdpsxds & co.).  QEMU 7.2
// accumulates the softfloat flags over the elements of one instruction: once
// an element was invalid, later elements give the "NaN" value unless some
// element overflowed the range (then the saturated/softfloat value stands).
// VfCvtAcc carries those flags; a scalar conversion starts a fresh one.
struct VfCvtAcc {
  bool invalid = false, range = false;
};
inline VfCvt vf_cvt_dp_int(u64 a, bool is_signed, unsigned width, VfCvtAcc& acc) {
  const u64 rnan = is_signed ? (width == 64 ? u64{1} << 63 : u64{1} << 31) : 0;
  VfCvt r;
  if (is_nan64(a)) {
    // softfloat's own result for a NaN is the largest value of the type.
    r = {is_signed ? (width == 64 ? ~u64{0} >> 1 : 0x7fffffffu) : (width == 64 ? ~u64{0} : 0xffffffffu),
         FPSCR_VXCVI | snan_bits(a)};
    acc.invalid = true;
  } else {
    if (is_inf64(a)) {
      r = vf_trunc_to_int(is_neg64(a), ~u128{0}, 0, is_signed, width);
    } else {
      bool neg;
      u128 m;
      int q;
      vf_unpack64(a, neg, m, q);
      r = vf_trunc_to_int(neg, m, q, is_signed, width);
    }
    if (r.fl & FPSCR_VXCVI) acc.invalid = acc.range = true;
  }
  if (acc.invalid && !acc.range) r.v = rnan;
  return r;
}
inline VfCvt vf_cvt_dp_int(u64 a, bool is_signed, unsigned width) {
  VfCvtAcc acc;
  return vf_cvt_dp_int(a, is_signed, width, acc);
}
// Integer to floating: rounded once per FPSCR[RN].
inline FpRes vf_cvt_int_fp(u64 v, bool is_signed, bool sp, unsigned rn) {
  const bool neg = is_signed && static_cast<s64>(v) < 0;
  const u128 m = neg ? u128{0 - v} : u128{v};
  FpRes r{0, 0};
  if (sp) r.v = vf_sp_to_dp(static_cast<u32>(vf_round_pack(neg, m, 0, 24, -126, 127, 8, rn, r.fl)));
  else r.v = vf_round_pack(neg, m, 0, 53, -1022, 1023, 11, rn, r.fl);
  return r;
}

// Round to integral (xsrdpi & co.); mode as vf_shr_round, 5 = FPSCR[RN].
inline FpRes vf_round_int64(u64 a, unsigned mode) {
  if (is_nan64(a)) return is_snan64(a) ? FpRes{quiet64(a), FPSCR_VXSNAN} : FpRes{a, 0};
  if (is_inf64(a) || is_zero64(a)) return {a, 0};
  bool neg;
  u128 m;
  int q;
  vf_unpack64(a, neg, m, q);
  if (q >= 0) return {a, 0};
  bool inexact;
  const u128 r = vf_shr_round(m, static_cast<unsigned>(std::min(-q, 200)), mode, neg, inexact);
  u64 fl = 0;
  const u64 v = vf_round_pack(neg, r, 0, 53, -1022, 1023, 11, 0, fl);
  return {v, inexact ? FPSCR_XX : 0};
}

// Half precision (ISA 3.0 xscvdphp & co.).
inline FpRes vf_cvt_dp_hp(u64 a, unsigned rn) {
  const bool neg = is_neg64(a);
  const u64 sign = u64{neg} << 15;
  if (is_nan64(a)) return {sign | 0x7e00 | ((a >> 42) & 0x3ff), snan_bits(a)};
  if (is_inf64(a)) return {sign | 0x7c00, 0};
  u128 m;
  int q;
  bool ng;
  vf_unpack64(a, ng, m, q);
  FpRes r{0, 0};
  r.v = vf_round_pack(neg, m, q, 11, -14, 15, 5, rn, r.fl);
  return r;
}
inline FpRes vf_cvt_hp_dp(u16 h) {
  const u64 sign = u64{static_cast<u64>(h >> 15)} << 63;
  const unsigned e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e == 0x1f) {
    if (!f) return {sign | 0x7ff0000000000000ull, 0};
    const u64 v = sign | 0x7ff0000000000000ull | (u64{f} << 42);
    return (f & 0x200) ? FpRes{v, 0} : FpRes{quiet64(v), FPSCR_VXSNAN};
  }
  u64 fl = 0;
  if (e == 0) return {vf_round_pack(h >> 15, f, -24, 53, -1022, 1023, 11, 0, fl), 0};
  return {sign | (u64{e - 15 + 1023} << 52) | (u64{f} << 42), 0};
}

// FPRF class of a half-precision result.
inline unsigned vf_fprf_hp(u16 h) {
  const bool neg = h >> 15;
  const unsigned e = (h >> 10) & 0x1f, f = h & 0x3ff;
  if (e == 0x1f) return f ? FPRF_QNAN : (neg ? FPRF_NINF : FPRF_PINF);
  if (e == 0) return f ? (neg ? FPRF_NDEN : FPRF_PDEN) : (neg ? FPRF_NZERO : FPRF_PZERO);
  return neg ? FPRF_NNORM : FPRF_PNORM;
}

// Data class (Book I 7.6 xststdcdp): DCMX bits 0..6 = NaN, +Inf, -Inf, +0, -0, +Den, -Den.
inline bool vf_dclass(unsigned dcmx, bool nan, bool inf, bool zero, bool den, bool neg) {
  if (nan) return dcmx & 0x40;
  if (inf) return dcmx & (neg ? 0x10 : 0x20);
  if (zero) return dcmx & (neg ? 0x04 : 0x08);
  if (den) return dcmx & (neg ? 0x01 : 0x02);
  return false;
}
inline bool vf_dclass64(u64 a, unsigned dcmx) {
  return vf_dclass(dcmx, is_nan64(a), is_inf64(a), is_zero64(a), ((a >> 52) & 0x7ff) == 0, is_neg64(a));
}

}  // namespace lpar::sem
