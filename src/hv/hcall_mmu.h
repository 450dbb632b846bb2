// The page-frame-table hcalls, handled in the hypervisor as KVM-HV handles them
// (LoPAPR 1.1, 14.5.4.1 "Page Frame Table Access": H_ENTER, H_REMOVE,
// H_BULK_REMOVE, H_READ, H_PROTECT, H_CLEAR_REF, H_CLEAR_MOD), and the VRMA
// HPTEs the hypervisor itself enters (Book III-S v2.07B 5.7.3.3).
//
// Guest-visible HPTE format: the hcalls take and return HPTEs in the pre-ISA-3.0
// layout on every model (B in doubleword 0 bits 0:1), as PAPR defines them and
// as KVM does on POWER9; the table itself holds the processor's format
// (ISA 3.0: B in doubleword 1 bits 4:5, doubleword 0 bits 0:11 reserved, so the
// top 10 AVA bits a guest passes are dropped, as on KVM).
//
// Each call returns an H_* code (papr.h); rets[] receives R4.. as PAPR defines.
// Every guest-supplied PTEX is range-checked (H_PARAMETER).  Calls on one
// table must be serialized by the caller.
//
// Where lpar differs from KVM:
//  * H_ENTER checks the RPN: a page that is not wholly guest memory (ram_ok)
//    is accepted only caching-inhibited (WIMG I=1: an I/O mapping), otherwise
//    H_PARAMETER.  KVM accepts any RPN and faults MMIO in later.
//  * H_ENTER with H_ZERO_PAGE zeroes the page through zero_page (H_PARAMETER if
//    the context has none); KVM ignores the flag.  H_R_XLATE, H_ICACHE_* are
//    ignored (logical = real here; no separate instruction cache to keep).
//  * H_ENTER rejects B values other than 256M (and 1T where the model has
//    1T segments) and page-size encodings the model lacks (H_PARAMETER).
//  * The guest's R/C bits are kept as passed; KVM clears them.
#pragma once
#include "hv/htab.h"
#include "hv/papr.h"
#include "mmu/hpt.h"

namespace lpar::hv {

// HPTE doubleword 0 software bit 59: "bolted" (LoPAPR; Linux HPTE_V_BOLTED).
// Bolted entries are the ones a resize must keep.
inline constexpr u64 HPTE0_BOLTED = mmu::bit(59);
inline constexpr u64 HPTE0_AVPN = ~u64{0x7F};  // what H_AVPN compares (bits 0:56)
// WIMG (doubleword 1 bits 57:60).
inline constexpr u64 HPTE1_W = mmu::bit(57);
inline constexpr u64 HPTE1_I = mmu::bit(58);
inline constexpr u64 HPTE1_M = mmu::bit(59);

struct HcallMmu {
  Htab* htab = nullptr;
  isa::Model model = isa::POWER9;
  void* opaque = nullptr;  // passed to the callbacks
  // Is [ra, ra+len) guest memory (RAM)?  Required by H_ENTER.
  bool (*ram_ok)(void* opaque, u64 ra, u64 len) = nullptr;
  // A valid HPTE was removed or changed: flush translations of its page.
  // tlbie_rb is RB as tlbie takes it (mmu::SoftTlb::tlbie(lpid, rb)): VA bits
  // 14:65 in bits 0:51 (those below the page size zero), B in bits 54:55, L in
  // bit 63.  ~0 (an HPTE whose page cannot be named) means: flush every
  // translation of the partition.  May be null (nothing caches translations).
  void (*invalidate)(void* opaque, u64 tlbie_rb) = nullptr;
  // Optional: zero [ra, ra+len) of guest memory (H_ENTER H_ZERO_PAGE); also
  // the place to drop pre-decoded code for that range.
  bool (*zero_page)(void* opaque, u64 ra, u64 len) = nullptr;
};

// H_ENTER(flags, ptex, pteh, ptel) -> rets[0] = PTEX used.
// Without H_EXACT the first invalid slot of PTEX's PTEG is used.  V is forced
// on; the bolted bit (HPTE0_BOLTED) is kept.
// H_PARAMETER: PTEX beyond the table, bad B or page size, RPN not guest
// memory (see above), H_ZERO_PAGE unsupported.  H_PTEG_FULL: no free slot
// (H_EXACT: the slot is valid).  H_FUNCTION: no HPT allocated (all calls).
long h_enter(HcallMmu& ctx, u64 flags, u64 ptex, u64 pteh, u64 ptel, u64 rets[4]);
// H_REMOVE(flags, ptex, avpn) -> rets[0..1] = old pte0, pte1.
// H_AVPN: pte0 bits 0:56 must equal avpn; H_ANDCOND: (pte0 & avpn) must be 0;
// else (or invalid) H_NOT_FOUND.
long h_remove(HcallMmu& ctx, u64 flags, u64 ptex, u64 avpn, u64 rets[4]);
// H_BULK_REMOVE: args[0..7] are R4..R11, four (specifier, avpn/andcond) pairs,
// rewritten in place with the responses (papr.h H_BULK_REMOVE_*: code, R/C).
// A request type of END stops; a bad type, both flags, or a bad PTEX ends the
// call with H_PARAMETER (that specifier answered with code PARM; earlier
// removals stand).
long h_bulk_remove(HcallMmu& ctx, u64 args[8]);
// H_READ(flags, ptex) -> rets[0..1] (or rets[0..7] with H_READ_4, from
// PTEX & ~3), the HPTEs as stored, valid or not.
long h_read(HcallMmu& ctx, u64 flags, u64 ptex, u64 rets[8]);
// H_PROTECT(flags, ptex, avpn): set PP0 (flags bit 55), key (flags bits
// 50:54), N (61) and PP (62:63) of a valid HPTE; H_AVPN as for H_REMOVE.
long h_protect(HcallMmu& ctx, u64 flags, u64 ptex, u64 avpn);
// H_CLEAR_REF / H_CLEAR_MOD(flags, ptex) -> rets[0] = pte1 before clearing
// (its R and C bits are the old R and C).  H_NOT_FOUND if invalid.
long h_clear_ref(HcallMmu& ctx, u64 flags, u64 ptex, u64 rets[4]);
long h_clear_mod(HcallMmu& ctx, u64 flags, u64 ptex, u64 rets[4]);

// Enter the VRMA's HPTEs for an RMA of rma_bytes at guest real address 0, as
// KVM's kvmppc_map_vrma does: segment VSID 0x1FFFFFF, 1 TB (5.7.3.3), page
// size from LPCR[VRMASD] (the base size that encoding gives), one bolted HPTE
// per page in slot 7 of its primary PTEG, PP=0b000 (Ks=Kp=0: read/write),
// R=C=1, WIMG=0010.  The count is capped at one page per PTEG and at 1 TB.
// Returns H_SUCCESS (entered = pages mapped), H_FUNCTION (no HPT, or a model
// without a VRMA), H_PARAMETER (VRMASD not implemented), or H_ENTER's error.
long map_vrma(HcallMmu& ctx, u64 lpcr, u64 rma_bytes, u64* entered = nullptr);

// --- HPTE helpers, shared with resize.

// Table format <-> PAPR (pre-3.0) format.
void hpte_to_papr(isa::Model m, u64& pte0, u64& pte1);
void hpte_from_papr(isa::Model m, u64& pte0, u64& pte1);
// Base (hashing) and actual page shift of a PAPR-format HPTE; false if the
// L/LP encoding is not one the model implements.
bool hpte_page_shifts(isa::Model m, u64 pte0, u64 pte1, unsigned& base, unsigned& actual);

// The virtual page an HPTE maps, recovered from its AVA and from where it
// sits (5.7.7.3: the PTEG index is the hash, which gives the page-index bits
// the AVA lacks for pages under 8 MB).
struct HpteVa {
  u64 vsid = 0;
  u64 seg_off = 0;  // offset of the page in its segment (bits below base zero)
  bool seg_1t = false;
  bool secondary = false;
  unsigned base = 12, actual = 12;
  u64 hash() const;  // primary hash of the page (mmu::hpt_hash)
};
// pte0/pte1 in PAPR format, ptex its index in a table with hash_mask.
bool hpte_va(isa::Model m, u64 pte0, u64 pte1, u64 ptex, u64 hash_mask, HpteVa& out);
u64 hpte_tlbie_rb(const HpteVa& va);

}  // namespace lpar::hv
