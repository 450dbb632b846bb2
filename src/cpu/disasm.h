// Disassembler generated from the ISA table (cpu/isa/isa.inc): prints what
// `powerpc64le-linux-gnu-objdump -d` (binutils 2.40) prints in its
// mnemonic+operands column, e.g. "addi    r3,r1,16", "beq     cr7,0x30".
#pragma once
#include <string>

#include "cpu/isa/table.h"
#include "cpu/state.h"

namespace lpar {

// One instruction word at `address` (branch targets are absolute).  Words that
// are not an instruction of `model`, or that objdump refuses (reserved bits
// set, invalid forms), print as ".long 0x...".  any_fallback: as objdump
// without -M, name an invalid form by the old POWER or Gekko instruction it
// would be (psq_lu, lfq, lu, lm, ...); false (a model chosen, as -M power9):
// an invalid form of the model is ".long".
std::string disassemble(u32 word, u64 address, isa::Model model = isa::POWER9, bool any_fallback = true);

namespace disasm {

// The bits of `word` that the operand list of `op` reads, plus its opcode and
// suffix bits: the rest are reserved bits (objdump prints ".long" when one is
// set).  Used by the corpus test to fill only meaningful bits.
u32 used_bits(isa::Op op);

// Why an operand name of the table could not be interpreted (empty: all known).
// Lists "id:NAME" for each unknown operand name of every table line and alias.
std::string unknown_operands();

}  // namespace disasm
}  // namespace lpar
