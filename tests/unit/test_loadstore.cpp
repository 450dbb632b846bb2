// Fixed-point loads/stores and storage control (PowerISA 3.0B Book I 3.3.2-3.3.7,
// Book II 4-5).  Encodings are checked against powerpc64le-linux-gnu-as; the
// behaviour of invalid forms, reservations and faults was probed under
// qemu-ppc64le 7.2 (noted where a value comes from it).
#include <catch2/catch.hpp>

#include <cstring>

#include "harness.h"

using lpar::Exc;
using lpar::Status;
using lpar::u32;
using lpar::u64;
using lpar::u8;
using lpar::test::TestCpu;
namespace isa = lpar::isa;

namespace {

// Instruction encoders (Book I 1.6).
constexpr u32 Dform(u32 po, u32 rt, u32 ra, int d) { return (po << 26) | (rt << 21) | (ra << 16) | (static_cast<u32>(d) & 0xffff); }
constexpr u32 DSform(u32 po, u32 rt, u32 ra, int ds, u32 xo) { return (po << 26) | (rt << 21) | (ra << 16) | (static_cast<u32>(ds) & 0xfffc) | xo; }
constexpr u32 Xform(u32 xo, u32 rt, u32 ra, u32 rb, u32 rc = 0) { return (31u << 26) | (rt << 21) | (ra << 16) | (rb << 11) | (xo << 1) | rc; }

enum : u32 {
  LBZ = 34, LBZU = 35, LHZ = 40, LHZU = 41, LHA = 42, LHAU = 43, LWZ = 32, LWZU = 33,
  STB = 38, STBU = 39, STH = 44, STHU = 45, STW = 36, STWU = 37, LMW = 46, STMW = 47,
};
enum : u32 {
  X_LBZX = 87, X_LBZUX = 119, X_LHZX = 279, X_LHZUX = 311, X_LHAX = 343, X_LHAUX = 375, X_LWZX = 23,
  X_LWZUX = 55, X_LWAX = 341, X_LWAUX = 373, X_LDX = 21, X_LDUX = 53, X_STBX = 215, X_STBUX = 247,
  X_STHX = 407, X_STHUX = 439, X_STWX = 151, X_STWUX = 183, X_STDX = 149, X_STDUX = 181,
  X_LHBRX = 790, X_LWBRX = 534, X_LDBRX = 532, X_STHBRX = 918, X_STWBRX = 662, X_STDBRX = 660,
  X_LSWI = 597, X_LSWX = 533, X_STSWI = 725, X_STSWX = 661,
  X_LBARX = 52, X_LHARX = 116, X_LWARX = 20, X_LDARX = 84, X_LQARX = 276,
  X_STBCX = 694, X_STHCX = 726, X_STWCX = 150, X_STDCX = 214, X_STQCX = 182,
  X_DCBT = 278, X_DCBTST = 246, X_DCBST = 54, X_DCBF = 86, X_DCBZ = 1014, X_ICBI = 982, X_ICBT = 22,
};
constexpr u32 ld_(u32 rt, u32 ra, int ds) { return DSform(58, rt, ra, ds, 0); }
constexpr u32 ldu_(u32 rt, u32 ra, int ds) { return DSform(58, rt, ra, ds, 1); }
constexpr u32 lwa_(u32 rt, u32 ra, int ds) { return DSform(58, rt, ra, ds, 2); }
constexpr u32 std_(u32 rs, u32 ra, int ds) { return DSform(62, rs, ra, ds, 0); }
constexpr u32 stdu_(u32 rs, u32 ra, int ds) { return DSform(62, rs, ra, ds, 1); }
constexpr u32 stq_(u32 rs, u32 ra, int ds) { return DSform(62, rs, ra, ds, 2); }
constexpr u32 lq_(u32 rt, u32 ra, int dq) { return Dform(56, rt, ra, dq & 0xfff0); }

// Words straight from the assembler.
static_assert(Dform(LBZ, 3, 4, 8) == 0x88640008);
static_assert(ld_(3, 4, 8) == 0xe8640008 && ldu_(3, 4, 8) == 0xe8640009 && lwa_(3, 4, 8) == 0xe864000a);
static_assert(stq_(6, 4, 16) == 0xf8c40012 && lq_(6, 4, 16) == 0xe0c40010);
static_assert(Xform(X_STWCX, 3, 4, 5, 1) == 0x7c64292d && Xform(X_LQARX, 6, 4, 5) == 0x7cc42a28);
static_assert(Xform(X_LSWI, 6, 4, 7) == 0x7cc43caa && Xform(X_DCBZ, 0, 4, 5) == 0x7c042fec);
constexpr u32 ISYNC = 0x4c00012c, HWSYNC = 0x7c0004ac, LWSYNC = 0x7c2004ac, PTESYNC = 0x7c4004ac;
constexpr u32 EIEIO = 0x7c0006ac, WAIT = 0x7c00003c, COPY = 0x7c240e0c, PASTE = 0x7c240f0d, CPABORT = 0x7c00068c;

constexpr u64 DATA = 0x4000;  // data page, away from the code at 0x1000

// Fill memory at a with the bytes 0x80, 0x81, ...
void pattern(TestCpu& c, u64 a, unsigned n) {
  for (unsigned k = 0; k < n; ++k) c.mem[a + k] = static_cast<u8>(0x80 + k);
}
u64 mem64(const TestCpu& c, u64 a) {
  u64 v;
  std::memcpy(&v, &c.mem[a], 8);
  return v;  // host (little-endian) order
}
bool is_illegal(const TestCpu& c) { return c.s.exc == Exc::Program && (c.s.exc_reason & lpar::PROG_ILLEGAL); }
unsigned cr0(const TestCpu& c) { return c.s.cr >> 28; }

}  // namespace

TEST_CASE("D-form and X-form loads, both endians", "[loadstore]") {
  for (bool le : {true, false}) {
    TestCpu c(isa::POWER9, le);
    pattern(c, DATA, 16);
    c.s.gpr[4] = DATA;
    c.s.gpr[5] = 8;
    auto run = [&](u32 w) { REQUIRE(c.exec(w) == Status::Next); return c.s.gpr[3]; };
    // Bytes 0x88.. at DATA+8.
    CHECK(run(Dform(LBZ, 3, 4, 8)) == 0x88);
    CHECK(run(Xform(X_LBZX, 3, 4, 5)) == 0x88);
    CHECK(run(Dform(LHZ, 3, 4, 8)) == (le ? 0x8988u : 0x8889u));
    CHECK(run(Xform(X_LHZX, 3, 4, 5)) == (le ? 0x8988u : 0x8889u));
    CHECK(run(Dform(LHA, 3, 4, 8)) == (le ? 0xffffffffffff8988ull : 0xffffffffffff8889ull));
    CHECK(run(Xform(X_LHAX, 3, 4, 5)) == (le ? 0xffffffffffff8988ull : 0xffffffffffff8889ull));
    CHECK(run(Dform(LWZ, 3, 4, 8)) == (le ? 0x8b8a8988u : 0x88898a8bu));
    CHECK(run(Xform(X_LWZX, 3, 4, 5)) == (le ? 0x8b8a8988u : 0x88898a8bu));
    CHECK(run(lwa_(3, 4, 8)) == (le ? 0xffffffff8b8a8988ull : 0xffffffff88898a8bull));
    CHECK(run(Xform(X_LWAX, 3, 4, 5)) == (le ? 0xffffffff8b8a8988ull : 0xffffffff88898a8bull));
    CHECK(run(ld_(3, 4, 8)) == (le ? 0x8f8e8d8c8b8a8988ull : 0x88898a8b8c8d8e8full));
    CHECK(run(Xform(X_LDX, 3, 4, 5)) == (le ? 0x8f8e8d8c8b8a8988ull : 0x88898a8b8c8d8e8full));
    // Negative displacement; RA=0 means literal zero.
    c.s.gpr[4] = DATA + 0x10;
    CHECK(run(Dform(LBZ, 3, 4, -16)) == 0x80);
    c.s.gpr[0] = 0x999;
    CHECK(run(Dform(LBZ, 3, 0, static_cast<int>(DATA + 1))) == 0x81);
    c.s.gpr[5] = DATA + 2;
    CHECK(run(Xform(X_LBZX, 3, 0, 5)) == 0x82);
    // Positive halfword sign-extends to a positive value.
    c.mem[DATA + 0x20] = 0x12;
    c.mem[DATA + 0x21] = 0x34;
    c.s.gpr[4] = DATA;
    CHECK(run(Dform(LHA, 3, 4, 0x20)) == (le ? 0x3412u : 0x1234u));
    // A word load zero-extends: the upper half of RT is cleared.
    c.s.gpr[3] = ~0ull;
    CHECK(run(Dform(LWZ, 3, 4, 0)) == (le ? 0x83828180u : 0x80818283u));
  }
}

TEST_CASE("update-form loads write EA into RA; RA=0 or RA=RT is illegal", "[loadstore]") {
  for (bool le : {true, false}) {
    TestCpu c(isa::POWER9, le);
    pattern(c, DATA, 64);
    struct Case { u32 w; u64 expect_le, expect_be; u64 ea; };
    const Case cases[] = {
        {Dform(LBZU, 3, 4, 8), 0x88, 0x88, DATA + 8},
        {Xform(X_LBZUX, 3, 4, 5), 0x90, 0x90, DATA + 16},
        {Dform(LHZU, 3, 4, 8), 0x8988, 0x8889, DATA + 8},
        {Xform(X_LHZUX, 3, 4, 5), 0x9190, 0x9091, DATA + 16},
        {Dform(LHAU, 3, 4, 8), 0xffffffffffff8988ull, 0xffffffffffff8889ull, DATA + 8},
        {Xform(X_LHAUX, 3, 4, 5), 0xffffffffffff9190ull, 0xffffffffffff9091ull, DATA + 16},
        {Dform(LWZU, 3, 4, 8), 0x8b8a8988, 0x88898a8b, DATA + 8},
        {Xform(X_LWZUX, 3, 4, 5), 0x93929190, 0x90919293, DATA + 16},
        {Xform(X_LWAUX, 3, 4, 5), 0xffffffff93929190ull, 0xffffffff90919293ull, DATA + 16},
        {ldu_(3, 4, 8), 0x8f8e8d8c8b8a8988ull, 0x88898a8b8c8d8e8full, DATA + 8},
        {Xform(X_LDUX, 3, 4, 5), 0x9796959493929190ull, 0x9091929394959697ull, DATA + 16},
    };
    for (const Case& k : cases) {
      c.s.gpr[4] = DATA;
      c.s.gpr[5] = 16;
      REQUIRE(c.exec(k.w) == Status::Next);
      CHECK(c.s.gpr[3] == (le ? k.expect_le : k.expect_be));
      CHECK(c.s.gpr[4] == k.ea);
      // Invalid forms (qemu-ppc64le 7.2 gives SIGILL): RA=0, and RA=RT.
      const u32 ra0 = k.w & ~(31u << 16);
      CHECK(c.exec(ra0) == Status::Exception);
      CHECK(is_illegal(c));
      const u32 rart = (k.w & ~(31u << 16)) | (3u << 16);
      c.s.gpr[3] = DATA;
      CHECK(c.exec(rart) == Status::Exception);
      CHECK(is_illegal(c));
      CHECK(c.s.gpr[3] == DATA);
    }
  }
}

TEST_CASE("stores and update-form stores, both endians", "[loadstore]") {
  for (bool le : {true, false}) {
    TestCpu c(isa::POWER9, le);
    const u64 v = 0x1122334455667788ull;
    auto bytes = [&](u64 a, unsigned n) {
      u64 r = 0;
      for (unsigned k = 0; k < n; ++k) r = (r << 8) | c.mem[a + k];
      return r;  // as a big-endian number
    };
    struct Case { u32 w; unsigned n; bool update; bool x; };
    const Case cases[] = {
        {Dform(STB, 3, 4, 8), 1, false, false},  {Dform(STBU, 3, 4, 8), 1, true, false},
        {Xform(X_STBX, 3, 4, 5), 1, false, true}, {Xform(X_STBUX, 3, 4, 5), 1, true, true},
        {Dform(STH, 3, 4, 8), 2, false, false},  {Dform(STHU, 3, 4, 8), 2, true, false},
        {Xform(X_STHX, 3, 4, 5), 2, false, true}, {Xform(X_STHUX, 3, 4, 5), 2, true, true},
        {Dform(STW, 3, 4, 8), 4, false, false},  {Dform(STWU, 3, 4, 8), 4, true, false},
        {Xform(X_STWX, 3, 4, 5), 4, false, true}, {Xform(X_STWUX, 3, 4, 5), 4, true, true},
        {std_(3, 4, 8), 8, false, false},        {stdu_(3, 4, 8), 8, true, false},
        {Xform(X_STDX, 3, 4, 5), 8, false, true}, {Xform(X_STDUX, 3, 4, 5), 8, true, true},
    };
    for (const Case& k : cases) {
      std::fill(c.mem.begin() + DATA, c.mem.begin() + DATA + 64, 0xee);
      c.s.gpr[3] = v;
      c.s.gpr[4] = DATA;
      c.s.gpr[5] = 16;
      REQUIRE(c.exec(k.w) == Status::Next);
      const u64 at = DATA + (k.x ? 16 : 8);
      const u64 low = k.n == 8 ? v : v & ((1ull << (8 * k.n)) - 1);
      const u64 expect = le ? lpar::bswap(low) >> (64 - 8 * k.n) : low;
      CHECK(bytes(at, k.n) == expect);
      CHECK(c.mem[at - 1] == 0xee);
      CHECK(c.mem[at + k.n] == 0xee);
      CHECK(c.s.gpr[4] == (k.update ? at : DATA));
      if (k.update) {
        // RA=0 is invalid for update stores (SIGILL under qemu-ppc64le 7.2) ...
        std::fill(c.mem.begin() + DATA, c.mem.begin() + DATA + 64, 0xee);
        c.s.gpr[0] = DATA;
        CHECK(c.exec(k.w & ~(31u << 16)) == Status::Exception);
        CHECK(is_illegal(c));
        // ... but RA=RS is fine: the old RS is stored.
        c.s.gpr[3] = DATA;
        REQUIRE(c.exec((k.w & ~(31u << 16)) | (3u << 16)) == Status::Next);
        CHECK(c.s.gpr[3] == DATA + (k.x ? 16 : 8));
        CHECK(c.mem[DATA + (k.x ? 16 : 8) + (le ? 0 : k.n - 1)] == (DATA & 0xff));
      }
    }
  }
}

TEST_CASE("Rc bit of X-form loads and stores follows QEMU's decoder", "[loadstore]") {
  TestCpu c(isa::POWER9, true);
  pattern(c, DATA, 16);
  c.s.gpr[4] = DATA;
  c.s.gpr[5] = 4;
  // qemu-ppc64le 7.2: lbzx/lwzx/stwx ignore bit 31; lhbrx/lwbrx/ldbrx with it set are illegal.
  REQUIRE(c.exec(Xform(X_LWZX, 3, 4, 5, 1)) == Status::Next);
  CHECK(c.s.gpr[3] == 0x87868584);
  CHECK(c.s.cr == 0);
  REQUIRE(c.exec(Xform(X_STWX, 3, 4, 5, 1)) == Status::Next);
  CHECK(c.exec(Xform(X_LHBRX, 3, 4, 5, 1)) == Status::Exception);
  CHECK(is_illegal(c));
  CHECK(c.exec(Xform(X_LWBRX, 3, 4, 5, 1)) == Status::Exception);
  CHECK(c.exec(Xform(X_LDBRX, 3, 4, 5, 1)) == Status::Exception);
  c.s.gpr[3] = 0x1234;
  REQUIRE(c.exec(Xform(X_STHBRX, 3, 4, 5, 1)) == Status::Next);
  CHECK(c.mem[DATA + 4] == 0x12);
}

TEST_CASE("byte-reversed loads and stores", "[loadstore]") {
  for (bool le : {true, false}) {
    TestCpu c(isa::POWER9, le);
    pattern(c, DATA, 16);
    c.s.gpr[4] = DATA;
    c.s.gpr[5] = 8;
    // Byte-reversed means the opposite of the current byte order.
    REQUIRE(c.exec(Xform(X_LHBRX, 3, 4, 5)) == Status::Next);
    CHECK(c.s.gpr[3] == (le ? 0x8889u : 0x8988u));
    REQUIRE(c.exec(Xform(X_LWBRX, 3, 4, 5)) == Status::Next);
    CHECK(c.s.gpr[3] == (le ? 0x88898a8bu : 0x8b8a8988u));
    REQUIRE(c.exec(Xform(X_LDBRX, 3, 4, 5)) == Status::Next);
    CHECK(c.s.gpr[3] == (le ? 0x88898a8b8c8d8e8full : 0x8f8e8d8c8b8a8988ull));
    c.s.gpr[3] = 0x1122334455667788ull;
    c.s.gpr[4] = 0;
    c.s.gpr[5] = DATA + 0x20;
    REQUIRE(c.exec(Xform(X_STHBRX, 3, 0, 5)) == Status::Next);  // RA=0
    CHECK(c.mem[DATA + 0x20] == (le ? 0x77 : 0x88));
    CHECK(c.mem[DATA + 0x21] == (le ? 0x88 : 0x77));
    REQUIRE(c.exec(Xform(X_STWBRX, 3, 4, 5)) == Status::Next);
    CHECK(c.mem[DATA + 0x20] == (le ? 0x55 : 0x88));
    CHECK(c.mem[DATA + 0x23] == (le ? 0x88 : 0x55));
    REQUIRE(c.exec(Xform(X_STDBRX, 3, 4, 5)) == Status::Next);
    CHECK(mem64(c, DATA + 0x20) == (le ? 0x8877665544332211ull : 0x1122334455667788ull));
  }
}

TEST_CASE("lq and stq", "[loadstore]") {
  for (bool le : {true, false}) {
    TestCpu c(isa::POWER9, le);
    pattern(c, DATA, 64);
    c.s.gpr[4] = DATA;
    REQUIRE(c.exec(lq_(8, 4, 16)) == Status::Next);
    // The quadword in the current byte order; RT gets its high-order half
    // (qemu-ppc64le 7.2, LE: r8 = dword at EA+8, r9 = dword at EA).
    CHECK(c.s.gpr[8] == (le ? 0x9f9e9d9c9b9a9998ull : 0x9091929394959697ull));
    CHECK(c.s.gpr[9] == (le ? 0x9796959493929190ull : 0x98999a9b9c9d9e9full));
    // The low four DQ bits are reserved and ignored, as in QEMU.
    REQUIRE(c.exec(lq_(8, 4, 16) | 0x9) == Status::Next);
    CHECK(c.s.gpr[9] == (le ? 0x9796959493929190ull : 0x98999a9b9c9d9e9full));
    // RT+1 = RA is allowed; odd RT or RT = RA is not.
    c.s.gpr[9] = DATA;
    REQUIRE(c.exec(lq_(8, 9, 0)) == Status::Next);
    CHECK(c.s.gpr[9] == (le ? 0x8786858483828180ull : 0x88898a8b8c8d8e8full));
    CHECK(c.exec(lq_(7, 4, 0)) == Status::Exception);
    CHECK(is_illegal(c));
    CHECK(c.exec(lq_(4, 4, 0)) == Status::Exception);
    CHECK(is_illegal(c));
    // stq, also at an address only 8-aligned (no alignment check in QEMU).
    c.s.gpr[10] = 0xAABBCCDDEEFF0011ull;
    c.s.gpr[11] = 0x2233445566778899ull;
    REQUIRE(c.exec(stq_(10, 4, 0x28)) == Status::Next);
    CHECK(mem64(c, DATA + 0x28) == (le ? 0x2233445566778899ull : lpar::bswap(0xAABBCCDDEEFF0011ull)));
    CHECK(mem64(c, DATA + 0x30) == (le ? 0xAABBCCDDEEFF0011ull : lpar::bswap(0x2233445566778899ull)));
    CHECK(c.exec(stq_(11, 4, 0)) == Status::Exception);
    CHECK(is_illegal(c));
  }
}

TEST_CASE("lmw and stmw", "[loadstore]") {
  TestCpu c(isa::POWER9, false);
  pattern(c, DATA, 64);
  c.s.gpr[4] = DATA;
  c.s.gpr[29] = ~0ull;
  REQUIRE(c.exec(Dform(LMW, 29, 4, 4)) == Status::Next);
  CHECK(c.s.gpr[29] == 0x84858687u);
  CHECK(c.s.gpr[30] == 0x88898a8bu);
  CHECK(c.s.gpr[31] == 0x8c8d8e8fu);
  CHECK(c.s.gpr[28] == 0);
  for (unsigned r = 28; r < 32; ++r) c.s.gpr[r] = 0xdead000000000000ull | (0x10203040u * r);
  REQUIRE(c.exec(Dform(STMW, 28, 4, 0x20)) == Status::Next);
  for (unsigned r = 28; r < 32; ++r) {
    const u32 w = 0x10203040u * r;
    const u64 a = DATA + 0x20 + 4 * (r - 28);
    CHECK(((u32{c.mem[a]} << 24) | (u32{c.mem[a + 1]} << 16) | (u32{c.mem[a + 2]} << 8) | c.mem[a + 3]) == w);
  }
  CHECK(c.mem[DATA + 0x30] == 0xb0);
  // Little-endian mode: Alignment interrupt (QEMU raises it too).
  TestCpu l(isa::POWER9, true);
  l.s.gpr[4] = DATA;
  CHECK(l.exec(Dform(LMW, 29, 4, 4)) == Status::Exception);
  CHECK(l.s.exc == Exc::Alignment);
  CHECK(l.exec(Dform(STMW, 29, 4, 4)) == Status::Exception);
  CHECK(l.s.exc == Exc::Alignment);
}

TEST_CASE("load/store string", "[loadstore]") {
  TestCpu c(isa::POWER9, false);
  pattern(c, DATA, 64);
  c.s.gpr[4] = DATA;
  // lswi 6 bytes into r6, r7: the last register is padded with zeros on the right.
  c.s.gpr[6] = c.s.gpr[7] = c.s.gpr[8] = ~0ull;
  REQUIRE(c.exec(Xform(X_LSWI, 6, 4, 6)) == Status::Next);
  CHECK(c.s.gpr[6] == 0x80818283u);
  CHECK(c.s.gpr[7] == 0x84850000u);
  CHECK(c.s.gpr[8] == ~0ull);
  // NB=0 means 32 bytes; registers wrap from r31 to r0.
  REQUIRE(c.exec(Xform(X_LSWI, 28, 4, 0)) == Status::Next);
  CHECK(c.s.gpr[28] == 0x80818283u);
  CHECK(c.s.gpr[31] == 0x8c8d8e8fu);
  CHECK(c.s.gpr[0] == 0x90919293u);
  CHECK(c.s.gpr[3] == 0x9c9d9e9fu);
  // Invalid form: RA among the registers loaded.
  CHECK(c.exec(Xform(X_LSWI, 3, 4, 8)) == Status::Exception);
  CHECK(is_illegal(c));
  // lswx takes the count from XER[57:63].
  c.s.gpr[4] = DATA;
  c.s.gpr[5] = 1;
  c.s.xer_bc = 7;
  c.s.gpr[10] = c.s.gpr[11] = c.s.gpr[12] = ~0ull;
  REQUIRE(c.exec(Xform(X_LSWX, 10, 4, 5)) == Status::Next);
  CHECK(c.s.gpr[10] == 0x81828384u);
  CHECK(c.s.gpr[11] == 0x85868700u);
  CHECK(c.s.gpr[12] == ~0ull);
  c.s.xer_bc = 0;  // nothing moves
  REQUIRE(c.exec(Xform(X_LSWX, 10, 4, 5)) == Status::Next);
  CHECK(c.s.gpr[10] == 0x81828384u);
  c.s.xer_bc = 8;  // RB among the targets
  CHECK(c.exec(Xform(X_LSWX, 4, 6, 5)) == Status::Exception);
  CHECK(is_illegal(c));
  // stswi/stswx store the low words' bytes from the high-order end.
  c.s.gpr[20] = 0xffffffff11223344ull;
  c.s.gpr[21] = 0x55667788u;
  std::fill(c.mem.begin() + DATA + 0x40, c.mem.begin() + DATA + 0x50, 0xee);
  c.s.gpr[4] = DATA + 0x40;
  REQUIRE(c.exec(Xform(X_STSWI, 20, 4, 5)) == Status::Next);
  CHECK(c.mem[DATA + 0x40] == 0x11);
  CHECK(c.mem[DATA + 0x43] == 0x44);
  CHECK(c.mem[DATA + 0x44] == 0x55);
  CHECK(c.mem[DATA + 0x45] == 0xee);
  c.s.xer_bc = 3;
  c.s.gpr[5] = 8;
  REQUIRE(c.exec(Xform(X_STSWX, 21, 4, 5)) == Status::Next);
  CHECK(c.mem[DATA + 0x48] == 0x55);
  CHECK(c.mem[DATA + 0x4a] == 0x77);
  CHECK(c.mem[DATA + 0x4b] == 0xee);
  // Little-endian mode: Alignment interrupt for all four.
  TestCpu l(isa::POWER9, true);
  l.s.gpr[4] = DATA;
  l.s.xer_bc = 4;
  for (u32 w : {Xform(X_LSWI, 6, 4, 6), Xform(X_LSWX, 6, 4, 5), Xform(X_STSWI, 6, 4, 6), Xform(X_STSWX, 6, 4, 5)}) {
    CHECK(l.exec(w) == Status::Exception);
    CHECK(l.s.exc == Exc::Alignment);
  }
}

TEST_CASE("load and reserve / store conditional", "[loadstore]") {
  for (bool le : {true, false}) {
    TestCpu c(isa::POWER9, le);
    const u64 A = DATA + 0x40;
    auto reset = [&] {
      pattern(c, A, 16);
      c.s.gpr[4] = A;
      c.s.gpr[5] = 0;
      c.s.gpr[3] = 0x1122334455667788ull;
      c.s.cr = 0;
      c.s.so = 0;
    };
    const u64 w0 = le ? 0x83828180u : 0x80818283u;
    // Success: same address, value unchanged.
    reset();
    REQUIRE(c.exec(Xform(X_LWARX, 7, 4, 5)) == Status::Next);
    CHECK(c.s.gpr[7] == w0);
    REQUIRE(c.exec(Xform(X_STWCX, 3, 4, 5, 1)) == Status::Next);
    CHECK(cr0(c) == 0x2);
    CHECK(c.mem[A] == (le ? 0x88 : 0x55));
    // The reservation is gone: a second stwcx. fails and stores nothing.
    c.s.gpr[3] = 0;
    REQUIRE(c.exec(Xform(X_STWCX, 3, 4, 5, 1)) == Status::Next);
    CHECK(cr0(c) == 0x0);
    CHECK(c.mem[A] == (le ? 0x88 : 0x55));
    // Different address: fails, CR0 = SO.
    reset();
    c.s.so = 1;
    REQUIRE(c.exec(Xform(X_LWARX, 7, 4, 5)) == Status::Next);
    c.s.gpr[5] = 4;
    REQUIRE(c.exec(Xform(X_STWCX, 3, 4, 5, 1)) == Status::Next);
    CHECK(cr0(c) == 0x1);
    CHECK(c.mem[A + 4] == 0x84);
    // Success copies SO.
    reset();
    c.s.so = 1;
    REQUIRE(c.exec(Xform(X_LWARX, 7, 4, 5)) == Status::Next);
    REQUIRE(c.exec(Xform(X_STWCX, 3, 4, 5, 1)) == Status::Next);
    CHECK(cr0(c) == 0x3);
    // qemu-ppc64le 7.2 compares values: an intervening store of a different
    // value fails the stwcx., one of the same value does not.
    reset();
    REQUIRE(c.exec(Xform(X_LWARX, 7, 4, 5)) == Status::Next);
    c.s.gpr[10] = 0xdeadbeef;
    REQUIRE(c.exec(Dform(STW, 10, 4, 0)) == Status::Next);
    REQUIRE(c.exec(Xform(X_STWCX, 3, 4, 5, 1)) == Status::Next);
    CHECK(cr0(c) == 0x0);
    CHECK(c.mem[A] == (le ? 0xef : 0xde));
    reset();
    REQUIRE(c.exec(Xform(X_LWARX, 7, 4, 5)) == Status::Next);
    REQUIRE(c.exec(Dform(STW, 7, 4, 0)) == Status::Next);
    REQUIRE(c.exec(Xform(X_STWCX, 3, 4, 5, 1)) == Status::Next);
    CHECK(cr0(c) == 0x2);
    // Every size, with the EH hint set on the load.
    struct Sz { u32 larx, stcx; u64 lval_le, lval_be; unsigned n; };
    const Sz sizes[] = {
        {X_LBARX, X_STBCX, 0x80, 0x80, 1},
        {X_LHARX, X_STHCX, 0x8180, 0x8081, 2},
        {X_LWARX, X_STWCX, 0x83828180, 0x80818283, 4},
        {X_LDARX, X_STDCX, 0x8786858483828180ull, 0x8081828384858687ull, 8},
    };
    for (const Sz& z : sizes) {
      reset();
      REQUIRE(c.exec(Xform(z.larx, 7, 4, 5, 1)) == Status::Next);
      CHECK(c.s.gpr[7] == (le ? z.lval_le : z.lval_be));
      REQUIRE(c.exec(Xform(z.stcx, 3, 4, 5, 1)) == Status::Next);
      CHECK(cr0(c) == 0x2);
      CHECK(c.mem[A] == (le ? 0x88 : static_cast<u8>(0x1122334455667788ull >> (8 * z.n - 8))));
      CHECK(c.mem[A + z.n] == 0x80 + z.n);
      // Misaligned reserve: Alignment interrupt (SIGBUS under qemu-ppc64le).
      if (z.n > 1) {
        c.s.gpr[5] = 1;
        CHECK(c.exec(Xform(z.larx, 7, 4, 5)) == Status::Exception);
        CHECK(c.s.exc == Exc::Alignment);
        CHECK(c.s.exc_addr == A + 1);
        // A misaligned store conditional without a matching reservation just fails.
        REQUIRE(c.exec(Xform(z.stcx, 3, 4, 5, 1)) == Status::Next);
        CHECK(cr0(c) == 0x0);
        // With a matching one (lbarx at A+1) it takes the Alignment interrupt.
        REQUIRE(c.exec(Xform(X_LBARX, 7, 4, 5)) == Status::Next);
        CHECK(c.exec(Xform(z.stcx, 3, 4, 5, 1)) == Status::Exception);
        CHECK(c.s.exc == Exc::Alignment);
      }
    }
    // Bit 31 = 0 still decodes as stwcx. in QEMU (no reservation here: fails).
    reset();
    c.s.cr = 0xf0000000;
    REQUIRE(c.exec(Xform(X_STWCX, 3, 4, 5, 0)) == Status::Next);
    CHECK(cr0(c) == 0x0);
    // lwarx then stbcx.: QEMU stores the byte (memory held the low byte of the
    // reserved word) yet reports failure, since the whole word differs.
    reset();
    REQUIRE(c.exec(Xform(X_LWARX, 7, 4, 5)) == Status::Next);
    REQUIRE(c.exec(Xform(X_STBCX, 3, 4, 5, 1)) == Status::Next);
    CHECK(cr0(c) == 0x0);
    CHECK(c.mem[A] == (le ? 0x88 : 0x80));
    // ldarx then stdcx. of a new value, then reads back.
    reset();
    REQUIRE(c.exec(Xform(X_LDARX, 7, 4, 5)) == Status::Next);
    REQUIRE(c.exec(Xform(X_STDCX, 3, 4, 5, 1)) == Status::Next);
    CHECK(cr0(c) == 0x2);
    REQUIRE(c.exec(ld_(8, 4, 0)) == Status::Next);
    CHECK(c.s.gpr[8] == 0x1122334455667788ull);
    // dcbz on the reserved block loses the reservation (storage is zero
    // before and after, so only the lost reservation fails the stwcx.).
    reset();
    std::fill(c.mem.begin() + A, c.mem.begin() + A + 8, 0);
    REQUIRE(c.exec(Xform(X_LWARX, 7, 4, 5)) == Status::Next);
    REQUIRE(c.exec(Xform(X_DCBZ, 0, 4, 5)) == Status::Next);
    c.s.gpr[3] = 0;
    REQUIRE(c.exec(Xform(X_STWCX, 3, 4, 5, 1)) == Status::Next);
    CHECK(cr0(c) == 0x0);
  }
}

TEST_CASE("lqarx and stqcx.", "[loadstore]") {
  for (bool le : {true, false}) {
    TestCpu c(isa::POWER9, le);
    const u64 A = DATA + 0x80;
    pattern(c, A, 16);
    c.s.gpr[4] = A;
    c.s.gpr[5] = 0;
    REQUIRE(c.exec(Xform(X_LQARX, 8, 4, 5, 1)) == Status::Next);
    CHECK(c.s.gpr[8] == (le ? 0x8f8e8d8c8b8a8988ull : 0x8081828384858687ull));
    CHECK(c.s.gpr[9] == (le ? 0x8786858483828180ull : 0x88898a8b8c8d8e8full));
    c.s.gpr[10] = 0x1111111111111111ull;
    c.s.gpr[11] = 0x2222222222222222ull;
    // (qemu-ppc64le 7.2 reports failure for every stqcx.; we follow the book.)
    REQUIRE(c.exec(Xform(X_STQCX, 10, 4, 5, 1)) == Status::Next);
    CHECK(cr0(c) == 0x2);
    CHECK(mem64(c, A) == (le ? 0x2222222222222222ull : 0x1111111111111111ull));
    CHECK(mem64(c, A + 8) == (le ? 0x1111111111111111ull : 0x2222222222222222ull));
    REQUIRE(c.exec(Xform(X_STQCX, 10, 4, 5, 1)) == Status::Next);
    CHECK(cr0(c) == 0x0);
    // Changed data fails.
    REQUIRE(c.exec(Xform(X_LQARX, 8, 4, 5)) == Status::Next);
    c.mem[A + 12] ^= 1;
    c.s.gpr[10] = c.s.gpr[11] = 0;
    REQUIRE(c.exec(Xform(X_STQCX, 10, 4, 5, 1)) == Status::Next);
    CHECK(cr0(c) == 0x0);
    CHECK(mem64(c, A) != 0);
    CHECK(mem64(c, A + 8) != 0);
    // A word reservation does not serve stqcx.
    REQUIRE(c.exec(Xform(X_LWARX, 8, 4, 5)) == Status::Next);
    REQUIRE(c.exec(Xform(X_STQCX, 10, 4, 5, 1)) == Status::Next);
    CHECK(cr0(c) == 0x0);
    // Invalid forms (SIGILL under QEMU): odd RTp, RTp = RA or RB; odd RSp.
    CHECK(c.exec(Xform(X_LQARX, 9, 4, 5)) == Status::Exception);
    CHECK(is_illegal(c));
    CHECK(c.exec(Xform(X_LQARX, 4, 4, 5)) == Status::Exception);
    CHECK(is_illegal(c));
    CHECK(c.exec(Xform(X_LQARX, 6, 4, 6)) == Status::Exception);
    CHECK(is_illegal(c));
    CHECK(c.exec(Xform(X_STQCX, 11, 4, 5, 1)) == Status::Exception);
    CHECK(is_illegal(c));
    // Only 8-aligned: Alignment interrupt.
    c.s.gpr[5] = 8;
    CHECK(c.exec(Xform(X_LQARX, 8, 4, 5)) == Status::Exception);
    CHECK(c.s.exc == Exc::Alignment);
  }
}

TEST_CASE("dcbz zeroes the aligned 128-byte block", "[loadstore]") {
  for (bool le : {true, false}) {
    TestCpu c(isa::POWER9, le);
    std::fill(c.mem.begin() + DATA, c.mem.begin() + DATA + 0x200, 0xee);
    c.s.gpr[4] = DATA + 0x80;
    c.s.gpr[5] = 0x45;  // EA = DATA + 0xc5
    REQUIRE(c.exec(Xform(X_DCBZ, 0, 4, 5)) == Status::Next);
    CHECK(c.mem[DATA + 0x7f] == 0xee);
    for (unsigned k = 0x80; k < 0x100; ++k) CHECK(c.mem[DATA + k] == 0);
    CHECK(c.mem[DATA + 0x100] == 0xee);
    // RA=0; and past the end of memory: DSI.
    c.s.gpr[5] = TestCpu::MEM_SIZE + 0x10;
    CHECK(c.exec(Xform(X_DCBZ, 0, 0, 5)) == Status::Exception);
    CHECK(c.s.exc == Exc::DSI);
  }
}

TEST_CASE("cache hints, barriers and unsupported storage instructions", "[loadstore]") {
  TestCpu c(isa::POWER9, true);
  pattern(c, DATA, 16);
  c.s.gpr[4] = DATA;
  c.s.gpr[5] = 0;
  c.s.gpr[6] = TestCpu::MEM_SIZE + 0x40;
  u64 before[32];
  std::memcpy(before, c.s.gpr, sizeof before);
  // Touches never fault, even outside memory (qemu-ppc64le 7.2).
  for (u32 w : {Xform(X_DCBT, 0, 0, 6), Xform(X_DCBT, 16, 0, 6), Xform(X_DCBTST, 0, 0, 6), Xform(X_DCBTST, 3, 0, 6),
                Xform(X_DCBST, 0, 4, 5), Xform(X_DCBF, 0, 4, 5), Xform(X_DCBF, 1, 4, 5), Xform(X_ICBI, 0, 4, 5),
                ISYNC, HWSYNC, LWSYNC, PTESYNC, EIEIO, WAIT, CPABORT}) {
    CHECK(c.exec(w) == Status::Next);
    CHECK(c.s.nip == 0x1004);
  }
  CHECK(std::memcmp(before, c.s.gpr, sizeof before) == 0);
  CHECK(c.mem[DATA] == 0x80);
  // dcbst, dcbf and icbi check access like a load (SIGSEGV under QEMU).
  for (u32 w : {Xform(X_DCBST, 0, 0, 6), Xform(X_DCBF, 0, 0, 6), Xform(X_ICBI, 0, 0, 6)}) {
    CHECK(c.exec(w) == Status::Exception);
    CHECK(c.s.exc == Exc::DSI);
  }
  // Illegal under qemu-ppc64le 7.2: copy, paste., icbt, wait WC!=0, dcbf L=3,
  // dcbt with Rc=1, sync with reserved bits.
  for (u32 w : {COPY, PASTE, 0x7c44282cu, WAIT | (1u << 21), Xform(X_DCBF, 3, 4, 5), Xform(X_DCBT, 0, 4, 5, 1),
                HWSYNC | (4u << 16), HWSYNC | 1u, ISYNC | 1u}) {
    CHECK(c.exec(w) == Status::Exception);
    CHECK(is_illegal(c));
  }
}

TEST_CASE("accesses crossing a page boundary", "[loadstore]") {
  for (bool le : {true, false}) {
    TestCpu c(isa::POWER9, le);
    pattern(c, 0x4ffc, 8);
    c.s.gpr[4] = 0x4ffc;
    REQUIRE(c.exec(ld_(3, 4, 0)) == Status::Next);
    CHECK(c.s.gpr[3] == (le ? 0x8786858483828180ull : 0x8081828384858687ull));
    REQUIRE(c.exec(Dform(LWZ, 3, 4, 2)) == Status::Next);
    CHECK(c.s.gpr[3] == (le ? 0x85848382u : 0x82838485u));
    c.s.gpr[3] = 0x0102030405060708ull;
    REQUIRE(c.exec(std_(3, 4, 0)) == Status::Next);
    CHECK(c.mem[0x4ffc] == (le ? 0x08 : 0x01));
    CHECK(c.mem[0x5003] == (le ? 0x01 : 0x08));
    c.s.gpr[3] = 0xaabb;
    REQUIRE(c.exec(Dform(STH, 3, 4, 3)) == Status::Next);
    CHECK(c.mem[0x4fff] == (le ? 0xbb : 0xaa));
    CHECK(c.mem[0x5000] == (le ? 0xaa : 0xbb));
    REQUIRE(c.exec(Xform(X_LDBRX, 5, 0, 4)) == Status::Next);
    CHECK(c.s.gpr[5] == 0x080706bbaa030201ull);
  }
}

TEST_CASE("faults at the end of memory", "[loadstore]") {
  for (bool le : {true, false}) {
    TestCpu c(isa::POWER9, le);
    const u64 END = TestCpu::MEM_SIZE;
    c.s.gpr[4] = END;
    c.s.gpr[3] = 0x5555;
    CHECK(c.exec(Dform(LBZ, 3, 4, 0)) == Status::Exception);
    CHECK(c.s.exc == Exc::DSI);
    CHECK(c.s.gpr[3] == 0x5555);
    CHECK(c.s.nip == 0x1000);
    // A load crossing into the hole faults and leaves RT and RA alone.
    c.s.gpr[4] = END - 4;
    CHECK(c.exec(ldu_(3, 4, 0)) == Status::Exception);
    CHECK(c.s.exc == Exc::DSI);
    CHECK(c.s.gpr[3] == 0x5555);
    CHECK(c.s.gpr[4] == END - 4);
    // A store crossing into it writes nothing, and does not update RA.
    std::fill(c.mem.end() - 8, c.mem.end(), 0xee);
    c.s.gpr[3] = 0x1122334455667788ull;
    CHECK(c.exec(stdu_(3, 4, 0)) == Status::Exception);
    CHECK(c.s.exc == Exc::DSI);
    CHECK(c.s.gpr[4] == END - 4);
    CHECK(c.exec(Dform(STW, 3, 4, 2)) == Status::Exception);
    CHECK(c.exec(stq_(2, 4, -8)) == Status::Exception);
    for (unsigned k = 1; k <= 8; ++k) CHECK(c.mem[END - k] == 0xee);
    // lq across the end changes neither register.
    c.s.gpr[8] = c.s.gpr[9] = 7;
    CHECK(c.exec(lq_(8, 4, -0)) == Status::Exception);
    CHECK(c.s.gpr[8] == 7);
    CHECK(c.s.gpr[9] == 7);
    // The last bytes themselves are reachable.
    REQUIRE(c.exec(Dform(STW, 3, 4, 0)) == Status::Next);
    CHECK(c.mem[END - 1] == (le ? 0x55 : 0x88));
    if (!le) {
      // Multiple and string stores are all-or-nothing too.
      std::fill(c.mem.end() - 8, c.mem.end(), 0xee);
      c.s.gpr[4] = END - 8;
      CHECK(c.exec(Dform(STMW, 28, 4, 0)) == Status::Exception);
      CHECK(c.s.exc == Exc::DSI);
      CHECK(c.exec(Xform(X_STSWI, 28, 4, 12)) == Status::Exception);
      for (unsigned k = 1; k <= 8; ++k) CHECK(c.mem[END - k] == 0xee);
      c.s.gpr[28] = 1;
      CHECK(c.exec(Dform(LMW, 28, 4, 0)) == Status::Exception);
      CHECK(c.s.gpr[28] == 1);
    }
  }
}

TEST_CASE("32-bit mode effective addresses wrap", "[loadstore]") {
  TestCpu c(isa::POWER9, true);
  c.s.msr &= ~lpar::sem::MSR_SF;
  pattern(c, DATA, 16);
  c.s.gpr[4] = 0xfffffffffffff000ull + 0x0;  // -4096 + DATA+0x1000 wraps to DATA
  c.s.gpr[5] = DATA + 0x1000;
  REQUIRE(c.exec(Xform(X_LBZUX, 3, 4, 5)) == Status::Next);
  CHECK(c.s.gpr[3] == 0x80);
  CHECK(c.s.gpr[4] == DATA);
  c.s.gpr[4] = 0x1'0000'0000ull + DATA;  // high bits ignored
  REQUIRE(c.exec(Dform(LHZU, 3, 4, 2)) == Status::Next);
  CHECK(c.s.gpr[3] == 0x8382);
  CHECK(c.s.gpr[4] == DATA + 2);
  c.s.gpr[4] = 0xffffffffu;
  REQUIRE(c.exec(Dform(STBU, 3, 4, 0x11)) == Status::Next);
  CHECK(c.s.gpr[4] == 0x10);
  CHECK(c.mem[0x10] == 0x82);
}

TEST_CASE("atomic memory operations lwat ldat stwat stdat", "[loadstore]") {
  enum : u32 { X_LWAT = 582, X_LDAT = 614, X_STWAT = 710, X_STDAT = 742 };
  static_assert(Xform(X_LWAT, 8, 4, 5) == 0x7d042c8c && Xform(X_STDAT, 8, 4, 5) == 0x7d042dcc);
  TestCpu c(isa::POWER9, true);
  const u64 A = DATA + 0x40;
  auto put = [&](u64 m0, u64 m1) {
    std::memcpy(&c.mem[A], &m0, 8);
    std::memcpy(&c.mem[A + 8], &m1, 8);
  };
  struct Case { u32 xo, fc; u64 m0, m1, r8, r9, r10; u64 want_r8, want_m0, want_m1; };
  // Expected values from qemu-ppc64le 7.2 (r8 = RT/RS, r9 = RT+1, r10 = RT+2).
  const Case cases[] = {
      {X_LWAT, 0, 0x12345678fffffff0ull, 0, 0, 5, 0x33, 0xfffffff0, 0x12345678fffffff5ull, 0},
      {X_LWAT, 1, 0x12345678fffffff0ull, 0, 0, 5, 0x33, 0xfffffff0, 0x12345678fffffff5ull, 0},
      {X_LWAT, 2, 0x12345678fffffff0ull, 0, 0, 5, 0x33, 0xfffffff0, 0x12345678fffffff5ull, 0},
      {X_LWAT, 3, 0x12345678fffffff0ull, 0, 0, 5, 0x33, 0xfffffff0, 0x1234567800000000ull, 0},
      {X_LWAT, 4, 0x12345678fffffff0ull, 0, 0, 5, 0x33, 0xfffffff0, 0x12345678fffffff0ull, 0},
      {X_LWAT, 5, 0x12345678fffffff0ull, 0, 0, 5, 0x33, 0xfffffff0, 0x12345678fffffff0ull, 0},  // compares unsigned
      {X_LWAT, 6, 0x12345678fffffff0ull, 0, 0, 5, 0x33, 0xfffffff0, 0x1234567800000005ull, 0},
      {X_LWAT, 7, 0x12345678fffffff0ull, 0, 0, 5, 0x33, 0xfffffff0, 0x1234567800000005ull, 0},
      {X_LWAT, 8, 0x12345678fffffff0ull, 0, 0, 5, 0x33, 0xfffffff0, 0x1234567800000005ull, 0},
      {X_LWAT, 16, 0x12345678fffffff0ull, 0, 0, 5, 0x33, 0xfffffff0, 0x1234567800000033ull, 0},
      {X_LWAT, 16, 5, 0, 0, 5, 0x33, 5, 5, 0},
      {X_LWAT, 24, 0x0000000600000006ull, 0, 0, 5, 0x33, 0xffffffff80000000ull, 0x0000000600000006ull, 0},
      {X_LWAT, 24, 0x0000000700000006ull, 0, 0, 5, 0x33, 6, 0x0000000700000007ull, 0},
      {X_LWAT, 25, 0x0000000600000006ull, 0, 0, 5, 0x33, 6, 0x0000000600000007ull, 0},
      {X_LWAT, 28, 0x12345678fffffff0ull, 0, 0, 5, 0x33, 0xfffffff0, 0x12345678ffffffefull, 0},
      {X_LDAT, 0, 0xfffffffffffffff0ull, 0x1234, 0, 5, 0x33, 0xfffffffffffffff0ull, 0xfffffffffffffff5ull, 0x1234},
      {X_LDAT, 3, 0xfffffffffffffff0ull, 0x1234, 0, 5, 0x33, 0xfffffffffffffff0ull, 0, 0x1234},
      {X_LDAT, 5, 0xfffffffffffffff0ull, 0x1234, 0, 5, 0x33, 0xfffffffffffffff0ull, 5, 0x1234},
      {X_LDAT, 7, 0xfffffffffffffff0ull, 0x1234, 0, 5, 0x33, 0xfffffffffffffff0ull, 0xfffffffffffffff0ull, 0x1234},
      {X_LDAT, 16, 0xfffffffffffffff0ull, 0x1234, 0, 5, 0x33, 0xfffffffffffffff0ull, 0x33, 0x1234},
      {X_LDAT, 24, 0xfffffffffffffff0ull, 0x1234, 0, 5, 0x33, 0xfffffffffffffff0ull, 0xfffffffffffffff1ull, 0x1234},
      {X_LDAT, 25, 0xfffffffffffffff0ull, 0x1234, 0, 5, 0x33, 0xffffffff80000000ull, 0xfffffffffffffff0ull, 0x1234},
      {X_LDAT, 28, 6, 7, 0, 5, 0x33, 6, 5, 7},
      {X_STWAT, 0, 0x12345678fffffff0ull, 0, 5, 0, 0, 5, 0x12345678fffffff5ull, 0},
      {X_STWAT, 3, 0x12345678fffffff0ull, 0, 5, 0, 0, 5, 0x1234567800000000ull, 0},
      {X_STWAT, 5, 0x00000000ffffffffull, 0, 1, 0, 0, 1, 0x00000000ffffffffull, 0},
      {X_STWAT, 6, 0x12345678fffffff0ull, 0, 5, 0, 0, 5, 0x1234567800000005ull, 0},
      {X_STWAT, 24, 0x0000000600000006ull, 0, 0x99, 0, 0, 0x99, 0x0000009900000099ull, 0},
      {X_STWAT, 24, 0x0000000700000006ull, 0, 0x99, 0, 0, 0x99, 0x0000000700000006ull, 0},
      {X_STDAT, 5, 0xfffffffffffffff0ull, 0xfffffffffffffff0ull, 5, 0, 0, 5, 5, 0xfffffffffffffff0ull},
      {X_STDAT, 24, 0xfffffffffffffff0ull, 0xfffffffffffffff0ull, 5, 0, 0, 5, 5, 5},
  };
  for (const Case& k : cases) {
    INFO("xo " << k.xo << " fc " << k.fc);
    put(k.m0, k.m1);
    c.s.gpr[4] = A;
    c.s.gpr[8] = k.r8;
    c.s.gpr[9] = k.r9;
    c.s.gpr[10] = k.r10;
    REQUIRE(c.exec(Xform(k.xo, 8, 4, k.fc)) == Status::Next);
    CHECK(c.s.gpr[8] == k.want_r8);
    CHECK(mem64(c, A) == k.want_m0);
    CHECK(mem64(c, A + 8) == k.want_m1);
  }
  // Unknown function codes: DSI (SIGSEGV under QEMU); swap and CSNE are load-only.
  for (u32 w : {Xform(X_LWAT, 8, 4, 9), Xform(X_LDAT, 8, 4, 17), Xform(X_STWAT, 8, 4, 8), Xform(X_STDAT, 8, 4, 16),
                Xform(X_STWAT, 8, 4, 25)}) {
    CHECK(c.exec(w) == Status::Exception);
    CHECK(c.s.exc == Exc::DSI);
  }
  // Rc=1 is illegal; misaligned EA takes the Alignment interrupt.
  CHECK(c.exec(Xform(X_LWAT, 8, 4, 0, 1)) == Status::Exception);
  CHECK(is_illegal(c));
  c.s.gpr[4] = A + 2;
  CHECK(c.exec(Xform(X_LWAT, 8, 4, 0)) == Status::Exception);
  CHECK(c.s.exc == Exc::Alignment);
  // Big-endian: the same operations in big-endian storage.
  TestCpu b(isa::POWER9, false);
  const u8 twin[8] = {0, 0, 0, 6, 0, 0, 0, 6};
  std::memcpy(&b.mem[A], twin, 8);
  b.s.gpr[4] = A;
  b.s.gpr[8] = 0x01020304;
  REQUIRE(b.exec(Xform(X_STWAT, 8, 4, 24)) == Status::Next);
  const u8 want[8] = {1, 2, 3, 4, 1, 2, 3, 4};
  CHECK(std::memcmp(&b.mem[A], want, 8) == 0);
  b.s.gpr[9] = 0x10;
  REQUIRE(b.exec(Xform(X_LWAT, 8, 4, 0)) == Status::Next);
  CHECK(b.s.gpr[8] == 0x01020304);
  CHECK(b.mem[A + 3] == 0x14);
}
