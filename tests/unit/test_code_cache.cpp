// Pre-decoded code keyed by real page (cpu/interp.h): aliases share blocks,
// a store through any alias or a DMA write drops exactly the written page's
// blocks, and translation changes keep them.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <unordered_map>

#include "cpu/block_table.h"
#include "cpu/interp.h"
#include "cpu/memory.h"
#include "test_hv_util.h"

using namespace lpar;

namespace {

using lpar::hv::test::li;
constexpr u32 SC = 0x44000002;

// Effective pages mapped onto the pages of one host buffer by a table the
// test edits (a stand-in for the HPT), with the FILL_CODE protocol of the
// real machines.
struct AliasCpu {
  static constexpr unsigned PAGES = 8;
  CpuState s{};
  std::vector<u8> mem = std::vector<u8>(PAGES * PAGE_SIZE + PAGE_SIZE);
  u8* base;  // page-aligned
  std::map<u64, unsigned> map;  // EA page -> host page index
  MemoryBackend backend{};
  Interpreter interp;

  AliasCpu() : interp(s, isa::POWER9) {
    base = reinterpret_cast<u8*>((reinterpret_cast<uintptr_t>(mem.data()) + PAGE_SIZE - 1) & PAGE_MASK);
    backend.fill = &fill;
    backend.code_write = &code_write;
    backend.opaque = this;
    s.mem = &backend;
    s.le = true;
    s.msr = (u64{1} << 63) | (u64{1} << 14) | 1;  // SF, PR, LE
    reset_tlb(s);
  }
  static int fill(CpuState& s, u64 ea, Access acc, uintptr_t* addend) {
    auto* self = static_cast<AliasCpu*>(s.mem->opaque);
    const u64 page = ea & PAGE_MASK;
    auto it = self->map.find(page);
    if (it == self->map.end()) {
      s.exc = acc == Access::Exec ? Exc::ISI : Exc::DSI;
      s.exc_addr = ea;
      return FILL_FAULT;
    }
    const uintptr_t host = reinterpret_cast<uintptr_t>(self->base + it->second * PAGE_SIZE);
    *addend = host - page;
    TlbEntry& e = tlb_entry(s, ea);
    e = {page, TLB_INVALID, page, *addend};
    if (self->interp.page_has_code(host)) return FILL_CODE;
    e.tag_write = page;
    return FILL_OK;
  }
  static void code_write(CpuState& s, u64, uintptr_t host, unsigned len) {
    static_cast<AliasCpu*>(s.mem->opaque)->interp.invalidate_range(host, len);
  }
  void put(unsigned host_page, unsigned off, u32 w) { std::memcpy(base + host_page * PAGE_SIZE + off, &w, 4); }
  // `li r3,v; sc` at the start of a host page.
  void code(unsigned host_page, u32 v) {
    put(host_page, 0, li(3, v));
    put(host_page, 4, SC);
  }
  // Runs from ea to the sc; r3 is what the code set.
  u64 run_at(u64 ea) {
    s.nip = ea;
    s.exc = Exc::None;
    s.gpr[3] = 0;
    REQUIRE(interp.run(1000) == Status::Exception);
    REQUIRE(s.exc == Exc::SystemCall);
    return s.gpr[3];
  }
  u64 decoded() const { return interp.stats().blocks_built; }
};

}  // namespace

TEST_CASE("code cache: one real page through two effective addresses is decoded once", "[code]") {
  AliasCpu c;
  c.map[0x10000] = 1;
  c.map[0x7000000] = 1;
  c.code(1, 1);
  CHECK(c.run_at(0x10000) == 1);
  CHECK(c.decoded() == 1);
  CHECK(c.run_at(0x7000000) == 1);
  CHECK(c.decoded() == 1);  // the alias found the same block
  CHECK(c.interp.code_page_count() == 1);
}

TEST_CASE("code cache: a store through one alias is run through the other", "[code]") {
  AliasCpu c;
  c.map[0x10000] = 1;  // the code's address
  c.map[0x20000] = 1;  // a second (writable) mapping of the same real page
  c.code(1, 1);
  CHECK(c.run_at(0x10000) == 1);
  // Both aliases' write tags must miss now: the store goes through code_write.
  c.s.exc = Exc::None;
  REQUIRE(store<u32>(c.s, 0x20000, li(3, 2)));
  CHECK(c.interp.stats().pages_invalidated == 1);
  CHECK(c.run_at(0x10000) == 2);
  CHECK(c.decoded() == 2);
  // A store to another real page leaves the code alone.
  c.map[0x30000] = 2;
  REQUIRE(store<u32>(c.s, 0x30000, 0));
  CHECK(c.run_at(0x10000) == 2);
  CHECK(c.decoded() == 2);
}

TEST_CASE("code cache: a write tag installed before the decode is dropped", "[code]") {
  AliasCpu c;
  c.map[0x10000] = 1;
  c.map[0x20000] = 1;
  c.code(1, 1);
  // The writable alias is in the TLB with a write tag before any code runs.
  REQUIRE(store<u32>(c.s, 0x20000 + 8, 0));
  CHECK(tlb_entry(c.s, 0x20000).tag_write == 0x20000);
  CHECK(c.run_at(0x10000) == 1);
  CHECK(tlb_entry(c.s, 0x20000).tag_write == TLB_INVALID);
  REQUIRE(store<u32>(c.s, 0x20000, li(3, 3)));
  CHECK(c.run_at(0x10000) == 3);
}

TEST_CASE("code cache: translation changes keep blocks and follow the new mapping", "[code]") {
  AliasCpu c;
  c.map[0x10000] = 1;
  c.code(1, 1);
  c.code(2, 2);
  CHECK(c.run_at(0x10000) == 1);
  // A TLB flush (tlbie, slbie, an MSR[IR] round trip): refill, no decode.
  for (int i = 0; i < 3; ++i) {
    reset_tlb(c.s);
    CHECK(c.run_at(0x10000) == 1);
  }
  CHECK(c.decoded() == 1);
  // The page now maps elsewhere: the other real page's code runs.
  c.map[0x10000] = 2;
  reset_tlb(c.s);
  CHECK(c.run_at(0x10000) == 2);
  // Mapped back: the first page's block was kept.
  c.map[0x10000] = 1;
  reset_tlb(c.s);
  CHECK(c.run_at(0x10000) == 1);
  CHECK(c.decoded() == 2);
  // Unmapped: the fetch faults (ISI), nothing stale runs.
  c.map.erase(0x10000);
  reset_tlb(c.s);
  c.s.nip = 0x10000;
  CHECK(c.interp.run(1000) == Status::Exception);
  CHECK(c.s.exc == Exc::ISI);
}

TEST_CASE("code cache: a DMA write drops exactly the written page's blocks", "[code]") {
  AliasCpu c;
  c.map[0x10000] = 1;
  c.map[0x11000] = 2;
  c.code(1, 1);
  c.code(2, 5);
  CHECK(c.run_at(0x10000) == 1);
  CHECK(c.run_at(0x11000) == 5);
  // A device writes page 1 behind the CPU and reports the host range.
  c.put(1, 0, li(3, 9));
  c.interp.invalidate_range(reinterpret_cast<uintptr_t>(c.base + PAGE_SIZE), 4);
  CHECK(c.run_at(0x10000) == 9);
  CHECK(c.run_at(0x11000) == 5);
  CHECK(c.decoded() == 3);  // page 2's block survived
}

TEST_CASE("code cache: the block table against a reference map", "[code]") {
  BlockTable t;
  std::unordered_map<uintptr_t, Block*> ref;
  std::mt19937_64 rng(7);
  std::vector<Block> pool(64);
  for (int i = 0; i < 200000; ++i) {
    // Keys bunched in a few pages, so runs form and erases shift them.
    const uintptr_t key = 0x100000 + (rng() % 4) * PAGE_SIZE + (rng() % 700) * 4;
    Block* b = &pool[rng() % pool.size()];
    switch (rng() % 3) {
      case 0:
        t.put(key, b);
        ref[key] = b;
        break;
      case 1: {
        auto it = ref.find(key);
        CHECK(t.take(key) == (it == ref.end() ? nullptr : it->second));
        if (it != ref.end()) ref.erase(it);
        break;
      }
      default: {
        auto it = ref.find(key);
        REQUIRE(t.find(key) == (it == ref.end() ? nullptr : it->second));
      }
    }
    REQUIRE(t.size() == ref.size());
  }
  size_t seen = 0;
  t.for_each([&](uintptr_t k, Block* b) {
    ++seen;
    CHECK(ref.at(k) == b);
  });
  CHECK(seen == ref.size());
}

// The hypervisor's side: the machine writes guest memory (virtio DMA,
// H_PAGE_INIT) while a vCPU has code decoded there; Vm::memory_written makes
// the vCPU decode it again before it runs, with nothing else reset.
TEST_CASE("code cache: DMA into a vCPU's code page (Vm::memory_written)", "[code][hv]") {
  using namespace lpar::hv;
  using namespace lpar::hv::test;
  Guest g(isa::POWER8);
  g.vectors();
  // 0x2000: bl 0x4000; report r4; b 0x2000.  0x4000: li r4,0x11; blr
  const u32 bl = 0x48000001 | (0x2000 & 0x3FFFFFC);
  g.words(0x2000, {bl, li(3, 0), ori(3, 3, REPORT_NR), SC1, 0x4BFFFFF0});
  g.words(0x4000, {li(4, 0x11), 0x4E800020});
  g.start(0x2000);
  CHECK(g.until_report().papr_hcall.args[0] == 0x11);
  CHECK(g.until_report().papr_hcall.args[0] == 0x11);  // (decodes the block after the sc)
  const u64 decoded = g.cpu->code_stats().blocks_built;
  CHECK(g.until_report().papr_hcall.args[0] == 0x11);
  CHECK(g.cpu->code_stats().blocks_built == decoded);  // the loop reuses its blocks
  // The device writes the function and says so.
  const u64 flushes = g.cpu->code_stats().flushes;
  put_be32(g.mem() + 0x4000, li(4, 0x22));
  g.vm->memory_written(0x4000, 4);
  CHECK(g.until_report().papr_hcall.args[0] == 0x22);
  CHECK(g.cpu->code_stats().pages_invalidated == 1);
  CHECK(g.cpu->code_stats().flushes == flushes);  // that page only, no full flush
}
