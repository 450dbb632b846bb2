// The architected state of one PowerISA processor thread, as a plain struct.
//
// Layout is standard and stable (checked by static_asserts below) because the
// LLVM tier addresses fields by offset and the semantic functions compiled to
// bitcode see this same definition.
#pragma once
#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace lpar {

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;
using s8 = int8_t;
using s16 = int16_t;
using s32 = int32_t;
using s64 = int64_t;
using u128 = unsigned __int128;
using s128 = __int128;

// A 128-bit VSR/VR.  Stored as a host integer whose least-significant bit is
// ISA bit 127, so ISA element i of width W lives at host lane (16/W - 1 - i).
// Doubleword 0 (the FPR half, PowerISA Book I 7.2) is dw[1] on a little-endian host.
union alignas(16) Vec {
  u128 q;
  u64 dw[2];
  u32 w[4];
  u16 h[8];
  u8 b[16];
  double d[2];
  float f[4];
};
static_assert(sizeof(Vec) == 16);

// Which interrupt the last instruction raised (PowerISA Book III-S 7.5).
enum class Exc : u8 {
  None = 0,
  SystemReset,
  MachineCheck,
  DSI,
  DSegI,
  ISI,
  ISegI,
  External,
  Alignment,
  Program,
  FPUnavailable,
  Decrementer,
  SystemCall,
  Trace,
  HDSI,
  HISI,
  HEA,
  HDecrementer,
  VMXUnavailable,
  VSXUnavailable,
  FacilityUnavailable,
  HVFacilityUnavailable,
  HVirtualization,
};

// SRR1 bits 43:47 for a Program interrupt (Book III-S 7.5.9).
enum ProgramReason : u32 {
  PROG_FP = 1u << (63 - 43),
  PROG_ILLEGAL = 1u << (63 - 44),
  PROG_PRIV = 1u << (63 - 45),
  PROG_TRAP = 1u << (63 - 46),
};

struct CpuState;

// One direct-mapped software TLB entry.  A hit is: tag compare, add addend.
// Tags are page-aligned effective addresses; TLB_INVALID never matches.
struct TlbEntry {
  u64 tag_read;
  u64 tag_write;
  u64 tag_exec;
  uintptr_t addend;  // host pointer = ea + addend
};
inline constexpr u64 TLB_INVALID = 1;
inline constexpr unsigned PAGE_SHIFT = 12;
inline constexpr u64 PAGE_SIZE = u64{1} << PAGE_SHIFT;
inline constexpr u64 PAGE_MASK = ~(PAGE_SIZE - 1);
inline constexpr unsigned TLB_BITS = 10;
inline constexpr unsigned TLB_ENTRIES = 1u << TLB_BITS;
// The instruction side's own small TLB (pre-decoded block entry, cpu/interp.h):
// data accesses never evict the code's translations.  Filled only after a
// successful instruction fetch translation; emptied with the TLB.
struct ItlbEntry {
  u64 tag;           // page-aligned effective address; TLB_INVALID never matches
  uintptr_t addend;  // host pointer = ea + addend
};
inline constexpr unsigned ITLB_BITS = 9;
inline constexpr unsigned ITLB_ENTRIES = 1u << ITLB_BITS;

enum class Access : u8 { Read, Write, Exec };

// The memory system behind the TLB: user-mode page map or the full MMU.
// Called only on a TLB miss, an unaligned page-crossing access, or MMIO.
enum FillResult : int {
  FILL_FAULT = 0,  // the storage interrupt has been raised (s.exc set)
  FILL_OK = 1,     // *addend is valid for the page
  FILL_CODE = 2,   // as FILL_OK, and the page holds pre-decoded code: report writes
};
struct MemoryBackend {
  // Translate the page of ea for acc: set *addend (host = ea + addend), install
  // a TLB entry if the page may be cached, or raise the storage interrupt.
  int (*fill)(CpuState& s, u64 ea, Access acc, uintptr_t* addend);
  // Stores that hit a page holding pre-decoded code land here after the
  // write: len bytes at ea, which is host address `host` (its real page).
  void (*code_write)(CpuState& s, u64 ea, uintptr_t host, unsigned len);
  // The syscall / hcall / unimplemented hooks of the embedding runtime.
  void* opaque;
};

struct CpuState {
  u64 gpr[32];
  Vec vsr[64];  // FPR i is vsr[i].dw[1]; VR i is vsr[32 + i]
  u64 nip;      // CIA while an instruction executes, NIA after
  u64 lr;
  u64 ctr;
  u32 cr;       // ISA bit 0 (CR0 LT) is host bit 31
  u8 so, ov, ca, ov32, ca32;  // XER bits kept unpacked (Book I 3.2.2)
  u8 xer_bc;    // XER[57:63], the string byte count
  u8 le;        // MSR[LE] cached: 1 for little-endian data and instructions
  u8 fp_host_rm;  // host rounding mode currently installed (cache)
  u64 fpscr;
  u32 vscr;     // VSCR[NJ] is bit 16 (0x10000), [SAT] bit 0 (Book I 6.3)
  u32 vrsave;

  // Load-and-reserve (Book II 4.4.2): one reservation granule.
  u64 resv_addr;
  u64 resv_val[2];
  u8 resv_valid;
  u8 resv_len;

  // The last interrupt raised by an instruction, and its detail.
  Exc exc;
  u32 exc_reason;  // program-interrupt reason bits, or DSISR
  u64 exc_addr;    // DAR for storage interrupts

  // Privileged state (Book III-S): filled out by the machine.
  u64 msr;
  u64 tb_offset;
  u64 dscr, ppr, tar, amr, vtb;

  // Book III-S privileged registers, kept by the system class (cpu/sem/spr.h)
  // and the interrupt/timer code (cpu/interrupts.h, cpu/timers.h).
  u64 srr0, srr1, hsrr0, hsrr1;
  u64 sprg[4], hsprg[2];
  u64 dar, hdar, cfar, lpcr, lpidr, rmor, hrmor, hior, sdr1, pcr, ptcr, pid;
  u64 hid[5];  // HID0, HID1, HID4, HID5, HID6 (sem::hid_index)
  u64 ctrl, iamr, uamor, amor, fscr, hfscr, dawr, dawrx, ciabr, heir, pir, pvr, psscr, asdr;
  u64 dpdes, hmer, hmeer, tfmr, spurr, purr;
  u64 siar;  // Sampled Instruction Address Register (Book III-S 9.4.8): the traced instruction
  u32 dsisr, hdsisr;
  // The interrupt controller's external-interrupt line to this thread (set
  // and cleared by the machine; cpu/timers.h external_interrupt()).
  u8 ext_line;
  // Decrementers (Book III-S 7.3/7.4): value written and the Time Base then.
  u64 dec_base, dec_tb, hdec_base, hdec_tb;
  // SLB/TLB management instructions call this once the MMU is wired in; null =
  // no-op.  It receives the instruction word and reads/writes GPRs itself.
  int (*mmu_hook)(CpuState& s, u32 insn);  // returns 0 ok, 1 exception raised
  u8 model;   // isa::Model of this thread (SPR and interrupt details differ)
  // The Time Base: 1 follows icount (bare machine, -icount: deterministic);
  // 2 follows the host's clock and the machine has timers (pseries default);
  // 0 follows the host's clock, no timers (lpar-user).
  u8 vclock;

  // Instruction counter for the run loop (retired instructions).
  u64 icount;
  // Block chaining inside threaded code (cpu/interp.cpp): the effective
  // address the running block was entered at, how many more blocks may chain before the run loop looks
  // at timers and budgets, and the interpreter that owns the blocks.
  u64 block_ea;
  s64 chain_budget;  // instructions that may still run by chaining
  void* interp;

  MemoryBackend* mem;
  TlbEntry tlb[TLB_ENTRIES];
  ItlbEntry itlb[ITLB_ENTRIES];
};

static_assert(std::is_standard_layout_v<CpuState>);
static_assert(offsetof(CpuState, gpr) == 0);
static_assert(offsetof(CpuState, vsr) == 256);
static_assert(offsetof(CpuState, nip) == 256 + 64 * 16);

// FPR accessors: the FPRs overlay doubleword 0 of VSR 0-31 (Book I 7.2).
inline u64& fpr(CpuState& s, unsigned i) { return s.vsr[i].dw[1]; }
inline Vec& vr(CpuState& s, unsigned i) { return s.vsr[32 + i]; }

void reset_tlb(CpuState& s);

}  // namespace lpar
