// Logical partition IDs (Book III-S 2.x LPIDR): one per VM, the tag that
// keeps partitions' translations apart in TLBs, the role VMIDs play for
// ARM's stage-2 tables.
//
// LPIDs are handed out round-robin from 1 (0 is the hypervisor's own, as
// KVM reserves the host's).  When the counter wraps, the generation goes up:
// a VM whose LPID was handed out in an older generation may meet translations
// a previous owner of the same LPID left in a cache, so whoever caches
// LPID-tagged state compares generations and drops that LPID's entries
// (SoftTlb::invalidate_lpid) -- that LPID only, and only after a wrap.
#pragma once
#include <mutex>
#include <vector>

#include "cpu/isa/table.h"
#include "cpu/state.h"

namespace lpar::hv {

class LpidAllocator {
 public:
  explicit LpidAllocator(u32 max_lpid) { set_limit(max_lpid); }
  // LPIDR width of the model: POWER7 10 bits, POWER8/9 12 bits, the 970 6
  // bits (its HID4 LPID field).
  static u32 model_max(isa::Model m) { return m == isa::PPC970 ? 63 : m == isa::POWER7 ? 1023 : 4095; }

  // 0 with lpid and its generation, or -ENOMEM when every LPID is taken.
  int allocate(u32& lpid, u64& generation);
  void release(u32 lpid);
  u64 generation() const;
  u32 limit() const { return max_; }
  // Shrink/grow the LPID space (tests); only while no LPID is allocated.
  void set_limit(u32 max_lpid);

 private:
  mutable std::mutex mu_;
  u32 max_ = 0;
  u32 next_ = 1;
  u64 gen_ = 0;
  std::vector<bool> used_;
};

}  // namespace lpar::hv
