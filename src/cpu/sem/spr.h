// Special purpose registers reached by mfspr/mtspr/mftb (PowerISA 3.0B Book I
// 3.3.17, Book III-S 5.4.4).  Each SPR is one case of spr_info() (who may
// read/write it) plus one case in spr_get()/spr_put() (where it lives).  A later
// issue adds the privileged SPRs by adding cases there.
#pragma once
#include "cpu/sem/common.h"

namespace lpar::sem {

// Lowest privilege that may access an SPR; None = not defined for that access.
enum class SprPriv : u8 { None, User, Super, Hyp };
struct SprInfo {
  SprPriv read, write;
};

// SPR numbers (Book I 3.3.17 Figure 16, Book III-S 5.4.4 Figure 30).
enum : unsigned {
  SPR_XER = 1,
  SPR_DSCR_U = 3,
  SPR_LR = 8,
  SPR_CTR = 9,
  SPR_AMR_U = 13,
  SPR_CTRL_R = 136,
  SPR_VRSAVE = 256,
  SPR_SPRG3_R = 259,
  SPR_TB = 268,
  SPR_TBU = 269,
  SPR_TBL_W = 284,
  SPR_TBU_W = 285,
  SPR_TAR = 815,
  SPR_PPR = 896,
  SPR_PPR32 = 898,
};

constexpr SprInfo spr_info(unsigned spr) {
  using enum SprPriv;
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
    // TBL/TBU (284/285) are the hypervisor's write ports (writes come with the
    // machine); qemu 7.2 lets problem state read the Time Base through them.
    case SPR_TBL_W:
    case SPR_TBU_W:
      return {User, None};
    default:
      return {None, None};
  }
}

// The value of a readable SPR.
inline u64 spr_get(CpuState& s, unsigned spr) {
  switch (spr) {
    case SPR_XER: return get_xer(s);
    case SPR_DSCR_U: return s.dscr;
    case SPR_LR: return s.lr;
    case SPR_CTR: return s.ctr;
    case SPR_AMR_U: return s.amr;
    // CTRL[RUN] (bit 63) is set while the thread runs; as in qemu-ppc64le
    // user mode the read gives 0 until the machine models the run latch.
    case SPR_CTRL_R: return 0;
    case SPR_VRSAVE: return s.vrsave;
    case SPR_SPRG3_R: return 0;  // the OS has not given SPRG3 a value yet
    case SPR_TB:
    case SPR_TBL_W: return timebase(s);
    case SPR_TBU:
    case SPR_TBU_W: return timebase(s) >> 32;
    case SPR_TAR: return s.tar;
    case SPR_PPR: return s.ppr;
    case SPR_PPR32: return s.ppr >> 32;
    default: return 0;
  }
}

inline void spr_put(CpuState& s, unsigned spr, u64 v) {
  switch (spr) {
    case SPR_XER: set_xer(s, v); break;
    case SPR_DSCR_U: s.dscr = v; break;
    case SPR_LR: s.lr = v; break;
    case SPR_CTR: s.ctr = v; break;
    // Book III-S 9.7: a problem-state write changes only the bits UAMOR
    // allows, and no OS has set UAMOR yet.
    case SPR_AMR_U:
      if (!(s.msr & MSR_PR)) s.amr = v;
      break;
    case SPR_VRSAVE: s.vrsave = static_cast<u32>(v); break;
    case SPR_TAR: s.tar = v; break;
    case SPR_PPR: s.ppr = v; break;
    // PPR32 is PPR[0:31] (Book II 3.1).
    case SPR_PPR32: s.ppr = (v << 32) | (s.ppr & 0xffffffffu); break;
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

// Book III-S 5.4.4 (mtspr/mfspr): an SPR the thread may not access raises a
// privileged-instruction Program interrupt if the number's spr0 bit (0x10) is
// set or the SPR exists; any other undefined number is an illegal instruction.
// (In privileged states the book asks for a Hypervisor Emulation Assistance
// interrupt or a no-op there; the machine layer will refine that.)
inline bool spr_fault(CpuState& s, unsigned spr, SprPriv need) {
  if (need != SprPriv::None || (spr & 0x10))
    raise_program(s, PROG_PRIV);
  else
    illegal(s);
  return false;
}

inline bool spr_read(CpuState& s, unsigned spr, u64& v) {
  const SprPriv need = spr_info(spr).read;
  if (!spr_allowed(s, need)) return spr_fault(s, spr, need);
  v = spr_get(s, spr);
  return true;
}

inline bool spr_write(CpuState& s, unsigned spr, u64 v) {
  const SprPriv need = spr_info(spr).write;
  if (!spr_allowed(s, need)) return spr_fault(s, spr, need);
  spr_put(s, spr, v);
  return true;
}

}  // namespace lpar::sem
