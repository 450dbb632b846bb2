#include "cpu/timers.h"

#include "cpu/isa/table.h"
#include "cpu/sem/spr.h"

namespace lpar {

using namespace lpar::sem;

// The exceptions are level-sensitive, as on POWER7 and later (and qemu's
// "underflow level" decrementers): one exists while the register is negative,
// until software writes it with a non-negative value.
bool timer_interrupt(CpuState& s) {
  const bool ee = s.msr & MSR_EE, hv = s.msr & MSR_HV, pr = s.msr & MSR_PR;
  // Book III-S 7.4: HDEC interrupts when LPCR[HDICE] = 1 and the thread is
  // not in hypervisor state or has MSR[EE] = 1 (the 970 has no LPCR: enabled).
  const bool hdice = s.model == isa::PPC970 || (s.lpcr & LPCR_HDICE);
  if (hdice && (ee || !hv || pr) && get_hdec(s) < 0) {
    s.exc = Exc::HDecrementer;
    return true;
  }
  // Book III-S 7.3: DEC interrupts when MSR[EE] = 1.
  if (ee && get_dec(s) < 0) {
    s.exc = Exc::Decrementer;
    return true;
  }
  return false;
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
