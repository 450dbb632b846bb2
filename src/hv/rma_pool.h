// The pool of Real Mode Areas reserved when lpar starts (the kernel patch
// "Allocate RMAs at boot for use by guests": kvm_rma_size=, kvm_rma_count=;
// KVM_ALLOCATE_RMA, api.rst 4.62).
//
// An RMA is physically contiguous and aligned to its size, because the
// processor reaches it through RMOR (offset real mode, Book III-S 5.7.3.2)
// with a limit (RMLS) that is one of a few sizes.  Here host memory plays the
// hypervisor's real memory: the pool is one mmap, and RMA i has the
// hypervisor real address REAL_BASE + i * size (what RMOR / HID4[RMOR] hold),
// outside every guest-physical address, so a wrong RMOR can only miss.
#pragma once
#include <mutex>
#include <string>
#include <vector>

#include "cpu/isa/table.h"
#include "cpu/state.h"

namespace lpar::hv {

// What KVM_ALLOCATE_RMA hands out: the mapping (KVM: mmap of the returned fd)
// and its size, plus the real address the hypervisor puts in RMOR.
struct Rma {
  u8* host = nullptr;
  u64 size = 0;
  u64 real_addr = 0;
};

class RmaPool {
 public:
  static constexpr u64 REAL_BASE = u64{1} << 40;  // 1 TB: above the 64 GB of guest memory
  static constexpr u64 MAX_BYTES = u64{64} << 30;

  RmaPool() = default;
  ~RmaPool();
  RmaPool(const RmaPool&) = delete;
  RmaPool& operator=(const RmaPool&) = delete;

  // Is size one the model's RMLS field encodes (mmu::rmls_limit)?  The RMLS
  // code is returned in *rmls.
  static bool valid_size(isa::Model m, u64 size, unsigned* rmls = nullptr);
  // Reserve count RMAs of size bytes (count 0: an empty pool).  Returns an
  // empty string or a one-line error (size the model cannot encode, too big,
  // no memory).
  std::string reserve(isa::Model m, u64 size, unsigned count);

  // Take one RMA (zeroed); false when the pool is empty.
  bool allocate(Rma& out);
  // Give an RMA back (by its real address); ignored if not allocated.
  void release(u64 real_addr);

  u64 rma_size() const { return size_; }
  unsigned count() const { return unsigned(used_.size()); }
  unsigned available() const;

 private:
  mutable std::mutex mu_;
  u8* base_ = nullptr;   // size-aligned start inside the mapping
  void* map_ = nullptr;
  u64 map_bytes_ = 0;
  u64 size_ = 0;
  std::vector<bool> used_;
};

}  // namespace lpar::hv
