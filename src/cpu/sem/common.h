// What every semantic function sees: the state, the instruction word, and the
// helpers shared by the instruction classes.  A semantic function is
//   SEM(id) { ... }          ->  Status id(CpuState& s, u32 i)
// It runs with s.nip = CIA.  It returns Next to fall through (the caller adds
// 4), Jump after setting s.nip itself, or Exception after raise*() left the
// interrupt in s.exc with s.nip still at the CIA (or CIA+4 where the book says
// SRR0 gets the next instruction, as for sc).
#pragma once
#include <bit>
#include <cmath>
#include <cstring>

#include "cpu/insn.h"
#include "cpu/memory.h"
#include "cpu/state.h"

namespace lpar {

enum class Status : u8 { Next = 0, Jump = 1, Exception = 2 };

}  // namespace lpar

namespace lpar::sem {
using namespace lpar::insn;

#define SEM(name) inline ::lpar::Status name([[maybe_unused]] ::lpar::CpuState& s, [[maybe_unused]] ::lpar::u32 i)

// Services of the host that some instructions need (cpu/host.cpp).
u64 timebase(const CpuState& s);  // the Time Base, 512 MHz (Book II 6.2)
u64 host_timebase();              // the host's monotonic clock in 512 MHz ticks
u64 host_random64();              // for darn (Book I 3.3.17.1)

inline Status raise(CpuState& s, Exc e, u32 reason = 0, u64 addr = 0) {
  s.exc = e;
  s.exc_reason = reason;
  s.exc_addr = addr;
  return Status::Exception;
}
inline Status raise_program(CpuState& s, u32 reason) { return raise(s, Exc::Program, reason); }
inline Status illegal(CpuState& s) { return raise_program(s, PROG_ILLEGAL); }

// MSR bits used by problem-state semantics (Book III-S 4.2.1, bit = 63 - n).
inline constexpr u64 MSR_SF = u64{1} << 63;
inline constexpr u64 MSR_HV = u64{1} << 60;
inline constexpr u64 MSR_VEC = u64{1} << 25;
inline constexpr u64 MSR_VSX = u64{1} << 23;
inline constexpr u64 MSR_EE = u64{1} << 15;
inline constexpr u64 MSR_PR = u64{1} << 14;
inline constexpr u64 MSR_FP = u64{1} << 13;
inline constexpr u64 MSR_ME = u64{1} << 12;
inline constexpr u64 MSR_FE0 = u64{1} << 11;
inline constexpr u64 MSR_SE = u64{1} << 10;
inline constexpr u64 MSR_BE = u64{1} << 9;
inline constexpr u64 MSR_FE1 = u64{1} << 8;
inline constexpr u64 MSR_IR = u64{1} << 5;
inline constexpr u64 MSR_DR = u64{1} << 4;
inline constexpr u64 MSR_RI = u64{1} << 1;
inline constexpr u64 MSR_LE = u64{1} << 0;

inline bool mode64(const CpuState& s) { return s.msr & MSR_SF; }
// Effective address arithmetic wraps at 32 bits in 32-bit mode (Book III-S 5.3.1).
inline u64 ea_mask(const CpuState& s, u64 ea) { return mode64(s) ? ea : static_cast<u32>(ea); }

// Facility checks (Book III-S 7.5.x "unavailable" interrupts).
#define REQUIRE_FP()  do { if (!(s.msr & ::lpar::sem::MSR_FP))  return ::lpar::sem::raise(s, ::lpar::Exc::FPUnavailable); } while (0)
#define REQUIRE_VEC() do { if (!(s.msr & ::lpar::sem::MSR_VEC)) return ::lpar::sem::raise(s, ::lpar::Exc::VMXUnavailable); } while (0)
#define REQUIRE_VSX() do { if (!(s.msr & ::lpar::sem::MSR_VSX)) return ::lpar::sem::raise(s, ::lpar::Exc::VSXUnavailable); } while (0)
#define REQUIRE_SUPERVISOR() do { if (s.msr & ::lpar::sem::MSR_PR) return ::lpar::sem::raise_program(s, ::lpar::PROG_PRIV); } while (0)
#define REQUIRE_HV() do { if ((s.msr & ::lpar::sem::MSR_PR) || !(s.msr & ::lpar::sem::MSR_HV)) return ::lpar::sem::raise_program(s, ::lpar::PROG_PRIV); } while (0)

// Memory access inside semantics: bail out with the interrupt on a fault.
#define LOAD(T, ea, out) do { if (!::lpar::load<T>(s, (ea), (out))) return ::lpar::Status::Exception; } while (0)
#define LOAD_REV(T, ea, out) do { if (!::lpar::load<T>(s, (ea), (out), true)) return ::lpar::Status::Exception; } while (0)
#define STORE(T, ea, v) do { if (!::lpar::store<T>(s, (ea), static_cast<T>(v))) return ::lpar::Status::Exception; } while (0)
#define STORE_REV(T, ea, v) do { if (!::lpar::store<T>(s, (ea), static_cast<T>(v), true)) return ::lpar::Status::Exception; } while (0)

// ---- Condition register (Book I 2.3.1); ISA bit n is host bit 31 - n.
inline constexpr u32 CR_LT = 8, CR_GT = 4, CR_EQ = 2, CR_SO = 1;
inline unsigned get_crf(const CpuState& s, unsigned f) { return (s.cr >> (28 - 4 * f)) & 0xf; }
inline void set_crf(CpuState& s, unsigned f, unsigned v) {
  const unsigned sh = 28 - 4 * f;
  s.cr = (s.cr & ~(0xfu << sh)) | ((v & 0xf) << sh);
}
inline bool get_crbit(const CpuState& s, unsigned b) { return (s.cr >> (31 - b)) & 1; }
inline void set_crbit(CpuState& s, unsigned b, bool v) {
  s.cr = (s.cr & ~(1u << (31 - b))) | (u32{v} << (31 - b));
}
// CR field for a signed compare result.
inline unsigned cmp_flags(s64 a, s64 b, bool so) { return (a < b ? CR_LT : a > b ? CR_GT : CR_EQ) | (so ? CR_SO : 0); }
inline unsigned cmpu_flags(u64 a, u64 b, bool so) { return (a < b ? CR_LT : a > b ? CR_GT : CR_EQ) | (so ? CR_SO : 0); }
// Rc=1 on fixed-point: CR0 from the result, compared as 64- or 32-bit by MSR[SF].
inline void set_cr0(CpuState& s, u64 r) {
  const s64 v = mode64(s) ? static_cast<s64>(r) : static_cast<s64>(static_cast<s32>(r));
  set_crf(s, 0, cmp_flags(v, 0, s.so));
}

// ---- XER (Book I 3.2.2)
// OV32 and CA32 exist from ISA 3.0 (POWER9) on: before it they read as 0.
inline u64 get_xer(const CpuState& s) {
  const u64 v3 = s.model >= 3 /* isa::POWER9 */ ? (u64{s.ov32} << 19) | (u64{s.ca32} << 18) : 0;
  return (u64{s.so} << 31) | (u64{s.ov} << 30) | (u64{s.ca} << 29) | v3 | s.xer_bc;
}
inline void set_xer(CpuState& s, u64 v) {
  s.so = (v >> 31) & 1;
  s.ov = (v >> 30) & 1;
  s.ca = (v >> 29) & 1;
  s.ov32 = (v >> 19) & 1;
  s.ca32 = (v >> 18) & 1;
  s.xer_bc = v & 0x7f;
}
inline void set_ov(CpuState& s, bool ov, bool ov32) {
  s.ov = ov;
  s.ov32 = ov32;
  s.so |= ov;
}

// ---- Vector elements by ISA index (element 0 is the leftmost).
template <typename T>
inline T& elem(Vec& v, unsigned idx) {
  return reinterpret_cast<T*>(v.b)[16 / sizeof(T) - 1 - idx];
}
template <typename T>
inline const T& elem(const Vec& v, unsigned idx) {
  return reinterpret_cast<const T*>(v.b)[16 / sizeof(T) - 1 - idx];
}

}  // namespace lpar::sem
