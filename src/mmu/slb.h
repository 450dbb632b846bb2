// Segment Lookaside Buffer (Book III-S 5.7.6) and its instructions (5.9.3.1).
// The functions implement the instruction semantics over an MmuContext; the
// caller raises the program interrupt when one returns false, and invalidates
// the software TLB (tlb.h) for slbie/slbia.
#pragma once
#include "mmu/mmu_context.h"

namespace lpar::mmu {

// Base page shift encoded by an SLB VSID word's L||LP (Book III-S 5.7.6,
// Table "SLB page size encodings"), or 0 if the model does not define it.
unsigned slb_base_shift(Model m, u64 vsid_word);

// The SLB entry translating ea, or nullptr (segment fault).  At most one entry
// may match (software keeps the SLB free of duplicates, 5.7.6.2); the lowest
// index wins if it does not.
const SlbEntry* slb_lookup(const MmuContext& c, u64 ea);

// Segment geometry of a VSID word.
inline bool slb_is_1t(u64 vsid_word) { return (vsid_word & SLB_V_B) == SLB_V_B_1T; }
inline unsigned segment_shift(u64 vsid_word) { return slb_is_1t(vsid_word) ? 40 : 28; }
inline u64 slb_vsid(u64 vsid_word) {
  return slb_is_1t(vsid_word) ? (vsid_word & SLB_V_VSID) >> SLB_VSID_SHIFT_1T : (vsid_word & SLB_V_VSID) >> SLB_VSID_SHIFT;
}

// slbmte RS,RB: RB = ESID(0:35) V(36) index(52:63).  False (the instruction's
// behaviour is boundedly undefined: we raise a program interrupt, like QEMU) if
// the index is out of range, reserved RB bits are set, B is reserved, 1 TB
// segments are not implemented, or L||LP is not an implemented page size.
bool slbmte(MmuContext& c, u64 rs, u64 rb);
// slbmfee/slbmfev RT,RB: RB[52:63] is the index; false if out of range.
bool slbmfee(const MmuContext& c, u64 rb, u64& rt);
bool slbmfev(const MmuContext& c, u64 rb, u64& rt);
// slbfee. RT,RB: search by the EA in RB; true (CR0 EQ) and RT = the VSID word if
// found, false and RT = 0 otherwise.
bool slbfee(const MmuContext& c, u64 rb, u64& rt);
// slbie RB: RB = ESID(0:35) C(36) B(37:38).  Invalidates the valid entry with
// that ESID and segment size; returns true if one was invalidated.
bool slbie(MmuContext& c, u64 rb);
// slbia IH (Book III-S 5.9.3.1, v3.0B): IH=0,1,2,6 (and 5, undefined): every
// entry but entry 0; on ISA 3.0: IH=3 entries with C=1 including entry 0, IH=4
// every entry including 0, IH=7 none.  Returns the number invalidated.
unsigned slbia(MmuContext& c, unsigned ih);

}  // namespace lpar::mmu
