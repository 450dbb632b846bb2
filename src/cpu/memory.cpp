#include "cpu/memory.h"

#include <algorithm>

namespace lpar {

void reset_tlb(CpuState& s) {
  for (TlbEntry& e : s.tlb) e = {TLB_INVALID, TLB_INVALID, TLB_INVALID, 0};
  for (ItlbEntry& e : s.itlb) e = {TLB_INVALID, 0};
}

namespace {

// Resolve one page through the backend.  The backend installs a TLB entry
// when the page may be cached; we always get the addend back.
inline int resolve(CpuState& s, u64 ea, Access acc, uintptr_t& addend) {
  return s.mem->fill(s, ea, acc, &addend);
}

}  // namespace

bool load_slow(CpuState& s, u64 ea, void* dst, unsigned len) {
  auto* out = static_cast<u8*>(dst);
  while (len) {
    const unsigned chunk = std::min<u64>(len, PAGE_SIZE - (ea & ~PAGE_MASK));
    uintptr_t addend;
    if (resolve(s, ea, Access::Read, addend) == FILL_FAULT) return false;
    std::memcpy(out, reinterpret_cast<const void*>(ea + addend), chunk);
    out += chunk;
    ea += chunk;
    len -= chunk;
  }
  return true;
}

bool store_slow(CpuState& s, u64 ea, const void* src, unsigned len) {
  // Check every page first so that a faulting page-crossing store writes nothing.
  uintptr_t addend[2];
  int kind[2];
  const unsigned first = std::min<u64>(len, PAGE_SIZE - (ea & ~PAGE_MASK));
  kind[0] = resolve(s, ea, Access::Write, addend[0]);
  if (kind[0] == FILL_FAULT) return false;
  if (first < len) {
    kind[1] = resolve(s, ea + first, Access::Write, addend[1]);
    if (kind[1] == FILL_FAULT) return false;
  }
  const auto* in = static_cast<const u8*>(src);
  std::memcpy(reinterpret_cast<void*>(ea + addend[0]), in, first);
  if (kind[0] == FILL_CODE) s.mem->code_write(s, ea, ea + addend[0], first);
  if (first < len) {
    std::memcpy(reinterpret_cast<void*>(ea + first + addend[1]), in + first, len - first);
    if (kind[1] == FILL_CODE) s.mem->code_write(s, ea + first, ea + first + addend[1], len - first);
  }
  return true;
}

uintptr_t code_addr_slow(CpuState& s, u64 ea) {
  uintptr_t addend;
  if (resolve(s, ea, Access::Exec, addend) == FILL_FAULT) return 0;
  itlb_entry(s, ea) = {ea & PAGE_MASK, addend};
  return ea + addend;
}

bool fetch_slow(CpuState& s, u64 ea, u32& word) {
  uintptr_t addend;
  if (resolve(s, ea, Access::Exec, addend) == FILL_FAULT) return false;
  std::memcpy(&word, reinterpret_cast<const void*>(ea + addend), 4);
  if (!s.le) word = bswap(word);
  return true;
}

}  // namespace lpar
