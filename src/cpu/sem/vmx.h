// Vector Facility (VMX) semantics, PowerISA 3.0B Book I chapter 6.
// Split by topic: integer/logical/shift/compare here, then permute & bit
// manipulation (vmx_perm.h), crypto (vmx_crypto.h), float (vmx_fp.h) and
// decimal (vmx_bcd.h).
#pragma once
#include <limits>

#include "cpu/sem/common.h"

namespace lpar::sem {

// Book I 6.3: VSCR bits (word 3 of the mfvscr image).
inline constexpr u32 VSCR_NJ = 0x10000;
inline constexpr u32 VSCR_SAT = 1;

namespace vmx {

template <typename T>
inline constexpr unsigned N = 16 / sizeof(T);

// Clamp to T's range; q records that saturation happened (VSCR[SAT]).
template <typename T>
inline T sat(s128 v, bool& q) {
  constexpr s128 lo = static_cast<s128>(std::numeric_limits<T>::min());
  constexpr s128 hi = static_cast<s128>(std::numeric_limits<T>::max());
  if (v < lo) { q = true; return static_cast<T>(lo); }
  if (v > hi) { q = true; return static_cast<T>(hi); }
  return static_cast<T>(v);
}

inline void set_sat(CpuState& s, bool q) {
  if (q) s.vscr |= VSCR_SAT;
}

// ISA byte k of a 128-bit value, and the reverse.
// VC-form compares keep their record bit at ISA bit 21, not 31.
constexpr bool Rc_vc(u32 i) { return bits(i, 21, 21); }

inline u8 byte_of(const Vec& v, unsigned k) { return v.b[15 - k]; }

// Rc=1 compares: CR6 = all-true || 0 || all-false || 0 (Book I 6.9.3).
inline void set_cr6(CpuState& s, const Vec& r) {
  const bool all = r.dw[0] == ~u64{0} && r.dw[1] == ~u64{0};
  const bool none = r.dw[0] == 0 && r.dw[1] == 0;
  set_crf(s, 6, (all ? 8 : 0) | (none ? 2 : 0));
}

// Mask of ones from bit mb through me (wrapping), in a W-bit field, ISA bit numbering.
template <typename T>
inline T rot_mask(unsigned mb, unsigned me) {
  constexpr unsigned W = sizeof(T) * 8;
  const T from_mb = static_cast<T>(~T{0}) >> mb;                // bits mb..W-1
  const T to_me = static_cast<T>(~T{0} << (W - 1 - me));         // bits 0..me
  return mb <= me ? static_cast<T>(from_mb & to_me) : static_cast<T>(from_mb | to_me);
}

template <typename T>
inline T rotl(T x, unsigned n) {
  constexpr unsigned W = sizeof(T) * 8;
  n &= W - 1;
  return n ? static_cast<T>((x << n) | (x >> (W - n))) : x;
}

}  // namespace vmx

// Element-wise two-operand forms: x, y are elements of VRA, VRB.
#define VMX_BIN(name, T, expr)                                                  \
  SEM(name) {                                                                   \
    REQUIRE_VEC();                                                              \
    const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));                             \
    Vec r;                                                                      \
    for (unsigned k = 0; k < vmx::N<T>; ++k) {                                  \
      const T x = elem<T>(a, k), y = elem<T>(b, k);                             \
      elem<T>(r, k) = static_cast<T>(expr);                                     \
    }                                                                           \
    vr(s, VRT(i)) = r;                                                          \
    return Status::Next;                                                        \
  }
// Saturating forms: expr is computed wide (s128) and clamped to T.
#define VMX_BIN_SAT(name, T, expr)                                              \
  SEM(name) {                                                                   \
    REQUIRE_VEC();                                                              \
    const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));                             \
    Vec r;                                                                      \
    bool q = false;                                                             \
    for (unsigned k = 0; k < vmx::N<T>; ++k) {                                  \
      const T x = elem<T>(a, k), y = elem<T>(b, k);                             \
      elem<T>(r, k) = vmx::sat<T>(static_cast<s128>(expr), q);                  \
    }                                                                           \
    vr(s, VRT(i)) = r;                                                          \
    vmx::set_sat(s, q);                                                         \
    return Status::Next;                                                        \
  }
// One-operand forms on VRB.
#define VMX_UN(name, T, expr)                                                   \
  SEM(name) {                                                                   \
    REQUIRE_VEC();                                                              \
    const Vec b = vr(s, VRB(i));                                                \
    Vec r;                                                                      \
    for (unsigned k = 0; k < vmx::N<T>; ++k) {                                  \
      const T x = elem<T>(b, k);                                                \
      elem<T>(r, k) = static_cast<T>(expr);                                     \
    }                                                                           \
    vr(s, VRT(i)) = r;                                                          \
    return Status::Next;                                                        \
  }
// VC-form compares: all-ones where cond holds; Rc=1 also sets CR6.
#define VMX_CMP(name, T, cond)                                                  \
  SEM(name) {                                                                   \
    REQUIRE_VEC();                                                              \
    const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));                             \
    Vec r;                                                                      \
    for (unsigned k = 0; k < vmx::N<T>; ++k) {                                  \
      const T x = elem<T>(a, k), y = elem<T>(b, k);                             \
      elem<T>(r, k) = (cond) ? static_cast<T>(~T{0}) : T{0};                    \
    }                                                                           \
    vr(s, VRT(i)) = r;                                                          \
    if (vmx::Rc_vc(i)) vmx::set_cr6(s, r);                                          \
    return Status::Next;                                                        \
  }

// ---- Loads and stores (Book I 6.7)
inline u64 vmx_ea(const CpuState& s, u32 i) { return ea_mask(s, (RA(i) ? s.gpr[RA(i)] : 0) + s.gpr[RB(i)]); }

// lvx/stvx ignore the low 4 EA bits; the quadword is in the current byte
// order, so in LE the byte at EA becomes element 15.
SEM(lvx) {
  REQUIRE_VEC();
  const u64 ea = vmx_ea(s, i) & ~u64{15};
  u128 v;
  LOAD(u128, ea, v);
  vr(s, VRT(i)).q = v;
  return Status::Next;
}
SEM(lvxl) { return lvx(s, i); }
SEM(stvx) {
  REQUIRE_VEC();
  const u64 ea = vmx_ea(s, i) & ~u64{15};
  STORE(u128, ea, vr(s, RS(i)).q);
  return Status::Next;
}
SEM(stvxl) { return stvx(s, i); }

// Element loads: the element whose byte offset in the quadword matches EA is
// written; the others are left as they were (QEMU does the same; the book
// leaves them undefined).
template <typename T>
inline Status vmx_lve(CpuState& s, u32 i) {
  REQUIRE_VEC();
  const u64 ea = vmx_ea(s, i) & ~u64{sizeof(T) - 1};
  T v;
  LOAD(T, ea, v);
  unsigned k = (ea & 15) / sizeof(T);
  if (s.le) k = vmx::N<T> - 1 - k;
  elem<T>(vr(s, VRT(i)), k) = v;
  return Status::Next;
}
template <typename T>
inline Status vmx_stve(CpuState& s, u32 i) {
  REQUIRE_VEC();
  const u64 ea = vmx_ea(s, i) & ~u64{sizeof(T) - 1};
  unsigned k = (ea & 15) / sizeof(T);
  if (s.le) k = vmx::N<T> - 1 - k;
  STORE(T, ea, elem<T>(vr(s, RS(i)), k));
  return Status::Next;
}
SEM(lvebx) { return vmx_lve<u8>(s, i); }
SEM(lvehx) { return vmx_lve<u16>(s, i); }
SEM(lvewx) { return vmx_lve<u32>(s, i); }
SEM(stvebx) { return vmx_stve<u8>(s, i); }
SEM(stvehx) { return vmx_stve<u16>(s, i); }
SEM(stvewx) { return vmx_stve<u32>(s, i); }

// Book I 6.7.3: permute control vectors, independent of endianness.
SEM(lvsl) {
  REQUIRE_VEC();
  const unsigned sh = vmx_ea(s, i) & 15;
  Vec& t = vr(s, VRT(i));
  for (unsigned k = 0; k < 16; ++k) elem<u8>(t, k) = static_cast<u8>(sh + k);
  return Status::Next;
}
SEM(lvsr) {
  REQUIRE_VEC();
  const unsigned sh = vmx_ea(s, i) & 15;
  Vec& t = vr(s, VRT(i));
  for (unsigned k = 0; k < 16; ++k) elem<u8>(t, k) = static_cast<u8>(16 - sh + k);
  return Status::Next;
}

// ---- VSCR (Book I 6.3)
// Data-stream touches: performance hints (Book I 6.x, phased out), no-ops.
SEM(dst) { return Status::Next; }
SEM(dstt) { return Status::Next; }
SEM(dstst) { return Status::Next; }
SEM(dststt) { return Status::Next; }
SEM(dss) { return Status::Next; }
SEM(dssall) { return Status::Next; }

SEM(mfvscr) {
  REQUIRE_VEC();
  Vec r{};
  elem<u32>(r, 3) = s.vscr;
  vr(s, VRT(i)) = r;
  return Status::Next;
}
SEM(mtvscr) {
  REQUIRE_VEC();
  s.vscr = elem<u32>(vr(s, VRB(i)), 3);
  return Status::Next;
}

// ---- Integer arithmetic (Book I 6.9.1)
VMX_BIN(vaddubm, u8, x + y)
VMX_BIN(vadduhm, u16, x + y)
VMX_BIN(vadduwm, u32, x + y)
VMX_BIN(vaddudm, u64, x + y)
VMX_BIN(vsububm, u8, x - y)
VMX_BIN(vsubuhm, u16, x - y)
VMX_BIN(vsubuwm, u32, x - y)
VMX_BIN(vsubudm, u64, x - y)
VMX_BIN(vaddcuw, u32, (u64{x} + y) >> 32)
// Carry of x + ~y + 1.
VMX_BIN(vsubcuw, u32, x >= y ? 1 : 0)
VMX_BIN_SAT(vaddubs, u8, s128{x} + y)
VMX_BIN_SAT(vadduhs, u16, s128{x} + y)
VMX_BIN_SAT(vadduws, u32, s128{x} + y)
VMX_BIN_SAT(vaddsbs, s8, s128{x} + y)
VMX_BIN_SAT(vaddshs, s16, s128{x} + y)
VMX_BIN_SAT(vaddsws, s32, s128{x} + y)
VMX_BIN_SAT(vsububs, u8, s128{x} - y)
VMX_BIN_SAT(vsubuhs, u16, s128{x} - y)
VMX_BIN_SAT(vsubuws, u32, s128{x} - y)
VMX_BIN_SAT(vsubsbs, s8, s128{x} - y)
VMX_BIN_SAT(vsubshs, s16, s128{x} - y)
VMX_BIN_SAT(vsubsws, s32, s128{x} - y)

// Quadword forms: the carry-in is bit 127 of VRC.
inline Status vmx_quad(CpuState& s, u32 i, bool sub, bool extended, bool carry_out) {
  REQUIRE_VEC();
  const u128 a = vr(s, VRA(i)).q;
  const u128 b = sub ? ~vr(s, VRB(i)).q : vr(s, VRB(i)).q;
  const unsigned cin = extended ? (vr(s, VRC(i)).q & 1) : (sub ? 1 : 0);
  const u128 t = a + b;
  const u128 sum = t + cin;
  const bool c = t < a || sum < t;
  vr(s, VRT(i)).q = carry_out ? u128{c} : sum;
  return Status::Next;
}
SEM(vadduqm) { return vmx_quad(s, i, false, false, false); }
SEM(vaddcuq) { return vmx_quad(s, i, false, false, true); }
SEM(vaddeuqm) { return vmx_quad(s, i, false, true, false); }
SEM(vaddecuq) { return vmx_quad(s, i, false, true, true); }
SEM(vsubuqm) { return vmx_quad(s, i, true, false, false); }
SEM(vsubcuq) { return vmx_quad(s, i, true, false, true); }
SEM(vsubeuqm) { return vmx_quad(s, i, true, true, false); }
SEM(vsubecuq) { return vmx_quad(s, i, true, true, true); }

// Even/odd multiplies: element k of the double-width result comes from
// source element 2k (even) or 2k+1 (odd).
template <typename T, typename R>
inline Status vmx_mul_eo(CpuState& s, u32 i, unsigned odd) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  Vec r;
  for (unsigned k = 0; k < vmx::N<R>; ++k)
    elem<R>(r, k) = static_cast<R>(static_cast<R>(elem<T>(a, 2 * k + odd)) * static_cast<R>(elem<T>(b, 2 * k + odd)));
  vr(s, VRT(i)) = r;
  return Status::Next;
}
SEM(vmulesb) { return vmx_mul_eo<s8, s16>(s, i, 0); }
SEM(vmulesh) { return vmx_mul_eo<s16, s32>(s, i, 0); }
SEM(vmulesw) { return vmx_mul_eo<s32, s64>(s, i, 0); }
SEM(vmuleub) { return vmx_mul_eo<u8, u16>(s, i, 0); }
SEM(vmuleuh) { return vmx_mul_eo<u16, u32>(s, i, 0); }
SEM(vmuleuw) { return vmx_mul_eo<u32, u64>(s, i, 0); }
SEM(vmulosb) { return vmx_mul_eo<s8, s16>(s, i, 1); }
SEM(vmulosh) { return vmx_mul_eo<s16, s32>(s, i, 1); }
SEM(vmulosw) { return vmx_mul_eo<s32, s64>(s, i, 1); }
SEM(vmuloub) { return vmx_mul_eo<u8, u16>(s, i, 1); }
SEM(vmulouh) { return vmx_mul_eo<u16, u32>(s, i, 1); }
SEM(vmulouw) { return vmx_mul_eo<u32, u64>(s, i, 1); }
VMX_BIN(vmuluwm, u32, u64{x} * y)

// Book I 6.9.1.7: high-half multiply-add of halfwords.
inline Status vmx_mhadd(CpuState& s, u32 i, s32 round) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i)), c = vr(s, VRC(i));
  Vec r;
  bool q = false;
  for (unsigned k = 0; k < 8; ++k) {
    const s32 p = s32{elem<s16>(a, k)} * elem<s16>(b, k) + round;
    elem<s16>(r, k) = vmx::sat<s16>(s128{p >> 15} + elem<s16>(c, k), q);
  }
  vr(s, VRT(i)) = r;
  vmx::set_sat(s, q);
  return Status::Next;
}
SEM(vmhaddshs) { return vmx_mhadd(s, i, 0); }
SEM(vmhraddshs) { return vmx_mhadd(s, i, 0x4000); }
SEM(vmladduhm) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i)), c = vr(s, VRC(i));
  Vec r;
  for (unsigned k = 0; k < 8; ++k) elem<u16>(r, k) = static_cast<u16>(u32{elem<u16>(a, k)} * elem<u16>(b, k) + elem<u16>(c, k));
  vr(s, VRT(i)) = r;
  return Status::Next;
}

// Multiply-sum: word k of the result is VRC word k plus the products of the
// sub-elements of word k.  TA/TB are the source element types.
template <typename TA, typename TB, bool SAT, bool SIGNED>
inline Status vmx_msum(CpuState& s, u32 i) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i)), c = vr(s, VRC(i));
  constexpr unsigned per = 4 / sizeof(TA);
  Vec r;
  bool q = false;
  for (unsigned k = 0; k < 4; ++k) {
    s128 sum = SIGNED ? s128{elem<s32>(c, k)} : s128{elem<u32>(c, k)};
    for (unsigned j = 0; j < per; ++j) sum += s128{elem<TA>(a, per * k + j)} * elem<TB>(b, per * k + j);
    if constexpr (SAT) {
      if (SIGNED) elem<s32>(r, k) = vmx::sat<s32>(sum, q);
      else elem<u32>(r, k) = vmx::sat<u32>(sum, q);
    } else {
      elem<u32>(r, k) = static_cast<u32>(sum);
    }
  }
  vr(s, VRT(i)) = r;
  vmx::set_sat(s, q);
  return Status::Next;
}
SEM(vmsumubm) { return vmx_msum<u8, u8, false, false>(s, i); }
SEM(vmsummbm) { return vmx_msum<s8, u8, false, true>(s, i); }
SEM(vmsumshm) { return vmx_msum<s16, s16, false, true>(s, i); }
SEM(vmsumshs) { return vmx_msum<s16, s16, true, true>(s, i); }
SEM(vmsumuhm) { return vmx_msum<u16, u16, false, false>(s, i); }
SEM(vmsumuhs) { return vmx_msum<u16, u16, true, false>(s, i); }
SEM(vmsumudm) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i)), c = vr(s, VRC(i));
  vr(s, VRT(i)).q = u128{a.dw[0]} * b.dw[0] + u128{a.dw[1]} * b.dw[1] + c.q;
  return Status::Next;
}

// Sum across (Book I 6.9.1.9).
SEM(vsumsws) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  s128 sum = elem<s32>(b, 3);
  for (unsigned k = 0; k < 4; ++k) sum += elem<s32>(a, k);
  bool q = false;
  Vec r{};
  elem<s32>(r, 3) = vmx::sat<s32>(sum, q);
  vr(s, VRT(i)) = r;
  vmx::set_sat(s, q);
  return Status::Next;
}
SEM(vsum2sws) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  bool q = false;
  Vec r{};
  for (unsigned k = 0; k < 2; ++k) {
    const s128 sum = s128{elem<s32>(a, 2 * k)} + elem<s32>(a, 2 * k + 1) + elem<s32>(b, 2 * k + 1);
    elem<s32>(r, 2 * k + 1) = vmx::sat<s32>(sum, q);
  }
  vr(s, VRT(i)) = r;
  vmx::set_sat(s, q);
  return Status::Next;
}
template <typename T, bool SIGNED>
inline Status vmx_sum4(CpuState& s, u32 i) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  constexpr unsigned per = 4 / sizeof(T);
  bool q = false;
  Vec r;
  for (unsigned k = 0; k < 4; ++k) {
    s128 sum = SIGNED ? s128{elem<s32>(b, k)} : s128{elem<u32>(b, k)};
    for (unsigned j = 0; j < per; ++j) sum += elem<T>(a, per * k + j);
    if (SIGNED) elem<s32>(r, k) = vmx::sat<s32>(sum, q);
    else elem<u32>(r, k) = vmx::sat<u32>(sum, q);
  }
  vr(s, VRT(i)) = r;
  vmx::set_sat(s, q);
  return Status::Next;
}
SEM(vsum4sbs) { return vmx_sum4<s8, true>(s, i); }
SEM(vsum4shs) { return vmx_sum4<s16, true>(s, i); }
SEM(vsum4ubs) { return vmx_sum4<u8, false>(s, i); }

VMX_UN(vnegw, u32, 0u - x)
VMX_UN(vnegd, u64, u64{0} - x)
// Sign-extend the low byte/halfword/word of each element (Book I 6.9.1.2).
VMX_UN(vextsb2w, u32, static_cast<s32>(static_cast<s8>(x)))
VMX_UN(vextsh2w, u32, static_cast<s32>(static_cast<s16>(x)))
VMX_UN(vextsb2d, u64, static_cast<s64>(static_cast<s8>(x)))
VMX_UN(vextsh2d, u64, static_cast<s64>(static_cast<s16>(x)))
VMX_UN(vextsw2d, u64, static_cast<s64>(static_cast<s32>(x)))

VMX_BIN(vavgsb, s8, (s64{x} + y + 1) >> 1)
VMX_BIN(vavgsh, s16, (s64{x} + y + 1) >> 1)
VMX_BIN(vavgsw, s32, (s64{x} + y + 1) >> 1)
VMX_BIN(vavgub, u8, (u64{x} + y + 1) >> 1)
VMX_BIN(vavguh, u16, (u64{x} + y + 1) >> 1)
VMX_BIN(vavguw, u32, (u64{x} + y + 1) >> 1)
VMX_BIN(vabsdub, u8, x > y ? x - y : y - x)
VMX_BIN(vabsduh, u16, x > y ? x - y : y - x)
VMX_BIN(vabsduw, u32, x > y ? x - y : y - x)

VMX_BIN(vmaxsb, s8, x > y ? x : y)
VMX_BIN(vmaxsh, s16, x > y ? x : y)
VMX_BIN(vmaxsw, s32, x > y ? x : y)
VMX_BIN(vmaxsd, s64, x > y ? x : y)
VMX_BIN(vmaxub, u8, x > y ? x : y)
VMX_BIN(vmaxuh, u16, x > y ? x : y)
VMX_BIN(vmaxuw, u32, x > y ? x : y)
VMX_BIN(vmaxud, u64, x > y ? x : y)
VMX_BIN(vminsb, s8, x < y ? x : y)
VMX_BIN(vminsh, s16, x < y ? x : y)
VMX_BIN(vminsw, s32, x < y ? x : y)
VMX_BIN(vminsd, s64, x < y ? x : y)
VMX_BIN(vminub, u8, x < y ? x : y)
VMX_BIN(vminuh, u16, x < y ? x : y)
VMX_BIN(vminuw, u32, x < y ? x : y)
VMX_BIN(vminud, u64, x < y ? x : y)

// ---- Integer compares (Book I 6.9.3)
VMX_CMP(vcmpequb, u8, x == y)
VMX_CMP(vcmpequh, u16, x == y)
VMX_CMP(vcmpequw, u32, x == y)
VMX_CMP(vcmpequd, u64, x == y)
VMX_CMP(vcmpgtsb, s8, x > y)
VMX_CMP(vcmpgtsh, s16, x > y)
VMX_CMP(vcmpgtsw, s32, x > y)
VMX_CMP(vcmpgtsd, s64, x > y)
VMX_CMP(vcmpgtub, u8, x > y)
VMX_CMP(vcmpgtuh, u16, x > y)
VMX_CMP(vcmpgtuw, u32, x > y)
VMX_CMP(vcmpgtud, u64, x > y)
VMX_CMP(vcmpneb, u8, x != y)
VMX_CMP(vcmpneh, u16, x != y)
VMX_CMP(vcmpnew, u32, x != y)
VMX_CMP(vcmpnezb, u8, x != y || x == 0 || y == 0)
VMX_CMP(vcmpnezh, u16, x != y || x == 0 || y == 0)
VMX_CMP(vcmpnezw, u32, x != y || x == 0 || y == 0)

// ---- Logical (Book I 6.10)
VMX_BIN(vand, u64, x & y)
VMX_BIN(vandc, u64, x & ~y)
VMX_BIN(vor, u64, x | y)
VMX_BIN(vorc, u64, x | ~y)
VMX_BIN(vnor, u64, ~(x | y))
VMX_BIN(vxor, u64, x ^ y)
VMX_BIN(vnand, u64, ~(x & y))
VMX_BIN(veqv, u64, ~(x ^ y))
SEM(vsel) {
  REQUIRE_VEC();
  const u128 a = vr(s, VRA(i)).q, b = vr(s, VRB(i)).q, c = vr(s, VRC(i)).q;
  vr(s, VRT(i)).q = (b & c) | (a & ~c);
  return Status::Next;
}

// ---- Rotate and shift (Book I 6.11): counts come from the low bits of VRB's elements.
VMX_BIN(vrlb, u8, vmx::rotl<u8>(x, y))
VMX_BIN(vrlh, u16, vmx::rotl<u16>(x, y))
VMX_BIN(vrlw, u32, vmx::rotl<u32>(x, y))
VMX_BIN(vrld, u64, vmx::rotl<u64>(x, static_cast<unsigned>(y)))
VMX_BIN(vslb, u8, x << (y & 7))
VMX_BIN(vslh, u16, x << (y & 15))
VMX_BIN(vslw, u32, x << (y & 31))
VMX_BIN(vsld, u64, x << (y & 63))
VMX_BIN(vsrb, u8, x >> (y & 7))
VMX_BIN(vsrh, u16, x >> (y & 15))
VMX_BIN(vsrw, u32, x >> (y & 31))
VMX_BIN(vsrd, u64, x >> (y & 63))
VMX_BIN(vsrab, s8, x >> (y & 7))
VMX_BIN(vsrah, s16, x >> (y & 15))
VMX_BIN(vsraw, s32, x >> (y & 31))
VMX_BIN(vsrad, s64, x >> (y & 63))

// Rotate-and-mask (P9): VRB element holds mb, me, sh at ISA bits
// 11:15/19:23/27:31 of a word, 42:47/50:55/58:63 of a doubleword.
template <typename T, bool INSERT>
inline Status vmx_rlm(CpuState& s, u32 i) {
  REQUIRE_VEC();
  constexpr unsigned W = sizeof(T) * 8;
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i)), t = vr(s, VRT(i));
  Vec r;
  for (unsigned k = 0; k < vmx::N<T>; ++k) {
    const T ctl = elem<T>(b, k);
    const unsigned sh = ctl & (W - 1), me = (ctl >> 8) & (W - 1), mb = (ctl >> 16) & (W - 1);
    const T m = vmx::rot_mask<T>(mb, me);
    const T rot = vmx::rotl<T>(elem<T>(a, k), sh);
    elem<T>(r, k) = INSERT ? static_cast<T>((rot & m) | (elem<T>(t, k) & ~m)) : static_cast<T>(rot & m);
  }
  vr(s, VRT(i)) = r;
  return Status::Next;
}
SEM(vrlwmi) { return vmx_rlm<u32, true>(s, i); }
SEM(vrldmi) { return vmx_rlm<u64, true>(s, i); }
SEM(vrlwnm) { return vmx_rlm<u32, false>(s, i); }
SEM(vrldnm) { return vmx_rlm<u64, false>(s, i); }

// Whole-register shifts: the count is taken from byte 15 of VRB (the book
// makes the result undefined unless all bytes agree; QEMU uses byte 15).
SEM(vsl) {
  REQUIRE_VEC();
  const unsigned sh = elem<u8>(vr(s, VRB(i)), 15) & 7;
  vr(s, VRT(i)).q = vr(s, VRA(i)).q << sh;
  return Status::Next;
}
SEM(vsr) {
  REQUIRE_VEC();
  const unsigned sh = elem<u8>(vr(s, VRB(i)), 15) & 7;
  vr(s, VRT(i)).q = vr(s, VRA(i)).q >> sh;
  return Status::Next;
}
SEM(vslo) {
  REQUIRE_VEC();
  const unsigned sh = (elem<u8>(vr(s, VRB(i)), 15) >> 3) & 15;
  vr(s, VRT(i)).q = sh ? vr(s, VRA(i)).q << (8 * sh) : vr(s, VRA(i)).q;
  return Status::Next;
}
SEM(vsro) {
  REQUIRE_VEC();
  const unsigned sh = (elem<u8>(vr(s, VRB(i)), 15) >> 3) & 15;
  vr(s, VRT(i)).q = sh ? vr(s, VRA(i)).q >> (8 * sh) : vr(s, VRA(i)).q;
  return Status::Next;
}
// Variable per-byte shifts: each byte shifts in bits of its neighbour.
SEM(vslv) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  Vec r;
  for (unsigned k = 0; k < 16; ++k) {
    const unsigned next = k < 15 ? elem<u8>(a, k + 1) : 0;
    const unsigned t = (unsigned{elem<u8>(a, k)} << 8) | next;
    elem<u8>(r, k) = static_cast<u8>((t << (elem<u8>(b, k) & 7)) >> 8);
  }
  vr(s, VRT(i)) = r;
  return Status::Next;
}
SEM(vsrv) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  Vec r;
  for (unsigned k = 0; k < 16; ++k) {
    const unsigned prev = k > 0 ? elem<u8>(a, k - 1) : 0;
    const unsigned t = (prev << 8) | elem<u8>(a, k);
    elem<u8>(r, k) = static_cast<u8>(t >> (elem<u8>(b, k) & 7));
  }
  vr(s, VRT(i)) = r;
  return Status::Next;
}

}  // namespace lpar::sem

#include "cpu/sem/vmx_perm.h"
#include "cpu/sem/vmx_crypto.h"
#include "cpu/sem/vmx_fp.h"
#include "cpu/sem/vmx_bcd.h"
