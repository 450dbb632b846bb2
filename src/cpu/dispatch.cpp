#include "cpu/dispatch.h"

namespace lpar {

namespace handler_impl {
#define INSN(id, mn, pat, ops, fl) Status h_##id(CpuState& s, const DecodedInsn* d);
#define ALIAS(id, mn, pat, ops, pred)
#include "cpu/isa/isa.inc"
#undef INSN
#undef ALIAS
// No table line matched: an illegal instruction (Book I 1.8.1) causes the
// illegal-instruction type Program interrupt.
static Status h_invalid(CpuState& s, const DecodedInsn*) { return sem::illegal(s); }
}  // namespace handler_impl


const Handler handlers[isa::NUM_OPS] = {
#define INSN(id, mn, pat, ops, fl) &handler_impl::h_##id,
#define ALIAS(id, mn, pat, ops, pred)
#include "cpu/isa/isa.inc"
#undef INSN
#undef ALIAS
    &handler_impl::h_invalid,
};

}  // namespace lpar
