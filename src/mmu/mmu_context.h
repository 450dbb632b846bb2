// Everything Book III-S storage translation depends on, as one plain struct.
//
// The machine owns the architected registers; before translating it copies (or
// keeps) the relevant ones here.  Nothing in src/mmu keeps hidden state besides
// the software TLB (tlb.h), so a context can be rebuilt at any time.
//
// Bit numbers in comments are ISA (big-endian) bit numbers: bit 0 is the MSB of
// a 64-bit register, so ISA bit b is host bit 63-b.
#pragma once
#include <cstring>

#include "cpu/isa/table.h"
#include "cpu/state.h"

namespace lpar::mmu {

using isa::Model;

constexpr u64 bit(unsigned isa_bit) { return u64{1} << (63 - isa_bit); }
// ISA field [first:last] of v, right-justified.
constexpr u64 field(u64 v, unsigned first, unsigned last) {
  return (v >> (63 - last)) & ((u64{2} << (last - first)) - 1);
}

// MSR bits used by translation (Book III-S 4.2.1).
inline constexpr u64 MSR_SF = bit(0);
inline constexpr u64 MSR_HV = bit(3);
inline constexpr u64 MSR_PR = bit(49);
inline constexpr u64 MSR_IR = bit(58);
inline constexpr u64 MSR_DR = bit(59);

// LPCR fields (Book III-S 2.2, v2.07B / v3.0B).
inline constexpr u64 LPCR_VPM0 = bit(0);    // guest real mode through the VRMA (not in 3.0: always)
inline constexpr u64 LPCR_VPM1 = bit(1);    // guest virtual-mode HPT faults go to the hypervisor
inline constexpr u64 LPCR_ISL = bit(2);     // ignore SLB large page: hash with 4K base pages
inline constexpr unsigned LPCR_RMLS_SHIFT = 63 - 37;  // RMLS bits 34:37 (2.06/2.07)
inline constexpr u64 LPCR_RMLS = u64{0xF} << LPCR_RMLS_SHIFT;
inline constexpr unsigned LPCR_VRMASD_SHIFT = 63 - 51;  // VRMASD bits 47:51 = L || 0 || LP... as SLB L,LP
inline constexpr u64 LPCR_VRMASD = u64{0x1F} << LPCR_VRMASD_SHIFT;
inline constexpr u64 LPCR_LPES0 = bit(60);
inline constexpr u64 LPCR_LPES1 = bit(61);

// PPC970 HID4 (970FX user manual, HID4; same layout Linux's reg.h documents):
// LPES0 bit 0, RMLS[1:2] bits 1:2, RMOR (64 MB units) bits 7:22, LPES1 bit 57, RMLS[0] bit 58.
inline constexpr u64 HID4_LPES0 = bit(0);
inline constexpr u64 HID4_LPES1 = bit(57);
inline constexpr u64 HID4_RMLS0 = bit(58);  // the most significant RMLS bit
inline constexpr unsigned HID4_RMLS12_SHIFT = 63 - 2;
inline constexpr unsigned HID4_RMOR_SHIFT = 63 - 22;

// SDR1 (Book III-S 5.7.7.1): HTABORG bits 4:45, HTABSIZE bits 59:63.  On ISA 3.0
// the machine puts partition-table entry doubleword 0 here (same fields).
inline constexpr u64 SDR1_HTABORG = 0x0FFFFFFFFFFC0000ull;
inline constexpr u64 SDR1_HTABSIZE = 0x1F;

// One SLB entry, kept in the register images slbmte takes (Book III-S 5.7.6.1):
// esid = ESID (bits 0:35) | V (bit 36); vsid = B(0:1) VSID(2:51) Ks Kp N L C LP.
struct SlbEntry {
  u64 esid;
  u64 vsid;
};
inline constexpr u64 SLB_ESID_MASK_256M = 0xFFFFFFFFF0000000ull;  // bits 0:35
inline constexpr u64 SLB_ESID_MASK_1T = 0xFFFFFF0000000000ull;    // bits 0:23
inline constexpr u64 SLB_ESID_V = bit(36);
inline constexpr unsigned SLB_B_SHIFT = 62;
inline constexpr u64 SLB_V_B = u64{3} << SLB_B_SHIFT;
inline constexpr u64 SLB_V_B_1T = u64{1} << SLB_B_SHIFT;
inline constexpr unsigned SLB_VSID_SHIFT = 12;     // 256M: VSID in bits 2:51
inline constexpr unsigned SLB_VSID_SHIFT_1T = 24;  // 1T: VSID in bits 2:39
inline constexpr u64 SLB_V_VSID = 0x3FFFFFFFFFFFF000ull;
inline constexpr u64 SLB_V_KS = bit(52);
inline constexpr u64 SLB_V_KP = bit(53);
inline constexpr u64 SLB_V_N = bit(54);
inline constexpr u64 SLB_V_L = bit(55);
inline constexpr u64 SLB_V_C = bit(56);
inline constexpr u64 SLB_V_LP = u64{3} << (63 - 59);  // bits 58:59
inline constexpr u64 SLB_V_LLP = SLB_V_L | SLB_V_LP;
inline constexpr unsigned SLB_MAX = 64;

// The VRMA's segment (Book III-S 5.7.3.3): 1 TB, VSID 0x1FFFFFF, Ks=Kp=N=0.
inline constexpr u64 VRMA_VSID = 0x1FFFFFF;

struct MmuContext {
  Model model = isa::POWER9;
  u64 msr = 0;
  u64 lpcr = 0;
  u32 lpidr = 0;
  u64 sdr1 = 0;
  u64 rmor = 0;   // POWER7/8 only (ISA 3.0 removed it)
  u64 hrmor = 0;  // POWER7+ (the 970 has none)
  u64 hid4 = 0;   // PPC970 only: LPES, RMLS, RMOR
  u64 amr = 0;    // storage-key access masks: AMR from POWER7, IAMR from POWER8
  u64 iamr = 0;
  SlbEntry slb[SLB_MAX] = {};
  // Guest physical memory, real address 0 upward.  Every access checks bounds.
  u8* mem = nullptr;
  u64 mem_size = 0;
  // A hypervisor-owned HPT (src/hv) lives outside the partition's memory:
  // when htab is set, HPTE addresses (HTABORG taken as 0) index this buffer
  // instead of mem.  Null: the HPT is in mem at SDR1's HTABORG (bare machine).
  u8* htab = nullptr;
  u64 htab_bytes = 0;
};

// Model properties.
constexpr unsigned slb_entries(Model m) { return m == isa::PPC970 ? 64 : 32; }
constexpr bool has_1t_segments(Model m) { return m != isa::PPC970; }
constexpr bool has_amr(Model m) { return m >= isa::POWER7; }
constexpr bool has_iamr(Model m) { return m >= isa::POWER8; }
constexpr bool has_hrmor(Model m) { return m != isa::PPC970; }
constexpr bool is_isa300(Model m) { return m >= isa::POWER9; }

// Big-endian doubleword access to guest real memory; false if any byte is outside.
inline bool phys_in_range(const MmuContext& c, u64 ra, u64 len) {
  return c.mem != nullptr && ra < c.mem_size && c.mem_size - ra >= len;
}
inline bool phys_read_be64(const MmuContext& c, u64 ra, u64& out) {
  if (!phys_in_range(c, ra, 8)) return false;
  u64 v;
  std::memcpy(&v, c.mem + ra, 8);
  out = __builtin_bswap64(v);
  return true;
}
inline bool phys_write_be64(MmuContext& c, u64 ra, u64 val) {
  if (!phys_in_range(c, ra, 8)) return false;
  const u64 v = __builtin_bswap64(val);
  std::memcpy(c.mem + ra, &v, 8);
  return true;
}
// Host pointer for [ra, ra+len) of guest memory, or nullptr (MMIO / nothing there).
inline u8* phys_ptr(MmuContext& c, u64 ra, u64 len) { return phys_in_range(c, ra, len) ? c.mem + ra : nullptr; }

// Host pointer for an HPTE (16 bytes at addr, as pteg_address() computes it),
// in the hypervisor's table or guest memory; nullptr if out of bounds.
inline u8* hpte_ptr(const MmuContext& c, u64 addr) {
  if (c.htab) return addr < c.htab_bytes && c.htab_bytes - addr >= 16 ? c.htab + addr : nullptr;
  return phys_in_range(c, addr, 16) ? c.mem + addr : nullptr;
}

}  // namespace lpar::mmu
