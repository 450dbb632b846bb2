// The LLVM tier against the interpreter: the same program runs on two CPUs,
// one interpreting only, one compiling every block on its first entry, and
// must leave identical architected state (registers, CR, XER, FPSCR, nip,
// icount, memory, and the interrupt registers after a fault).
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "cpu/interrupts.h"
#include "harness.h"
#include "jit/llvm_tier.h"

using namespace lpar;
using lpar::test::TestCpu;

namespace {

// Instruction encodings (PowerISA 3.0B Book I), as the assembler makes them.
u32 d_form(u32 op, u32 rt, u32 ra, s32 d) { return op << 26 | rt << 21 | ra << 16 | (static_cast<u32>(d) & 0xffff); }
u32 addi(u32 rt, u32 ra, s32 si) { return d_form(14, rt, ra, si); }
u32 x_form(u32 rt, u32 ra, u32 rb, u32 xo, u32 rc = 0) { return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | xo << 1 | rc; }
u32 add(u32 rt, u32 ra, u32 rb) { return x_form(rt, ra, rb, 266); }
u32 mulld_(u32 rt, u32 ra, u32 rb) { return x_form(rt, ra, rb, 233, 1); }  // mulld. (sets CR0)
u32 xor_(u32 ra, u32 rs, u32 rb) { return x_form(rs, ra, rb, 316); }
u32 addc(u32 rt, u32 ra, u32 rb) { return x_form(rt, ra, rb, 10); }
u32 adde(u32 rt, u32 ra, u32 rb) { return x_form(rt, ra, rb, 138); }
u32 cmpdi(u32 bf, u32 ra, s32 si) { return d_form(11, bf << 2 | 1, ra, si); }
u32 rlwinm(u32 ra, u32 rs, u32 sh, u32 mb, u32 me) { return 21u << 26 | rs << 21 | ra << 16 | sh << 11 | mb << 6 | me << 1; }
u32 ld(u32 rt, u32 ra, s32 ds) { return d_form(58, rt, ra, ds & ~3); }
u32 std_(u32 rs, u32 ra, s32 ds) { return d_form(62, rs, ra, ds & ~3); }
u32 stw(u32 rs, u32 ra, s32 d) { return d_form(36, rs, ra, d); }
u32 lfd(u32 frt, u32 ra, s32 d) { return d_form(50, frt, ra, d); }
u32 stfd(u32 frs, u32 ra, s32 d) { return d_form(54, frs, ra, d); }
u32 fp_a(u32 frt, u32 fra, u32 frb, u32 frc, u32 xo) { return 63u << 26 | frt << 21 | fra << 16 | frb << 11 | frc << 6 | xo << 1; }
u32 fadd(u32 t, u32 a, u32 b) { return fp_a(t, a, b, 0, 21); }
u32 fmul(u32 t, u32 a, u32 c) { return fp_a(t, a, 0, c, 25); }
u32 fdiv(u32 t, u32 a, u32 b) { return fp_a(t, a, b, 0, 18); }
u32 bne(s32 rel) { return 16u << 26 | 4u << 21 | 2u << 16 | (static_cast<u32>(rel) & 0xfffc); }  // bc 4,CR0[EQ]
u32 b_(s32 rel) { return 18u << 26 | (static_cast<u32>(rel) & 0x3fffffc); }
constexpr u32 ILLEGAL = 0;  // no table line: Program interrupt (illegal instruction)

constexpr u64 CODE = 0x1000;

struct Pair {
  TestCpu interp_only, jit;
  explicit Pair(const std::vector<u32>& code) {
    std::string err;
    const bool attached = jit::attach(jit.interp, 1, err);
    INFO(err);
    REQUIRE(attached);
    for (TestCpu* c : {&interp_only, &jit}) {
      for (size_t k = 0; k < code.size(); ++k) c->put32(CODE + 4 * k, code[k]);
      c->s.nip = CODE;
    }
  }
  // Run both until an interrupt (or budget), delivering it as the machine would.
  void run(u64 budget) {
    for (TestCpu* c : {&interp_only, &jit}) {
      const Status st = c->interp.run(budget);
      if (st == Status::Exception) REQUIRE(deliver_interrupt(c->s));
    }
  }
  void check_same() const {
    const CpuState& a = interp_only.s;
    const CpuState& b = jit.s;
    for (unsigned k = 0; k < 32; ++k) {
      INFO("GPR " << k);
      CHECK(a.gpr[k] == b.gpr[k]);
    }
    for (unsigned k = 0; k < 64; ++k) {
      INFO("VSR " << k);
      CHECK(std::memcmp(&a.vsr[k], &b.vsr[k], sizeof(Vec)) == 0);
    }
    CHECK(a.nip == b.nip);
    CHECK(a.icount == b.icount);
    CHECK(a.cr == b.cr);
    CHECK(a.so == b.so);
    CHECK(a.ov == b.ov);
    CHECK(a.ca == b.ca);
    CHECK(a.fpscr == b.fpscr);
    CHECK(a.lr == b.lr);
    CHECK(a.ctr == b.ctr);
    CHECK(a.msr == b.msr);
    CHECK(a.srr0 == b.srr0);
    CHECK(a.srr1 == b.srr1);
    CHECK(a.hsrr0 == b.hsrr0);
    CHECK(a.hsrr1 == b.hsrr1);
    CHECK(a.dar == b.dar);
    CHECK(a.dsisr == b.dsisr);
    CHECK(interp_only.mem == jit.mem);
  }
};

}  // namespace

TEST_CASE("JIT: a counted loop leaves the interpreter's state", "[jit]") {
  const unsigned before = jit::live_blocks();
  // r3 = sum 1..1000 mixed with products and carries; loops on itself.
  Pair p({addi(3, 0, 0), addi(4, 0, 1000), addi(5, 0, 7), addi(9, 0, 0x2000),
          /* loop: */ add(3, 3, 4), mulld_(6, 3, 5), xor_(7, 7, 6), rlwinm(8, 7, 5, 3, 28), addc(10, 8, 3),
          adde(11, 11, 10), std_(11, 9, 0), ld(12, 9, 0), addi(9, 9, 8), addi(4, 4, -1), cmpdi(0, 4, 0),
          bne(-44),
          ILLEGAL});
  p.run(1000000);
  p.check_same();
  CHECK(p.jit.s.hsrr0 == CODE + 16 * 4);  // the illegal word (HEA on POWER9, Book III-S 6.5.18)
  CHECK(p.jit.s.icount == 4 + 1000 * 12);
  CHECK(jit::live_blocks() > before);  // the blocks really were compiled
}

TEST_CASE("JIT: floating point through the shared FP helpers", "[jit]") {
  Pair p({addi(9, 0, 0x3000), lfd(1, 9, 0), lfd(2, 9, 8), addi(4, 0, 50),
          /* loop: */ fmul(3, 1, 2), fadd(1, 3, 2), fdiv(2, 1, 3), stfd(1, 9, 16), addi(9, 9, 8), addi(4, 4, -1),
          cmpdi(0, 4, 0), bne(-28), ILLEGAL});
  for (TestCpu* c : {&p.interp_only, &p.jit}) {
    const double x = 1.1, y = 3.7;
    std::memcpy(&c->mem[0x3000], &x, 8);
    std::memcpy(&c->mem[0x3008], &y, 8);
  }
  p.run(1000000);
  p.check_same();
  CHECK(p.jit.s.fpscr != 0);  // inexact results were recorded
}

TEST_CASE("JIT: a fault in the middle of a compiled block", "[jit]") {
  // The loop block stores forward 256 KiB a pass from 0x8000: on the 5th
  // pass r9 is past memory and its stw faults with the block half done.
  Pair p({addi(9, 0, 0x4000), add(9, 9, 9), addi(4, 0, 0), b_(4),
          /* loop: */ addi(4, 4, 1), stw(4, 9, 0), std_(4, 9, 8), add(9, 9, 10), b_(-16)});
  for (TestCpu* c : {&p.interp_only, &p.jit}) c->s.gpr[10] = 0x40000;
  p.run(1000000);
  p.check_same();
  CHECK(p.jit.s.srr0 == CODE + 5 * 4);  // the faulting stw
  CHECK(p.jit.s.dar >= TestCpu::MEM_SIZE);
  CHECK(p.jit.s.gpr[4] == 5);
  CHECK(p.jit.s.icount == 4 + 4 * 5 + 1);  // the addi before the fault retired
}
