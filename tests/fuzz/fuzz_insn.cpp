// Instruction fuzzer: random 32-bit words (and prefixed pairs) run through the
// decoder and the interpreter with random register state.  Passes when the
// host survives: no crash, no sanitizer report, no hang (every run is bounded).
// usage: lpar-fuzz-insn [--count N] [--seed S]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

#include "../unit/harness.h"

using namespace lpar;

int main(int argc, char** argv) {
  u64 count = 1000000, seed = 1;
  for (int k = 1; k + 1 < argc; k += 2) {
    if (!std::strcmp(argv[k], "--count")) count = std::strtoull(argv[k + 1], nullptr, 0);
    else if (!std::strcmp(argv[k], "--seed")) seed = std::strtoull(argv[k + 1], nullptr, 0);
    else {
      std::fprintf(stderr, "lpar-fuzz-insn: unknown option %s\n", argv[k]);
      return 2;
    }
  }
  std::mt19937_64 rng(seed);
  constexpr u64 CODE = 0x10000, WORDS = 1024;  // one 4 KiB code page per round
  u64 executed = 0, exceptions = 0, rounds = 0;
  const isa::Model models[] = {isa::PPC970, isa::POWER7, isa::POWER8, isa::POWER9};
  while (executed < count) {
    const bool le = rng() & 1;
    test::TestCpu cpu(models[rng() % 4], le);
    for (u64 w = 0; w < WORDS; ++w) {
      u32 word = static_cast<u32>(rng());
      if (rng() % 20 == 0) word = (1u << 26) | (word & 0x03ffffff);  // a prefix word
      cpu.put32(CODE + 4 * w, word);
    }
    for (u64& r : cpu.s.gpr) {
      const u64 v = rng();
      // A third of the registers point into memory so loads and stores land.
      r = (v % 3 == 0) ? (v >> 8) % test::TestCpu::MEM_SIZE : v;
    }
    for (Vec& v : cpu.s.vsr) v.dw[0] = rng(), v.dw[1] = rng();
    cpu.s.cr = static_cast<u32>(rng());
    cpu.s.ctr = rng() % 64;
    cpu.s.lr = CODE + 4 * (rng() % WORDS);
    cpu.s.fpscr = rng() & 0xffffffff;
    cpu.s.nip = CODE;
    // Run the page; leave it when control flows elsewhere, step over faults.
    for (u64 steps = 0; steps < 4 * WORDS && executed < count; ++steps) {
      if (cpu.s.nip < CODE || cpu.s.nip >= CODE + 4 * WORDS || (cpu.s.nip & 3)) break;
      cpu.s.exc = Exc::None;
      const u64 before = cpu.s.icount;
      const Status st = cpu.interp.run(16);
      executed += cpu.s.icount - before + (st == Status::Exception);
      if (st == Status::Exception) {
        ++exceptions;
        cpu.s.nip += (cpu.s.exc == Exc::SystemCall) ? 0 : 4;
      }
    }
    ++rounds;
  }
  std::printf("fuzz: %llu instructions executed in %llu rounds, %llu interrupts raised, seed %llu\n",
              static_cast<unsigned long long>(executed), static_cast<unsigned long long>(rounds),
              static_cast<unsigned long long>(exceptions), static_cast<unsigned long long>(seed));
  return 0;
}
