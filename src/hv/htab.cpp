#include "hv/htab.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace lpar::hv {

namespace {

inline u64 load_be64(const u8* p) {
  u64 v;
  std::memcpy(&v, p, 8);
  return __builtin_bswap64(v);
}
inline void store_be64(u8* p, u64 v) {
  v = __builtin_bswap64(v);
  std::memcpy(p, &v, 8);
}

}  // namespace

Htab::~Htab() { release(); }

int Htab::allocate(unsigned order) {
  if (order < MIN_ORDER || order > MAX_ORDER) return -EINVAL;
  if (data_ && order == order_) {
    clear();
    return 0;
  }
  // Anonymous memory reads as zero, so a fresh mapping is an all-invalid HPT;
  // no MAP_NORESERVE, so an order the host cannot back fails here (-ENOMEM)
  // rather than later in a guest access.
  void* p = mmap(nullptr, size_t{1} << order, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return -ENOMEM;
  release();
  data_ = static_cast<u8*>(p);
  order_ = order;
  return 0;
}

void Htab::clear() {
  if (!data_) return;
  // Dropping the pages makes them read back as zero without touching them all.
  if (madvise(data_, bytes(), MADV_DONTNEED) != 0) std::memset(data_, 0, bytes());
}

void Htab::release() {
  if (data_) munmap(data_, bytes());
  data_ = nullptr;
  order_ = 0;
}

void Htab::swap(Htab& o) noexcept {
  std::swap(data_, o.data_);
  std::swap(order_, o.order_);
}

bool Htab::read_hpte(u64 ptex, u64& pte0, u64& pte1) const {
  if (ptex >= hpte_count()) return false;
  const u8* p = data_ + ptex * 16;
  pte0 = load_be64(p);
  pte1 = load_be64(p + 8);
  return true;
}

bool Htab::write_hpte(u64 ptex, u64 pte0, u64 pte1) {
  if (ptex >= hpte_count()) return false;
  u8* p = data_ + ptex * 16;
  // Doubleword 1 first: an MMU walking the table never sees a valid
  // doubleword 0 next to a stale doubleword 1 (5.10.1.1 "Adding a PTE").
  store_be64(p + 8, pte1);
  store_be64(p, pte0);
  return true;
}

bool Htab::write_pte0(u64 ptex, u64 pte0) {
  if (ptex >= hpte_count()) return false;
  store_be64(data_ + ptex * 16, pte0);
  return true;
}

bool Htab::write_pte1(u64 ptex, u64 pte1) {
  if (ptex >= hpte_count()) return false;
  store_be64(data_ + ptex * 16 + 8, pte1);
  return true;
}

}  // namespace lpar::hv
