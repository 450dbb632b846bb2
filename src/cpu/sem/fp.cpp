// The fp class's handlers: each table line's semantic function compiled
// out of line for the interpreter (cpu/dispatch.cpp holds the table).  Each
// class is its own translation unit so classes build independently.
#include "cpu/sem/fp.h"

namespace lpar::handler_impl {
#define INSN(id, mn, pat, ops, fl) \
  Status h_##id(CpuState& s, u32 i) { return sem::id(s, i); }
#define ALIAS(id, mn, pat, ops, pred)
#include "cpu/isa/fp.inc"
#undef INSN
#undef ALIAS
}  // namespace lpar::handler_impl
