// Dispatch: one handler per table line, generated from isa.inc.
#pragma once
#include "cpu/isa/table.h"
#include "cpu/sem/common.h"

namespace lpar {

using Handler = Status (*)(CpuState&, u32);
extern const Handler handlers[isa::NUM_OPS];

inline Handler handler(isa::Op op) { return handlers[static_cast<unsigned>(op)]; }

}  // namespace lpar
