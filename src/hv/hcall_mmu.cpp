#include "hv/hcall_mmu.h"

#include "mmu/slb.h"

namespace lpar::hv {

using mmu::HPTE0_H;
using mmu::HPTE0_L;
using mmu::HPTE0_V;
using mmu::HPTE1_B_V3;
using mmu::HPTE1_B_V3_SHIFT;
using mmu::HPTE1_C;
using mmu::HPTE1_R;

namespace {

// ISA 3.0 keeps doubleword 0 bits 12:63 only (v3.0B 5.7.7.1).
constexpr u64 HPTE0_V3_KEEP = 0x000FFFFFFFFFFFFFull;

bool has_table(const HcallMmu& c) { return c.htab != nullptr && c.htab->allocated(); }

// Read / write in PAPR format.
bool read_papr(const HcallMmu& c, u64 ptex, u64& v, u64& r) {
  if (!c.htab->read_hpte(ptex, v, r)) return false;
  hpte_to_papr(c.model, v, r);
  return true;
}
void write_papr(HcallMmu& c, u64 ptex, u64 v, u64 r) {
  hpte_from_papr(c.model, v, r);
  c.htab->write_hpte(ptex, v, r);
}

void flush(HcallMmu& c, u64 ptex, u64 v, u64 r) {
  if (!c.invalidate) return;
  HpteVa va;
  if (hpte_va(c.model, v, r, ptex, c.htab->hash_mask(), va)) {
    c.invalidate(c.opaque, hpte_tlbie_rb(va));
  } else {
    c.invalidate(c.opaque, ~u64{0});  // page unknown: the whole partition
  }
}

// Invalidate a valid HPTE and the translations derived from it.
void remove_entry(HcallMmu& c, u64 ptex, u64 v, u64 r) {
  c.htab->write_pte0(ptex, 0);
  flush(c, ptex, v, r);
}

}  // namespace

void hpte_to_papr(isa::Model m, u64& pte0, u64& pte1) {
  if (!mmu::is_isa300(m)) return;
  const u64 b = (pte1 & HPTE1_B_V3) >> HPTE1_B_V3_SHIFT;
  pte0 = (pte0 & HPTE0_V3_KEEP) | (b << 62);
  pte1 &= ~HPTE1_B_V3;
}

void hpte_from_papr(isa::Model m, u64& pte0, u64& pte1) {
  if (!mmu::is_isa300(m)) return;
  const u64 b = pte0 >> 62;
  pte0 &= HPTE0_V3_KEEP;
  pte1 = (pte1 & ~HPTE1_B_V3) | (b << HPTE1_B_V3_SHIFT);
}

bool hpte_page_shifts(isa::Model m, u64 pte0, u64 pte1, unsigned& base, unsigned& actual) {
  // The L/LP encodings are unique across base sizes (v2.07B 5.7.7.1 Table
  // "Page size encodings"), so the first base size that decodes is the one.
  static constexpr unsigned kBases[] = {12, 16, 24};
  for (unsigned b : kBases) {
    if (m == isa::PPC970 && b == 16) continue;
    const unsigned a = mmu::hpte_actual_shift(m, b, pte0, pte1);
    if (a != 0) {
      base = b;
      actual = a;
      return true;
    }
  }
  return false;
}

u64 HpteVa::hash() const { return mmu::hpt_hash(vsid, seg_1t, seg_off >> base); }

bool hpte_va(isa::Model m, u64 pte0, u64 pte1, u64 ptex, u64 hash_mask, HpteVa& out) {
  const u64 b = pte0 >> 62;
  if (b > 1) return false;
  if (!hpte_page_shifts(m, pte0, pte1, out.base, out.actual)) return false;
  out.seg_1t = b == 1;
  out.secondary = (pte0 & HPTE0_H) != 0;
  const unsigned sshift = out.seg_1t ? 40 : 28;
  const u64 seg_mask = (u64{1} << sshift) - 1;
  // AVA = VA[0:54] (5.7.7.1), i.e. VA >> 23: the VSID then the segment
  // offset's bits from 2^23 up.
  const u64 ava = (pte0 >> mmu::HPTE0_AVA_SHIFT) & ((u64{1} << 55) - 1);
  out.vsid = ava >> (sshift - 23);
  u64 off = (ava << 23) & seg_mask;
  // The PTEG index is the (primary or secondary) hash masked by the table
  // size: VSID-part XOR page index (5.7.7.3).  That gives the low page-index
  // bits exactly; where both know a bit the PTEG wins, since guests may clear
  // AVA bits inside large pages.
  const u64 vsid_part = out.seg_1t ? out.vsid ^ (out.vsid << 25) : out.vsid;
  const u64 pteg = ptex / Htab::HPTES_PER_PTEG;
  const u64 hash = out.secondary ? ~pteg : pteg;
  const u64 index_lo = (hash ^ vsid_part) & hash_mask;
  const u64 known = (hash_mask << out.base) & seg_mask;
  off = (off & ~known) | ((index_lo << out.base) & known);
  out.seg_off = off & ~((u64{1} << out.base) - 1);
  return true;
}

u64 hpte_tlbie_rb(const HpteVa& va) {
  // RB for tlbie (v2.07B 5.9.3.3): VA[14:65] in bits 0:51, i.e. the VA mod
  // 2^64 with its low 12 bits replaced; B in bits 54:55, L in bit 63.
  const u64 page = ~((u64{1} << va.actual) - 1);
  u64 rb = mmu::va64(va.vsid, va.seg_1t, va.seg_off) & page;
  rb |= u64(va.seg_1t ? 1 : 0) << 8;
  if (va.actual > 12) rb |= 1;
  return rb;
}

long h_enter(HcallMmu& c, u64 flags, u64 ptex, u64 pteh, u64 ptel, u64 rets[4]) {
  if (!has_table(c)) return H_FUNCTION;
  if (ptex >= c.htab->hpte_count()) return H_PARAMETER;
  const u64 b = pteh >> 62;
  if (b > 1 || (b == 1 && !mmu::has_1t_segments(c.model))) return H_PARAMETER;
  unsigned base, actual;
  if (!hpte_page_shifts(c.model, pteh, ptel, base, actual)) return H_PARAMETER;
  // The RPN must fit the model's ARPN (ISA 3.0 narrowed it to bits 7:51).
  if ((ptel & mmu::HPTE1_RPN) & ~mmu::hpte_rpn_mask(c.model)) return H_PARAMETER;
  const u64 size = u64{1} << actual;
  const u64 ra = ptel & mmu::HPTE1_RPN & ~(size - 1);
  const bool ram = c.ram_ok && c.ram_ok(c.opaque, ra, size);
  // Not RAM: only an I/O (caching-inhibited) mapping makes sense.
  if (!ram && !(ptel & HPTE1_I)) return H_PARAMETER;
  if ((flags & H_ZERO_PAGE) && ram && !c.zero_page) return H_PARAMETER;

  u64 slot = ptex;
  u64 v, r;
  if (flags & H_EXACT) {
    read_papr(c, slot, v, r);
    if (v & HPTE0_V) return H_PTEG_FULL;
  } else {
    const u64 first = ptex & ~u64{Htab::HPTES_PER_PTEG - 1};
    slot = ~u64{0};
    for (u64 i = first; i < first + Htab::HPTES_PER_PTEG; i++) {
      read_papr(c, i, v, r);
      if (!(v & HPTE0_V)) {
        slot = i;
        break;
      }
    }
    if (slot == ~u64{0}) return H_PTEG_FULL;
  }
  // LoPAPR H_ENTER: "zero the page before mapping", ignored for I/O pages.
  if ((flags & H_ZERO_PAGE) && ram && !c.zero_page(c.opaque, ra, size)) return H_PARAMETER;
  write_papr(c, slot, pteh | HPTE0_V, ptel);
  rets[0] = slot;
  return H_SUCCESS;
}

long h_remove(HcallMmu& c, u64 flags, u64 ptex, u64 avpn, u64 rets[4]) {
  if (!has_table(c)) return H_FUNCTION;
  u64 v, r;
  if (!read_papr(c, ptex, v, r)) return H_PARAMETER;
  if (!(v & HPTE0_V) || ((flags & H_AVPN) && (v & HPTE0_AVPN) != avpn) || ((flags & H_ANDCOND) && (v & avpn)))
    return H_NOT_FOUND;
  remove_entry(c, ptex, v, r);
  rets[0] = v;
  rets[1] = r;
  return H_SUCCESS;
}

long h_bulk_remove(HcallMmu& c, u64 args[8]) {
  if (!has_table(c)) return H_FUNCTION;
  for (unsigned i = 0; i < H_BULK_REMOVE_MAX_BATCH; i++) {
    u64& tsh = args[2 * i];
    const u64 tsl = args[2 * i + 1];
    const u64 type = tsh & H_BULK_REMOVE_TYPE;
    if (type == H_BULK_REMOVE_END) break;
    const u64 fl = tsh & H_BULK_REMOVE_FLAGS;
    const u64 ptex = tsh & H_BULK_REMOVE_PTEX;
    u64 v, r;
    if (type != H_BULK_REMOVE_REQUEST || fl == (H_BULK_REMOVE_ANDCOND | H_BULK_REMOVE_AVPN) ||
        !read_papr(c, ptex, v, r)) {
      tsh = H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_PARM | fl | ptex;
      return H_PARAMETER;
    }
    bool found = (v & HPTE0_V) != 0;
    if (fl == H_BULK_REMOVE_ANDCOND) found = found && (v & tsl) == 0;
    if (fl == H_BULK_REMOVE_AVPN) found = found && (v & HPTE0_AVPN) == tsl;
    if (!found) {
      tsh = H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_NOT_FOUND | fl | ptex;
      continue;
    }
    remove_entry(c, ptex, v, r);
    tsh = H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_SUCCESS | fl | ptex | ((r & HPTE1_R) ? H_BULK_REMOVE_R : 0) |
          ((r & HPTE1_C) ? H_BULK_REMOVE_C : 0);
  }
  return H_SUCCESS;
}

long h_read(HcallMmu& c, u64 flags, u64 ptex, u64 rets[8]) {
  if (!has_table(c)) return H_FUNCTION;
  if (ptex >= c.htab->hpte_count()) return H_PARAMETER;
  unsigned n = 1;
  if (flags & H_READ_4) {
    ptex &= ~u64{3};
    n = 4;
  }
  for (unsigned i = 0; i < n; i++) read_papr(c, ptex + i, rets[2 * i], rets[2 * i + 1]);
  return H_SUCCESS;
}

long h_protect(HcallMmu& c, u64 flags, u64 ptex, u64 avpn) {
  if (!has_table(c)) return H_FUNCTION;
  u64 v, r;
  if (!read_papr(c, ptex, v, r)) return H_PARAMETER;
  if (!(v & HPTE0_V) || ((flags & H_AVPN) && (v & HPTE0_AVPN) != avpn)) return H_NOT_FOUND;
  // LoPAPR H_PROTECT flags: pp0 in bit 55, key[0:1] in 50:51, key[2:4] in
  // 52:54, N in 61, pp in 62:63 -- the last three where doubleword 1 has them.
  u64 bits = (flags << 55) & mmu::HPTE1_PP0;
  bits |= (flags << 48) & mmu::HPTE1_KEY01;
  bits |= flags & (mmu::HPTE1_KEY24 | mmu::HPTE1_N | mmu::HPTE1_PP);
  const u64 mask = mmu::HPTE1_PP0 | mmu::HPTE1_KEY01 | mmu::HPTE1_KEY24 | mmu::HPTE1_N | mmu::HPTE1_PP;
  const u64 nr = (r & ~mask) | bits;
  if (nr == r) return H_SUCCESS;
  // 5.10.1.3 "Modifying a PTE": invalidate, flush, then rewrite.
  remove_entry(c, ptex, v, r);
  write_papr(c, ptex, v, nr);
  return H_SUCCESS;
}

namespace {
// H_CLEAR_REF / H_CLEAR_MOD: return doubleword 1, clear R or C.  Cached
// translations would let accesses go on without setting the bit again (for
// C: stores through entries cached with write permission), so they go too.
long clear_rc(HcallMmu& c, u64 ptex, u64 bit, u64 rets[4]) {
  if (!has_table(c)) return H_FUNCTION;
  u64 v, r;
  if (!read_papr(c, ptex, v, r)) return H_PARAMETER;
  if (!(v & HPTE0_V)) return H_NOT_FOUND;
  rets[0] = r;
  if (r & bit) {
    write_papr(c, ptex, v, r & ~bit);
    flush(c, ptex, v, r);
  }
  return H_SUCCESS;
}
}  // namespace

long h_clear_ref(HcallMmu& c, u64 flags, u64 ptex, u64 rets[4]) {
  (void)flags;
  return clear_rc(c, ptex, HPTE1_R, rets);
}

long h_clear_mod(HcallMmu& c, u64 flags, u64 ptex, u64 rets[4]) {
  (void)flags;
  return clear_rc(c, ptex, HPTE1_C, rets);
}

long map_vrma(HcallMmu& c, u64 lpcr, u64 rma_bytes, u64* entered) {
  if (entered) *entered = 0;
  if (!has_table(c) || !mmu::has_1t_segments(c.model)) return H_FUNCTION;
  const u64 sd = (lpcr & mmu::LPCR_VRMASD) >> mmu::LPCR_VRMASD_SHIFT;
  const u64 vsid_word = mmu::SLB_V_B_1T | (mmu::VRMA_VSID << mmu::SLB_VSID_SHIFT_1T) | ((sd << 4) & mmu::SLB_V_LLP);
  const unsigned shift = mmu::slb_base_shift(c.model, vsid_word);
  u64 lp;
  if (shift == 0 || !mmu::hpte_lp_bits(c.model, shift, shift, lp)) return H_PARAMETER;
  u64 npages = rma_bytes >> shift;
  if (npages > (u64{1} << (40 - shift))) npages = u64{1} << (40 - shift);
  if (npages > c.htab->pteg_count()) npages = c.htab->pteg_count();
  const u64 pte0_base = (u64{1} << 62) | HPTE0_BOLTED | (shift > 12 ? HPTE0_L : 0);
  // PP0||PP = 000 (RW with key 0; the VRMA segment has Ks=Kp=0), M=1, R=C=1.
  const u64 pte1_base = lp | HPTE1_R | HPTE1_C | HPTE1_M;
  for (u64 i = 0; i < npages; i++) {
    const u64 ra = i << shift;
    const u64 ava = (mmu::VRMA_VSID << (40 - 23)) | (ra >> 23);
    const u64 hash = mmu::hpt_hash(mmu::VRMA_VSID, true, i) & c.htab->hash_mask();
    u64 rets[4];
    const long rc = h_enter(c, H_EXACT, hash * Htab::HPTES_PER_PTEG + 7, pte0_base | (ava << mmu::HPTE0_AVA_SHIFT),
                            pte1_base | ra, rets);
    if (rc != H_SUCCESS) return rc;
    if (entered) *entered = i + 1;
  }
  return H_SUCCESS;
}

}  // namespace lpar::hv
