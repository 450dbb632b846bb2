// Branch facility semantics (PowerISA 3.0B Book I 2.4-2.5).
#pragma once
#include "cpu/sem/common.h"
#include "cpu/sem/spr.h"

namespace lpar::sem {

// Book I 2.4: the BO-driven CTR decrement and condition test shared by bc*.
inline bool branch_taken(CpuState& s, u32 i, bool decrement_ok = true) {
  const unsigned bo = BO(i);
  if (!(bo & 4) && decrement_ok) {
    s.ctr -= 1;
  }
  const u64 ctr = mode64(s) ? s.ctr : static_cast<u32>(s.ctr);
  const bool ctr_ok = (bo & 4) || ((ctr != 0) != bool(bo & 2));
  const bool cond_ok = (bo & 16) || (get_crbit(s, BI(i)) == bool(bo & 8));
  return ctr_ok && cond_ok;
}

inline Status branch_to(CpuState& s, u32 i, bool taken, u64 target) {
  const u64 cia = s.nip;
  if (LK(i)) s.lr = ea_mask(s, cia + 4);
  s.nip = taken ? ea_mask(s, target) : ea_mask(s, cia + 4);
  return Status::Jump;
}

SEM(b) { return branch_to(s, i, true, (AA(i) ? 0 : s.nip) + LI(i)); }
SEM(bc) {
  const bool t = branch_taken(s, i);
  return branch_to(s, i, t, (AA(i) ? 0 : s.nip) + BD(i));
}
SEM(bclr) {
  const u64 target = s.lr & ~u64{3};  // read before LK overwrites LR
  const bool t = branch_taken(s, i);
  return branch_to(s, i, t, target);
}
// bcctr with BO2=0 is an invalid form (Book I 2.4); we skip the decrement, as
// decrementing the register we branch through has no defined meaning.
SEM(bcctr) {
  const bool t = branch_taken(s, i, false);
  return branch_to(s, i, t, s.ctr & ~u64{3});
}
SEM(bctar) {
  if (facility_unavailable(s, FSCR_IC_TAR)) return Status::Exception;
  const bool t = branch_taken(s, i);
  return branch_to(s, i, t, s.tar & ~u64{3});
}

// Condition register logical instructions (Book I 2.5.1).
#define LPAR_CR_LOGICAL(name, expr)                         \
  SEM(name) {                                               \
    const bool a = get_crbit(s, BA(i)), b = get_crbit(s, BB(i)); \
    set_crbit(s, RT(i), (expr));                            \
    return Status::Next;                                    \
  }
LPAR_CR_LOGICAL(crand, a && b)
LPAR_CR_LOGICAL(crandc, a && !b)
LPAR_CR_LOGICAL(creqv, a == b)
LPAR_CR_LOGICAL(crnand, !(a && b))
LPAR_CR_LOGICAL(crnor, !(a || b))
LPAR_CR_LOGICAL(cror, a || b)
LPAR_CR_LOGICAL(crorc, a || !b)
LPAR_CR_LOGICAL(crxor, a != b)
#undef LPAR_CR_LOGICAL

SEM(mcrf) {
  set_crf(s, BF(i), get_crf(s, BFA(i)));
  return Status::Next;
}

// sc: the System Call interrupt, SRR0 = the next instruction (Book III-S 7.5.14).
// LEV=1 is the hypervisor call; the runtime tells them apart by s.exc_reason.
SEM(sc) {
  s.nip += 4;
  return raise(s, Exc::SystemCall, bits(i, 20, 26));
}

}  // namespace lpar::sem
