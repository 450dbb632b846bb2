// GdbTarget for a full-system machine: gdb's threads are the vCPUs (the bare
// machine has one, thread 1), registers include the privileged ones, memory
// goes through the vCPU's current translation without side effects
// (debug_mmu.h) or, after "monitor phys on", is physical.
//
// Run control: in blocks of the interpreter unless a breakpoint is set (then
// one instruction at a time, comparing the address first) or gdb steps.
// Watchpoints stop *before* the access, as gdb expects on PowerPC (its
// "nonsteppable" watchpoints: gdb steps over the access itself and compares
// the values): while any is set, a spying memory backend keeps the watched
// pages out of the TLB and refuses an access to a watched range, which
// abandons the instruction without an interrupt (BareMachine::Stop::Abandoned).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "gdb/breakpoints.h"
#include "gdb/memory_spy.h"
#include "gdb/target.h"
#include "machine/bare.h"

namespace lpar::gdb {

class MachineTarget final : public GdbTarget {
 public:
  explicit MachineTarget(machine::BareMachine& m);
  ~MachineTarget() override;
  MachineTarget(const MachineTarget&) = delete;

  const ArchDesc& arch() const override;
  bool big_endian() const override;
  std::vector<int> threads() const override { return {1}; }
  bool read_register(int thread, unsigned regnum, u128& value) override;
  bool write_register(int thread, unsigned regnum, u128 value) override;
  size_t read_memory(int thread, u64 addr, uint8_t* buf, size_t len) override;
  size_t write_memory(int thread, u64 addr, const uint8_t* buf, size_t len) override;
  bool insert_breakpoint(BpType type, u64 addr, u64 len) override;
  bool remove_breakpoint(BpType type, u64 addr, u64 len) override;
  void resume(int step_thread, int signal) override;
  StopEvent run_slice() override;
  StopEvent interrupt() override;
  void detach() override;
  void kill() override;
  std::string monitor(const std::string& cmd) override;

  // The debugger asked to end the machine ('k').
  bool killed() const { return killed_; }
  // The machine checkstopped while the debugger had it.
  bool checkstopped() const { return checkstop_; }
  bool physical() const { return phys_; }

  // Run-loop iterations (<= 256 instructions each) per run_slice when nothing
  // needs single-stepping; instructions per run_slice when stepping.
  static constexpr unsigned FAST_SLICES = 256;
  static constexpr unsigned STEP_BUDGET = 1u << 14;

 private:
  // One vCPU as the stub sees it.
  struct Vcpu {
    CpuState& s;
    Interpreter& interp;
    mmu::CpuMmu& mmu;
  };
  struct Hit {
    size_t watch;
    u64 ea;
  };
  Vcpu vcpu(int thread);
  // addr -> real address for the debugger; false (with why) if unmapped.
  bool translate(Vcpu& v, u64 addr, u64& ra, std::string* why);
  std::optional<StopEvent> check_changed();
  StopEvent abandoned_event() const;
  StopEvent machine_event(machine::BareMachine::Stop st);
  StopEvent run_until_stop();
  void update_spy();
  void after_state_write(Vcpu& v);
  static int spy_fill(CpuState& s, u64 ea, Access acc, uintptr_t* addend);

  std::string mon_regs(Vcpu& v);
  std::string mon_pending(Vcpu& v);

  machine::BareMachine& m_;
  Breakpoints points_;
  bool stepping_ = false;
  static constexpr u64 NOWHERE = ~u64{0};
  u64 stopped_at_ = NOWHERE;  // pc of the last breakpoint/watchpoint stop
  bool skip_first_ = false;   // resumed there: that instruction runs without re-hitting
  bool phys_ = false;
  bool killed_ = false;
  bool checkstop_ = false;
  // Watchpoints: every data access goes through spy_fill, which refuses one
  // that touches a watched range while armed.
  MemorySpy spy_;
  bool spy_armed_ = false;
  std::optional<Hit> hit_;
};

}  // namespace lpar::gdb
