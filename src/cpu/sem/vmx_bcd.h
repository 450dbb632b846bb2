// VMX decimal (BCD) instructions, Book I 6.17 (bcdadd./bcdsub. P8, the rest
// P9).  A signed BCD value has 31 digits and a sign code in its last nibble;
// nibble n (0 = sign, 1 = least significant digit) is host nibble n of the
// register.  Invalid operands give CR6 = SO; where the book leaves the
// target undefined the choices follow QEMU (noted at each instruction).
// Included from vmx.h.
#pragma once
#include "cpu/sem/common.h"

namespace lpar::sem {
namespace bcd {

inline constexpr unsigned LT = 8, GT = 4, EQ = 2, SO = 1;

inline unsigned nib(u128 v, unsigned n) { return static_cast<unsigned>(v >> (4 * n)) & 15; }
inline void put(u128& v, unsigned d, unsigned n) { v = (v & ~(u128{15} << (4 * n))) | (u128{d & 15} << (4 * n)); }
// Digit n, noting an invalid digit (> 9) in bad.
inline unsigned dig(u128 v, unsigned n, bool& bad) {
  const unsigned d = nib(v, n);
  if (d > 9) bad = true;
  return d;
}
// Book I 6.17: A, C, E, F are plus; B, D are minus.
inline int sign(u128 v) {
  switch (nib(v, 0)) {
    case 0xA: case 0xC: case 0xE: case 0xF: return 1;
    case 0xB: case 0xD: return -1;
    default: return 0;
  }
}
// Preferred sign codes: + is C (PS=0) or F (PS=1), - is D.
inline unsigned pref(int sgn, unsigned ps) { return sgn >= 0 ? (ps ? 0xF : 0xC) : 0xD; }
inline bool valid(u128 v) {
  if (!sign(v)) return false;
  for (unsigned n = 1; n < 32; ++n)
    if (nib(v, n) > 9) return false;
  return true;
}
inline bool all_digits(u128 v) {
  for (unsigned n = 0; n < 32; ++n)
    if (nib(v, n) > 9) return false;
  return true;
}
inline unsigned cmp_zero(u128 v) { return (v >> 4) == 0 ? EQ : sign(v) == 1 ? GT : LT; }
inline int cmp_mag(u128 a, u128 b) {
  bool bad = false;
  for (unsigned n = 31; n > 0; --n) {
    const unsigned x = dig(a, n, bad), y = dig(b, n, bad);
    if (bad) return 0;
    if (x != y) return x > y ? 1 : -1;
  }
  return 0;
}
// Digit-wise |a| + |b| into t; returns true if every result digit is 0.
inline bool add_mag(u128& t, u128 a, u128 b, bool& bad, bool& ovf) {
  unsigned carry = 0;
  bool zero = true;
  for (unsigned n = 1; n <= 31; ++n) {
    unsigned d = dig(a, n, bad) + dig(b, n, bad) + carry;
    zero = zero && d == 0;
    carry = d > 9;
    if (carry) d -= 10;
    put(t, d, n);
  }
  ovf = carry;
  return zero;
}
inline void sub_mag(u128& t, u128 a, u128 b, bool& bad, bool& ovf) {
  int borrow = 0;
  for (unsigned n = 1; n <= 31; ++n) {
    int d = static_cast<int>(dig(a, n, bad)) - static_cast<int>(dig(b, n, bad)) + borrow;
    borrow = d < 0 ? -1 : 0;
    if (d < 0) d += 10;
    put(t, static_cast<unsigned>(d), n);
  }
  ovf = borrow != 0;
}
// Logical shift of a quadword by whole bits, reporting lost nonzero bits.
inline u128 shl(u128 v, unsigned bits_, bool& ovf) {
  if (bits_ == 0) return v;
  if (bits_ >= 128) { ovf = ovf || v != 0; return 0; }
  if (v >> (128 - bits_)) ovf = true;
  return v << bits_;
}
inline u128 shr(u128 v, unsigned bits_) { return bits_ >= 128 ? 0 : v >> bits_; }

inline unsigned add(u128& r, u128 a, u128 b, unsigned ps) {
  const int sa = sign(a), sb = sign(b);
  bool bad = !sa || !sb, ovf = false, zero = false;
  unsigned cr = 0;
  u128 t = 0;
  if (!bad) {
    if (sa == sb) {
      put(t, pref(sa, ps), 0);
      zero = add_mag(t, a, b, bad, ovf);
      cr = sa > 0 ? GT : LT;
    } else {
      const int m = cmp_mag(a, b);
      if (m > 0) {
        put(t, pref(sa, ps), 0);
        sub_mag(t, a, b, bad, ovf);
        cr = sa > 0 ? GT : LT;
      } else if (m < 0) {
        put(t, pref(sb, ps), 0);
        sub_mag(t, b, a, bad, ovf);
        cr = sb > 0 ? GT : LT;
      } else {
        put(t, pref(0, ps), 0);
        cr = EQ;
      }
    }
  }
  // Undefined result for invalid operands: QEMU writes all ones.
  if (bad) {
    t = ~u128{0};
    cr = SO;
  } else if (ovf) {
    cr |= SO;
  } else if (zero) {
    cr |= EQ;
  }
  r = t;
  return cr;
}

}  // namespace bcd

inline unsigned bcd_ps(u32 i) { return bits(i, 22, 22); }

// Run f(result&, VRA, VRB) -> CR6 value; f returns false in bit 8 to leave VRT alone.
inline constexpr unsigned BCD_KEEP = 0x100;
template <typename F>
inline Status vmx_bcd(CpuState& s, u32 i, F f) {
  REQUIRE_VEC();
  u128 r = vr(s, VRT(i)).q;
  const unsigned cr = f(r, vr(s, VRA(i)).q, vr(s, VRB(i)).q);
  if (!(cr & BCD_KEEP)) vr(s, VRT(i)).q = r;
  set_crf(s, 6, cr & 15);
  return Status::Next;
}

SEM(bcdadd) {
  return vmx_bcd(s, i, [&](u128& r, u128 a, u128 b) { return bcd::add(r, a, b, bcd_ps(i)); });
}
SEM(bcdsub) {
  return vmx_bcd(s, i, [&](u128& r, u128 a, u128 b) {
    const int sb = bcd::sign(b);
    if (sb) bcd::put(b, sb < 0 ? 0xC : 0xD, 0);
    return bcd::add(r, a, b, bcd_ps(i));
  });
}

// National decimal: halfword n (from the right) holds '0'..'9', halfword 0 the sign.
SEM(bcdcfn) {
  return vmx_bcd(s, i, [&](u128& r, u128, u128 b) {
    const unsigned sg = static_cast<u16>(b);
    bool bad = sg != 0x2B && sg != 0x2D;
    u128 t = 0;
    for (unsigned n = 1; n < 8; ++n) {
      const unsigned ch = static_cast<u16>(b >> (16 * n));
      if (ch < 0x30 || ch > 0x39) { bad = true; break; }
      bcd::put(t, ch & 15, n);
    }
    bcd::put(t, sg == 0x2B ? bcd::pref(1, bcd_ps(i)) : 0xD, 0);
    r = t;
    return bad ? bcd::SO : bcd::cmp_zero(t);
  });
}
SEM(bcdctn) {
  return vmx_bcd(s, i, [&](u128& r, u128, u128 b) {
    const int sb = bcd::sign(b);
    bool bad = !sb;
    const bool ox = (b >> 32) != 0;  // more than 7 digits
    u128 t = 0;
    for (unsigned n = 1; n < 8; ++n) {
      t |= u128{0x30 + bcd::dig(b, n, bad)} << (16 * n);
      if (bad) break;
    }
    t |= sb == -1 ? 0x2D : 0x2B;
    r = t;
    return bad ? bcd::SO : bcd::cmp_zero(b) | (ox ? bcd::SO : 0);
  });
}
// Zoned decimal: byte n (from the right) holds zone || digit; the zone of
// byte 0 is the sign.  QEMU always uses C for plus here.
SEM(bcdcfz) {
  return vmx_bcd(s, i, [&](u128& r, u128, u128 b) {
    const unsigned ps = bcd_ps(i);
    const unsigned zone = ps ? 0xF : 0x3;
    const unsigned sg = static_cast<unsigned>(b >> 4) & 15;
    bool bad = sg < 0xA && ps;
    u128 t = 0;
    for (unsigned n = 0; n < 16; ++n) {
      const unsigned byte = static_cast<unsigned>(b >> (8 * n)) & 0xff;
      const unsigned z = n ? byte >> 4 : zone, d = byte & 15;
      if (z != zone || d > 9) { bad = true; break; }
      bcd::put(t, d, n + 1);
    }
    const bool neg = ps ? (sg == 0xB || sg == 0xD) : (sg & 4) != 0;
    bcd::put(t, neg ? 0xD : 0xC, 0);
    r = t;
    return bad ? bcd::SO : bcd::cmp_zero(t);
  });
}
SEM(bcdctz) {
  return vmx_bcd(s, i, [&](u128& r, u128, u128 b) {
    const unsigned ps = bcd_ps(i);
    const int sb = bcd::sign(b);
    bool bad = !sb;
    const bool ox = (b >> 68) != 0;  // more than 16 digits
    u128 t = 0;
    for (unsigned n = 0; n < 16; ++n) {
      const unsigned d = bcd::dig(b, n + 1, bad);
      if (bad) break;
      t |= u128{(ps ? 0xF0u : 0x30u) + d} << (8 * n);
    }
    bcd::put(t, ps ? (sb == 1 ? 0xC : 0xD) : (sb == 1 ? 0x3 : 0x7), 1);
    r = t;
    return bad ? bcd::SO : bcd::cmp_zero(b) | (ox ? bcd::SO : 0);
  });
}
// Signed quadword <-> BCD.  Out of range: SO, VRT unchanged (as QEMU).
SEM(bcdcfsq) {
  return vmx_bcd(s, i, [&](u128& r, u128, u128 b) {
    const bool neg = static_cast<s128>(b) < 0;
    u128 mag = neg ? u128{0} - b : b;
    u128 t = 0;
    unsigned cr = neg ? bcd::LT : (mag == 0 ? bcd::EQ : bcd::GT);
    bcd::put(t, neg ? 0xD : bcd::pref(1, bcd_ps(i)), 0);
    u128 limit = 1;
    for (int k = 0; k < 31; ++k) limit *= 10;
    if (mag > limit - 1) return cr | bcd::SO | BCD_KEEP;
    for (unsigned n = 1; n < 32; ++n) {
      bcd::put(t, static_cast<unsigned>(mag % 10), n);
      mag /= 10;
    }
    r = t;
    return cr;
  });
}
SEM(bcdctsq) {
  return vmx_bcd(s, i, [&](u128& r, u128, u128 b) {
    const int sb = bcd::sign(b);
    bool bad = !sb;
    // As QEMU: two 64-bit halves; the carry of adding the digit is dropped.
    u64 lo = bcd::dig(b, 31, bad), hi = 0;
    for (unsigned n = 30; n > 0; --n) {
      const u128 p = u128{lo} * 10;
      lo = static_cast<u64>(p);
      hi = hi * 10 + static_cast<u64>(p >> 64);
      lo += bcd::dig(b, n, bad);
      if (bad) break;
    }
    const u128 v = (u128{hi} << 64) | lo;
    r = sb == -1 ? u128{0} - v : v;
    return bad ? bcd::SO : bcd::cmp_zero(b);
  });
}
SEM(bcdcpsgn) {
  return vmx_bcd(s, i, [&](u128& r, u128 a, u128 b) {
    if (!bcd::sign(a) || !bcd::sign(b)) return bcd::SO | BCD_KEEP;
    r = a;
    bcd::put(r, bcd::nib(b, 0), 0);
    for (unsigned n = 1; n < 32; ++n)
      if (bcd::nib(a, n) > 9 || bcd::nib(b, n) > 9) return bcd::SO;
    return bcd::cmp_zero(r);
  });
}
SEM(bcdsetsgn) {
  return vmx_bcd(s, i, [&](u128& r, u128, u128 b) {
    r = b;
    bcd::put(r, bcd::pref(bcd::sign(b), bcd_ps(i)), 0);
    return bcd::valid(b) ? bcd::cmp_zero(r) : bcd::SO;
  });
}
// Decimal shifts: the count is signed byte 7 of VRA (positive = left).
inline unsigned bcd_shift(u128& r, u128 a, u128 b, unsigned ps, bool round) {
  const int sb = bcd::sign(b);
  if (!bcd::valid(b)) return bcd::SO | BCD_KEEP;
  int n = static_cast<s8>(static_cast<u8>(a >> 64));
  n = n > 31 ? 31 : n < -31 ? -31 : n;
  u128 t = b & ~u128{15};
  bool ox = false;
  if (n > 0) {
    t = bcd::shl(t, 4 * n, ox);
  } else {
    t = bcd::shr(t, 4 * -n);
    bool bad = false, ovf = false;
    if (round && bcd::nib(t, 0) >= 5) bcd::add_mag(t, t, 0x10, bad, ovf);
  }
  bcd::put(t, bcd::pref(sb, ps), 0);
  r = t;
  return bcd::cmp_zero(t) | (ox ? bcd::SO : 0);
}
SEM(bcds) {
  return vmx_bcd(s, i, [&](u128& r, u128 a, u128 b) { return bcd_shift(r, a, b, bcd_ps(i), false); });
}
SEM(bcdsr) {
  return vmx_bcd(s, i, [&](u128& r, u128 a, u128 b) { return bcd_shift(r, a, b, bcd_ps(i), true); });
}
// Unsigned: 32 digits, no sign.  CR6 as QEMU computes it (digit 0 is read
// as a sign code, so nonzero results report LT).
SEM(bcdus) {
  return vmx_bcd(s, i, [&](u128& r, u128 a, u128 b) {
    if (!bcd::all_digits(b)) return bcd::SO | BCD_KEEP;
    const int n = static_cast<s8>(static_cast<u8>(a >> 64));
    bool ox = false;
    u128 t;
    if (n >= 32) { ox = true; t = 0; }
    else if (n <= -32) t = 0;
    else if (n > 0) t = bcd::shl(b, 4 * n, ox);
    else t = bcd::shr(b, 4 * -n);
    r = t;
    return bcd::cmp_zero(t) | (ox ? bcd::SO : 0);
  });
}
// Truncate to the number of digits in signed halfword 3 of VRA (+1 for the
// signed form, which counts the sign nibble).
SEM(bcdtrunc) {
  return vmx_bcd(s, i, [&](u128& r, u128 a, u128 b) {
    if (!bcd::valid(b)) return bcd::SO | BCD_KEEP;
    const int n = static_cast<s16>(static_cast<u16>(a >> 64)) + 1;
    u64 hi = static_cast<u64>(b >> 64), lo = static_cast<u64>(b);
    unsigned ox = 0;
    if (n > 16 && n < 32) {
      const u64 m = ~u64{0} >> (128 - 4 * n);
      if (hi & ~m) ox = bcd::SO;
      hi &= m;
    } else if (n >= 0 && n <= 16) {
      // QEMU's mask for n == 0 is a 64-bit shift by 64, all ones on x86.
      const u64 m = n == 0 ? ~u64{0} : ~u64{0} >> (64 - 4 * n);
      if (hi || (lo & ~m)) ox = bcd::SO;
      lo &= m;
      hi = 0;
    }
    u128 t = (u128{hi} << 64) | lo;
    bcd::put(t, bcd::pref(bcd::sign(b), bcd_ps(i)), 0);
    r = t;
    return bcd::cmp_zero(t) | ox;
  });
}
SEM(bcdutrunc) {
  return vmx_bcd(s, i, [&](u128& r, u128 a, u128 b) {
    if (!bcd::all_digits(b)) return bcd::SO | BCD_KEEP;
    const int n = static_cast<s16>(static_cast<u16>(a >> 64));
    u64 hi = static_cast<u64>(b >> 64), lo = static_cast<u64>(b);
    unsigned ox = 0;
    if (n > 16 && n < 33) {
      const u64 m = n == 32 ? ~u64{0} : ~u64{0} >> (128 - 4 * n);
      if (hi & ~m) ox = bcd::SO;
      hi &= m;
    } else if (n > 0 && n <= 16) {
      const u64 m = n == 16 ? ~u64{0} : ~u64{0} >> (64 - 4 * n);
      if (hi || (lo & ~m)) ox = bcd::SO;
      lo &= m;
      hi = 0;
    } else if (n == 0) {
      if (hi || lo) ox = bcd::SO;
      hi = lo = 0;
    }
    r = (u128{hi} << 64) | lo;
    return ox | (r == 0 ? bcd::EQ : bcd::GT);
  });
}

}  // namespace lpar::sem
