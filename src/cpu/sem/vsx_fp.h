// vsx_fp: VSX floating point (PowerISA 3.0B Book I chapter 7).
// The helpers live in vsx_fp_util.h (fields, formats, integer rounding),
// vsx_fp_dp.h (double/single precision) and vsx_fp_qp.h (quad precision);
// FPSCR handling is the shared core in fpu.h.
#pragma once
#include "cpu/sem/common.h"
#include "cpu/sem/fpu.h"
#include "cpu/sem/vsx_fp_qp.h"

namespace lpar::sem {

// ---- Scalar double precision (Book I 7.6).
SEM(xsadddp) { return xs_arith<FpOp::Add, false>(s, i); }
SEM(xssubdp) { return xs_arith<FpOp::Sub, false>(s, i); }
SEM(xsmuldp) { return xs_arith<FpOp::Mul, false>(s, i); }
SEM(xsdivdp) { return xs_arith<FpOp::Div, false>(s, i); }
SEM(xssqrtdp) { return xs_arith<FpOp::Sqrt, false>(s, i); }
SEM(xsredp) { return xs_estimate<false, false>(s, i); }
SEM(xsrsqrtedp) { return xs_estimate<true, false>(s, i); }
SEM(xsmaddadp) { return xs_fma<true, false, false, false>(s, i); }
SEM(xsmaddmdp) { return xs_fma<false, false, false, false>(s, i); }
SEM(xsmsubadp) { return xs_fma<true, true, false, false>(s, i); }
SEM(xsmsubmdp) { return xs_fma<false, true, false, false>(s, i); }
SEM(xsnmaddadp) { return xs_fma<true, false, true, false>(s, i); }
SEM(xsnmaddmdp) { return xs_fma<false, false, true, false>(s, i); }
SEM(xsnmsubadp) { return xs_fma<true, true, true, false>(s, i); }
SEM(xsnmsubmdp) { return xs_fma<false, true, true, false>(s, i); }
SEM(xsmaxdp) { return xs_maxmin<true>(s, i); }
SEM(xsmindp) { return xs_maxmin<false>(s, i); }
SEM(xscpsgndp) { return xs_sign<SignOp::Cpsgn>(s, i); }
SEM(xsabsdp) { return xs_sign<SignOp::Abs>(s, i); }
SEM(xsnabsdp) { return xs_sign<SignOp::Nabs>(s, i); }
SEM(xsnegdp) { return xs_sign<SignOp::Neg>(s, i); }
SEM(xscmpodp) { return xs_cmp<true>(s, i); }
SEM(xscmpudp) { return xs_cmp<false>(s, i); }
SEM(xstdivdp) { return x_tdiv<false, false, false>(s, i); }
SEM(xstsqrtdp) { return x_tdiv<true, false, false>(s, i); }

// Round to integral: xsrdpic uses FPSCR[RN] and records inexact; the others
// never set XX (Book I 7.6 xsrdpi).
inline Status xs_rdpi(CpuState& s, u32 i, unsigned mode, bool cur) {
  REQUIRE_VSX();
  FpRes r = round_int64(vdw(s, XB(i), 0), cur ? fp_rn(s) : mode);
  if (!cur) r.fl &= ~FPSCR_XX;
  const unsigned xt = XT(i);
  return vsx_commit(s, r.fl, [&] {
    set_scalar(s, xt, r.v);
    set_fprf(s, fp_fprf64(r.v));
  });
}
SEM(xsrdpi) { return xs_rdpi(s, i, 4, false); }
SEM(xsrdpic) { return xs_rdpi(s, i, 0, true); }
SEM(xsrdpim) { return xs_rdpi(s, i, 3, false); }
SEM(xsrdpip) { return xs_rdpi(s, i, 2, false); }
SEM(xsrdpiz) { return xs_rdpi(s, i, 1, false); }

SEM(xscvdpsp) { return xscvdpsp_impl(s, i, false); }
// xscvdpspn: no rounding, no exceptions: the SINGLE format conversion.
SEM(xscvdpspn) {
  REQUIRE_VSX();
  const u32 w = dp_to_sp_bits(vdw(s, XB(i), 0));
  set_scalar(s, XT(i), (u64{w} << 32) | w);
  return Status::Next;
}
SEM(xscvspdp) {
  REQUIRE_VSX();
  const FpRes r = cvt_sp_dp(vw(s, XB(i), 0));
  const unsigned xt = XT(i);
  return vsx_commit(s, r.fl, [&] {
    set_scalar(s, xt, r.v);
    set_fprf(s, fp_fprf64(r.v));
  });
}
SEM(xscvspdpn) {
  REQUIRE_VSX();
  set_scalar(s, XT(i), sp_to_dp_bits(vw(s, XB(i), 0)));
  return Status::Next;
}

// Floating to integer (truncating); word results are replicated in word 0 and 1.
inline Status xs_cvt_int(CpuState& s, u32 i, bool is_signed, unsigned width) {
  REQUIRE_VSX();
  const CvtRes r = cvt_dp_int(vdw(s, XB(i), 0), is_signed, width);
  const u64 v = width == 64 ? r.v : (r.v << 32) | (r.v & 0xffffffff);
  const unsigned xt = XT(i);
  return vsx_commit(s, r.fl, [&] { set_scalar(s, xt, v); });
}
SEM(xscvdpsxds) { return xs_cvt_int(s, i, true, 64); }
SEM(xscvdpsxws) { return xs_cvt_int(s, i, true, 32); }
SEM(xscvdpuxds) { return xs_cvt_int(s, i, false, 64); }
SEM(xscvdpuxws) { return xs_cvt_int(s, i, false, 32); }

// Integer to floating: the SP forms round to double, then to single (QEMU 7.2).
inline Status xs_cvt_fp(CpuState& s, u32 i, bool is_signed, bool sp) {
  REQUIRE_VSX();
  FpRes r = cvt_int_fp(vdw(s, XB(i), 0), is_signed, false, fp_rn(s));
  if (sp) r = vsx_frsp(s, r);
  const unsigned xt = XT(i);
  return vsx_commit(s, r.fl, [&] {
    set_scalar(s, xt, r.v);
    set_fprf(s, fp_fprf64(r.v));
  });
}
SEM(xscvsxddp) { return xs_cvt_fp(s, i, true, false); }
SEM(xscvuxddp) { return xs_cvt_fp(s, i, false, false); }
SEM(xscvsxdsp) { return xs_cvt_fp(s, i, true, true); }
SEM(xscvuxdsp) { return xs_cvt_fp(s, i, false, true); }

// ---- Scalar single precision (ISA 2.07).
SEM(xsaddsp) { return xs_arith<FpOp::Add, true>(s, i); }
SEM(xssubsp) { return xs_arith<FpOp::Sub, true>(s, i); }
SEM(xsmulsp) { return xs_arith<FpOp::Mul, true>(s, i); }
SEM(xsdivsp) { return xs_arith<FpOp::Div, true>(s, i); }
SEM(xssqrtsp) { return xs_arith<FpOp::Sqrt, true>(s, i); }
SEM(xsresp) { return xs_estimate<false, true>(s, i); }
SEM(xsrsqrtesp) { return xs_estimate<true, true>(s, i); }
SEM(xsmaddasp) { return xs_fma<true, false, false, true>(s, i); }
SEM(xsmaddmsp) { return xs_fma<false, false, false, true>(s, i); }
SEM(xsmsubasp) { return xs_fma<true, true, false, true>(s, i); }
SEM(xsmsubmsp) { return xs_fma<false, true, false, true>(s, i); }
SEM(xsnmaddasp) { return xs_fma<true, false, true, true>(s, i); }
SEM(xsnmaddmsp) { return xs_fma<false, false, true, true>(s, i); }
SEM(xsnmsubasp) { return xs_fma<true, true, true, true>(s, i); }
SEM(xsnmsubmsp) { return xs_fma<false, true, true, true>(s, i); }
SEM(xsrsp) {
  REQUIRE_VSX();
  const u64 b = vdw(s, XB(i), 0);
  FpRes r = vsx_frsp(s, FpRes{b, 0});
  const unsigned xt = XT(i);
  return vsx_commit(s, r.fl, [&] {
    set_scalar(s, xt, r.v);
    set_fprf(s, fp_fprf64(r.v));
  });
}

// ---- ISA 3.0 scalar additions.
SEM(xsmaxcdp) { return xs_maxminc<true>(s, i); }
SEM(xsmincdp) { return xs_maxminc<false>(s, i); }
SEM(xsmaxjdp) { return xs_maxminj<true>(s, i); }
SEM(xsminjdp) { return xs_maxminj<false>(s, i); }
SEM(xscmpeqdp) { return xs_cmpmask<CmpOp::Eq>(s, i); }
SEM(xscmpgtdp) { return xs_cmpmask<CmpOp::Gt>(s, i); }
SEM(xscmpgedp) { return xs_cmpmask<CmpOp::Ge>(s, i); }
// xscmpexpdp: compare the biased exponents; NaNs are unordered.
SEM(xscmpexpdp) {
  REQUIRE_VSX();
  const u64 a = vdw(s, XA(i), 0), b = vdw(s, XB(i), 0);
  const u64 ea = (a >> 52) & 0x7ff, eb = (b >> 52) & 0x7ff;
  const unsigned cc = (is_nan64(a) || is_nan64(b)) ? CR_SO : ea < eb ? CR_LT : ea > eb ? CR_GT : CR_EQ;
  s.fpscr = (s.fpscr & ~FPSCR_FPCC) | (u64{cc} << FPSCR_FPRF_SHIFT);
  set_crf(s, BF(i), cc);
  return Status::Next;
}
// xststdcdp/sp: CR field BF = sign || 0 || match || (sp: not representable in single).
inline Status xs_tstdc(CpuState& s, unsigned bf, unsigned cc) {
  s.fpscr = (s.fpscr & ~FPSCR_FPCC) | (u64{cc} << FPSCR_FPRF_SHIFT);
  set_crf(s, bf, cc);
  return Status::Next;
}
SEM(xststdcdp) {
  REQUIRE_VSX();
  const u64 b = vdw(s, XB(i), 0);
  return xs_tstdc(s, BF(i), (is_neg64(b) ? CR_LT : 0) | (dclass64(b, DCMX7(i)) ? CR_EQ : 0));
}
SEM(xststdcsp) {
  REQUIRE_VSX();
  const u64 b = vdw(s, XB(i), 0);
  const u64 exp = (b >> 52) & 0x7ff;
  // A double below the single normal range counts as a single denormal.
  const bool den = !is_zero64(b) && exp < 0x381;
  const unsigned dcmx = DCMX7(i);
  const bool match = dclass_match(dcmx, is_nan64(b), is_inf64(b), is_zero64(b), den, is_neg64(b));
  bool not_sp = is_nan64(b);
  if (!not_sp && !is_inf64(b) && !is_zero64(b)) {
    bool neg;
    u128 m;
    int q;
    unpack64(b, neg, m, q);
    u64 fl = 0;
    round_pack(neg, m, q, 24, -126, 127, 8, 0, fl);
    not_sp = fl != 0;
  }
  return xs_tstdc(s, BF(i), (is_neg64(b) ? CR_LT : 0) | (match ? CR_EQ : 0) | (not_sp ? CR_SO : 0));
}
// xsiexpdp: sign and fraction from RA, exponent from RB[53:63].
SEM(xsiexpdp) {
  REQUIRE_VSX();
  const u64 a = s.gpr[RA(i)], b = s.gpr[RB(i)];
  set_scalar(s, XT(i), (a & 0x800fffffffffffffull) | ((b & 0x7ff) << 52));
  return Status::Next;
}
SEM(xsxexpdp) {
  REQUIRE_VSX();
  s.gpr[RT(i)] = (vdw(s, XB(i), 0) >> 52) & 0x7ff;
  return Status::Next;
}
inline u64 sig64(u64 a) {
  const u64 e = (a >> 52) & 0x7ff;
  return (a & 0xfffffffffffffull) | ((e != 0 && e != 0x7ff) ? (u64{1} << 52) : 0);
}
inline u32 sig32(u32 a) {
  const u32 e = (a >> 23) & 0xff;
  return (a & 0x7fffff) | ((e != 0 && e != 0xff) ? (1u << 23) : 0);
}
SEM(xsxsigdp) {
  REQUIRE_VSX();
  s.gpr[RT(i)] = sig64(vdw(s, XB(i), 0));
  return Status::Next;
}

// Half precision conversions (ISA 3.0).
SEM(xscvdphp) {
  REQUIRE_VSX();
  const FpRes r = cvt_dp_hp(vdw(s, XB(i), 0), fp_rn(s));
  const unsigned xt = XT(i);
  return vsx_commit(s, r.fl, [&] {
    set_scalar(s, xt, r.v & 0xffff);
    set_fprf(s, fp_fprf64(cvt_hp_dp(static_cast<u16>(r.v)).v));
  });
}
SEM(xscvhpdp) {
  REQUIRE_VSX();
  const FpRes r = cvt_hp_dp(static_cast<u16>(vdw(s, XB(i), 0)));
  const unsigned xt = XT(i);
  return vsx_commit(s, r.fl, [&] {
    set_scalar(s, xt, r.v);
    set_fprf(s, fp_fprf64(r.v));
  });
}
SEM(xvcvsphp) {
  REQUIRE_VSX();
  const unsigned xt = XT(i), xb = XB(i);
  u32 res[4];
  u64 fl = 0;
  for (unsigned k = 0; k < 4; ++k) {
    const FpRes r = cvt_dp_hp(sp_to_dp_bits(vw(s, xb, k)), fp_rn(s));
    res[k] = static_cast<u32>(r.v & 0xffff);
    fl |= r.fl;
  }
  return vsx_commit_vec(s, fl, [&] {
    for (unsigned k = 0; k < 4; ++k) vw(s, xt, k) = res[k];
  });
}
SEM(xvcvhpsp) {
  REQUIRE_VSX();
  const unsigned xt = XT(i), xb = XB(i);
  u32 res[4];
  u64 fl = 0;
  for (unsigned k = 0; k < 4; ++k) {
    const FpRes r = cvt_hp_dp(static_cast<u16>(vw(s, xb, k)));
    res[k] = dp_to_sp_bits(r.v);
    fl |= r.fl;
  }
  return vsx_commit_vec(s, fl, [&] {
    for (unsigned k = 0; k < 4; ++k) vw(s, xt, k) = res[k];
  });
}

// Vector exponent/significand extraction and insertion (ISA 3.0).
SEM(xvxexpdp) {
  REQUIRE_VSX();
  const Vec b = s.vsr[XB(i)];
  Vec& t = s.vsr[XT(i)];
  for (unsigned k = 0; k < 2; ++k) elem<u64>(t, k) = (elem<u64>(b, k) >> 52) & 0x7ff;
  return Status::Next;
}
SEM(xvxexpsp) {
  REQUIRE_VSX();
  const Vec b = s.vsr[XB(i)];
  Vec& t = s.vsr[XT(i)];
  for (unsigned k = 0; k < 4; ++k) elem<u32>(t, k) = (elem<u32>(b, k) >> 23) & 0xff;
  return Status::Next;
}
SEM(xvxsigdp) {
  REQUIRE_VSX();
  const Vec b = s.vsr[XB(i)];
  Vec& t = s.vsr[XT(i)];
  for (unsigned k = 0; k < 2; ++k) elem<u64>(t, k) = sig64(elem<u64>(b, k));
  return Status::Next;
}
SEM(xvxsigsp) {
  REQUIRE_VSX();
  const Vec b = s.vsr[XB(i)];
  Vec& t = s.vsr[XT(i)];
  for (unsigned k = 0; k < 4; ++k) elem<u32>(t, k) = sig32(elem<u32>(b, k));
  return Status::Next;
}
SEM(xviexpdp) {
  REQUIRE_VSX();
  const Vec a = s.vsr[XA(i)], b = s.vsr[XB(i)];
  Vec& t = s.vsr[XT(i)];
  for (unsigned k = 0; k < 2; ++k)
    elem<u64>(t, k) = (elem<u64>(a, k) & 0x800fffffffffffffull) | ((elem<u64>(b, k) & 0x7ff) << 52);
  return Status::Next;
}
SEM(xviexpsp) {
  REQUIRE_VSX();
  const Vec a = s.vsr[XA(i)], b = s.vsr[XB(i)];
  Vec& t = s.vsr[XT(i)];
  for (unsigned k = 0; k < 4; ++k) elem<u32>(t, k) = (elem<u32>(a, k) & 0x807fffffu) | ((elem<u32>(b, k) & 0xff) << 23);
  return Status::Next;
}
SEM(xvtstdcdp) {
  REQUIRE_VSX();
  const Vec b = s.vsr[XB(i)];
  Vec& t = s.vsr[XT(i)];
  const unsigned dcmx = DCMX_XV(i);
  for (unsigned k = 0; k < 2; ++k) elem<u64>(t, k) = dclass64(elem<u64>(b, k), dcmx) ? ~u64{0} : 0;
  return Status::Next;
}
SEM(xvtstdcsp) {
  REQUIRE_VSX();
  const Vec b = s.vsr[XB(i)];
  Vec& t = s.vsr[XT(i)];
  const unsigned dcmx = DCMX_XV(i);
  for (unsigned k = 0; k < 4; ++k) {
    const u32 w = elem<u32>(b, k);
    const bool match = dclass_match(dcmx, is_nan32(w), (w & 0x7fffffff) == 0x7f800000, (w & 0x7fffffff) == 0,
                                    (w & 0x7f800000) == 0, w >> 31);
    elem<u32>(t, k) = match ? ~u32{0} : 0;
  }
  return Status::Next;
}

// ---- Vector double/single precision arithmetic.
SEM(xvadddp) { return xv_arith<FpOp::Add, false>(s, i); }
SEM(xvaddsp) { return xv_arith<FpOp::Add, true>(s, i); }
SEM(xvsubdp) { return xv_arith<FpOp::Sub, false>(s, i); }
SEM(xvsubsp) { return xv_arith<FpOp::Sub, true>(s, i); }
SEM(xvmuldp) { return xv_arith<FpOp::Mul, false>(s, i); }
SEM(xvmulsp) { return xv_arith<FpOp::Mul, true>(s, i); }
SEM(xvdivdp) { return xv_arith<FpOp::Div, false>(s, i); }
SEM(xvdivsp) { return xv_arith<FpOp::Div, true>(s, i); }
SEM(xvsqrtdp) { return xv_arith<FpOp::Sqrt, false>(s, i); }
SEM(xvsqrtsp) { return xv_arith<FpOp::Sqrt, true>(s, i); }
SEM(xvredp) { return xv_estimate<false, false>(s, i); }
SEM(xvresp) { return xv_estimate<false, true>(s, i); }
SEM(xvrsqrtedp) { return xv_estimate<true, false>(s, i); }
SEM(xvrsqrtesp) { return xv_estimate<true, true>(s, i); }
SEM(xvtdivdp) { return x_tdiv<false, true, false>(s, i); }
SEM(xvtdivsp) { return x_tdiv<false, true, true>(s, i); }
SEM(xvtsqrtdp) { return x_tdiv<true, true, false>(s, i); }
SEM(xvtsqrtsp) { return x_tdiv<true, true, true>(s, i); }
SEM(xvmaddadp) { return xv_fma<true, false, false, false>(s, i); }
SEM(xvmaddmdp) { return xv_fma<false, false, false, false>(s, i); }
SEM(xvmaddasp) { return xv_fma<true, false, false, true>(s, i); }
SEM(xvmaddmsp) { return xv_fma<false, false, false, true>(s, i); }
SEM(xvmsubadp) { return xv_fma<true, true, false, false>(s, i); }
SEM(xvmsubmdp) { return xv_fma<false, true, false, false>(s, i); }
SEM(xvmsubasp) { return xv_fma<true, true, false, true>(s, i); }
SEM(xvmsubmsp) { return xv_fma<false, true, false, true>(s, i); }
SEM(xvnmaddadp) { return xv_fma<true, false, true, false>(s, i); }
SEM(xvnmaddmdp) { return xv_fma<false, false, true, false>(s, i); }
SEM(xvnmaddasp) { return xv_fma<true, false, true, true>(s, i); }
SEM(xvnmaddmsp) { return xv_fma<false, false, true, true>(s, i); }
SEM(xvnmsubadp) { return xv_fma<true, true, true, false>(s, i); }
SEM(xvnmsubmdp) { return xv_fma<false, true, true, false>(s, i); }
SEM(xvnmsubasp) { return xv_fma<true, true, true, true>(s, i); }
SEM(xvnmsubmsp) { return xv_fma<false, true, true, true>(s, i); }
SEM(xvmaxdp) { return xv_maxmin<true, false>(s, i); }
SEM(xvmaxsp) { return xv_maxmin<true, true>(s, i); }
SEM(xvmindp) { return xv_maxmin<false, false>(s, i); }
SEM(xvminsp) { return xv_maxmin<false, true>(s, i); }
SEM(xvcpsgndp) { return xv_sign<SignOp::Cpsgn, false>(s, i); }
SEM(xvcpsgnsp) { return xv_sign<SignOp::Cpsgn, true>(s, i); }
SEM(xvabsdp) { return xv_sign<SignOp::Abs, false>(s, i); }
SEM(xvabssp) { return xv_sign<SignOp::Abs, true>(s, i); }
SEM(xvnabsdp) { return xv_sign<SignOp::Nabs, false>(s, i); }
SEM(xvnabssp) { return xv_sign<SignOp::Nabs, true>(s, i); }
SEM(xvnegdp) { return xv_sign<SignOp::Neg, false>(s, i); }
SEM(xvnegsp) { return xv_sign<SignOp::Neg, true>(s, i); }
SEM(xvcmpeqdp) { return xv_cmp<CmpOp::Eq, false>(s, i); }
SEM(xvcmpeqsp) { return xv_cmp<CmpOp::Eq, true>(s, i); }
SEM(xvcmpgedp) { return xv_cmp<CmpOp::Ge, false>(s, i); }
SEM(xvcmpgesp) { return xv_cmp<CmpOp::Ge, true>(s, i); }
SEM(xvcmpgtdp) { return xv_cmp<CmpOp::Gt, false>(s, i); }
SEM(xvcmpgtsp) { return xv_cmp<CmpOp::Gt, true>(s, i); }

// Vector round to integral (xvrdpi & co.): only the 'c' forms record inexact.
template <bool SP>
inline Status xv_rpi(CpuState& s, u32 i, unsigned mode, bool cur) {
  const unsigned m = cur ? fp_rn(s) : mode;
  auto f = [m, cur](u64, u64 b, u64) {
    FpRes r = round_int64(b, m);
    if (!cur) r.fl &= ~FPSCR_XX;
    return r;
  };
  return SP ? xv_map_sp(s, i, f) : xv_map_dp(s, i, f);
}
SEM(xvrdpi) { return xv_rpi<false>(s, i, 4, false); }
SEM(xvrdpic) { return xv_rpi<false>(s, i, 0, true); }
SEM(xvrdpim) { return xv_rpi<false>(s, i, 3, false); }
SEM(xvrdpip) { return xv_rpi<false>(s, i, 2, false); }
SEM(xvrdpiz) { return xv_rpi<false>(s, i, 1, false); }
SEM(xvrspi) { return xv_rpi<true>(s, i, 4, false); }
SEM(xvrspic) { return xv_rpi<true>(s, i, 0, true); }
SEM(xvrspim) { return xv_rpi<true>(s, i, 3, false); }
SEM(xvrspip) { return xv_rpi<true>(s, i, 2, false); }
SEM(xvrspiz) { return xv_rpi<true>(s, i, 1, false); }

// ---- Vector conversions.
SEM(xvcvdpsp) { return xscvdpsp_impl(s, i, true); }
SEM(xvcvspdp) {
  REQUIRE_VSX();
  const unsigned xt = XT(i), xb = XB(i);
  FpRes r[2];
  for (unsigned k = 0; k < 2; ++k) r[k] = cvt_sp_dp(vw(s, xb, 2 * k));
  return vsx_commit_vec(s, r[0].fl | r[1].fl, [&] {
    vdw(s, xt, 0) = r[0].v;
    vdw(s, xt, 1) = r[1].v;
  });
}
// DP source to integer: doublewords, or words replicated into both halves of each doubleword.
inline Status xv_cvt_dp_int(CpuState& s, u32 i, bool is_signed, unsigned width) {
  REQUIRE_VSX();
  const unsigned xt = XT(i), xb = XB(i);
  u64 res[2], fl = 0;
  for (unsigned k = 0; k < 2; ++k) {
    const CvtRes r = cvt_dp_int(vdw(s, xb, k), is_signed, width);
    res[k] = width == 64 ? r.v : (r.v << 32) | (r.v & 0xffffffff);
    fl |= r.fl;
  }
  return vsx_commit_vec(s, fl, [&] {
    vdw(s, xt, 0) = res[0];
    vdw(s, xt, 1) = res[1];
  });
}
SEM(xvcvdpsxds) { return xv_cvt_dp_int(s, i, true, 64); }
SEM(xvcvdpsxws) { return xv_cvt_dp_int(s, i, true, 32); }
SEM(xvcvdpuxds) { return xv_cvt_dp_int(s, i, false, 64); }
SEM(xvcvdpuxws) { return xv_cvt_dp_int(s, i, false, 32); }
// SP source to doubleword integers (words 0 and 2) or to words.
inline Status xv_cvt_sp_int(CpuState& s, u32 i, bool is_signed, unsigned width) {
  REQUIRE_VSX();
  const unsigned xt = XT(i), xb = XB(i);
  u64 fl = 0;
  Vec t{};
  if (width == 64) {
    for (unsigned k = 0; k < 2; ++k) {
      const CvtRes r = cvt_dp_int(sp_to_dp_bits(vw(s, xb, 2 * k)), is_signed, 64);
      elem<u64>(t, k) = r.v;
      fl |= r.fl;
    }
  } else {
    for (unsigned k = 0; k < 4; ++k) {
      const CvtRes r = cvt_dp_int(sp_to_dp_bits(vw(s, xb, k)), is_signed, 32);
      elem<u32>(t, k) = static_cast<u32>(r.v);
      fl |= r.fl;
    }
  }
  return vsx_commit_vec(s, fl, [&] { s.vsr[xt] = t; });
}
SEM(xvcvspsxds) { return xv_cvt_sp_int(s, i, true, 64); }
SEM(xvcvspsxws) { return xv_cvt_sp_int(s, i, true, 32); }
SEM(xvcvspuxds) { return xv_cvt_sp_int(s, i, false, 64); }
SEM(xvcvspuxws) { return xv_cvt_sp_int(s, i, false, 32); }
// Integer to floating, per element; SP results of doubleword sources are
// replicated in both words of the doubleword.
enum class IntSrc { DW, WordEven, Word };
template <IntSrc SRC, bool SIGNED, bool SP>
inline Status xv_cvt_int_fp(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const unsigned xt = XT(i), xb = XB(i), rn = fp_rn(s);
  Vec t{};
  u64 fl = 0;
  const unsigned n = SRC == IntSrc::Word ? 4 : 2;
  for (unsigned k = 0; k < n; ++k) {
    u64 v = SRC == IntSrc::DW ? vdw(s, xb, k) : vw(s, xb, SRC == IntSrc::WordEven ? 2 * k : k);
    if (SRC != IntSrc::DW && SIGNED) v = static_cast<u64>(static_cast<s64>(static_cast<s32>(v)));
    const FpRes r = cvt_int_fp(v, SIGNED, SP, rn);
    fl |= r.fl;
    if (!SP) {
      elem<u64>(t, k) = r.v;
    } else if (SRC == IntSrc::Word) {
      elem<u32>(t, k) = dp_to_sp_bits(r.v);
    } else {
      const u32 w = dp_to_sp_bits(r.v);
      elem<u64>(t, k) = (u64{w} << 32) | w;
    }
  }
  return vsx_commit_vec(s, fl, [&] { s.vsr[xt] = t; });
}
SEM(xvcvsxddp) { return xv_cvt_int_fp<IntSrc::DW, true, false>(s, i); }
SEM(xvcvsxdsp) { return xv_cvt_int_fp<IntSrc::DW, true, true>(s, i); }
SEM(xvcvsxwdp) { return xv_cvt_int_fp<IntSrc::WordEven, true, false>(s, i); }
SEM(xvcvsxwsp) { return xv_cvt_int_fp<IntSrc::Word, true, true>(s, i); }
SEM(xvcvuxddp) { return xv_cvt_int_fp<IntSrc::DW, false, false>(s, i); }
SEM(xvcvuxdsp) { return xv_cvt_int_fp<IntSrc::DW, false, true>(s, i); }
SEM(xvcvuxwdp) { return xv_cvt_int_fp<IntSrc::WordEven, false, false>(s, i); }
SEM(xvcvuxwsp) { return xv_cvt_int_fp<IntSrc::Word, false, true>(s, i); }

// ---- Scalar quad precision (ISA 3.0); RO=1 ("o" forms) rounds to odd.
SEM(xsaddqp) { return xs_qarith<QOp::Add>(s, i, false); }
SEM(xsaddqpo) { return xs_qarith<QOp::Add>(s, i, true); }
SEM(xssubqp) { return xs_qarith<QOp::Sub>(s, i, false); }
SEM(xssubqpo) { return xs_qarith<QOp::Sub>(s, i, true); }
SEM(xsmulqp) { return xs_qarith<QOp::Mul>(s, i, false); }
SEM(xsmulqpo) { return xs_qarith<QOp::Mul>(s, i, true); }
SEM(xsdivqp) { return xs_qarith<QOp::Div>(s, i, false); }
SEM(xsdivqpo) { return xs_qarith<QOp::Div>(s, i, true); }
SEM(xssqrtqp) { return xs_qarith<QOp::Sqrt>(s, i, false); }
SEM(xssqrtqpo) { return xs_qarith<QOp::Sqrt>(s, i, true); }
SEM(xsmaddqp) { return xs_qfma<false, false>(s, i, false); }
SEM(xsmaddqpo) { return xs_qfma<false, false>(s, i, true); }
SEM(xsmsubqp) { return xs_qfma<true, false>(s, i, false); }
SEM(xsmsubqpo) { return xs_qfma<true, false>(s, i, true); }
SEM(xsnmaddqp) { return xs_qfma<false, true>(s, i, false); }
SEM(xsnmaddqpo) { return xs_qfma<false, true>(s, i, true); }
SEM(xsnmsubqp) { return xs_qfma<true, true>(s, i, false); }
SEM(xsnmsubqpo) { return xs_qfma<true, true>(s, i, true); }
SEM(xscmpuqp) { return xs_qcmp<false>(s, i); }
SEM(xscmpoqp) { return xs_qcmp<true>(s, i); }
SEM(xscmpexpqp) {
  REQUIRE_VSX();
  const u128 a = qr(s, VRA(i)), b = qr(s, VRB(i));
  const unsigned ea = qexp(a), eb = qexp(b);
  const unsigned cc = (is_nan128(a) || is_nan128(b)) ? CR_SO : ea < eb ? CR_LT : ea > eb ? CR_GT : CR_EQ;
  s.fpscr = (s.fpscr & ~FPSCR_FPCC) | (u64{cc} << FPSCR_FPRF_SHIFT);
  set_crf(s, BF(i), cc);
  return Status::Next;
}
SEM(xsabsqp) {
  REQUIRE_VSX();
  qr(s, VRT(i)) = qr(s, VRB(i)) & ~Q_SIGN;
  return Status::Next;
}
SEM(xsnabsqp) {
  REQUIRE_VSX();
  qr(s, VRT(i)) = qr(s, VRB(i)) | Q_SIGN;
  return Status::Next;
}
SEM(xsnegqp) {
  REQUIRE_VSX();
  qr(s, VRT(i)) = qr(s, VRB(i)) ^ Q_SIGN;
  return Status::Next;
}
SEM(xscpsgnqp) {
  REQUIRE_VSX();
  qr(s, VRT(i)) = (qr(s, VRA(i)) & Q_SIGN) | (qr(s, VRB(i)) & ~Q_SIGN);
  return Status::Next;
}
SEM(xsxexpqp) {
  REQUIRE_VSX();
  qr(s, VRT(i)) = u128{qexp(qr(s, VRB(i)))} << 64;
  return Status::Next;
}
SEM(xsxsigqp) {
  REQUIRE_VSX();
  const u128 b = qr(s, VRB(i));
  const unsigned e = qexp(b);
  qr(s, VRT(i)) = (b & Q_FRAC) | ((e != 0 && e != 0x7fff) ? Q_MIN_NORMAL : 0);
  return Status::Next;
}
// xsiexpqp: sign and fraction of VRA, exponent from VRB doubleword 0 bits 49:63.
SEM(xsiexpqp) {
  REQUIRE_VSX();
  const u128 a = qr(s, VRA(i));
  const u64 e = elem<u64>(s.vsr[32 + VRB(i)], 0) & 0x7fff;
  qr(s, VRT(i)) = (a & (Q_SIGN | Q_FRAC)) | (u128{e} << 112);
  return Status::Next;
}
SEM(xststdcqp) {
  REQUIRE_VSX();
  const u128 b = qr(s, VRB(i));
  return xs_tstdc(s, BF(i), (is_neg128(b) ? CR_LT : 0) | (dclass128(b, DCMX7(i)) ? CR_EQ : 0));
}
inline Status xs_rqpi(CpuState& s, u32 i, bool to_int, bool ex) {
  REQUIRE_VSX();
  QRes r = q_round(qr(s, VRB(i)), q_rmc_mode(s, i), to_int);
  if (!ex) r.fl &= ~FPSCR_XX;
  return q_commit(s, VRT(i), r);
}
SEM(xsrqpi) { return xs_rqpi(s, i, true, false); }
SEM(xsrqpix) { return xs_rqpi(s, i, true, true); }
SEM(xsrqpxp) { return xs_rqpi(s, i, false, true); }

// xscvqpdp[o]: round to double (round to odd for RO=1).
inline Status xs_cvqpdp(CpuState& s, u32 i, bool odd) {
  REQUIRE_VSX();
  const u128 b = qr(s, VRB(i));
  FpRes r{0, 0};
  if (is_nan128(b)) {
    r.v = quiet64((is_neg128(b) ? u64{1} << 63 : 0) | 0x7ff0000000000000ull | static_cast<u64>((b & Q_FRAC) >> 60));
    r.fl = snan_bits128(b);
  } else if (is_inf128(b)) {
    r.v = (is_neg128(b) ? u64{1} << 63 : 0) | 0x7ff0000000000000ull;
  } else {
    bool neg;
    u128 m;
    int q;
    unpack128(b, neg, m, q);
    r.v = round_pack(neg, m, q, 53, -1022, 1023, 11, odd ? 1 : fp_rn(s), r.fl);
    if (odd && (r.fl & FPSCR_XX)) r.v |= 1;
  }
  const unsigned vrt = VRT(i);
  return vsx_commit(s, r.fl, [&] {
    qr(s, vrt) = u128{r.v} << 64;
    set_fprf(s, fp_fprf64(r.v));
  });
}
SEM(xscvqpdp) { return xs_cvqpdp(s, i, false); }
SEM(xscvqpdpo) { return xs_cvqpdp(s, i, true); }
// xscvdpqp: exact widening of doubleword 0.
SEM(xscvdpqp) {
  REQUIRE_VSX();
  const u64 b = elem<u64>(s.vsr[32 + VRB(i)], 0);
  QRes r{0, 0};
  if (is_nan64(b)) {
    r.v = (is_neg64(b) ? Q_SIGN : 0) | Q_EXP | Q_QUIET | (u128{b & 0xfffffffffffffull} << 60);
    r.fl = snan_bits(b);
  } else if (is_inf64(b)) {
    r.v = (is_neg64(b) ? Q_SIGN : 0) | Q_EXP;
  } else {
    bool neg;
    u128 m;
    int q;
    unpack64(b, neg, m, q);
    r.v = pack128_exact(neg, m, q);
  }
  return q_commit(s, VRT(i), r);
}
SEM(xscvqpsdz) { return xs_qcvt_int(s, i, true, 64); }
SEM(xscvqpswz) { return xs_qcvt_int(s, i, true, 32); }
SEM(xscvqpudz) { return xs_qcvt_int(s, i, false, 64); }
SEM(xscvqpuwz) { return xs_qcvt_int(s, i, false, 32); }
inline Status xs_cvdqp(CpuState& s, u32 i, bool is_signed) {
  REQUIRE_VSX();
  const u64 b = elem<u64>(s.vsr[32 + VRB(i)], 0);
  const bool neg = is_signed && static_cast<s64>(b) < 0;
  return q_commit(s, VRT(i), QRes{pack128_exact(neg, neg ? u128{0 - b} : u128{b}, 0), 0});
}
SEM(xscvsdqp) { return xs_cvdqp(s, i, true); }
SEM(xscvudqp) { return xs_cvdqp(s, i, false); }

}  // namespace lpar::sem
