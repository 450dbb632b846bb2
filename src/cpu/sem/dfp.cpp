// The dfp class's handlers: each table line's semantic function compiled
// out of line for the interpreter (cpu/dispatch.cpp holds the table).  Each
// class is its own translation unit so classes build independently.
#include "cpu/dispatch.h"
#include "cpu/sem/dfp.h"

namespace lpar::handler_impl {
#define INSN(id, mn, pat, ops, fl) LPAR_THREADED_HANDLER(id)
#define ALIAS(id, mn, pat, ops, pred)
#include "cpu/isa/dfp.inc"
#undef INSN
#undef ALIAS
}  // namespace lpar::handler_impl
