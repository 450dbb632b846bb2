// Book III-S privileged instructions, SPR privilege checks, interrupt
// delivery and timers (tag [system]).  Expected values follow the PowerISA
// 3.0B Book III-S pseudocode; sections are cited per test.
#include <catch2/catch.hpp>

#include "cpu/interrupts.h"
#include "cpu/sem/system.h"
#include "cpu/timers.h"
#include "harness.h"

using namespace lpar;
using namespace lpar::sem;
using lpar::test::TestCpu;

namespace {

constexpr u32 xform(u32 po, u32 rt, u32 ra, u32 rb, u32 xo, u32 rc = 0) {
  return (po << 26) | (rt << 21) | (ra << 16) | (rb << 11) | (xo << 1) | rc;
}
constexpr u32 mfspr_w(u32 rt, u32 spr) { return xform(31, rt, spr & 0x1f, spr >> 5, 339); }
constexpr u32 mtspr_w(u32 spr, u32 rs) { return xform(31, rs, spr & 0x1f, spr >> 5, 467); }
constexpr u32 mfmsr_w(u32 rt) { return xform(31, rt, 0, 0, 83); }
constexpr u32 mtmsr_w(u32 rs, u32 l) { return xform(31, rs, l, 0, 146); }
constexpr u32 mtmsrd_w(u32 rs, u32 l) { return xform(31, rs, l, 0, 178); }
constexpr u32 RFID = xform(19, 0, 0, 0, 18);
constexpr u32 HRFID = xform(19, 0, 0, 0, 274);

constexpr u64 HV_STATE = MSR_SF | MSR_HV | MSR_ME | MSR_LE;
constexpr u64 SUPER_STATE = MSR_SF | MSR_ME | MSR_LE;
constexpr u64 PROBLEM_STATE = MSR_SF | MSR_ME | MSR_LE | MSR_PR | MSR_EE | MSR_IR | MSR_DR;

// A CPU of the given model in the given MSR state.
void setup(TestCpu& cpu, isa::Model m, u64 msr) {
  cpu.s.model = m;
  cpu.s.vclock = 1;
  reset_timers(cpu.s);  // DEC/HDEC positive: nothing pending
  set_msr(cpu.s, msr);
}

// The bits of an SPR that a supervisor's mtspr stores and mfspr gives back
// (the others read as 0 on the model, or are not the writer's to set).
constexpr u64 spr_implemented_bits(unsigned spr, u8 model) {
  constexpr u64 LOW32 = 0xFFFFFFFFu;
  switch (spr) {
    // Book I 3.2.2: SO, OV, CA (bits 32:34), OV32 and CA32 (44:45, ISA 3.0),
    // the string byte count (57:63); the rest reads 0.
    case SPR_XER: {
      const u64 bit = 1;
      return (bit << 31) | (bit << 30) | (bit << 29) | (model >= 3 ? (bit << 19) | (bit << 18) : 0) | 0x7F;
    }
    // 32-bit registers in the low word (Book III-S 6.2.3 DSISR, Book I 6.3
    // VRSAVE, Book II 3.1 PPR32, v3.0B Book III 5.7.5 PID).
    case SPR_DSISR:
    case SPR_VRSAVE:
    case SPR_PPR32:
    case SPR_PID:
      return LOW32;
    default: return ~u64{0};
  }
}

}  // namespace

TEST_CASE("mfmsr: supervisor reads the MSR, problem state traps", "[system]") {
  TestCpu cpu(isa::POWER9);
  setup(cpu, isa::POWER9, HV_STATE);
  CHECK(cpu.exec(mfmsr_w(3)) == Status::Next);
  CHECK(cpu.s.gpr[3] == HV_STATE);
  setup(cpu, isa::POWER9, PROBLEM_STATE & ~(MSR_IR | MSR_DR));
  cpu.s.gpr[3] = 5;
  CHECK(cpu.exec(mfmsr_w(3)) == Status::Exception);
  CHECK(cpu.s.exc == Exc::Program);
  CHECK(cpu.s.exc_reason == PROG_PRIV);
  CHECK(cpu.s.gpr[3] == 5);
}

TEST_CASE("mtmsrd: L=1 moves only EE and RI; L=0 keeps HV, ME, LE", "[system]") {
  // Book III-S 4.4.3 mtmsrd.
  TestCpu cpu(isa::POWER9);
  setup(cpu, isa::POWER9, HV_STATE);
  cpu.s.gpr[4] = ~u64{0};
  CHECK(cpu.exec(mtmsrd_w(4, 1)) == Status::Next);
  CHECK(cpu.s.msr == (HV_STATE | MSR_EE | MSR_RI));
  cpu.s.gpr[4] = 0;
  CHECK(cpu.exec(mtmsrd_w(4, 0)) == Status::Next);
  CHECK(cpu.s.msr == (MSR_HV | MSR_ME | MSR_LE));  // SF, EE, RI cleared
  CHECK(cpu.s.le == 1);
  // Setting PR forces EE, IR and DR on.
  setup(cpu, isa::POWER9, HV_STATE);
  cpu.s.gpr[4] = MSR_SF | MSR_PR;
  CHECK(cpu.exec(mtmsrd_w(4, 0)) == Status::Next);
  CHECK(cpu.s.msr == (MSR_SF | MSR_HV | MSR_ME | MSR_LE | MSR_PR | MSR_EE | MSR_IR | MSR_DR));
  // Problem state may not.
  setup(cpu, isa::POWER9, PROBLEM_STATE);
  CHECK(cpu.exec(mtmsrd_w(4, 1)) == Status::Exception);
  CHECK(cpu.s.exc_reason == PROG_PRIV);
}

TEST_CASE("mtmsr: only the low word, L=1 EE/RI only", "[system]") {
  TestCpu cpu(isa::POWER8);
  setup(cpu, isa::POWER8, HV_STATE);
  cpu.s.gpr[5] = 0;  // would clear SF and HV if it reached the high word
  CHECK(cpu.exec(mtmsr_w(5, 0)) == Status::Next);
  CHECK(cpu.s.msr == (MSR_SF | MSR_HV | MSR_ME | MSR_LE));
  cpu.s.gpr[5] = MSR_EE | MSR_FP;
  CHECK(cpu.exec(mtmsr_w(5, 1)) == Status::Next);
  CHECK(cpu.s.msr == (HV_STATE | MSR_EE));  // FP untouched by L=1
  cpu.s.gpr[5] = MSR_FP | MSR_VEC;
  CHECK(cpu.exec(mtmsr_w(5, 0)) == Status::Next);
  CHECK(cpu.s.msr == (HV_STATE | MSR_FP | MSR_VEC));
}

TEST_CASE("rfid: MSR from SRR1, HV only cleared, ME only in hypervisor state", "[system]") {
  // Book III-S 3.3.1 rfid.
  TestCpu cpu(isa::POWER9);
  setup(cpu, isa::POWER9, SUPER_STATE);
  cpu.s.srr0 = 0x2003;
  cpu.s.srr1 = MSR_SF | MSR_HV | MSR_EE | MSR_FP;  // HV and ME=0 requested
  CHECK(cpu.exec(RFID) == Status::Next);  // step() reports a taken jump as Next
  CHECK(cpu.s.nip == 0x2000);
  CHECK(cpu.s.msr == (MSR_SF | MSR_ME | MSR_EE | MSR_FP));  // no HV, ME kept, LE cleared
  CHECK(cpu.s.le == 0);
  // From hypervisor state it may clear HV and ME, and set LE.
  TestCpu cpu2(isa::POWER9, false);
  setup(cpu2, isa::POWER9, MSR_SF | MSR_HV | MSR_ME);
  cpu2.s.srr0 = 0x3000;
  cpu2.s.srr1 = MSR_SF | MSR_LE;
  CHECK(cpu2.exec(RFID) == Status::Next);  // step() reports a taken jump as Next
  CHECK(cpu2.s.msr == (MSR_SF | MSR_LE));
  CHECK(cpu2.s.le == 1);
  // To problem state: EE, IR, DR forced; 32-bit mode drops NIA's high word.
  setup(cpu, isa::POWER9, HV_STATE);
  cpu.s.srr0 = 0x1234567800001000ull;
  cpu.s.srr1 = MSR_PR | MSR_LE;
  CHECK(cpu.exec(RFID) == Status::Next);  // step() reports a taken jump as Next
  CHECK(cpu.s.nip == 0x1000);
  CHECK(cpu.s.msr == (MSR_PR | MSR_LE | MSR_EE | MSR_IR | MSR_DR));
  // Problem state cannot.
  setup(cpu, isa::POWER9, PROBLEM_STATE);
  CHECK(cpu.exec(RFID) == Status::Exception);
  CHECK(cpu.s.exc == Exc::Program);
}

TEST_CASE("hrfid: hypervisor only; sets HV and ME from HSRR1", "[system]") {
  TestCpu cpu(isa::POWER8);
  setup(cpu, isa::POWER8, HV_STATE);
  cpu.s.hsrr0 = 0x4000;
  cpu.s.hsrr1 = MSR_SF | MSR_HV | MSR_LE;
  CHECK(cpu.exec(HRFID) == Status::Next);  // step() reports a taken jump as Next
  CHECK(cpu.s.nip == 0x4000);
  CHECK(cpu.s.msr == (MSR_SF | MSR_HV | MSR_LE));
  setup(cpu, isa::POWER8, SUPER_STATE);
  CHECK(cpu.exec(HRFID) == Status::Exception);
  CHECK(cpu.s.exc == Exc::HEA);
  setup(cpu, isa::POWER8, PROBLEM_STATE);
  CHECK(cpu.exec(HRFID) == Status::Exception);
  CHECK(cpu.s.exc == Exc::Program);
  CHECK(cpu.s.exc_reason == PROG_PRIV);
}

TEST_CASE("SPR privilege: problem, supervisor and hypervisor states", "[system]") {
  // Book III-S 4.4.4 mtspr/mfspr.
  TestCpu cpu(isa::POWER9);
  // Privileged SPR from problem state: privileged-instruction Program.
  setup(cpu, isa::POWER9, PROBLEM_STATE);
  CHECK(cpu.exec(mfspr_w(3, SPR_SRR0)) == Status::Exception);
  CHECK((cpu.s.exc == Exc::Program && cpu.s.exc_reason == PROG_PRIV));
  CHECK(cpu.exec(mtspr_w(SPR_SPRG0, 3)) == Status::Exception);
  CHECK(cpu.s.exc_reason == PROG_PRIV);
  // Undefined, spr0 = 1, problem state: privileged; spr0 = 0: illegal (HEA).
  CHECK(cpu.exec(mfspr_w(3, 752)) == Status::Exception);
  CHECK(cpu.s.exc_reason == PROG_PRIV);
  CHECK(cpu.exec(mfspr_w(3, 736)) == Status::Exception);
  CHECK(cpu.s.exc_reason == PROG_ILLEGAL);
  // Supervisor: privileged SPRs work, hypervisor ones give HEA.
  setup(cpu, isa::POWER9, SUPER_STATE);
  cpu.s.gpr[3] = 0xabcdef;
  CHECK(cpu.exec(mtspr_w(SPR_SPRG0 + 2, 3)) == Status::Next);
  CHECK(cpu.s.sprg[2] == 0xabcdef);
  CHECK(cpu.exec(mfspr_w(4, SPR_SPRG0 + 2)) == Status::Next);
  CHECK(cpu.s.gpr[4] == 0xabcdef);
  for (unsigned spr : {SPR_HSRR0, SPR_HSPRG0, SPR_LPCR, SPR_HRMOR, SPR_HDEC, SPR_PTCR, SPR_HID0}) {
    CHECK(cpu.exec(mfspr_w(4, spr)) == Status::Exception);
    CHECK(cpu.s.exc == Exc::HEA);
    CHECK(cpu.exec(mtspr_w(spr, 3)) == Status::Exception);
    CHECK(cpu.s.exc == Exc::HEA);
  }
  // TB writes are hypervisor-only.
  CHECK(cpu.exec(mtspr_w(SPR_TBL_W, 3)) == Status::Exception);
  CHECK(cpu.s.exc == Exc::HEA);
  // Undefined numbers in privileged state: no-op (RT kept), except 0/4/5/6.
  cpu.s.gpr[4] = 77;
  CHECK(cpu.exec(mfspr_w(4, 752)) == Status::Next);
  CHECK(cpu.s.gpr[4] == 77);
  CHECK(cpu.exec(mfspr_w(4, 736)) == Status::Next);
  CHECK(cpu.s.gpr[4] == 77);
  CHECK(cpu.exec(mtspr_w(736, 4)) == Status::Next);
  CHECK(cpu.exec(mfspr_w(4, 5)) == Status::Exception);
  CHECK(cpu.s.exc_reason == PROG_ILLEGAL);
  // PVR is read-only: the write is an undefined access (spr0 = 1: no-op).
  cpu.s.pvr = 0x004E1202;
  CHECK(cpu.exec(mtspr_w(SPR_PVR, 3)) == Status::Next);
  CHECK(cpu.exec(mfspr_w(4, SPR_PVR)) == Status::Next);
  CHECK(cpu.s.gpr[4] == 0x004E1202);
  // Hypervisor state reaches them.
  setup(cpu, isa::POWER9, HV_STATE);
  CHECK(cpu.exec(mtspr_w(SPR_HSPRG1, 3)) == Status::Next);
  CHECK(cpu.s.hsprg[1] == 0xabcdef);
  CHECK(cpu.exec(mtspr_w(SPR_PTCR, 3)) == Status::Next);
  CHECK(cpu.s.ptcr == 0xabcdef);
}

TEST_CASE("SPRs that exist only on some models", "[system]") {
  TestCpu cpu(isa::POWER8);
  cpu.s.gpr[3] = 0x55;
  cpu.s.gpr[4] = 9;
  // HID4 exists on the 970 only; PTCR on POWER9 only; RMOR not on POWER9.
  setup(cpu, isa::PPC970, MSR_SF | MSR_HV | MSR_ME);
  cpu.s.le = 1;
  CHECK(cpu.exec(mtspr_w(SPR_HID4, 3)) == Status::Next);
  CHECK(cpu.s.hid[2] == 0x55);
  setup(cpu, isa::POWER8, HV_STATE);
  cpu.s.hid[2] = 0;
  CHECK(cpu.exec(mtspr_w(SPR_HID4, 3)) == Status::Next);  // undefined: no-op
  CHECK(cpu.s.hid[2] == 0);
  CHECK(cpu.exec(mtspr_w(SPR_PTCR, 3)) == Status::Next);
  CHECK(cpu.s.ptcr == 0);
  CHECK(cpu.exec(mtspr_w(SPR_RMOR, 3)) == Status::Next);
  CHECK(cpu.s.rmor == 0x55);
  setup(cpu, isa::POWER9, HV_STATE);
  CHECK(cpu.exec(mfspr_w(4, SPR_RMOR)) == Status::Next);
  CHECK(cpu.s.gpr[4] == 9);  // undefined on POWER9: RT unchanged
}

TEST_CASE("Program interrupt delivery: SRR0, SRR1 reason bits, new MSR", "[system]") {
  // Book III-S 6.5.9 and the MSR setting of 6.5.
  TestCpu cpu(isa::POWER8);
  setup(cpu, isa::POWER8, SUPER_STATE | MSR_EE | MSR_FP);
  cpu.s.lpcr = LPCR_ILE;
  cpu.s.nip = 0x1234;
  raise_program(cpu.s, PROG_TRAP);
  REQUIRE(deliver_interrupt(cpu.s));
  CHECK(cpu.s.nip == 0x700);
  CHECK(cpu.s.srr0 == 0x1234);
  CHECK(cpu.s.srr1 == (SUPER_STATE | MSR_EE | MSR_FP | PROG_TRAP));
  CHECK(cpu.s.msr == (MSR_SF | MSR_ME | MSR_LE));
  CHECK(cpu.s.exc == Exc::None);
  // Without LPCR[ILE] the handler runs big-endian.
  setup(cpu, isa::POWER8, SUPER_STATE);
  cpu.s.lpcr = 0;
  raise_program(cpu.s, PROG_PRIV);
  deliver_interrupt(cpu.s);
  CHECK(cpu.s.msr == (MSR_SF | MSR_ME));
  CHECK(cpu.s.le == 0);
}

TEST_CASE("Illegal instruction: HEA with HEIR on POWER7+, Program on the 970", "[system]") {
  TestCpu cpu(isa::POWER8);
  setup(cpu, isa::POWER8, SUPER_STATE);
  cpu.s.hid[0] = hid0_hile(isa::POWER8);
  cpu.s.hrmor = 0x100000;
  cpu.put32(0x1000, 0x7c0007ff);
  cpu.s.nip = 0x1000;
  illegal(cpu.s);
  REQUIRE(deliver_interrupt(cpu.s));
  CHECK(cpu.s.nip == 0x100E40);  // hypervisor vector | HRMOR
  CHECK(cpu.s.hsrr0 == 0x1000);
  CHECK(cpu.s.hsrr1 == SUPER_STATE);
  CHECK(cpu.s.heir == 0x7c0007ff);
  CHECK(cpu.s.msr == (MSR_SF | MSR_HV | MSR_ME | MSR_LE));  // HILE
  TestCpu old(isa::PPC970, false);
  setup(old, isa::PPC970, MSR_SF | MSR_ME);
  old.s.hior = 0x40000;
  old.s.nip = 0x1000;
  illegal(old.s);
  deliver_interrupt(old.s);
  CHECK(old.s.nip == 0x40700);  // HIOR prefix
  CHECK(old.s.srr1 == (MSR_SF | MSR_ME | PROG_ILLEGAL));
}

TEST_CASE("System call: sc 1 enters the hypervisor with SRR0/SRR1", "[system]") {
  TestCpu cpu(isa::POWER9);
  setup(cpu, isa::POWER9, SUPER_STATE | MSR_EE);
  cpu.s.hid[0] = hid0_hile(isa::POWER9);
  CHECK(cpu.exec(0x44000022) == Status::Exception);  // sc 1
  REQUIRE(deliver_interrupt(cpu.s));
  CHECK(cpu.s.srr0 == 0x1004);
  CHECK(cpu.s.srr1 == (SUPER_STATE | MSR_EE));
  CHECK(cpu.s.nip == 0xC00);
  CHECK(cpu.s.msr == (MSR_SF | MSR_HV | MSR_ME | MSR_LE));
  // sc 0 from supervisor stays out of the hypervisor.
  setup(cpu, isa::POWER9, SUPER_STATE);
  cpu.s.lpcr = 0;
  CHECK(cpu.exec(0x44000002) == Status::Exception);
  deliver_interrupt(cpu.s);
  CHECK(cpu.s.msr == (MSR_SF | MSR_ME));
}

TEST_CASE("Storage interrupts set DAR/DSISR, HDSI sets HDAR/HDSISR", "[system]") {
  TestCpu cpu(isa::POWER8);
  setup(cpu, isa::POWER8, SUPER_STATE);
  cpu.s.nip = 0x2000;
  raise(cpu.s, Exc::DSI, 0x42000000, 0xdead0);
  deliver_interrupt(cpu.s);
  CHECK(cpu.s.nip == 0x300);
  CHECK(cpu.s.dar == 0xdead0);
  CHECK(cpu.s.dsisr == 0x42000000);
  CHECK(cpu.s.srr0 == 0x2000);
  setup(cpu, isa::POWER8, SUPER_STATE);
  cpu.s.nip = 0x2000;
  raise(cpu.s, Exc::HDSI, 0x40000000, 0xbeef0);
  deliver_interrupt(cpu.s);
  CHECK(cpu.s.nip == 0xE00);
  CHECK(cpu.s.hdar == 0xbeef0);
  CHECK(cpu.s.hdsisr == 0x40000000);
  CHECK(cpu.s.hsrr0 == 0x2000);
  CHECK((cpu.s.msr & MSR_HV));
}

TEST_CASE("Alternate interrupt location (LPCR[AIL]) on POWER8", "[system]") {
  TestCpu cpu(isa::POWER8);
  setup(cpu, isa::POWER8, SUPER_STATE | MSR_IR | MSR_DR);
  cpu.s.lpcr = u64{3} << LPCR_AIL_SHIFT;
  cpu.s.nip = 0x5000;
  raise(cpu.s, Exc::Decrementer);
  deliver_interrupt(cpu.s);
  CHECK(cpu.s.nip == 0xC000000000004900ull);
  CHECK((cpu.s.msr & (MSR_IR | MSR_DR)) == (MSR_IR | MSR_DR));
  // Not with translation off, and never for interrupts into the hypervisor from a partition.
  setup(cpu, isa::POWER8, SUPER_STATE | MSR_IR | MSR_DR);
  raise(cpu.s, Exc::HDecrementer);
  deliver_interrupt(cpu.s);
  CHECK(cpu.s.nip == 0x980);
  CHECK((cpu.s.msr & (MSR_IR | MSR_DR)) == 0);
}

TEST_CASE("Decrementer and HDEC: virtual Time Base, enable rules", "[system]") {
  // Book III-S 7.3, 7.4.
  TestCpu cpu(isa::POWER9);
  setup(cpu, isa::POWER9, HV_STATE);
  cpu.s.icount = 1000;
  cpu.s.gpr[3] = 100;
  CHECK(cpu.exec(mtspr_w(SPR_DEC, 3)) == Status::Next);
  cpu.s.icount += 40;
  CHECK(cpu.exec(mfspr_w(4, SPR_DEC)) == Status::Next);
  CHECK(cpu.s.gpr[4] == 100 - 41);  // the mtspr itself retired one tick
  CHECK_FALSE(timer_interrupt(cpu.s));
  cpu.s.icount += 100;
  CHECK_FALSE(timer_interrupt(cpu.s));  // EE = 0
  CHECK(cpu.exec(mfspr_w(4, SPR_DEC)) == Status::Next);
  CHECK(cpu.s.gpr[4] == 0xffffffd6u);  // 100 - 142: 32-bit, negative
  set_msr(cpu.s, HV_STATE | MSR_EE);
  CHECK(timer_interrupt(cpu.s));
  CHECK(cpu.s.exc == Exc::Decrementer);
  cpu.s.exc = Exc::None;
  // Large decrementer (LPCR[LD], POWER9): 56 bits, sign-extended on read.
  cpu.s.lpcr |= LPCR_LD;
  put_dec(cpu.s, 0);
  cpu.s.icount += 5;
  CHECK(spr_get(cpu.s, SPR_DEC) == ~u64{4});
  // HDEC: needs LPCR[HDICE]; masked in hypervisor state with EE = 0.
  put_dec(cpu.s, 0x7fffffff);
  put_hdec(cpu.s, 10);
  cpu.s.icount += 20;
  set_msr(cpu.s, MSR_SF | MSR_ME);
  CHECK_FALSE(timer_interrupt(cpu.s));
  cpu.s.lpcr |= LPCR_HDICE;
  set_msr(cpu.s, HV_STATE);
  CHECK_FALSE(timer_interrupt(cpu.s));
  set_msr(cpu.s, MSR_SF | MSR_ME);
  CHECK(timer_interrupt(cpu.s));
  CHECK(cpu.s.exc == Exc::HDecrementer);
  cpu.s.nip = 0x7000;
  deliver_interrupt(cpu.s);
  CHECK(cpu.s.hsrr0 == 0x7000);
  CHECK(cpu.s.nip == 0x980);
}

TEST_CASE("mtmsrd enabling EE takes a pending decrementer at the next instruction", "[system]") {
  TestCpu cpu(isa::POWER8);
  setup(cpu, isa::POWER8, HV_STATE);
  put_dec(cpu.s, static_cast<u64>(-1));
  cpu.s.gpr[3] = MSR_EE;
  CHECK(cpu.exec(mtmsrd_w(3, 1)) == Status::Exception);
  CHECK(cpu.s.exc == Exc::Decrementer);
  CHECK(cpu.s.nip == 0x1004);
  CHECK((cpu.s.msr & MSR_EE));
  deliver_interrupt(cpu.s);
  CHECK(cpu.s.srr0 == 0x1004);
  CHECK((cpu.s.srr1 & MSR_EE));
  CHECK(cpu.s.nip == 0x900);
  // Nothing pending: plain completion.
  setup(cpu, isa::POWER8, HV_STATE);
  put_dec(cpu.s, 1000);
  CHECK(cpu.exec(mtmsrd_w(3, 1)) == Status::Next);
}

TEST_CASE("Time Base: mttbl/mttbu in hypervisor state", "[system]") {
  TestCpu cpu(isa::POWER8);
  setup(cpu, isa::POWER8, HV_STATE);
  cpu.s.icount = 500;
  cpu.s.gpr[3] = 0x10;
  cpu.s.gpr[5] = 0;
  CHECK(cpu.exec(mtspr_w(SPR_TBL_W, 5)) == Status::Next);
  CHECK(cpu.exec(mtspr_w(SPR_TBU_W, 3)) == Status::Next);
  CHECK(cur_tb(cpu.s) == 0x1000000002ull);  // TBL=0 at 500; TBU write at TB 1; one more retired
  CHECK(cpu.exec(0x7c6c42e6) == Status::Next);  // mftb r3
  CHECK(cpu.s.gpr[3] == 0x1000000002ull);
}

TEST_CASE("SLB/TLB instructions: no-ops without an MMU, hook otherwise", "[system]") {
  TestCpu cpu(isa::POWER9);
  setup(cpu, isa::POWER9, HV_STATE);
  cpu.s.gpr[3] = 99;
  cpu.s.so = 1;
  CHECK(cpu.exec(xform(31, 3, 0, 4, 979, 1)) == Status::Next);  // slbfee. r3,r4
  CHECK(cpu.s.gpr[3] == 0);
  CHECK(get_crf(cpu.s, 0) == CR_SO);
  cpu.s.gpr[3] = 99;
  CHECK(cpu.exec(xform(31, 3, 0, 4, 915)) == Status::Next);  // slbmfee
  CHECK(cpu.s.gpr[3] == 0);
  CHECK(cpu.exec(xform(31, 3, 0, 4, 306)) == Status::Next);  // tlbie
  static u32 seen;
  seen = 0;
  cpu.s.mmu_hook = [](CpuState&, u32 insn) { seen = insn; return 0; };
  CHECK(cpu.exec(xform(31, 3, 0, 4, 402)) == Status::Next);  // slbmte
  CHECK(seen == xform(31, 3, 0, 4, 402));
  // tlbie is hypervisor privileged; slbmte privileged.
  setup(cpu, isa::POWER9, SUPER_STATE);
  CHECK(cpu.exec(xform(31, 3, 0, 4, 306)) == Status::Exception);
  CHECK(cpu.s.exc == Exc::HEA);
  setup(cpu, isa::POWER9, PROBLEM_STATE);
  CHECK(cpu.exec(xform(31, 3, 0, 4, 402)) == Status::Exception);
  CHECK(cpu.s.exc_reason == PROG_PRIV);
}

TEST_CASE("Machine check with MSR[ME]=0 checkstops", "[system]") {
  TestCpu cpu(isa::POWER8);
  setup(cpu, isa::POWER8, MSR_SF | MSR_HV);
  raise(cpu.s, Exc::MachineCheck);
  CHECK_FALSE(deliver_interrupt(cpu.s));
  setup(cpu, isa::POWER8, MSR_SF | MSR_HV | MSR_ME);
  cpu.s.nip = 0x1000;
  raise(cpu.s, Exc::MachineCheck, 0, 0x123);
  CHECK(deliver_interrupt(cpu.s));
  CHECK(cpu.s.nip == 0x200);
  CHECK(cpu.s.srr0 == 0x1000);
  CHECK((cpu.s.msr & (MSR_ME | MSR_HV)) == MSR_HV);
}

TEST_CASE("FSCR: TAR and DSCR in problem state, scv everywhere", "[system]") {
  // v3.0B Book III-S 4.4.x FSCR; 7.5.x Facility Unavailable (FSCR[IC]).
  constexpr u32 BCTAR = xform(19, 20, 0, 0, 560);
  constexpr u32 SCV0 = (17u << 26) | 1;
  TestCpu cpu(isa::POWER9);
  setup(cpu, isa::POWER9, PROBLEM_STATE & ~(MSR_IR | MSR_DR));
  cpu.s.fscr = 0;
  CHECK(cpu.exec(mfspr_w(3, SPR_TAR)) == Status::Exception);
  CHECK(cpu.s.exc == Exc::FacilityUnavailable);
  CHECK(cpu.s.fscr >> 56 == 8);
  CHECK(cpu.exec(mtspr_w(SPR_DSCR_U, 3)) == Status::Exception);
  CHECK(cpu.s.fscr >> 56 == 2);
  CHECK(cpu.exec(BCTAR) == Status::Exception);
  CHECK(cpu.s.fscr >> 56 == 8);
  cpu.s.fscr = (u64{1} << 8) | (u64{1} << 2);
  cpu.s.tar = 0x1234;
  CHECK(cpu.exec(mfspr_w(3, SPR_TAR)) == Status::Next);
  CHECK(cpu.s.gpr[3] == 0x1234);
  // Supervisor state is not subject to FSCR for SPRs, but scv is.
  setup(cpu, isa::POWER9, SUPER_STATE);
  cpu.s.fscr = 0;
  CHECK(cpu.exec(mfspr_w(3, SPR_TAR)) == Status::Next);
  CHECK(cpu.exec(SCV0) == Status::Exception);
  CHECK(cpu.s.exc == Exc::FacilityUnavailable);
  CHECK(cpu.s.fscr >> 56 == 12);
  // With FSCR[SCV]: LR = next, CTR = MSR, real-mode vector 0x17000 (AIL = 0).
  cpu.s.fscr = u64{1} << 12;
  CHECK(cpu.exec(SCV0) == Status::Next);
  CHECK(cpu.s.lr == 0x1004);
  CHECK(cpu.s.ctr == SUPER_STATE);
  CHECK(cpu.s.nip == 0x17000);
  CHECK((cpu.s.msr & (MSR_IR | MSR_DR | MSR_PR)) == 0);
  // POWER7 has no FSCR: nothing is unavailable.
  TestCpu p7(isa::POWER7);
  setup(p7, isa::POWER7, PROBLEM_STATE & ~(MSR_IR | MSR_DR));
  CHECK(p7.exec(mfspr_w(3, SPR_DSCR_U)) == Status::Next);
}

// Every SPR a supervisor-state guest may both write and read gives back what
// it wrote, within the bits the model implements (Book III-S 4.4.4; an outside
// test writes a pattern to each and reads it back).  Timers and counters are
// left out: they move between the two instructions.
TEST_CASE("SPRs a supervisor may write read back, within their implemented bits", "[system]") {
  for (const isa::Model model : {isa::POWER8, isa::POWER9}) {
    for (const u64 pattern : {u64{0xA5A5A5A55A5A5A5A}, ~u64{0}, u64{0}}) {
      unsigned checked = 0;
      for (unsigned spr = 0; spr < 1024; ++spr) {
        const SprInfo in = spr_info(spr, model);
        const bool w = in.write == SprPriv::User || in.write == SprPriv::Super;
        const bool r = in.read == SprPriv::User || in.read == SprPriv::Super;
        if (!w || !r) continue;
        if (spr == SPR_DEC || spr == SPR_CTRL_W) continue;  // a timer; a write-only port
        TestCpu cpu(model);
        setup(cpu, model, SUPER_STATE);
        cpu.s.gpr[3] = pattern;
        REQUIRE(cpu.exec(mtspr_w(spr, 3)) == Status::Next);
        REQUIRE(cpu.exec(mfspr_w(4, spr)) == Status::Next);
        INFO("model " << int(model) << " SPR " << spr << " wrote " << std::hex << pattern);
        CHECK(cpu.s.gpr[4] == (pattern & spr_implemented_bits(spr, model)));
        ++checked;
      }
      CHECK(checked > 15);
    }
  }
}
