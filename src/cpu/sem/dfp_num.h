// Decimal floating-point numbers for the DFP facility (PowerISA 3.0B Book I
// chapter 5): DPD encoding of decimal32/64/128, exact coefficient arithmetic
// and the rounding of Book I 5.5.  Results follow IEEE 754-2008 decimal
// arithmetic as QEMU 7.2 computes it with libdecnumber (our oracle):
// tininess before rounding, the preferred exponents of 754, exponent clamp
// (fold-down) at the top of the range.
#pragma once
#include "cpu/sem/common.h"
#include "cpu/sem/fpu.h"

namespace lpar::sem::dfpn {

// ---- 256-bit unsigned integers: intermediate coefficients reach 10^74.
struct U256 {
  u64 w[4];  // little-endian limbs
};
inline U256 u256(u128 v) { return U256{{static_cast<u64>(v), static_cast<u64>(v >> 64), 0, 0}}; }
inline bool is0(const U256& a) { return !(a.w[0] | a.w[1] | a.w[2] | a.w[3]); }
inline int cmp(const U256& a, const U256& b) {
  for (int k = 3; k >= 0; --k)
    if (a.w[k] != b.w[k]) return a.w[k] < b.w[k] ? -1 : 1;
  return 0;
}
inline U256 add(const U256& a, const U256& b) {
  U256 r;
  u64 c = 0;
  for (int k = 0; k < 4; ++k) {
    const u128 t = static_cast<u128>(a.w[k]) + b.w[k] + c;
    r.w[k] = static_cast<u64>(t);
    c = static_cast<u64>(t >> 64);
  }
  return r;
}
inline U256 sub(const U256& a, const U256& b) {  // a >= b
  U256 r;
  u64 br = 0;
  for (int k = 0; k < 4; ++k) {
    const u64 t = a.w[k] - b.w[k] - br;
    br = (a.w[k] < b.w[k] || (a.w[k] == b.w[k] && br)) ? 1 : 0;
    r.w[k] = t;
  }
  return r;
}
inline U256 mul_small(const U256& a, u64 m) {
  U256 r;
  u64 c = 0;
  for (int k = 0; k < 4; ++k) {
    const u128 t = static_cast<u128>(a.w[k]) * m + c;
    r.w[k] = static_cast<u64>(t);
    c = static_cast<u64>(t >> 64);
  }
  return r;
}
inline U256 mul128(u128 a, u128 b) {
  const u64 a0 = static_cast<u64>(a), a1 = static_cast<u64>(a >> 64);
  const u64 b0 = static_cast<u64>(b), b1 = static_cast<u64>(b >> 64);
  U256 r = u256(static_cast<u128>(a0) * b0);
  U256 m1 = u256(static_cast<u128>(a0) * b1), m2 = u256(static_cast<u128>(a1) * b0);
  const u128 h = static_cast<u128>(a1) * b1;
  // shift the middle products by one limb
  m1 = U256{{0, m1.w[0], m1.w[1], 0}};
  m2 = U256{{0, m2.w[0], m2.w[1], 0}};
  r = add(add(r, m1), m2);
  return add(r, U256{{0, 0, static_cast<u64>(h), static_cast<u64>(h >> 64)}});
}
inline U256 pow10(int n) {
  U256 r = u256(1);
  for (; n >= 19; n -= 19) r = mul_small(r, 10000000000000000000ull);
  u64 m = 1;
  while (n-- > 0) m *= 10;
  return mul_small(r, m);
}
inline U256 mul_pow10(U256 a, int n) {
  for (; n >= 19; n -= 19) a = mul_small(a, 10000000000000000000ull);
  u64 m = 1;
  while (n-- > 0) m *= 10;
  return mul_small(a, m);
}
inline U256 shl1(const U256& a) {
  return U256{{a.w[0] << 1, (a.w[1] << 1) | (a.w[0] >> 63), (a.w[2] << 1) | (a.w[1] >> 63),
               (a.w[3] << 1) | (a.w[2] >> 63)}};
}
inline int bitlen(const U256& a) {
  for (int k = 3; k >= 0; --k)
    if (a.w[k]) return 64 * k + 64 - __builtin_clzll(a.w[k]);
  return 0;
}
// q = a / b, r = a % b (b != 0), by binary long division.
inline U256 divmod(const U256& a, const U256& b, U256& r) {
  U256 q{{0, 0, 0, 0}};
  r = U256{{0, 0, 0, 0}};
  for (int k = bitlen(a) - 1; k >= 0; --k) {
    r = shl1(r);
    r.w[0] |= (a.w[k / 64] >> (k % 64)) & 1;
    if (cmp(r, b) >= 0) {
      r = sub(r, b);
      q.w[k / 64] |= u64{1} << (k % 64);
    }
  }
  return q;
}
inline int ndigits(const U256& a) {
  if (is0(a)) return 1;
  int n = 1;
  U256 p = u256(10);
  while (n < 77 && cmp(a, p) >= 0) {
    p = mul_small(p, 10);
    ++n;
  }
  return n;
}
inline int ndigits128(u128 a) { return ndigits(u256(a)); }
inline u128 lo128(const U256& a) { return (static_cast<u128>(a.w[1]) << 64) | a.w[0]; }

// ---- Formats (Book I 5.3): decimal32 (drsp/dctdp only), decimal64, decimal128.
struct Fmt {
  int p;       // digits
  int emax;    // largest adjusted exponent
  int bias;
  int wexp;    // exponent-continuation bits
  int ndec;    // declets in the trailing significand
  int nbits;
  constexpr int emin() const { return 1 - emax; }
  constexpr int etiny() const { return 1 - emax - p + 1; }
  constexpr int etop() const { return emax - p + 1; }  // largest exponent (clamp)
};
inline constexpr Fmt D32{7, 96, 101, 6, 2, 32};
inline constexpr Fmt D64{16, 384, 398, 8, 5, 64};
inline constexpr Fmt D128{34, 6144, 6176, 12, 11, 128};

enum Cls : u8 { K_FIN = 0, K_INF = 1, K_QNAN = 2, K_SNAN = 3 };
struct Dec {
  bool neg;
  Cls cls;
  int exp;  // finite only
  u128 c;   // coefficient (finite) or NaN payload
  bool nan() const { return cls >= K_QNAN; }
  bool zero() const { return cls == K_FIN && c == 0; }
};

// ---- Densely packed decimal (Book I 5.3.3, Figure "DPD to BCD").
inline unsigned dpd_to_bin(unsigned d) {
  const unsigned b9 = (d >> 9) & 1, b8 = (d >> 8) & 1, b7 = (d >> 7) & 1, b6 = (d >> 6) & 1, b5 = (d >> 5) & 1,
                 b4 = (d >> 4) & 1, b3 = (d >> 3) & 1, b2 = (d >> 2) & 1, b1 = (d >> 1) & 1, b0 = d & 1;
  unsigned h, m, l;
  const unsigned hi3 = (b9 << 2) | (b8 << 1) | b7, mid3 = (b6 << 2) | (b5 << 1) | b4, lo3 = (b2 << 2) | (b1 << 1) | b0;
  if (!b3) {
    h = hi3, m = mid3, l = lo3;
  } else {
    switch ((b2 << 1) | b1) {
      case 0: h = hi3, m = mid3, l = 8 + b0; break;
      case 1: h = hi3, m = 8 + b4, l = (b6 << 2) | (b5 << 1) | b0; break;
      case 2: h = 8 + b7, m = mid3, l = (b9 << 2) | (b8 << 1) | b0; break;
      default:
        switch ((b6 << 1) | b5) {
          case 0: h = 8 + b7, m = 8 + b4, l = (b9 << 2) | (b8 << 1) | b0; break;
          case 1: h = 8 + b7, m = (b9 << 2) | (b8 << 1) | b4, l = 8 + b0; break;
          case 2: h = hi3, m = 8 + b4, l = 8 + b0; break;
          default: h = 8 + b7, m = 8 + b4, l = 8 + b0; break;
        }
    }
  }
  return h * 100 + m * 10 + l;
}
inline unsigned bin_to_dpd(unsigned v) {
  const unsigned a = v / 100, b = (v / 10) % 10, c = v % 10;
  const unsigned a0 = a & 1, b0 = b & 1, c0 = c & 1;
  switch (((a >= 8) << 2) | ((b >= 8) << 1) | (c >= 8)) {
    case 0: return (a << 7) | (b << 4) | c;
    case 1: return (a << 7) | (b << 4) | 0x8 | c0;
    case 2: return (a << 7) | ((c >> 1) << 5) | (b0 << 4) | 0xa | c0;
    case 4: return ((c >> 1) << 8) | (a0 << 7) | (b << 4) | 0xc | c0;
    case 3: return (a << 7) | (0x2 << 5) | (b0 << 4) | 0xe | c0;
    case 5: return ((b >> 1) << 8) | (a0 << 7) | (0x1 << 5) | (b0 << 4) | 0xe | c0;
    case 6: return ((c >> 1) << 8) | (a0 << 7) | (b0 << 4) | 0xe | c0;
    default: return (a0 << 7) | (0x3 << 5) | (b0 << 4) | 0xe | c0;
  }
}

inline u128 declets_to_bin(u128 t, int n) {
  u128 c = 0;
  for (int j = n - 1; j >= 0; --j) c = c * 1000 + dpd_to_bin(static_cast<unsigned>(t >> (10 * j)) & 0x3ff);
  return c;
}
inline u128 bin_to_declets(u128 c, int n) {
  u128 t = 0;
  for (int j = 0; j < n; ++j) {
    t |= static_cast<u128>(bin_to_dpd(static_cast<unsigned>(c % 1000))) << (10 * j);
    c /= 1000;
  }
  return t;
}
inline u128 pow10_128(int n) {
  u128 r = 1;
  while (n-- > 0) r *= 10;
  return r;
}

// Book I 5.3.2: sign, combination field, exponent continuation, declets.
inline Dec decode(u128 raw, const Fmt& f) {
  Dec d{};
  const int tb = 10 * f.ndec;
  d.neg = (raw >> (f.nbits - 1)) & 1;
  const unsigned g = static_cast<unsigned>(raw >> (f.nbits - 6)) & 31;
  const unsigned ec = static_cast<unsigned>(raw >> tb) & ((1u << f.wexp) - 1);
  const u128 tail = raw & ((static_cast<u128>(1) << tb) - 1);
  if (g == 30) {
    d.cls = K_INF;  // the rest is ignored
    return d;
  }
  if (g == 31) {
    d.cls = (ec >> (f.wexp - 1)) & 1 ? K_SNAN : K_QNAN;
    d.c = declets_to_bin(tail, f.ndec);
    return d;
  }
  unsigned top, msd;
  if ((g >> 3) != 3) top = g >> 3, msd = g & 7;
  else top = (g >> 1) & 3, msd = 8 + (g & 1);
  d.cls = K_FIN;
  d.exp = static_cast<int>((top << f.wexp) | ec) - f.bias;
  d.c = msd * pow10_128(3 * f.ndec) + declets_to_bin(tail, f.ndec);
  return d;
}
// Finite values must be in range (c < 10^p, etiny <= exp <= etop).
inline u128 encode(const Dec& d, const Fmt& f) {
  const int tb = 10 * f.ndec;
  u128 r = static_cast<u128>(d.neg) << (f.nbits - 1);
  if (d.cls == K_INF) return r | (static_cast<u128>(30) << (f.nbits - 6));
  if (d.nan()) {
    r |= static_cast<u128>(31) << (f.nbits - 6);
    if (d.cls == K_SNAN) r |= static_cast<u128>(1) << (tb + f.wexp - 1);
    // A payload must fit the trailing significand (libdecnumber drops it otherwise).
    if (ndigits128(d.c) < f.p) r |= bin_to_declets(d.c, f.ndec);
    return r;
  }
  const u128 tp = pow10_128(3 * f.ndec);
  const unsigned msd = static_cast<unsigned>(d.c / tp);
  const unsigned be = static_cast<unsigned>(d.exp + f.bias);
  const unsigned top = be >> f.wexp;
  const unsigned g = msd < 8 ? (top << 3) | msd : 0x18 | (top << 1) | (msd - 8);
  r |= static_cast<u128>(g) << (f.nbits - 6);
  r |= static_cast<u128>(be & ((1u << f.wexp) - 1)) << tb;
  return r | bin_to_declets(d.c % tp, f.ndec);
}

// ---- Rounding (Book I 5.5.1; FPSCR[DRN] values).
enum Rnd { RNE = 0, RTZ = 1, RUP = 2, RDN = 3, RHA = 4, RHZ = 5, RAW = 6, R05 = 7 };

// Drop the n > 0 low digits of c under rounding mode m.
inline U256 round_drop(const U256& c, int n, bool neg, int m, bool& inexact) {
  U256 q, r;
  int half;  // sign of (dropped part - half ulp)
  if (n > 75) {
    q = u256(0);
    r = c;
    half = -1;
  } else {
    const U256 p = pow10(n);
    q = divmod(c, p, r);
    half = cmp(shl1(r), p);
  }
  if (is0(r)) return q;
  inexact = true;
  const bool odd = q.w[0] & 1;
  bool inc;
  switch (m) {
    case RNE: inc = half > 0 || (half == 0 && odd); break;
    case RTZ: inc = false; break;
    case RUP: inc = !neg; break;
    case RDN: inc = neg; break;
    case RHA: inc = half >= 0; break;
    case RHZ: inc = half > 0; break;
    case RAW: inc = true; break;
    default: {
      U256 rr;
      divmod(q, u256(10), rr);
      inc = rr.w[0] == 0 || rr.w[0] == 5;
    }
  }
  return inc ? add(q, u256(1)) : q;
}

inline Dec zero_dec(bool neg, int e, const Fmt& f) {
  if (e < f.etiny()) e = f.etiny();
  if (e > f.etop()) e = f.etop();
  return Dec{neg, K_FIN, e, 0};
}
inline Dec inf_dec(bool neg) { return Dec{neg, K_INF, 0, 0}; }
inline Dec default_nan() { return Dec{false, K_QNAN, 0, 0}; }

// Round the exact value (-1)^neg * c * 10^e into format f: fl gets OX UX XX.
inline Dec finish(bool neg, const U256& c0, int e, const Fmt& f, int m, u64& fl) {
  if (is0(c0)) return zero_dec(neg, e, f);
  U256 c = c0;
  const int nd = ndigits(c);
  bool inexact = false;
  if (e + nd - 1 < f.emin()) {
    // Tiny (judged before rounding, as libdecnumber): round to etiny.
    if (e < f.etiny()) {
      c = round_drop(c, f.etiny() - e, neg, m, inexact);
      e = f.etiny();
    }
    if (inexact) fl |= FPSCR_UX | FPSCR_XX;
    return Dec{neg, K_FIN, e, lo128(c)};
  }
  if (nd > f.p) {
    c = round_drop(c, nd - f.p, neg, m, inexact);
    e += nd - f.p;
    if (cmp(c, pow10(f.p)) == 0) {
      c = pow10(f.p - 1);
      ++e;
    }
  }
  if (e + ndigits(c) - 1 > f.emax) {
    fl |= FPSCR_OX | FPSCR_XX;
    const bool to_max = m == RTZ || m == R05 || (m == RUP && neg) || (m == RDN && !neg);
    if (!to_max) return inf_dec(neg);
    return Dec{neg, K_FIN, f.etop(), pow10_128(f.p) - 1};
  }
  if (inexact) fl |= FPSCR_XX;
  if (e > f.etop()) {
    // Clamp: pad the coefficient with zeros down to the largest exponent.
    c = mul128(lo128(c), pow10_128(e - f.etop()));
    e = f.etop();
  }
  return Dec{neg, K_FIN, e, lo128(c)};
}

// ---- Operations (Book I 5.6.1); fl collects the FPSCR exception bits.
// NaN operands: the first SNaN, else the first QNaN, propagates quieted.
inline Dec nan_prop(const Dec& a, const Dec& b, u64& fl) {
  Dec r;
  if (a.cls == K_SNAN || b.cls == K_SNAN) {
    fl |= FPSCR_VXSNAN;
    r = a.cls == K_SNAN ? a : b;
  } else {
    r = a.nan() ? a : b;
  }
  r.cls = K_QNAN;
  return r;
}

inline Dec dadd(const Dec& a, Dec b, bool negb, const Fmt& f, int m, u64& fl) {
  if (a.nan() || b.nan()) return nan_prop(a, b, fl);
  b.neg ^= negb;
  if (a.cls == K_INF || b.cls == K_INF) {
    if (a.cls == K_INF && b.cls == K_INF && a.neg != b.neg) {
      fl |= FPSCR_VXISI;
      return default_nan();
    }
    return inf_dec(a.cls == K_INF ? a.neg : b.neg);
  }
  const int emin = a.exp < b.exp ? a.exp : b.exp;
  if (a.c == 0 && b.c == 0) return zero_dec(a.neg == b.neg ? a.neg : m == RDN, emin, f);
  if (a.c == 0 || b.c == 0) {
    // x + 0: x, its exponent lowered towards the zero's as far as p digits allow.
    const Dec& x = a.c ? a : b;
    int sh = x.exp - emin;
    const int room = f.p - ndigits128(x.c);
    if (sh > room) sh = room;
    return finish(x.neg, mul128(x.c, pow10_128(sh)), x.exp - sh, f, m, fl);
  }
  const Dec& hi = a.exp >= b.exp ? a : b;
  const Dec& lo = a.exp >= b.exp ? b : a;
  const int d = hi.exp - lo.exp;
  U256 A, B;
  int e;
  if (d > f.p + 5) {
    // lo only matters down to 10^(hi.exp-p-5); below that a sticky digit
    // keeps every rounding decision the same.
    e = hi.exp - f.p - 6;
    const int drop = e + 1 - lo.exp;
    u128 keep = 0;
    bool rest = true;
    if (drop < 39) {
      const u128 pw = pow10_128(drop);
      keep = lo.c / pw;
      rest = lo.c % pw != 0;
    }
    A = mul_pow10(u256(hi.c), f.p + 6);
    B = u256(keep * 10 + (rest ? 1 : 0));
  } else {
    e = lo.exp;
    A = mul_pow10(u256(hi.c), d);
    B = u256(lo.c);
  }
  if (hi.neg == lo.neg) return finish(hi.neg, add(A, B), e, f, m, fl);
  const int c = cmp(A, B);
  if (c == 0) return zero_dec(m == RDN, e, f);
  return c > 0 ? finish(hi.neg, sub(A, B), e, f, m, fl) : finish(lo.neg, sub(B, A), e, f, m, fl);
}

inline Dec dmul(const Dec& a, const Dec& b, const Fmt& f, int m, u64& fl) {
  if (a.nan() || b.nan()) return nan_prop(a, b, fl);
  const bool neg = a.neg != b.neg;
  if (a.cls == K_INF || b.cls == K_INF) {
    if (a.zero() || b.zero()) {
      fl |= FPSCR_VXIMZ;
      return default_nan();
    }
    return inf_dec(neg);
  }
  return finish(neg, mul128(a.c, b.c), a.exp + b.exp, f, m, fl);
}

inline Dec ddiv(const Dec& a, const Dec& b, const Fmt& f, int m, u64& fl) {
  if (a.nan() || b.nan()) return nan_prop(a, b, fl);
  const bool neg = a.neg != b.neg;
  if (a.cls == K_INF) {
    if (b.cls == K_INF) {
      fl |= FPSCR_VXIDI;
      return default_nan();
    }
    return inf_dec(neg);
  }
  if (b.cls == K_INF) return zero_dec(neg, f.etiny(), f);
  if (b.c == 0) {
    if (a.c == 0) {
      fl |= FPSCR_VXZDZ;
      return default_nan();
    }
    fl |= FPSCR_ZX;
    return inf_dec(neg);
  }
  const int ideal = a.exp - b.exp;
  if (a.c == 0) return zero_dec(neg, ideal, f);
  // Enough quotient digits for p digits plus a rounding digit.
  const int k = f.p + 2 + ndigits128(b.c) - ndigits128(a.c);
  U256 r;
  U256 q = divmod(mul_pow10(u256(a.c), k), u256(b.c), r);
  int e = ideal - k;
  if (!is0(r)) return finish(neg, add(mul_small(q, 10), u256(1)), e - 1, f, m, fl);
  // Exact: the preferred exponent is a.exp - b.exp.
  while (e < ideal) {
    U256 t;
    const U256 qq = divmod(q, u256(10), t);
    if (!is0(t)) break;
    q = qq;
    ++e;
  }
  return finish(neg, q, e, f, m, fl);
}

// Compare magnitudes of finite values.
inline int cmp_mag(const Dec& a, const Dec& b) {
  if (a.c == 0 || b.c == 0) return (a.c != 0) - (b.c != 0);
  const int aa = a.exp + ndigits128(a.c), ab = b.exp + ndigits128(b.c);
  if (aa != ab) return aa < ab ? -1 : 1;
  U256 x = u256(a.c), y = u256(b.c);
  if (a.exp > b.exp) x = mul_pow10(x, a.exp - b.exp);
  else if (b.exp > a.exp) y = mul_pow10(y, b.exp - a.exp);
  return cmp(x, y);
}
// Book I 5.6.3: CR field bits LT GT EQ UN.
inline unsigned dcompare(const Dec& a, const Dec& b) {
  if (a.nan() || b.nan()) return CR_SO;
  int c;
  if (a.cls == K_INF || b.cls == K_INF) {
    const int va = a.cls == K_INF ? (a.neg ? -1 : 1) : 0, vb = b.cls == K_INF ? (b.neg ? -1 : 1) : 0;
    c = va < vb ? -1 : va > vb ? 1 : 0;
    if (a.cls != K_INF) c = b.neg ? 1 : -1;
    if (b.cls != K_INF) c = a.neg ? -1 : 1;
  } else {
    const bool za = a.c == 0, zb = b.c == 0;
    if (za && zb) c = 0;
    else if (a.neg != b.neg && !(za || zb)) c = a.neg ? -1 : 1;
    else if (za) c = b.neg ? 1 : -1;
    else if (zb) c = a.neg ? -1 : 1;
    else c = a.neg ? -cmp_mag(a, b) : cmp_mag(a, b);
  }
  return c < 0 ? CR_LT : c > 0 ? CR_GT : CR_EQ;
}

// FPRF class (Book I 5.2.1 Figure "Floating-Point Result Flags").
inline unsigned fprf_of(const Dec& d, const Fmt& f) {
  switch (d.cls) {
    case K_SNAN: return 0x01;
    case K_QNAN: return FPRF_QNAN;
    case K_INF: return d.neg ? FPRF_NINF : FPRF_PINF;
    default: break;
  }
  if (d.c == 0) return d.neg ? FPRF_NZERO : FPRF_PZERO;
  const bool sub = d.exp + ndigits128(d.c) - 1 < f.emin();
  return d.neg ? (sub ? FPRF_NDEN : FPRF_NNORM) : (sub ? FPRF_PDEN : FPRF_PNORM);
}

}  // namespace lpar::sem::dfpn
