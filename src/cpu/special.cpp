// Decode-time specializations (cpu/isa/special.inc): each line's handler runs
// its table line's semantic function on (word & ~mask) | value, which equals
// the word for every word the line matches, and lets the compiler fold the
// fixed fields (OE, Rc, L, the SPR number, BO, AA, LK) into constants.
#include "cpu/dispatch.h"
#include "cpu/isa/pattern.h"
#include "cpu/sem/all.h"

namespace lpar {

namespace handler_impl {
#define SPECIAL(id, var, pat)                                                       \
  static Status h_##id##__##var(CpuState& s, const DecodedInsn* d) {                \
    constexpr isa::Pattern p = isa::parse_pattern(pat);                             \
    LPAR_HANDLER_BODY(sem::id(s, (d->raw & ~p.mask) | p.value))                    \
  }
#include "cpu/isa/special.inc"
#undef SPECIAL
}  // namespace handler_impl

namespace {
constexpr SpecialInfo specials[] = {
#define SPECIAL(id, var, pat) \
  {isa::Op::id, #id "." #var, isa::parse_pattern(pat).mask, isa::parse_pattern(pat).value, &handler_impl::h_##id##__##var},
#include "cpu/isa/special.inc"
#undef SPECIAL
};
}  // namespace

Handler handler_for(isa::Op op, u32 w) {
  for (const SpecialInfo& sp : specials)
    if (sp.op == op && (w & sp.mask) == sp.value) return sp.fn;
  return handler(op);
}

std::span<const SpecialInfo> special_handlers() { return specials; }

}  // namespace lpar
