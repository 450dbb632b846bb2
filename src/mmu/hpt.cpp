#include "mmu/hpt.h"

#include <iterator>

#include "mmu/slb.h"

namespace lpar::mmu {

namespace {

struct LpEnc {
  u8 base, actual;
  u16 lp;  // value of dword1 bits from 51 upward (host bit 12 = LSB)
};
// POWER7/8/9 multiple page size support (v2.07B 5.7.7.1; the values firmware
// publishes in ibm,segment-page-sizes).
constexpr LpEnc kPowerLp[] = {
    {12, 16, 0x07}, {12, 24, 0x38}, {16, 16, 0x01}, {16, 24, 0x08}, {24, 24, 0x00},
};
constexpr LpEnc kPpc970Lp[] = {{24, 24, 0x00}};

}  // namespace

unsigned hpte_actual_shift(Model m, unsigned base_shift, u64 pte0, u64 pte1) {
  if (!(pte0 & HPTE0_L)) return base_shift == 12 ? 12 : 0;
  const LpEnc* t = m == isa::PPC970 ? kPpc970Lp : kPowerLp;
  const unsigned n = m == isa::PPC970 ? std::size(kPpc970Lp) : std::size(kPowerLp);
  for (unsigned i = 0; i < n; i++) {
    if (t[i].base != base_shift) continue;
    // The LP code lives in the RPN bits below the actual page size.
    const u64 mask = ((u64{1} << t[i].actual) - 1) & HPTE1_RPN;
    if ((pte1 & mask) == (u64{t[i].lp} << 12)) return t[i].actual;
  }
  return 0;
}

bool hpte_lp_bits(Model m, unsigned base_shift, unsigned actual_shift, u64& lp_bits) {
  if (base_shift == 12 && actual_shift == 12) {
    lp_bits = 0;
    return true;
  }
  const LpEnc* t = m == isa::PPC970 ? kPpc970Lp : kPowerLp;
  const unsigned n = m == isa::PPC970 ? std::size(kPpc970Lp) : std::size(kPowerLp);
  for (unsigned i = 0; i < n; i++) {
    if (t[i].base == base_shift && t[i].actual == actual_shift) {
      lp_bits = u64{t[i].lp} << 12;
      return true;
    }
  }
  return false;
}

u64 hpt_hash(u64 vsid, bool seg_1t, u64 page_index) {
  const u64 h = seg_1t ? vsid ^ (vsid << 25) ^ page_index : vsid ^ page_index;
  return h & ((u64{1} << 39) - 1);
}

u64 pteg_address(u64 sdr1, u64 hash) {
  const unsigned htabsize = unsigned(sdr1 & SDR1_HTABSIZE);
  const u64 mask = (u64{1} << (11 + (htabsize > 28 ? 28 : htabsize))) - 1;
  return (sdr1 & SDR1_HTABORG) | ((hash & mask) << 7);
}

HptMatch hpt_search(const MmuContext& c, u64 vsid_word, u64 ea) {
  HptMatch r;
  unsigned base = slb_base_shift(c.model, vsid_word);
  if (base == 0) return r;
  // LPCR[ISL] (v2.06+): hash and match as if the segment had 4K base pages.
  if ((c.lpcr & LPCR_ISL) && c.model >= isa::POWER7) base = 12;
  const bool seg_1t = slb_is_1t(vsid_word);
  const unsigned sshift = segment_shift(vsid_word);
  const u64 vsid = slb_vsid(vsid_word);
  const u64 off = ea & ((u64{1} << sshift) - 1);
  const u64 page_index = off >> base;
  // AVA = VA[0:54] (5.7.7.1): the VSID followed by the segment offset's top bits.
  const u64 ava = ((vsid << (sshift - 23)) | (off >> 23)) & ((u64{1} << 55) - 1);
  const u64 seg_b = vsid_word >> SLB_B_SHIFT;
  // ISA 3.0 compares AVA bits 10:54 only (doubleword 0 bits 12:56).
  const u64 ava_mask = is_isa300(c.model) ? (u64{1} << 45) - 1 : (u64{1} << 55) - 1;
  const u64 hash = hpt_hash(vsid, seg_1t, page_index);

  for (int secondary = 0; secondary < 2; secondary++) {
    const u64 pteg = pteg_address(c.sdr1, secondary ? ~hash : hash);
    for (unsigned i = 0; i < 8; i++) {
      const u64 a = pteg + i * HPTE_BYTES;
      const u8* h = hpte_ptr(c, a);
      if (!h) continue;
      u64 p0, p1;
      std::memcpy(&p0, h, 8);
      std::memcpy(&p1, h + 8, 8);
      p0 = __builtin_bswap64(p0);
      p1 = __builtin_bswap64(p1);
      if (!(p0 & HPTE0_V)) continue;
      if (bool(p0 & HPTE0_H) != bool(secondary)) continue;
      if (hpte_seg_b(c.model, p0, p1) != seg_b) continue;
      const unsigned actual = hpte_actual_shift(c.model, base, p0, p1);
      if (actual == 0) continue;
      // 5.7.7.4: AVA bits at or below the actual page size are not compared
      // (VA bits 78-p..54 fall inside the page for p > 23).
      const unsigned ignore = actual > 23 ? actual - 23 : 0;
      const u64 cmp_mask = ava_mask & ~((u64{1} << ignore) - 1);
      const u64 pte_ava = (p0 & HPTE0_AVA) >> HPTE0_AVA_SHIFT;
      if (((pte_ava ^ ava) & cmp_mask) != 0) continue;
      r.found = true;
      r.pte_addr = a;
      r.pte0 = p0;
      r.pte1 = p1;
      r.page_shift = actual;
      return r;
    }
  }
  return r;
}

u8 pp_perm(unsigned pp, bool key) {
  // Book III-S 5.7.13.1 Table "PP bits" (PP0 || PP).
  if (!key) {
    switch (pp) {
      case 0: case 1: case 2: return PERM_RWX;
      case 3: case 6: return PERM_R | PERM_X;
      default: return 0;
    }
  }
  switch (pp) {
    case 1: case 3: return PERM_R | PERM_X;
    case 2: return PERM_RWX;
    default: return 0;  // 0 and 6: no access; 4, 5, 7 reserved
  }
}

u8 key_perm(const MmuContext& c, unsigned key) {
  u8 p = PERM_RWX;
  if (!has_amr(c.model)) return p;
  const unsigned sh = 62 - 2 * key;  // ISA bits 2k:2k+1
  const unsigned amr = unsigned(c.amr >> sh) & 3;
  if (amr & 2) p &= u8(~PERM_W);
  if (amr & 1) p &= u8(~PERM_R);
  if (has_iamr(c.model) && ((c.iamr >> sh) & 1)) p &= u8(~PERM_X);
  return p;
}

u64 hpte_update_rc(MmuContext& c, const HptMatch& m, bool store) {
  u64 p1 = m.pte1 | HPTE1_R | (store ? HPTE1_C : 0);
  if (p1 == m.pte1) return p1;
  // R is bit 55 = low bit of byte 6, C is bit 56 = high bit of byte 7.
  if (u8* b = hpte_ptr(c, m.pte_addr)) {
    b[8 + 6] = u8(p1 >> 8);
    b[8 + 7] = u8(p1);
  }
  return p1;
}

}  // namespace lpar::mmu
