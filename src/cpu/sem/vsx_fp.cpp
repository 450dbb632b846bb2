// The vsx_fp class's handlers: each table line's semantic function compiled
// out of line for the interpreter (cpu/dispatch.cpp holds the table).  Each
// class is its own translation unit so classes build independently.
#include "cpu/dispatch.h"
#include "cpu/sem/vsx_fp.h"

namespace lpar::handler_impl {
#define INSN(id, mn, pat, ops, fl) LPAR_THREADED_HANDLER(id)
#define ALIAS(id, mn, pat, ops, pred)
#include "cpu/isa/vsx_fp.inc"
#undef INSN
#undef ALIAS
}  // namespace lpar::handler_impl
