#include "mmu/slb.h"

namespace lpar::mmu {

unsigned slb_base_shift(Model m, u64 vsid_word) {
  // Book III-S 5.7.6: L||LP selects the base page size; 970 (ISA 2.01) has
  // 4K and 16M, POWER7+ add 64K (MPSS, v2.06).
  switch (vsid_word & SLB_V_LLP) {
    case 0: return 12;
    case SLB_V_L: return 24;
    case SLB_V_L | (u64{1} << 4): return m >= isa::POWER7 ? 16 : 0;
    default: return 0;
  }
}

const SlbEntry* slb_lookup(const MmuContext& c, u64 ea) {
  const unsigned n = slb_entries(c.model);
  for (unsigned i = 0; i < n; i++) {
    const SlbEntry& e = c.slb[i];
    if (!(e.esid & SLB_ESID_V)) continue;
    const u64 b = e.vsid & SLB_V_B;
    // 5.7.6.2: a 1 TB entry matches on ESID bits 0:23, a 256 MB one on 0:35.
    const u64 mask = b == SLB_V_B_1T ? SLB_ESID_MASK_1T : SLB_ESID_MASK_256M;
    if (b > SLB_V_B_1T) continue;
    if (((e.esid ^ ea) & mask) == 0) return &e;
  }
  return nullptr;
}

bool slbmte(MmuContext& c, u64 rs, u64 rb) {
  const u64 index = rb & 0xFFF;
  if (index >= slb_entries(c.model)) return false;
  if (rb & ~(SLB_ESID_MASK_256M | SLB_ESID_V | 0xFFF)) return false;  // bits 37:51 reserved
  const u64 b = rs & SLB_V_B;
  if (b > SLB_V_B_1T) return false;
  if (b == SLB_V_B_1T && !has_1t_segments(c.model)) return false;
  if (slb_base_shift(c.model, rs) == 0) return false;
  c.slb[index].esid = rb & (SLB_ESID_MASK_256M | SLB_ESID_V);
  c.slb[index].vsid = rs;
  return true;
}

bool slbmfee(const MmuContext& c, u64 rb, u64& rt) {
  const u64 index = rb & 0xFFF;
  if (index >= slb_entries(c.model)) return false;
  rt = c.slb[index].esid;
  return true;
}

bool slbmfev(const MmuContext& c, u64 rb, u64& rt) {
  const u64 index = rb & 0xFFF;
  if (index >= slb_entries(c.model)) return false;
  rt = c.slb[index].vsid;
  return true;
}

bool slbfee(const MmuContext& c, u64 rb, u64& rt) {
  const SlbEntry* e = slb_lookup(c, rb);
  rt = e ? e->vsid : 0;
  return e != nullptr;
}

bool slbie(MmuContext& c, u64 rb) {
  // RB[37:38] is B; the ESID compare uses that segment size (5.9.3.1).
  const u64 b = ((rb >> 25) & 3) << SLB_B_SHIFT;
  const u64 mask = b == SLB_V_B_1T ? SLB_ESID_MASK_1T : SLB_ESID_MASK_256M;
  const unsigned n = slb_entries(c.model);
  for (unsigned i = 0; i < n; i++) {
    SlbEntry& e = c.slb[i];
    if ((e.esid & SLB_ESID_V) && (e.vsid & SLB_V_B) == b && ((e.esid ^ rb) & mask) == 0) {
      e.esid &= ~SLB_ESID_V;
      return true;
    }
  }
  return false;
}

unsigned slbia(MmuContext& c, unsigned ih) {
  unsigned first = 1;
  bool class1_only = false;
  if (is_isa300(c.model)) {
    if (ih == 7) return 0;
    if (ih == 3 || ih == 4) first = 0;
    class1_only = ih == 3;
  }
  unsigned count = 0;
  const unsigned n = slb_entries(c.model);
  for (unsigned i = first; i < n; i++) {
    SlbEntry& e = c.slb[i];
    if (!(e.esid & SLB_ESID_V)) continue;
    if (class1_only && !(e.vsid & SLB_V_C)) continue;
    e.esid &= ~SLB_ESID_V;
    count++;
  }
  return count;
}

}  // namespace lpar::mmu
