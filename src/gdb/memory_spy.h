// How a target sees the guest's data accesses for watchpoints: a copy of the
// vCPU's memory backend whose fill is the target's own, put in front of the
// original.  The copy keeps opaque, so the runtime's fill and code_write still
// find what they serve.
#pragma once
#include "cpu/state.h"

namespace lpar::gdb {

class MemorySpy {
 public:
  using Fill = int (*)(CpuState& s, u64 ea, Access acc, uintptr_t* addend);

  bool installed() const { return orig_ != nullptr; }
  // Put the spy in (on) or take it out; the TLB is dropped on a change so that
  // the backend now in place sees every page.  True if anything changed.
  bool set(CpuState& s, bool on, Fill fill);
  // The original backend's fill (only while installed).
  int fill_through(CpuState& s, u64 ea, Access acc, uintptr_t* addend) const {
    return orig_->fill(s, ea, acc, addend);
  }

 private:
  MemoryBackend* orig_ = nullptr;
  MemoryBackend spy_{};
};

}  // namespace lpar::gdb
