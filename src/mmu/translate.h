// The translation entry point: effective address -> real address, or the
// storage interrupt to raise (Book III-S 5.7 "Storage Addressing", 7.5 interrupts).
//
// Rules implemented (v2.07B / v3.0B Book III-S 5.7.3, 6.5.3/6.5.4, 6.5.14/6.5.15):
//  * Translation is off for instruction fetch when MSR[IR]=0 and for data when
//    MSR[DR]=0: real_mode.h.
//  * Otherwise the SLB is searched (no match: DSegI with DAR=EA / ISegI), then for
//    a fetch the segment's N bit (ISI, SRR1[35]), then the HPT (no PTE: DSISR[33]
//    / SRR1[33]), then PP/Ks/Kp (DSISR[36] / SRR1[36]), HPTE N or G for fetches
//    (SRR1[35]), the AMR/IAMR key (DSISR[42] / SRR1[42]); DSISR[38] marks stores.
//  * A DSI/ISI from the HPT (including the VRMA) becomes HDSI/HISI when MSR[HV]=0
//    and the partition's memory is virtualized for that mode: LPCR[VPM1] for
//    translation on, the VRMA (LPCR[VPM0], always on ISA 3.0) for translation off.
//    HDSI/HISI also report ASDR = the segment's VSID word.  The RMO limit
//    violation is a DSI/ISI with DSISR[36] / SRR1[36] to the OS (LPES not consulted).
//  * Segment interrupts always go to the OS.
// The caller passes an EA already truncated to 32 bits when MSR[SF]=0.
#pragma once
#include "mmu/hpt.h"

namespace lpar::mmu {

// DSISR / (H)SRR1 bits (Book III-S 6.5.3, 6.5.4).
inline constexpr u32 DSISR_NOPTE = 1u << (63 - 33);
inline constexpr u32 DSISR_PROT = 1u << (63 - 36);
inline constexpr u32 DSISR_STORE = 1u << (63 - 38);
inline constexpr u32 DSISR_KEY = 1u << (63 - 42);
inline constexpr u64 SRR1_ISI_NOPTE = bit(33);
inline constexpr u64 SRR1_ISI_NOEXEC = bit(35);  // N segment, N page or guarded page
inline constexpr u64 SRR1_ISI_PROT = bit(36);
inline constexpr u64 SRR1_ISI_KEY = bit(42);

struct TranslateResult {
  Exc exc = Exc::None;  // None: the fields below the line are valid
  u64 ra = 0;           // real address of the EA
  u8 page_shift = 12;   // actual page size (12 for real mode)
  u8 perm = 0;          // accesses to this page allowed without re-translation
                        // (PP/N/G; W only once C is set), before the key check
  u8 key = 0;           // storage key, checked with key_perm() when has_key
  bool has_key = false;
  bool from_hpt = false;   // mapped by an HPTE (virtual mode or VRMA): tlbie applies
  bool from_slb = false;   // through the SLB: slbie/slbia apply
  u8 seg_b = 0;            // segment size (0: 256M, 1: 1T)
  u64 va = 0;              // virtual address mod 2^64 (tlbie RB form)
  // --- fault detail
  u64 dar = 0;     // DAR (DSI, DSegI) or HDAR (HDSI)
  u32 dsisr = 0;   // DSISR or HDSISR (not set by DSegI)
  u64 srr1 = 0;    // bits to OR into SRR1 (ISI) / HSRR1 (HISI)
  u64 asdr = 0;    // HDSI/HISI: the segment's VSID word
};

// Translate ea for acc with the context's current MSR.  Sets HPTE R/C bits in
// guest memory on success.
TranslateResult translate(MmuContext& c, u64 ea, Access acc);

// The HPT part, shared with the VRMA: the segment is vsid_word, translation
// "on" decides the HV-fault rule (real = VRMA).
TranslateResult translate_hpt(MmuContext& c, u64 vsid_word, u64 ea, Access acc, bool translation_on);

// Glue for MemoryBackend::fill: record a fault in the CPU state the way the
// interpreter's memory layer reports faults (exc, exc_reason = DSISR for data
// or the SRR1 bits for fetches, exc_addr = DAR).  ASDR is not kept there.
inline void record_fault(CpuState& s, const TranslateResult& r) {
  s.exc = r.exc;
  const bool fetch = r.exc == Exc::ISI || r.exc == Exc::HISI || r.exc == Exc::ISegI;
  s.exc_reason = fetch ? u32(r.srr1) : r.dsisr;
  s.exc_addr = r.dar;
}
// Host addend (host = ea + addend) for the 4K page of ea, if its real page is
// guest RAM; false means the real address is not RAM (MMIO or nothing).
inline bool host_addend(MmuContext& c, u64 ea, const TranslateResult& r, uintptr_t* addend) {
  u8* p = phys_ptr(c, r.ra & ~u64{0xFFF}, 0x1000);
  if (!p) return false;
  *addend = reinterpret_cast<uintptr_t>(p) - (ea & ~u64{0xFFF});
  return true;
}

// Build the storage fault for acc: DSI/ISI or HDSI/HISI per the rules above.
TranslateResult storage_fault(const MmuContext& c, u64 ea, Access acc, u32 dsisr, u64 srr1, bool translation_on,
                              u64 asdr = 0);

}  // namespace lpar::mmu
