#include <catch2/catch.hpp>

#include "cpu/isa/table.h"

using namespace lpar;
using namespace lpar::isa;

TEST_CASE("no two table encodings overlap", "[isa]") {
  // Two patterns overlap when some word matches both: their values agree on
  // every bit both masks fix.  The decoder resolves by mask specificity, so an
  // overlap would silently shadow an instruction.
  unsigned overlaps = 0;
  for (unsigned a = 0; a < static_cast<unsigned>(Op::invalid); ++a) {
    for (unsigned b = a + 1; b < static_cast<unsigned>(Op::invalid); ++b) {
      const auto& pa = insn_table[a].pat;
      const auto& pb = insn_table[b].pat;
      const uint32_t common = pa.mask & pb.mask;
      if ((pa.value & common) == (pb.value & common)) {
        UNSCOPED_INFO(insn_table[a].id << " overlaps " << insn_table[b].id);
        ++overlaps;
      }
    }
  }
  CHECK(overlaps == 0);
}

TEST_CASE("every table line decodes to itself", "[isa]") {
  for (unsigned k = 0; k < static_cast<unsigned>(Op::invalid); ++k) {
    const auto& in = insn_table[k];
    INFO(in.id);
    CHECK(decode(in.pat.value, POWER9) == static_cast<Op>(k));
  }
}

TEST_CASE("aliases refine their base instruction", "[isa]") {
  for (const auto& al : alias_table()) {
    INFO(al.mnemonic);
    const auto& base = info(al.base).pat;
    CHECK((al.pat.mask & base.mask) == base.mask);
    CHECK((al.pat.value & base.mask) == base.value);
  }
}

TEST_CASE("instructions of later models are illegal on earlier ones", "[isa]") {
  for (unsigned k = 0; k < static_cast<unsigned>(Op::invalid); ++k) {
    const auto& in = insn_table[k];
    if (in.model() == PPC970) continue;
    INFO(in.id);
    CHECK(decode(in.pat.value, static_cast<Model>(in.model() - 1)) == Op::invalid);
  }
}

TEST_CASE("XX2-form words with reserved bits 11:15 set are illegal", "[isa]") {
  // 0xf266f6e4: xvnegsp with bits 11:15 = 0b00110 (found by an outside fuzzer).
  for (const Model m : {POWER8, POWER9}) {
    CHECK(decode(0xf266f6e4, m) == Op::invalid);
    CHECK(decode(0xf266f6e4 & ~(0x1Fu << 16), m) == Op::xvnegsp);
  }
  // Every XX2 line with that field reserved: each nonzero value is illegal.
  unsigned lines = 0;
  for (unsigned k = 0; k < static_cast<unsigned>(Op::invalid); ++k) {
    const auto& in = insn_table[k];
    if ((in.pat.value >> 26) != 60 || (in.pat.mask & (0x1Fu << 16)) != (0x1Fu << 16) || (in.pat.value & (0x1Fu << 16)))
      continue;
    ++lines;
    INFO(in.id);
    for (uint32_t f = 1; f < 32; ++f) CHECK(decode(in.pat.value | (f << 16), POWER9) != static_cast<Op>(k));
  }
  CHECK(lines >= 69);
}
