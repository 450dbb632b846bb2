// The ISA table (isa.inc) seen as data: decoder, disassembler and dispatch are
// all generated from it.
#pragma once
#include <cstdint>
#include <span>
#include "cpu/isa/pattern.h"

namespace lpar::isa {

// CPU models in the order the ISA grew; an instruction exists on its model and later.
enum Model : uint8_t { PPC970 = 0, POWER7 = 1, POWER8 = 2, POWER9 = 3 };

enum Flags : uint16_t {
  P970 = PPC970, P7 = POWER7, P8 = POWER8, P9 = POWER9,  // low 2 bits: first model
  MODEL_MASK = 3,
  END = 1 << 2,    // may change the NIA non-sequentially: ends a pre-decoded block
  PRIV = 1 << 3,   // privileged (Book III)
  HVPRIV = 1 << 4, // hypervisor privileged
  P970ONLY = 1 << 5,  // gone from later models (e.g. 970-only instructions)
};

enum class Op : uint16_t {
#define INSN(id, mn, pat, ops, fl) id,
#define ALIAS(id, mn, pat, ops, pred)
#include "cpu/isa/isa.inc"
#undef INSN
#undef ALIAS
  invalid,  // no table line matches: the illegal-instruction program interrupt
  COUNT
};
inline constexpr unsigned NUM_OPS = static_cast<unsigned>(Op::COUNT);

struct InsnInfo {
  const char* id;
  const char* mnemonic;
  const char* operands;
  Pattern pat;
  uint16_t flags;
  Model model() const { return static_cast<Model>(flags & MODEL_MASK); }
};

// Extended mnemonics: a refinement of base's pattern plus an optional predicate
// on fields (e.g. "mr" is "or" with RS == RB).
enum class AliasPred : uint8_t {
  none, rs_eq_rb, ra_eq_rb, xa_eq_xb, rlwinm_slwi, rlwinm_srwi, rlwinm_clrlwi,
  rlwinm_rotlwi, rldicl_srdi, rldicl_clrldi, rldicr_sldi, rldicl_rotldi,
  rldicr_clrrdi, rlwinm_clrrwi, rldic_clrlsldi, mtcrf_all,
  // disasm only: crset/crclr, and the invalid forms objdump prints differently
  bt_eq_ba_eq_bb, rt_odd, rt_eq_ra, rt_eq_ra_or_rb, ra_ge_rt, ra0_or_eq_rt,
};
struct AliasInfo {
  Op base;
  const char* mnemonic;
  const char* operands;
  Pattern pat;
  AliasPred pred;
};

extern const InsnInfo insn_table[NUM_OPS];
std::span<const AliasInfo> alias_table();

inline const InsnInfo& info(Op op) { return insn_table[static_cast<unsigned>(op)]; }

// Decode one instruction word for a CPU model: Op::invalid when the word is
// not an instruction of that model.
Op decode(uint32_t word, Model model);

}  // namespace lpar::isa
