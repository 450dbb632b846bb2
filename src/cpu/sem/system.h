// Book III-S privileged instructions: MSR access, return from interrupt, and
// the storage-control instructions the MMU integration implements.
#pragma once
#include "cpu/sem/common.h"
#include "cpu/sem/spr.h"

namespace lpar::sem {

// Hypervisor-privileged instructions (Book III-S 6.5.9 / 6.5.18): problem
// state -> privileged-instruction Program interrupt; privileged non-hypervisor
// state -> Hypervisor Emulation Assistance interrupt.
#define REQUIRE_HVPRIV()                                                                        \
  do {                                                                                          \
    if (s.msr & ::lpar::sem::MSR_PR) return ::lpar::sem::raise_program(s, ::lpar::PROG_PRIV);   \
    if (!(s.msr & ::lpar::sem::MSR_HV)) return ::lpar::sem::raise(s, ::lpar::Exc::HEA);         \
  } while (0)

// Every MSR change goes through here: keeps the s.le cache and drops cached
// translations when the translation regime (IR, DR, PR, HV) changes.
inline void set_msr(CpuState& s, u64 v) {
  const u64 old = s.msr;
  s.msr = v;
  s.le = v & MSR_LE;
  if ((old ^ v) & (MSR_IR | MSR_DR | MSR_PR | MSR_HV)) reset_tlb(s);
}

// Bit masks in ISA numbering (bit n = 63 - n).
constexpr u64 msr_bits(unsigned first, unsigned last) {
  u64 m = 0;
  for (unsigned b = first; b <= last; ++b) m |= u64{1} << (63 - b);
  return m;
}

// Book III-S 4.4.3 mfmsr.
SEM(mfmsr) {
  REQUIRE_SUPERVISOR();
  s.gpr[RT(i)] = s.msr;
  return Status::Next;
}

// Book III-S 4.4.3 mtmsr / mtmsrd: L=1 changes only EE and RI; L=0 never
// touches HV, ME, LE (and S); setting PR forces EE, IR and DR on.
inline u64 mtmsr_value(u64 msr, u64 rs, bool l, bool wide) {
  constexpr u64 ee_ri = MSR_EE | MSR_RI;
  if (l) return (msr & ~ee_ri) | (rs & ee_ri);
  u64 keep = wide ? msr_bits(0, 2) | msr_bits(4, 28) | msr_bits(32, 40) | msr_bits(42, 47) |
                        msr_bits(49, 50) | msr_bits(52, 57) | msr_bits(60, 62)
                  : msr_bits(32, 40) | msr_bits(42, 47) | msr_bits(49, 50) | msr_bits(52, 57) |
                        msr_bits(60, 62);
  u64 v = (msr & ~keep) | (rs & keep);
  if (wide) v = (v & ~msr_bits(29, 31)) | (rs & msr_bits(29, 31));  // TS/TM (no TM here)
  const bool pr = rs & MSR_PR;
  const u64 forced = MSR_EE | MSR_IR | MSR_DR;
  v = (v & ~forced) | (rs & forced) | (pr ? forced : 0);
  return v;
}
// Enabling EE (or leaving hypervisor state) with a decrementer exception
// pending: the interrupt is taken before the next instruction, SRR0 = CIA + 4
// (Book III-S 6.6 "Interrupt ordering"; mtmsr(d) is context synchronizing
// for EE).  Only the machine's virtual clock (vclock) has timers to check.
inline Status msr_written(CpuState& s, u64 old) {
  if (!((s.msr & ~old) & MSR_EE || (old & ~s.msr) & MSR_HV)) return Status::Next;
  u32 reason = 0;
  Exc e = s.vclock ? timer_pending(s) : Exc::None;
  if (e == Exc::None) e = external_pending(s, reason);
  if (e == Exc::None) return Status::Next;
  s.nip += 4;
  return raise(s, e, reason);
}
SEM(mtmsr) {
  REQUIRE_SUPERVISOR();
  const u64 old = s.msr;
  set_msr(s, mtmsr_value(s.msr, s.gpr[RS(i)], L15(i), false));
  return msr_written(s, old);
}
SEM(mtmsrd) {
  REQUIRE_SUPERVISOR();
  const u64 old = s.msr;
  set_msr(s, mtmsr_value(s.msr, s.gpr[RS(i)], L15(i), true));
  return msr_written(s, old);
}

// Book III-S 3.3.1 rfid / hrfid: MSR from (H)SRR1 except that rfid may clear
// but never set HV and changes ME only in hypervisor state; EE, IR, DR are
// forced on with PR; the NIA is (H)SRR0 word-aligned, 32-bit in 32-bit mode.
inline Status return_from(CpuState& s, u64 srr0, u64 srr1, bool hyp) {
  const u64 restored = msr_bits(0, 2) | msr_bits(4, 32) | msr_bits(37, 41) | msr_bits(49, 50) |
                       msr_bits(52, 57) | msr_bits(60, 63);
  u64 v = (s.msr & ~restored) | (srr1 & restored);
  const bool hv_now = s.msr & MSR_HV;
  if (hyp) {
    v = (v & ~(MSR_HV | MSR_ME)) | (srr1 & (MSR_HV | MSR_ME));
  } else {
    if (hv_now) v = (v & ~MSR_ME) | (srr1 & MSR_ME);
    v = (v & ~MSR_HV) | (s.msr & srr1 & MSR_HV);
  }
  const bool pr = srr1 & MSR_PR;
  const u64 forced = MSR_EE | MSR_IR | MSR_DR;
  v = (v & ~forced) | (srr1 & forced) | (pr ? forced : 0);
  set_msr(s, v);
  u64 nia = srr0 & ~u64{3};
  if (!(v & MSR_SF)) nia = static_cast<u32>(nia);
  s.nip = nia;
  return Status::Jump;
}
SEM(rfid) {
  REQUIRE_SUPERVISOR();
  return return_from(s, s.srr0, s.srr1, false);
}
// v3.0B Book III 7.5.x System Call Vectored interrupt (scv LEV): no SRRs;
// LR = the next instruction, CTR = the MSR with bits 33:36 and 42:47 clear;
// EE, RI, ME and HV stay, SF = 1, LE = LPCR[ILE], IR = DR = 1 with the
// handler at 0xC000_0000_0000_3000 when LPCR[AIL] = 3, else real mode at
// 0x17000; each LEV has 32 bytes.  FSCR[SCV] (bit 51) must allow it, else
// Facility Unavailable with FSCR[IC] = 12.
inline constexpr unsigned FSCR_IC_SCV = 12;
SEM(scv) {
  // Unlike the SPR facilities, scv checks FSCR[SCV] in every state.
  if (!((s.fscr >> FSCR_IC_SCV) & 1)) {
    s.fscr = (s.fscr & ~(u64{0xFF} << 56)) | (u64{FSCR_IC_SCV} << 56);
    return raise(s, Exc::FacilityUnavailable);
  }
  const u64 lev = bits(i, 20, 26);
  s.lr = s.nip + 4;
  s.ctr = s.msr & ~(msr_bits(33, 36) | msr_bits(42, 47));
  const bool ail3 = ((s.lpcr >> LPCR_AIL_SHIFT) & 3) == 3;
  u64 nm = MSR_SF | (s.msr & (MSR_HV | MSR_ME | MSR_EE | MSR_RI));
  if (s.lpcr & LPCR_ILE) nm |= MSR_LE;
  if (ail3) nm |= MSR_IR | MSR_DR;
  set_msr(s, nm);
  s.nip = (ail3 ? 0xC000000000003000ull : 0x17000ull) + lev * 32;
  return Status::Jump;
}

// v3.0B Book III 3.3.1 rfscv: rfid's rules with LR and CTR in place of SRR0/1.
SEM(rfscv) {
  REQUIRE_SUPERVISOR();
  return return_from(s, s.lr, s.ctr, false);
}
SEM(hrfid) {
  REQUIRE_HVPRIV();
  return return_from(s, s.hsrr0, s.hsrr1, true);
}

// Storage control: the MMU integration fills s.mmu_hook; until then these are
// no-ops (real mode only: there is nothing to invalidate).
inline Status mmu_call(CpuState& s, u32 i) {
  if (s.mmu_hook && s.mmu_hook(s, i)) return Status::Exception;
  return Status::Next;
}
SEM(tlbie) {
  REQUIRE_HVPRIV();
  return mmu_call(s, i);
}
SEM(tlbiel) {
  REQUIRE_SUPERVISOR();
  return mmu_call(s, i);
}
SEM(tlbsync) {
  REQUIRE_HVPRIV();
  return Status::Next;
}
SEM(slbie) {
  REQUIRE_SUPERVISOR();
  return mmu_call(s, i);
}
SEM(slbia) {
  REQUIRE_SUPERVISOR();
  return mmu_call(s, i);
}
SEM(slbmte) {
  REQUIRE_SUPERVISOR();
  return mmu_call(s, i);
}
// Without an SLB every entry reads as zero (invalid).
SEM(slbmfee) {
  REQUIRE_SUPERVISOR();
  if (s.mmu_hook) return mmu_call(s, i);
  s.gpr[RT(i)] = 0;
  return Status::Next;
}
SEM(slbmfev) {
  REQUIRE_SUPERVISOR();
  if (s.mmu_hook) return mmu_call(s, i);
  s.gpr[RT(i)] = 0;
  return Status::Next;
}
// Book III-S 5.9.3.x slbfee.: no matching entry -> RT = 0, CR0 = 0b00 || 0 || SO.
SEM(slbfee_) {
  REQUIRE_SUPERVISOR();
  if (s.mmu_hook) return mmu_call(s, i);
  s.gpr[RT(i)] = 0;
  set_crf(s, 0, s.so ? CR_SO : 0);
  return Status::Next;
}

}  // namespace lpar::sem
