// The decoder: per primary opcode, the table's patterns grouped by mask, most
// specific mask first, each group a sorted array searched by value.  Decoding
// happens once per instruction address (interp/block_cache), so this favours
// simplicity over the last cycle.
#include <algorithm>
#include <array>
#include <vector>

#include "cpu/isa/table.h"

namespace lpar::isa {
namespace {

struct Group {
  uint32_t mask;
  std::vector<std::pair<uint32_t, Op>> entries;  // sorted by value
};

struct Decoder {
  std::array<std::vector<Group>, 64> by_po;

  Decoder() {
    for (unsigned k = 0; k < static_cast<unsigned>(Op::invalid); ++k) {
      const InsnInfo& in = insn_table[k];
      const unsigned po = in.pat.value >> 26;
      auto& groups = by_po[po];
      auto g = std::find_if(groups.begin(), groups.end(), [&](const Group& x) { return x.mask == in.pat.mask; });
      if (g == groups.end()) {
        groups.push_back({in.pat.mask, {}});
        g = groups.end() - 1;
      }
      g->entries.push_back({in.pat.value, static_cast<Op>(k)});
    }
    for (auto& groups : by_po) {
      std::sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
        return __builtin_popcount(a.mask) > __builtin_popcount(b.mask);
      });
      for (auto& g : groups) std::sort(g.entries.begin(), g.entries.end());
    }
  }

  Op find(uint32_t w) const {
    for (const Group& g : by_po[w >> 26]) {
      const uint32_t v = w & g.mask;
      auto it = std::lower_bound(g.entries.begin(), g.entries.end(), std::make_pair(v, Op{}));
      if (it != g.entries.end() && it->first == v) return it->second;
    }
    return Op::invalid;
  }
};

const Decoder& decoder() {
  static const Decoder d;
  return d;
}

}  // namespace

Op decode(uint32_t word, Model model) {
  const Op op = decoder().find(word);
  if (op == Op::invalid) return op;
  const InsnInfo& in = info(op);
  if (in.model() > model) return Op::invalid;
  if ((in.flags & P970ONLY) && model != PPC970) return Op::invalid;
  return op;
}

}  // namespace lpar::isa
