// The bare machine: RAM at physical 0, one CPU started in hypervisor real
// mode at an ELF's entry point, and a debug device for output and exit
// (docs/bare-machine.md).
#pragma once
#include <cstdio>
#include <memory>
#include <string>

#include "cpu/interp.h"
#include "cpu/isa/table.h"
#include "mmu/cpu_mmu.h"

namespace lpar::machine {

inline constexpr u64 DEBUG_DEVICE = 0x3F0000000000ull;
inline constexpr u64 MAX_RAM = u64{64} << 30;

struct BareMachine {
  BareMachine(isa::Model model, u64 ram_size);
  ~BareMachine();
  BareMachine(const BareMachine&) = delete;

  // Load an ELF64 PowerPC executable and reset the CPU to its entry.
  // Returns an empty string on success, else a one-line error.
  std::string load_elf(const std::string& path);

  // Run until the program writes the exit register (returns it mod 256), the thread checkstops
  // (returns -1 with error() set) or timeout_s wall seconds pass (returns
  // -2; 0 = no limit).
  int run(double timeout_s);
  const std::string& error() const { return error_; }

  // Finer-grained control for a debugger (src/gdb/machine_target.h).
  enum class Stop {
    Running,    // the budget ran out
    Exited,     // the program wrote the exit register (exit_code())
    Checkstop,  // error() says why; the thread cannot go on
    Abandoned,  // the memory backend refused an access without raising an
                // interrupt (a debugger watchpoint): the instruction did not run
  };
  // n iterations of run()'s loop: each at most 256 instructions or up to the
  // next possible decrementer expiry, then pending asynchronous interrupts.
  Stop run_slices(unsigned n);
  // Exactly one instruction (delivering the interrupt it raises); then, with
  // take_async, a pending decrementer interrupt.
  Stop step(bool take_async);
  bool exited() const { return stopped_; }
  int exit_code() const { return exit_code_ & 0xff; }
  mmu::CpuMmu& mmu() { return mmu_; }
  isa::Model model() const { return model_; }

  // Physical RAM (host view) for tests.
  u8* ram() { return ram_; }
  u64 ram_size() const { return ram_size_; }

  CpuState s{};
  MemoryBackend backend{};
  Interpreter interp;
  FILE* out = stdout;
  std::string console;  // everything the program wrote to the debug device (--expect)

 private:
  static int fill(CpuState& s, u64 ea, Access acc, uintptr_t* addend);
  static void code_write(CpuState& s, u64 ea, uintptr_t host, unsigned len);
  static int mmu_insn(CpuState& s, u32 insn);
  // The hash MMU of the one CPU (src/mmu/cpu_mmu.h).
  mmu::CpuMmu mmu_;
  void reset(u64 entry, bool le);

  isa::Model model_;
  u8* ram_ = nullptr;
  u64 ram_size_;
  alignas(16) u8 dev_page_[PAGE_SIZE] = {};
  u64 dev_ea_page_ = ~u64{0};
  bool stopped_ = false;
  bool trace_ = false;
  int exit_code_ = 0;
  std::string error_;
};

// "128M", "2G", "512" (MiB, as QEMU) -> bytes; 0 on a malformed size.
u64 parse_size(const std::string& text);
// "POWER8", "power9", "970", ... -> model; false if unknown.
bool parse_model(const std::string& text, isa::Model& m);

}  // namespace lpar::machine
