// Book III-S storage translation: SLB, HPT, real mode, software TLB.
// HPTs are built by hand in a guest memory buffer (big-endian, as in memory).
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

#include "mmu/hpt.h"
#include "mmu/real_mode.h"
#include "mmu/slb.h"
#include "mmu/tlb.h"
#include "mmu/translate.h"

using namespace lpar;
using namespace lpar::mmu;

namespace {

constexpr u64 HTAB = 0x100000;  // 256 KiB table (HTABSIZE=0): 2048 PTEGs
constexpr u64 MiB = u64{1} << 20;

// SLB VSID words.
u64 vsid256(u64 vsid, u64 flags = 0) { return (vsid << SLB_VSID_SHIFT) | flags; }
u64 vsid1t(u64 vsid, u64 flags = 0) { return SLB_V_B_1T | (vsid << SLB_VSID_SHIFT_1T) | flags; }
constexpr u64 LLP_64K = SLB_V_L | (u64{1} << 4);
constexpr u64 LLP_16M = SLB_V_L;

struct Guest {
  std::vector<u8> mem = std::vector<u8>(32 * MiB);
  MmuContext c;

  explicit Guest(Model m = isa::POWER9) {
    c.model = m;
    c.mem = mem.data();
    c.mem_size = mem.size();
    c.sdr1 = HTAB;
    c.msr = MSR_SF | MSR_IR | MSR_DR;
  }
  u64 rd64(u64 a) const {
    u64 v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | mem[a + i];
    return v;
  }
  void wr64(u64 a, u64 v) {
    for (int i = 7; i >= 0; i--, v >>= 8) mem[a + i] = u8(v);
  }
  void slb(unsigned idx, u64 ea, u64 vsid_word) { REQUIRE(slbmte(c, vsid_word, (ea & SLB_ESID_MASK_256M) | SLB_ESID_V | idx)); }
  // Install an HPTE mapping ea's page (segment vsid_word) to ra with the given
  // actual page size; pte1 carries PP/N/G/key/R/C bits.  Returns its address.
  u64 map(u64 vsid_word, u64 ea, u64 ra, unsigned actual, u64 pte1_flags, bool secondary = false, unsigned slot = 0) {
    const bool t = slb_is_1t(vsid_word);
    const unsigned ss = t ? 40 : 28;
    unsigned base = slb_base_shift(c.model, vsid_word);
    if (c.lpcr & LPCR_ISL) base = 12;
    const u64 vsid = slb_vsid(vsid_word);
    const u64 off = ea & ((u64{1} << ss) - 1);
    const u64 hash = hpt_hash(vsid, t, off >> base);
    const u64 a = pteg_address(c.sdr1, secondary ? ~hash : hash) + slot * 16;
    u64 ava = ((vsid << (ss - 23)) | (off >> 23)) & ((u64{1} << 55) - 1);
    if (actual > 23) ava &= ~((u64{1} << (actual - 23)) - 1);
    u64 lp = 0;
    REQUIRE(hpte_lp_bits(c.model, base, actual, lp));
    // ISA 3.0 keeps B in doubleword 1 and only VA bits 10:54 in the AVA.
    const bool v3 = c.model >= isa::POWER9;
    const u64 b = vsid_word >> SLB_B_SHIFT;
    if (v3) ava &= (u64{1} << 45) - 1;
    const u64 p0 = (v3 ? 0 : b << 62) | (ava << 7) | (actual > 12 ? HPTE0_L : 0) | (secondary ? HPTE0_H : 0) | HPTE0_V;
    const u64 p1 = (ra & hpte_rpn_mask(c.model) & ~((u64{1} << actual) - 1)) | lp | pte1_flags |
                   (v3 ? b << HPTE1_B_V3_SHIFT : 0);
    wr64(a, p0);
    wr64(a + 8, p1);
    return a;
  }
};

}  // namespace

TEST_CASE("mmu: hash and PTEG address known values", "[mmu]") {
  // 256M: VSID 0x123456, EA 0x12345000 -> page index 0x2345 -> hash 0x121713.
  CHECK(hpt_hash(0x123456, false, 0x2345) == 0x121713);
  CHECK(pteg_address(HTAB, 0x121713) == 0x138980);
  CHECK(pteg_address(HTAB, ~u64{0x121713}) == 0x107600);
  // HTABSIZE=1 doubles the PTEG index range.
  CHECK(pteg_address(0x200000 | 1, 0xFFF) == 0x200000 + (0xFFF << 7));
  // 1T: VSID ^ VSID<<25 ^ page index, 39 bits.
  CHECK(hpt_hash(0xABCDE, true, 0x1234567) == 0x79bd29f9b9ull);
}

TEST_CASE("mmu: 4K page in a 256M segment, HPTE built from raw bytes", "[mmu]") {
  Guest g;
  g.slb(0, 0x10000000, vsid256(0x123456));
  // Written with the layout from Book III-S 5.7.7.1, independently of map().
  g.wr64(0x138980, 0x123456201ull);            // AVA, V
  g.wr64(0x138988, 0x0000000000345002ull);     // RPN 0x345000, PP=2
  TranslateResult r = translate(g.c, 0x12345678, Access::Read);
  REQUIRE(r.exc == Exc::None);
  CHECK(r.ra == 0x345678);
  CHECK(r.page_shift == 12);
  CHECK(r.from_hpt);
  // R set (bit 55) by byte store, C not set; big-endian in memory.
  CHECK(g.rd64(0x138988) == 0x0000000000345102ull);
  CHECK(g.mem[0x138988 + 6] == 0x51);
  CHECK((r.perm & PERM_W) == 0);  // until C is set
  r = translate(g.c, 0x12345000, Access::Write);
  REQUIRE(r.exc == Exc::None);
  CHECK(g.rd64(0x138988) == 0x0000000000345182ull);
  CHECK(r.perm == PERM_RWX);
  // ISA 3.0: doubleword 0 bits 0:11 are reserved (ignored by the search);
  // ISA 2.07 compares them as B and VSID bits.
  g.wr64(0x138980, 0x123456201ull | (u64{0xFFF} << 52));
  CHECK(translate(g.c, 0x12345678, Access::Read).ra == 0x345678);
  g.c.model = isa::POWER8;
  CHECK(translate(g.c, 0x12345678, Access::Read).exc == Exc::DSI);
  g.c.model = isa::POWER9;
  // A neighbouring page has no HPTE.
  r = translate(g.c, 0x12346000, Access::Read);
  CHECK(r.exc == Exc::DSI);
  CHECK(r.dsisr == DSISR_NOPTE);
  CHECK(r.dar == 0x12346000);
}

TEST_CASE("mmu: primary and secondary hash, H bit must match", "[mmu]") {
  Guest g(isa::POWER8);
  const u64 vw = vsid256(0x777);
  g.slb(3, 0x20000000, vw);
  const u64 a = g.map(vw, 0x20005000, 0x9000, 12, 2, /*secondary=*/true, 5);
  TranslateResult r = translate(g.c, 0x20005010, Access::Read);
  REQUIRE(r.exc == Exc::None);
  CHECK(r.ra == 0x9010);
  // Same HPTE with H=0 in the secondary group: not a match.
  g.wr64(a, g.rd64(a) & ~HPTE0_H);
  r = translate(g.c, 0x20005010, Access::Read);
  CHECK(r.exc == Exc::DSI);
  // Primary group, slot 7 (the last one).
  g.map(vw, 0x20005000, 0xA000, 12, 2, false, 7);
  r = translate(g.c, 0x20005010, Access::Write);
  REQUIRE(r.exc == Exc::None);
  CHECK(r.ra == 0xA010);
  // Invalid (V=0) entries are skipped.
  g.wr64(pteg_address(g.c.sdr1, hpt_hash(0x777, false, 5)) + 7 * 16, 0);
  CHECK(translate(g.c, 0x20005010, Access::Read).exc == Exc::DSI);
}

TEST_CASE("mmu: 1T segments", "[mmu]") {
  Guest g;
  const u64 ea = (u64{3} << 40) | 0x1234567000;
  const u64 vw = vsid1t(0xABCDE);
  g.slb(1, ea, vw);
  g.map(vw, ea, 0x7000, 12, 2);
  TranslateResult r = translate(g.c, ea | 0x123, Access::Read);
  REQUIRE(r.exc == Exc::None);
  CHECK(r.ra == 0x7123);
  CHECK(r.seg_b == 1);
  // Another ESID inside the same 1T segment uses the same SLB entry.
  CHECK(slb_lookup(g.c, (u64{3} << 40) | 0xFF00000000) == &g.c.slb[1]);
  CHECK(slb_lookup(g.c, u64{4} << 40) == nullptr);
  // The HPTE's B must match the segment's: a 256M-segment HPTE never matches.
  // ISA 3.0 keeps B in doubleword 1 bits 4:5.
  const u64 hash = hpt_hash(0xABCDE, true, 0x1234567);
  const u64 a = pteg_address(g.c.sdr1, hash);
  CHECK((g.rd64(a) >> 62) == 0);
  CHECK(((g.rd64(a + 8) >> 58) & 3) == 1);
  g.wr64(a + 8, g.rd64(a + 8) & ~HPTE1_B_V3);
  CHECK(translate(g.c, ea, Access::Read).exc == Exc::DSI);
  // POWER8 (ISA 2.07) keeps B in doubleword 0 bits 0:1.
  Guest p8(isa::POWER8);
  p8.slb(1, ea, vw);
  const u64 a8 = p8.map(vw, ea, 0x7000, 12, 2);
  CHECK((p8.rd64(a8) >> 62) == 1);
  CHECK(translate(p8.c, ea, Access::Read).ra == 0x7000);
  p8.wr64(a8, p8.rd64(a8) & ~HPTE0_B);
  CHECK(translate(p8.c, ea, Access::Read).exc == Exc::DSI);
  // 16M page in a 1T segment.
  const u64 ea2 = (u64{3} << 40) | 0x2000000000;
  Guest h;
  const u64 vw2 = vsid1t(0x55, LLP_16M);
  h.slb(0, ea2, vw2);
  h.map(vw2, ea2, 0x1000000, 24, 2);
  r = translate(h.c, ea2 | 0xABCDEF, Access::Read);
  REQUIRE(r.exc == Exc::None);
  CHECK(r.ra == 0x1ABCDEF);
  CHECK(r.page_shift == 24);
}

TEST_CASE("mmu: 64K and 16M pages, MPSS", "[mmu]") {
  SECTION("64K base 64K") {
    Guest g(isa::POWER8);
    const u64 vw = vsid256(0x4321, LLP_64K);
    g.slb(0, 0x30000000, vw);
    g.map(vw, 0x30050000, 0x120000, 16, 2);
    TranslateResult r = translate(g.c, 0x3005FFF8, Access::Read);
    REQUIRE(r.exc == Exc::None);
    CHECK(r.ra == 0x12FFF8);
    CHECK(r.page_shift == 16);
    // The LP code is 0b0001 in RPN bits 48:51.
    const u64 a = pteg_address(g.c.sdr1, hpt_hash(0x4321, false, 0x5));
    CHECK((g.rd64(a + 8) & 0xF000) == 0x1000);
    // The same HPTE with L=0 does not map a 64K-base segment.
    g.wr64(a, g.rd64(a) & ~HPTE0_L);
    CHECK(translate(g.c, 0x30050000, Access::Read).exc == Exc::DSI);
  }
  SECTION("64K actual in a 4K-base segment (MPSS)") {
    Guest g(isa::POWER9);
    const u64 vw = vsid256(0x99);
    g.slb(0, 0x40000000, vw);
    // The hash uses the base (4K) page index: hash each 4K page of the 64K page.
    const u64 a = g.map(vw, 0x40070000, 0x230000, 16, 2);
    CHECK((g.rd64(a + 8) & 0xF000) == 0x7000);
    TranslateResult r = translate(g.c, 0x40070ABC, Access::Read);
    REQUIRE(r.exc == Exc::None);
    CHECK(r.ra == 0x230ABC);
    CHECK(r.page_shift == 16);
  }
  SECTION("16M base 16M in a 256M segment") {
    Guest g(isa::POWER7);
    const u64 vw = vsid256(0x1234, LLP_16M);
    g.slb(0, 0x50000000, vw);
    g.map(vw, 0x51000000, 0x1000000, 24, 2);
    // EA bit 0x800000 (AVA's last bit) is inside the page: ignored in the compare.
    TranslateResult r = translate(g.c, 0x51FEDCBA, Access::Read);
    REQUIRE(r.exc == Exc::None);
    CHECK(r.ra == 0x1FEDCBA);
    CHECK(r.page_shift == 24);
    CHECK(translate(g.c, 0x52000000, Access::Read).exc == Exc::DSI);
  }
  SECTION("970: 16M large pages, no 64K") {
    Guest g(isa::PPC970);
    CHECK(slb_base_shift(isa::PPC970, LLP_64K) == 0);
    CHECK_FALSE(slbmte(g.c, vsid256(1, LLP_64K), 0x10000000 | SLB_ESID_V));
    const u64 vw = vsid256(0x2222, LLP_16M);
    g.slb(63, 0x60000000, vw);  // the 970 has 64 SLB entries
    g.map(vw, 0x60000000, 0x1000000, 24, 2);
    TranslateResult r = translate(g.c, 0x60123456, Access::Read);
    REQUIRE(r.exc == Exc::None);
    CHECK(r.ra == 0x1123456);
  }
  SECTION("LPCR[ISL] hashes with 4K pages") {
    Guest g(isa::POWER8);
    g.c.lpcr = LPCR_ISL;
    const u64 vw = vsid256(0x31, LLP_64K);
    g.slb(0, 0x30000000, vw);
    g.map(vw, 0x30010000, 0x40000, 12, 2);  // placed with the 4K hash
    TranslateResult r = translate(g.c, 0x30010004, Access::Read);
    REQUIRE(r.exc == Exc::None);
    CHECK(r.ra == 0x40004);
  }
}

TEST_CASE("mmu: PP protection with Ks/Kp and MSR[PR]", "[mmu]") {
  Guest g;
  const u64 vw = vsid256(0x600, SLB_V_KP);  // Ks=0 (supervisor key 0), Kp=1
  g.slb(0, 0, vw);
  struct Case { unsigned pp; u8 sup, prob; };
  // Book III-S 5.7.13.1 Table "PP bits"; pp is PP0||PP.
  const Case cases[] = {
      {0, PERM_R | PERM_W, 0}, {1, PERM_R | PERM_W, PERM_R}, {2, PERM_R | PERM_W, PERM_R | PERM_W},
      {3, PERM_R, PERM_R}, {6, PERM_R, 0}, {4, 0, 0},
  };
  for (const Case& k : cases) {
    INFO("pp=" << k.pp);
    const u64 pte1 = (k.pp & 3) | ((k.pp & 4) ? HPTE1_PP0 : 0) | HPTE1_C;
    g.map(vw, 0x8000, 0x8000, 12, pte1);
    for (int pr = 0; pr < 2; pr++) {
      g.c.msr = MSR_SF | MSR_IR | MSR_DR | (pr ? MSR_PR : 0);
      const u8 want = pr ? k.prob : k.sup;
      TranslateResult r = translate(g.c, 0x8010, Access::Read);
      CHECK((r.exc == Exc::None) == bool(want & PERM_R));
      if (r.exc != Exc::None) CHECK(r.dsisr == DSISR_PROT);
      r = translate(g.c, 0x8010, Access::Write);
      CHECK((r.exc == Exc::None) == bool(want & PERM_W));
      if (r.exc != Exc::None) CHECK(r.dsisr == (DSISR_PROT | DSISR_STORE));
    }
  }
  // Fetch denied by PP: SRR1[36].
  g.map(vw, 0x8000, 0x8000, 12, 0);
  g.c.msr = MSR_SF | MSR_IR | MSR_DR | MSR_PR;
  TranslateResult r = translate(g.c, 0x8000, Access::Exec);
  CHECK(r.exc == Exc::ISI);
  CHECK(r.srr1 == SRR1_ISI_PROT);
}

TEST_CASE("mmu: no-execute pages, segments and guarded storage", "[mmu]") {
  Guest g;
  const u64 vw = vsid256(0x700);
  g.slb(0, 0, vw);
  g.map(vw, 0x1000, 0x1000, 12, 2 | HPTE1_N);
  g.map(vw, 0x2000, 0x2000, 12, 2 | HPTE1_G);
  g.map(vw, 0x3000, 0x3000, 12, 2);
  TranslateResult r = translate(g.c, 0x1000, Access::Exec);
  CHECK(r.exc == Exc::ISI);
  CHECK(r.srr1 == SRR1_ISI_NOEXEC);
  CHECK(translate(g.c, 0x1000, Access::Read).exc == Exc::None);  // N only stops fetches
  CHECK(translate(g.c, 0x2000, Access::Exec).srr1 == SRR1_ISI_NOEXEC);
  r = translate(g.c, 0x3000, Access::Exec);
  REQUIRE(r.exc == Exc::None);
  CHECK(r.ra == 0x3000);
  // Segment N: fetch fails before the HPT is consulted (even with no HPTE).
  g.slb(0, 0, vsid256(0x700, SLB_V_N));
  r = translate(g.c, 0x3000, Access::Exec);
  CHECK(r.exc == Exc::ISI);
  CHECK(r.srr1 == SRR1_ISI_NOEXEC);
  CHECK(translate(g.c, 0x5000, Access::Exec).srr1 == SRR1_ISI_NOEXEC);
  CHECK(translate(g.c, 0x5000, Access::Read).dsisr == DSISR_NOPTE);
}

TEST_CASE("mmu: segment faults and HPT misses, DSI vs HDSI", "[mmu]") {
  Guest g(isa::POWER8);
  TranslateResult r = translate(g.c, 0x12345678, Access::Write);
  CHECK(r.exc == Exc::DSegI);
  CHECK(r.dar == 0x12345678);
  r = translate(g.c, 0x12345678, Access::Exec);
  CHECK(r.exc == Exc::ISegI);
  const u64 vw = vsid256(0x800, SLB_V_KS);
  g.slb(0, 0x10000000, vw);
  r = translate(g.c, 0x10000008, Access::Write);
  CHECK(r.exc == Exc::DSI);
  CHECK(r.dsisr == (DSISR_NOPTE | DSISR_STORE));
  r = translate(g.c, 0x10000008, Access::Exec);
  CHECK(r.exc == Exc::ISI);
  CHECK(r.srr1 == SRR1_ISI_NOPTE);
  // LPCR[VPM1], guest: the hypervisor takes it, with ASDR = the segment.
  g.c.lpcr = LPCR_VPM1;
  r = translate(g.c, 0x10000008, Access::Read);
  CHECK(r.exc == Exc::HDSI);
  CHECK(r.dar == 0x10000008);
  CHECK(r.dsisr == DSISR_NOPTE);
  CHECK(r.asdr == vw);
  CHECK(translate(g.c, 0x10000008, Access::Exec).exc == Exc::HISI);
  // Segment faults still go to the OS.
  CHECK(translate(g.c, 0x90000000, Access::Read).exc == Exc::DSegI);
  // In hypervisor state VPM1 does not apply.
  g.c.msr |= MSR_HV;
  CHECK(translate(g.c, 0x10000008, Access::Read).exc == Exc::DSI);
  // The 970 has no VPM.
  Guest h(isa::PPC970);
  h.c.lpcr = LPCR_VPM1;
  h.slb(0, 0, vsid256(1));
  CHECK(translate(h.c, 0x10, Access::Read).exc == Exc::DSI);
}

TEST_CASE("mmu: storage keys against AMR and IAMR", "[mmu]") {
  const u64 key5 = (u64{0} << 60) | (u64{5} << (63 - 54));  // Key[2:4]=0b101 -> key 5
  const u64 key17 = (u64{2} << 60) | (u64{1} << (63 - 54));  // Key[0:1]=0b10, Key[2:4]=1 -> 17
  CHECK(hpte_key(key5) == 5);
  CHECK(hpte_key(key17) == 17);
  Guest g(isa::POWER8);
  const u64 vw = vsid256(0x900);
  g.slb(0, 0, vw);
  g.map(vw, 0x4000, 0x4000, 12, 2 | HPTE1_C | key5);
  g.c.amr = u64{2} << (62 - 2 * 5);  // AMR[10]: store disable for key 5
  CHECK(translate(g.c, 0x4000, Access::Read).exc == Exc::None);
  TranslateResult r = translate(g.c, 0x4000, Access::Write);
  CHECK(r.exc == Exc::DSI);
  CHECK(r.dsisr == (DSISR_KEY | DSISR_STORE));
  g.c.amr = u64{1} << (62 - 2 * 5);  // AMR[11]: load disable
  CHECK(translate(g.c, 0x4000, Access::Read).dsisr == DSISR_KEY);
  CHECK(translate(g.c, 0x4000, Access::Write).exc == Exc::None);
  g.c.amr = ~u64{0} & ~(u64{3} << (62 - 2 * 5));  // every other key disabled
  CHECK(translate(g.c, 0x4000, Access::Write).exc == Exc::None);
  g.c.amr = 0;
  g.c.iamr = u64{1} << (62 - 2 * 5);  // IAMR[11]: no fetch
  r = translate(g.c, 0x4000, Access::Exec);
  CHECK(r.exc == Exc::ISI);
  CHECK(r.srr1 == SRR1_ISI_KEY);
  // POWER7 has the AMR but no IAMR; the 970 has neither.
  g.c.model = isa::POWER7;
  CHECK(translate(g.c, 0x4000, Access::Exec).exc == Exc::None);
  g.c.model = isa::PPC970;
  g.c.amr = ~u64{0};
  CHECK(translate(g.c, 0x4000, Access::Write).exc == Exc::None);
}

TEST_CASE("mmu: hypervisor real mode and HRMOR", "[mmu]") {
  Guest g(isa::POWER9);
  g.c.msr = MSR_SF | MSR_HV;
  g.c.hrmor = 0x40000000;
  TranslateResult r = translate(g.c, 0x1234, Access::Read);
  REQUIRE(r.exc == Exc::None);
  CHECK(r.ra == 0x40001234);
  // EA[0]=1: HRMOR not applied; EA[1:3] ignored.
  CHECK(translate(g.c, 0xF000000000001234ull, Access::Exec).ra == 0x1234);
  CHECK(translate(g.c, 0x7000000000001234ull, Access::Write).ra == 0x40001234);
  // Data relocation on, fetch off: only fetches are real.
  g.c.msr |= MSR_DR;
  CHECK(translate(g.c, 0x1234, Access::Exec).ra == 0x40001234);
  CHECK(translate(g.c, 0x1234, Access::Read).exc == Exc::DSegI);
  // The 970 has no HRMOR.
  g.c.model = isa::PPC970;
  g.c.msr = MSR_SF | MSR_HV;
  CHECK(translate(g.c, 0x1234, Access::Read).ra == 0x1234);
}

TEST_CASE("mmu: PPC970 RMO from HID4 and the RMLS limit", "[mmu]") {
  Guest g(isa::PPC970);
  g.c.msr = MSR_SF;  // HV=0, real mode
  // RMLS=0b011 (64 MB): RMLS[1:2] in HID4 bits 1:2; RMOR=2 (128 MB) in bits 7:22.
  g.c.hid4 = (u64{3} << HID4_RMLS12_SHIFT) | (u64{2} << HID4_RMOR_SHIFT);
  TranslateResult r = translate(g.c, 0x3FFFFF8, Access::Read);
  REQUIRE(r.exc == Exc::None);
  CHECK(r.ra == 0x8000000 + 0x3FFFFF8);
  r = translate(g.c, 0x4000000, Access::Read);
  CHECK(r.exc == Exc::DSI);
  CHECK(r.dsisr == DSISR_PROT);
  CHECK(r.dar == 0x4000000);
  CHECK(translate(g.c, 0x4000000, Access::Write).dsisr == (DSISR_PROT | DSISR_STORE));
  r = translate(g.c, 0x4000000, Access::Exec);
  CHECK(r.exc == Exc::ISI);
  CHECK(r.srr1 == SRR1_ISI_PROT);
  // RMLS=0b100 (256 MB): the top bit is HID4 bit 58.
  g.c.hid4 = HID4_RMLS0;
  CHECK(translate(g.c, 0xFFFFFFF, Access::Read).exc == Exc::None);
  CHECK(translate(g.c, 0x10000000, Access::Read).exc == Exc::DSI);
  // The same access in hypervisor state is not limited.
  g.c.msr |= MSR_HV;
  CHECK(translate(g.c, 0x10000000, Access::Read).ra == 0x10000000);
  CHECK(rmls_limit(isa::PPC970, 8) == 0);
  CHECK(rmls_limit(isa::POWER7, 8) == 32 * MiB);
}

TEST_CASE("mmu: POWER7 RMO from LPCR[RMLS] and RMOR", "[mmu]") {
  Guest g(isa::POWER7);
  g.c.msr = MSR_SF;
  g.c.lpcr = u64{2} << LPCR_RMLS_SHIFT;  // 1 GB
  g.c.rmor = 0x80000000;
  CHECK(translate(g.c, 0x3FFFFFFF, Access::Read).ra == 0xBFFFFFFF);
  CHECK(translate(g.c, 0x40000000, Access::Read).exc == Exc::DSI);
}

TEST_CASE("mmu: VRMA on POWER8 and POWER9", "[mmu]") {
  Guest g(isa::POWER8);
  g.c.msr = MSR_SF;  // guest real mode
  g.c.lpcr = LPCR_VPM0 | (u64{0x10} << LPCR_VRMASD_SHIFT);  // 16M pages
  const u64 vw = vrma_vsid_word(g.c);
  CHECK(vw == (SLB_V_B_1T | (u64{0x1FFFFFF} << 24) | SLB_V_L));
  g.map(vw, 0x0, 0x1000000, 24, 2);  // VRMA page 0 -> 16M
  g.map(vw, 0x1000000, 0x0, 24, 2);  // VRMA page 1 -> 0
  TranslateResult r = translate(g.c, 0x123456, Access::Read);
  REQUIRE(r.exc == Exc::None);
  CHECK(r.ra == 0x1123456);
  CHECK(r.from_hpt);
  CHECK_FALSE(r.from_slb);
  CHECK(translate(g.c, 0x1000010, Access::Exec).ra == 0x10);
  // EA[0:3] are ignored.
  CHECK(translate(g.c, 0xC000000000123456ull, Access::Read).ra == 0x1123456);
  // No HPTE: HDSI / HISI to the hypervisor.
  r = translate(g.c, 0x2000000, Access::Write);
  CHECK(r.exc == Exc::HDSI);
  CHECK(r.dar == 0x2000000);
  CHECK(r.dsisr == (DSISR_NOPTE | DSISR_STORE));
  CHECK(translate(g.c, 0x2000000, Access::Exec).exc == Exc::HISI);
  // Without VPM0 POWER8 uses the RMO (RMLS=0 here is 256 GB).
  g.c.lpcr = u64{0x10} << LPCR_VRMASD_SHIFT;
  CHECK(translate(g.c, 0x123456, Access::Read).ra == 0x123456);
  // POWER9 always uses the VRMA (no VPM0), with ISA 3.0 HPTEs.
  Guest h(isa::POWER9);
  h.c.msr = MSR_SF;
  h.c.lpcr = u64{0x10} << LPCR_VRMASD_SHIFT;
  h.map(vrma_vsid_word(h.c), 0x0, 0x1000000, 24, 2);
  CHECK(translate(h.c, 0x123456, Access::Read).ra == 0x1123456);
  // An unimplemented VRMASD is a machine check.
  h.c.lpcr = u64{0x13} << LPCR_VRMASD_SHIFT;
  CHECK(translate(h.c, 0x123456, Access::Read).exc == Exc::MachineCheck);
}

TEST_CASE("mmu: SLB instructions", "[mmu]") {
  Guest g(isa::POWER9);
  const u64 vw = vsid256(0xABC, SLB_V_KP | SLB_V_C);
  REQUIRE(slbmte(g.c, vw, 0x10000000 | SLB_ESID_V | 5));
  u64 rt = 0;
  REQUIRE(slbmfee(g.c, 5, rt));
  CHECK(rt == (0x10000000 | SLB_ESID_V));
  REQUIRE(slbmfev(g.c, 5, rt));
  CHECK(rt == vw);
  CHECK_FALSE(slbmfee(g.c, 32, rt));  // 32 entries on POWER9
  CHECK_FALSE(slbmte(g.c, vw, 0x10000000 | SLB_ESID_V | 32));
  CHECK_FALSE(slbmte(g.c, vw | (u64{2} << 62), 0x10000000 | SLB_ESID_V | 1));  // reserved B
  CHECK_FALSE(slbmte(g.c, vw, 0x10000000 | SLB_ESID_V | 0x1000 | 1));  // reserved RB bit 51
  CHECK(slbfee(g.c, 0x1FFFFFF8, rt));
  CHECK(rt == vw);
  CHECK_FALSE(slbfee(g.c, 0x20000000, rt));
  CHECK(rt == 0);
  // 970: 1T segments rejected.
  Guest h(isa::PPC970);
  CHECK_FALSE(slbmte(h.c, vsid1t(1), SLB_ESID_V));
  CHECK(slbmte(h.c, vsid256(1), SLB_ESID_V | 40));

  // slbie: the B in RB[37:38] must match.
  REQUIRE(slbmte(g.c, vsid1t(0x77), (u64{5} << 40) | SLB_ESID_V | 6));
  CHECK_FALSE(slbie(g.c, u64{5} << 40));          // B=256M: no 256M entry there
  CHECK(slbie(g.c, (u64{5} << 40) | (u64{1} << 25)));  // B=1T
  CHECK(slb_lookup(g.c, u64{5} << 40) == nullptr);
  CHECK(slbie(g.c, 0x10000000));
  CHECK(slb_lookup(g.c, 0x10000000) == nullptr);

  // slbia: IH=0 keeps entry 0; ISA 3.0 IH=3 only class 1 (entry 0 included), IH=4 all.
  auto fill = [&] {
    REQUIRE(slbmte(g.c, vsid256(1, SLB_V_C), 0x00000000 | SLB_ESID_V | 0));
    REQUIRE(slbmte(g.c, vsid256(2, SLB_V_C), 0x10000000 | SLB_ESID_V | 1));
    REQUIRE(slbmte(g.c, vsid256(3), 0x20000000 | SLB_ESID_V | 2));
    REQUIRE(slbmte(g.c, vsid256(4, SLB_V_C), 0x30000000 | SLB_ESID_V | 3));
  };
  fill();
  CHECK(slbia(g.c, 0) == 3);
  CHECK(slb_lookup(g.c, 0x0) == &g.c.slb[0]);
  CHECK(slb_lookup(g.c, 0x10000000) == nullptr);
  fill();
  CHECK(slbia(g.c, 3) == 3);
  CHECK(slb_lookup(g.c, 0x0) == nullptr);
  CHECK(slb_lookup(g.c, 0x20000000) != nullptr);
  CHECK(slb_lookup(g.c, 0x30000000) == nullptr);
  fill();
  CHECK(slbia(g.c, 7) == 0);
  CHECK(slbia(g.c, 4) == 4);
  CHECK(slb_lookup(g.c, 0x0) == nullptr);
  // Before ISA 3.0 IH=4 still keeps entry 0.
  g.c.model = isa::POWER8;
  fill();
  CHECK(slbia(g.c, 4) == 3);
}

TEST_CASE("mmu: guest addresses outside memory never reach the host", "[mmu]") {
  Guest g;
  g.c.sdr1 = 0x0FFFFFFFFFFC0000ull | 0x1F;  // HTAB far outside the 32 MiB buffer
  const u64 vw = vsid256(0x5);
  g.slb(0, 0, vw);
  CHECK(translate(g.c, 0x1000, Access::Read).exc == Exc::DSI);
  // An HPTE straddling the end of memory reads as invalid.
  u64 v;
  CHECK_FALSE(phys_read_be64(g.c, g.c.mem_size - 4, v));
  CHECK_FALSE(phys_read_be64(g.c, ~u64{0} - 3, v));
  CHECK(phys_ptr(g.c, g.c.mem_size - 8, 8) != nullptr);
  CHECK(phys_ptr(g.c, g.c.mem_size - 8, 9) == nullptr);
  // An HTAB whose last PTEG is the last 128 bytes of memory works.
  g.c.sdr1 = g.c.mem_size - (u64{256} << 10);
  g.map(vw, 0x1000, 0x2000, 12, 2);
  CHECK(translate(g.c, 0x1000, Access::Read).ra == 0x2000);
}

TEST_CASE("mmu: software TLB hits, R/C and tagging by LPID and mode", "[mmu]") {
  Guest g;
  SoftTlb tlb;
  const u64 vw = vsid256(0x111);
  g.slb(0, 0, vw);
  const u64 a = g.map(vw, 0x5000, 0x6000, 12, 2);
  g.c.lpidr = 1;
  TranslateResult r = tlb.translate(g.c, 0x5008, Access::Read);
  REQUIRE(r.exc == Exc::None);
  CHECK(r.ra == 0x6008);
  CHECK(tlb.valid_count() == 1);
  // A hit does not re-read the HPT: a changed RPN is not seen until tlbie.
  g.wr64(a + 8, (g.rd64(a + 8) & ~HPTE1_RPN) | 0x7000);
  CHECK(tlb.translate(g.c, 0x5010, Access::Read).ra == 0x6010);
  // The first store misses (C not yet set), translates and sets C.
  CHECK((g.rd64(a + 8) & HPTE1_C) == 0);
  r = tlb.translate(g.c, 0x5010, Access::Write);
  REQUIRE(r.exc == Exc::None);
  CHECK(r.ra == 0x7010);
  CHECK((g.rd64(a + 8) & HPTE1_C) != 0);
  // Partition switch: LPID 2 has its own HPT view; LPID 1's entry survives.
  g.c.lpidr = 2;
  CHECK(tlb.lookup(g.c, 0x5000, Access::Read) == nullptr);
  g.c.sdr1 = 0x200000;  // another HPT, empty
  CHECK(tlb.translate(g.c, 0x5000, Access::Read).exc == Exc::DSI);
  g.c.lpidr = 1;
  g.c.sdr1 = HTAB;
  REQUIRE(tlb.lookup(g.c, 0x5000, Access::Read) != nullptr);
  CHECK(tlb.translate(g.c, 0x5000, Access::Write).ra == 0x7000);
  // Problem state is a different mode tag.
  g.c.msr |= MSR_PR;
  CHECK(tlb.lookup(g.c, 0x5000, Access::Read) == nullptr);
  g.c.msr &= ~MSR_PR;
  // AMR changes take effect on hits (no flush needed).
  const u64 k = g.rd64(a + 8) | (u64{3} << (63 - 54));  // key 3
  g.wr64(a + 8, k);
  CHECK(tlb.tlbie(1, va64(0x111, false, 0x5000)) == 1);
  CHECK(tlb.translate(g.c, 0x5000, Access::Write).exc == Exc::None);
  g.c.amr = u64{2} << (62 - 6);
  CHECK(tlb.translate(g.c, 0x5000, Access::Write).exc == Exc::DSI);
  CHECK(tlb.translate(g.c, 0x5000, Access::Read).exc == Exc::None);
  // Many pages of LPID 1 (hypervisor real mode): none is visible to LPID 2.
  g.c.msr = MSR_SF | MSR_HV;
  for (u64 p = 0; p < 64; p++) REQUIRE(tlb.translate(g.c, p << 12, Access::Read).exc == Exc::None);
  unsigned seen = 0;
  for (u32 lpid = 2; lpid < 4096; lpid++) {
    g.c.lpidr = lpid;
    for (u64 p = 0; p < 64; p++) seen += tlb.lookup(g.c, p << 12, Access::Read) != nullptr;
  }
  CHECK(seen == 0);
  g.c.lpidr = 1;
  g.c.msr = MSR_SF | MSR_IR | MSR_DR;
  // A fault is not cached.
  g.c.amr = 0;
  CHECK(tlb.translate(g.c, 0x9000, Access::Read).exc == Exc::DSI);
  CHECK(tlb.lookup(g.c, 0x9000, Access::Read) == nullptr);
}

TEST_CASE("mmu: tlbie removes exactly the addressed translation", "[mmu]") {
  Guest g;
  SoftTlb tlb;
  const u64 vw = vsid256(0x222);
  g.slb(0, 0x10000000, vw);
  g.map(vw, 0x10001000, 0x1000, 12, 2);
  g.map(vw, 0x10002000, 0x2000, 12, 2);
  // A 16M page in another segment, touched at two 4K pages.
  const u64 vw16 = vsid256(0x333, LLP_16M);
  g.slb(1, 0x20000000, vw16);
  g.map(vw16, 0x21000000, 0x1000000, 24, 2);
  for (u32 lpid : {1u, 2u}) {
    g.c.lpidr = lpid;
    REQUIRE(tlb.translate(g.c, 0x10001000, Access::Read).exc == Exc::None);
    REQUIRE(tlb.translate(g.c, 0x10002000, Access::Read).exc == Exc::None);
    REQUIRE(tlb.translate(g.c, 0x21000000, Access::Read).exc == Exc::None);
    REQUIRE(tlb.translate(g.c, 0x21FFF000, Access::Read).exc == Exc::None);
  }
  CHECK(tlb.valid_count() == 8);
  // tlbie RB for VSID 0x222, page 0x1000, B=256M, L=0.
  const u64 rb = va64(0x222, false, 0x1000);
  CHECK(tlb.tlbie(1, rb) == 1);
  g.c.lpidr = 1;
  CHECK(tlb.lookup(g.c, 0x10001000, Access::Read) == nullptr);
  CHECK(tlb.lookup(g.c, 0x10002000, Access::Read) != nullptr);
  g.c.lpidr = 2;
  CHECK(tlb.lookup(g.c, 0x10001000, Access::Read) != nullptr);
  // Wrong segment size in RB: nothing.
  CHECK(tlb.tlbie(2, rb | (1 << 8)) == 0);
  // Any address inside the 16M page invalidates both of its 4K entries.
  CHECK(tlb.tlbie(2, va64(0x333, false, 0x1800000) | 1) == 2);
  CHECK(tlb.valid_count() == 5);
  // slbie removes that segment's entries of the current partition only.
  CHECK(tlb.slbie(1, 0x10000000) == 1);
  CHECK(tlb.slbie(1, 0x20000000) == 2);
  CHECK(tlb.valid_count() == 2);
  CHECK(tlb.invalidate_lpid(2) == 2);
  CHECK(tlb.valid_count() == 0);
  // Real-mode entries are not SLB-derived: slbia keeps them; flush_all does not.
  g.c.msr = MSR_SF | MSR_HV;
  REQUIRE(tlb.translate(g.c, 0x3000, Access::Read).exc == Exc::None);
  CHECK(tlb.slbia(2) == 0);
  CHECK(tlb.tlbie(2, 0x3000) == 0);
  tlb.flush_all();
  CHECK(tlb.valid_count() == 0);
}

TEST_CASE("mmu: glue for MemoryBackend::fill", "[mmu]") {
  Guest g;
  const u64 vw = vsid256(0x444);
  g.slb(0, 0, vw);
  g.map(vw, 0x7000, 0x3000, 12, 2);
  auto s = std::make_unique<CpuState>();
  TranslateResult r = translate(g.c, 0x7123, Access::Read);
  uintptr_t addend = 0;
  REQUIRE(host_addend(g.c, 0x7123, r, &addend));
  CHECK(reinterpret_cast<u8*>(0x7123 + addend) == g.mem.data() + 0x3123);
  // A real page beyond RAM gives no host pointer.
  g.map(vw, 0x8000, 0x40000000, 12, 2);
  r = translate(g.c, 0x8000, Access::Read);
  REQUIRE(r.exc == Exc::None);
  CHECK(r.ra == 0x40000000);
  CHECK_FALSE(host_addend(g.c, 0x8000, r, &addend));
  // Faults land in exc / exc_reason / exc_addr.
  r = translate(g.c, 0x9000, Access::Write);
  record_fault(*s, r);
  CHECK(s->exc == Exc::DSI);
  CHECK(s->exc_reason == (DSISR_NOPTE | DSISR_STORE));
  CHECK(s->exc_addr == 0x9000);
  r = translate(g.c, 0x9000, Access::Exec);
  record_fault(*s, r);
  CHECK(s->exc == Exc::ISI);
  CHECK(s->exc_reason == u32(SRR1_ISI_NOPTE));
}
