// Time Base, Decrementer and Hypervisor Decrementer exceptions (PowerISA 3.0B
// Book III-S chapter 7).  The registers themselves live in cpu/sem/spr.h.
#pragma once
#include "cpu/state.h"

namespace lpar {

// If a decrementer exception exists and the MSR/LPCR let it interrupt now,
// set s.exc (HDecrementer before Decrementer) and return true; the caller
// then runs deliver_interrupt() with s.nip = the next instruction.
bool timer_interrupt(CpuState& s);

// External exceptions (Book III-S v2.07B 6.5.7, v3.0B 6.5.7 and 6.5.20): if
// s.ext_line or LPCR[MER] interrupts now, set s.exc and return true.
//  * the line, ISA 3.0 with LPCR[HVICE]=1: Hypervisor Virtualization, enabled
//    when MSR[EE]=1 or MSR[HV]=0;
//  * the line to the hypervisor (POWER7+ with LPCR[LPES0]=0): External to
//    hypervisor state, enabled when MSR[EE]=1 or MSR[HV]=0;
//  * the line to the OS (LPES0=1, the 970): External, enabled by MSR[EE];
//  * LPCR[MER]=1 with MSR[HV]=0 and MSR[EE]=1 (POWER7+): a Mediated External
//    interrupt to the OS (exc_reason EXT_MEDIATED).
bool external_interrupt(CpuState& s);

// Instructions until the earliest decrementer could turn negative (>= 1), so
// the run loop can size its next slice.
u64 timer_slice(const CpuState& s, u64 max);

// Reset values: DEC and HDEC at their largest positive value.
void reset_timers(CpuState& s);

}  // namespace lpar
