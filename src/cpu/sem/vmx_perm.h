// VMX permute/pack/unpack/merge/splat (Book I 6.8) and bit manipulation
// (Book I 6.9.x, 6.16).  Included from vmx.h.
#pragma once
#include "cpu/sem/common.h"

namespace lpar::sem {

// Byte k (0..31) of the concatenation VRA || VRB.
inline u8 vmx_cat(const Vec& a, const Vec& b, unsigned k) { return k < 16 ? elem<u8>(a, k) : elem<u8>(b, k - 16); }

SEM(vperm) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i)), c = vr(s, VRC(i));
  Vec r;
  for (unsigned k = 0; k < 16; ++k) elem<u8>(r, k) = vmx_cat(a, b, elem<u8>(c, k) & 31);
  vr(s, VRT(i)) = r;
  return Status::Next;
}
// P9: the index counts from the right end.
SEM(vpermr) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i)), c = vr(s, VRC(i));
  Vec r;
  for (unsigned k = 0; k < 16; ++k) elem<u8>(r, k) = vmx_cat(a, b, 31 - (elem<u8>(c, k) & 31));
  vr(s, VRT(i)) = r;
  return Status::Next;
}
SEM(vpermxor) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i)), c = vr(s, VRC(i));
  Vec r;
  for (unsigned k = 0; k < 16; ++k) {
    const u8 ix = elem<u8>(c, k);
    elem<u8>(r, k) = elem<u8>(a, ix >> 4) ^ elem<u8>(b, ix & 15);
  }
  vr(s, VRT(i)) = r;
  return Status::Next;
}
SEM(vsldoi) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  const unsigned sh = bits(i, 22, 25);
  Vec r;
  for (unsigned k = 0; k < 16; ++k) elem<u8>(r, k) = vmx_cat(a, b, k + sh);
  vr(s, VRT(i)) = r;
  return Status::Next;
}

// Merge: interleave elements from the high (first) or low half.
template <typename T>
inline Status vmx_merge(CpuState& s, u32 i, unsigned base) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  Vec r;
  for (unsigned k = 0; k < vmx::N<T> / 2; ++k) {
    elem<T>(r, 2 * k) = elem<T>(a, base + k);
    elem<T>(r, 2 * k + 1) = elem<T>(b, base + k);
  }
  vr(s, VRT(i)) = r;
  return Status::Next;
}
SEM(vmrghb) { return vmx_merge<u8>(s, i, 0); }
SEM(vmrghh) { return vmx_merge<u16>(s, i, 0); }
SEM(vmrghw) { return vmx_merge<u32>(s, i, 0); }
SEM(vmrglb) { return vmx_merge<u8>(s, i, 8); }
SEM(vmrglh) { return vmx_merge<u16>(s, i, 4); }
SEM(vmrglw) { return vmx_merge<u32>(s, i, 2); }
inline Status vmx_merge_eo(CpuState& s, u32 i, unsigned odd) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  Vec r;
  for (unsigned k = 0; k < 2; ++k) {
    elem<u32>(r, 2 * k) = elem<u32>(a, 2 * k + odd);
    elem<u32>(r, 2 * k + 1) = elem<u32>(b, 2 * k + odd);
  }
  vr(s, VRT(i)) = r;
  return Status::Next;
}
SEM(vmrgew) { return vmx_merge_eo(s, i, 0); }
SEM(vmrgow) { return vmx_merge_eo(s, i, 1); }

template <typename T>
inline Status vmx_splat(CpuState& s, u32 i) {
  REQUIRE_VEC();
  const T v = elem<T>(vr(s, VRB(i)), bits(i, 12, 15) & (vmx::N<T> - 1));
  Vec& t = vr(s, VRT(i));
  for (unsigned k = 0; k < vmx::N<T>; ++k) elem<T>(t, k) = v;
  return Status::Next;
}
SEM(vspltb) { return vmx_splat<u8>(s, i); }
SEM(vsplth) { return vmx_splat<u16>(s, i); }
SEM(vspltw) { return vmx_splat<u32>(s, i); }
template <typename T>
inline Status vmx_splat_imm(CpuState& s, u32 i) {
  REQUIRE_VEC();
  const T v = static_cast<T>(sext(bits(i, 11, 15), 5));
  Vec& t = vr(s, VRT(i));
  for (unsigned k = 0; k < vmx::N<T>; ++k) elem<T>(t, k) = v;
  return Status::Next;
}
SEM(vspltisb) { return vmx_splat_imm<u8>(s, i); }
SEM(vspltish) { return vmx_splat_imm<u16>(s, i); }
SEM(vspltisw) { return vmx_splat_imm<u32>(s, i); }

// Pack: elements of VRA then VRB, narrowed.  S is the source type, D the
// destination type; SAT clamps (and sets VSCR[SAT]), otherwise truncates.
template <typename S, typename D, bool SAT>
inline Status vmx_pack(CpuState& s, u32 i) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  constexpr unsigned n = vmx::N<S>;
  Vec r;
  bool q = false;
  for (unsigned k = 0; k < 2 * n; ++k) {
    const S v = k < n ? elem<S>(a, k) : elem<S>(b, k - n);
    elem<D>(r, k) = SAT ? vmx::sat<D>(static_cast<s128>(v), q) : static_cast<D>(v);
  }
  vr(s, VRT(i)) = r;
  vmx::set_sat(s, q);
  return Status::Next;
}
SEM(vpkuhum) { return vmx_pack<u16, u8, false>(s, i); }
SEM(vpkuwum) { return vmx_pack<u32, u16, false>(s, i); }
SEM(vpkudum) { return vmx_pack<u64, u32, false>(s, i); }
SEM(vpkuhus) { return vmx_pack<u16, u8, true>(s, i); }
SEM(vpkuwus) { return vmx_pack<u32, u16, true>(s, i); }
SEM(vpkudus) { return vmx_pack<u64, u32, true>(s, i); }
SEM(vpkshus) { return vmx_pack<s16, u8, true>(s, i); }
SEM(vpkswus) { return vmx_pack<s32, u16, true>(s, i); }
SEM(vpksdus) { return vmx_pack<s64, u32, true>(s, i); }
SEM(vpkshss) { return vmx_pack<s16, s8, true>(s, i); }
SEM(vpkswss) { return vmx_pack<s32, s16, true>(s, i); }
SEM(vpksdss) { return vmx_pack<s64, s32, true>(s, i); }
// Book I 6.8.1: 32-bit pixel to 1/5/5/5.
SEM(vpkpx) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  Vec r;
  for (unsigned k = 0; k < 8; ++k) {
    const u32 w = k < 4 ? elem<u32>(a, k) : elem<u32>(b, k - 4);
    elem<u16>(r, k) = static_cast<u16>((((w >> 24) & 1) << 15) | (((w >> 19) & 31) << 10) | (((w >> 11) & 31) << 5) | ((w >> 3) & 31));
  }
  vr(s, VRT(i)) = r;
  return Status::Next;
}
template <typename S, typename D>
inline Status vmx_unpack(CpuState& s, u32 i, unsigned base) {
  REQUIRE_VEC();
  const Vec b = vr(s, VRB(i));
  Vec r;
  for (unsigned k = 0; k < vmx::N<D>; ++k) elem<D>(r, k) = elem<S>(b, base + k);
  vr(s, VRT(i)) = r;
  return Status::Next;
}
SEM(vupkhsb) { return vmx_unpack<s8, s16>(s, i, 0); }
SEM(vupkhsh) { return vmx_unpack<s16, s32>(s, i, 0); }
SEM(vupkhsw) { return vmx_unpack<s32, s64>(s, i, 0); }
SEM(vupklsb) { return vmx_unpack<s8, s16>(s, i, 8); }
SEM(vupklsh) { return vmx_unpack<s16, s32>(s, i, 4); }
SEM(vupklsw) { return vmx_unpack<s32, s64>(s, i, 2); }
inline Status vmx_unpack_px(CpuState& s, u32 i, unsigned base) {
  REQUIRE_VEC();
  const Vec b = vr(s, VRB(i));
  Vec r;
  for (unsigned k = 0; k < 4; ++k) {
    const u32 h = elem<u16>(b, base + k);
    elem<u32>(r, k) = ((h & 0x8000) ? 0xff000000u : 0) | (((h >> 10) & 31) << 16) | (((h >> 5) & 31) << 8) | (h & 31);
  }
  vr(s, VRT(i)) = r;
  return Status::Next;
}
SEM(vupkhpx) { return vmx_unpack_px(s, i, 0); }
SEM(vupklpx) { return vmx_unpack_px(s, i, 4); }

// ---- P9 extract/insert (Book I 6.8.4).  UIM is a byte offset; bytes past
// the end of the register read as zero / are dropped.
inline Status vmx_extract(CpuState& s, u32 i, unsigned size) {
  REQUIRE_VEC();
  const unsigned uim = bits(i, 12, 15);
  const Vec b = vr(s, VRB(i));
  Vec r{};
  for (unsigned k = 0; k < size; ++k) {
    const unsigned src = uim + k;
    elem<u8>(r, 8 - size + k) = src < 16 ? elem<u8>(b, src) : 0;
  }
  vr(s, VRT(i)) = r;
  return Status::Next;
}
SEM(vextractub) { return vmx_extract(s, i, 1); }
SEM(vextractuh) { return vmx_extract(s, i, 2); }
SEM(vextractuw) { return vmx_extract(s, i, 4); }
SEM(vextractd) { return vmx_extract(s, i, 8); }
inline Status vmx_insert(CpuState& s, u32 i, unsigned size) {
  REQUIRE_VEC();
  const unsigned uim = bits(i, 12, 15);
  const Vec b = vr(s, VRB(i));
  Vec& t = vr(s, VRT(i));
  for (unsigned k = 0; k < size && uim + k < 16; ++k) elem<u8>(t, uim + k) = elem<u8>(b, 8 - size + k);
  return Status::Next;
}
SEM(vinsertb) { return vmx_insert(s, i, 1); }
SEM(vinserth) { return vmx_insert(s, i, 2); }
SEM(vinsertw) { return vmx_insert(s, i, 4); }
SEM(vinsertd) { return vmx_insert(s, i, 8); }

// Extract element to GPR, indexed by GPR[RA] from the left (lx) or right (rx).
// Indexes that run past the register are undefined in the book; QEMU shifts
// the register as a signed 128-bit value by the bit offset modulo 128, so a
// right-indexed element sign-fills and a left-indexed one wraps to the top.
inline Status vmx_extu(CpuState& s, u32 i, unsigned size, bool right) {
  REQUIRE_VEC();
  const int idx = static_cast<int>(s.gpr[RA(i)] & 15) * 8;
  const int sh = right ? idx : 128 - idx - static_cast<int>(8 * size);
  const s128 v = static_cast<s128>(vr(s, VRB(i)).q) >> (sh & 127);
  s.gpr[RT(i)] = static_cast<u64>(v) & (~u64{0} >> (64 - 8 * size));
  return Status::Next;
}
SEM(vextublx) { return vmx_extu(s, i, 1, false); }
SEM(vextubrx) { return vmx_extu(s, i, 1, true); }
SEM(vextuhlx) { return vmx_extu(s, i, 2, false); }
SEM(vextuhrx) { return vmx_extu(s, i, 2, true); }
SEM(vextuwlx) { return vmx_extu(s, i, 4, false); }
SEM(vextuwrx) { return vmx_extu(s, i, 4, true); }

// ---- Bit counting and parity (Book I 6.16, 6.9.x)
VMX_UN(vclzb, u8, std::countl_zero(x))
VMX_UN(vclzh, u16, std::countl_zero(x))
VMX_UN(vclzw, u32, std::countl_zero(x))
VMX_UN(vclzd, u64, std::countl_zero(x))
VMX_UN(vctzb, u8, std::countr_zero(x))
VMX_UN(vctzh, u16, std::countr_zero(x))
VMX_UN(vctzw, u32, std::countr_zero(x))
VMX_UN(vctzd, u64, std::countr_zero(x))
VMX_UN(vpopcntb, u8, std::popcount(x))
VMX_UN(vpopcnth, u16, std::popcount(x))
VMX_UN(vpopcntw, u32, std::popcount(x))
VMX_UN(vpopcntd, u64, std::popcount(x))
// Parity of the least-significant bit of each byte of the element.
VMX_UN(vprtybw, u32, std::popcount(x & 0x01010101u) & 1)
VMX_UN(vprtybd, u64, std::popcount(x & 0x0101010101010101ull) & 1)
SEM(vprtybq) {
  REQUIRE_VEC();
  const Vec b = vr(s, VRB(i));
  const unsigned p = std::popcount((b.dw[0] ^ b.dw[1]) & 0x0101010101010101ull) & 1;
  vr(s, VRT(i)).q = p;
  return Status::Next;
}
// Count of leading/trailing bytes whose least-significant bit is 0.
SEM(vclzlsbb) {
  REQUIRE_VEC();
  const Vec b = vr(s, VRB(i));
  unsigned n = 0;
  while (n < 16 && !(elem<u8>(b, n) & 1)) ++n;
  s.gpr[RT(i)] = n;
  return Status::Next;
}
SEM(vctzlsbb) {
  REQUIRE_VEC();
  const Vec b = vr(s, VRB(i));
  unsigned n = 0;
  while (n < 16 && !(elem<u8>(b, 15 - n) & 1)) ++n;
  s.gpr[RT(i)] = n;
  return Status::Next;
}

// Gather bits by bytes: each doubleword is an 8x8 bit matrix, transposed.
SEM(vgbbd) {
  REQUIRE_VEC();
  const Vec b = vr(s, VRB(i));
  Vec r;
  for (unsigned d = 0; d < 2; ++d) {
    const u64 x = b.dw[d];
    u64 y = 0;
    for (unsigned m = 0; m < 8; ++m)
      for (unsigned n = 0; n < 8; ++n) {
        // ISA bit 8n+m of the source is host bit 63-(8n+m).
        const u64 bit = (x >> (63 - (8 * n + m))) & 1;
        y |= bit << (63 - (8 * m + n));
      }
    r.dw[d] = y;
  }
  vr(s, VRT(i)) = r;
  return Status::Next;
}
// Bit permute: each byte of VRB selects an ISA bit of VRA (>= 128 gives 0).
SEM(vbpermq) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  u64 res = 0;
  for (unsigned k = 0; k < 16; ++k) {
    const unsigned ix = elem<u8>(b, k);
    const u64 bit = ix < 128 ? static_cast<u64>((a.q >> (127 - ix)) & 1) : 0;
    res |= bit << (15 - k);
  }
  Vec r{};
  elem<u64>(r, 0) = res;
  vr(s, VRT(i)) = r;
  return Status::Next;
}
SEM(vbpermd) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  Vec r;
  for (unsigned d = 0; d < 2; ++d) {
    const u64 src = elem<u64>(a, d);
    u64 res = 0;
    for (unsigned k = 0; k < 8; ++k) {
      const unsigned ix = elem<u8>(b, 8 * d + k);
      const u64 bit = ix < 64 ? (src >> (63 - ix)) & 1 : 0;
      res |= bit << (7 - k);
    }
    elem<u64>(r, d) = res;
  }
  vr(s, VRT(i)) = r;
  return Status::Next;
}

// Polynomial (carry-less) multiply-sum (Book I 6.12, P8).
inline u128 vmx_clmul(u64 a, u64 b) {
  u128 r = 0;
  for (unsigned k = 0; k < 64; ++k)
    if ((b >> k) & 1) r ^= u128{a} << k;
  return r;
}
template <typename T, typename R>
inline Status vmx_pmsum(CpuState& s, u32 i) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  Vec r;
  for (unsigned k = 0; k < vmx::N<R>; ++k) {
    const u128 p = vmx_clmul(elem<T>(a, 2 * k), elem<T>(b, 2 * k)) ^ vmx_clmul(elem<T>(a, 2 * k + 1), elem<T>(b, 2 * k + 1));
    elem<R>(r, k) = static_cast<R>(p);
  }
  vr(s, VRT(i)) = r;
  return Status::Next;
}
SEM(vpmsumb) { return vmx_pmsum<u8, u16>(s, i); }
SEM(vpmsumh) { return vmx_pmsum<u16, u32>(s, i); }
SEM(vpmsumw) { return vmx_pmsum<u32, u64>(s, i); }
SEM(vpmsumd) {
  REQUIRE_VEC();
  const Vec a = vr(s, VRA(i)), b = vr(s, VRB(i));
  vr(s, VRT(i)).q = vmx_clmul(a.dw[0], b.dw[0]) ^ vmx_clmul(a.dw[1], b.dw[1]);
  return Status::Next;
}

// ---- Multiply by 10 (Book I 6.9.1, P9): binary quadword * 10 + digit.
inline Status vmx_mul10(CpuState& s, u32 i, bool ext, bool carry) {
  REQUIRE_VEC();
  const u128 a = vr(s, VRA(i)).q;
  const unsigned cin = ext ? static_cast<unsigned>(vr(s, VRB(i)).q & 15) : 0;
  const u128 lo = u128{static_cast<u64>(a)} * 10 + cin;
  const u128 hi = u128{static_cast<u64>(a >> 64)} * 10 + (lo >> 64);
  vr(s, VRT(i)).q = carry ? (hi >> 64) : ((hi << 64) | static_cast<u64>(lo));
  return Status::Next;
}
SEM(vmul10uq) { return vmx_mul10(s, i, false, false); }
SEM(vmul10cuq) { return vmx_mul10(s, i, false, true); }
SEM(vmul10euq) { return vmx_mul10(s, i, true, false); }
SEM(vmul10ecuq) { return vmx_mul10(s, i, true, true); }

}  // namespace lpar::sem
