#include "gdb/memory_spy.h"

namespace lpar::gdb {

bool MemorySpy::set(CpuState& s, bool on, Fill fill) {
  if (on == installed()) return false;
  if (on) {
    orig_ = s.mem;
    spy_ = *orig_;
    spy_.fill = fill;
    s.mem = &spy_;
  } else {
    s.mem = orig_;
    orig_ = nullptr;
  }
  reset_tlb(s);
  return true;
}

}  // namespace lpar::gdb
