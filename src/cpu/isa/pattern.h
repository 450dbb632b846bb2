// Bit patterns of the ISA table turned into mask/value matchers at compile time
// (the dynarmic decoder's idea).  A pattern has 32 symbols, most-significant bit
// first; spaces and '|' only aid reading.  '0'/'1' are fixed opcode bits.  The
// lowercase markers 'o' (OE), '.' (Rc), 'l' (LK) and 'a' (AA) mark the bits that
// add a suffix to the mnemonic.  Any other symbol is an operand field.
#pragma once
#include <cstdint>

namespace lpar::isa {

struct Pattern {
  uint32_t mask = 0;
  uint32_t value = 0;
  uint32_t oe_bit = 0, rc_bit = 0, lk_bit = 0, aa_bit = 0;  // single-bit masks
};

consteval Pattern parse_pattern(const char* p) {
  Pattern r{};
  int bit = 31;
  for (const char* c = p; *c; ++c) {
    if (*c == ' ' || *c == '|') continue;
    if (bit < 0) throw "pattern longer than 32 bits";
    const uint32_t m = 1u << bit;
    switch (*c) {
      case '0': r.mask |= m; break;
      case '1': r.mask |= m; r.value |= m; break;
      case 'o': r.oe_bit = m; break;
      case '.': r.rc_bit = m; break;
      case 'l': r.lk_bit = m; break;
      case 'a': r.aa_bit = m; break;
      default: break;
    }
    --bit;
  }
  if (bit != -1) throw "pattern shorter than 32 bits";
  return r;
}

}  // namespace lpar::isa
