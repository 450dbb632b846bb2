#include "mmu/translate.h"

#include "mmu/real_mode.h"
#include "mmu/slb.h"

namespace lpar::mmu {

TranslateResult storage_fault(const MmuContext& c, u64 ea, Access acc, u32 dsisr, u64 srr1, bool translation_on,
                              u64 asdr) {
  TranslateResult r;
  // v2.07B 5.7.3.4 / 6.5.3: with virtualized partition memory the hypervisor
  // takes the fault; ISA 3.0 dropped VPM0 and always virtualizes real mode.
  const bool to_hv = !(c.msr & MSR_HV) && c.model >= isa::POWER7 &&
                     (translation_on ? (c.lpcr & LPCR_VPM1) != 0 : uses_vrma(c));
  if (acc == Access::Exec) {
    r.exc = to_hv ? Exc::HISI : Exc::ISI;
    r.srr1 = srr1;
  } else {
    r.exc = to_hv ? Exc::HDSI : Exc::DSI;
    r.dar = ea;
    r.dsisr = dsisr | (acc == Access::Write ? DSISR_STORE : 0);
  }
  if (to_hv) r.asdr = asdr;
  return r;
}

static u8 need_of(Access acc) {
  return acc == Access::Read ? PERM_R : acc == Access::Write ? PERM_W : PERM_X;
}

TranslateResult translate_hpt(MmuContext& c, u64 vsid_word, u64 ea, Access acc, bool translation_on) {
  // 5.7.13.1: a fetch from a no-execute segment fails before the HPT is searched.
  if (acc == Access::Exec && (vsid_word & SLB_V_N))
    return storage_fault(c, ea, acc, 0, SRR1_ISI_NOEXEC, translation_on, vsid_word);

  const HptMatch m = hpt_search(c, vsid_word, ea);
  if (!m.found) return storage_fault(c, ea, acc, DSISR_NOPTE, SRR1_ISI_NOPTE, translation_on, vsid_word);

  const bool key = (c.msr & MSR_PR) ? (vsid_word & SLB_V_KP) != 0 : (vsid_word & SLB_V_KS) != 0;
  const unsigned pp = unsigned(m.pte1 & HPTE1_PP) | ((m.pte1 & HPTE1_PP0) ? 4 : 0);
  const u8 pperm = pp_perm(pp, key);
  // 5.7.13.1 / 5.7.9: no fetch from N pages, N segments or guarded storage.
  const u8 xperm = (m.pte1 & (HPTE1_N | HPTE1_G)) || (vsid_word & SLB_V_N) ? u8(PERM_R | PERM_W) : u8(PERM_RWX);
  const unsigned skey = hpte_key(m.pte1);
  // Virtual page class keys (AMR/IAMR, 5.7.13.2) guard translated accesses;
  // a VRMA access is real addressing to the guest (MSR[IR/DR]=0), which no
  // AMR/IAMR value the guest writes may stop (KVM-HV on POWER8/9 and QEMU).
  const u8 kperm = translation_on ? key_perm(c, skey) : u8(PERM_RWX);
  const u8 need = need_of(acc);

  if (!(pperm & xperm & kperm & need)) {
    u64 srr1 = 0;
    u32 dsisr = 0;
    if (acc == Access::Exec) {
      if (!(xperm & PERM_X)) srr1 |= SRR1_ISI_NOEXEC;
      else if (!(pperm & PERM_X)) srr1 |= SRR1_ISI_PROT;
      if (!(kperm & PERM_X)) srr1 |= SRR1_ISI_KEY;
    } else {
      if (!(pperm & need)) dsisr |= DSISR_PROT;
      if (!(kperm & need)) dsisr |= DSISR_KEY;
    }
    return storage_fault(c, ea, acc, dsisr, srr1, translation_on, vsid_word);
  }

  // 5.7.12: R on every access, C on stores.
  const u64 p1 = hpte_update_rc(c, m, acc == Access::Write);

  TranslateResult r;
  const u64 psize = u64{1} << m.page_shift;
  r.ra = (p1 & hpte_rpn_mask(c.model) & ~(psize - 1)) | (ea & (psize - 1));
  r.page_shift = u8(m.page_shift);
  // Until C is set a store must come back here to set it.
  r.perm = u8(pperm & xperm & ((p1 & HPTE1_C) ? u8(PERM_RWX) : u8(PERM_R | PERM_X)));
  r.key = u8(skey);
  r.has_key = translation_on && has_amr(c.model);
  r.from_hpt = true;
  r.seg_b = u8(vsid_word >> SLB_B_SHIFT);
  const unsigned sshift = segment_shift(vsid_word);
  r.va = va64(slb_vsid(vsid_word), slb_is_1t(vsid_word), ea & ((u64{1} << sshift) - 1));
  return r;
}

TranslateResult translate(MmuContext& c, u64 ea, Access acc) {
  const bool on = (c.msr & (acc == Access::Exec ? MSR_IR : MSR_DR)) != 0;
  if (!on) return translate_real(c, ea, acc);
  const SlbEntry* e = slb_lookup(c, ea);
  if (!e) {
    // 6.5.5 / 6.5.6: segment interrupts go to the OS; DAR = EA for data.
    TranslateResult r;
    r.exc = acc == Access::Exec ? Exc::ISegI : Exc::DSegI;
    if (acc != Access::Exec) r.dar = ea;
    return r;
  }
  TranslateResult r = translate_hpt(c, e->vsid, ea, acc, true);
  if (r.exc == Exc::None) r.from_slb = true;
  return r;
}

}  // namespace lpar::mmu
