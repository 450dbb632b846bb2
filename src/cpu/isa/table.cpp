#include "cpu/isa/table.h"

namespace lpar::isa {

const InsnInfo insn_table[NUM_OPS] = {
#define INSN(id, mn, pat, ops, fl) {#id, mn, ops, parse_pattern(pat), static_cast<uint16_t>(fl)},
#define ALIAS(id, mn, pat, ops, pred)
#include "cpu/isa/isa.inc"
#undef INSN
#undef ALIAS
    {"invalid", ".long", "", Pattern{}, 0},
};

static const AliasInfo aliases[] = {
#define INSN(id, mn, pat, ops, fl)
#define ALIAS(id, mn, pat, ops, pred) {Op::id, mn, ops, parse_pattern(pat), AliasPred::pred},
#include "cpu/isa/isa.inc"
#undef INSN
#undef ALIAS
    {Op::invalid, nullptr, nullptr, Pattern{}, AliasPred::none},
};

std::span<const AliasInfo> alias_table() { return {aliases, std::size(aliases) - 1}; }

}  // namespace lpar::isa
