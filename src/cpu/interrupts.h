// Interrupt delivery (PowerISA 3.0B Book III-S chapter 6): turns the interrupt
// an instruction raised (s.exc) into the architected register changes.
#pragma once
#include "cpu/state.h"

namespace lpar {

// Deliver s.exc (Exc::None: nothing) with s.nip = the address SRR0 gets.
// Sets SRR0/SRR1 or HSRR0/HSRR1, DAR/DSISR/HDAR/HDSISR/HEIR where the
// interrupt defines them, the new MSR and NIA, and clears s.exc.  Returns false
// for a Machine Check with MSR[ME] = 0: the thread checkstops.
bool deliver_interrupt(CpuState& s);

// The interrupt vector offset of e (0x100 ... 0xF80).
u64 interrupt_vector(Exc e);

}  // namespace lpar
