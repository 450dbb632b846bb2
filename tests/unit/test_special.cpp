// Decode-time specializations (cpu/isa/special.inc) must be invisible: each
// refines its table line, and on every word it matches it leaves exactly the
// state the generic handler leaves.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>

#include "cpu/dispatch.h"
#include "harness.h"

using namespace lpar;

namespace {

// Stands in for the block terminator: the handler under test threads into it.
Status stop(CpuState&, const DecodedInsn*) { return Status::Next; }

void randomize(CpuState& s, std::mt19937_64& rng) {
  for (u64& r : s.gpr) r = rng();
  // Small values and the 32-bit boundaries make carries, overflow and
  // compares interesting; CTR near 0 exercises bdnz/bdz both ways.
  for (int k = 0; k < 8; ++k) {
    const unsigned r = rng() % 32;
    switch (rng() % 4) {
      case 0: s.gpr[r] = rng() % 4; break;
      case 1: s.gpr[r] = 0xffffffffu + rng() % 3; break;
      case 2: s.gpr[r] = ~u64{0} - rng() % 3; break;
      default: s.gpr[r] = u64{0x7fffffff} + rng() % 3; break;
    }
  }
  s.cr = static_cast<u32>(rng());
  s.so = rng() & 1, s.ov = rng() & 1, s.ca = rng() & 1, s.ov32 = rng() & 1, s.ca32 = rng() & 1;
  s.lr = rng();
  s.ctr = rng() % 3 == 0 ? rng() % 3 : rng();
  s.nip = (rng() % 0x10000) * 4;
  constexpr u64 SF = u64{1} << 63, PR = u64{1} << 14;
  s.msr = (s.msr & ~(SF | PR)) | (rng() % 4 ? SF : 0) | (rng() % 4 == 0 ? PR : 0);
}

}  // namespace

TEST_CASE("specializations refine their table line", "[isa][special]") {
  REQUIRE(!special_handlers().empty());
  for (const SpecialInfo& sp : special_handlers()) {
    INFO(sp.name);
    const auto& base = isa::info(sp.op).pat;
    CHECK((sp.mask & base.mask) == base.mask);
    CHECK((sp.value & base.mask) == base.value);
    CHECK(sp.mask != base.mask);  // else it is not narrower than the line
    CHECK(isa::decode(sp.value, isa::POWER9) == sp.op);
    CHECK(handler_for(sp.op, sp.value) == sp.fn);
    CHECK(handler_for(sp.op, sp.value) != handler(sp.op));
  }
}

TEST_CASE("a word outside every specialization gets the generic handler", "[isa][special]") {
  // add. (Rc=1) and addo (OE=1), mtspr to TAR (815), bc with LK=1.
  CHECK(handler_for(isa::Op::add, 0x7c632215) == handler(isa::Op::add));
  CHECK(handler_for(isa::Op::add, 0x7c632614) == handler(isa::Op::add));
  CHECK(handler_for(isa::Op::mtspr, 0x7c6fcba6) == handler(isa::Op::mtspr));
  CHECK(handler_for(isa::Op::bc, 0x41820009) == handler(isa::Op::bc));
}

TEST_CASE("specialized handlers act as the generic ones", "[isa][special]") {
  std::mt19937_64 rng(0x5eed5);
  test::TestCpu cpu;
  auto before = std::make_unique<CpuState>();
  auto generic = std::make_unique<CpuState>();
  for (const SpecialInfo& sp : special_handlers()) {
    INFO(sp.name);
    unsigned tried = 0;
    for (int n = 0; n < 400 && tried < 200; ++n) {
      const u32 w = (static_cast<u32>(rng()) & ~sp.mask) | sp.value;
      if (isa::decode(w, isa::POWER9) != sp.op) continue;  // a neighbouring line's word
      ++tried;
      randomize(cpu.s, rng);
      std::memcpy(static_cast<void*>(before.get()), &cpu.s, sizeof(CpuState));
      const DecodedInsn g[2] = {{handler(sp.op), w, sp.op}, {&stop, 1, isa::Op::invalid}};
      const Status sg = g[0].fn(cpu.s, g);
      std::memcpy(static_cast<void*>(generic.get()), &cpu.s, sizeof(CpuState));
      std::memcpy(static_cast<void*>(&cpu.s), before.get(), sizeof(CpuState));
      const DecodedInsn x[2] = {{sp.fn, w, sp.op}, {&stop, 1, isa::Op::invalid}};
      const Status sx = x[0].fn(cpu.s, x);
      INFO("word " << std::hex << w);
      CHECK(sx == sg);
      CHECK(cpu.s.nip == generic->nip);
      CHECK(std::memcmp(&cpu.s, generic.get(), sizeof(CpuState)) == 0);
    }
    CHECK(tried > 20);
  }
}
