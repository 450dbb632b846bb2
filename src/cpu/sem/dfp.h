// Decimal floating-point facility, PowerISA 3.0B Book I chapter 5.  The
// number layer (DPD, exact arithmetic, rounding) is in dfp_num.h.  FPSCR
// handling follows QEMU 7.2 (our oracle): exception bits are ORed in with FX
// (FI with XX), FEX when the matching enable is set, FI/FR are never cleared,
// the target is always written and no FP program interrupt is raised.
#pragma once
#include "cpu/sem/common.h"
#include "cpu/sem/dfp_num.h"
#include "cpu/sem/fpu.h"

namespace lpar::sem {

// Fields of this chapter that insn.h lacks.
constexpr unsigned DFP_DCM(u32 i) { return bits(i, 16, 21); }
constexpr unsigned DFP_SH(u32 i) { return bits(i, 16, 21); }
constexpr unsigned DFP_RMC(u32 i) { return bits(i, 21, 22); }
constexpr unsigned DFP_R(u32 i) { return bits(i, 15, 15); }
constexpr unsigned DFP_TE(u32 i) { return bits(i, 11, 15); }
constexpr unsigned DFP_SP(u32 i) { return bits(i, 11, 12); }
constexpr unsigned DFP_S(u32 i) { return bits(i, 11, 11); }
constexpr unsigned DFP_UIM(u32 i) { return bits(i, 10, 15); }

namespace dfpx {
using namespace dfpn;

// FPSCR[DRN] (Book I 5.2.1).
inline int drn(const CpuState& s) { return static_cast<int>((s.fpscr & FPSCR_DRN) >> 32); }
// Book I 5.5.1 Table "Rounding modes for RMC": R=0 selects among
// nearest-even, toward-zero, ties-away and FPSCR[DRN]; R=1 among +inf, -inf,
// away-from-zero, ties-toward-zero.
inline int rmc_mode(const CpuState& s, unsigned r, unsigned rmc) {
  switch (((r & 1) << 2) | (rmc & 3)) {
    case 0: return RNE;
    case 1: return RTZ;
    case 2: return RHA;
    case 3: return drn(s);
    case 4: return RUP;
    case 5: return RDN;
    case 6: return RAW;
    default: return RHZ;
  }
}

// A decimal128 operand lives in an even/odd FPR pair, high half first.
inline u128 get128(CpuState& s, unsigned r) { return (static_cast<u128>(fpr(s, r)) << 64) | fpr(s, r + 1); }
inline void put128(CpuState& s, unsigned r, u128 v) {
  fp_write(s, r, static_cast<u64>(v >> 64));
  fp_write(s, r + 1, static_cast<u64>(v));
}
template <bool Q>
inline const Fmt& fmt() {
  return Q ? D128 : D64;
}
template <bool Q>
inline Dec get(CpuState& s, unsigned r) {
  return Q ? decode(get128(s, r), D128) : decode(fpr(s, r), D64);
}
template <bool Q>
inline void put(CpuState& s, unsigned r, const Dec& d) {
  if (Q) put128(s, r, encode(d, D128));
  else fp_write(s, r, static_cast<u64>(encode(d, D64)));
}

// Record exceptions (QEMU's DFP way, see the header comment).
inline void flags(CpuState& s, u64 fl) {
  if (!fl) return;
  u64 f = s.fpscr | fl | FPSCR_FX;
  if (fl & FPSCR_VX_ALL) f |= FPSCR_VX;
  if (fl & FPSCR_XX) f |= FPSCR_FI;
  if (((fl & FPSCR_VX_ALL) && (f & FPSCR_VE)) || ((fl & FPSCR_OX) && (f & FPSCR_OE)) ||
      ((fl & FPSCR_UX) && (f & FPSCR_UE)) || ((fl & FPSCR_ZX) && (f & FPSCR_ZE)) ||
      ((fl & FPSCR_XX) && (f & FPSCR_XE)))
    f |= FPSCR_FEX;
  s.fpscr = f;
}
inline void set_fpcc(CpuState& s, unsigned c) {
  s.fpscr = (s.fpscr & ~FPSCR_FPCC) | (u64{c & 0xf} << FPSCR_FPRF_SHIFT);
}
inline Status done(CpuState& s, u32 i) {
  if (Rc(i)) fp_cr1(s);
  return Status::Next;
}
// Write FRT, set FPRF from the result, then the exceptions.
template <bool Q>
inline Status commit(CpuState& s, u32 i, const Dec& t, u64 fl) {
  put<Q>(s, FRT(i), t);
  set_fprf(s, fprf_of(t, fmt<Q>()));
  flags(s, fl);
  return done(s, i);
}

enum class Op { Add, Sub, Mul, Div };
template <Op OP, bool Q>
inline Status arith(CpuState& s, u32 i) {
  REQUIRE_FP();
  const Dec a = get<Q>(s, FRA(i)), b = get<Q>(s, FRB(i));
  u64 fl = 0;
  const int m = drn(s);
  Dec t;
  switch (OP) {
    case Op::Add: t = dadd(a, b, false, fmt<Q>(), m, fl); break;
    case Op::Sub: t = dadd(a, b, true, fmt<Q>(), m, fl); break;
    case Op::Mul: t = dmul(a, b, fmt<Q>(), m, fl); break;
    default: t = ddiv(a, b, fmt<Q>(), m, fl); break;
  }
  return commit<Q>(s, i, t, fl);
}

// Book I 5.6.3: dcmpu/dcmpo.
template <bool Q, bool ORDERED>
inline Status compare(CpuState& s, u32 i) {
  REQUIRE_FP();
  const Dec a = get<Q>(s, FRA(i)), b = get<Q>(s, FRB(i));
  const unsigned c = dcompare(a, b);
  set_crf(s, BF(i), c);
  set_fpcc(s, c);
  u64 fl = 0;
  if (a.cls == K_SNAN || b.cls == K_SNAN) fl |= FPSCR_VXSNAN;
  if (ORDERED && (a.nan() || b.nan())) fl |= FPSCR_VXVC;
  flags(s, fl);
  return Status::Next;
}

inline Status test_result(CpuState& s, u32 i, unsigned c) {
  set_crf(s, BF(i), c);
  set_fpcc(s, c);
  return Status::Next;
}
inline bool subnormal(const Dec& d, const Fmt& f) {
  return d.cls == K_FIN && d.c != 0 && d.exp + ndigits128(d.c) - 1 < f.emin();
}
inline bool normal(const Dec& d, const Fmt& f) {
  return d.cls == K_FIN && d.c != 0 && d.exp + ndigits128(d.c) - 1 >= f.emin();
}

// Book I 5.6.4: dtstdc -- data class.
template <bool Q>
inline Status tstdc(CpuState& s, u32 i) {
  REQUIRE_FP();
  const Dec a = get<Q>(s, FRA(i));
  const unsigned dcm = DFP_DCM(i);
  const bool match = ((dcm & 0x20) && a.zero()) || ((dcm & 0x10) && subnormal(a, fmt<Q>())) ||
                     ((dcm & 0x08) && normal(a, fmt<Q>())) || ((dcm & 0x04) && a.cls == K_INF) ||
                     ((dcm & 0x02) && a.cls == K_QNAN) || ((dcm & 0x01) && a.cls == K_SNAN);
  return test_result(s, i, (a.neg ? CR_LT : 0) | (match ? CR_EQ : 0));
}
// dtstdg -- data group: QEMU tests the raw exponent against the extremes.
template <bool Q>
inline Status tstdg(CpuState& s, u32 i) {
  REQUIRE_FP();
  const Fmt& f = fmt<Q>();
  const Dec a = get<Q>(s, FRA(i));
  const unsigned dcm = DFP_DCM(i);
  const bool fin = a.cls == K_FIN;
  const bool extreme = fin && (a.exp == f.etop() || a.exp == f.etiny());
  const bool nrm = normal(a, f), full = fin && ndigits128(a.c) == f.p && a.c != 0;
  const bool match = ((dcm & 0x20) && a.zero() && !extreme) || ((dcm & 0x10) && a.zero() && extreme) ||
                     ((dcm & 0x08) && (subnormal(a, f) || (nrm && extreme))) ||
                     ((dcm & 0x04) && nrm && !extreme && !full) || ((dcm & 0x02) && nrm && !extreme && full) ||
                     ((dcm & 0x01) && !fin);
  return test_result(s, i, (a.neg ? CR_LT : 0) | (match ? CR_EQ : 0));
}
// dtstex -- exponents.
template <bool Q>
inline Status tstex(CpuState& s, u32 i) {
  REQUIRE_FP();
  const Dec a = get<Q>(s, FRA(i)), b = get<Q>(s, FRB(i));
  unsigned c;
  if (a.cls != K_FIN || b.cls != K_FIN) {
    const int ta = a.cls == K_FIN ? 1 : a.cls == K_INF ? 2 : 4, tb = b.cls == K_FIN ? 1 : b.cls == K_INF ? 2 : 4;
    c = ta == tb ? CR_EQ : CR_SO;
  } else {
    c = a.exp < b.exp ? CR_LT : a.exp > b.exp ? CR_GT : CR_EQ;
  }
  return test_result(s, i, c);
}
// dtstsf/dtstsfi -- significance (k = 0 and zero operands compare GT, as QEMU).
template <bool Q>
inline unsigned tstsf_cr(const Dec& b, unsigned k) {
  if (b.cls != K_FIN) return CR_SO;
  if (k == 0 || b.c == 0) return CR_GT;
  const unsigned nsd = static_cast<unsigned>(ndigits128(b.c));
  return k < nsd ? CR_LT : k > nsd ? CR_GT : CR_EQ;
}
template <bool Q>
inline Status tstsf(CpuState& s, u32 i) {
  REQUIRE_FP();
  const unsigned k = fpr(s, FRA(i)) & 0x3f;
  return test_result(s, i, tstsf_cr<Q>(get<Q>(s, FRB(i)), k));
}
template <bool Q>
inline Status tstsfi(CpuState& s, u32 i) {
  REQUIRE_FP();
  return test_result(s, i, tstsf_cr<Q>(get<Q>(s, FRB(i)), DFP_UIM(i)));
}


// ---- Conversions (Book I 5.6.6).
// Flag an invalid operation the way QEMU does for drrnd/denbcd: it tests
// the FPSCR against a bit number instead of VE, so bits 61:63 (NI, RN) decide FEX.
inline void flags_bitno_quirk(CpuState& s, u64 fl) {
  u64 f = s.fpscr | fl | FPSCR_FX | FPSCR_VX;
  if (f & 7) f |= FPSCR_FEX;
  s.fpscr = f;
}

// Round a finite value to the format (rounding mode m).  A NaN whose payload
// has more than p digits keeps its low p digits and is quieted (libdecnumber).
inline Dec narrow(const Dec& b, const Fmt& f, int m, u64& fl) {
  if (b.cls == K_INF) return b;
  if (b.nan()) {
    Dec r = b;
    if (ndigits128(b.c) > f.p) {
      r.c = b.c % pow10_128(f.p);  // then dropped by encode() unless < p digits
      r.cls = K_QNAN;
    }
    return r;
  }
  return finish(b.neg, u256(b.c), b.exp, f, m, fl);
}

// Integer part of a finite value under mode m (ToIntegralExact).
inline Dec to_integral(const Dec& b, int m, bool& inexact) {
  if (b.cls != K_FIN || b.exp >= 0) return b;
  if (b.c == 0) return Dec{b.neg, K_FIN, 0, 0};
  const U256 q = round_drop(u256(b.c), -b.exp, b.neg, m, inexact);
  return Dec{b.neg, K_FIN, 0, lo128(q)};
}

template <bool Q>
inline Status ctfix(CpuState& s, u32 i) {
  REQUIRE_FP();
  const Dec b = get<Q>(s, FRB(i));
  u64 fl = 0, r;
  if (b.cls != K_FIN) {
    fl |= FPSCR_VXCVI;
    if (b.cls == K_INF) r = b.neg ? 0x8000000000000000ull : 0x7fffffffffffffffull;
    else {
      r = 0x8000000000000000ull;
      if (b.cls == K_SNAN) fl |= FPSCR_VXSNAN;
    }
  } else if (b.c == 0) {
    r = 0;
  } else {
    bool inexact = false;
    const Dec t = to_integral(b, drn(s), inexact);
    // Magnitudes of 2^63 and up (even -2^63) are invalid, as in QEMU.
    bool ok = t.exp + ndigits128(t.c) <= 19;
    u128 v = 0;
    if (ok) {
      v = t.c * pow10_128(t.exp);
      ok = v <= 0x7fffffffffffffffull;
    }
    if (!ok) {
      r = t.neg ? 0x8000000000000000ull : 0x7fffffffffffffffull;
      fl |= FPSCR_VXCVI;
    } else {
      r = t.neg ? 0 - static_cast<u64>(v) : static_cast<u64>(v);
      if (inexact) fl |= FPSCR_XX;
    }
  }
  fp_write(s, FRT(i), r);
  flags(s, fl);
  return done(s, i);
}

template <bool Q>
inline Status cffix(CpuState& s, u32 i) {
  REQUIRE_FP();
  const s64 v = static_cast<s64>(fpr(s, FRB(i)));
  const u64 mag = v < 0 ? 0 - static_cast<u64>(v) : static_cast<u64>(v);
  u64 fl = 0;
  const Dec t = finish(v < 0, u256(mag), 0, fmt<Q>(), drn(s), fl);
  // FPRF is taken from the unrounded integer (same class).
  return commit<Q>(s, i, t, fl);
}

// dxex: biased exponent, or -1/-2/-3 for infinity/QNaN/SNaN.
template <bool Q>
inline Status xex(CpuState& s, u32 i) {
  REQUIRE_FP();
  const Dec b = get<Q>(s, FRB(i));
  s64 r;
  switch (b.cls) {
    case K_INF: r = -1; break;
    case K_QNAN: r = -2; break;
    case K_SNAN: r = -3; break;
    default: r = b.exp + fmt<Q>().bias;
  }
  fp_write(s, FRT(i), static_cast<u64>(r));
  return done(s, i);
}

// diex: FRB's coefficient with the biased exponent from FRA; out-of-range
// values -1/-3/others make infinity/SNaN/QNaN keeping FRB's trailing field.
template <bool Q>
inline Status iex(CpuState& s, u32 i) {
  REQUIRE_FP();
  const Fmt& f = fmt<Q>();
  const s64 e = static_cast<s64>(fpr(s, FRA(i)));
  const s64 max_exp = (3 << f.wexp) - 1;
  if (e < 0 || e > max_exp) {
    const u128 braw = Q ? get128(s, FRB(i)) : fpr(s, FRB(i));
    const unsigned g = e == -1 ? 30 : 31;
    const u128 ec = e == -3 ? static_cast<u128>(1) << (f.wexp - 1) : 0;
    const int tb = 10 * f.ndec;
    u128 r = braw & ((static_cast<u128>(1) << (f.nbits - 1)) | ((static_cast<u128>(1) << tb) - 1));
    r |= (static_cast<u128>(g) << (f.nbits - 6)) | (ec << tb);
    if (Q) put128(s, FRT(i), r);
    else fp_write(s, FRT(i), static_cast<u64>(r));
    return done(s, i);
  }
  Dec b = get<Q>(s, FRB(i));
  if (b.cls == K_INF) b.c = 0;
  b.cls = K_FIN;
  b.exp = static_cast<int>(e) - f.bias;
  put<Q>(s, FRT(i), b);
  return done(s, i);
}

// ddedpd: the coefficient's digits as BCD, optionally with a sign nibble.
template <bool Q>
inline Status dedpd(CpuState& s, u32 i) {
  REQUIRE_FP();
  const Dec b = get<Q>(s, FRB(i));
  const unsigned sp = DFP_SP(i);
  u128 c = b.cls == K_INF ? 0 : b.c, r = 0;
  const int n = Q ? 32 : 16;
  for (int k = 0; k < n && c; ++k, c /= 10) r |= static_cast<u128>(c % 10) << (4 * k);
  if (sp & 2) {
    const unsigned sgn = b.neg ? 0xd : (sp & 1) ? 0xf : 0xc;
    r = (r << 4) | sgn;
  }
  if (Q) put128(s, FRT(i), r);
  else fp_write(s, FRT(i), static_cast<u64>(r));
  return done(s, i);
}

// ---- Quantum adjustment (Book I 5.6.5).
// Quantize b to exponent e (libdecnumber's decQuantizeOp, finite operands).
inline Dec quantize_fin(const Dec& b, int e, const Fmt& f, int m, u64& fl, bool& invalid) {
  if (e < f.etiny() || e > f.emax) {
    invalid = true;
    return default_nan();
  }
  if (b.c == 0) return Dec{b.neg, K_FIN, e, 0};
  const int adjust = e - b.exp;
  if (ndigits128(b.c) - adjust > f.p) {
    invalid = true;
    return default_nan();
  }
  u128 c;
  if (adjust > 0) {
    bool inexact = false;
    const U256 q = round_drop(u256(b.c), adjust, b.neg, m, inexact);
    if (cmp(q, pow10(f.p)) >= 0) {
      invalid = true;
      return default_nan();
    }
    c = lo128(q);
    if (inexact) fl |= FPSCR_XX;
  } else {
    c = b.c * pow10_128(-adjust);
  }
  return Dec{b.neg, K_FIN, e, c};
}
// a supplies the exponent; NaN priority is a's SNaN, b's SNaN, a's QNaN, b's QNaN.
inline Dec quantize(const Dec& a, const Dec& b, const Fmt& f, int m, u64& fl) {
  if (a.nan() || b.nan()) {
    Dec r;
    if (a.cls == K_SNAN || b.cls == K_SNAN) fl |= FPSCR_VXSNAN;
    if (a.cls == K_SNAN) r = a;
    else if (b.cls == K_SNAN) r = b;
    else r = a.nan() ? a : b;
    r.cls = K_QNAN;
    return r;
  }
  if (a.cls == K_INF || b.cls == K_INF) {
    if (a.cls == K_INF && b.cls == K_INF) return b;
    fl |= FPSCR_VXCVI;
    return default_nan();
  }
  bool invalid = false;
  const Dec r = quantize_fin(b, a.exp, f, m, fl, invalid);
  if (invalid) {
    fl = (fl & ~FPSCR_XX) | FPSCR_VXCVI;
    return default_nan();
  }
  return r;
}

template <bool Q>
inline Status qua(CpuState& s, u32 i) {
  REQUIRE_FP();
  const Dec a = get<Q>(s, FRA(i)), b = get<Q>(s, FRB(i));
  u64 fl = 0;
  const Dec t = quantize(a, b, fmt<Q>(), rmc_mode(s, 0, DFP_RMC(i)), fl);
  return commit<Q>(s, i, t, fl);
}
template <bool Q>
inline Status quai(CpuState& s, u32 i) {
  REQUIRE_FP();
  const Dec a{false, K_FIN, static_cast<int>(sext(DFP_TE(i), 5)), 1};
  const Dec b = get<Q>(s, FRB(i));
  u64 fl = 0;
  const Dec t = quantize(a, b, fmt<Q>(), rmc_mode(s, 0, DFP_RMC(i)), fl);
  return commit<Q>(s, i, t, fl);
}

// drrnd: round to FRA[58:63] significant digits.
template <bool Q>
inline Status rrnd(CpuState& s, u32 i) {
  REQUIRE_FP();
  const Fmt& f = fmt<Q>();
  const int ref = static_cast<int>(fpr(s, FRA(i)) & 0x3f);
  const Dec b = get<Q>(s, FRB(i));
  u64 fl = 0;
  const int nd = b.cls == K_INF ? 1 : ndigits128(b.c);
  Dec t;
  if (ref == 0 || nd <= ref) {
    t = b;
    if (b.cls == K_SNAN) {
      t.cls = K_QNAN;
      flags_bitno_quirk(s, FPSCR_VXSNAN);
    }
  } else if (b.nan()) {
    t = b;
    if (b.cls == K_SNAN) fl |= FPSCR_VXSNAN;
    t.cls = K_QNAN;
  } else if (b.cls == K_INF) {
    t = b;
  } else {
    const int e = b.exp + nd - ref;
    if (e > f.etop()) {
      t = default_nan();
      flags_bitno_quirk(s, FPSCR_VXCVI);
    } else {
      bool inexact = false;
      U256 q = round_drop(u256(b.c), e - b.exp, b.neg, rmc_mode(s, 0, DFP_RMC(i)), inexact);
      t = Dec{b.neg, K_FIN, e, lo128(q)};
      if (cmp(q, pow10(ref)) == 0) {
        // Rounded up to one more digit: drop it again.
        t.c = lo128(q) / 10;
        ++t.exp;
        if (t.exp > f.etop()) {
          t = Dec{b.neg, K_QNAN, 0, 0};  // QEMU keeps the sign here
          fl |= FPSCR_VXCVI;
          inexact = false;
        }
      }
      if (inexact) fl |= FPSCR_XX;
    }
  }
  return commit<Q>(s, i, t, fl);
}

// drintx/drintn: round to an integer; drintn leaves XX alone.
template <bool Q, bool EXACT>
inline Status rint(CpuState& s, u32 i) {
  REQUIRE_FP();
  const Dec b = get<Q>(s, FRB(i));
  u64 fl = 0;
  Dec t = b;
  if (b.nan()) {
    if (b.cls == K_SNAN) fl |= FPSCR_VXSNAN;
    t.cls = K_QNAN;
  } else {
    bool inexact = false;
    t = to_integral(b, rmc_mode(s, DFP_R(i), DFP_RMC(i)), inexact);
    if (EXACT && inexact) fl |= FPSCR_XX;
  }
  return commit<Q>(s, i, t, fl);
}

// dscli/dscri: shift the coefficient by SH digits (Book I 5.6.7).
template <bool Q, bool LEFT>
inline Status shift(CpuState& s, u32 i) {
  REQUIRE_FP();
  const Fmt& f = fmt<Q>();
  const unsigned sh = DFP_SH(i);
  if (sh > static_cast<unsigned>(f.p)) {
    // QEMU keeps sign, combination (less the leftmost digit) and exponent bits.
    const u128 a = Q ? get128(s, FRA(i)) : fpr(s, FRA(i));
    const int tb = 10 * f.ndec;
    u128 r = a & ~((static_cast<u128>(1) << tb) - 1);
    unsigned g = static_cast<unsigned>(r >> (f.nbits - 6)) & 31;
    if ((g >> 3) < 3) g &= 0x18;
    else if ((g & 7) >= 6) g = 0x18 | (g & 7);  // infinity, NaN: unchanged
    else g = (g & 6) << 2;                        // 8/9 digit: keep the exponent bits
    r = (r & ~(static_cast<u128>(31) << (f.nbits - 6))) | (static_cast<u128>(g) << (f.nbits - 6));
    if (Q) put128(s, FRT(i), r);
    else fp_write(s, FRT(i), static_cast<u64>(r));
    return done(s, i);
  }
  Dec a = get<Q>(s, FRA(i));
  u128 c = a.cls == K_INF ? 0 : a.c;
  c = LEFT ? (c % pow10_128(f.p - sh)) * pow10_128(sh) : c / pow10_128(sh);
  if (a.nan()) c %= pow10_128(f.p - 1);
  a.c = c;
  put<Q>(s, FRT(i), a);
  return done(s, i);
}

// An invalid BCD operand gives the default QNaN, leaving FPRF alone.  (With
// VE=1 QEMU writes undefined bits; we leave FRT unchanged.)
template <bool Q>
inline Status enbcd_invalid(CpuState& s, u32 i) {
  if (!(s.fpscr & FPSCR_VE)) put<Q>(s, FRT(i), default_nan());
  flags_bitno_quirk(s, FPSCR_VXCVI);
  return done(s, i);
}
// denbcd: BCD digits (and an optional sign nibble) to a DFP integer.
template <bool Q>
inline Status enbcd(CpuState& s, u32 i) {
  REQUIRE_FP();
  const u128 b = Q ? get128(s, FRB(i)) : fpr(s, FRB(i));
  const int n = Q ? 32 : 16;
  int k = 0;
  bool neg = false;
  if (DFP_S(i)) {
    switch (static_cast<unsigned>(b) & 0xf) {
      case 0xd: case 0xb: neg = true; break;
      case 0xc: case 0xf: case 0xa: case 0xe: break;
      default: return enbcd_invalid<Q>(s, i);
    }
    k = 1;
  }
  u128 c = 0;
  for (int j = n - 1; j >= k; --j) {
    const unsigned d = static_cast<unsigned>(b >> (4 * j)) & 0xf;
    // QEMU only rejects nibbles above 10.
    if (d > 10) return enbcd_invalid<Q>(s, i);
    c = c * 10 + d;
  }
  return commit<Q>(s, i, Dec{neg, K_FIN, 0, c}, 0);
}

}  // namespace dfpx

// Book I 5.6.1 arithmetic.
SEM(dadd) { return dfpx::arith<dfpx::Op::Add, false>(s, i); }
SEM(daddq) { return dfpx::arith<dfpx::Op::Add, true>(s, i); }
SEM(dsub) { return dfpx::arith<dfpx::Op::Sub, false>(s, i); }
SEM(dsubq) { return dfpx::arith<dfpx::Op::Sub, true>(s, i); }
SEM(dmul) { return dfpx::arith<dfpx::Op::Mul, false>(s, i); }
SEM(dmulq) { return dfpx::arith<dfpx::Op::Mul, true>(s, i); }
SEM(ddiv) { return dfpx::arith<dfpx::Op::Div, false>(s, i); }
SEM(ddivq) { return dfpx::arith<dfpx::Op::Div, true>(s, i); }
// Book I 5.6.3 compare.
SEM(dcmpu) { return dfpx::compare<false, false>(s, i); }
SEM(dcmpuq) { return dfpx::compare<true, false>(s, i); }
SEM(dcmpo) { return dfpx::compare<false, true>(s, i); }
SEM(dcmpoq) { return dfpx::compare<true, true>(s, i); }
// Book I 5.6.4 test.
SEM(dtstdc) { return dfpx::tstdc<false>(s, i); }
SEM(dtstdcq) { return dfpx::tstdc<true>(s, i); }
SEM(dtstdg) { return dfpx::tstdg<false>(s, i); }
SEM(dtstdgq) { return dfpx::tstdg<true>(s, i); }
SEM(dtstex) { return dfpx::tstex<false>(s, i); }
SEM(dtstexq) { return dfpx::tstex<true>(s, i); }
SEM(dtstsf) { return dfpx::tstsf<false>(s, i); }
SEM(dtstsfq) { return dfpx::tstsf<true>(s, i); }
SEM(dtstsfi) { return dfpx::tstsfi<false>(s, i); }
SEM(dtstsfiq) { return dfpx::tstsfi<true>(s, i); }

// Book I 5.6.5 quantum adjustment.
SEM(dquai) { return dfpx::quai<false>(s, i); }
SEM(dquaiq) { return dfpx::quai<true>(s, i); }
SEM(dqua) { return dfpx::qua<false>(s, i); }
SEM(dquaq) { return dfpx::qua<true>(s, i); }
SEM(drrnd) { return dfpx::rrnd<false>(s, i); }
SEM(drrndq) { return dfpx::rrnd<true>(s, i); }
SEM(drintx) { return dfpx::rint<false, true>(s, i); }
SEM(drintxq) { return dfpx::rint<true, true>(s, i); }
SEM(drintn) { return dfpx::rint<false, false>(s, i); }
SEM(drintnq) { return dfpx::rint<true, false>(s, i); }
// Book I 5.6.6 conversions.
SEM(dctdp) {
  REQUIRE_FP();
  using namespace dfpn;
  // Exact: every decimal32 (SNaNs included) is a decimal64.
  const Dec t = decode(static_cast<u32>(fpr(s, FRB(i))), D32);
  return dfpx::commit<false>(s, i, t, 0);
}
SEM(dctqpq) {
  REQUIRE_FP();
  using namespace dfpn;
  Dec t = decode(fpr(s, FRB(i)), D64);
  u64 fl = 0;
  if (t.cls == K_SNAN) {
    t.cls = K_QNAN;
    fl |= FPSCR_VXSNAN;
  }
  return dfpx::commit<true>(s, i, t, fl);
}
SEM(drsp) {
  REQUIRE_FP();
  using namespace dfpn;
  const Dec b = decode(fpr(s, FRB(i)), D64);
  u64 fl = 0;
  const Dec t = dfpx::narrow(b, D32, dfpx::drn(s), fl);
  fp_write(s, FRT(i), static_cast<u64>(encode(t, D32)));
  set_fprf(s, fprf_of(t, D32));
  dfpx::flags(s, fl);
  return dfpx::done(s, i);
}
SEM(drdpq) {
  REQUIRE_FP();
  using namespace dfpn;
  const Dec b = decode(dfpx::get128(s, FRB(i)), D128);
  u64 fl = 0;
  Dec t = dfpx::narrow(b, D64, dfpx::drn(s), fl);
  if (t.cls == K_SNAN) {
    t.cls = K_QNAN;
    fl |= FPSCR_VXSNAN;
  }
  // QEMU leaves the decimal64 in the odd register and zeroes the even one.
  fp_write(s, FRT(i), 0);
  fp_write(s, FRT(i) + 1, static_cast<u64>(encode(t, D64)));
  set_fprf(s, fprf_of(t, D64));
  dfpx::flags(s, fl);
  return dfpx::done(s, i);
}
SEM(dcffix) { return dfpx::cffix<false>(s, i); }
SEM(dcffixq) { return dfpx::cffix<true>(s, i); }
SEM(dctfix) { return dfpx::ctfix<false>(s, i); }
SEM(dctfixq) { return dfpx::ctfix<true>(s, i); }
SEM(ddedpd) { return dfpx::dedpd<false>(s, i); }
SEM(ddedpdq) { return dfpx::dedpd<true>(s, i); }
SEM(denbcd) { return dfpx::enbcd<false>(s, i); }
SEM(denbcdq) { return dfpx::enbcd<true>(s, i); }
SEM(dxex) { return dfpx::xex<false>(s, i); }
SEM(dxexq) { return dfpx::xex<true>(s, i); }
SEM(diex) { return dfpx::iex<false>(s, i); }
SEM(diexq) { return dfpx::iex<true>(s, i); }
// Book I 5.6.7 format: shift significand.
SEM(dscli) { return dfpx::shift<false, true>(s, i); }
SEM(dscliq) { return dfpx::shift<true, true>(s, i); }
SEM(dscri) { return dfpx::shift<false, false>(s, i); }
SEM(dscriq) { return dfpx::shift<true, false>(s, i); }

}  // namespace lpar::sem
