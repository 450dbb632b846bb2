// gdb's PowerPC 64-bit register file (features org.gnu.gdb.power.core, .fpu,
// .altivec, .vsx, plus lpar's privileged registers) and its regnums.
#pragma once
#include "gdb/target.h"

namespace lpar::gdb::power {

enum Regnum : unsigned {
  R0 = 0,
  F0 = 32,
  PC = 64,
  MSR = 65,
  CR = 66,
  LR = 67,
  CTR = 68,
  XER = 69,
  FPSCR = 70,
  VR0 = 71,
  VSCR = 103,
  VRSAVE = 104,
  VS0H = 105,  // vs0h..vs31h: doubleword 1 of VSR 0-31
  PRIV0 = 137,  // the privileged registers, feature org.lpar.power.priv
  SRR0 = PRIV0,
  SRR1,
  HSRR0,
  HSRR1,
  LPCR,
  SDR1,
  DAR,
  DSISR,
  DEC,
  HDEC,
  SPRG0,
  SPRG1,
  SPRG2,
  SPRG3,
  HSPRG0,
  HSPRG1,
  LPIDR,
  RMOR,
  HRMOR,
  PIR,
  PVR,
  PTCR,
  HDAR,
  HDSISR,
  HEIR,
  CFAR,
  TB,
  NUM_REGS
};

// Built once; g packets carry r0..fpscr (regnums 0-70) as QEMU's do.
const ArchDesc& arch64();

}  // namespace lpar::gdb::power
