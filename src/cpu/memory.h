// Guest memory access from instruction semantics.  The fast path is the TLB
// compare-and-add; everything else (miss, page crossing, MMIO, code pages) goes
// through memory.cpp.  Data is kept in guest memory byte order; loads swap for
// big-endian mode since the host is little-endian.
#pragma once
#include <cstring>

#include "cpu/state.h"

#define LPAR_LIKELY(x) __builtin_expect(!!(x), 1)
#define LPAR_UNLIKELY(x) __builtin_expect(!!(x), 0)

namespace lpar {

bool load_slow(CpuState& s, u64 ea, void* dst, unsigned len);
bool store_slow(CpuState& s, u64 ea, const void* src, unsigned len);
bool fetch_slow(CpuState& s, u64 ea, u32& word);
uintptr_t code_addr_slow(CpuState& s, u64 ea);

template <typename T>
inline T bswap(T v) {
  if constexpr (sizeof(T) == 1) return v;
  else if constexpr (sizeof(T) == 2) return static_cast<T>(__builtin_bswap16(static_cast<u16>(v)));
  else if constexpr (sizeof(T) == 4) return static_cast<T>(__builtin_bswap32(static_cast<u32>(v)));
  else if constexpr (sizeof(T) == 8) return static_cast<T>(__builtin_bswap64(static_cast<u64>(v)));
  else {
    static_assert(sizeof(T) == 16);
    const u128 x = static_cast<u128>(v);
    return static_cast<T>((u128{__builtin_bswap64(static_cast<u64>(x))} << 64) | __builtin_bswap64(static_cast<u64>(x >> 64)));
  }
}

inline TlbEntry& tlb_entry(CpuState& s, u64 ea) { return s.tlb[(ea >> PAGE_SHIFT) & (TLB_ENTRIES - 1)]; }

// Raw bytes in memory order.
inline bool read_bytes(CpuState& s, u64 ea, void* dst, unsigned len) {
  const TlbEntry& e = tlb_entry(s, ea);
  if (LPAR_LIKELY(e.tag_read == (ea & PAGE_MASK) && (ea & ~PAGE_MASK) <= PAGE_SIZE - len)) {
    std::memcpy(dst, reinterpret_cast<const void*>(ea + e.addend), len);
    return true;
  }
  return load_slow(s, ea, dst, len);
}
inline bool write_bytes(CpuState& s, u64 ea, const void* src, unsigned len) {
  const TlbEntry& e = tlb_entry(s, ea);
  if (LPAR_LIKELY(e.tag_write == (ea & PAGE_MASK) && (ea & ~PAGE_MASK) <= PAGE_SIZE - len)) {
    std::memcpy(reinterpret_cast<void*>(ea + e.addend), src, len);
    return true;
  }
  return store_slow(s, ea, src, len);
}

// Loads/stores in the current byte order (MSR[LE]); reverse=true gives the
// byte-reversed forms (lwbrx...).  Return false with s.exc set on a fault.
template <typename T>
inline bool load(CpuState& s, u64 ea, T& out, bool reverse = false) {
  T v;
  if (!read_bytes(s, ea, &v, sizeof(T))) return false;
  out = ((!s.le) != reverse) ? bswap(v) : v;
  return true;
}
template <typename T>
inline bool store(CpuState& s, u64 ea, T v, bool reverse = false) {
  if ((!s.le) != reverse) v = bswap(v);
  return write_bytes(s, ea, &v, sizeof(T));
}

inline bool fetch(CpuState& s, u64 ea, u32& word) {
  const TlbEntry& e = tlb_entry(s, ea);
  if (LPAR_LIKELY(e.tag_exec == (ea & PAGE_MASK))) {
    std::memcpy(&word, reinterpret_cast<const void*>(ea + e.addend), 4);
    if (!s.le) word = bswap(word);
    return true;
  }
  return fetch_slow(s, ea, word);
}

inline ItlbEntry& itlb_entry(CpuState& s, u64 ea) { return s.itlb[(ea >> PAGE_SHIFT) & (ITLB_ENTRIES - 1)]; }
inline const ItlbEntry& itlb_entry(const CpuState& s, u64 ea) { return s.itlb[(ea >> PAGE_SHIFT) & (ITLB_ENTRIES - 1)]; }

// Where the instruction at ea lives on the host under the current
// instruction-side translation (the ITLB): the pre-decoded blocks' key.
// 0 with the fetch's interrupt in s on a fault.
inline uintptr_t code_addr(CpuState& s, u64 ea) {
  const ItlbEntry& e = itlb_entry(s, ea);
  if (LPAR_LIKELY(e.tag == (ea & PAGE_MASK))) return ea + e.addend;
  return code_addr_slow(s, ea);
}
// The same with no slow path (chaining): 0 when the ITLB does not hold ea.
inline uintptr_t code_addr_cached(const CpuState& s, u64 ea) {
  const ItlbEntry& e = itlb_entry(s, ea);
  return e.tag == (ea & PAGE_MASK) ? ea + e.addend : 0;
}

// Any store may break a reservation held on the same granule (Book II 4.4.2).
inline void clear_reservation(CpuState& s) { s.resv_valid = 0; }

}  // namespace lpar
