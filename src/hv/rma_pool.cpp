#include "hv/rma_pool.h"

#include <sys/mman.h>

#include <cstring>

#include "mmu/real_mode.h"

namespace lpar::hv {

RmaPool::~RmaPool() {
  if (map_) ::munmap(map_, map_bytes_);
}

bool RmaPool::valid_size(isa::Model m, u64 size, unsigned* rmls) {
  if (size == 0) return false;
  // The 970's HID4 RMLS is 3 bits, LPCR[RMLS] 4 (Book III-S v2.06 2.2).
  const unsigned codes = m == isa::PPC970 ? 8 : 16;
  for (unsigned c = 0; c < codes; ++c) {
    if (mmu::rmls_limit(m, c) == size) {
      if (rmls) *rmls = c;
      return true;
    }
  }
  return false;
}

std::string RmaPool::reserve(isa::Model m, u64 size, unsigned count) {
  if (count == 0) return {};
  if (!valid_size(m, size))
    return "RMA size " + std::to_string(size >> 20) + "M is not one the CPU's RMLS encodes (64M, 128M, 256M, 1G, 16G...)";
  if (size > MAX_BYTES / count) return "RMA pool larger than 64G";
  // One mapping with room to align the first RMA to its size.
  map_bytes_ = size * count + size;
  void* p = ::mmap(nullptr, map_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    map_bytes_ = 0;
    return "cannot reserve the RMA pool";
  }
  map_ = p;
  const uintptr_t a = (reinterpret_cast<uintptr_t>(p) + size - 1) & ~uintptr_t(size - 1);
  base_ = reinterpret_cast<u8*>(a);
  size_ = size;
  used_.assign(count, false);
  return {};
}

bool RmaPool::allocate(Rma& out) {
  std::lock_guard<std::mutex> lk(mu_);
  for (size_t i = 0; i < used_.size(); ++i) {
    if (used_[i]) continue;
    used_[i] = true;
    out.host = base_ + i * size_;
    out.size = size_;
    out.real_addr = REAL_BASE + i * size_;
    // A fresh RMA holds nothing of a previous guest (KVM hands out cleared memory).
    ::madvise(out.host, size_, MADV_DONTNEED);
    return true;
  }
  return false;
}

void RmaPool::release(u64 real_addr) {
  std::lock_guard<std::mutex> lk(mu_);
  if (!size_ || real_addr < REAL_BASE) return;
  const u64 i = (real_addr - REAL_BASE) / size_;
  if (i < used_.size()) used_[i] = false;
}

unsigned RmaPool::available() const {
  std::lock_guard<std::mutex> lk(mu_);
  unsigned n = 0;
  for (bool u : used_) n += !u;
  return n;
}

}  // namespace lpar::hv
