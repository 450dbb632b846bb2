// Fixed-point loads and stores (PowerISA 3.0B Book I 3.3.2-3.3.7) and the
// problem-state storage-control instructions (Book II chapters 4-5).
// Where the book leaves freedom (invalid forms, reservations), the behaviour is
// the one qemu-ppc64le 7.2 shows, probed instruction by instruction.
#pragma once
#include "cpu/sem/common.h"

namespace lpar::sem {

// Fields this class needs beyond insn.h.
constexpr unsigned ls_NB(u32 i) { return bits(i, 16, 20); }
constexpr unsigned ls_WC(u32 i) { return bits(i, 9, 10); }

// POWER9 data-cache block size, the unit of dcbz and icbi (Book II 4.1).
inline constexpr u64 LS_CACHE_LINE = 128;

// Book I 1.10.3: EA = (RA|0) + D, or (RA|0) + (RB); wraps in 32-bit mode.
inline u64 ls_base(const CpuState& s, u32 i) { return RA(i) ? s.gpr[RA(i)] : 0; }
inline u64 ls_ea_d(const CpuState& s, u32 i, s64 d) { return ea_mask(s, ls_base(s, i) + static_cast<u64>(d)); }
inline u64 ls_ea_x(const CpuState& s, u32 i) { return ea_mask(s, ls_base(s, i) + s.gpr[RB(i)]); }

// Loads of T into RT, zero- or sign-extended; update forms write EA into RA.
// Update loads with RA=0 or RA=RT are invalid forms: QEMU raises the
// illegal-instruction program interrupt, and so do we.
template <typename T, bool Signed>
inline Status ls_load(CpuState& s, u32 i, u64 ea, bool update, bool reverse = false) {
  if (update && (RA(i) == 0 || RA(i) == RT(i))) return illegal(s);
  T v;
  if (!load<T>(s, ea, v, reverse)) return Status::Exception;
  if constexpr (Signed) s.gpr[RT(i)] = static_cast<u64>(static_cast<s64>(static_cast<std::make_signed_t<T>>(v)));
  else s.gpr[RT(i)] = static_cast<u64>(v);
  if (update) s.gpr[RA(i)] = ea;
  return Status::Next;
}

// Stores of the low bytes of RS; update stores with RA=0 are invalid (Book I 3.3.3).
template <typename T>
inline Status ls_store(CpuState& s, u32 i, u64 ea, bool update, bool reverse = false) {
  if (update && RA(i) == 0) return illegal(s);
  if (!store<T>(s, ea, static_cast<T>(s.gpr[RS(i)]), reverse)) return Status::Exception;
  if (update) s.gpr[RA(i)] = ea;
  return Status::Next;
}

// ---- Book I 3.3.2 / 3.3.3: byte, halfword, word, doubleword loads and stores.
SEM(lbz)   { return ls_load<u8, false>(s, i, ls_ea_d(s, i, D(i)), false); }
SEM(lbzu)  { return ls_load<u8, false>(s, i, ea_mask(s, s.gpr[RA(i)] + D(i)), true); }
SEM(lbzx)  { return ls_load<u8, false>(s, i, ls_ea_x(s, i), false); }
SEM(lbzux) { return ls_load<u8, false>(s, i, ea_mask(s, s.gpr[RA(i)] + s.gpr[RB(i)]), true); }
SEM(lhz)   { return ls_load<u16, false>(s, i, ls_ea_d(s, i, D(i)), false); }
SEM(lhzu)  { return ls_load<u16, false>(s, i, ea_mask(s, s.gpr[RA(i)] + D(i)), true); }
SEM(lhzx)  { return ls_load<u16, false>(s, i, ls_ea_x(s, i), false); }
SEM(lhzux) { return ls_load<u16, false>(s, i, ea_mask(s, s.gpr[RA(i)] + s.gpr[RB(i)]), true); }
SEM(lha)   { return ls_load<u16, true>(s, i, ls_ea_d(s, i, D(i)), false); }
SEM(lhau)  { return ls_load<u16, true>(s, i, ea_mask(s, s.gpr[RA(i)] + D(i)), true); }
SEM(lhax)  { return ls_load<u16, true>(s, i, ls_ea_x(s, i), false); }
SEM(lhaux) { return ls_load<u16, true>(s, i, ea_mask(s, s.gpr[RA(i)] + s.gpr[RB(i)]), true); }
SEM(lwz)   { return ls_load<u32, false>(s, i, ls_ea_d(s, i, D(i)), false); }
SEM(lwzu)  { return ls_load<u32, false>(s, i, ea_mask(s, s.gpr[RA(i)] + D(i)), true); }
SEM(lwzx)  { return ls_load<u32, false>(s, i, ls_ea_x(s, i), false); }
SEM(lwzux) { return ls_load<u32, false>(s, i, ea_mask(s, s.gpr[RA(i)] + s.gpr[RB(i)]), true); }
SEM(lwa)   { return ls_load<u32, true>(s, i, ls_ea_d(s, i, DS(i)), false); }
SEM(lwax)  { return ls_load<u32, true>(s, i, ls_ea_x(s, i), false); }
SEM(lwaux) { return ls_load<u32, true>(s, i, ea_mask(s, s.gpr[RA(i)] + s.gpr[RB(i)]), true); }
SEM(ld)    { return ls_load<u64, false>(s, i, ls_ea_d(s, i, DS(i)), false); }
SEM(ldu)   { return ls_load<u64, false>(s, i, ea_mask(s, s.gpr[RA(i)] + DS(i)), true); }
SEM(ldx)   { return ls_load<u64, false>(s, i, ls_ea_x(s, i), false); }
SEM(ldux)  { return ls_load<u64, false>(s, i, ea_mask(s, s.gpr[RA(i)] + s.gpr[RB(i)]), true); }

SEM(stb)   { return ls_store<u8>(s, i, ls_ea_d(s, i, D(i)), false); }
SEM(stbu)  { return ls_store<u8>(s, i, ea_mask(s, s.gpr[RA(i)] + D(i)), true); }
SEM(stbx)  { return ls_store<u8>(s, i, ls_ea_x(s, i), false); }
SEM(stbux) { return ls_store<u8>(s, i, ea_mask(s, s.gpr[RA(i)] + s.gpr[RB(i)]), true); }
SEM(sth)   { return ls_store<u16>(s, i, ls_ea_d(s, i, D(i)), false); }
SEM(sthu)  { return ls_store<u16>(s, i, ea_mask(s, s.gpr[RA(i)] + D(i)), true); }
SEM(sthx)  { return ls_store<u16>(s, i, ls_ea_x(s, i), false); }
SEM(sthux) { return ls_store<u16>(s, i, ea_mask(s, s.gpr[RA(i)] + s.gpr[RB(i)]), true); }
SEM(stw)   { return ls_store<u32>(s, i, ls_ea_d(s, i, D(i)), false); }
SEM(stwu)  { return ls_store<u32>(s, i, ea_mask(s, s.gpr[RA(i)] + D(i)), true); }
SEM(stwx)  { return ls_store<u32>(s, i, ls_ea_x(s, i), false); }
SEM(stwux) { return ls_store<u32>(s, i, ea_mask(s, s.gpr[RA(i)] + s.gpr[RB(i)]), true); }
SEM(std)   { return ls_store<u64>(s, i, ls_ea_d(s, i, DS(i)), false); }
SEM(stdu)  { return ls_store<u64>(s, i, ea_mask(s, s.gpr[RA(i)] + DS(i)), true); }
SEM(stdx)  { return ls_store<u64>(s, i, ls_ea_x(s, i), false); }
SEM(stdux) { return ls_store<u64>(s, i, ea_mask(s, s.gpr[RA(i)] + s.gpr[RB(i)]), true); }

// ---- Book I 3.3.5: byte-reversed loads and stores.
SEM(lhbrx)  { return ls_load<u16, false>(s, i, ls_ea_x(s, i), false, true); }
SEM(lwbrx)  { return ls_load<u32, false>(s, i, ls_ea_x(s, i), false, true); }
SEM(ldbrx)  { return ls_load<u64, false>(s, i, ls_ea_x(s, i), false, true); }
SEM(sthbrx) { return ls_store<u16>(s, i, ls_ea_x(s, i), false, true); }
SEM(stwbrx) { return ls_store<u32>(s, i, ls_ea_x(s, i), false, true); }
SEM(stdbrx) { return ls_store<u64>(s, i, ls_ea_x(s, i), false, true); }

// ---- Book I 3.3.4: quadword.  The quadword is in the current byte order;
// RTp's even register holds its high-order doubleword.  Problem state since
// ISA 2.07; QEMU checks no alignment, ignores DQ's low four bits (the
// reserved bits 28:31), and rejects an odd RTp and RT=RA on loads.
inline void ls_put_pair(CpuState& s, unsigned r, u128 v) {
  s.gpr[r] = static_cast<u64>(v >> 64);
  s.gpr[r + 1] = static_cast<u64>(v);
}
inline u128 ls_get_pair(const CpuState& s, unsigned r) { return (u128{s.gpr[r]} << 64) | s.gpr[r + 1]; }

SEM(lq) {
  if ((RT(i) & 1) || RT(i) == RA(i)) return illegal(s);
  u128 v;
  LOAD(u128, ls_ea_d(s, i, DQ(i)), v);
  ls_put_pair(s, RT(i), v);
  return Status::Next;
}
SEM(stq) {
  if (RS(i) & 1) return illegal(s);
  STORE(u128, ls_ea_d(s, i, DS(i)), ls_get_pair(s, RS(i)));
  return Status::Next;
}

// ---- Book I 3.3.6 / 3.3.7: multiple and string.  Big-endian only: in
// little-endian mode they take the Alignment interrupt (QEMU does the same).
// Bytes are gathered or scattered in one access so that a fault changes no
// register and writes no storage.
inline bool ls_read_wrap(CpuState& s, u64 ea, u8* buf, unsigned len) {
  // In 32-bit mode the EA of the following bytes wraps at 2^32.
  if (!mode64(s) && ea + len > (u64{1} << 32)) {
    const unsigned first = static_cast<unsigned>((u64{1} << 32) - ea);
    return read_bytes(s, ea, buf, first) && read_bytes(s, 0, buf + first, len - first);
  }
  return read_bytes(s, ea, buf, len);
}
inline bool ls_write_wrap(CpuState& s, u64 ea, const u8* buf, unsigned len) {
  if (!mode64(s) && ea + len > (u64{1} << 32)) {
    const unsigned first = static_cast<unsigned>((u64{1} << 32) - ea);
    return write_bytes(s, ea, buf, first) && write_bytes(s, 0, buf + first, len - first);
  }
  return write_bytes(s, ea, buf, len);
}

SEM(lmw) {
  const u64 ea = ls_ea_d(s, i, D(i));
  if (s.le) return raise(s, Exc::Alignment, 0, ea);
  const unsigned n = 32 - RT(i);
  u8 buf[128];
  if (!ls_read_wrap(s, ea, buf, 4 * n)) return Status::Exception;
  // QEMU loads RA too when it is in the range (the invalid form).
  for (unsigned k = 0; k < n; ++k)
    s.gpr[RT(i) + k] = (u32{buf[4 * k]} << 24) | (u32{buf[4 * k + 1]} << 16) | (u32{buf[4 * k + 2]} << 8) | buf[4 * k + 3];
  return Status::Next;
}
SEM(stmw) {
  const u64 ea = ls_ea_d(s, i, D(i));
  if (s.le) return raise(s, Exc::Alignment, 0, ea);
  const unsigned n = 32 - RS(i);
  u8 buf[128];
  for (unsigned k = 0; k < n; ++k) {
    const u32 w = static_cast<u32>(s.gpr[RS(i) + k]);
    buf[4 * k] = w >> 24;
    buf[4 * k + 1] = w >> 16;
    buf[4 * k + 2] = w >> 8;
    buf[4 * k + 3] = w;
  }
  if (!ls_write_wrap(s, ea, buf, 4 * n)) return Status::Exception;
  return Status::Next;
}

// Is register rx among the nregs registers from start on, wrapping r31 -> r0?
inline bool ls_reg_in_range(unsigned start, unsigned nregs, unsigned rx) {
  const unsigned end = start + nregs;
  return end <= 32 ? (rx >= start && rx < end) : (rx >= start || rx < end - 32);
}

// Book I 3.3.7: bytes go to the high-order end of the low word of successive
// registers; the last register's unfilled bytes are zeroed.
inline Status ls_load_string(CpuState& s, unsigned rt, u64 ea, unsigned nb) {
  u8 buf[128];
  if (!ls_read_wrap(s, ea, buf, nb)) return Status::Exception;
  unsigned r = rt;
  for (unsigned k = 0; k < nb; k += 4) {
    u32 w = 0;
    for (unsigned b = 0; b < 4; ++b) w |= (k + b < nb ? u32{buf[k + b]} : 0u) << (24 - 8 * b);
    s.gpr[r] = w;
    r = (r + 1) % 32;
  }
  return Status::Next;
}
inline Status ls_store_string(CpuState& s, unsigned rs, u64 ea, unsigned nb) {
  u8 buf[128];
  unsigned r = rs;
  for (unsigned k = 0; k < nb; k += 4) {
    const u32 w = static_cast<u32>(s.gpr[r]);
    for (unsigned b = 0; b < 4 && k + b < nb; ++b) buf[k + b] = static_cast<u8>(w >> (24 - 8 * b));
    r = (r + 1) % 32;
  }
  if (!ls_write_wrap(s, ea, buf, nb)) return Status::Exception;
  return Status::Next;
}

SEM(lswi) {
  const u64 ea = ea_mask(s, ls_base(s, i));
  if (s.le) return raise(s, Exc::Alignment, 0, ea);
  const unsigned nb = ls_NB(i) ? ls_NB(i) : 32;
  // Invalid form: RA among the registers loaded (QEMU checks even RA=0).
  if (ls_reg_in_range(RT(i), (nb + 3) / 4, RA(i))) return illegal(s);
  return ls_load_string(s, RT(i), ea, nb);
}
SEM(lswx) {
  const u64 ea = ls_ea_x(s, i);
  if (s.le) return raise(s, Exc::Alignment, 0, ea);
  const unsigned nb = s.xer_bc;  // XER[57:63]
  if (nb == 0) return Status::Next;
  const unsigned nregs = (nb + 3) / 4;
  if ((RA(i) != 0 && ls_reg_in_range(RT(i), nregs, RA(i))) || ls_reg_in_range(RT(i), nregs, RB(i))) return illegal(s);
  return ls_load_string(s, RT(i), ea, nb);
}
SEM(stswi) {
  const u64 ea = ea_mask(s, ls_base(s, i));
  if (s.le) return raise(s, Exc::Alignment, 0, ea);
  return ls_store_string(s, RS(i), ea, ls_NB(i) ? ls_NB(i) : 32);
}
SEM(stswx) {
  const u64 ea = ls_ea_x(s, i);
  if (s.le) return raise(s, Exc::Alignment, 0, ea);
  return ls_store_string(s, RS(i), ea, s.xer_bc);
}

// ---- Book II 4.4.2: load and reserve / store conditional.
// The reservation records the address, the length and the value loaded.  As
// in QEMU, a store conditional succeeds when the address matches and storage
// still holds the reserved value; the EH hint is ignored.
template <typename T>
inline Status ls_larx(CpuState& s, u32 i) {
  const u64 ea = ls_ea_x(s, i);
  if (ea & (sizeof(T) - 1)) return raise(s, Exc::Alignment, 0, ea);
  T v;
  LOAD(T, ea, v);
  s.gpr[RT(i)] = v;
  s.resv_addr = ea;
  s.resv_len = sizeof(T);
  s.resv_val[0] = v;
  s.resv_val[1] = 0;
  s.resv_valid = 1;
  return Status::Next;
}

// CR0 = 0b00 || n || XER[SO]; the reservation is always cleared.
inline void ls_stcx_done(CpuState& s, bool ok) {
  set_crf(s, 0, (ok ? CR_EQ : 0) | (s.so ? CR_SO : 0));
  s.resv_valid = 0;
}

template <typename T>
inline Status ls_stcx(CpuState& s, u32 i) {
  const u64 ea = ls_ea_x(s, i);
  // QEMU compares the address first: a mismatch fails without any access,
  // so a misaligned address only faults when it equals the reserved one.
  if (!s.resv_valid || ea != s.resv_addr) {
    ls_stcx_done(s, false);
    return Status::Next;
  }
  if (ea & (sizeof(T) - 1)) return raise(s, Exc::Alignment, 0, ea);
  T old;
  LOAD(T, ea, old);
  // The store happens when storage holds the low bytes of the reserved value,
  // but success needs the whole reserved value: after lwarx, a stbcx. to the
  // same address may store yet report failure, as in QEMU.
  const T next = old == static_cast<T>(s.resv_val[0]) ? static_cast<T>(s.gpr[RS(i)]) : old;
  STORE(T, ea, next);
  ls_stcx_done(s, u64{old} == s.resv_val[0]);
  return Status::Next;
}

SEM(lbarx) { return ls_larx<u8>(s, i); }
SEM(lharx) { return ls_larx<u16>(s, i); }
SEM(lwarx) { return ls_larx<u32>(s, i); }
SEM(ldarx) { return ls_larx<u64>(s, i); }
SEM(stbcx_) { return ls_stcx<u8>(s, i); }
SEM(sthcx_) { return ls_stcx<u16>(s, i); }
SEM(stwcx_) { return ls_stcx<u32>(s, i); }
SEM(stdcx_) { return ls_stcx<u64>(s, i); }

// lqarx: RTp even, RTp distinct from RA and RB (as QEMU checks), quadword aligned.
SEM(lqarx) {
  if ((RT(i) & 1) || RT(i) == RA(i) || RT(i) == RB(i)) return illegal(s);
  const u64 ea = ls_ea_x(s, i);
  if (ea & 15) return raise(s, Exc::Alignment, 0, ea);
  u128 v;
  LOAD(u128, ea, v);
  ls_put_pair(s, RT(i), v);
  s.resv_addr = ea;
  s.resv_len = 16;
  s.resv_val[0] = static_cast<u64>(v >> 64);
  s.resv_val[1] = static_cast<u64>(v);
  s.resv_valid = 1;
  return Status::Next;
}
// stqcx.: needs a quadword reservation at the same address and unchanged data.
// (qemu-ppc64le 7.2 reports failure for every stqcx.; we follow the book.)
SEM(stqcx_) {
  if (RS(i) & 1) return illegal(s);
  const u64 ea = ls_ea_x(s, i);
  if (!s.resv_valid || ea != s.resv_addr || s.resv_len != 16) {
    ls_stcx_done(s, false);
    return Status::Next;
  }
  if (ea & 15) return raise(s, Exc::Alignment, 0, ea);
  u128 old;
  LOAD(u128, ea, old);
  const bool ok = old == ((u128{s.resv_val[0]} << 64) | s.resv_val[1]);
  STORE(u128, ea, ok ? ls_get_pair(s, RS(i)) : old);
  ls_stcx_done(s, ok);
  return Status::Next;
}

// ---- Book II 4.5: atomic memory operations (single thread: plain read-modify-write).
// EA = (RA|0), naturally aligned.  Function codes QEMU 7.2 does not know take
// a DSI (SIGSEGV under qemu-ppc64le, DAR not set).  QEMU quirks kept: the
// 32-bit signed max/min compare as unsigned, and a bounded fetch-and-increment
// that hits the bound returns 0xffffffff80000000 for both sizes.
inline constexpr u64 LS_AMO_BOUND = 0xffffffff80000000ull;

template <typename T>
inline T ls_amo_op(unsigned fc, T old, T src) {
  using S = std::make_signed_t<T>;
  constexpr bool wide = sizeof(T) == 8;
  switch (fc) {
    case 0: return static_cast<T>(old + src);
    case 1: return old ^ src;
    case 2: return old | src;
    case 3: return old & src;
    case 4: return old > src ? old : src;
    case 5: return (wide ? static_cast<S>(old) > static_cast<S>(src) : old > src) ? old : src;
    case 6: return old < src ? old : src;
    case 7: return (wide ? static_cast<S>(old) < static_cast<S>(src) : old < src) ? old : src;
    default: return src;  // 8: swap
  }
}

template <typename T>
inline Status ls_lat(CpuState& s, u32 i) {
  const unsigned fc = RB(i);
  const unsigned rt = RT(i);
  const u64 ea = ea_mask(s, ls_base(s, i));
  const bool known = fc <= 8 || fc == 16 || fc == 24 || fc == 25 || fc == 28;
  if (!known) return raise(s, Exc::DSI, 0, 0);
  if (ea & (sizeof(T) - 1)) return raise(s, Exc::Alignment, 0, ea);
  const T src = static_cast<T>(s.gpr[(rt + 1) & 31]);
  T old;
  LOAD(T, ea, old);
  u64 result = old;
  T next;
  if (fc <= 8) {
    next = ls_amo_op<T>(fc, old, src);
  } else if (fc == 16) {
    // Compare and swap not equal: RT+2 replaces a value that differs from RT+1.
    next = old != src ? static_cast<T>(s.gpr[(rt + 2) & 31]) : old;
  } else {
    // 24: fetch and increment bounded, 25: ... equal, 28: fetch and decrement
    // bounded; the bound is the next element in storage.
    T bound;
    LOAD(T, ea + sizeof(T), bound);
    const bool go = fc == 25 ? old == bound : old != bound;
    next = go ? static_cast<T>(old + (fc == 28 ? T(-1) : T(1))) : old;
    if (!go) result = LS_AMO_BOUND;
  }
  STORE(T, ea, next);
  s.gpr[rt] = result;
  return Status::Next;
}

template <typename T>
inline Status ls_stat(CpuState& s, u32 i) {
  const unsigned fc = RB(i);
  const u64 ea = ea_mask(s, ls_base(s, i));
  if (!(fc <= 7 || fc == 24)) return raise(s, Exc::DSI, 0, 0);
  if (ea & (sizeof(T) - 1)) return raise(s, Exc::Alignment, 0, ea);
  const T src = static_cast<T>(s.gpr[RS(i)]);
  T old;
  LOAD(T, ea, old);
  if (fc <= 7) {
    STORE(T, ea, ls_amo_op<T>(fc, old, src));
    return Status::Next;
  }
  // 24: store twin, when the two elements are equal.
  T twin;
  LOAD(T, ea + sizeof(T), twin);
  const bool eq = old == twin;
  T both[2] = {eq ? src : old, eq ? src : twin};
  if (s.le == 0) {
    both[0] = bswap(both[0]);
    both[1] = bswap(both[1]);
  }
  if (!write_bytes(s, ea, both, sizeof both)) return Status::Exception;
  return Status::Next;
}

SEM(lwat) { return ls_lat<u32>(s, i); }
SEM(ldat) { return ls_lat<u64>(s, i); }
SEM(stwat) { return ls_stat<u32>(s, i); }
SEM(stdat) { return ls_stat<u64>(s, i); }

// ---- Book II 4.3: cache management.  Touches are pure hints and never fault;
// dcbst, dcbf and icbi are checked like a load of their block, as in QEMU.
SEM(dcbt) { return Status::Next; }
SEM(dcbtst) { return Status::Next; }
SEM(dcbst) {
  u8 b;
  if (!read_bytes(s, ls_ea_x(s, i), &b, 1)) return Status::Exception;
  return Status::Next;
}
// dcbf L=2 and L=3 (dcbflp) are illegal in QEMU 7.2.
SEM(dcbf) {
  if (bits(i, 9, 9)) return illegal(s);
  u8 b;
  if (!read_bytes(s, ls_ea_x(s, i), &b, 1)) return Status::Exception;
  return Status::Next;
}
// Pre-decoded code is dropped when its page is stored to, so icbi only checks access.
SEM(icbi) {
  u32 w;
  if (!read_bytes(s, ls_ea_x(s, i) & ~(LS_CACHE_LINE - 1), &w, 4)) return Status::Exception;
  return Status::Next;
}
// icbt is Book II 4.3.1, but QEMU 7.2 implements it for Book E only.
SEM(icbt) { return illegal(s); }
// Book II 4.3.2: zero the aligned 128-byte block; a reservation on it is lost.
SEM(dcbz) {
  const u64 block = ls_ea_x(s, i) & ~(LS_CACHE_LINE - 1);
  u8 zero[LS_CACHE_LINE] = {};
  if (!write_bytes(s, block, zero, LS_CACHE_LINE)) return Status::Exception;
  if (s.resv_valid && (s.resv_addr & ~(LS_CACHE_LINE - 1)) == block) s.resv_valid = 0;
  return Status::Next;
}

// ---- Book II 4.6: synchronization.  One thread sees its own accesses in
// order; isync ends the pre-decoded block (END in the table).
SEM(isync) { return Status::Next; }
SEM(sync) { return Status::Next; }
SEM(eieio) { return Status::Next; }
// wait: nothing in problem state can wake us but an interrupt, so resume at
// once; QEMU rejects the WC values other than 0.
SEM(wait) {
  if (ls_WC(i) != 0) return illegal(s);
  return Status::Next;
}
// Book II 4.4.1 copy/paste: not implemented by QEMU 7.2 (illegal); cp_abort is a no-op there.
SEM(copy) { return illegal(s); }
SEM(paste_) { return illegal(s); }
SEM(cp_abort) { return Status::Next; }

}  // namespace lpar::sem
