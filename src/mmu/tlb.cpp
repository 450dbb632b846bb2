#include "mmu/tlb.h"

namespace lpar::mmu {

u8 SoftTlb::mode_of(const MmuContext& c, Access acc) {
  const bool on = (c.msr & (acc == Access::Exec ? MSR_IR : MSR_DR)) != 0;
  return u8((on ? MODE_VIRT : 0) | ((c.msr & MSR_HV) ? MODE_HV : 0) | ((c.msr & MSR_PR) ? MODE_PR : 0));
}

unsigned SoftTlb::set_of(u64 page, u32 lpid, u8 mode) {
  u64 h = page ^ (u64{lpid} * 0x9E3779B97F4A7C15ull) ^ (u64{mode} << 7);
  h ^= h >> 17;
  return unsigned(h & (SETS - 1));
}

const SoftTlbEntry* SoftTlb::lookup(const MmuContext& c, u64 ea, Access acc) const {
  const u64 page = ea >> 12;
  const u8 mode = mode_of(c, acc);
  const SoftTlbEntry* set = e_[set_of(page, c.lpidr, mode)];
  for (unsigned w = 0; w < WAYS; w++) {
    const SoftTlbEntry& e = set[w];
    if (e.tag == page && e.lpid == c.lpidr && e.mode == mode) return &e;
  }
  return nullptr;
}

void SoftTlb::insert(const MmuContext& c, u64 ea, Access acc, const TranslateResult& r) {
  const u64 page = ea >> 12;
  const u8 mode = mode_of(c, acc);
  const unsigned s = set_of(page, c.lpidr, mode);
  SoftTlbEntry* slot = nullptr;
  for (unsigned w = 0; w < WAYS && !slot; w++)
    if (e_[s][w].tag == page && e_[s][w].lpid == c.lpidr && e_[s][w].mode == mode) slot = &e_[s][w];
  for (unsigned w = 0; w < WAYS && !slot; w++)
    if (e_[s][w].tag == ~u64{0}) slot = &e_[s][w];
  if (!slot) {
    slot = &e_[s][victim_[s]];
    victim_[s] = u8((victim_[s] + 1) % WAYS);
  }
  SoftTlbEntry& e = *slot;
  e.tag = page;
  e.ra_page = r.ra & ~u64{0xFFF};
  e.va = r.va & ~u64{0xFFF};
  e.lpid = c.lpidr;
  e.mode = mode;
  e.perm = r.perm;
  e.key = r.key;
  e.page_shift = r.page_shift;
  e.seg_b = r.seg_b;
  e.flags = u8((r.has_key ? F_HAS_KEY : 0) | (r.from_hpt ? F_HPT : 0) | (r.from_slb ? F_SLB : 0));
}

TranslateResult SoftTlb::translate(MmuContext& c, u64 ea, Access acc) {
  if (const SoftTlbEntry* e = lookup(c, ea, acc)) {
    const u8 need = acc == Access::Read ? PERM_R : acc == Access::Write ? PERM_W : PERM_X;
    u8 perm = e->perm;
    if (e->flags & F_HAS_KEY) perm &= key_perm(c, e->key);
    if (perm & need) {
      TranslateResult r;
      r.ra = e->ra_page | (ea & 0xFFF);
      r.page_shift = e->page_shift;
      r.perm = e->perm;
      r.key = e->key;
      r.has_key = e->flags & F_HAS_KEY;
      r.from_hpt = e->flags & F_HPT;
      r.from_slb = e->flags & F_SLB;
      r.seg_b = e->seg_b;
      r.va = e->va | (ea & 0xFFF);
      return r;
    }
  }
  TranslateResult r = mmu::translate(c, ea, acc);
  if (r.exc == Exc::None) insert(c, ea, acc, r);
  return r;
}

unsigned SoftTlb::tlbie(u32 lpid, u64 rb) {
  const u8 b = u8((rb >> 8) & 3);
  unsigned n = 0;
  for (auto& set : e_)
    for (auto& e : set) {
      if (e.tag == ~u64{0} || !(e.flags & F_HPT) || e.lpid != lpid || e.seg_b != b) continue;
      // The page is addressed if VA agrees above the entry's actual page size.
      if (((e.va ^ rb) >> e.page_shift) != 0) continue;
      e.tag = ~u64{0};
      n++;
    }
  return n;
}

unsigned SoftTlb::invalidate_lpid(u32 lpid) {
  unsigned n = 0;
  for (auto& set : e_)
    for (auto& e : set)
      if (e.tag != ~u64{0} && e.lpid == lpid) {
        e.tag = ~u64{0};
        n++;
      }
  return n;
}

unsigned SoftTlb::slbie(u32 lpid, u64 rb) {
  const u8 b = u8((rb >> 25) & 3);
  const unsigned sshift = b == 1 ? 40 : 28;
  unsigned n = 0;
  for (auto& set : e_)
    for (auto& e : set) {
      if (e.tag == ~u64{0} || !(e.flags & F_SLB) || e.lpid != lpid || e.seg_b != b) continue;
      if ((((e.tag << 12) ^ rb) >> sshift) != 0) continue;
      e.tag = ~u64{0};
      n++;
    }
  return n;
}

unsigned SoftTlb::slbia(u32 lpid) {
  unsigned n = 0;
  for (auto& set : e_)
    for (auto& e : set)
      if (e.tag != ~u64{0} && (e.flags & F_SLB) && e.lpid == lpid) {
        e.tag = ~u64{0};
        n++;
      }
  return n;
}

void SoftTlb::flush_all() {
  for (auto& set : e_)
    for (auto& e : set) e.tag = ~u64{0};
  for (auto& v : victim_) v = 0;
}

unsigned SoftTlb::valid_count() const {
  unsigned n = 0;
  for (const auto& set : e_)
    for (const auto& e : set) n += e.tag != ~u64{0};
  return n;
}

}  // namespace lpar::mmu
