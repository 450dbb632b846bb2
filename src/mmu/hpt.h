// Hashed page table search and page protection (Book III-S 5.7.7, 5.7.8, 5.7.13).
#pragma once
#include "mmu/mmu_context.h"

namespace lpar::mmu {

// HPTE doubleword 0 (Book III-S 5.7.7.1, v3.0B Figure "Page Table Entry").
inline constexpr u64 HPTE0_B = u64{3} << 62;       // bits 0:1 segment size
inline constexpr u64 HPTE0_AVA = 0x3FFFFFFFFFFFFF80ull;  // bits 2:56
inline constexpr unsigned HPTE0_AVA_SHIFT = 7;
inline constexpr u64 HPTE0_L = bit(61);
inline constexpr u64 HPTE0_H = bit(62);
inline constexpr u64 HPTE0_V = bit(63);
// HPTE doubleword 1.
inline constexpr u64 HPTE1_PP0 = bit(0);
inline constexpr u64 HPTE1_KEY01 = u64{3} << (63 - 3);  // Key[0:1] in bits 2:3
inline constexpr u64 HPTE1_RPN = 0x0FFFFFFFFFFFF000ull; // ARPN||LP, bits 4:51
inline constexpr u64 HPTE1_KEY24 = u64{7} << (63 - 54); // Key[2:4] in bits 52:54
inline constexpr u64 HPTE1_R = bit(55);
inline constexpr u64 HPTE1_C = bit(56);
inline constexpr u64 HPTE1_G = bit(60);
inline constexpr u64 HPTE1_N = bit(61);
inline constexpr u64 HPTE1_PP = 3;  // bits 62:63
// ISA 3.0 (v3.0B 5.7.7.1) moved B to doubleword 1 bits 4:5, narrowed the ARPN
// to bits 7:51 and reserved doubleword 0 bits 0:11 (the VA is 68 bits).
inline constexpr unsigned HPTE1_B_V3_SHIFT = 63 - 5;
inline constexpr u64 HPTE1_B_V3 = u64{3} << HPTE1_B_V3_SHIFT;
inline constexpr u64 HPTE1_RPN_V3 = 0x01FFFFFFFFFFF000ull;
inline constexpr u64 hpte_rpn_mask(Model m) { return m >= isa::POWER9 ? HPTE1_RPN_V3 : HPTE1_RPN; }
// The segment size an HPTE is for, as SLB B (0: 256M, 1: 1T).
inline constexpr u64 hpte_seg_b(Model m, u64 pte0, u64 pte1) {
  return m >= isa::POWER9 ? (pte1 & HPTE1_B_V3) >> HPTE1_B_V3_SHIFT : pte0 >> 62;
}

inline constexpr unsigned PTEG_BYTES = 128;
inline constexpr unsigned HPTE_BYTES = 16;

// Access permissions, as a small bit set.
enum Perm : u8 { PERM_R = 1, PERM_W = 2, PERM_X = 4, PERM_RWX = 7 };

// Actual page shift of an HPTE in a segment whose base page shift is base
// (Book III-S 5.7.7.1 L/LP and v2.07B 5.7.7.1 "Large page encodings"; the LP
// values are POWER7/8/9's, and the 970's only large page: 16M with LP=0).
// 0 if the HPTE cannot map a page of that base size.
unsigned hpte_actual_shift(Model m, unsigned base_shift, u64 pte0, u64 pte1);
// The inverse, for building HPTEs (tests, hypervisor H_ENTER): the dword1 LP
// bits (already in place, under HPTE1_RPN) for actual page size in base size.
// Returns false if the pair is not implemented.
bool hpte_lp_bits(Model m, unsigned base_shift, unsigned actual_shift, u64& lp_bits);

// Primary hash (Book III-S 5.7.7.3): 256M: VSID ^ page index; 1T: VSID ^ VSID<<25
// ^ page index; 39 bits.  The secondary hash is its ones' complement.
u64 hpt_hash(u64 vsid, bool seg_1t, u64 page_index);
// Real address of the PTEG for a hash (5.7.7.3): HTABORG | (hash & mask) << 7,
// with 2^(11+HTABSIZE) PTEGs.
u64 pteg_address(u64 sdr1, u64 hash);

// The virtual address (mod 2^64, i.e. VA bits 14:77 as tlbie's RB carries it).
inline u64 va64(u64 vsid, bool seg_1t, u64 seg_offset) { return (vsid << (seg_1t ? 40 : 28)) | seg_offset; }

struct HptMatch {
  bool found = false;
  u64 pte_addr = 0;  // real address of the matching HPTE
  u64 pte0 = 0, pte1 = 0;
  unsigned page_shift = 0;  // actual page size
};
// Search the primary then the secondary PTEG for ea's page in the segment
// described by vsid_word (5.7.7.3, 5.7.7.4).  Reads of the HPT that fall
// outside guest memory see invalid HPTEs.
HptMatch hpt_search(const MmuContext& c, u64 vsid_word, u64 ea);

// Page protection from PP0||PP and the segment key (Book III-S 5.7.13.1,
// Table "PP bits"): key = MSR[PR] ? Kp : Ks.  Reserved PP values allow nothing.
u8 pp_perm(unsigned pp, bool key);
// Storage key of an HPTE (5 bits: Key[0:1] || Key[2:4]).
inline unsigned hpte_key(u64 pte1) {
  return unsigned(((pte1 & HPTE1_KEY01) >> (63 - 3)) << 3 | ((pte1 & HPTE1_KEY24) >> (63 - 54)));
}
// Virtual page class key protection (5.7.13.2): AMR[2k] forbids stores, AMR[2k+1]
// loads, IAMR[2k+1] instruction fetches, for key k.  All allowed on models
// without the registers.
u8 key_perm(const MmuContext& c, unsigned key);

// Set R (and C for a store) in the HPTE in guest memory: byte stores of
// doubleword 1's bytes 6 and 7, big-endian (5.7.12).  Returns the new pte1.
u64 hpte_update_rc(MmuContext& c, const HptMatch& m, bool store);

}  // namespace lpar::mmu
