// A software TLB in front of translate(): set-associative, indexed by a hash of
// (EA page, LPID, mode) and tagged by all three, so a partition switch (LPIDR
// write) or an MSR[PR]/[HV]/[IR]/[DR] change needs no flush.  Entries cover 4K
// of EA even inside larger pages; they remember the virtual address and actual
// page size so tlbie removes exactly the translations of the addressed page.
//
// What the machine must do to keep it coherent (Book III-S 5.10):
//  * tlbie/tlbiel (HPT form, IS=0): tlbie(lpid, RB).  Other IS values (whole
//    LPID / whole TLB): invalidate_lpid / flush_all.
//  * slbie RB: slbie(LPIDR, RB); slbia: slbia(LPIDR) (all SLB-derived entries).
//  * writes to SDR1/PTCR, LPCR, HRMOR, RMOR, HID4, or slbmte over a valid entry
//    without a prior slbie: flush_all (or invalidate_lpid(LPIDR)).
//  * AMR/IAMR changes need nothing: the key check is redone on every hit.
#pragma once
#include "mmu/translate.h"

namespace lpar::mmu {

struct SoftTlbEntry {
  u64 tag = ~u64{0};  // EA >> 12; ~0 marks an invalid entry (not a page number)
  u64 ra_page = 0;    // RA of the 4K page
  u64 va = 0;         // VA (mod 2^64) of the 4K page, HPT-derived entries only
  u32 lpid = 0;
  u8 mode = 0;        // SoftTlb::MODE_* bits
  u8 perm = 0;        // PERM_* before the key check
  u8 key = 0;
  u8 page_shift = 12;
  u8 seg_b = 0;
  u8 flags = 0;       // SoftTlb::F_* bits
};

class SoftTlb {
 public:
  static constexpr unsigned SETS = 512;
  static constexpr unsigned WAYS = 4;
  static constexpr u8 MODE_VIRT = 1;  // translation on for this access type
  static constexpr u8 MODE_HV = 2;
  static constexpr u8 MODE_PR = 4;
  static constexpr u8 F_HAS_KEY = 1;
  static constexpr u8 F_HPT = 2;
  static constexpr u8 F_SLB = 4;

  SoftTlb() { flush_all(); }

  static u8 mode_of(const MmuContext& c, Access acc);

  // translate() with the TLB in front: a hit costs a hash, WAYS compares and
  // the key check; a miss or an access the entry does not allow translates
  // (setting R/C, raising faults) and caches successful results.
  TranslateResult translate(MmuContext& c, u64 ea, Access acc);

  // The entry that would serve (ea, acc) in c's current mode, or nullptr.
  const SoftTlbEntry* lookup(const MmuContext& c, u64 ea, Access acc) const;
  void insert(const MmuContext& c, u64 ea, Access acc, const TranslateResult& r);

  // Invalidations; each returns the number of entries removed.
  unsigned tlbie(u32 lpid, u64 rb);  // RB: VA[14:65] in bits 0:51, B in 54:55
  unsigned invalidate_lpid(u32 lpid);
  unsigned slbie(u32 lpid, u64 rb);  // RB: ESID in 0:35, B in 37:38
  unsigned slbia(u32 lpid);
  void flush_all();

  unsigned valid_count() const;

 private:
  static unsigned set_of(u64 page, u32 lpid, u8 mode);
  SoftTlbEntry e_[SETS][WAYS];
  u8 victim_[SETS] = {};
};

}  // namespace lpar::mmu
