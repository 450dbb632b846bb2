// The problem-state registers of gdb's ppc64 register file (power_arch.h)
// over a CpuState: GPRs, PC, CR, LR, CTR, XER, FPRs, FPSCR, VRs, VSCR,
// VRSAVE, VSX halves.  Shared by the lpar-user and the machine targets; MSR
// and the privileged registers are each target's business.
#pragma once
#include "cpu/state.h"
#include "gdb/power_arch.h"

namespace lpar::gdb::power {

// False if n is not one of those registers.
bool read_problem_register(const CpuState& s, unsigned n, u128& v);
bool write_problem_register(CpuState& s, unsigned n, u128 v);

}  // namespace lpar::gdb::power
