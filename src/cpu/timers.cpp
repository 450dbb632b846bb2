#include "cpu/timers.h"

#include "cpu/isa/table.h"
#include "cpu/sem/spr.h"

namespace lpar {

using namespace lpar::sem;

bool timer_interrupt(CpuState& s) {
  const Exc e = timer_pending(s);
  if (e == Exc::None) return false;
  s.exc = e;
  return true;
}

bool external_interrupt(CpuState& s) {
  u32 reason = 0;
  const Exc e = external_pending(s, reason);
  if (e == Exc::None) return false;
  s.exc = e;
  s.exc_reason = reason;
  return true;
}

u64 timer_slice(const CpuState& s, u64 max) {
  u64 n = max;
  const s64 d = get_dec(s), h = get_hdec(s);
  if (d >= 0 && static_cast<u64>(d) + 1 < n) n = static_cast<u64>(d) + 1;
  if (h >= 0 && static_cast<u64>(h) + 1 < n) n = static_cast<u64>(h) + 1;
  return n ? n : 1;
}

void reset_timers(CpuState& s) {
  put_dec(s, 0x7fffffff);
  put_hdec(s, 0x7fffffff);
}

}  // namespace lpar
