#include "mmu/real_mode.h"

#include "mmu/slb.h"

namespace lpar::mmu {

u64 rmls_limit(Model m, unsigned rmls) {
  // v2.06 LPCR[RMLS] / 970 HID4 RMLS codes (implementation-defined; these are
  // the values the 970 and POWER7/8 implement).
  constexpr u64 MiB = u64{1} << 20, GiB = u64{1} << 30;
  switch (rmls) {
    case 0: return 256 * GiB;
    case 1: return 16 * GiB;
    case 2: return 1 * GiB;
    case 3: return 64 * MiB;
    case 4: return 256 * MiB;
    case 7: return 128 * MiB;
    case 8: return m >= isa::POWER7 ? 32 * MiB : 0;
    default: return 0;
  }
}

bool uses_vrma(const MmuContext& c) {
  if (c.model == isa::PPC970) return false;
  if (is_isa300(c.model)) return true;
  return (c.lpcr & LPCR_VPM0) != 0;
}

u64 vrma_vsid_word(const MmuContext& c) {
  const u64 sd = (c.lpcr & LPCR_VRMASD) >> LPCR_VRMASD_SHIFT;
  return SLB_V_B_1T | (VRMA_VSID << SLB_VSID_SHIFT_1T) | ((sd << 4) & SLB_V_LLP);
}

TranslateResult translate_real(MmuContext& c, u64 ea, Access acc) {
  // 5.7.3: EA[0:3] are ignored in real addressing mode (EA[0] selects HRMOR).
  const u64 ea4 = ea & 0x0FFFFFFFFFFFFFFFull;
  TranslateResult r;
  r.perm = PERM_RWX;
  if (c.msr & MSR_HV) {
    // 5.7.3.1 hypervisor real mode.
    r.ra = ea4 | (!(ea >> 63) && has_hrmor(c.model) ? c.hrmor : 0);
    return r;
  }
  if (uses_vrma(c)) {
    const u64 vw = vrma_vsid_word(c);
    if (slb_base_shift(c.model, vw) == 0) {
      // Unimplemented VRMASD: the implementation takes a machine check (as QEMU).
      r.exc = Exc::MachineCheck;
      r.perm = 0;
      return r;
    }
    // hpt_search keeps EA[24:63], the offset in the 1 TB VRMA segment.
    return translate_hpt(c, vw, ea, acc, false);
  }
  // 5.7.3.2 offset real mode (RMO).
  u64 limit, rmor;
  if (c.model == isa::PPC970) {
    const unsigned code = ((c.hid4 & HID4_RMLS0) ? 4u : 0u) | unsigned((c.hid4 >> HID4_RMLS12_SHIFT) & 3);
    limit = rmls_limit(c.model, code);
    rmor = ((c.hid4 >> HID4_RMOR_SHIFT) & 0xFFFF) << 26;  // 64 MB units
  } else {
    limit = rmls_limit(c.model, unsigned((c.lpcr & LPCR_RMLS) >> LPCR_RMLS_SHIFT));
    rmor = c.rmor;
  }
  if (ea4 >= limit) {
    TranslateResult f = storage_fault(c, ea, acc, DSISR_PROT, SRR1_ISI_PROT, false);
    return f;
  }
  r.ra = ea4 | rmor;
  return r;
}

}  // namespace lpar::mmu
