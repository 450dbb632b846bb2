// Floating-point facility, PowerISA 3.0B Book I chapter 4.  The FPSCR core
// (rounding, exceptions, FPRF) lives in fpu.h, shared with VSX.
#pragma once
#include "cpu/sem/common.h"
#include "cpu/sem/fpu.h"

namespace lpar::sem {

// Fields of this chapter that insn.h lacks.
constexpr unsigned FRS(u32 i) { return bits(i, 6, 10); }
constexpr unsigned BT(u32 i) { return bits(i, 6, 10); }
constexpr unsigned FLM(u32 i) { return bits(i, 7, 14); }
constexpr unsigned L6(u32 i) { return bits(i, 6, 6); }
constexpr unsigned W15(u32 i) { return bits(i, 15, 15); }
constexpr unsigned U16(u32 i) { return bits(i, 16, 19); }
constexpr unsigned DRM(u32 i) { return bits(i, 18, 20); }
constexpr unsigned RM(u32 i) { return bits(i, 19, 20); }

// Rc=1: CR1 <- FX FEX VX OX (Book I 4.6).
inline Status fp_done(CpuState& s, u32 i, bool trap = false) {
  if (Rc(i)) fp_cr1(s);
  return trap ? raise_program(s, PROG_FP) : Status::Next;
}

// Commit an arithmetic result: FPSCR exceptions, then FRT and FPRF unless an
// enabled invalid/zero-divide exception suppresses them (Book I 4.4).
inline Status fp_commit(CpuState& s, u32 i, const FpRes& r, bool set_fprf_ = true) {
  bool upd;
  const bool trap = fp_finish(s, r.fl, &upd);
  if (upd) {
    fp_write(s, FRT(i), r.v);
    if (set_fprf_) set_fprf(s, fp_fprf64(r.v));
  }
  return fp_done(s, i, trap);
}

// ---- Loads and stores (Book I 4.6.2, 4.6.3).
inline u64 ea_d(const CpuState& s, u32 i) { return ea_mask(s, (RA(i) ? s.gpr[RA(i)] : 0) + D(i)); }
inline u64 ea_x(const CpuState& s, u32 i) { return ea_mask(s, (RA(i) ? s.gpr[RA(i)] : 0) + s.gpr[RB(i)]); }
inline u64 ea_du(const CpuState& s, u32 i) { return ea_mask(s, s.gpr[RA(i)] + D(i)); }
inline u64 ea_xu(const CpuState& s, u32 i) { return ea_mask(s, s.gpr[RA(i)] + s.gpr[RB(i)]); }

#define FP_LOAD_S(name, EA, UPD)                 \
  SEM(name) {                                    \
    REQUIRE_FP();                                \
    if (UPD && RA(i) == 0) return illegal(s);    \
    const u64 ea = EA(s, i);                     \
    u32 w;                                       \
    LOAD(u32, ea, w);                            \
    fp_write(s, FRT(i), fp_double_of_single(w)); \
    if (UPD) s.gpr[RA(i)] = ea;                  \
    return Status::Next;                         \
  }
#define FP_LOAD_D(name, EA, UPD)                 \
  SEM(name) {                                    \
    REQUIRE_FP();                                \
    if (UPD && RA(i) == 0) return illegal(s);    \
    const u64 ea = EA(s, i);                     \
    u64 d;                                       \
    LOAD(u64, ea, d);                            \
    fp_write(s, FRT(i), d);                      \
    if (UPD) s.gpr[RA(i)] = ea;                  \
    return Status::Next;                         \
  }
#define FP_STORE_S(name, EA, UPD)                         \
  SEM(name) {                                             \
    REQUIRE_FP();                                         \
    if (UPD && RA(i) == 0) return illegal(s);             \
    const u64 ea = EA(s, i);                              \
    STORE(u32, ea, fp_single_of_double(fpr(s, FRS(i))));  \
    if (UPD) s.gpr[RA(i)] = ea;                           \
    return Status::Next;                                  \
  }
#define FP_STORE_D(name, EA, UPD)             \
  SEM(name) {                                 \
    REQUIRE_FP();                             \
    if (UPD && RA(i) == 0) return illegal(s); \
    const u64 ea = EA(s, i);                  \
    STORE(u64, ea, fpr(s, FRS(i)));           \
    if (UPD) s.gpr[RA(i)] = ea;               \
    return Status::Next;                      \
  }
FP_LOAD_S(lfs, ea_d, false)
FP_LOAD_S(lfsu, ea_du, true)
FP_LOAD_S(lfsx, ea_x, false)
FP_LOAD_S(lfsux, ea_xu, true)
FP_LOAD_D(lfd, ea_d, false)
FP_LOAD_D(lfdu, ea_du, true)
FP_LOAD_D(lfdx, ea_x, false)
FP_LOAD_D(lfdux, ea_xu, true)
FP_STORE_S(stfs, ea_d, false)
FP_STORE_S(stfsu, ea_du, true)
FP_STORE_S(stfsx, ea_x, false)
FP_STORE_S(stfsux, ea_xu, true)
FP_STORE_D(stfd, ea_d, false)
FP_STORE_D(stfdu, ea_du, true)
FP_STORE_D(stfdx, ea_x, false)
FP_STORE_D(stfdux, ea_xu, true)
#undef FP_LOAD_S
#undef FP_LOAD_D
#undef FP_STORE_S
#undef FP_STORE_D

// Book I 4.6.2: the word goes to FRT[32:63], sign- or zero-extended.
SEM(lfiwax) {
  REQUIRE_FP();
  u32 w;
  LOAD(u32, ea_x(s, i), w);
  fp_write(s, FRT(i), static_cast<u64>(static_cast<s64>(static_cast<s32>(w))));
  return Status::Next;
}
SEM(lfiwzx) {
  REQUIRE_FP();
  u32 w;
  LOAD(u32, ea_x(s, i), w);
  fp_write(s, FRT(i), w);
  return Status::Next;
}
SEM(stfiwx) {
  REQUIRE_FP();
  STORE(u32, ea_x(s, i), static_cast<u32>(fpr(s, FRS(i))));
  return Status::Next;
}

// Book I 4.6.2/4.6.3: an even/odd FPR pair moves as one quadword, so in
// little-endian mode the doubleword at EA goes to the odd register (as QEMU).
inline Status fp_load_pair(CpuState& s, u32 i, u64 ea) {
  if (FRT(i) & 1) return illegal(s);
  u64 d0, d1;
  LOAD(u64, ea, d0);
  LOAD(u64, ea_mask(s, ea + 8), d1);
  if (s.le) std::swap(d0, d1);
  fp_write(s, FRT(i), d0);
  fp_write(s, FRT(i) + 1, d1);
  return Status::Next;
}
inline Status fp_store_pair(CpuState& s, u32 i, u64 ea) {
  if (FRS(i) & 1) return illegal(s);
  u64 d0 = fpr(s, FRS(i)), d1 = fpr(s, FRS(i) + 1);
  if (s.le) std::swap(d0, d1);
  STORE(u64, ea, d0);
  STORE(u64, ea_mask(s, ea + 8), d1);
  return Status::Next;
}
SEM(lfdp) {
  REQUIRE_FP();
  return fp_load_pair(s, i, ea_mask(s, (RA(i) ? s.gpr[RA(i)] : 0) + DS(i)));
}
SEM(lfdpx) {
  REQUIRE_FP();
  return fp_load_pair(s, i, ea_x(s, i));
}
SEM(stfdp) {
  REQUIRE_FP();
  return fp_store_pair(s, i, ea_mask(s, (RA(i) ? s.gpr[RA(i)] : 0) + DS(i)));
}
SEM(stfdpx) {
  REQUIRE_FP();
  return fp_store_pair(s, i, ea_x(s, i));
}

// ---- Move (Book I 4.6.4): no FPSCR change; Rc=1 copies the FPSCR summary.
inline constexpr u64 SIGN64 = u64{1} << 63;
SEM(fmr) {
  REQUIRE_FP();
  fp_write(s, FRT(i), fpr(s, FRB(i)));
  return fp_done(s, i);
}
SEM(fneg) {
  REQUIRE_FP();
  fp_write(s, FRT(i), fpr(s, FRB(i)) ^ SIGN64);
  return fp_done(s, i);
}
SEM(fabs) {
  REQUIRE_FP();
  fp_write(s, FRT(i), fpr(s, FRB(i)) & ~SIGN64);
  return fp_done(s, i);
}
SEM(fnabs) {
  REQUIRE_FP();
  fp_write(s, FRT(i), fpr(s, FRB(i)) | SIGN64);
  return fp_done(s, i);
}
SEM(fcpsgn) {
  REQUIRE_FP();
  fp_write(s, FRT(i), (fpr(s, FRA(i)) & SIGN64) | (fpr(s, FRB(i)) & ~SIGN64));
  return fp_done(s, i);
}
SEM(fmrgew) {
  REQUIRE_FP();
  fp_write(s, FRT(i), (fpr(s, FRA(i)) & 0xffffffff00000000ull) | (fpr(s, FRB(i)) >> 32));
  return Status::Next;
}
SEM(fmrgow) {
  REQUIRE_FP();
  fp_write(s, FRT(i), (fpr(s, FRA(i)) << 32) | (fpr(s, FRB(i)) & 0xffffffffull));
  return Status::Next;
}

// ---- Arithmetic (Book I 4.6.5).
#define FP_ARITH2(name, OP, SINGLE, SECOND)                                               \
  SEM(name) {                                                                              \
    REQUIRE_FP();                                                                          \
    return fp_commit(s, i, fp_arith(s, FpOp::OP, fpr(s, FRA(i)), fpr(s, SECOND(i)), 0, SINGLE)); \
  }
FP_ARITH2(fadd, Add, false, FRB)
FP_ARITH2(fadds, Add, true, FRB)
FP_ARITH2(fsub, Sub, false, FRB)
FP_ARITH2(fsubs, Sub, true, FRB)
FP_ARITH2(fmul, Mul, false, FRC)
FP_ARITH2(fmuls, Mul, true, FRC)
FP_ARITH2(fdiv, Div, false, FRB)
FP_ARITH2(fdivs, Div, true, FRB)
#undef FP_ARITH2
SEM(fsqrt) {
  REQUIRE_FP();
  return fp_commit(s, i, fp_arith(s, FpOp::Sqrt, 0, fpr(s, FRB(i)), 0, false));
}
SEM(fsqrts) {
  REQUIRE_FP();
  return fp_commit(s, i, fp_arith(s, FpOp::Sqrt, 0, fpr(s, FRB(i)), 0, true));
}

// Multiply-add: one rounding of FRA*FRC +/- FRB (Book I 4.6.5.2).
#define FP_FMA(name, SINGLE, NEG_B, NEG_R)                                                          \
  SEM(name) {                                                                                        \
    REQUIRE_FP();                                                                                    \
    return fp_commit(s, i,                                                                           \
                     fp_arith(s, FpOp::Fma, fpr(s, FRA(i)), fpr(s, FRB(i)), fpr(s, FRC(i)), SINGLE, \
                              NEG_B, NEG_R));                                                        \
  }
FP_FMA(fmadd, false, false, false)
FP_FMA(fmadds, true, false, false)
FP_FMA(fmsub, false, true, false)
FP_FMA(fmsubs, true, true, false)
FP_FMA(fnmadd, false, false, true)
FP_FMA(fnmadds, true, false, true)
FP_FMA(fnmsub, false, true, true)
FP_FMA(fnmsubs, true, true, true)
#undef FP_FMA

// Estimates: QEMU computes the exact reciprocal (and reciprocal square root
// through a rounded square root), and fre of zero gives +-1/2.
inline constexpr u64 ONE64 = 0x3ff0000000000000ull;
SEM(fre) {
  REQUIRE_FP();
  const u64 b = fpr(s, FRB(i));
  FpRes r = fp_arith(s, FpOp::Div, ONE64, b, 0, false);
  if (r.fl & FPSCR_ZX) r.v = 0x3fe0000000000000ull | (b & SIGN64);
  return fp_commit(s, i, r);
}
SEM(fres) {
  REQUIRE_FP();
  const u64 b = fpr(s, FRB(i));
  FpRes r = fp_arith(s, FpOp::Div, ONE64, b, 0, true);
  if (r.fl & FPSCR_ZX) r.v = 0x3fe0000000000000ull | (b & SIGN64);
  return fp_commit(s, i, r);
}
inline FpRes fp_rsqrt(CpuState& s, u64 b, bool single) {
  FpRes q = fp_arith(s, FpOp::Sqrt, 0, b, 0, false);
  if (q.fl & FPSCR_VX_ALL) {
    if (single) q.v = nan_to_single(q.v);
    return q;
  }
  FpRes r = fp_arith(s, FpOp::Div, ONE64, q.v, 0, single);
  r.fl |= q.fl;
  return r;
}
SEM(frsqrte) {
  REQUIRE_FP();
  return fp_commit(s, i, fp_rsqrt(s, fpr(s, FRB(i)), false));
}
SEM(frsqrtes) {
  REQUIRE_FP();
  return fp_commit(s, i, fp_rsqrt(s, fpr(s, FRB(i)), true));
}

// Test for software divide / square root (Book I 4.6.5.1): CR[BF] = 1 || FG || FE || 0.
inline int fp_uexp(u64 a) { return static_cast<int>((a >> 52) & 0x7ff) - 1023; }
inline bool is_zero_or_den64(u64 a) { return !(a & 0x7ff0000000000000ull); }
SEM(ftdiv) {
  REQUIRE_FP();
  const u64 a = fpr(s, FRA(i)), b = fpr(s, FRB(i));
  bool fe = false, fg = false;
  if (is_inf64(a) || is_inf64(b) || is_zero64(b)) {
    fe = fg = true;
  } else {
    const int ea = fp_uexp(a), eb = fp_uexp(b);
    if (is_nan64(a) || is_nan64(b)) fe = true;
    else if (eb <= -1022 || eb >= 1021) fe = true;
    else if (!is_zero64(a) && (ea - eb >= 1023 || ea - eb <= -1021 || ea <= -970)) fe = true;
    if (is_zero_or_den64(b)) fg = true;
  }
  set_crf(s, BF(i), 8 | (fg ? 4 : 0) | (fe ? 2 : 0));
  return Status::Next;
}
SEM(ftsqrt) {
  REQUIRE_FP();
  const u64 b = fpr(s, FRB(i));
  bool fe = false, fg = false;
  if (is_inf64(b) || is_zero64(b)) {
    fe = fg = true;
  } else {
    if (is_nan64(b) || is_neg64(b) || fp_uexp(b) <= -1022 + 52) fe = true;
    if (is_zero_or_den64(b)) fg = true;
  }
  set_crf(s, BF(i), 8 | (fg ? 4 : 0) | (fe ? 2 : 0));
  return Status::Next;
}

// ---- Rounding and conversion (Book I 4.6.6).
SEM(frsp) {
  REQUIRE_FP();
  return fp_commit(s, i, fp_round_single(s, fpr(s, FRB(i))));
}
// An invalid conversion sets FPRF to the QNaN code (when VE=0); otherwise
// FPRF is left undefined by the book and unchanged by QEMU.
inline Status fp_cvt_commit(CpuState& s, u32 i, const FpRes& r) {
  bool upd;
  const bool trap = fp_finish(s, r.fl, &upd);
  if (upd) {
    fp_write(s, FRT(i), r.v);
    if (r.fl & FPSCR_VXCVI) set_fprf(s, FPRF_QNAN);
  }
  return fp_done(s, i, trap);
}
#define FP_CTI(name, RNX, BITS, SIGN)                                                  \
  SEM(name) {                                                                           \
    REQUIRE_FP();                                                                       \
    return fp_cvt_commit(s, i, fp_to_int(s, fpr(s, FRB(i)), RNX, BITS, SIGN));          \
  }
FP_CTI(fctid, fp_rn(s), 64, true)
FP_CTI(fctidz, 1, 64, true)
FP_CTI(fctidu, fp_rn(s), 64, false)
FP_CTI(fctiduz, 1, 64, false)
FP_CTI(fctiw, fp_rn(s), 32, true)
FP_CTI(fctiwz, 1, 32, true)
FP_CTI(fctiwu, fp_rn(s), 32, false)
FP_CTI(fctiwuz, 1, 32, false)
#undef FP_CTI
SEM(fcfid) {
  REQUIRE_FP();
  return fp_commit(s, i, fp_from_int(s, fpr(s, FRB(i)), true, false));
}
SEM(fcfidu) {
  REQUIRE_FP();
  // QEMU leaves FPRF alone for fcfidu, fcfids and fcfidus.
  return fp_commit(s, i, fp_from_int(s, fpr(s, FRB(i)), false, false), false);
}
SEM(fcfids) {
  REQUIRE_FP();
  return fp_commit(s, i, fp_from_int(s, fpr(s, FRB(i)), true, true), false);
}
SEM(fcfidus) {
  REQUIRE_FP();
  return fp_commit(s, i, fp_from_int(s, fpr(s, FRB(i)), false, true), false);
}

// Round to integral (Book I 4.6.6.2): never inexact; SNaN raises VXSNAN.
inline Status fp_round_int(CpuState& s, u32 i, int mode) {
  const u64 b = fpr(s, FRB(i));
  FpRes r{b, 0};
  if (is_nan64(b)) {
    r.v = quiet64(b);
    r.fl = snan_bits(b);
  } else {
    static constexpr unsigned kMode[4] = {4, 1, 2, 3};
    bool inexact;
    r.v = d2u(fp_round_to_int(u2d(b), kMode[mode], &inexact));
  }
  return fp_commit(s, i, r);
}
SEM(frin) {
  REQUIRE_FP();
  return fp_round_int(s, i, 0);
}
SEM(friz) {
  REQUIRE_FP();
  return fp_round_int(s, i, 1);
}
SEM(frip) {
  REQUIRE_FP();
  return fp_round_int(s, i, 2);
}
SEM(frim) {
  REQUIRE_FP();
  return fp_round_int(s, i, 3);
}

// ---- Compare and select (Book I 4.6.7, 4.6.8).
inline unsigned fp_compare(u64 a, u64 b) {
  if (is_nan64(a) || is_nan64(b)) return CR_SO;
  const double x = u2d(a), y = u2d(b);
  return x < y ? CR_LT : x > y ? CR_GT : CR_EQ;
}
inline Status fp_cmp(CpuState& s, u32 i, bool ordered) {
  const u64 a = fpr(s, FRA(i)), b = fpr(s, FRB(i));
  const unsigned c = fp_compare(a, b);
  s.fpscr = (s.fpscr & ~FPSCR_FPCC) | (u64{c} << FPSCR_FPRF_SHIFT);
  set_crf(s, BF(i), c);
  u64 fl = snan_bits(a) | snan_bits(b);
  if (ordered && c == CR_SO) {
    fl |= FPSCR_VXVC;
    s.fpscr |= FPSCR_C;  // QEMU writes the QNaN class code, C included
  }
  // Compares leave FR alone and clear FI (QEMU).
  s.fpscr &= ~FPSCR_FI;
  if (!fl) return Status::Next;
  const u64 keep = s.fpscr & FPSCR_FR;
  const bool trap = fp_finish(s, fl);
  s.fpscr = (s.fpscr & ~FPSCR_FR) | keep;
  return trap ? raise_program(s, PROG_FP) : Status::Next;
}
SEM(fcmpu) {
  REQUIRE_FP();
  return fp_cmp(s, i, false);
}
SEM(fcmpo) {
  REQUIRE_FP();
  return fp_cmp(s, i, true);
}
SEM(fsel) {
  REQUIRE_FP();
  const u64 a = fpr(s, FRA(i));
  const bool ge = !is_nan64(a) && (!is_neg64(a) || is_zero64(a));
  fp_write(s, FRT(i), ge ? fpr(s, FRC(i)) : fpr(s, FRB(i)));
  return fp_done(s, i);
}

// ---- FPSCR instructions (Book I 4.6.10).
// The control subset of mffsl/mffscrn...: DRN, enables, NI, RN.
inline constexpr u64 FPSCR_MODE = FPSCR_DRN | FPSCR_ENABLES | FPSCR_NI | FPSCR_RN;
// Bits a program may write; FEX and VX are summaries, bit 52 and 0:28 reserved.
inline constexpr u64 FPSCR_WRITABLE = 0x00000007ffffffffull & ~(FPSCR_FEX | FPSCR_VX | fpscr_bit(52));

SEM(mffs) {
  REQUIRE_FP();
  fp_write(s, FRT(i), s.fpscr);
  return fp_done(s, i);
}
SEM(mffsce) {
  REQUIRE_FP();
  fp_write(s, FRT(i), s.fpscr);
  s.fpscr &= ~FPSCR_ENABLES;
  fp_update_summary(s);
  return Status::Next;
}
// Book I 4.6.10: the mffsc* forms return the mode bits of the FPSCR and then
// install a new rounding-mode field (taken before FRT is written: FRT may be FRB).
inline Status mffs_set_mode(CpuState& s, u32 i, u64 field, u64 value) {
  fp_write(s, FRT(i), s.fpscr & FPSCR_MODE);
  s.fpscr = (s.fpscr & ~field) | (value & field);
  return Status::Next;
}
SEM(mffscdrn) {
  REQUIRE_FP();
  return mffs_set_mode(s, i, FPSCR_DRN, fpr(s, FRB(i)));
}
SEM(mffscdrni) {
  REQUIRE_FP();
  return mffs_set_mode(s, i, FPSCR_DRN, u64{DRM(i)} << 32);
}
SEM(mffscrn) {
  REQUIRE_FP();
  return mffs_set_mode(s, i, FPSCR_RN, fpr(s, FRB(i)));
}
SEM(mffscrni) {
  REQUIRE_FP();
  return mffs_set_mode(s, i, FPSCR_RN, RM(i));
}
SEM(mffsl) {
  REQUIRE_FP();
  fp_write(s, FRT(i), s.fpscr & (FPSCR_MODE | FPSCR_FR | FPSCR_FI | FPSCR_FPRF));
  return Status::Next;
}

// Store `val` under `mask` into the FPSCR, keeping FEX/VX as summaries; an
// enabled exception left pending raises the FP Program interrupt.
inline Status fp_store_fpscr(CpuState& s, u32 i, u64 val, u64 mask) {
  mask &= FPSCR_WRITABLE;
  s.fpscr = (s.fpscr & ~mask) | (val & mask);
  fp_update_summary(s);
  return fp_done(s, i, (s.fpscr & FPSCR_FEX) && fp_traps_enabled(s));
}

// Exception bits mcrfs clears after copying (Book I 4.6.10).
inline constexpr u64 FPSCR_EXC_CLEAR = FPSCR_FX | FPSCR_OX | FPSCR_UX | FPSCR_ZX | FPSCR_XX | FPSCR_VXSNAN |
                                       FPSCR_VXISI | FPSCR_VXIDI | FPSCR_VXZDZ | FPSCR_VXIMZ | FPSCR_VXVC |
                                       FPSCR_VXSOFT | FPSCR_VXSQRT | FPSCR_VXCVI;
SEM(mcrfs) {
  REQUIRE_FP();
  const unsigned sh = 4 * (7 - BFA(i));
  set_crf(s, BF(i), static_cast<unsigned>(s.fpscr >> sh) & 0xf);
  s.fpscr &= ~((u64{0xf} << sh) & FPSCR_EXC_CLEAR);
  fp_update_summary(s);
  return Status::Next;
}
SEM(mtfsfi) {
  REQUIRE_FP();
  const unsigned sh = 4 * (7 - BF(i)) + (W15(i) ? 32 : 0);
  return fp_store_fpscr(s, i, u64{U16(i)} << sh, u64{0xf} << sh);
}
SEM(mtfsf) {
  REQUIRE_FP();
  u64 mask = 0;
  if (L6(i)) {
    mask = ~u64{0};
  } else {
    for (unsigned k = 0; k < 8; ++k)
      if (FLM(i) & (0x80 >> k)) mask |= u64{0xf} << (4 * (7 - k) + (W15(i) ? 32 : 0));
  }
  return fp_store_fpscr(s, i, fpr(s, FRB(i)), mask);
}
SEM(mtfsb0) {
  REQUIRE_FP();
  const u64 b = fpscr_bit(32 + BT(i));
  if (!(b & (FPSCR_FEX | FPSCR_VX))) s.fpscr &= ~b;
  fp_update_summary(s);
  return fp_done(s, i);
}
SEM(mtfsb1) {
  REQUIRE_FP();
  const u64 b = fpscr_bit(32 + BT(i));
  // FEX and VX are summaries; QEMU also refuses to set NI (softfloat has no
  // non-IEEE mode) and does not set FX along with an exception bit.
  // FPSCR bit 52 is reserved (Book I 4.2.2); qemu-ppc64le leaves it clear too.
  if (b & (FPSCR_FEX | FPSCR_VX | FPSCR_NI | fpscr_bit(52))) return fp_done(s, i);
  const bool was = s.fpscr & b;
  s.fpscr |= b;
  const bool fex_before = s.fpscr & FPSCR_FEX;
  fp_update_summary(s);
  return fp_done(s, i, !was && !fex_before && (s.fpscr & FPSCR_FEX) && fp_traps_enabled(s));
}

}  // namespace lpar::sem
