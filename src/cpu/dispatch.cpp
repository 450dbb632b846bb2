#include "cpu/dispatch.h"

#include "cpu/sem/all.h"

namespace lpar {

const Handler handlers[isa::NUM_OPS] = {
#define INSN(id, mn, pat, ops, fl) &sem::id,
#define ALIAS(id, mn, pat, ops, pred)
#include "cpu/isa/isa.inc"
#undef INSN
#undef ALIAS
    &sem::invalid,
};

}  // namespace lpar
