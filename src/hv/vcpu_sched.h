// The vCPUs of one partition taking turns on one host thread: round-robin
// turns of a fixed number of guest instructions (a turn also ends at H_CEDE
// and H_CONFER), which is deterministic and needs no locking.  A vCPU is
// skipped while stopped (never started, or after RTAS stop-self) or ceded
// with nothing to wake it; when every vCPU is idle the partition's clock
// skips to the first decrementer event.
//
// The Time Base is one partition-wide clock (Book II 6.2: one Time Base for
// all threads): it advances by the guest instructions every vCPU retires, and
// each vCPU reads it through its tb_offset, set on entry to its turn.
//
// Reservations (Book II 1.7.3.1: a reservation may be lost for reasons other
// than a store by another processor): a vCPU's reservation is cleared when
// another vCPU ran since its last turn, so a stwcx. never succeeds across a
// store another vCPU may have done to the granule.  The same switch drops the
// vCPU's host write tags, so that its stores to pages another vCPU decoded
// code from meanwhile reach Vm::code_written.
#pragma once
#include <optional>
#include <vector>

#include "cpu/state.h"

namespace lpar::hv {

class Vcpu;

class VcpuScheduler {
 public:
  // Instructions per turn with more than one vCPU; a lone vCPU runs for
  // SOLO_TURN between looks at the console and the clock.
  static constexpr u64 TURN = 20000;
  static constexpr u64 SOLO_TURN = u64{1} << 22;

  explicit VcpuScheduler(u64 turn = TURN) : turn_(turn) {}

  // Adds a vCPU in round-robin order, running (the boot thread) or stopped
  // until start-cpu (LoPAPR 7.3.x: the other threads wait in the stopped state).
  void add(Vcpu* v, bool running);
  // System reset: the boot thread (the first added) runs, the others are
  // stopped again; the partition's Time Base goes on (it is the host's
  // clock to the guest, as KVM's timebase across a QEMU reset).
  void reset();
  size_t size() const { return slots_.size(); }
  Vcpu* vcpu(u32 id) const;

  // RTAS (LoPAPR 7.3.x).  query-cpu-stopped-state: 0 stopped, 2 running, -1
  // no such thread.  start-cpu: 0, -3 no such thread, -1 not stopped; the
  // thread starts at nip, r3 = r3, MSR = SF|ME (as QEMU: big-endian, real mode).
  // stop-self: the caller stops (false: no such thread).
  int query_cpu_stopped_state(u32 id) const;
  int start_cpu(u32 id, u64 nip, u64 r3);
  bool stop_self(u32 id);
  bool stopped(u32 id) const;

  // The run loop: pick() the vCPU to run next (nullptr: all idle), run it
  // with run_struct().insn_limit = budget() between enter() and leave().
  Vcpu* pick();
  u64 budget() const;
  void enter(Vcpu* v);
  void leave(Vcpu* v);

  // All idle: Time Base ticks until the first ceded vCPU's decrementer
  // fires (nothing when no vCPU is ceded: all stopped).
  std::optional<u64> idle_ticks();
  // All idle and nothing woke a vCPU: the clock jumps to that event.
  void skip_idle();

  u64 timebase() const;
  // The partition's Time Base follows the host's clock from now on (vCPUs
  // run with CpuState::vclock = 2); idle time is then slept, not skipped.
  void set_realtime();

 private:
  struct Slot {
    Vcpu* v;
    bool stopped;
  };
  bool runnable(size_t i);
  s64 dec_now(Vcpu* v);  // the vCPU's DEC at the partition's Time Base now
  Slot* find(u32 id);
  const Slot* find(u32 id) const;

  std::vector<Slot> slots_;
  u64 turn_;
  size_t cur_ = 0;
  u64 left_ = 0;           // instructions left in cur_'s turn
  u64 tb_ = 0;             // the partition's Time Base
  // Host-clock mode: every vCPU reads the host's clock through this offset
  // (the partition's Time Base started at 0), and idle time passes for real.
  bool realtime_ = false;
  u64 rt_offset_ = 0;
  void set_offset(CpuState& s) const;
  u64 entered_icount_ = 0;
  Vcpu* last_ = nullptr;   // the vCPU that ran last
};

}  // namespace lpar::hv
