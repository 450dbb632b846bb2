// Book III-S 6.5 (Interrupt Definitions) and 6.4 (Interrupt Processing).
#include "cpu/interrupts.h"

#include "cpu/isa/table.h"
#include "cpu/sem/system.h"

namespace lpar {

using namespace lpar::sem;

u64 interrupt_vector(Exc e) {
  switch (e) {
    case Exc::SystemReset: return 0x100;
    case Exc::MachineCheck: return 0x200;
    case Exc::DSI: return 0x300;
    case Exc::DSegI: return 0x380;
    case Exc::ISI: return 0x400;
    case Exc::ISegI: return 0x480;
    case Exc::External: return 0x500;
    case Exc::Alignment: return 0x600;
    case Exc::Program: return 0x700;
    case Exc::FPUnavailable: return 0x800;
    case Exc::Decrementer: return 0x900;
    case Exc::HDecrementer: return 0x980;
    case Exc::SystemCall: return 0xC00;
    case Exc::Trace: return 0xD00;
    case Exc::HDSI: return 0xE00;
    case Exc::HISI: return 0xE20;
    case Exc::HEA: return 0xE40;
    case Exc::HVirtualization: return 0xEA0;
    case Exc::VMXUnavailable: return 0xF20;
    case Exc::VSXUnavailable: return 0xF40;
    case Exc::FacilityUnavailable: return 0xF60;
    case Exc::HVFacilityUnavailable: return 0xF80;
    default: return 0;
  }
}

namespace {

// SRR1 bits 33:36 and 42:47 carry interrupt-specific information; the rest
// are copied from the MSR (Book III-S 6.4.3).
constexpr u64 SRR1_SPECIFIC = msr_bits(33, 36) | msr_bits(42, 47);

bool hv_interrupt(const CpuState& s, Exc e, u32 reason) {
  switch (e) {
    case Exc::SystemReset:
    case Exc::MachineCheck:
      return s.model >= isa::POWER7;
    case Exc::HDSI:
    case Exc::HISI:
    case Exc::HEA:
    case Exc::HDecrementer:
    case Exc::HVirtualization:
    case Exc::HVFacilityUnavailable:
      return true;
    case Exc::SystemCall:
      return reason == 1;  // sc 1: hypervisor call
    // Direct external interrupts go to the hypervisor unless LPCR[LPES0]
    // (POWER7+); mediated ones (LPCR[MER]) always to the OS.
    case Exc::External:
      return s.model >= isa::POWER7 && !(s.lpcr & LPCR_LPES0) && reason != EXT_MEDIATED;
    default:
      return false;
  }
}

// MSR[LE] for the handler: LPCR[ILE] for non-hypervisor handlers, the
// implementation's HID0[HILE] for hypervisor ones (POWER8/9); POWER7 uses
// LPCR[ILE] for both and the 970 always runs its handlers big-endian.
bool handler_le(const CpuState& s, bool hv) {
  if (s.model == isa::PPC970) return false;
  if (hv && s.model >= isa::POWER8) return s.hid[0] & hid0_hile(s.model);
  return s.lpcr & LPCR_ILE;
}

}  // namespace

bool deliver_interrupt(CpuState& s) {
  Exc e = s.exc;
  if (e == Exc::None) return true;
  u32 reason = s.exc_reason;
  const u64 cia = s.nip;
  const u64 msr = s.msr;

  // Book III-S 6.5.18: from POWER7 (ISA 2.06) on, an illegal instruction is
  // a Hypervisor Emulation Assistance interrupt, not a Program interrupt.
  if (e == Exc::Program && (reason & PROG_ILLEGAL) && s.model >= isa::POWER7) e = Exc::HEA;

  // The 970 (ISA 2.01) has no Hypervisor Emulation Assistance interrupt: a
  // hypervisor-privileged instruction or SPR there is a privileged-instruction
  // Program interrupt.
  if (e == Exc::HEA && s.model == isa::PPC970) {
    e = Exc::Program;
    reason = PROG_PRIV;
  }
  const bool hv = hv_interrupt(s, e, reason);
  if (e == Exc::MachineCheck && !(msr & MSR_ME)) return false;  // checkstop

  u64 srr1 = msr & ~SRR1_SPECIFIC;
  switch (e) {
    case Exc::DSI:
    case Exc::Alignment:
      s.dar = s.exc_addr;
      s.dsisr = e == Exc::DSI ? reason : 0;
      break;
    case Exc::DSegI:
      s.dar = s.exc_addr;
      break;
    case Exc::HDSI:
      s.hdar = s.exc_addr;
      s.hdsisr = reason;
      break;
    case Exc::ISI:
    case Exc::HISI:
      srr1 |= reason & SRR1_SPECIFIC;
      break;
    case Exc::MachineCheck:
      s.dar = s.exc_addr;  // the address that had no storage behind it
      break;
    // Book III-S 6.5.9: SRR1[43:47] say why.
    case Exc::Program:
      srr1 |= reason & SRR1_SPECIFIC;
      break;
    case Exc::HEA: {
      // HEIR gets the instruction (Book III-S 6.5.18, ISA 2.07 and later).
      u32 w = 0;
      const Exc keep = s.exc;
      if (!fetch(s, cia, w)) w = 0;
      s.exc = keep;
      s.heir = w;
      break;
    }
    default:
      break;
  }

  // The new MSR (Book III-S 6.5, Figure "MSR setting due to interrupt"): all
  // bits 0 except SF = 1, ME kept (cleared by Machine Check), HV set for
  // hypervisor interrupts (kept otherwise), LE from ILE/HILE.
  u64 nm = MSR_SF | (msr & MSR_ME) | (msr & MSR_HV);
  if (hv) nm |= MSR_HV;
  if (e == Exc::MachineCheck) nm &= ~MSR_ME;
  const bool new_hv = nm & MSR_HV;
  if (handler_le(s, new_hv)) nm |= MSR_LE;

  u64 vector = interrupt_vector(e);
  // Alternate Interrupt Location (LPCR[AIL], ISA 2.07 Book III-S 6.5): with
  // translation on, handlers run relocated, translation on, at 0x18000 or
  // 0xC000_0000_0000_4000 -- except System Reset, Machine Check and
  // interrupts that enter the hypervisor from a partition.
  bool ail_done = false;
  if (s.model >= isa::POWER8 && e != Exc::SystemReset && e != Exc::MachineCheck &&
      (msr & MSR_IR) && (msr & MSR_DR) && !(hv && !(msr & MSR_HV))) {
    const unsigned ail = (s.lpcr >> LPCR_AIL_SHIFT) & 3;
    if (ail == 2 || ail == 3) {
      vector += ail == 2 ? 0x18000 : 0xC000000000004000ull;
      nm |= MSR_IR | MSR_DR;
      ail_done = true;
    }
  }
  if (!ail_done) {
    if (s.model == isa::PPC970) vector |= s.hior;  // 970: HIOR prefixes every vector
    else if (new_hv) vector |= s.hrmor;
  }

  // POWER7 and later save the "hypervisor" interrupts in HSRR0/1; System
  // Reset, Machine Check and System Call (even sc 1) use SRR0/1, and the 970
  // has only SRR0/1.
  const bool hsrr = hv && s.model >= isa::POWER7 && e != Exc::SystemReset && e != Exc::MachineCheck &&
                    e != Exc::SystemCall;
  if (hsrr) {
    s.hsrr0 = cia;
    s.hsrr1 = srr1;
  } else {
    s.srr0 = cia;
    s.srr1 = srr1;
  }
  s.exc = Exc::None;
  s.exc_reason = 0;
  set_msr(s, nm);
  s.nip = vector;
  return true;
}

}  // namespace lpar
