// VMX crypto (Book I 6.11.x, P8): AES rounds, SHA-2 sigma functions.
// The AES state byte n (FIPS-197 column-major, s[r][c] = byte 4c+r) is ISA
// byte n of the register.  Included from vmx.h.
#pragma once
#include <array>

#include "cpu/sem/common.h"

namespace lpar::sem {
namespace aes {

constexpr u8 xtime(u8 x) { return static_cast<u8>((x << 1) ^ ((x & 0x80) ? 0x1b : 0)); }
constexpr u8 gmul(u8 a, u8 b) {
  u8 r = 0;
  for (int k = 0; k < 8; ++k) {
    if (b & 1) r ^= a;
    a = xtime(a);
    b >>= 1;
  }
  return r;
}
// FIPS-197 5.1.1: multiplicative inverse in GF(2^8) then the affine map.
// Walk the field by powers of the generator 3 (p) and of its inverse (q), so
// that q is always p's inverse: 255 steps, cheap enough for constexpr.
constexpr u8 rotl8(u8 x, int k) { return static_cast<u8>((x << k) | (x >> (8 - k))); }
constexpr std::array<u8, 256> make_sbox() {
  std::array<u8, 256> t{};
  u8 p = 1, q = 1;
  do {
    p = static_cast<u8>(p ^ (p << 1) ^ ((p & 0x80) ? 0x1b : 0));
    q = static_cast<u8>(q ^ (q << 1));
    q = static_cast<u8>(q ^ (q << 2));
    q = static_cast<u8>(q ^ (q << 4));
    if (q & 0x80) q ^= 0x09;
    t[p] = static_cast<u8>(q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4) ^ 0x63);
  } while (p != 1);
  t[0] = 0x63;
  return t;
}
constexpr std::array<u8, 256> make_inv(const std::array<u8, 256>& f) {
  std::array<u8, 256> t{};
  for (unsigned x = 0; x < 256; ++x) t[f[x]] = static_cast<u8>(x);
  return t;
}
inline constexpr std::array<u8, 256> SBOX = make_sbox();
inline constexpr std::array<u8, 256> INV_SBOX = make_inv(SBOX);

using State = std::array<u8, 16>;
inline State load(const Vec& v) {
  State st;
  for (unsigned k = 0; k < 16; ++k) st[k] = elem<u8>(v, k);
  return st;
}
inline Vec store(const State& st) {
  Vec v;
  for (unsigned k = 0; k < 16; ++k) elem<u8>(v, k) = st[k];
  return v;
}
inline State sub_bytes(const State& st, bool inv) {
  State r;
  for (unsigned k = 0; k < 16; ++k) r[k] = inv ? INV_SBOX[st[k]] : SBOX[st[k]];
  return r;
}
// Row r rotates left by r columns (right for the inverse).
inline State shift_rows(const State& st, bool inv) {
  State r;
  for (unsigned c = 0; c < 4; ++c)
    for (unsigned row = 0; row < 4; ++row) {
      const unsigned src = inv ? (c + 4 - row) % 4 : (c + row) % 4;
      r[4 * c + row] = st[4 * src + row];
    }
  return r;
}
inline State mix_columns(const State& st, bool inv) {
  const u8 m[4] = {static_cast<u8>(inv ? 14 : 2), static_cast<u8>(inv ? 11 : 3), static_cast<u8>(inv ? 13 : 1),
                   static_cast<u8>(inv ? 9 : 1)};
  State r;
  for (unsigned c = 0; c < 4; ++c)
    for (unsigned row = 0; row < 4; ++row) {
      u8 v = 0;
      for (unsigned j = 0; j < 4; ++j) v ^= gmul(st[4 * c + j], m[(j + 4 - row) % 4]);
      r[4 * c + row] = v;
    }
  return r;
}

}  // namespace aes

inline Status vmx_aes(CpuState& s, u32 i, bool inv, bool last) {
  REQUIRE_VEC();
  const Vec key = vr(s, VRB(i));
  aes::State st = aes::load(vr(s, VRA(i)));
  Vec r;
  if (!inv) {
    st = aes::shift_rows(aes::sub_bytes(st, false), false);
    if (!last) st = aes::mix_columns(st, false);
    r = aes::store(st);
    r.q ^= key.q;
  } else {
    // vncipher: InvShiftRows, InvSubBytes, AddRoundKey, InvMixColumns.
    st = aes::sub_bytes(aes::shift_rows(st, true), true);
    r = aes::store(st);
    r.q ^= key.q;
    if (!last) r = aes::store(aes::mix_columns(aes::load(r), true));
  }
  vr(s, VRT(i)) = r;
  return Status::Next;
}
SEM(vcipher) { return vmx_aes(s, i, false, false); }
SEM(vcipherlast) { return vmx_aes(s, i, false, true); }
SEM(vncipher) { return vmx_aes(s, i, true, false); }
SEM(vncipherlast) { return vmx_aes(s, i, true, true); }
SEM(vsbox) {
  REQUIRE_VEC();
  vr(s, VRT(i)) = aes::store(aes::sub_bytes(aes::load(vr(s, VRA(i))), false));
  return Status::Next;
}

// SHA-256/512 sigma functions (FIPS 180-4 4.1.2/4.1.3); ST selects the
// upper-case Sigma, SIX bit selects function 0 or 1 per element.
SEM(vshasigmaw) {
  REQUIRE_VEC();
  const unsigned st = bits(i, 16, 16), six = bits(i, 17, 20);
  const Vec a = vr(s, VRA(i));
  Vec r;
  for (unsigned k = 0; k < 4; ++k) {
    const u32 x = elem<u32>(a, k);
    const bool one = (six >> (3 - k)) & 1;
    u32 v;
    if (!st) v = one ? (std::rotr(x, 17) ^ std::rotr(x, 19) ^ (x >> 10)) : (std::rotr(x, 7) ^ std::rotr(x, 18) ^ (x >> 3));
    else v = one ? (std::rotr(x, 6) ^ std::rotr(x, 11) ^ std::rotr(x, 25)) : (std::rotr(x, 2) ^ std::rotr(x, 13) ^ std::rotr(x, 22));
    elem<u32>(r, k) = v;
  }
  vr(s, VRT(i)) = r;
  return Status::Next;
}
SEM(vshasigmad) {
  REQUIRE_VEC();
  const unsigned st = bits(i, 16, 16), six = bits(i, 17, 20);
  const Vec a = vr(s, VRA(i));
  Vec r;
  for (unsigned k = 0; k < 2; ++k) {
    const u64 x = elem<u64>(a, k);
    const bool one = (six >> (3 - 2 * k)) & 1;
    u64 v;
    if (!st) v = one ? (std::rotr(x, 19) ^ std::rotr(x, 61) ^ (x >> 6)) : (std::rotr(x, 1) ^ std::rotr(x, 8) ^ (x >> 7));
    else v = one ? (std::rotr(x, 14) ^ std::rotr(x, 18) ^ std::rotr(x, 41)) : (std::rotr(x, 28) ^ std::rotr(x, 34) ^ std::rotr(x, 39));
    elem<u64>(r, k) = v;
  }
  vr(s, VRT(i)) = r;
  return Status::Next;
}

}  // namespace lpar::sem
