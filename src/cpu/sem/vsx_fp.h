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
SEM(xsadddp) { return vfs_arith<FpOp::Add, false>(s, i); }
SEM(xssubdp) { return vfs_arith<FpOp::Sub, false>(s, i); }
SEM(xsmuldp) { return vfs_arith<FpOp::Mul, false>(s, i); }
SEM(xsdivdp) { return vfs_arith<FpOp::Div, false>(s, i); }
SEM(xssqrtdp) { return vfs_arith<FpOp::Sqrt, false>(s, i); }
SEM(xsredp) { return vfs_estimate<false, false>(s, i); }
SEM(xsrsqrtedp) { return vfs_estimate<true, false>(s, i); }
SEM(xsmaddadp) { return vfs_fma<true, false, false, false>(s, i); }
SEM(xsmaddmdp) { return vfs_fma<false, false, false, false>(s, i); }
SEM(xsmsubadp) { return vfs_fma<true, true, false, false>(s, i); }
SEM(xsmsubmdp) { return vfs_fma<false, true, false, false>(s, i); }
SEM(xsnmaddadp) { return vfs_fma<true, false, true, false>(s, i); }
SEM(xsnmaddmdp) { return vfs_fma<false, false, true, false>(s, i); }
SEM(xsnmsubadp) { return vfs_fma<true, true, true, false>(s, i); }
SEM(xsnmsubmdp) { return vfs_fma<false, true, true, false>(s, i); }
SEM(xsmaxdp) { return vfs_maxmin<true>(s, i); }
SEM(xsmindp) { return vfs_maxmin<false>(s, i); }
SEM(xscpsgndp) { return vfs_sign<VfSignOp::Cpsgn>(s, i); }
SEM(xsabsdp) { return vfs_sign<VfSignOp::Abs>(s, i); }
SEM(xsnabsdp) { return vfs_sign<VfSignOp::Nabs>(s, i); }
SEM(xsnegdp) { return vfs_sign<VfSignOp::Neg>(s, i); }
SEM(xscmpodp) { return vfs_cmp<true>(s, i); }
SEM(xscmpudp) { return vfs_cmp<false>(s, i); }
SEM(xstdivdp) { return vf_tdiv<false, false, false>(s, i); }
SEM(xstsqrtdp) { return vf_tdiv<true, false, false>(s, i); }

// Round to integral: xsrdpic uses FPSCR[RN] and records inexact; the others
// never set XX (Book I 7.6 xsrdpi).
inline Status vfs_rdpi(CpuState& s, u32 i, unsigned mode, bool cur) {
  REQUIRE_VSX();
  FpRes r = vf_round_int64(vf_dw(s, XB(i), 0), cur ? fp_rn(s) : mode);
  if (!cur) r.fl &= ~FPSCR_XX;
  const unsigned xt = XT(i);
  return vf_commit(s, r.fl, [&] {
    vf_set_scalar(s, xt, r.v);
    set_fprf(s, fp_fprf64(r.v));
  });
}
SEM(xsrdpi) { return vfs_rdpi(s, i, 4, false); }
SEM(xsrdpic) { return vfs_rdpi(s, i, 0, true); }
SEM(xsrdpim) { return vfs_rdpi(s, i, 3, false); }
SEM(xsrdpip) { return vfs_rdpi(s, i, 2, false); }
SEM(xsrdpiz) { return vfs_rdpi(s, i, 1, false); }

SEM(xscvdpsp) { return vf_cvdpsp(s, i, false); }
// xscvdpspn: no rounding, no exceptions: the SINGLE format conversion.
SEM(xscvdpspn) {
  REQUIRE_VSX();
  const u32 w = vf_dp_to_sp(vf_dw(s, XB(i), 0));
  vf_set_scalar(s, XT(i), (u64{w} << 32) | w);
  return Status::Next;
}
SEM(xscvspdp) {
  REQUIRE_VSX();
  const FpRes r = vf_cvt_sp_dp(vf_w(s, XB(i), 0));
  const unsigned xt = XT(i);
  return vf_commit(s, r.fl, [&] {
    vf_set_scalar(s, xt, r.v);
    set_fprf(s, fp_fprf64(r.v));
  });
}
SEM(xscvspdpn) {
  REQUIRE_VSX();
  vf_set_scalar(s, XT(i), vf_sp_to_dp(vf_w(s, XB(i), 0)));
  return Status::Next;
}

// Floating to integer (truncating); word results are replicated in word 0 and 1.
inline Status vfs_cvt_int(CpuState& s, u32 i, bool is_signed, unsigned width) {
  REQUIRE_VSX();
  const VfCvt r = vf_cvt_dp_int(vf_dw(s, XB(i), 0), is_signed, width);
  const u64 v = width == 64 ? r.v : (r.v << 32) | (r.v & 0xffffffff);
  const unsigned xt = XT(i);
  return vf_commit(s, r.fl, [&] { vf_set_scalar(s, xt, v); });
}
SEM(xscvdpsxds) { return vfs_cvt_int(s, i, true, 64); }
SEM(xscvdpsxws) { return vfs_cvt_int(s, i, true, 32); }
SEM(xscvdpuxds) { return vfs_cvt_int(s, i, false, 64); }
SEM(xscvdpuxws) { return vfs_cvt_int(s, i, false, 32); }

// Integer to floating: the SP forms round to double, then to single (QEMU 7.2).
inline Status vfs_cvt_fp(CpuState& s, u32 i, bool is_signed, bool sp) {
  REQUIRE_VSX();
  FpRes r = vf_cvt_int_fp(vf_dw(s, XB(i), 0), is_signed, false, fp_rn(s));
  if (sp) r = vf_frsp(s, r);
  const unsigned xt = XT(i);
  return vf_commit(s, r.fl, [&] {
    vf_set_scalar(s, xt, r.v);
    set_fprf(s, fp_fprf64(r.v));
  });
}
SEM(xscvsxddp) { return vfs_cvt_fp(s, i, true, false); }
SEM(xscvuxddp) { return vfs_cvt_fp(s, i, false, false); }
SEM(xscvsxdsp) { return vfs_cvt_fp(s, i, true, true); }
SEM(xscvuxdsp) { return vfs_cvt_fp(s, i, false, true); }

// ---- Scalar single precision (ISA 2.07).
SEM(xsaddsp) { return vfs_arith<FpOp::Add, true>(s, i); }
SEM(xssubsp) { return vfs_arith<FpOp::Sub, true>(s, i); }
SEM(xsmulsp) { return vfs_arith<FpOp::Mul, true>(s, i); }
SEM(xsdivsp) { return vfs_arith<FpOp::Div, true>(s, i); }
SEM(xssqrtsp) { return vfs_arith<FpOp::Sqrt, true>(s, i); }
SEM(xsresp) { return vfs_estimate<false, true>(s, i); }
SEM(xsrsqrtesp) { return vfs_estimate<true, true>(s, i); }
SEM(xsmaddasp) { return vfs_fma<true, false, false, true>(s, i); }
SEM(xsmaddmsp) { return vfs_fma<false, false, false, true>(s, i); }
SEM(xsmsubasp) { return vfs_fma<true, true, false, true>(s, i); }
SEM(xsmsubmsp) { return vfs_fma<false, true, false, true>(s, i); }
SEM(xsnmaddasp) { return vfs_fma<true, false, true, true>(s, i); }
SEM(xsnmaddmsp) { return vfs_fma<false, false, true, true>(s, i); }
SEM(xsnmsubasp) { return vfs_fma<true, true, true, true>(s, i); }
SEM(xsnmsubmsp) { return vfs_fma<false, true, true, true>(s, i); }
SEM(xsrsp) {
  REQUIRE_VSX();
  const u64 b = vf_dw(s, XB(i), 0);
  FpRes r = vf_frsp(s, FpRes{b, 0});
  const unsigned xt = XT(i);
  return vf_commit(s, r.fl, [&] {
    vf_set_scalar(s, xt, r.v);
    set_fprf(s, fp_fprf64(r.v));
  });
}

// ---- ISA 3.0 scalar additions.
SEM(xsmaxcdp) { return vfs_maxminc<true>(s, i); }
SEM(xsmincdp) { return vfs_maxminc<false>(s, i); }
SEM(xsmaxjdp) { return vfs_maxminj<true>(s, i); }
SEM(xsminjdp) { return vfs_maxminj<false>(s, i); }
SEM(xscmpeqdp) { return vfs_cmpmask<VfCmpOp::Eq>(s, i); }
SEM(xscmpgtdp) { return vfs_cmpmask<VfCmpOp::Gt>(s, i); }
SEM(xscmpgedp) { return vfs_cmpmask<VfCmpOp::Ge>(s, i); }
// xscmpexpdp: compare the biased exponents; NaNs are unordered.
SEM(xscmpexpdp) {
  REQUIRE_VSX();
  const u64 a = vf_dw(s, XA(i), 0), b = vf_dw(s, XB(i), 0);
  const u64 ea = (a >> 52) & 0x7ff, eb = (b >> 52) & 0x7ff;
  const unsigned cc = (is_nan64(a) || is_nan64(b)) ? CR_SO : ea < eb ? CR_LT : ea > eb ? CR_GT : CR_EQ;
  s.fpscr = (s.fpscr & ~FPSCR_FPCC) | (u64{cc} << FPSCR_FPRF_SHIFT);
  set_crf(s, BF(i), cc);
  return Status::Next;
}
// xststdcdp/sp: CR field BF = sign || 0 || match || (sp: not representable in single).
inline Status vfs_tstdc(CpuState& s, unsigned bf, unsigned cc) {
  s.fpscr = (s.fpscr & ~FPSCR_FPCC) | (u64{cc} << FPSCR_FPRF_SHIFT);
  set_crf(s, bf, cc);
  return Status::Next;
}
SEM(xststdcdp) {
  REQUIRE_VSX();
  const u64 b = vf_dw(s, XB(i), 0);
  return vfs_tstdc(s, BF(i), (is_neg64(b) ? CR_LT : 0) | (vf_dclass64(b, VF_DCMX(i)) ? CR_EQ : 0));
}
SEM(xststdcsp) {
  REQUIRE_VSX();
  const u64 b = vf_dw(s, XB(i), 0);
  const u64 exp = (b >> 52) & 0x7ff;
  // QEMU 7.2: a normal double below the single normal range matches whatever
  // DCMX says, and a NaN is not reported as unrepresentable.
  const unsigned dcmx = VF_DCMX(i);
  const bool match = (exp != 0 && exp < 0x381) ||
                     vf_dclass(dcmx, is_nan64(b), is_inf64(b), is_zero64(b), exp == 0, is_neg64(b));
  // A NaN is "not single" when the single round trip changes its bits.
  bool not_sp = is_nan64(b) && (is_snan64(b) || (b & 0x1fffffff) != 0);
  if (!is_nan64(b) && !is_inf64(b) && !is_zero64(b)) {
    bool neg;
    u128 m;
    int q;
    vf_unpack64(b, neg, m, q);
    u64 fl = 0;
    vf_round_pack(neg, m, q, 24, -126, 127, 8, 0, fl);
    not_sp = fl != 0;
  }
  return vfs_tstdc(s, BF(i), (is_neg64(b) ? CR_LT : 0) | (match ? CR_EQ : 0) | (not_sp ? CR_SO : 0));
}
// xsiexpdp: sign and fraction from RA, exponent from RB[53:63].
SEM(xsiexpdp) {
  REQUIRE_VSX();
  const u64 a = s.gpr[RA(i)], b = s.gpr[RB(i)];
  vf_set_scalar(s, XT(i), (a & 0x800fffffffffffffull) | ((b & 0x7ff) << 52));
  return Status::Next;
}
SEM(xsxexpdp) {
  REQUIRE_VSX();
  s.gpr[RT(i)] = (vf_dw(s, XB(i), 0) >> 52) & 0x7ff;
  return Status::Next;
}
inline u64 vf_sig64(u64 a) {
  const u64 e = (a >> 52) & 0x7ff;
  return (a & 0xfffffffffffffull) | ((e != 0 && e != 0x7ff) ? (u64{1} << 52) : 0);
}
inline u32 vf_sig32(u32 a) {
  const u32 e = (a >> 23) & 0xff;
  return (a & 0x7fffff) | ((e != 0 && e != 0xff) ? (1u << 23) : 0);
}
SEM(xsxsigdp) {
  REQUIRE_VSX();
  s.gpr[RT(i)] = vf_sig64(vf_dw(s, XB(i), 0));
  return Status::Next;
}

// Half precision conversions (ISA 3.0).
SEM(xscvdphp) {
  REQUIRE_VSX();
  const FpRes r = vf_cvt_dp_hp(vf_dw(s, XB(i), 0), fp_rn(s));
  const unsigned xt = XT(i);
  return vf_commit(s, r.fl, [&] {
    vf_set_scalar(s, xt, r.v & 0xffff);
    set_fprf(s, vf_fprf_hp(static_cast<u16>(r.v)));
  });
}
SEM(xscvhpdp) {
  REQUIRE_VSX();
  const FpRes r = vf_cvt_hp_dp(static_cast<u16>(vf_dw(s, XB(i), 0)));
  const unsigned xt = XT(i);
  return vf_commit(s, r.fl, [&] {
    vf_set_scalar(s, xt, r.v);
    set_fprf(s, fp_fprf64(r.v));
  });
}
SEM(xvcvsphp) {
  REQUIRE_VSX();
  const unsigned xt = XT(i), xb = XB(i);
  u32 res[4];
  u64 fl = 0;
  for (unsigned k = 0; k < 4; ++k) {
    const FpRes r = vf_cvt_dp_hp(vf_sp_to_dp(vf_w(s, xb, k)), fp_rn(s));
    res[k] = static_cast<u32>(r.v & 0xffff);
    fl |= r.fl;
  }
  return vf_commit_vec(s, fl, [&] {
    for (unsigned k = 0; k < 4; ++k) vf_w(s, xt, k) = res[k];
  });
}
SEM(xvcvhpsp) {
  REQUIRE_VSX();
  const unsigned xt = XT(i), xb = XB(i);
  u32 res[4];
  u64 fl = 0;
  for (unsigned k = 0; k < 4; ++k) {
    const FpRes r = vf_cvt_hp_dp(static_cast<u16>(vf_w(s, xb, k)));
    res[k] = vf_dp_to_sp(r.v);
    fl |= r.fl;
  }
  return vf_commit_vec(s, fl, [&] {
    for (unsigned k = 0; k < 4; ++k) vf_w(s, xt, k) = res[k];
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
  for (unsigned k = 0; k < 2; ++k) elem<u64>(t, k) = vf_sig64(elem<u64>(b, k));
  return Status::Next;
}
SEM(xvxsigsp) {
  REQUIRE_VSX();
  const Vec b = s.vsr[XB(i)];
  Vec& t = s.vsr[XT(i)];
  for (unsigned k = 0; k < 4; ++k) elem<u32>(t, k) = vf_sig32(elem<u32>(b, k));
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
  const unsigned dcmx = VF_DCMX_XV(i);
  for (unsigned k = 0; k < 2; ++k) elem<u64>(t, k) = vf_dclass64(elem<u64>(b, k), dcmx) ? ~u64{0} : 0;
  return Status::Next;
}
SEM(xvtstdcsp) {
  REQUIRE_VSX();
  const Vec b = s.vsr[XB(i)];
  Vec& t = s.vsr[XT(i)];
  const unsigned dcmx = VF_DCMX_XV(i);
  for (unsigned k = 0; k < 4; ++k) {
    const u32 w = elem<u32>(b, k);
    const bool match = vf_dclass(dcmx, is_nan32(w), (w & 0x7fffffff) == 0x7f800000, (w & 0x7fffffff) == 0,
                                    (w & 0x7f800000) == 0, w >> 31);
    elem<u32>(t, k) = match ? ~u32{0} : 0;
  }
  return Status::Next;
}

// ---- Vector double/single precision arithmetic.
SEM(xvadddp) { return vfv_arith<FpOp::Add, false>(s, i); }
SEM(xvaddsp) { return vfv_arith<FpOp::Add, true>(s, i); }
SEM(xvsubdp) { return vfv_arith<FpOp::Sub, false>(s, i); }
SEM(xvsubsp) { return vfv_arith<FpOp::Sub, true>(s, i); }
SEM(xvmuldp) { return vfv_arith<FpOp::Mul, false>(s, i); }
SEM(xvmulsp) { return vfv_arith<FpOp::Mul, true>(s, i); }
SEM(xvdivdp) { return vfv_arith<FpOp::Div, false>(s, i); }
SEM(xvdivsp) { return vfv_arith<FpOp::Div, true>(s, i); }
SEM(xvsqrtdp) { return vfv_arith<FpOp::Sqrt, false>(s, i); }
SEM(xvsqrtsp) { return vfv_arith<FpOp::Sqrt, true>(s, i); }
SEM(xvredp) { return vfv_estimate<false, false>(s, i); }
SEM(xvresp) { return vfv_estimate<false, true>(s, i); }
SEM(xvrsqrtedp) { return vfv_estimate<true, false>(s, i); }
SEM(xvrsqrtesp) { return vfv_estimate<true, true>(s, i); }
SEM(xvtdivdp) { return vf_tdiv<false, true, false>(s, i); }
SEM(xvtdivsp) { return vf_tdiv<false, true, true>(s, i); }
SEM(xvtsqrtdp) { return vf_tdiv<true, true, false>(s, i); }
SEM(xvtsqrtsp) { return vf_tdiv<true, true, true>(s, i); }
SEM(xvmaddadp) { return vfv_fma<true, false, false, false>(s, i); }
SEM(xvmaddmdp) { return vfv_fma<false, false, false, false>(s, i); }
SEM(xvmaddasp) { return vfv_fma<true, false, false, true>(s, i); }
SEM(xvmaddmsp) { return vfv_fma<false, false, false, true>(s, i); }
SEM(xvmsubadp) { return vfv_fma<true, true, false, false>(s, i); }
SEM(xvmsubmdp) { return vfv_fma<false, true, false, false>(s, i); }
SEM(xvmsubasp) { return vfv_fma<true, true, false, true>(s, i); }
SEM(xvmsubmsp) { return vfv_fma<false, true, false, true>(s, i); }
SEM(xvnmaddadp) { return vfv_fma<true, false, true, false>(s, i); }
SEM(xvnmaddmdp) { return vfv_fma<false, false, true, false>(s, i); }
SEM(xvnmaddasp) { return vfv_fma<true, false, true, true>(s, i); }
SEM(xvnmaddmsp) { return vfv_fma<false, false, true, true>(s, i); }
SEM(xvnmsubadp) { return vfv_fma<true, true, true, false>(s, i); }
SEM(xvnmsubmdp) { return vfv_fma<false, true, true, false>(s, i); }
SEM(xvnmsubasp) { return vfv_fma<true, true, true, true>(s, i); }
SEM(xvnmsubmsp) { return vfv_fma<false, true, true, true>(s, i); }
SEM(xvmaxdp) { return vfv_maxmin<true, false>(s, i); }
SEM(xvmaxsp) { return vfv_maxmin<true, true>(s, i); }
SEM(xvmindp) { return vfv_maxmin<false, false>(s, i); }
SEM(xvminsp) { return vfv_maxmin<false, true>(s, i); }
SEM(xvcpsgndp) { return vfv_sign<VfSignOp::Cpsgn, false>(s, i); }
SEM(xvcpsgnsp) { return vfv_sign<VfSignOp::Cpsgn, true>(s, i); }
SEM(xvabsdp) { return vfv_sign<VfSignOp::Abs, false>(s, i); }
SEM(xvabssp) { return vfv_sign<VfSignOp::Abs, true>(s, i); }
SEM(xvnabsdp) { return vfv_sign<VfSignOp::Nabs, false>(s, i); }
SEM(xvnabssp) { return vfv_sign<VfSignOp::Nabs, true>(s, i); }
SEM(xvnegdp) { return vfv_sign<VfSignOp::Neg, false>(s, i); }
SEM(xvnegsp) { return vfv_sign<VfSignOp::Neg, true>(s, i); }
SEM(xvcmpeqdp) { return vfv_cmp<VfCmpOp::Eq, false>(s, i); }
SEM(xvcmpeqsp) { return vfv_cmp<VfCmpOp::Eq, true>(s, i); }
SEM(xvcmpgedp) { return vfv_cmp<VfCmpOp::Ge, false>(s, i); }
SEM(xvcmpgesp) { return vfv_cmp<VfCmpOp::Ge, true>(s, i); }
SEM(xvcmpgtdp) { return vfv_cmp<VfCmpOp::Gt, false>(s, i); }
SEM(xvcmpgtsp) { return vfv_cmp<VfCmpOp::Gt, true>(s, i); }

// Vector round to integral (xvrdpi & co.): only the 'c' forms record inexact.
template <bool SP>
inline Status vfv_rpi(CpuState& s, u32 i, unsigned mode, bool cur) {
  const unsigned m = cur ? fp_rn(s) : mode;
  auto f = [m, cur](u64, u64 b, u64) {
    FpRes r = vf_round_int64(b, m);
    if (!cur) r.fl &= ~FPSCR_XX;
    return r;
  };
  return SP ? vfv_map_sp(s, i, f) : vfv_map_dp(s, i, f);
}
SEM(xvrdpi) { return vfv_rpi<false>(s, i, 4, false); }
SEM(xvrdpic) { return vfv_rpi<false>(s, i, 0, true); }
SEM(xvrdpim) { return vfv_rpi<false>(s, i, 3, false); }
SEM(xvrdpip) { return vfv_rpi<false>(s, i, 2, false); }
SEM(xvrdpiz) { return vfv_rpi<false>(s, i, 1, false); }
SEM(xvrspi) { return vfv_rpi<true>(s, i, 4, false); }
SEM(xvrspic) { return vfv_rpi<true>(s, i, 0, true); }
SEM(xvrspim) { return vfv_rpi<true>(s, i, 3, false); }
SEM(xvrspip) { return vfv_rpi<true>(s, i, 2, false); }
SEM(xvrspiz) { return vfv_rpi<true>(s, i, 1, false); }

// ---- Vector conversions.
SEM(xvcvdpsp) { return vf_cvdpsp(s, i, true); }
SEM(xvcvspdp) {
  REQUIRE_VSX();
  const unsigned xt = XT(i), xb = XB(i);
  FpRes r[2];
  for (unsigned k = 0; k < 2; ++k) r[k] = vf_cvt_sp_dp(vf_w(s, xb, 2 * k));
  return vf_commit_vec(s, r[0].fl | r[1].fl, [&] {
    vf_dw(s, xt, 0) = r[0].v;
    vf_dw(s, xt, 1) = r[1].v;
  });
}
// DP source to integer: doublewords, or words replicated into both halves of each doubleword.
inline Status vfv_cvt_dp_int(CpuState& s, u32 i, bool is_signed, unsigned width) {
  REQUIRE_VSX();
  const unsigned xt = XT(i), xb = XB(i);
  u64 res[2], fl = 0;
  VfCvtAcc acc;
  for (unsigned k = 0; k < 2; ++k) {
    const VfCvt r = vf_cvt_dp_int(vf_dw(s, xb, k), is_signed, width, acc);
    res[k] = width == 64 ? r.v : (r.v << 32) | (r.v & 0xffffffff);
    fl |= r.fl;
  }
  return vf_commit_vec(s, fl, [&] {
    vf_dw(s, xt, 0) = res[0];
    vf_dw(s, xt, 1) = res[1];
  });
}
SEM(xvcvdpsxds) { return vfv_cvt_dp_int(s, i, true, 64); }
SEM(xvcvdpsxws) { return vfv_cvt_dp_int(s, i, true, 32); }
SEM(xvcvdpuxds) { return vfv_cvt_dp_int(s, i, false, 64); }
SEM(xvcvdpuxws) { return vfv_cvt_dp_int(s, i, false, 32); }
// SP source to doubleword integers (words 0 and 2) or to words.
inline Status vfv_cvt_sp_int(CpuState& s, u32 i, bool is_signed, unsigned width) {
  REQUIRE_VSX();
  const unsigned xt = XT(i), xb = XB(i);
  u64 fl = 0;
  Vec t{};
  VfCvtAcc acc;
  if (width == 64) {
    for (unsigned k = 0; k < 2; ++k) {
      const VfCvt r = vf_cvt_dp_int(vf_sp_to_dp(vf_w(s, xb, 2 * k)), is_signed, 64, acc);
      elem<u64>(t, k) = r.v;
      fl |= r.fl;
    }
  } else {
    for (unsigned k = 0; k < 4; ++k) {
      const VfCvt r = vf_cvt_dp_int(vf_sp_to_dp(vf_w(s, xb, k)), is_signed, 32, acc);
      elem<u32>(t, k) = static_cast<u32>(r.v);
      fl |= r.fl;
    }
  }
  return vf_commit_vec(s, fl, [&] { s.vsr[xt] = t; });
}
SEM(xvcvspsxds) { return vfv_cvt_sp_int(s, i, true, 64); }
SEM(xvcvspsxws) { return vfv_cvt_sp_int(s, i, true, 32); }
SEM(xvcvspuxds) { return vfv_cvt_sp_int(s, i, false, 64); }
SEM(xvcvspuxws) { return vfv_cvt_sp_int(s, i, false, 32); }
// Integer to floating, per element; SP results of doubleword sources are
// replicated in both words of the doubleword.
enum class VfIntSrc { DW, WordEven, Word };
template <VfIntSrc SRC, bool SIGNED, bool SP>
inline Status vfv_cvt_int_fp(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const unsigned xt = XT(i), xb = XB(i), rn = fp_rn(s);
  Vec t{};
  u64 fl = 0;
  const unsigned n = SRC == VfIntSrc::Word ? 4 : 2;
  for (unsigned k = 0; k < n; ++k) {
    u64 v = SRC == VfIntSrc::DW ? vf_dw(s, xb, k) : vf_w(s, xb, SRC == VfIntSrc::WordEven ? 2 * k : k);
    if (SRC != VfIntSrc::DW && SIGNED) v = static_cast<u64>(static_cast<s64>(static_cast<s32>(v)));
    const FpRes r = vf_cvt_int_fp(v, SIGNED, SP, rn);
    fl |= r.fl;
    if (!SP) {
      elem<u64>(t, k) = r.v;
    } else if (SRC == VfIntSrc::Word) {
      elem<u32>(t, k) = vf_dp_to_sp(r.v);
    } else {
      const u32 w = vf_dp_to_sp(r.v);
      elem<u64>(t, k) = (u64{w} << 32) | w;
    }
  }
  return vf_commit_vec(s, fl, [&] { s.vsr[xt] = t; });
}
SEM(xvcvsxddp) { return vfv_cvt_int_fp<VfIntSrc::DW, true, false>(s, i); }
SEM(xvcvsxdsp) { return vfv_cvt_int_fp<VfIntSrc::DW, true, true>(s, i); }
SEM(xvcvsxwdp) { return vfv_cvt_int_fp<VfIntSrc::WordEven, true, false>(s, i); }
SEM(xvcvsxwsp) { return vfv_cvt_int_fp<VfIntSrc::Word, true, true>(s, i); }
SEM(xvcvuxddp) { return vfv_cvt_int_fp<VfIntSrc::DW, false, false>(s, i); }
SEM(xvcvuxdsp) { return vfv_cvt_int_fp<VfIntSrc::DW, false, true>(s, i); }
SEM(xvcvuxwdp) { return vfv_cvt_int_fp<VfIntSrc::WordEven, false, false>(s, i); }
SEM(xvcvuxwsp) { return vfv_cvt_int_fp<VfIntSrc::Word, false, true>(s, i); }

// ---- Scalar quad precision (ISA 3.0); RO=1 ("o" forms) rounds to odd.
SEM(xsaddqp) { return vfs_qarith<VfQOp::Add>(s, i, false); }
SEM(xsaddqpo) { return vfs_qarith<VfQOp::Add>(s, i, true); }
SEM(xssubqp) { return vfs_qarith<VfQOp::Sub>(s, i, false); }
SEM(xssubqpo) { return vfs_qarith<VfQOp::Sub>(s, i, true); }
SEM(xsmulqp) { return vfs_qarith<VfQOp::Mul>(s, i, false); }
SEM(xsmulqpo) { return vfs_qarith<VfQOp::Mul>(s, i, true); }
SEM(xsdivqp) { return vfs_qarith<VfQOp::Div>(s, i, false); }
SEM(xsdivqpo) { return vfs_qarith<VfQOp::Div>(s, i, true); }
SEM(xssqrtqp) { return vfs_qarith<VfQOp::Sqrt>(s, i, false); }
SEM(xssqrtqpo) { return vfs_qarith<VfQOp::Sqrt>(s, i, true); }
SEM(xsmaddqp) { return vfs_qfma<false, false>(s, i, false); }
SEM(xsmaddqpo) { return vfs_qfma<false, false>(s, i, true); }
SEM(xsmsubqp) { return vfs_qfma<true, false>(s, i, false); }
SEM(xsmsubqpo) { return vfs_qfma<true, false>(s, i, true); }
SEM(xsnmaddqp) { return vfs_qfma<false, true>(s, i, false); }
SEM(xsnmaddqpo) { return vfs_qfma<false, true>(s, i, true); }
SEM(xsnmsubqp) { return vfs_qfma<true, true>(s, i, false); }
// QEMU 7.2 rounds xsnmsubqpo like xsnmsubqp (its RO bit is ignored there).
SEM(xsnmsubqpo) { return vfs_qfma<true, true>(s, i, false); }
SEM(xscmpuqp) { return vfs_qcmp<false>(s, i); }
SEM(xscmpoqp) { return vfs_qcmp<true>(s, i); }
SEM(xscmpexpqp) {
  REQUIRE_VSX();
  const u128 a = vf_q(s, VRA(i)), b = vf_q(s, VRB(i));
  const unsigned ea = vf_qexp(a), eb = vf_qexp(b);
  const unsigned cc = (qf_is_nan(a) || qf_is_nan(b)) ? CR_SO : ea < eb ? CR_LT : ea > eb ? CR_GT : CR_EQ;
  s.fpscr = (s.fpscr & ~FPSCR_FPCC) | (u64{cc} << FPSCR_FPRF_SHIFT);
  set_crf(s, BF(i), cc);
  return Status::Next;
}
SEM(xsabsqp) {
  REQUIRE_VSX();
  vf_q(s, VRT(i)) = vf_q(s, VRB(i)) & ~QF_SIGN;
  return Status::Next;
}
SEM(xsnabsqp) {
  REQUIRE_VSX();
  vf_q(s, VRT(i)) = vf_q(s, VRB(i)) | QF_SIGN;
  return Status::Next;
}
SEM(xsnegqp) {
  REQUIRE_VSX();
  vf_q(s, VRT(i)) = vf_q(s, VRB(i)) ^ QF_SIGN;
  return Status::Next;
}
SEM(xscpsgnqp) {
  REQUIRE_VSX();
  vf_q(s, VRT(i)) = (vf_q(s, VRA(i)) & QF_SIGN) | (vf_q(s, VRB(i)) & ~QF_SIGN);
  return Status::Next;
}
SEM(xsxexpqp) {
  REQUIRE_VSX();
  vf_q(s, VRT(i)) = u128{vf_qexp(vf_q(s, VRB(i)))} << 64;
  return Status::Next;
}
SEM(xsxsigqp) {
  REQUIRE_VSX();
  const u128 b = vf_q(s, VRB(i));
  const unsigned e = vf_qexp(b);
  vf_q(s, VRT(i)) = (b & QF_FRAC) | ((e != 0 && e != 0x7fff) ? QF_MIN_NORMAL : 0);
  return Status::Next;
}
// xsiexpqp: sign and fraction of VRA, exponent from VRB doubleword 0 bits 49:63.
SEM(xsiexpqp) {
  REQUIRE_VSX();
  const u128 a = vf_q(s, VRA(i));
  const u64 e = elem<u64>(s.vsr[32 + VRB(i)], 0) & 0x7fff;
  vf_q(s, VRT(i)) = (a & (QF_SIGN | QF_FRAC)) | (u128{e} << 112);
  return Status::Next;
}
SEM(xststdcqp) {
  REQUIRE_VSX();
  const u128 b = vf_q(s, VRB(i));
  return vfs_tstdc(s, BF(i), (qf_is_neg(b) ? CR_LT : 0) | (vf_dclass128(b, VF_DCMX(i)) ? CR_EQ : 0));
}
inline Status vfs_rqpi(CpuState& s, u32 i, bool to_int, bool ex) {
  REQUIRE_VSX();
  VfQRes r = vf_qround(vf_q(s, VRB(i)), vf_rmc_mode(s, i), to_int);
  if (!ex) r.fl &= ~FPSCR_XX;
  return vf_qcommit(s, VRT(i), r);
}
SEM(xsrqpi) { return vfs_rqpi(s, i, true, false); }
SEM(xsrqpix) { return vfs_rqpi(s, i, true, true); }
SEM(xsrqpxp) { return vfs_rqpi(s, i, false, true); }

// xscvqpdp[o]: round to double (round to odd for RO=1).
inline Status vfs_cvqpdp(CpuState& s, u32 i, bool odd) {
  REQUIRE_VSX();
  const u128 b = vf_q(s, VRB(i));
  FpRes r{0, 0};
  if (qf_is_nan(b)) {
    r.v = quiet64((qf_is_neg(b) ? u64{1} << 63 : 0) | 0x7ff0000000000000ull | static_cast<u64>((b & QF_FRAC) >> 60));
    r.fl = qf_snan_bits(b);
  } else if (qf_is_inf(b)) {
    r.v = (qf_is_neg(b) ? u64{1} << 63 : 0) | 0x7ff0000000000000ull;
  } else {
    bool neg;
    u128 m;
    int q;
    vf_unpack128(b, neg, m, q);
    r.v = vf_round_pack(neg, m, q, 53, -1022, 1023, 11, odd ? 1 : fp_rn(s), r.fl);
    if (odd && (r.fl & FPSCR_XX)) r.v |= 1;
  }
  const unsigned vrt = VRT(i);
  return vf_commit(s, r.fl, [&] {
    vf_q(s, vrt) = u128{r.v} << 64;
    set_fprf(s, fp_fprf64(r.v));
  });
}
SEM(xscvqpdp) { return vfs_cvqpdp(s, i, false); }
SEM(xscvqpdpo) { return vfs_cvqpdp(s, i, true); }
// xscvdpqp: exact widening of doubleword 0.
SEM(xscvdpqp) {
  REQUIRE_VSX();
  const u64 b = elem<u64>(s.vsr[32 + VRB(i)], 0);
  VfQRes r{0, 0};
  if (is_nan64(b)) {
    r.v = (is_neg64(b) ? QF_SIGN : 0) | QF_EXP | QF_QUIET | (u128{b & 0xfffffffffffffull} << 60);
    r.fl = snan_bits(b);
  } else if (is_inf64(b)) {
    r.v = (is_neg64(b) ? QF_SIGN : 0) | QF_EXP;
  } else {
    bool neg;
    u128 m;
    int q;
    vf_unpack64(b, neg, m, q);
    r.v = vf_pack128(neg, m, q);
  }
  return vf_qcommit(s, VRT(i), r);
}
SEM(xscvqpsdz) { return vfs_qcvt_int(s, i, true, 64); }
SEM(xscvqpswz) { return vfs_qcvt_int(s, i, true, 32); }
SEM(xscvqpudz) { return vfs_qcvt_int(s, i, false, 64); }
SEM(xscvqpuwz) { return vfs_qcvt_int(s, i, false, 32); }
inline Status vfs_cvdqp(CpuState& s, u32 i, bool is_signed) {
  REQUIRE_VSX();
  const u64 b = elem<u64>(s.vsr[32 + VRB(i)], 0);
  const bool neg = is_signed && static_cast<s64>(b) < 0;
  return vf_qcommit(s, VRT(i), VfQRes{vf_pack128(neg, neg ? u128{0 - b} : u128{b}, 0), 0});
}
SEM(xscvsdqp) { return vfs_cvdqp(s, i, true); }
SEM(xscvudqp) { return vfs_cvdqp(s, i, false); }

}  // namespace lpar::sem
