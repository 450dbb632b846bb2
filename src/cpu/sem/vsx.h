// vsx: the non-arithmetic part of the Vector-Scalar Extension (PowerISA 3.0B
// Book I chapter 7): VSX loads and stores, GPR<->VSR moves, logical and
// permute instructions.  Floating-point VSX lives in vsx_fp.h.
//
// VSR doubleword 0 (the FPR half) is host dw[1]; element k of width W is
// elem<T>(v, k).  Helpers here are prefixed vsx_ since every class header
// shares the lpar::sem namespace.
#pragma once
#include "cpu/sem/common.h"

namespace lpar::sem {

// ---- Fields this class needs that insn.h lacks (Book I 1.6.28).
constexpr unsigned VSX_DM(u32 i) { return bits(i, 22, 23); }
constexpr unsigned VSX_SHW(u32 i) { return bits(i, 22, 23); }
constexpr unsigned VSX_UIM2(u32 i) { return bits(i, 14, 15); }  // xxspltw
constexpr unsigned VSX_UIM4(u32 i) { return bits(i, 12, 15); }  // xxextractuw, xxinsertw
constexpr unsigned VSX_IMM8(u32 i) { return bits(i, 13, 20); }  // xxspltib
constexpr unsigned VSX_VRT(u32 i) { return 32 + bits(i, 6, 10); }  // lxsd/lxssp/stxsd/stxssp

// ---- Facility rules (Book I 7.6 instruction descriptions).
// VSRs 32-63 are the VRs: the newer forms ask MSR[VEC] for those and MSR[VSX]
// for VSRs 0-31.
#define VSX_REQUIRE_VSX_OR_VEC(x) do { if ((x) < 32) REQUIRE_VSX(); else REQUIRE_VEC(); } while (0)
// mfvsrd/mfvsrwz/mtvsrd/mtvsrwa/mtvsrwz (ISA 2.07) ask MSR[FP] for VSRs 0-31.
#define VSX_REQUIRE_FP_OR_VEC(x) do { if ((x) < 32) REQUIRE_FP(); else REQUIRE_VEC(); } while (0)

inline u64 vsx_dw(const Vec& v, unsigned k) { return elem<u64>(v, k); }

// Book I 1.10.3: EA = (RA|0) + (RB), wrapped in 32-bit mode.
inline u64 vsx_ea_x(const CpuState& s, u32 i) {
  return ea_mask(s, (RA(i) ? s.gpr[RA(i)] : 0) + s.gpr[RB(i)]);
}
inline u64 vsx_ea_ra(const CpuState& s, u32 i) { return ea_mask(s, RA(i) ? s.gpr[RA(i)] : 0); }
inline u64 vsx_ea_disp(const CpuState& s, u32 i, s64 d) {
  return ea_mask(s, (RA(i) ? s.gpr[RA(i)] : 0) + static_cast<u64>(d));
}

// Book I 4.6.2 "Floating-Point Load": a single-precision word in double format,
// without rounding and without quieting a signalling NaN.
inline u64 vsx_sp_to_dp(u32 w) {
  const u64 sign = u64{w >> 31} << 63;
  const u32 e = (w >> 23) & 0xff;
  const u64 frac = w & 0x7fffff;
  if (e == 0) {
    if (frac == 0) return sign;
    // Denormal: normalize into the wider exponent range.
    int exp = -126;
    u64 f = frac << 29;  // 52-bit fraction field
    while (!(f & (u64{1} << 52))) {
      f <<= 1;
      --exp;
    }
    return sign | (static_cast<u64>(exp + 1023) << 52) | (f & ((u64{1} << 52) - 1));
  }
  const u64 exp = e == 0xff ? 0x7ff : e - 127 + 1023;
  return sign | (exp << 52) | (frac << 29);
}

// Book I 4.6.3 "Floating-Point Store": the double-format bits as a single,
// denormalizing where the exponent allows; out of range values (undefined in
// the book) keep only the sign, as QEMU does.
inline u32 vsx_dp_to_sp(u64 d) {
  const u32 exp = (d >> 52) & 0x7ff;
  if (exp > 896) return static_cast<u32>(((d >> 62) << 30) | ((d >> 29) & 0x3fffffff));
  u32 r = static_cast<u32>(d >> 63) << 31;
  if (exp >= 874) r |= static_cast<u32>((((u64{1} << 52) | (d & ((u64{1} << 52) - 1))) >> (926 - exp)) & 0x7fffff);
  return r;
}

// Raw 16 bytes in memory order to/from a Vec, with byte 0 of memory as ISA
// byte element 0 (the big-endian view).
inline Vec vsx_from_be_bytes(const u8* m) {
  Vec v;
  for (unsigned k = 0; k < 16; ++k) elem<u8>(v, k) = m[k];
  return v;
}
inline void vsx_to_be_bytes(const Vec& v, u8* m) {
  for (unsigned k = 0; k < 16; ++k) m[k] = elem<u8>(v, k);
}

// Elements of width T loaded from consecutive addresses, each in the current
// byte order (lxvd2x, lxvw4x, lxvh8x, lxvb16x; Book I 7.6.1).  One 16-byte
// access, so a fault leaves the target untouched.
template <typename T>
inline bool vsx_load_elems(CpuState& s, u64 ea, Vec& out) {
  u8 m[16];
  if (!read_bytes(s, ea, m, 16)) return false;
  for (unsigned k = 0; k < 16 / sizeof(T); ++k) {
    T e;
    std::memcpy(&e, m + k * sizeof(T), sizeof(T));
    elem<T>(out, k) = s.le ? e : bswap(e);
  }
  return true;
}
template <typename T>
inline bool vsx_store_elems(CpuState& s, u64 ea, const Vec& v) {
  u8 m[16];
  for (unsigned k = 0; k < 16 / sizeof(T); ++k) {
    const T e = s.le ? elem<T>(v, k) : bswap(elem<T>(v, k));
    std::memcpy(m + k * sizeof(T), &e, sizeof(T));
  }
  return write_bytes(s, ea, m, 16);
}
// A whole quadword in the current byte order (lxvx, lxv; Book I 7.6.1).
inline bool vsx_load_q(CpuState& s, u64 ea, Vec& out) {
  u128 q;
  if (!load<u128>(s, ea, q)) return false;
  out.q = q;
  return true;
}
inline bool vsx_store_q(CpuState& s, u64 ea, const Vec& v) { return store<u128>(s, ea, v.q); }

// ======================= Loads (Book I 7.6.1.1) =======================

// Scalar loads write doubleword 0; doubleword 1 is undefined and QEMU leaves it.
SEM(lxsdx) {
  REQUIRE_VSX();
  u64 v;
  LOAD(u64, vsx_ea_x(s, i), v);
  elem<u64>(s.vsr[XT(i)], 0) = v;
  return Status::Next;
}
SEM(lxsiwax) {
  REQUIRE_VSX();
  u32 v;
  LOAD(u32, vsx_ea_x(s, i), v);
  elem<u64>(s.vsr[XT(i)], 0) = static_cast<u64>(static_cast<s64>(static_cast<s32>(v)));
  return Status::Next;
}
SEM(lxsiwzx) {
  REQUIRE_VSX();
  u32 v;
  LOAD(u32, vsx_ea_x(s, i), v);
  elem<u64>(s.vsr[XT(i)], 0) = v;
  return Status::Next;
}
SEM(lxsspx) {
  REQUIRE_VSX();
  u32 v;
  LOAD(u32, vsx_ea_x(s, i), v);
  elem<u64>(s.vsr[XT(i)], 0) = vsx_sp_to_dp(v);
  return Status::Next;
}
SEM(lxsibzx) {
  REQUIRE_VSX();
  u8 v;
  LOAD(u8, vsx_ea_x(s, i), v);
  elem<u64>(s.vsr[XT(i)], 0) = v;
  return Status::Next;
}
SEM(lxsihzx) {
  REQUIRE_VSX();
  u16 v;
  LOAD(u16, vsx_ea_x(s, i), v);
  elem<u64>(s.vsr[XT(i)], 0) = v;
  return Status::Next;
}
// DS-form scalar loads target VR VRT (VSR 32+VRT): MSR[VEC] governs them.
SEM(lxsd) {
  REQUIRE_VEC();
  u64 v;
  LOAD(u64, vsx_ea_disp(s, i, DS(i)), v);
  Vec& t = s.vsr[VSX_VRT(i)];
  elem<u64>(t, 0) = v;
  elem<u64>(t, 1) = 0;
  return Status::Next;
}
SEM(lxssp) {
  REQUIRE_VEC();
  u32 v;
  LOAD(u32, vsx_ea_disp(s, i, DS(i)), v);
  Vec& t = s.vsr[VSX_VRT(i)];
  elem<u64>(t, 0) = vsx_sp_to_dp(v);
  elem<u64>(t, 1) = 0;
  return Status::Next;
}

SEM(lxvd2x) {
  REQUIRE_VSX();
  Vec v;
  if (!vsx_load_elems<u64>(s, vsx_ea_x(s, i), v)) return Status::Exception;
  s.vsr[XT(i)] = v;
  return Status::Next;
}
SEM(lxvw4x) {
  REQUIRE_VSX();
  Vec v;
  if (!vsx_load_elems<u32>(s, vsx_ea_x(s, i), v)) return Status::Exception;
  s.vsr[XT(i)] = v;
  return Status::Next;
}
SEM(lxvh8x) {
  REQUIRE_VSX();
  Vec v;
  if (!vsx_load_elems<u16>(s, vsx_ea_x(s, i), v)) return Status::Exception;
  s.vsr[XT(i)] = v;
  return Status::Next;
}
SEM(lxvb16x) {
  REQUIRE_VSX();
  Vec v;
  if (!vsx_load_elems<u8>(s, vsx_ea_x(s, i), v)) return Status::Exception;
  s.vsr[XT(i)] = v;
  return Status::Next;
}
SEM(lxvdsx) {
  REQUIRE_VSX();
  u64 v;
  LOAD(u64, vsx_ea_x(s, i), v);
  s.vsr[XT(i)].dw[0] = s.vsr[XT(i)].dw[1] = v;
  return Status::Next;
}
SEM(lxvwsx) {
  VSX_REQUIRE_VSX_OR_VEC(XT(i));
  u32 v;
  LOAD(u32, vsx_ea_x(s, i), v);
  for (unsigned k = 0; k < 4; ++k) s.vsr[XT(i)].w[k] = v;
  return Status::Next;
}
SEM(lxvx) {
  VSX_REQUIRE_VSX_OR_VEC(XT(i));
  Vec v;
  if (!vsx_load_q(s, vsx_ea_x(s, i), v)) return Status::Exception;
  s.vsr[XT(i)] = v;
  return Status::Next;
}
SEM(lxv) {
  const unsigned xt = XT_DQ(i);
  VSX_REQUIRE_VSX_OR_VEC(xt);
  Vec v;
  if (!vsx_load_q(s, vsx_ea_disp(s, i, DQ(i)), v)) return Status::Exception;
  s.vsr[xt] = v;
  return Status::Next;
}

// Book I 7.6.1.1 lxvl/lxvll: the byte count is GPR[RB] bits 0:7, capped at 16;
// the rest of the target is zeroed.  lxvl in little-endian mode fills from the
// right end; lxvll is always left-justified.
inline Status vsx_load_len(CpuState& s, u32 i, bool left_justified) {
  VSX_REQUIRE_VSX_OR_VEC(XT(i));
  unsigned nb = static_cast<unsigned>(s.gpr[RB(i)] >> 56);
  if (nb > 16) nb = 16;
  u8 m[16] = {};
  if (nb && !read_bytes(s, vsx_ea_ra(s, i), m, nb)) return Status::Exception;
  Vec v{};
  for (unsigned k = 0; k < nb; ++k) {
    if (s.le && !left_justified) elem<u8>(v, 15 - k) = m[k];
    else elem<u8>(v, k) = m[k];
  }
  s.vsr[XT(i)] = v;
  return Status::Next;
}
SEM(lxvl) { return vsx_load_len(s, i, false); }
SEM(lxvll) { return vsx_load_len(s, i, true); }

// ======================= Stores (Book I 7.6.1.2) =======================

SEM(stxsdx) {
  REQUIRE_VSX();
  STORE(u64, vsx_ea_x(s, i), vsx_dw(s.vsr[XS(i)], 0));
  return Status::Next;
}
SEM(stxsiwx) {
  REQUIRE_VSX();
  STORE(u32, vsx_ea_x(s, i), elem<u32>(s.vsr[XS(i)], 1));
  return Status::Next;
}
SEM(stxsspx) {
  REQUIRE_VSX();
  STORE(u32, vsx_ea_x(s, i), vsx_dp_to_sp(vsx_dw(s.vsr[XS(i)], 0)));
  return Status::Next;
}
SEM(stxsibx) {
  REQUIRE_VSX();
  STORE(u8, vsx_ea_x(s, i), elem<u8>(s.vsr[XS(i)], 7));
  return Status::Next;
}
SEM(stxsihx) {
  REQUIRE_VSX();
  STORE(u16, vsx_ea_x(s, i), elem<u16>(s.vsr[XS(i)], 3));
  return Status::Next;
}
SEM(stxsd) {
  REQUIRE_VEC();
  STORE(u64, vsx_ea_disp(s, i, DS(i)), vsx_dw(s.vsr[VSX_VRT(i)], 0));
  return Status::Next;
}
SEM(stxssp) {
  REQUIRE_VEC();
  STORE(u32, vsx_ea_disp(s, i, DS(i)), vsx_dp_to_sp(vsx_dw(s.vsr[VSX_VRT(i)], 0)));
  return Status::Next;
}
SEM(stxvd2x) {
  REQUIRE_VSX();
  return vsx_store_elems<u64>(s, vsx_ea_x(s, i), s.vsr[XS(i)]) ? Status::Next : Status::Exception;
}
SEM(stxvw4x) {
  REQUIRE_VSX();
  return vsx_store_elems<u32>(s, vsx_ea_x(s, i), s.vsr[XS(i)]) ? Status::Next : Status::Exception;
}
SEM(stxvh8x) {
  REQUIRE_VSX();
  return vsx_store_elems<u16>(s, vsx_ea_x(s, i), s.vsr[XS(i)]) ? Status::Next : Status::Exception;
}
SEM(stxvb16x) {
  REQUIRE_VSX();
  return vsx_store_elems<u8>(s, vsx_ea_x(s, i), s.vsr[XS(i)]) ? Status::Next : Status::Exception;
}
SEM(stxvx) {
  VSX_REQUIRE_VSX_OR_VEC(XS(i));
  return vsx_store_q(s, vsx_ea_x(s, i), s.vsr[XS(i)]) ? Status::Next : Status::Exception;
}
SEM(stxv) {
  const unsigned xs = XT_DQ(i);
  VSX_REQUIRE_VSX_OR_VEC(xs);
  return vsx_store_q(s, vsx_ea_disp(s, i, DQ(i)), s.vsr[xs]) ? Status::Next : Status::Exception;
}
inline Status vsx_store_len(CpuState& s, u32 i, bool left_justified) {
  VSX_REQUIRE_VSX_OR_VEC(XS(i));
  unsigned nb = static_cast<unsigned>(s.gpr[RB(i)] >> 56);
  if (nb > 16) nb = 16;
  if (!nb) return Status::Next;
  const Vec& v = s.vsr[XS(i)];
  u8 m[16];
  for (unsigned k = 0; k < nb; ++k) m[k] = (s.le && !left_justified) ? elem<u8>(v, 15 - k) : elem<u8>(v, k);
  return write_bytes(s, vsx_ea_ra(s, i), m, nb) ? Status::Next : Status::Exception;
}
SEM(stxvl) { return vsx_store_len(s, i, false); }
SEM(stxvll) { return vsx_store_len(s, i, true); }

// ======================= Moves (Book I 7.6.1.3) =======================

SEM(mfvsrd) {
  VSX_REQUIRE_FP_OR_VEC(XS(i));
  s.gpr[RA(i)] = vsx_dw(s.vsr[XS(i)], 0);
  return Status::Next;
}
SEM(mfvsrwz) {
  VSX_REQUIRE_FP_OR_VEC(XS(i));
  s.gpr[RA(i)] = elem<u32>(s.vsr[XS(i)], 1);
  return Status::Next;
}
// Doubleword 1 of the target is undefined; QEMU leaves it unchanged.
SEM(mtvsrd) {
  VSX_REQUIRE_FP_OR_VEC(XT(i));
  elem<u64>(s.vsr[XT(i)], 0) = s.gpr[RA(i)];
  return Status::Next;
}
SEM(mtvsrwa) {
  VSX_REQUIRE_FP_OR_VEC(XT(i));
  elem<u64>(s.vsr[XT(i)], 0) = static_cast<u64>(static_cast<s64>(static_cast<s32>(s.gpr[RA(i)])));
  return Status::Next;
}
SEM(mtvsrwz) {
  VSX_REQUIRE_FP_OR_VEC(XT(i));
  elem<u64>(s.vsr[XT(i)], 0) = static_cast<u32>(s.gpr[RA(i)]);
  return Status::Next;
}
SEM(mfvsrld) {
  VSX_REQUIRE_VSX_OR_VEC(XS(i));
  s.gpr[RA(i)] = vsx_dw(s.vsr[XS(i)], 1);
  return Status::Next;
}
SEM(mtvsrdd) {
  VSX_REQUIRE_VSX_OR_VEC(XT(i));
  Vec& t = s.vsr[XT(i)];
  elem<u64>(t, 0) = RA(i) ? s.gpr[RA(i)] : 0;
  elem<u64>(t, 1) = s.gpr[RB(i)];
  return Status::Next;
}
SEM(mtvsrws) {
  VSX_REQUIRE_VSX_OR_VEC(XT(i));
  const u32 w = static_cast<u32>(s.gpr[RA(i)]);
  for (unsigned k = 0; k < 4; ++k) s.vsr[XT(i)].w[k] = w;
  return Status::Next;
}

// ======================= Logical (Book I 7.6.1.7) =======================

#define VSX_LOGICAL(name, expr)                 \
  SEM(name) {                                   \
    REQUIRE_VSX();                              \
    const u128 a = s.vsr[XA(i)].q;              \
    const u128 b = s.vsr[XB(i)].q;              \
    s.vsr[XT(i)].q = (expr);                    \
    return Status::Next;                        \
  }
VSX_LOGICAL(xxland, a & b)
VSX_LOGICAL(xxlandc, a & ~b)
VSX_LOGICAL(xxlor, a | b)
VSX_LOGICAL(xxlxor, a ^ b)
VSX_LOGICAL(xxlnor, ~(a | b))
VSX_LOGICAL(xxlorc, a | ~b)
VSX_LOGICAL(xxlnand, ~(a & b))
VSX_LOGICAL(xxleqv, ~(a ^ b))
#undef VSX_LOGICAL

SEM(xxsel) {
  REQUIRE_VSX();
  const u128 a = s.vsr[XA(i)].q, b = s.vsr[XB(i)].q, c = s.vsr[XC(i)].q;
  s.vsr[XT(i)].q = (a & ~c) | (b & c);
  return Status::Next;
}

// ======================= Permute (Book I 7.6.1.8) =======================

SEM(xxmrghw) {
  REQUIRE_VSX();
  const Vec a = s.vsr[XA(i)], b = s.vsr[XB(i)];
  Vec& t = s.vsr[XT(i)];
  elem<u32>(t, 0) = elem<u32>(a, 0);
  elem<u32>(t, 1) = elem<u32>(b, 0);
  elem<u32>(t, 2) = elem<u32>(a, 1);
  elem<u32>(t, 3) = elem<u32>(b, 1);
  return Status::Next;
}
SEM(xxmrglw) {
  REQUIRE_VSX();
  const Vec a = s.vsr[XA(i)], b = s.vsr[XB(i)];
  Vec& t = s.vsr[XT(i)];
  elem<u32>(t, 0) = elem<u32>(a, 2);
  elem<u32>(t, 1) = elem<u32>(b, 2);
  elem<u32>(t, 2) = elem<u32>(a, 3);
  elem<u32>(t, 3) = elem<u32>(b, 3);
  return Status::Next;
}
SEM(xxpermdi) {
  REQUIRE_VSX();
  const unsigned dm = VSX_DM(i);
  const Vec a = s.vsr[XA(i)], b = s.vsr[XB(i)];
  Vec& t = s.vsr[XT(i)];
  elem<u64>(t, 0) = elem<u64>(a, dm >> 1);
  elem<u64>(t, 1) = elem<u64>(b, dm & 1);
  return Status::Next;
}
// (XA || XB) shifted left by SHW words.
SEM(xxsldwi) {
  REQUIRE_VSX();
  const unsigned sh = VSX_SHW(i) * 32;
  const u128 a = s.vsr[XA(i)].q, b = s.vsr[XB(i)].q;
  s.vsr[XT(i)].q = sh ? (a << sh) | (b >> (128 - sh)) : a;
  return Status::Next;
}
SEM(xxspltw) {
  REQUIRE_VSX();
  const u32 w = elem<u32>(s.vsr[XB(i)], VSX_UIM2(i));
  for (unsigned k = 0; k < 4; ++k) s.vsr[XT(i)].w[k] = w;
  return Status::Next;
}
SEM(xxspltib) {
  VSX_REQUIRE_VSX_OR_VEC(XT(i));
  std::memset(s.vsr[XT(i)].b, static_cast<int>(VSX_IMM8(i)), 16);
  return Status::Next;
}
// xxperm: byte i of XT <- byte (XB.byte[i] & 31) of XA || XT.
// xxpermr: the same with the index counted from the right end.
inline Status vsx_perm(CpuState& s, u32 i, bool reverse) {
  REQUIRE_VSX();
  const Vec a = s.vsr[XA(i)], t = s.vsr[XT(i)], b = s.vsr[XB(i)];
  Vec r;
  for (unsigned k = 0; k < 16; ++k) {
    unsigned idx = elem<u8>(b, k) & 31;
    if (reverse) idx = 31 - idx;
    r.b[15 - k] = idx < 16 ? elem<u8>(a, idx) : elem<u8>(t, idx - 16);
  }
  s.vsr[XT(i)] = r;
  return Status::Next;
}
SEM(xxperm) { return vsx_perm(s, i, false); }
SEM(xxpermr) { return vsx_perm(s, i, true); }

// UIM > 12 is undefined by the book; QEMU wraps the source byte index.
SEM(xxextractuw) {
  REQUIRE_VSX();
  const Vec b = s.vsr[XB(i)];
  const unsigned uim = VSX_UIM4(i);
  Vec r{};
  for (unsigned k = 0; k < 4; ++k) elem<u8>(r, 4 + k) = elem<u8>(b, (uim + k) & 15);
  s.vsr[XT(i)] = r;
  return Status::Next;
}
// UIM > 12 is undefined by the book; QEMU stops at the end of the register.
SEM(xxinsertw) {
  REQUIRE_VSX();
  const Vec b = s.vsr[XB(i)];
  const unsigned uim = VSX_UIM4(i);
  Vec& t = s.vsr[XT(i)];
  for (unsigned k = 0; k < 4 && uim + k < 16; ++k) elem<u8>(t, uim + k) = elem<u8>(b, 4 + k);
  return Status::Next;
}

template <typename T>
inline Status vsx_brev(CpuState& s, u32 i) {
  REQUIRE_VSX();
  const Vec b = s.vsr[XB(i)];
  Vec r;
  if constexpr (sizeof(T) == 16) {
    r.q = bswap(b.q);
  } else {
    for (unsigned k = 0; k < 16 / sizeof(T); ++k) elem<T>(r, k) = bswap(elem<T>(b, k));
  }
  s.vsr[XT(i)] = r;
  return Status::Next;
}
SEM(xxbrh) { return vsx_brev<u16>(s, i); }
SEM(xxbrw) { return vsx_brev<u32>(s, i); }
SEM(xxbrd) { return vsx_brev<u64>(s, i); }
SEM(xxbrq) { return vsx_brev<u128>(s, i); }

}  // namespace lpar::sem
