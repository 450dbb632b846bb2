// Special purpose registers reached by mfspr/mtspr/mftb (PowerISA 3.0B Book I
// 3.3.17, Book III-S 4.4.4 and 5.4.4).  Each SPR is one case of spr_info() (who
// may read/write it, on which models) plus one case in spr_get()/spr_put()
// (where it lives).
#pragma once
#include "cpu/sem/common.h"

namespace lpar::sem {

// Lowest privilege that may access an SPR; None = not defined for that access.
enum class SprPriv : u8 { None, User, Super, Hyp };
struct SprInfo {
  SprPriv read, write;
};

// SPR numbers (Book I 3.3.17 Figure 16, Book III-S 4.4.4 Figure 18).
enum : unsigned {
  SPR_XER = 1,
  SPR_DSCR_U = 3,
  SPR_LR = 8,
  SPR_CTR = 9,
  SPR_AMR_U = 13,
  SPR_DSCR = 17,
  SPR_DSISR = 18,
  SPR_DAR = 19,
  SPR_DEC = 22,
  SPR_SDR1 = 25,
  SPR_SRR0 = 26,
  SPR_SRR1 = 27,
  SPR_CFAR = 28,
  SPR_AMR = 29,
  SPR_PID = 48,
  SPR_IAMR = 61,
  SPR_CTRL_R = 136,
  SPR_CTRL_W = 152,
  SPR_FSCR = 153,
  SPR_UAMOR = 157,
  SPR_DPDES = 176,
  SPR_DAWR = 180,
  SPR_CIABR = 187,
  SPR_DAWRX = 188,
  SPR_HFSCR = 190,
  SPR_VRSAVE = 256,
  SPR_SPRG3_R = 259,
  SPR_TB = 268,
  SPR_TBU = 269,
  SPR_SPRG0 = 272,
  SPR_SPRG3 = 275,
  SPR_TBL_W = 284,
  SPR_TBU_W = 285,
  SPR_PVR = 287,
  SPR_HSPRG0 = 304,
  SPR_HSPRG1 = 305,
  SPR_HDSISR = 306,
  SPR_HDAR = 307,
  SPR_HDEC = 310,
  SPR_HIOR = 311,
  SPR_RMOR = 312,
  SPR_HRMOR = 313,
  SPR_HSRR0 = 314,
  SPR_HSRR1 = 315,
  SPR_LPCR = 318,
  SPR_LPIDR = 319,
  SPR_HMER = 336,
  SPR_HMEER = 337,
  SPR_PCR = 338,
  SPR_HEIR = 339,
  SPR_AMOR = 349,
  SPR_PTCR = 464,
  SPR_SIAR = 796,
  SPR_TAR = 815,
  SPR_ASDR = 816,
  SPR_PSSCR = 855,
  SPR_PPR = 896,
  SPR_PPR32 = 898,
  SPR_HID0 = 1008,
  SPR_HID1 = 1009,
  SPR_HID4 = 1012,
  SPR_HID5 = 1014,
  SPR_HID6 = 1017,
  SPR_PIR = 1023,
};

// LPCR fields used by the machine (Book III-S 2.2, bit = 63 - n).
inline constexpr u64 LPCR_LD = u64{1} << (63 - 46);     // large decrementer (3.0)
inline constexpr u64 LPCR_HDICE = u64{1} << (63 - 63);
inline constexpr u64 LPCR_ILE = u64{1} << (63 - 38);
inline constexpr u64 LPCR_AIL_SHIFT = 63 - 40;            // bits 39:40
inline constexpr u64 LPCR_LPES0 = u64{1} << (63 - 60);    // bit 60 (2.07)
inline constexpr u64 LPCR_HVICE = u64{1} << (63 - 62);    // bit 62 (3.0)
inline constexpr u64 LPCR_MER = u64{1} << (63 - 52);      // mediated external request (2.06+)
// Exc::External's exc_reason when the interrupt is a Mediated External one
// (always to the OS, whatever LPES says).
inline constexpr u32 EXT_MEDIATED = 1;
// HID0[HILE]: interrupts to hypervisor state are taken little-endian
// (POWER8 HID0 bit 19, POWER9 HID0 bit 4: implementation-specific).
inline u64 hid0_hile(u8 model) { return model >= 3 ? u64{1} << (63 - 4) : u64{1} << (63 - 19); }

// ---- Time Base and decrementers (Book II 6.2, Book III-S 7.2-7.4).
// With vclock == 1 the Time Base is the retired-instruction count (one tick
// per instruction: a 512 MHz Time Base for a nominal 512 MIPS thread), so a
// run is deterministic; otherwise it follows the host's clock (CpuState::vclock).
inline u64 cur_tb(const CpuState& s) { return s.vclock == 1 ? s.icount + s.tb_offset : timebase(s); }
inline void set_tb(CpuState& s, u64 v) {
  s.tb_offset = 0;
  s.tb_offset = v - cur_tb(s);
}
// Width of DEC: 32 bits, or 56 with LPCR[LD] on POWER9 (the implemented large
// decrementer width, Book III-S 7.3).  HDEC is 56 bits on POWER9 (always large).
inline unsigned dec_bits(const CpuState& s) { return (s.model >= 3 && (s.lpcr & LPCR_LD)) ? 56 : 32; }
inline unsigned hdec_bits(const CpuState& s) { return s.model >= 3 ? 56 : 32; }
// Current value, sign-extended from the width (so "negative" = bit 0 set).
inline s64 dec_value(const CpuState& s, u64 base, u64 at, unsigned w) {
  const u64 v = base - (cur_tb(s) - at);
  return sext(v & ((u64{1} << w) - 1), w);
}
inline s64 get_dec(const CpuState& s) { return dec_value(s, s.dec_base, s.dec_tb, dec_bits(s)); }
inline s64 get_hdec(const CpuState& s) { return dec_value(s, s.hdec_base, s.hdec_tb, hdec_bits(s)); }
inline void put_dec(CpuState& s, u64 v) {
  const unsigned w = dec_bits(s);
  s.dec_base = static_cast<u64>(sext(v & ((u64{1} << w) - 1), w));
  s.dec_tb = cur_tb(s);
}
inline void put_hdec(CpuState& s, u64 v) {
  const unsigned w = hdec_bits(s);
  s.hdec_base = static_cast<u64>(sext(v & ((u64{1} << w) - 1), w));
  s.hdec_tb = cur_tb(s);
}
inline u64 dec_read(const CpuState& s, s64 v, unsigned w) {
  // A 32-bit decrementer reads as 32 bits; the large one sign-extends (Book III-S 7.3).
  return w == 32 ? static_cast<u32>(v) : static_cast<u64>(v);
}

// The decrementer interrupt that may be taken now (Exc::None if none).
// Level-sensitive, as on POWER7 and later (and qemu's "underflow level"
// decrementers): an exception exists while the register is negative.
// Book III-S 7.4: HDEC interrupts when LPCR[HDICE] = 1 and the thread has
// MSR[EE] = 1 or is not in hypervisor state (the 970 has no LPCR: enabled);
// Book III-S 7.3: DEC interrupts when MSR[EE] = 1.
inline Exc timer_pending(const CpuState& s) {
  const bool ee = s.msr & MSR_EE, hv = s.msr & MSR_HV, pr = s.msr & MSR_PR;
  const bool hdice = s.model == 0 || (s.lpcr & LPCR_HDICE);
  if (hdice && (ee || !hv || pr) && get_hdec(s) < 0) return Exc::HDecrementer;
  if (ee && get_dec(s) < 0) return Exc::Decrementer;
  return Exc::None;
}

// The external exception that interrupts now, if any (cpu/timers.h
// external_interrupt() has the rules); reason = EXT_MEDIATED for LPCR[MER].
inline Exc external_pending(const CpuState& s, u32& reason) {
  const bool hv = s.msr & MSR_HV, ee = s.msr & MSR_EE;
  const bool p7 = s.model >= 1;
  reason = 0;
  if (s.ext_line) {
    if (s.model >= 3 && (s.lpcr & LPCR_HVICE)) {
      if (ee || !hv) return Exc::HVirtualization;
    } else if (p7 && !(s.lpcr & LPCR_LPES0)) {
      if (ee || !hv) return Exc::External;
    } else if (ee) {
      return Exc::External;
    }
  }
  if (p7 && (s.lpcr & LPCR_MER) && !hv && ee) {
    reason = EXT_MEDIATED;
    return Exc::External;
  }
  return Exc::None;
}

inline unsigned hid_index(unsigned spr) {
  switch (spr) {
    case SPR_HID0: return 0;
    case SPR_HID1: return 1;
    case SPR_HID4: return 2;
    case SPR_HID5: return 3;
    default: return 4;  // HID6
  }
}

// Who may read/write an SPR on the thread's model (s.model: 0 = 970, 1 = P7,
// 2 = P8, 3 = P9).  Privileged SPRs all have spr0 (0x10) set, as the book's
// numbering rule requires.
constexpr SprInfo spr_info(unsigned spr, u8 model = 3) {
  using enum SprPriv;
  const bool p7 = model >= 1, p8 = model >= 2, p9 = model >= 3, p970 = model == 0;
  switch (spr) {
    case SPR_XER:
    case SPR_DSCR_U:
    case SPR_LR:
    case SPR_CTR:
    case SPR_AMR_U:
    case SPR_VRSAVE:
    case SPR_TAR:
    case SPR_PPR:
    case SPR_PPR32:
      return {User, User};
    case SPR_CTRL_R:
    case SPR_SPRG3_R:
    case SPR_TB:
    case SPR_TBU:
      return {User, None};
    // TBL/TBU (284/285) are the hypervisor's write ports; qemu 7.2 lets
    // problem state read the Time Base through them.
    case SPR_TBL_W:
    case SPR_TBU_W:
      return {User, Hyp};
    case SPR_CTRL_W: return {None, Super};
    case SPR_DSCR:
    case SPR_DSISR:
    case SPR_DAR:
    case SPR_DEC:
    case SPR_SRR0:
    case SPR_SRR1:
    case SPR_SPRG0:
    case SPR_SPRG0 + 1:
    case SPR_SPRG0 + 2:
    case SPR_SPRG3:
      return {Super, Super};
    case SPR_PVR:
    case SPR_PIR:
      return {Super, None};
    case SPR_CFAR:
    case SPR_AMR:
      return p7 ? SprInfo{Super, Super} : SprInfo{None, None};
    case SPR_SIAR:
      return p8 ? SprInfo{Super, Super} : SprInfo{None, None};
    case SPR_IAMR:
    case SPR_FSCR:
    case SPR_UAMOR:
      return p8 ? SprInfo{Super, Super} : SprInfo{None, None};
    case SPR_PID:
    case SPR_PSSCR:
      return p9 ? SprInfo{Super, Super} : SprInfo{None, None};
    case SPR_SDR1:
      // Book III-S 5.7.7.2: SDR1 is gone in 3.0 (PTCR replaces it).
      return p9 ? SprInfo{None, None} : SprInfo{Hyp, Hyp};
    case SPR_HSRR0:
    case SPR_HSRR1:
    case SPR_HDEC:
    case SPR_HSPRG0:
    case SPR_HSPRG1:
    case SPR_HDSISR:
    case SPR_HDAR:
    case SPR_HID0:
      return {Hyp, Hyp};
    case SPR_HID1:
    case SPR_HID4:
    case SPR_HID5:
    case SPR_HID6:
    case SPR_HIOR:
      return p970 ? SprInfo{Hyp, Hyp} : SprInfo{None, None};
    case SPR_LPCR:
    case SPR_LPIDR:
    case SPR_HRMOR:
    case SPR_PCR:
    case SPR_AMOR:
    case SPR_HMER:
    case SPR_HMEER:
      return p7 ? SprInfo{Hyp, Hyp} : SprInfo{None, None};
    case SPR_RMOR:
      return (p7 && !p9) ? SprInfo{Hyp, Hyp} : SprInfo{None, None};
    case SPR_HFSCR:
    case SPR_HEIR:
    case SPR_DAWR:
    case SPR_DAWRX:
    case SPR_CIABR:
    case SPR_DPDES:
      return p8 ? SprInfo{Hyp, Hyp} : SprInfo{None, None};
    case SPR_PTCR:
    case SPR_ASDR:
      return p9 ? SprInfo{Hyp, Hyp} : SprInfo{None, None};
    default:
      return {None, None};
  }
}

// The value of a readable SPR.
inline u64 spr_get(CpuState& s, unsigned spr) {
  switch (spr) {
    case SPR_XER: return get_xer(s);
    case SPR_DSCR_U:
    case SPR_DSCR: return s.dscr;
    case SPR_LR: return s.lr;
    case SPR_CTR: return s.ctr;
    case SPR_AMR_U:
    case SPR_AMR: return s.amr;
    // CTRL[RUN] (bit 63) reads as set while the thread runs; lpar-user keeps
    // qemu-ppc64le's 0 (it never writes CTRL).
    case SPR_CTRL_R: return s.ctrl;
    case SPR_VRSAVE: return s.vrsave;
    case SPR_SPRG3_R:
    case SPR_SPRG3: return s.sprg[3];
    case SPR_SPRG0:
    case SPR_SPRG0 + 1:
    case SPR_SPRG0 + 2: return s.sprg[spr - SPR_SPRG0];
    case SPR_TB:
    case SPR_TBL_W: return cur_tb(s);
    case SPR_TBU:
    case SPR_TBU_W: return cur_tb(s) >> 32;
    case SPR_TAR: return s.tar;
    case SPR_PPR: return s.ppr;
    case SPR_PPR32: return s.ppr >> 32;
    case SPR_DSISR: return s.dsisr;
    case SPR_DAR: return s.dar;
    case SPR_DEC: return dec_read(s, get_dec(s), dec_bits(s));
    case SPR_HDEC: return dec_read(s, get_hdec(s), hdec_bits(s));
    case SPR_SDR1: return s.sdr1;
    case SPR_SRR0: return s.srr0;
    case SPR_SRR1: return s.srr1;
    case SPR_CFAR: return s.cfar;
    case SPR_SIAR: return s.siar;
    case SPR_PID: return s.pid;
    case SPR_IAMR: return s.iamr;
    case SPR_FSCR: return s.fscr;
    case SPR_UAMOR: return s.uamor;
    case SPR_DPDES: return s.dpdes;
    case SPR_DAWR: return s.dawr;
    case SPR_CIABR: return s.ciabr;
    case SPR_DAWRX: return s.dawrx;
    case SPR_HFSCR: return s.hfscr;
    case SPR_PVR: return s.pvr;
    case SPR_HSPRG0: return s.hsprg[0];
    case SPR_HSPRG1: return s.hsprg[1];
    case SPR_HDSISR: return s.hdsisr;
    case SPR_HDAR: return s.hdar;
    case SPR_HIOR: return s.hior;
    case SPR_RMOR: return s.rmor;
    case SPR_HRMOR: return s.hrmor;
    case SPR_HSRR0: return s.hsrr0;
    case SPR_HSRR1: return s.hsrr1;
    case SPR_LPCR: return s.lpcr;
    case SPR_LPIDR: return s.lpidr;
    case SPR_HMER: return s.hmer;
    case SPR_HMEER: return s.hmeer;
    case SPR_PCR: return s.pcr;
    case SPR_HEIR: return s.heir;
    case SPR_AMOR: return s.amor;
    case SPR_PTCR: return s.ptcr;
    case SPR_ASDR: return s.asdr;
    case SPR_PSSCR: return s.psscr;
    case SPR_HID0:
    case SPR_HID1:
    case SPR_HID4:
    case SPR_HID5:
    case SPR_HID6: return s.hid[hid_index(spr)];
    case SPR_PIR: return s.pir;
    default: return 0;
  }
}

inline void spr_put(CpuState& s, unsigned spr, u64 v) {
  switch (spr) {
    case SPR_XER: set_xer(s, v); break;
    case SPR_DSCR_U:
    case SPR_DSCR: s.dscr = v; break;
    case SPR_LR: s.lr = v; break;
    case SPR_CTR: s.ctr = v; break;
    // Book III-S 9.7: a problem-state write changes only the bits UAMOR allows.
    case SPR_AMR_U:
      if (s.msr & MSR_PR) s.amr = (s.amr & ~s.uamor) | (v & s.uamor);
      else s.amr = v;
      break;
    case SPR_AMR: s.amr = v; break;
    case SPR_VRSAVE: s.vrsave = static_cast<u32>(v); break;
    case SPR_TAR: s.tar = v; break;
    case SPR_PPR: s.ppr = v; break;
    // PPR32 is PPR[0:31] (Book II 3.1).
    case SPR_PPR32: s.ppr = (v << 32) | (s.ppr & 0xffffffffu); break;
    // Only CTRL[RUN] (bit 63) is writable; it reads back in both halves.
    case SPR_CTRL_W: s.ctrl = (v & 1) ? 0x8001 : 0; break;
    case SPR_DSISR: s.dsisr = static_cast<u32>(v); break;
    case SPR_DAR: s.dar = v; break;
    case SPR_DEC: put_dec(s, v); break;
    case SPR_HDEC: put_hdec(s, v); break;
    case SPR_SDR1: s.sdr1 = v; break;
    case SPR_SRR0: s.srr0 = v; break;
    case SPR_SRR1: s.srr1 = v; break;
    case SPR_CFAR: s.cfar = v; break;
    case SPR_SIAR: s.siar = v; break;
    case SPR_PID: s.pid = static_cast<u32>(v); break;
    case SPR_IAMR: s.iamr = v; reset_tlb(s); break;  // fetch permission changed: the ITLB refills
    case SPR_FSCR: s.fscr = v; break;
    case SPR_UAMOR: s.uamor = v; break;
    case SPR_DPDES: s.dpdes = v; break;
    case SPR_DAWR: s.dawr = v; break;
    case SPR_CIABR: s.ciabr = v; break;
    case SPR_DAWRX: s.dawrx = v; break;
    case SPR_HFSCR: s.hfscr = v; break;
    case SPR_SPRG0:
    case SPR_SPRG0 + 1:
    case SPR_SPRG0 + 2:
    case SPR_SPRG3: s.sprg[spr - SPR_SPRG0] = v; break;
    // mttbl/mttbu (Book III-S 7.2.1): write one half of the Time Base.
    case SPR_TBL_W: set_tb(s, (cur_tb(s) & ~u64{0xffffffff}) | static_cast<u32>(v)); break;
    case SPR_TBU_W: set_tb(s, (v << 32) | static_cast<u32>(cur_tb(s))); break;
    case SPR_HSPRG0: s.hsprg[0] = v; break;
    case SPR_HSPRG1: s.hsprg[1] = v; break;
    case SPR_HDSISR: s.hdsisr = static_cast<u32>(v); break;
    case SPR_HDAR: s.hdar = v; break;
    case SPR_HIOR: s.hior = v; break;
    case SPR_RMOR: s.rmor = v; reset_tlb(s); break;  // real-mode translation changed
    case SPR_HRMOR: s.hrmor = v; reset_tlb(s); break;  // real-mode translation changed
    case SPR_HSRR0: s.hsrr0 = v; break;
    case SPR_HSRR1: s.hsrr1 = v; break;
    case SPR_LPCR: {
      // LPCR[LD] changes the decrementer's width: keep its current value.
      const s64 d = get_dec(s);
      s.lpcr = v;
      put_dec(s, static_cast<u64>(d));
      reset_tlb(s);
      break;
    }
    case SPR_LPIDR: s.lpidr = static_cast<u32>(v); break;
    case SPR_HMER: s.hmer &= v; break;  // Book III-S 7.x: HMER writes AND in
    case SPR_HMEER: s.hmeer = v; break;
    case SPR_PCR: s.pcr = v; break;
    case SPR_HEIR: s.heir = static_cast<u32>(v); break;
    case SPR_AMOR: s.amor = v; break;
    case SPR_PTCR: s.ptcr = v; break;
    case SPR_ASDR: s.asdr = v; break;
    case SPR_PSSCR: s.psscr = v; break;
    case SPR_HID0:
    case SPR_HID1:
    case SPR_HID4:
    case SPR_HID5:
    case SPR_HID6: s.hid[hid_index(spr)] = v; break;
    default: break;
  }
}

inline bool spr_allowed(const CpuState& s, SprPriv need) {
  switch (need) {
    case SprPriv::User: return true;
    case SprPriv::Super: return !(s.msr & MSR_PR);
    case SprPriv::Hyp: return !(s.msr & MSR_PR) && (s.msr & MSR_HV);
    default: return false;
  }
}

// The access is not allowed.  Returns true when the book makes it a no-op
// (the caller then completes the instruction without touching RT/the SPR).
// Book III-S 4.4.4 (mtspr/mfspr):
//  - a defined SPR beyond the thread's privilege: problem state ->
//    privileged-instruction Program interrupt; hypervisor SPR from privileged
//    non-hypervisor state -> Hypervisor Emulation Assistance interrupt;
//  - an undefined SPR number (or the wrong direction of a one-way SPR): with
//    spr0 = 1, problem state -> privileged-instruction Program interrupt and
//    privileged states -> no-op; with spr0 = 0, problem state or SPR 0, 4, 5, 6
//    -> Hypervisor Emulation Assistance (raised as an illegal-instruction
//    Program interrupt, which cpu/interrupts.cpp turns into HEA on POWER7 and
//    later and lpar-user into SIGILL), otherwise no-op.
inline bool spr_fault(CpuState& s, unsigned spr, SprPriv need) {
  const bool pr = s.msr & MSR_PR;
  if (need == SprPriv::None) {
    if (spr & 0x10) {
      if (pr) raise_program(s, PROG_PRIV);
      return !pr;
    }
    if (pr || spr == 0 || spr == 4 || spr == 5 || spr == 6) {
      illegal(s);
      return false;
    }
    return true;
  }
  if (pr) raise_program(s, PROG_PRIV);
  else raise(s, Exc::HEA);
  return false;
}

// Facility Status and Control (v2.07B/v3.0B Book III-S 4.4.x FSCR): in
// problem state an access to a facility whose FSCR bit is 0 is a Facility
// Unavailable interrupt with FSCR[IC] (bits 0:7) = the facility's bit number
// counted from the right (TAR 8, DSCR 2, SCV 12).  POWER8 and later.
inline constexpr unsigned FSCR_IC_TAR = 8, FSCR_IC_DSCR = 2;
inline bool facility_unavailable(CpuState& s, unsigned ic) {
  if (s.model < 2 || !(s.msr & MSR_PR) || (s.fscr >> ic) & 1) return false;
  s.fscr = (s.fscr & ~(u64{0xFF} << 56)) | (u64{ic} << 56);
  raise(s, Exc::FacilityUnavailable);
  return true;
}
inline bool spr_facility_unavailable(CpuState& s, unsigned spr) {
  if (spr == SPR_TAR) return facility_unavailable(s, FSCR_IC_TAR);
  if (spr == SPR_DSCR_U) return facility_unavailable(s, FSCR_IC_DSCR);
  return false;
}

// false: an interrupt was raised.
inline bool spr_read(CpuState& s, unsigned spr, u64& v) {
  if (spr_facility_unavailable(s, spr)) return false;
  const SprPriv need = spr_info(spr, s.model).read;
  if (!spr_allowed(s, need)) {
    if (!spr_fault(s, spr, need)) return false;
    // A no-op mfspr leaves RT unchanged: the caller stores v into RT, so hand
    // back RT's current value (the word is re-read; this path is rare).
    u32 w;
    v = fetch(s, s.nip, w) ? s.gpr[RT(w)] : 0;
    return true;
  }
  v = spr_get(s, spr);
  return true;
}

inline bool spr_write(CpuState& s, unsigned spr, u64 v) {
  if (spr_facility_unavailable(s, spr)) return false;
  const SprPriv need = spr_info(spr, s.model).write;
  if (!spr_allowed(s, need)) return spr_fault(s, spr, need);
  spr_put(s, spr, v);
  return true;
}

}  // namespace lpar::sem
