#include "mmu/cpu_mmu.h"

#include "cpu/memory.h"
#include "cpu/sem/common.h"
#include "mmu/slb.h"

namespace lpar::mmu {

namespace {
// Book III-S 5.7.7.2 (v3.0B): the HPT is located by the partition-table entry
// of LPIDR (PTCR: PATB bits 4:51, PATS bits 59:63 = log2(size) - 12); its first
// doubleword has SDR1's HTABORG/HTABSIZE layout.  HR=1 (radix) is not modelled.
u64 isa300_htab(const MmuContext& c, u64 ptcr, u32 lpid) {
  const u64 patb = ptcr & 0x0FFFFFFFFFFFF000ull;
  const unsigned pats = unsigned(ptcr & 0x1F);
  if (!patb || pats > 40) return 0;
  if (u64{lpid} * 16 + 16 > (u64{1} << (12 + pats))) return 0;
  u64 dw0;
  if (!phys_read_be64(c, patb + u64{lpid} * 16, dw0) || (dw0 & bit(0))) return 0;
  return dw0;
}
}  // namespace

void CpuMmu::set_htab(u8* htab, u64 bytes) {
  ctx_.htab = htab;
  ctx_.htab_bytes = bytes;
  tlb_->flush_all();
}

void CpuMmu::reset() {
  u8* mem = ctx_.mem;
  const u64 size = ctx_.mem_size;
  u8* htab = ctx_.htab;
  const u64 htab_bytes = ctx_.htab_bytes;
  ctx_ = MmuContext{};
  set_memory(mem, size);
  ctx_.htab = htab;
  ctx_.htab_bytes = htab_bytes;
  tlb_->flush_all();
  snap_ = {};
}

void CpuMmu::flush(CpuState& s) {
  tlb_->flush_all();
  reset_tlb(s);
}

void CpuMmu::sync(CpuState& s) {
  ctx_.model = static_cast<Model>(s.model);
  ctx_.msr = s.msr;
  ctx_.lpcr = s.lpcr;
  ctx_.lpidr = static_cast<u32>(s.lpidr);
  ctx_.rmor = s.rmor;
  ctx_.hrmor = s.hrmor;
  ctx_.hid4 = s.hid[2];
  ctx_.amr = s.amr;
  ctx_.iamr = s.iamr;
  // A hypervisor-owned HPT is described by SDR1 as the hypervisor loads it,
  // whatever the model (it stands in for the partition-table entry on 3.0).
  ctx_.sdr1 = is_isa300(ctx_.model) && !ctx_.htab ? isa300_htab(ctx_, s.ptcr, ctx_.lpidr) : s.sdr1;
  const Snapshot now{ctx_.lpcr, ctx_.sdr1, ctx_.rmor, ctx_.hrmor, ctx_.hid4, ctx_.lpidr};
  if (!(now == snap_)) {
    // A partition switch (LPIDR, and the HPT it selects: SDR1 or the
    // partition-table entry) keeps the SoftTlb: its entries are tagged by
    // LPID, and stale entries of the same LPID after an HPT move are the
    // hypervisor's to tlbie (Book III-S 5.10.1).  The host TLB is not
    // tagged by LPID; the pre-decoded blocks need nothing: they are keyed by
    // real page and entered through the host TLB.
    const bool partition_only = now.lpcr == snap_.lpcr && now.rmor == snap_.rmor && now.hrmor == snap_.hrmor &&
                                now.hid4 == snap_.hid4;
    snap_ = now;
    if (partition_only) reset_tlb(s);
    else flush(s);
  }
}

bool CpuMmu::translate(CpuState& s, u64 ea, Access acc, u64& ra, u8& perm) {
  const TranslateResult r = tlb_->translate(ctx_, ea, acc);
  if (r.exc != Exc::None) {
    record_fault(s, r);
    return false;
  }
  ra = r.ra;
  perm = r.perm;
  if (r.has_key) perm &= key_perm(ctx_, r.key);
  return true;
}

int CpuMmu::storage_insn(CpuState& s, u32 i) {
  sync(s);
  MmuContext& c = ctx_;
  SoftTlb& t = *tlb_;
  const unsigned rst = (i >> 21) & 31;
  const u64 rb = s.gpr[(i >> 11) & 31];
  u64 rt = 0;
  switch ((i >> 1) & 0x3FF) {
    case 402: {  // slbmte RS,RB
      const unsigned idx = unsigned(rb & 0xFFF);
      const bool was_valid = idx < SLB_MAX && (c.slb[idx].esid & SLB_ESID_V);
      if (!slbmte(c, s.gpr[rst], rb)) {
        sem::raise_program(s, PROG_ILLEGAL);
        return 1;
      }
      // tlb.h: overwriting a valid entry without slbie needs a full flush.
      if (was_valid) flush(s);
      return 0;
    }
    case 915:  // slbmfee RT,RB
      if (!slbmfee(c, rb, rt)) {
        sem::raise_program(s, PROG_ILLEGAL);
        return 1;
      }
      s.gpr[rst] = rt;
      return 0;
    case 851:  // slbmfev RT,RB
      if (!slbmfev(c, rb, rt)) {
        sem::raise_program(s, PROG_ILLEGAL);
        return 1;
      }
      s.gpr[rst] = rt;
      return 0;
    case 979: {  // slbfee. RT,RB: CR0 = 0b00 || found || SO
      const bool found = slbfee(c, rb, rt);
      s.gpr[rst] = rt;
      sem::set_crf(s, 0, (found ? sem::CR_EQ : 0) | (s.so ? sem::CR_SO : 0));
      return 0;
    }
    case 434:  // slbie RB
      slbie(c, rb);
      t.slbie(c.lpidr, rb);
      break;
    case 498:  // slbia IH
      slbia(c, rst & 7);
      t.slbia(c.lpidr);
      break;
    case 306:    // tlbie RB,RS
    case 274: {  // tlbiel RB
      // RB[52:53] = IS (v3.0B 5.9.3.3; tlbiel since v2.06): 0 one page, else
      // the LPID / whole TLB (a superset is always allowed to go).
      const unsigned is = unsigned(rb >> (63 - 53)) & 3;
      const bool local = ((i >> 1) & 0x3FF) == 274;
      const u32 lpid = is_isa300(c.model) && !local ? static_cast<u32>(s.gpr[rst]) : c.lpidr;
      if (is == 2 && is_isa300(c.model)) t.invalidate_lpid(lpid);
      else if (is != 0 && (local || is_isa300(c.model))) t.flush_all();
      else t.tlbie(lpid, rb);
      break;
    }
    default: return 0;
  }
  // The instruction-side host TLB refills; blocks are keyed by real page.
  reset_tlb(s);
  return 0;
}

}  // namespace lpar::mmu
