// The floating-point status core shared by the FP (Book I ch. 4) and VSX
// floating-point (Book I ch. 7) semantics: FPSCR bits, rounding, exception
// recording, FPRF.  Results must match qemu-ppc64le 7.2 (softfloat).
//
// API (namespace lpar::sem):
//   FPSCR_xx            FPSCR bit masks, ISA bit n = host bit 63-n (Book I 4.2.2);
//                       FPSCR_FPRF/FPCC/FPRF_SHIFT, FPSCR_VX_ALL, FPSCR_ENABLES,
//                       FPRF_* class codes (C||FPCC).
//   fp_rn(s)            FPSCR[RN]: 0 nearest, 1 zero, 2 +inf, 3 -inf.
//   HostFp hf(s[, rn])  RAII: installs rn (default FPSCR[RN]) on the host, caching the
//                       installed mode in s.fp_host_rm, and clears the host flags;
//                       hf.flags() = host flags as FPSCR OX|UX|ZX|XX (UX is x86's
//                       after-rounding tininess: don't use it, see fp_host_run).  The
//                       destructor reinstalls round-to-nearest, so other host FP code
//                       (VMX...) always runs in nearest.  Never nest two HostFp.
//   host_op(op,a,b,c), host_to_single(d): one host operation between volatiles so
//                       that neither g++ nor clang folds or moves it across fenv calls.
//   fp_host_run(s, rn, f, min_normal, fl): run f() -> T (double/float/__float128)
//                       under rn; fl gets OX ZX XX and UX with PowerPC tininess
//                       (before rounding; recomputed in round-to-zero when needed).
//   Classification on raw bits: is_nan64 is_snan64 is_qnan64 is_inf64 is_zero64 is_neg64
//                       is_nan32 is_snan32 quiet64 DEFAULT_QNAN64 nan_to_single.
//   Invalid-operation cases (return FPSCR VX* bits): snan_bits(a), inv_add(a,b,sub),
//                       inv_mul(a,b), inv_div(a,b), inv_sqrt(b).
//   fp_arith(s, op, a, b, c, single, neg_b, neg_res) -> FpRes{v, fl}: the complete
//                       IEEE operation FpOp::Add/Sub/Mul/Div/Sqrt(b)/Fma(a*c+b) with
//                       invalid detection, NaN propagation (FRA, FRB, FRC order, SNaN
//                       quieted, default QNaN), rounding per FPSCR[RN], single precision
//                       rounded ONCE from the exact result (round-to-odd in double, then
//                       to single), tininess before rounding.  fl holds the FPSCR bits
//                       raised (VX* OX UX ZX XX).  Exactly QEMU 7.2 incl. fnmadd/fnmsub
//                       (the negated exact value is rounded) -- checked on 14000 rows.
//   fp_round_single(s, b)  frsp: double -> single arithmetic rounding.
//   fp_round_to_int(x, mode, &inexact)  integer rounding (mode 0 RNE 1 RZ 2 RP 3 RM 4 away).
//   fp_to_int(s, b, rn, 32|64, signed) / fp_from_int(s, x, signed, single): fcti* /
//                       fcfid* conversions with VXCVI/VXSNAN/XX, QEMU's NaN/saturated values.
//   fp_double_of_single(w) / fp_single_of_double(d): the DOUBLE / SINGLE bit conversions
//                       of loads and stores (Book I 4.6.2/4.6.3; SNaNs stay signalling).
//   fp_fprf64(bits) / fp_fprf32(bits) / fp_fprf128(q): 5-bit FPRF class; set_fprf(s, code).
//   fp_finish(s, fl, &update): record fl in the FPSCR (Book I 4.4, QEMU's way): FI is set
//                       iff XX/OX (else cleared); FR is never set, and cleared by a
//                       non-SNaN invalid or zero divide; sticky bits, FX, VX, FEX.
//                       update=false when an enabled invalid (VE) or zero-divide (ZE)
//                       exception forbids writing the target (and FPRF).  Returns true
//                       when the FP-enabled Program interrupt must be raised (an enabled
//                       exception occurred and MSR[FE0|FE1] != 0): write the target if
//                       update, then `return raise_program(s, PROG_FP)`.  For vector
//                       ops: OR the elements' fl, call fp_finish once.
//   fp_update_summary(s) recompute VX and FEX from the sticky and enable bits.
//   fp_cr1(s)           CR1 <- FPSCR[FX FEX VX OX] (Rc=1 forms).
//   fp_write(s, t, v)   FPR t <- v and VSR[t] doubleword 1 <- 0 (as QEMU 7.2 / POWER9).
//   fp_traps_enabled(s) MSR[FE0] | MSR[FE1].
#pragma once
#include <cfenv>
#include <cfloat>
#include <cmath>
#include <utility>

#include "cpu/sem/common.h"

namespace lpar::sem {

constexpr u64 fpscr_bit(unsigned n) { return u64{1} << (63 - n); }
// Book I 4.2.2: the FPSCR, bits 32:63 of the 64-bit register.
inline constexpr u64 FPSCR_DRN = u64{7} << (63 - 31);  // bits 29:31 (DFP rounding mode)
inline constexpr u64 FPSCR_FX = fpscr_bit(32);
inline constexpr u64 FPSCR_FEX = fpscr_bit(33);
inline constexpr u64 FPSCR_VX = fpscr_bit(34);
inline constexpr u64 FPSCR_OX = fpscr_bit(35);
inline constexpr u64 FPSCR_UX = fpscr_bit(36);
inline constexpr u64 FPSCR_ZX = fpscr_bit(37);
inline constexpr u64 FPSCR_XX = fpscr_bit(38);
inline constexpr u64 FPSCR_VXSNAN = fpscr_bit(39);
inline constexpr u64 FPSCR_VXISI = fpscr_bit(40);
inline constexpr u64 FPSCR_VXIDI = fpscr_bit(41);
inline constexpr u64 FPSCR_VXZDZ = fpscr_bit(42);
inline constexpr u64 FPSCR_VXIMZ = fpscr_bit(43);
inline constexpr u64 FPSCR_VXVC = fpscr_bit(44);
inline constexpr u64 FPSCR_FR = fpscr_bit(45);
inline constexpr u64 FPSCR_FI = fpscr_bit(46);
inline constexpr u64 FPSCR_C = fpscr_bit(47);
inline constexpr u64 FPSCR_FL = fpscr_bit(48);
inline constexpr u64 FPSCR_FG = fpscr_bit(49);
inline constexpr u64 FPSCR_FE = fpscr_bit(50);
inline constexpr u64 FPSCR_FU = fpscr_bit(51);
inline constexpr unsigned FPSCR_FPRF_SHIFT = 63 - 51;  // FPRF = bits 47:51 (C, FPCC)
inline constexpr u64 FPSCR_FPRF = u64{0x1f} << FPSCR_FPRF_SHIFT;
inline constexpr u64 FPSCR_FPCC = u64{0xf} << FPSCR_FPRF_SHIFT;
inline constexpr u64 FPSCR_VXSOFT = fpscr_bit(53);
inline constexpr u64 FPSCR_VXSQRT = fpscr_bit(54);
inline constexpr u64 FPSCR_VXCVI = fpscr_bit(55);
inline constexpr u64 FPSCR_VE = fpscr_bit(56);
inline constexpr u64 FPSCR_OE = fpscr_bit(57);
inline constexpr u64 FPSCR_UE = fpscr_bit(58);
inline constexpr u64 FPSCR_ZE = fpscr_bit(59);
inline constexpr u64 FPSCR_XE = fpscr_bit(60);
inline constexpr u64 FPSCR_NI = fpscr_bit(61);
inline constexpr u64 FPSCR_RN = 3;  // bits 62:63
inline constexpr u64 FPSCR_VX_ALL = FPSCR_VXSNAN | FPSCR_VXISI | FPSCR_VXIDI | FPSCR_VXZDZ | FPSCR_VXIMZ |
                                    FPSCR_VXVC | FPSCR_VXSOFT | FPSCR_VXSQRT | FPSCR_VXCVI;
inline constexpr u64 FPSCR_ENABLES = FPSCR_VE | FPSCR_OE | FPSCR_UE | FPSCR_ZE | FPSCR_XE;

// FPRF class codes (Book I Figure 4.2.2-?: C || FPCC).
inline constexpr unsigned FPRF_QNAN = 0x11, FPRF_NINF = 0x09, FPRF_NNORM = 0x08, FPRF_NDEN = 0x18,
                          FPRF_NZERO = 0x12, FPRF_PZERO = 0x02, FPRF_PDEN = 0x14, FPRF_PNORM = 0x04,
                          FPRF_PINF = 0x05;

// Writing an FPR zeroes doubleword 1 of its VSR: undefined in ISA 3.0, zero on
// POWER9 hardware, in ISA 3.1 and in QEMU 7.2.
inline void fp_write(CpuState& s, unsigned t, u64 v) {
  s.vsr[t].dw[1] = v;
  s.vsr[t].dw[0] = 0;
}

inline unsigned fp_rn(const CpuState& s) { return s.fpscr & FPSCR_RN; }

// ---- Host rounding and flags.
inline int host_rm_of(unsigned rn) {
  switch (rn & 3) {
    case 0: return FE_TONEAREST;
    case 1: return FE_TOWARDZERO;
    case 2: return FE_UPWARD;
    default: return FE_DOWNWARD;
  }
}
// s.fp_host_rm caches the RN installed on the host; 0 (nearest) between instructions.
inline void fp_set_host_rm(CpuState& s, unsigned rn) {
  if (s.fp_host_rm != rn) {
    std::fesetround(host_rm_of(rn));
    s.fp_host_rm = static_cast<u8>(rn);
  }
}

template <typename T>
inline T fp_barrier(T v) {
  volatile T x = v;
  return x;
}

inline u64 host_flags_to_fpscr(int f) {
  u64 r = 0;
  if (f & FE_OVERFLOW) r |= FPSCR_OX;
  if (f & FE_UNDERFLOW) r |= FPSCR_UX;
  if (f & FE_DIVBYZERO) r |= FPSCR_ZX;
  if (f & FE_INEXACT) r |= FPSCR_XX;
  return r;
}

// Host exception flags live in MXCSR for SSE arithmetic; libgcc's and glibc's
// software __float128 routines also raise overflow/underflow/inexact in the
// x87 status word, so quad-precision users ask for x87 too.  Reading MXCSR
// directly costs a few cycles where feclearexcept/fetestexcept cost hundreds.
inline u32 host_mxcsr() {
  u32 v;
  __asm__ volatile("stmxcsr %0" : "=m"(v));
  return v;
}
inline void host_set_mxcsr(u32 v) { __asm__ volatile("ldmxcsr %0" : : "m"(v)); }
inline int host_flags_from(u32 mxcsr, u16 x87sw) {
  const u32 f = (mxcsr | x87sw) & 0x3d;  // x86 IE=1 ZE=4 OE=8 UE=0x10 PE=0x20 (DE ignored)
  return ((f & 0x01) ? FE_INVALID : 0) | ((f & 0x04) ? FE_DIVBYZERO : 0) | ((f & 0x08) ? FE_OVERFLOW : 0) |
         ((f & 0x10) ? FE_UNDERFLOW : 0) | ((f & 0x20) ? FE_INEXACT : 0);
}

struct HostFp {
  CpuState& s;
  bool x87;
  HostFp(CpuState& st, unsigned rn, bool with_x87 = false) : s(st), x87(with_x87) {
    fp_set_host_rm(s, rn);
    host_set_mxcsr(host_mxcsr() & ~0x3fu);
    if (x87) __asm__ volatile("fnclex");
  }
  explicit HostFp(CpuState& st) : HostFp(st, fp_rn(st)) {}
  ~HostFp() { fp_set_host_rm(s, 0); }
  u64 flags() const {
    u16 sw = 0;
    if (x87) __asm__ volatile("fnstsw %0" : "=m"(sw));
    return host_flags_to_fpscr(host_flags_from(host_mxcsr(), sw));
  }
  HostFp(const HostFp&) = delete;
  HostFp& operator=(const HostFp&) = delete;
};


// ---- Classification (raw bits).
inline u64 d2u(double d) { return std::bit_cast<u64>(d); }
inline double u2d(u64 u) { return std::bit_cast<double>(u); }
inline u32 f2u(float f) { return std::bit_cast<u32>(f); }
inline float u2f(u32 u) { return std::bit_cast<float>(u); }

inline bool is_nan64(u64 a) { return (a & 0x7fffffffffffffffull) > 0x7ff0000000000000ull; }
inline bool is_snan64(u64 a) { return is_nan64(a) && !(a & 0x0008000000000000ull); }
inline bool is_qnan64(u64 a) { return is_nan64(a) && (a & 0x0008000000000000ull); }
inline bool is_inf64(u64 a) { return (a & 0x7fffffffffffffffull) == 0x7ff0000000000000ull; }
inline bool is_zero64(u64 a) { return (a & 0x7fffffffffffffffull) == 0; }
inline bool is_neg64(u64 a) { return a >> 63; }
inline bool is_nan32(u32 a) { return (a & 0x7fffffff) > 0x7f800000; }
inline bool is_snan32(u32 a) { return is_nan32(a) && !(a & 0x00400000); }
inline u64 quiet64(u64 a) { return a | 0x0008000000000000ull; }
inline constexpr u64 DEFAULT_QNAN64 = 0x7ff8000000000000ull;

inline u64 snan_bits(u64 a) { return is_snan64(a) ? FPSCR_VXSNAN : 0; }
// Book I 4.4.1: the invalid-operation cases of each operation.
inline u64 inv_add(u64 a, u64 b, bool sub) {
  u64 r = snan_bits(a) | snan_bits(b);
  if (is_inf64(a) && is_inf64(b) && (is_neg64(a) != (is_neg64(b) ^ sub))) r |= FPSCR_VXISI;
  return r;
}
inline u64 inv_mul(u64 a, u64 b) {
  u64 r = snan_bits(a) | snan_bits(b);
  if ((is_inf64(a) && is_zero64(b)) || (is_zero64(a) && is_inf64(b))) r |= FPSCR_VXIMZ;
  return r;
}
inline u64 inv_div(u64 a, u64 b) {
  u64 r = snan_bits(a) | snan_bits(b);
  if (is_inf64(a) && is_inf64(b)) r |= FPSCR_VXIDI;
  if (is_zero64(a) && is_zero64(b)) r |= FPSCR_VXZDZ;
  return r;
}
inline u64 inv_sqrt(u64 a) {
  u64 r = snan_bits(a);
  if (is_neg64(a) && !is_zero64(a) && !is_nan64(a)) r |= FPSCR_VXSQRT;
  return r;
}

// ---- FPRF (Book I 4.2.2, Figure "Floating-Point Result Flags").
inline unsigned fp_fprf64(u64 a) {
  const bool neg = a >> 63;
  if (is_nan64(a)) return FPRF_QNAN;
  if (is_inf64(a)) return neg ? FPRF_NINF : FPRF_PINF;
  if (is_zero64(a)) return neg ? FPRF_NZERO : FPRF_PZERO;
  if (!(a & 0x7ff0000000000000ull)) return neg ? FPRF_NDEN : FPRF_PDEN;
  return neg ? FPRF_NNORM : FPRF_PNORM;
}
inline unsigned fp_fprf32(u32 a) {
  const bool neg = a >> 31;
  if (is_nan32(a)) return FPRF_QNAN;
  if ((a & 0x7fffffff) == 0x7f800000) return neg ? FPRF_NINF : FPRF_PINF;
  if (!(a & 0x7fffffff)) return neg ? FPRF_NZERO : FPRF_PZERO;
  if (!(a & 0x7f800000)) return neg ? FPRF_NDEN : FPRF_PDEN;
  return neg ? FPRF_NNORM : FPRF_PNORM;
}
inline unsigned fp_fprf128(u128 q) {
  const bool neg = q >> 127;
  const u64 hi = static_cast<u64>(q >> 64) & 0x7fffffffffffffffull, lo = static_cast<u64>(q);
  const u64 exp = hi >> 48;
  const bool frac0 = (hi & 0xffffffffffffull) == 0 && lo == 0;
  if (exp == 0x7fff) return frac0 ? (neg ? FPRF_NINF : FPRF_PINF) : FPRF_QNAN;
  if (exp == 0) return frac0 ? (neg ? FPRF_NZERO : FPRF_PZERO) : (neg ? FPRF_NDEN : FPRF_PDEN);
  return neg ? FPRF_NNORM : FPRF_PNORM;
}
inline void set_fprf(CpuState& s, unsigned code) {
  s.fpscr = (s.fpscr & ~FPSCR_FPRF) | (u64{code & 0x1f} << FPSCR_FPRF_SHIFT);
}

inline void fp_cr1(CpuState& s) { set_crf(s, 1, static_cast<unsigned>(s.fpscr >> 28) & 0xf); }

// VX and FEX are summaries (Book I 4.2.2).
inline void fp_update_summary(CpuState& s) {
  u64 f = s.fpscr & ~(FPSCR_VX | FPSCR_FEX);
  if (f & FPSCR_VX_ALL) f |= FPSCR_VX;
  const u64 exc = f & (FPSCR_VX | FPSCR_OX | FPSCR_UX | FPSCR_ZX | FPSCR_XX);
  // VX..XX (bits 34..38) line up with VE..XE (bits 56..60) shifted by 22.
  if ((exc >> 22) & f & FPSCR_ENABLES) f |= FPSCR_FEX;
  s.fpscr = f;
}

inline bool fp_traps_enabled(const CpuState& s) { return s.msr & (MSR_FE0 | MSR_FE1); }

struct FpRes {
  u64 v;   // result bits (double format; singles are exactly representable)
  u64 fl;  // FPSCR exception bits raised: VX* OX UX ZX XX (FI follows XX)
};

enum class FpOp : u8 { Add, Sub, Mul, Div, Sqrt, Fma };

// One host operation between volatile accesses, so neither compiler folds it
// or moves it across the fenv calls around it.
inline double host_op(FpOp op, double a, double b, double c) {
  volatile double va = a, vb = b, vc = c;
  double r;
  switch (op) {
    case FpOp::Add: r = va + vb; break;
    case FpOp::Sub: r = va - vb; break;
    case FpOp::Mul: r = va * vb; break;
    case FpOp::Div: r = va / vb; break;
    case FpOp::Sqrt: r = __builtin_sqrt(va); break;
    default: r = __builtin_fma(va, vb, vc); break;
  }
  volatile double vr = r;
  return vr;
}

// Round host double d to single under the installed mode (a host conversion).
inline float host_to_single(double d) {
  volatile double vd = d;
  float f = static_cast<float>(vd);
  volatile float vf = f;
  return vf;
}

// Book I 4.3.5 / 4.4.4: PowerPC detects tininess before rounding, x86 after,
// so underflow is derived here, never from the host flag.
// Double result: exact value tiny iff its round-toward-zero result is below
// the smallest normal.
inline FpRes fp_host_double(CpuState& s, unsigned rn, FpOp op, double a, double b, double c) {
  FpRes r;
  double v;
  {
    HostFp hf(s, rn);
    v = host_op(op, a, b, c);
    r.fl = hf.flags() & ~FPSCR_UX;
  }
  if ((r.fl & FPSCR_XX) && std::fabs(v) <= DBL_MIN) {
    bool tiny = std::fabs(v) < DBL_MIN;
    if (!tiny) {
      HostFp hz(s, 1);
      tiny = std::fabs(host_op(op, a, b, c)) < DBL_MIN;
    }
    if (tiny) r.fl |= FPSCR_UX;
  }
  r.v = d2u(v);
  return r;
}

// Single result rounded once: the host op runs in round-toward-zero with the
// sticky bit ORed into the lsb ("round to odd", 53 > 24+1 bits, so the final
// rounding to single sees the exact result's rounding direction).
inline FpRes fp_host_single(CpuState& s, unsigned rn, FpOp op, double a, double b, double c) {
  FpRes r;
  double d;
  {
    HostFp hz(s, 1);
    d = host_op(op, a, b, c);
    r.fl = hz.flags() & (FPSCR_ZX | FPSCR_XX);
  }
  if (r.fl & FPSCR_XX) {
    d = u2d(d2u(d) | 1);
  } else if (d == 0) {
    // An exact zero takes its sign from the real rounding mode (x - x = -0 in RM).
    HostFp hf(s, rn);
    d = host_op(op, a, b, c);
  }
  float f;
  {
    HostFp hf(s, rn);
    f = host_to_single(d);
    r.fl |= hf.flags() & (FPSCR_OX | FPSCR_XX);
  }
  if ((r.fl & FPSCR_XX) && std::fabs(d) < FLT_MIN) r.fl |= FPSCR_UX;
  r.v = d2u(static_cast<double>(f));
  return r;
}

// A NaN result of single precision keeps only the single-format fraction.
inline u64 nan_to_single(u64 v) { return v & ~u64{0x1fffffff}; }

// The full arithmetic operation: invalid cases and NaN propagation of
// Book I 4.4.1/4.3.2 (FRA, then FRB, then FRC; SNaN quieted), then the host.
// For Fma: a*c + b, b negated first for msub, result negated (the rounded
// value of the negated exact result, as QEMU computes it) for nmadd/nmsub.
// For Sqrt the operand is b.
inline FpRes fp_arith(CpuState& s, FpOp op, u64 a, u64 b, u64 c, bool single, bool neg_b = false,
                      bool neg_res = false) {
  FpRes r{0, 0};
  u64 inv = 0;
  switch (op) {
    case FpOp::Add: inv = inv_add(a, b, false); break;
    case FpOp::Sub: inv = inv_add(a, b, true); break;
    case FpOp::Mul: inv = inv_mul(a, b); break;
    case FpOp::Div: inv = inv_div(a, b); break;
    case FpOp::Sqrt: inv = inv_sqrt(b); break;
    case FpOp::Fma: {
      inv = inv_mul(a, c) | snan_bits(b);
      const bool prod_inf = (is_inf64(a) || is_inf64(c)) && !is_nan64(a) && !is_nan64(c) && !is_zero64(a) &&
                            !is_zero64(c);
      if (prod_inf && is_inf64(b) && ((is_neg64(a) ^ is_neg64(c)) != (is_neg64(b) ^ neg_b))) inv |= FPSCR_VXISI;
      break;
    }
  }
  const u64 nan_in = op == FpOp::Sqrt ? (is_nan64(b) ? b : 0)
                     : is_nan64(a)    ? a
                     : is_nan64(b)    ? b
                     : (op == FpOp::Fma && is_nan64(c)) ? c
                                                        : 0;
  if (nan_in) {
    r.v = quiet64(nan_in);
  } else if (inv) {
    r.v = DEFAULT_QNAN64;
  }
  if (nan_in || inv) {
    if (single) r.v = nan_to_single(r.v);
    r.fl = inv;
    return r;
  }
  double da = u2d(a), db = u2d(b), dc = u2d(c);
  const unsigned rn = fp_rn(s);
  if (op == FpOp::Fma) {
    if (neg_b) db = -db;
    if (neg_res) {
      da = -da;
      db = -db;
    }
    std::swap(db, dc);  // host fma(a, c, b)
  }
  if (op == FpOp::Sqrt) da = db;
  r = single ? fp_host_single(s, rn, op, da, db, dc) : fp_host_double(s, rn, op, da, db, dc);
  // An exact zero sum takes its sign from the unnegated result, then flips.
  if (neg_res && is_zero64(r.v) && !(r.fl & FPSCR_XX)) {
    HostFp hf(s, rn);
    r.v = d2u(host_op(op, -da, db, -dc)) ^ (u64{1} << 63);
  }
  return r;
}


// ---- Non-arithmetic format conversions of loads and stores (Book I 4.6.2
// DOUBLE, 4.6.3 SINGLE): bit moves, no rounding, SNaNs stay signalling.
inline u64 fp_double_of_single(u32 w) {
  const u32 mag = w & 0x7fffffff;
  if (mag >= 0x00800000) {
    const u64 hi = (w >> 30) & 3;
    // Exponent bits 2:4: the complement of WORD[1], except for Inf/NaN (all ones).
    const u64 rep = (mag >= 0x7f800000 || !((w >> 30) & 1)) ? 7 : 0;
    return (hi << 62) | (rep << 59) | (u64{w & 0x3fffffff} << 29);
  }
  u64 r = u64{w >> 31} << 63;
  if (mag) {  // single denormal: normalize into a double
    const int p = 31 - std::countl_zero(mag);  // value = 1.f * 2^(p-149)
    r |= static_cast<u64>(p - 149 + 1023) << 52;
    r |= (u64{mag} << (52 - p)) & 0x000fffffffffffffull;
  }
  return r;
}
inline u32 fp_single_of_double(u64 d) {
  const unsigned exp = (d >> 52) & 0x7ff;
  if (exp > 896) return static_cast<u32>(((d >> 62) & 3) << 30) | static_cast<u32>((d >> 29) & 0x3fffffff);
  u32 r = static_cast<u32>(d >> 63) << 31;
  // Out of the single denormal range the result is undefined; QEMU gives 0.
  if (exp >= 874) r |= static_cast<u32>(((u64{1} << 52) | (d & 0x000fffffffffffffull)) >> (896 + 30 - exp));
  return r;
}

// Round a double to single precision as an arithmetic operation (frsp,
// Book I 4.6.6): NaNs propagate quieted, tininess before rounding.
inline FpRes fp_round_single(CpuState& s, u64 b) {
  FpRes r{0, 0};
  if (is_nan64(b)) {
    r.fl = snan_bits(b);
    r.v = nan_to_single(quiet64(b));
    return r;
  }
  float f;
  {
    HostFp hf(s);
    f = host_to_single(u2d(b));
    r.fl = hf.flags() & (FPSCR_OX | FPSCR_XX);
  }
  if ((r.fl & FPSCR_XX) && std::fabs(u2d(b)) < FLT_MIN) r.fl |= FPSCR_UX;
  r.v = d2u(static_cast<double>(f));
  return r;
}


// Round to an integral value in integer arithmetic (host rint is expanded
// inline by GCC with a trick that is wrong for negatives in directed modes).
// mode: 0 nearest-even, 1 zero, 2 +inf, 3 -inf, 4 nearest-away.
inline double fp_round_to_int(double x, unsigned mode, bool* inexact) {
  const u64 u = d2u(x);
  const int e = static_cast<int>((u >> 52) & 0x7ff) - 1023;
  *inexact = false;
  if (e >= 52 || is_zero64(u)) return x;  // integral, infinite or NaN
  const bool neg = u >> 63;
  *inexact = true;
  if (e < 0) {
    bool one;
    switch (mode) {
      case 0: one = e == -1 && (u & 0x000fffffffffffffull); break;
      case 1: one = false; break;
      case 2: one = !neg; break;
      case 3: one = neg; break;
      default: one = e == -1; break;
    }
    return u2d((u & (u64{1} << 63)) | (one ? 0x3ff0000000000000ull : 0));
  }
  const u64 unit = u64{1} << (52 - e), frac = unit - 1;
  if (!(u & frac)) {
    *inexact = false;
    return x;
  }
  u64 t = u & ~frac;
  const u64 rem = u & frac, half = unit >> 1;
  bool up;
  switch (mode) {
    case 0: up = rem > half || (rem == half && (t & unit)); break;
    case 1: up = false; break;
    case 2: up = !neg; break;
    case 3: up = neg; break;
    default: up = rem >= half; break;
  }
  if (up) t += unit;  // a carry into the exponent is the right result
  return u2d(t);
}

// Convert to integer (Book I 4.6.6, fcti*): rn is the rounding mode to use,
// bits 32 or 64, sign true for signed.  NaN and out-of-range operands raise
// VXCVI (plus VXSNAN) and give the saturated value; a NaN gives the most
// negative signed value or 0 unsigned (as QEMU).
inline FpRes fp_to_int(CpuState& s, u64 b, unsigned rn, unsigned bits, bool sign) {
  FpRes r{0, 0};
  const u64 smin = sign ? (bits == 32 ? 0xffffffff80000000ull : 0x8000000000000000ull) : 0;
  const u64 smax = sign ? (bits == 32 ? 0x7fffffffull : 0x7fffffffffffffffull) : (bits == 32 ? 0xffffffffull : ~u64{0});
  if (is_nan64(b)) {
    r.fl = FPSCR_VXCVI | snan_bits(b);
    r.v = sign ? (bits == 32 ? 0x80000000ull : smin) : 0;
    return r;
  }
  bool inexact;
  const double v = fp_round_to_int(u2d(b), rn, &inexact);
  const double lo = sign ? (bits == 32 ? -2147483648.0 : -9223372036854775808.0) : 0.0;
  const double hi = sign ? (bits == 32 ? 2147483648.0 : 9223372036854775808.0)
                         : (bits == 32 ? 4294967296.0 : 18446744073709551616.0);
  if (v < lo) {
    r.v = smin;
    r.fl = FPSCR_VXCVI;
  } else if (v >= hi) {
    r.v = smax;
    r.fl = FPSCR_VXCVI;
  } else {
    if (sign) r.v = static_cast<u64>(static_cast<s64>(v));
    else r.v = static_cast<u64>(v);
    if (inexact) r.fl = FPSCR_XX;
  }
  return r;
}

// Integer to floating (fcfid*): exact or rounded once under FPSCR[RN].
// Unsigned values are converted through a signed one with the lost bit kept
// sticky, so no compiler's unsigned-conversion lowering (which may produce
// -0 in round-toward-minus) is involved.
inline FpRes fp_from_int(CpuState& s, u64 x, bool sign, bool single) {
  FpRes r{0, 0};
  if (x == 0) return r;
  HostFp hf(s);
  volatile u64 vx = x;
  x = vx;
  const bool halve = !sign && (x >> 63);
  const s64 v = halve ? static_cast<s64>((x >> 1) | (x & 1)) : static_cast<s64>(x);
  if (single) {
    volatile float f = static_cast<float>(v);
    float g = f;
    if (halve) g *= 2.0f;
    r.v = d2u(static_cast<double>(g));
  } else {
    volatile double d = static_cast<double>(v);
    double g = d;
    if (halve) g *= 2.0;
    r.v = d2u(g);
  }
  r.fl = hf.flags() & FPSCR_XX;
  return r;
}

// Run a host computation f() -> T (double, float or __float128) under
// rounding mode rn and return its value; fl receives FPSCR OX/ZX/XX and UX
// with PowerPC tininess (before rounding), given T's smallest normal.
// Operands must be read inside f() through volatiles (see host_op).
template <typename T, typename F>
inline T fp_host_run(CpuState& s, unsigned rn, F f, T min_normal, u64& fl) {
  T v;
  {
    HostFp hf(s, rn, sizeof(T) == 16);
    v = f();
    fl = hf.flags() & ~FPSCR_UX;
  }
  const T av = v < 0 ? -v : v;
  if ((fl & FPSCR_XX) && !(av > min_normal)) {
    bool tiny = av < min_normal;
    if (!tiny) {
      HostFp hz(s, 1, sizeof(T) == 16);
      const T z = f();
      tiny = (z < 0 ? -z : z) < min_normal;
    }
    if (tiny) fl |= FPSCR_UX;
  }
  return v;
}

// Record an operation's exceptions (Book I 4.4).  Returns true when the
// caller must raise the FP enabled Program interrupt after (maybe) writing
// the target; *update is false when an enabled invalid or zero-divide
// exception forbids writing the target and FPRF.
inline bool fp_finish(CpuState& s, u64 fl, bool* update = nullptr) {
  u64 f = s.fpscr;
  bool upd = true;
  if (fl & (FPSCR_VX_ALL | FPSCR_ZX)) {
    // Invalid and zero divide: FI is cleared, and FR too except for a lone
    // SNaN or ordered-compare invalid (as QEMU).
    f &= ~FPSCR_FI;
    if (fl & ((FPSCR_VX_ALL & ~(FPSCR_VXSNAN | FPSCR_VXVC)) | FPSCR_ZX)) f &= ~FPSCR_FR;
    if (((fl & FPSCR_VX_ALL) && (f & FPSCR_VE)) || ((fl & FPSCR_ZX) && (f & FPSCR_ZE))) upd = false;
  } else {
    f &= ~FPSCR_FI;
    if (fl & (FPSCR_XX | FPSCR_OX)) f |= FPSCR_FI | FPSCR_XX;
  }
  const u64 sticky = fl & (FPSCR_VX_ALL | FPSCR_OX | FPSCR_UX | FPSCR_ZX | FPSCR_XX);
  if (sticky) f |= FPSCR_FX | sticky;
  if (f & FPSCR_VX_ALL) f |= FPSCR_VX;
  // Enabled exceptions raised now.
  u64 raised = fl;
  if (fl & FPSCR_VX_ALL) raised |= FPSCR_VX;
  const bool enabled = ((raised & (FPSCR_VX | FPSCR_OX | FPSCR_UX | FPSCR_ZX | FPSCR_XX)) >> 22) & f & FPSCR_ENABLES;
  if (enabled) f |= FPSCR_FEX;
  s.fpscr = f;
  if (update) *update = upd;
  return enabled && fp_traps_enabled(s);
}

}  // namespace lpar::sem
