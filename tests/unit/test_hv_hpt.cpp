// The hypervisor's HPT: allocation, the page-frame-table hcalls, the VRMA and
// resize.  Entries are checked by translating through src/mmu with an
// MmuContext pointed at the hypervisor's table (MmuContext::htab).
#include <catch2/catch.hpp>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "hv/hcall_mmu.h"
#include "hv/hpt_resize.h"
#include "mmu/slb.h"
#include "mmu/tlb.h"
#include "mmu/translate.h"

using namespace lpar;
using namespace lpar::hv;
using namespace lpar::mmu;

namespace {

constexpr u64 MiB = u64{1} << 20;
constexpr u64 RAM = 1024 * MiB;  // what ram_ok accepts

u64 vsid256(u64 vsid, u64 flags = 0) { return (vsid << SLB_VSID_SHIFT) | flags; }
u64 vsid1t(u64 vsid, u64 flags = 0) { return SLB_V_B_1T | (vsid << SLB_VSID_SHIFT_1T) | flags; }
constexpr u64 LLP_64K = SLB_V_L | (u64{1} << 4);
constexpr u64 LLP_16M = SLB_V_L;
constexpr u64 PP_RW = 2;  // PP=0b010: read/write for both keys

struct Hv {
  Htab t;
  HcallMmu c;
  std::vector<u64> rbs;  // invalidations seen
  std::vector<std::pair<u64, u64>> zeroed;
  mmu::SoftTlb* tlb = nullptr;  // when set, invalidations go to it (LPID 1)

  explicit Hv(Model m = isa::POWER8, unsigned order = 18, bool with_zero = true) {
    REQUIRE(t.allocate(order) == 0);
    c.htab = &t;
    c.model = m;
    c.opaque = this;
    c.ram_ok = [](void*, u64 ra, u64 len) { return ra < RAM && RAM - ra >= len; };
    c.invalidate = [](void* o, u64 rb) {
      auto* h = static_cast<Hv*>(o);
      h->rbs.push_back(rb);
      if (h->tlb) h->tlb->tlbie(1, rb);
    };
    if (with_zero)
      c.zero_page = [](void* o, u64 ra, u64 len) {
        static_cast<Hv*>(o)->zeroed.emplace_back(ra, len);
        return true;
      };
  }

  // An MmuContext translating through the hypervisor's table.
  MmuContext mmu() const {
    MmuContext m;
    m.model = c.model;
    m.htab = const_cast<u8*>(t.data());
    m.htab_bytes = t.bytes();
    m.sdr1 = t.sdr1_value();
    m.msr = MSR_SF | MSR_IR | MSR_DR;
    m.lpidr = 1;
    return m;
  }
};

// A page to map: segment, EA, RA, actual size, and the PAPR-format HPTE and
// primary/secondary PTEG index that H_ENTER wants.
struct Page {
  u64 vsid_word, ea, ra;
  unsigned actual;
  bool secondary = false, bolted = false;
  u64 pteh = 0, ptel = 0, pteg_ptex = 0;
};

Page page(const Hv& h, u64 vsid_word, u64 ea, u64 ra, unsigned actual, bool secondary = false, bool bolted = false,
          u64 pte1_flags = PP_RW | HPTE1_M) {
  Page p{vsid_word, ea, ra, actual, secondary, bolted};
  const bool t = slb_is_1t(vsid_word);
  const unsigned ss = t ? 40 : 28;
  const unsigned base = slb_base_shift(h.c.model, vsid_word);
  REQUIRE(base != 0);
  const u64 vsid = slb_vsid(vsid_word);
  const u64 off = ea & ((u64{1} << ss) - 1);
  const u64 hash = hpt_hash(vsid, t, off >> base);
  p.pteg_ptex = ((secondary ? ~hash : hash) & h.t.hash_mask()) * 8;
  u64 ava = ((vsid << (ss - 23)) | (off >> 23)) & ((u64{1} << 55) - 1);
  if (actual > 23) ava &= ~((u64{1} << (actual - 23)) - 1);
  u64 lp = 0;
  REQUIRE(hpte_lp_bits(h.c.model, base, actual, lp));
  p.pteh = (u64(t) << 62) | (ava << 7) | (actual > 12 ? HPTE0_L : 0) | (secondary ? HPTE0_H : 0) |
           (bolted ? HPTE0_BOLTED : 0) | HPTE0_V;
  p.ptel = (ra & ~((u64{1} << actual) - 1)) | lp | pte1_flags;
  return p;
}

u64 enter(Hv& h, const Page& p, u64 flags = 0, u64 slot = 0) {
  u64 rets[4] = {~u64{0}};
  REQUIRE(h_enter(h.c, flags, p.pteg_ptex + slot, p.pteh, p.ptel, rets) == H_SUCCESS);
  return rets[0];
}

// Translate p.ea + off through the table (hpt_search on the page's segment).
HptMatch find(const Hv& h, const Page& p, u64 off = 0) {
  const MmuContext m = h.mmu();
  return hpt_search(m, p.vsid_word, p.ea + off);
}

std::vector<u8> snapshot(const Htab& t) { return std::vector<u8>(t.data(), t.data() + t.bytes()); }

}  // namespace

// ---------------------------------------------------------------- Htab

TEST_CASE("hv-hpt: Htab allocate follows KVM_PPC_ALLOCATE_HTAB", "[hv-hpt]") {
  Htab t;
  CHECK_FALSE(t.allocated());
  CHECK(t.sdr1_value() == 0);
  CHECK(t.allocate(17) == -EINVAL);
  CHECK(t.allocate(47) == -EINVAL);
  CHECK_FALSE(t.allocated());
  REQUIRE(t.allocate(18) == 0);
  CHECK(t.bytes() == 256 * 1024);
  CHECK(t.order() == 18);
  CHECK(t.pteg_count() == 2048);
  CHECK(t.hpte_count() == 16384);
  CHECK(t.hash_mask() == 2047);
  CHECK(t.sdr1_value() == 0);  // HTABORG 0, HTABSIZE 0
  for (u64 i = 0; i < t.bytes(); i += 4096) REQUIRE(t.data()[i] == 0);

  // Big-endian in the table, bounds-checked.
  REQUIRE(t.write_hpte(5, 0x0102030405060708ull, 0x1112131415161718ull));
  CHECK(t.data()[5 * 16] == 0x01);
  CHECK(t.data()[5 * 16 + 15] == 0x18);
  u64 a = 0, b = 0;
  REQUIRE(t.read_hpte(5, a, b));
  CHECK(a == 0x0102030405060708ull);
  CHECK(b == 0x1112131415161718ull);
  CHECK_FALSE(t.read_hpte(t.hpte_count(), a, b));
  CHECK_FALSE(t.write_hpte(t.hpte_count(), 1, 1));
  CHECK_FALSE(t.write_pte0(~u64{0}, 1));

  // The same order again clears the table in place.
  const u8* before = t.data();
  REQUIRE(t.allocate(18) == 0);
  CHECK(t.data() == before);
  REQUIRE(t.read_hpte(5, a, b));
  CHECK(a == 0);
  CHECK(b == 0);

  // Another order replaces it: HTABSIZE = order - 18.
  REQUIRE(t.allocate(20) == 0);
  CHECK(t.bytes() == 1 * MiB);
  CHECK(t.sdr1_value() == 2);
  CHECK(t.pteg_count() == 8192);
  // A failed allocation keeps the table.
  CHECK(t.allocate(46 + 1) == -EINVAL);
  CHECK(t.order() == 20);
}

// ---------------------------------------------------------------- H_ENTER

TEST_CASE("hv-hpt: H_ENTER slot choice, H_EXACT and H_PTEG_FULL", "[hv-hpt]") {
  Hv h;
  const u64 vw = vsid256(0x1234);
  // Eight pages hashing to the same PTEG: same VSID, page indexes that differ
  // only above the table's hash bits (2^11 PTEGs).
  std::vector<Page> ps;
  for (u64 i = 0; i < 9; i++) ps.push_back(page(h, vw, 0x5000 + (i << (12 + 11)), 0x100000 + i * 0x1000, 12));
  for (u64 i = 1; i < 9; i++) REQUIRE(ps[i].pteg_ptex == ps[0].pteg_ptex);

  // Without H_EXACT the low three bits of PTEX are ignored: first free slot.
  u64 rets[4];
  REQUIRE(h_enter(h.c, 0, ps[0].pteg_ptex + 5, ps[0].pteh, ps[0].ptel, rets) == H_SUCCESS);
  CHECK(rets[0] == ps[0].pteg_ptex);
  // H_EXACT: that slot or H_PTEG_FULL.
  CHECK(h_enter(h.c, H_EXACT, ps[0].pteg_ptex, ps[1].pteh, ps[1].ptel, rets) == H_PTEG_FULL);
  REQUIRE(h_enter(h.c, H_EXACT, ps[1].pteg_ptex + 6, ps[1].pteh, ps[1].ptel, rets) == H_SUCCESS);
  CHECK(rets[0] == ps[1].pteg_ptex + 6);
  for (int i = 2; i < 8; i++) {
    REQUIRE(h_enter(h.c, 0, ps[i].pteg_ptex, ps[i].pteh, ps[i].ptel, rets) == H_SUCCESS);
    CHECK(rets[0] == ps[i].pteg_ptex + (i <= 6 ? i - 1 : 7));
  }
  CHECK(h_enter(h.c, 0, ps[8].pteg_ptex, ps[8].pteh, ps[8].ptel, rets) == H_PTEG_FULL);
  // All eight translate.
  for (int i = 0; i < 8; i++) {
    const HptMatch m = find(h, ps[i], 0x123);
    REQUIRE(m.found);
    CHECK((m.pte1 & HPTE1_RPN & ~u64{0xFFF}) == ps[i].ra);
  }
}

TEST_CASE("hv-hpt: H_ENTER parameter checks", "[hv-hpt]") {
  Hv h;
  const Page p = page(h, vsid256(0x77), 0x3000, 0x200000, 12);
  u64 rets[4];
  // PTEX beyond the table.
  CHECK(h_enter(h.c, 0, h.t.hpte_count(), p.pteh, p.ptel, rets) == H_PARAMETER);
  CHECK(h_enter(h.c, H_EXACT, ~u64{0}, p.pteh, p.ptel, rets) == H_PARAMETER);
  // Page size: L=1 with an LP code the model lacks.
  CHECK(h_enter(h.c, 0, p.pteg_ptex, p.pteh | HPTE0_L, p.ptel | (u64{0x3} << 12), rets) == H_PARAMETER);
  // Segment size B=2 (reserved).
  CHECK(h_enter(h.c, 0, p.pteg_ptex, p.pteh | (u64{2} << 62), p.ptel, rets) == H_PARAMETER);
  // RPN outside guest memory (cacheable) -> H_PARAMETER; an I/O mapping is fine.
  CHECK(h_enter(h.c, 0, p.pteg_ptex, p.pteh, (p.ptel & 0xFFF) | (RAM + 0x1000), rets) == H_PARAMETER);
  REQUIRE(h_enter(h.c, 0, p.pteg_ptex, p.pteh, (p.ptel & 0xFFF) | HPTE1_I | mmu::HPTE1_G | (RAM + 0x1000), rets) ==
          H_SUCCESS);
  // The whole page must be guest memory: [RAM-16M, RAM) is, [RAM, RAM+16M) not.
  const Page big = page(h, vsid256(0x78, LLP_16M), 0, RAM - 16 * MiB, 24);
  CHECK(h_enter(h.c, 0, big.pteg_ptex, big.pteh, big.ptel, rets) == H_SUCCESS);
  const Page big2 = page(h, vsid256(0x79, LLP_16M), 0, RAM, 24);
  CHECK(h_enter(h.c, 0, big2.pteg_ptex, big2.pteh, big2.ptel, rets) == H_PARAMETER);
  // An RPN the model cannot hold (ISA 3.0 ARPN is bits 7:51).
  Hv h9(isa::POWER9);
  const Page p9 = page(h9, vsid256(0x77), 0x3000, 0x200000, 12);
  CHECK(h_enter(h9.c, 0, p9.pteg_ptex, p9.pteh, p9.ptel | mmu::bit(5), rets) == H_PARAMETER);
  // No table: H_FUNCTION.
  HcallMmu none = h.c;
  Htab empty;
  none.htab = &empty;
  CHECK(h_enter(none, 0, 0, p.pteh, p.ptel, rets) == H_FUNCTION);
  none.htab = nullptr;
  CHECK(h_remove(none, 0, 0, 0, rets) == H_FUNCTION);
}

TEST_CASE("hv-hpt: H_ENTER models: PPC970 page sizes and segments, ISA 3.0 format", "[hv-hpt]") {
  {
    Hv h(isa::PPC970);
    u64 rets[4];
    // 64K pages and 1T segments do not exist on the 970.
    const Page p = page(h, vsid256(0x10), 0x4000, 0x10000, 12);
    CHECK(h_enter(h.c, 0, p.pteg_ptex, p.pteh | HPTE0_L, p.ptel | (u64{1} << 12), rets) == H_PARAMETER);
    CHECK(h_enter(h.c, 0, p.pteg_ptex, p.pteh | (u64{1} << 62), p.ptel, rets) == H_PARAMETER);
    const Page big = page(h, vsid256(0x11, LLP_16M), 0x1000000, 0x2000000, 24);
    enter(h, big);
    CHECK(find(h, big, 0x123456).found);
  }
  {
    // POWER9 stores B in doubleword 1; the hcalls speak the old format.
    Hv h(isa::POWER9);
    const Page p = page(h, vsid1t(0x4321, LLP_64K), 0x123450000ull, 0x340000, 16);
    const u64 ptex = enter(h, p);
    u64 p0, p1;
    REQUIRE(h.t.read_hpte(ptex, p0, p1));
    CHECK(p0 >> 52 == 0);                                 // bits 0:11 reserved
    CHECK(((p1 & HPTE1_B_V3) >> HPTE1_B_V3_SHIFT) == 1);  // B = 1T
    u64 rets[8];
    REQUIRE(h_read(h.c, 0, ptex, rets) == H_SUCCESS);
    CHECK(rets[0] == p.pteh);
    CHECK(rets[1] == p.ptel);
    const HptMatch m = find(h, p, 0x1234);
    REQUIRE(m.found);
    CHECK(m.page_shift == 16);
  }
}

TEST_CASE("hv-hpt: H_ENTER flags: bolted kept, V forced, H_ZERO_PAGE, H_R_XLATE", "[hv-hpt]") {
  Hv h;
  Page p = page(h, vsid256(0x99), 0x7000, 0x7000, 12, false, true);
  u64 rets[8];
  REQUIRE(h_enter(h.c, H_R_XLATE | H_ZERO_PAGE, p.pteg_ptex, p.pteh & ~HPTE0_V, p.ptel, rets) == H_SUCCESS);
  const u64 ptex = rets[0];
  REQUIRE(h.zeroed.size() == 1);
  CHECK(h.zeroed[0] == std::make_pair(u64{0x7000}, u64{0x1000}));
  REQUIRE(h_read(h.c, 0, ptex, rets) == H_SUCCESS);
  CHECK((rets[0] & HPTE0_V) != 0);
  CHECK((rets[0] & HPTE0_BOLTED) != 0);
  // H_ZERO_PAGE without a way to zero: H_PARAMETER (documented limitation);
  // ignored for I/O pages.
  Hv n(isa::POWER8, 18, false);
  Page q = page(n, vsid256(0x98), 0x7000, 0x7000, 12);
  CHECK(h_enter(n.c, H_ZERO_PAGE, q.pteg_ptex, q.pteh, q.ptel, rets) == H_PARAMETER);
  CHECK(h_enter(n.c, H_ZERO_PAGE, q.pteg_ptex, q.pteh, (q.ptel & 0xFFF) | HPTE1_I | (RAM + 0x7000), rets) ==
        H_SUCCESS);
}

// ---------------------------------------------------------------- H_REMOVE and TLB invalidation

TEST_CASE("hv-hpt: H_REMOVE flags and return codes", "[hv-hpt]") {
  Hv h;
  const Page p = page(h, vsid256(0xABC), 0x2000, 0x9000, 12);
  const u64 ptex = enter(h, p);
  u64 rets[4] = {};
  CHECK(h_remove(h.c, 0, h.t.hpte_count(), 0, rets) == H_PARAMETER);
  CHECK(h_remove(h.c, 0, ptex + 1, 0, rets) == H_NOT_FOUND);  // invalid slot
  // H_AVPN: pte0 bits 0:56 must match.
  CHECK(h_remove(h.c, H_AVPN, ptex, (p.pteh & HPTE0_AVPN) ^ 0x80, rets) == H_NOT_FOUND);
  // H_ANDCOND: fails when (pte0 & arg) != 0.
  CHECK(h_remove(h.c, H_ANDCOND, ptex, HPTE0_V, rets) == H_NOT_FOUND);
  CHECK(find(h, p).found);
  CHECK(h.rbs.empty());
  REQUIRE(h_remove(h.c, H_AVPN, ptex, p.pteh & HPTE0_AVPN, rets) == H_SUCCESS);
  CHECK(rets[0] == p.pteh);
  CHECK(rets[1] == p.ptel);
  CHECK_FALSE(find(h, p).found);
  REQUIRE(h.rbs.size() == 1);
  CHECK(h_remove(h.c, 0, ptex, 0, rets) == H_NOT_FOUND);
  // H_ANDCOND that holds.
  const u64 ptex2 = enter(h, p);
  REQUIRE(h_remove(h.c, H_ANDCOND, ptex2, HPTE0_BOLTED, rets) == H_SUCCESS);
}

TEST_CASE("hv-hpt: removing an HPTE flushes its page from the SoftTlb, every page size", "[hv-hpt]") {
  struct Case {
    Model m;
    u64 vsid_word, ea, ra;
    unsigned actual;
    bool secondary;
  };
  const Case cases[] = {
      {isa::POWER8, vsid256(0x123456), 0x12345678, 0x345000, 12, false},
      {isa::POWER8, vsid256(0x123456), 0x1234D678, 0x340000, 12, true},
      {isa::POWER8, vsid256(0x2222, LLP_64K), 0x10ABC123, 0x7A0000, 16, false},
      {isa::POWER8, vsid256(0x3333, LLP_16M), 0x1F123456, 0x3000000, 24, false},
      {isa::POWER8, vsid256(0x3334), 0x10123456, 0x4000000, 24, false},  // MPSS 4K base, 16M page
      {isa::POWER8, vsid1t(0x44444, 0), 0x123456789ull, 0x55000, 12, false},
      {isa::POWER8, vsid1t(0x44445, LLP_64K), 0xABC0012345ull, 0x660000, 16, true},
      {isa::POWER9, vsid1t(0x55555, LLP_16M), 0x7F01234567ull, 0x5000000, 24, false},
      {isa::POWER9, vsid256(0x66666), 0x20001234, 0x1000, 12, false},
      {isa::PPC970, vsid256(0x77777), 0x30005234, 0x2000, 12, false},
  };
  for (const Case& k : cases) {
    CAPTURE(k.vsid_word, k.ea, k.actual, int(k.m));
    Hv h(k.m);
    auto tlb = std::make_unique<SoftTlb>();
    h.tlb = tlb.get();
    const Page p = page(h, k.vsid_word, k.ea, k.ra, k.actual, k.secondary);
    // A neighbour in another page that must survive the flush.
    const u64 other_ea = k.ea ^ (u64{1} << k.actual);
    const Page q = page(h, k.vsid_word, other_ea, k.ra ^ (u64{1} << k.actual), k.actual);
    const u64 ptex = enter(h, p);
    enter(h, q);
    MmuContext m = h.mmu();
    const u64 esid_mask = slb_is_1t(k.vsid_word) ? SLB_ESID_MASK_1T : SLB_ESID_MASK_256M;
    m.slb[0] = {(k.ea & esid_mask) | SLB_ESID_V, k.vsid_word};
    m.slb[1] = {(other_ea & esid_mask) | SLB_ESID_V, k.vsid_word};
    const TranslateResult r = tlb->translate(m, k.ea, Access::Read);
    REQUIRE(r.exc == Exc::None);
    CHECK(r.ra == ((k.ra & ~((u64{1} << k.actual) - 1)) | (k.ea & ((u64{1} << k.actual) - 1))));
    REQUIRE(tlb->translate(m, other_ea, Access::Read).exc == Exc::None);
    REQUIRE(tlb->lookup(m, k.ea, Access::Read) != nullptr);
    REQUIRE(tlb->lookup(m, other_ea, Access::Read) != nullptr);

    // The VA recovered from the stored HPTE names the page exactly.
    u64 v, rr;
    REQUIRE(h.t.read_hpte(ptex, v, rr));
    hpte_to_papr(k.m, v, rr);
    HpteVa va;
    REQUIRE(hpte_va(k.m, v, rr, ptex, h.t.hash_mask(), va));
    CHECK(va.actual == k.actual);
    const unsigned ss = slb_is_1t(k.vsid_word) ? 40 : 28;
    CHECK(va.vsid == slb_vsid(k.vsid_word));
    CHECK(va.seg_off == (k.ea & ((u64{1} << ss) - 1) & ~((u64{1} << va.base) - 1)));
    const u64 want_rb = (r.va >> k.actual << k.actual) | (slb_is_1t(k.vsid_word) ? 0x100 : 0) | (k.actual > 12 ? 1 : 0);
    CHECK(hpte_tlbie_rb(va) == want_rb);

    u64 rets[4];
    REQUIRE(h_remove(h.c, 0, ptex, 0, rets) == H_SUCCESS);
    CHECK((rets[1] & HPTE1_R) != 0);  // the MMU's reference was recorded
    CHECK(tlb->lookup(m, k.ea, Access::Read) == nullptr);
    CHECK(tlb->lookup(m, other_ea, Access::Read) != nullptr);
  }
}

// ---------------------------------------------------------------- H_BULK_REMOVE

TEST_CASE("hv-hpt: H_BULK_REMOVE requests and responses", "[hv-hpt]") {
  Hv h;
  std::vector<Page> ps;
  std::vector<u64> ix;
  for (u64 i = 0; i < 4; i++) {
    ps.push_back(page(h, vsid256(0x500 + i), 0x1000 * i, 0x10000 + 0x1000 * i, 12, false, false,
                      PP_RW | HPTE1_M | (i == 0 ? HPTE1_R | HPTE1_C : i == 2 ? HPTE1_C : 0)));
    ix.push_back(enter(h, ps.back()));
  }
  const u64 REQ = H_BULK_REMOVE_REQUEST;
  u64 a[8] = {
      REQ | H_BULK_REMOVE_ABSOLUTE | ix[0], 0,                            // removed, R and C
      REQ | H_BULK_REMOVE_AVPN | ix[1], (ps[1].pteh & HPTE0_AVPN) ^ 0x80,  // AVPN mismatch: not found
      REQ | H_BULK_REMOVE_AVPN | ix[2], ps[2].pteh & HPTE0_AVPN,           // removed, C
      REQ | H_BULK_REMOVE_ANDCOND | ix[3], HPTE0_BOLTED,                   // removed (not bolted)
  };
  REQUIRE(h_bulk_remove(h.c, a) == H_SUCCESS);
  CHECK(a[0] == (H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_SUCCESS | H_BULK_REMOVE_R | H_BULK_REMOVE_C | ix[0]));
  CHECK(a[2] == (H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_NOT_FOUND | H_BULK_REMOVE_AVPN | ix[1]));
  CHECK(a[4] == (H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_SUCCESS | H_BULK_REMOVE_C | H_BULK_REMOVE_AVPN | ix[2]));
  CHECK(a[6] == (H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_SUCCESS | H_BULK_REMOVE_ANDCOND | ix[3]));
  CHECK_FALSE(find(h, ps[0]).found);
  CHECK(find(h, ps[1]).found);
  CHECK_FALSE(find(h, ps[2]).found);
  CHECK_FALSE(find(h, ps[3]).found);
  CHECK(h.rbs.size() == 3);

  // END stops the list; an invalid entry is "not found".
  u64 b[8] = {REQ | ix[0], 0, H_BULK_REMOVE_END, 0, REQ | ix[1], 0, 0, 0};
  REQUIRE(h_bulk_remove(h.c, b) == H_SUCCESS);
  CHECK(b[0] == (H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_NOT_FOUND | ix[0]));
  CHECK(b[4] == (REQ | ix[1]));  // untouched after END
  CHECK(find(h, ps[1]).found);

  // Parameter errors: PTEX out of range, both flags, a non-request type.
  // Earlier removals in the same call stand.
  const u64 ix1b = enter(h, ps[0]);
  u64 c1[8] = {REQ | ix1b, 0, REQ | h.t.hpte_count(), 0, REQ | ix[1], 0, H_BULK_REMOVE_END, 0};
  CHECK(h_bulk_remove(h.c, c1) == H_PARAMETER);
  CHECK(c1[0] == (H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_SUCCESS | H_BULK_REMOVE_R | H_BULK_REMOVE_C | ix1b));
  CHECK(c1[2] == (H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_PARM | h.t.hpte_count()));
  CHECK(find(h, ps[1]).found);  // not reached
  u64 c2[8] = {REQ | H_BULK_REMOVE_ANDCOND | H_BULK_REMOVE_AVPN | ix[1], 0};
  CHECK(h_bulk_remove(h.c, c2) == H_PARAMETER);
  CHECK((c2[0] & H_BULK_REMOVE_CODE) == H_BULK_REMOVE_PARM);
  u64 c3[8] = {H_BULK_REMOVE_RESPONSE | ix[1], 0};
  CHECK(h_bulk_remove(h.c, c3) == H_PARAMETER);
  CHECK((c3[0] & (H_BULK_REMOVE_TYPE | H_BULK_REMOVE_CODE)) == (H_BULK_REMOVE_RESPONSE | H_BULK_REMOVE_PARM));
  u64 c4[8] = {0 | ix[1], 0};  // type 0 is no request either
  CHECK(h_bulk_remove(h.c, c4) == H_PARAMETER);
  CHECK(find(h, ps[1]).found);
}

// ---------------------------------------------------------------- H_READ, H_PROTECT, H_CLEAR_*

TEST_CASE("hv-hpt: H_READ one and four entries", "[hv-hpt]") {
  Hv h;
  const Page p = page(h, vsid256(0x42), 0x1000, 0x1000, 12);
  const u64 base = p.pteg_ptex;
  enter(h, p, H_EXACT, 4);
  enter(h, p, H_EXACT, 6);
  u64 r[8];
  CHECK(h_read(h.c, 0, h.t.hpte_count(), r) == H_PARAMETER);
  REQUIRE(h_read(h.c, 0, base + 6, r) == H_SUCCESS);
  CHECK(r[0] == p.pteh);
  CHECK(r[1] == p.ptel);
  std::memset(r, 0xEE, sizeof r);
  REQUIRE(h_read(h.c, H_READ_4, base + 7, r) == H_SUCCESS);  // from base+4
  CHECK(r[0] == p.pteh);
  CHECK(r[2] == 0);
  CHECK(r[3] == 0);
  CHECK(r[4] == p.pteh);
  CHECK(r[6] == 0);
}

TEST_CASE("hv-hpt: H_PROTECT sets pp, N and key", "[hv-hpt]") {
  Hv h;
  const Page p = page(h, vsid256(0x4711), 0x8000, 0x8000, 12);
  const u64 ptex = enter(h, p);
  CHECK(h_protect(h.c, 0, h.t.hpte_count(), 0) == H_PARAMETER);
  CHECK(h_protect(h.c, 0, ptex + 1, 0) == H_NOT_FOUND);
  CHECK(h_protect(h.c, H_AVPN, ptex, 0x80) == H_NOT_FOUND);
  // Unchanged bits: no flush.
  REQUIRE(h_protect(h.c, H_AVPN | PP_RW, ptex, p.pteh & HPTE0_AVPN) == H_SUCCESS);
  CHECK(h.rbs.empty());
  // pp0=1 (flags bit 55), key 0b10110 (bits 50:54), N, pp=0b10: PP0||PP = 6.
  const u64 flags = h_flag(55) | (u64{0x16} << (63 - 54)) | H_N | H_PP1;
  REQUIRE(h_protect(h.c, flags, ptex, 0) == H_SUCCESS);
  CHECK(h.rbs.size() == 1);
  u64 r[8];
  REQUIRE(h_read(h.c, 0, ptex, r) == H_SUCCESS);
  CHECK((r[1] & HPTE1_PP0) != 0);
  CHECK(hpte_key(r[1]) == 0x16);
  CHECK((r[1] & HPTE1_N) != 0);
  CHECK((r[1] & HPTE1_PP) == 2);
  CHECK((r[1] & HPTE1_RPN) == (p.ptel & HPTE1_RPN));
  CHECK((r[1] & HPTE1_M) != 0);
  const HptMatch m = find(h, p);
  REQUIRE(m.found);
  CHECK(pp_perm(unsigned(((m.pte1 >> 63) << 2) | (m.pte1 & 3)), false) == (PERM_R | PERM_X));
}

TEST_CASE("hv-hpt: H_CLEAR_REF and H_CLEAR_MOD return and clear R/C", "[hv-hpt]") {
  Hv h;
  const Page p = page(h, vsid256(0x31), 0x1000, 0x1000, 12, false, false, PP_RW | HPTE1_R | HPTE1_C);
  const u64 ptex = enter(h, p);
  u64 r[8];
  CHECK(h_clear_ref(h.c, 0, h.t.hpte_count(), r) == H_PARAMETER);
  CHECK(h_clear_mod(h.c, 0, h.t.hpte_count(), r) == H_PARAMETER);
  CHECK(h_clear_ref(h.c, 0, ptex + 1, r) == H_NOT_FOUND);
  CHECK(h_clear_mod(h.c, 0, ptex + 1, r) == H_NOT_FOUND);

  REQUIRE(h_clear_ref(h.c, 0, ptex, r) == H_SUCCESS);
  CHECK((r[0] & (HPTE1_R | HPTE1_C)) == (HPTE1_R | HPTE1_C));
  CHECK(h.rbs.size() == 1);
  REQUIRE(h_clear_ref(h.c, 0, ptex, r) == H_SUCCESS);
  CHECK((r[0] & (HPTE1_R | HPTE1_C)) == HPTE1_C);
  CHECK(h.rbs.size() == 1);  // R was clear: nothing to flush

  REQUIRE(h_clear_mod(h.c, 0, ptex, r) == H_SUCCESS);
  CHECK((r[0] & (HPTE1_R | HPTE1_C)) == HPTE1_C);
  CHECK(h.rbs.size() == 2);
  REQUIRE(h_clear_mod(h.c, 0, ptex, r) == H_SUCCESS);
  CHECK((r[0] & (HPTE1_R | HPTE1_C)) == 0);
  CHECK(h.rbs.size() == 2);
  CHECK(find(h, p).found);

  // A store through the MMU sets C again once the cached translation is gone.
  auto tlb = std::make_unique<SoftTlb>();
  h.tlb = tlb.get();
  MmuContext m = h.mmu();
  m.slb[0] = {(p.ea & SLB_ESID_MASK_256M) | SLB_ESID_V, p.vsid_word};
  REQUIRE(tlb->translate(m, p.ea, Access::Write).exc == Exc::None);
  REQUIRE(h_clear_mod(h.c, 0, ptex, r) == H_SUCCESS);
  CHECK((r[0] & HPTE1_C) != 0);
  REQUIRE(tlb->translate(m, p.ea, Access::Write).exc == Exc::None);
  REQUIRE(h_read(h.c, 0, ptex, r) == H_SUCCESS);
  CHECK((r[1] & HPTE1_C) != 0);
}

// ---------------------------------------------------------------- VRMA

TEST_CASE("hv-hpt: map_vrma enters bolted HPTEs the VRMA translates through", "[hv-hpt]") {
  struct Case {
    Model m;
    u64 vrmasd;  // L||LP as in the SLB: 0x10 = 16M, 0x11 = 64K, 0 = 4K
    unsigned shift;
    u64 rma;
  };
  const Case cases[] = {
      {isa::POWER8, 0x10, 24, 256 * MiB},
      {isa::POWER7, 0x11, 16, 64 * MiB},
      {isa::POWER9, 0x10, 24, 128 * MiB},
      {isa::POWER8, 0x00, 12, 4 * MiB},
  };
  for (const Case& k : cases) {
    CAPTURE(int(k.m), k.shift);
    Hv h(k.m);
    const u64 lpcr = LPCR_VPM0 | (k.vrmasd << LPCR_VRMASD_SHIFT);
    u64 n = 0;
    REQUIRE(map_vrma(h.c, lpcr, k.rma, &n) == H_SUCCESS);
    CHECK(n == k.rma >> k.shift);
    MmuContext m = h.mmu();
    m.msr = MSR_SF;  // guest real mode
    m.lpcr = lpcr;
    for (u64 ra = 0; ra < k.rma; ra += k.rma / 64 + 0x1234) {
      const TranslateResult r = translate(m, ra, Access::Write);
      REQUIRE(r.exc == Exc::None);
      CHECK(r.ra == ra);
    }
    // Beyond the RMA: no HPTE (HDSI with DSISR "no PTE").
    const TranslateResult r = translate(m, k.rma + 0x10, Access::Read);
    CHECK(r.exc == Exc::HDSI);
    // Every entry is bolted, in slot 7.
    u64 bolted = 0;
    for (u64 i = 0; i < h.t.hpte_count(); i++) {
      u64 p0, p1;
      h.t.read_hpte(i, p0, p1);
      if (!(p0 & HPTE0_V)) continue;
      CHECK(i % 8 == 7);
      CHECK((p0 & HPTE0_BOLTED) != 0);
      bolted++;
    }
    CHECK(bolted == n);
  }
  // Capped at one page per PTEG; no VRMA on the 970; unimplemented VRMASD.
  Hv h(isa::POWER8);
  u64 n = 0;
  REQUIRE(map_vrma(h.c, u64{0x00} << LPCR_VRMASD_SHIFT, 64 * MiB, &n) == H_SUCCESS);
  CHECK(n == h.t.pteg_count());
  Hv old(isa::PPC970);
  CHECK(map_vrma(old.c, 0, 16 * MiB) == H_FUNCTION);
  CHECK(map_vrma(h.c, u64{0x13} << LPCR_VRMASD_SHIFT, 16 * MiB) == H_PARAMETER);
  // The RMA must be guest memory.
  Hv h2(isa::POWER8);
  CHECK(map_vrma(h2.c, u64{0x10} << LPCR_VRMASD_SHIFT, 2 * RAM) == H_PARAMETER);
}

// ---------------------------------------------------------------- resize

namespace {

// An allocator the test releases by hand, to see the "still preparing" states
// without timing.
struct Gate {
  std::mutex m;
  std::condition_variable cv;
  bool open = false;
  int result = 0;
  int calls = 0;
  void release() {
    std::lock_guard<std::mutex> g(m);
    open = true;
    cv.notify_all();
  }
  HptResize::Allocator allocator() {
    return [this](Htab& t, unsigned order) {
      std::unique_lock<std::mutex> g(m);
      calls++;
      cv.wait(g, [&] { return open; });
      return result ? result : t.allocate(order);
    };
  }
};

// A mixed population: page sizes, segment sizes, primary/secondary, bolted or not.
std::vector<Page> populate(Hv& h, unsigned count, u64 seed) {
  std::vector<Page> out;
  u64 x = seed;
  auto rnd = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  const bool p970 = h.c.model == isa::PPC970;
  for (unsigned i = 0; out.size() < count && i < count * 4; i++) {
    const u64 kind = rnd() % (p970 ? 2 : 7);
    const u64 vsid = (rnd() % 0xFFFFFF) + 1;
    u64 vw;
    unsigned actual;
    switch (kind) {
      case 0: vw = vsid256(vsid); actual = 12; break;
      case 1: vw = vsid256(vsid, LLP_16M); actual = 24; break;
      case 2: vw = vsid256(vsid, LLP_64K); actual = 16; break;
      case 3: vw = vsid1t(vsid); actual = 12; break;
      case 4: vw = vsid1t(vsid, LLP_64K); actual = 16; break;
      case 5: vw = vsid256(vsid); actual = 16; break;  // MPSS: 4K base, 64K page
      default: vw = vsid1t(vsid, LLP_16M); actual = 24; break;
    }
    const unsigned ss = slb_is_1t(vw) ? 40 : 28;
    const u64 ea = (rnd() & ((u64{1} << ss) - 1)) & ~((u64{1} << actual) - 1);
    const u64 ra = (rnd() % (RAM >> actual)) << actual;
    const Page p = page(h, vw, ea, ra, actual, rnd() % 3 == 0, rnd() % 2 == 0);
    u64 rets[4];
    if (h_enter(h.c, 0, p.pteg_ptex, p.pteh, p.ptel, rets) != H_SUCCESS) continue;
    out.push_back(p);
  }
  return out;
}

void check_all_translate(const Hv& h, const std::vector<Page>& ps) {
  for (const Page& p : ps) {
    CAPTURE(p.vsid_word, p.ea, p.actual, p.secondary);
    const u64 off = 0x5A5 & ((u64{1} << p.actual) - 1);
    const HptMatch m = find(h, p, off);
    REQUIRE(m.found);
    CHECK(m.page_shift == p.actual);
    CHECK((m.pte1 & hpte_rpn_mask(h.c.model) & ~((u64{1} << p.actual) - 1)) == p.ra);
    CHECK(bool(m.pte0 & HPTE0_BOLTED) == p.bolted);
  }
}

}  // namespace

TEST_CASE("hv-hpt: resize prepare return codes (api.rst 4.102)", "[hv-hpt]") {
  // Invalid flags or shift.
  HptResize r;
  CHECK(r.prepare(1, 20) == -EINVAL);
  CHECK(r.prepare(0, 17) == -EINVAL);
  CHECK(r.prepare(0, 47) == -EINVAL);
  CHECK_FALSE(r.pending());
  // shift 0 with nothing pending: 0.
  CHECK(r.prepare(0, 0) == 0);

  Gate g;
  {
    HptResize rz(g.allocator());
    // Starting: an estimate in ms; still preparing: again an estimate.
    const long est = rz.prepare(0, 20);
    CHECK(est > 0);
    CHECK(est == HptResize::estimate_ms(20));
    CHECK(rz.prepare(0, 20) > 0);
    CHECK(rz.pending_shift() == 20);
    // A different shift discards the pending one and starts anew.
    CHECK(rz.prepare(0, 19) > 0);
    CHECK(rz.pending_shift() == 19);
    // shift 0 cancels.
    CHECK(rz.prepare(0, 0) == 0);
    CHECK_FALSE(rz.pending());
    CHECK(rz.prepare(0, 21) > 0);
    g.release();
    rz.wait();
    // Ready: 0, and it stays ready.
    CHECK(rz.prepare(0, 21) == 0);
    CHECK(rz.prepare(0, 21) == 0);
    CHECK(rz.pending_shift() == 21);
  }  // the destructor joins the discarded preparations

  // Failed preparation: the error once, then it is discarded.
  Gate bad;
  bad.result = -ENOMEM;
  bad.release();
  HptResize rf(bad.allocator());
  CHECK(rf.prepare(0, 20) > 0);
  rf.wait();
  CHECK(rf.prepare(0, 20) == -ENOMEM);
  CHECK_FALSE(rf.pending());
  CHECK(rf.prepare(0, 20) > 0);  // a new attempt
  rf.wait();
  CHECK(bad.calls == 2);
}

TEST_CASE("hv-hpt: resize commit return codes (api.rst 4.103)", "[hv-hpt]") {
  Hv h;
  const std::vector<Page> ps = populate(h, 200, 7);
  const std::vector<u8> before = snapshot(h.t);
  auto unchanged = [&] {
    CHECK(h.t.order() == 18);
    CHECK(snapshot(h.t) == before);
  };

  HptResize r;
  CHECK(r.commit(1, 20, h.t, h.c.model) == -EINVAL);
  CHECK(r.commit(0, 17, h.t, h.c.model) == -EINVAL);
  CHECK(r.commit(0, 47, h.t, h.c.model) == -EINVAL);
  // Nothing pending.
  CHECK(r.commit(0, 20, h.t, h.c.model) == -ENXIO);
  CHECK(r.commit(0, 0, h.t, h.c.model) == -ENXIO);
  // Pending of another size.
  REQUIRE(r.prepare(0, 19) > 0);
  r.wait();
  CHECK(r.commit(0, 20, h.t, h.c.model) == -ENXIO);
  CHECK_FALSE(r.pending());  // as KVM: a commit ends the preparation
  unchanged();

  // Not yet prepared.
  Gate g;
  {
    HptResize rb(g.allocator());
    REQUIRE(rb.prepare(0, 20) > 0);
    CHECK(rb.commit(0, 20, h.t, h.c.model) == -EBUSY);
    CHECK_FALSE(rb.pending());
    unchanged();
    g.release();
  }
  // Preparation failed.
  Gate bad;
  bad.result = -ENOMEM;
  bad.release();
  {
    HptResize rf(bad.allocator());
    REQUIRE(rf.prepare(0, 20) > 0);
    rf.wait();
    CHECK(rf.commit(0, 20, h.t, h.c.model) == -ENOMEM);
    unchanged();
  }
  // No current HPT.
  {
    HptResize re;
    Htab none;
    REQUIRE(re.prepare(0, 20) > 0);
    re.wait();
    CHECK(re.commit(0, 20, none, h.c.model) == -EIO);
  }
  // Success.
  REQUIRE(r.prepare(0, 20) > 0);
  r.wait();
  REQUIRE(r.prepare(0, 20) == 0);
  REQUIRE(r.commit(0, 20, h.t, h.c.model) == 0);
  CHECK(h.t.order() == 20);
  CHECK(h.t.sdr1_value() == 2);
  CHECK_FALSE(r.pending());
  check_all_translate(h, ps);
}

TEST_CASE("hv-hpt: resize up and down keeps every valid and bolted HPTE", "[hv-hpt]") {
  for (Model m : {isa::POWER8, isa::POWER9, isa::POWER7, isa::PPC970}) {
    CAPTURE(int(m));
    Hv h(m, 18);
    std::vector<Page> ps = populate(h, 3000, 0x1234567 + m);
    REQUIRE(ps.size() > 2500);
    if (m != isa::PPC970) {
      // The VRMA's entries are bolted HPTEs like any other.
      u64 n = 0;
      REQUIRE(map_vrma(h.c, LPCR_VPM0 | (u64{0x10} << LPCR_VRMASD_SHIFT), 256 * MiB, &n) == H_SUCCESS);
    }
    const std::vector<u8> original = snapshot(h.t);
    check_all_translate(h, ps);

    HptResize r;
    for (unsigned shift : {20u, 23u, 19u, 18u}) {
      CAPTURE(shift);
      REQUIRE(r.prepare(0, shift) > 0);
      r.wait();
      REQUIRE(r.prepare(0, shift) == 0);
      REQUIRE(r.commit(0, shift, h.t, m) == 0);
      CHECK(h.t.order() == shift);
      check_all_translate(h, ps);
      if (m != isa::PPC970) {
        MmuContext c = h.mmu();
        c.msr = MSR_SF;
        c.lpcr = LPCR_VPM0 | (u64{0x10} << LPCR_VRMASD_SHIFT);
        for (u64 ra = 0; ra < 256 * MiB; ra += 16 * MiB + 0x1010) {
          const TranslateResult t = translate(c, ra, Access::Read);
          REQUIRE(t.exc == Exc::None);
          CHECK(t.ra == ra);
        }
      }
    }
    // Back at the original size, every entry is back in its original slot.
    CHECK(snapshot(h.t) == original);
  }
}

TEST_CASE("hv-hpt: resize collisions: bolted -ENOSPC keeps the old HPT, non-bolted dropped", "[hv-hpt]") {
  Hv h(isa::POWER8, 19);  // 4096 PTEGs; shrinking to 18 folds PTEG g+2048 onto g
  const u64 vsid = 0x1234;
  // Same VSID, page indexes 2048 apart: PTEGs g and g+2048 of the order-19 table.
  const Page a = page(h, vsid256(vsid), 0x5000, 0x1000, 12, false, true);
  const Page b = page(h, vsid256(vsid), 0x5000 + (u64{2048} << 12), 0x2000, 12, false, true);
  REQUIRE(a.pteg_ptex + 2048 * 8 == b.pteg_ptex);
  enter(h, a, H_EXACT, 3);
  const u64 bix = enter(h, b, H_EXACT, 3);
  const std::vector<u8> before = snapshot(h.t);

  HptResize r;
  REQUIRE(r.prepare(0, 18) > 0);
  r.wait();
  CHECK(r.commit(0, 18, h.t, h.c.model) == -ENOSPC);
  CHECK(h.t.order() == 19);
  CHECK(snapshot(h.t) == before);
  CHECK(find(h, a).found);
  CHECK(find(h, b).found);
  CHECK_FALSE(r.pending());
  CHECK(r.commit(0, 18, h.t, h.c.model) == -ENXIO);

  // Make b non-bolted: it loses its slot to the bolted a; other slots are free,
  // so a non-bolted entry elsewhere survives.
  u64 rets[4];
  REQUIRE(h_remove(h.c, 0, bix, 0, rets) == H_SUCCESS);
  const Page b2 = page(h, vsid256(vsid), 0x5000 + (u64{2048} << 12), 0x2000, 12, false, false);
  enter(h, b2, H_EXACT, 3);
  const Page c2 = page(h, vsid256(vsid + 1), 0x9000, 0x3000, 12, true, false);
  enter(h, c2, H_EXACT, 5);
  REQUIRE(r.prepare(0, 18) > 0);
  r.wait();
  REQUIRE(r.commit(0, 18, h.t, h.c.model) == 0);
  CHECK(h.t.order() == 18);
  CHECK(find(h, a).found);
  CHECK_FALSE(find(h, b2).found);
  CHECK(find(h, c2).found);
}
