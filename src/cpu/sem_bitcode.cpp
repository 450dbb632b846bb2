// Compiled by clang-19 to LLVM bitcode (build/sem.bc): the LLVM tier inlines
// exactly these functions, so the ISA has one definition for both tiers.
#include "cpu/isa/table.h"
#include "cpu/sem/all.h"

extern "C" {
#define INSN(id, mn, pat, ops, fl) \
  ::lpar::Status lpar_sem_##id(::lpar::CpuState& s, ::lpar::u32 i) { return ::lpar::sem::id(s, i); }
#define ALIAS(id, mn, pat, ops, pred)
#include "cpu/isa/isa.inc"
#undef INSN
#undef ALIAS
::lpar::Status lpar_sem_invalid(::lpar::CpuState& s, ::lpar::u32 i) { return ::lpar::sem::illegal(s); }
}
