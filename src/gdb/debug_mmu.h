// The hash MMU as a debugger sees it: the same mapping mmu::translate()
// computes (Book III-S 5.7.3 real mode, 5.7.6 SLB, 5.7.7 HPT), but without
// the side effects a guest access has -- no R/C update in the HPTE, no TLB
// fill, no interrupt -- and without protection checks (a debugger is
// privileged, as ptrace is).  Also the text of the stub's MMU monitor
// commands.
#pragma once
#include <string>

#include "mmu/mmu_context.h"

namespace lpar::gdb {

struct DebugTranslation {
  bool ok = false;
  u64 ra = 0;
  unsigned page_shift = 12;
  std::string why;  // !ok: what is missing
};

// ea through the data side (MSR[DR]) or the instruction side (MSR[IR]) of c.
DebugTranslation debug_translate(const mmu::MmuContext& c, u64 ea, bool fetch);

// "monitor slb": the valid SLB entries.
std::string describe_slb(const mmu::MmuContext& c);
// "monitor hpt EA": segment, VSID, hash, PTEGs searched, the HPTE and RA.
std::string describe_hpt_lookup(const mmu::MmuContext& c, u64 ea);
// The real-mode addressing in effect for the context's MSR and for a
// partition (HRMOR, RMO with its limit, or the VRMA).
std::string describe_real_mode(const mmu::MmuContext& c);

}  // namespace lpar::gdb
