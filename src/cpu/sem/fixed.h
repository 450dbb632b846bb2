// Fixed-point facility semantics (PowerISA 3.0B Book I chapter 3).
#pragma once
#include "cpu/sem/common.h"

namespace lpar::sem {

inline u64 ra_or_zero(const CpuState& s, u32 i) { return RA(i) ? s.gpr[RA(i)] : 0; }

SEM(addi) { s.gpr[RT(i)] = ra_or_zero(s, i) + SI(i); return Status::Next; }
SEM(addis) { s.gpr[RT(i)] = ra_or_zero(s, i) + (SI(i) << 16); return Status::Next; }
SEM(ori) { s.gpr[RA(i)] = s.gpr[RS(i)] | UI(i); return Status::Next; }
SEM(or_) {
  const u64 r = s.gpr[RS(i)] | s.gpr[RB(i)];
  s.gpr[RA(i)] = r;
  if (Rc(i)) set_cr0(s, r);
  return Status::Next;
}

}  // namespace lpar::sem
