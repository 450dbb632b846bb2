// Time Base, Decrementer and Hypervisor Decrementer exceptions (PowerISA 3.0B
// Book III-S chapter 7).  The registers themselves live in cpu/sem/spr.h.
#pragma once
#include "cpu/state.h"

namespace lpar {

// If a decrementer exception exists and the MSR/LPCR let it interrupt now,
// set s.exc (HDecrementer before Decrementer) and return true; the caller
// then runs deliver_interrupt() with s.nip = the next instruction.
bool timer_interrupt(CpuState& s);

// Instructions until the earliest decrementer could turn negative (>= 1), so
// the run loop can size its next slice.
u64 timer_slice(const CpuState& s, u64 max);

// Reset values: DEC and HDEC at their largest positive value.
void reset_timers(CpuState& s);

}  // namespace lpar
