// A virtual CPU: KVM's vCPU file descriptor (api.rst 4.7 KVM_CREATE_VCPU,
// 4.10 KVM_RUN and the register calls).  The guest runs in the processor's
// supervisor state (MSR[HV]=0) on lpar's interpreter, with the hypervisor
// state (LPCR, LPIDR, HDEC, SDR1, RMOR/HID4) loaded by the hypervisor on
// every entry; the guest cannot write them (HEA).  Interrupts that go to
// hypervisor state (HDEC, HDSI, HISI, HEA, HVI, HFU, sc 1) come back here;
// all others are delivered to the guest as the CPU delivers them.
// docs/hypervisor.md has the exits and where lpar differs from KVM-HV.
#pragma once
#include <atomic>
#include <shared_mutex>
#include <vector>

#include "cpu/interp.h"
#include "hv/kvm.h"
#include "mmu/cpu_mmu.h"

namespace lpar::hv {

class Vm;

// KVM_SET_GUEST_DEBUG control bits (api.rst 4.47).
inline constexpr u32 KVM_GUESTDBG_ENABLE = 0x1;
inline constexpr u32 KVM_GUESTDBG_SINGLESTEP = 0x2;
inline constexpr u32 KVM_GUESTDBG_USE_SW_BP = 0x00010000;
// The software-breakpoint instruction KVM-HV reports as KVM_REG_PPC_DEBUG_INST.
inline constexpr u32 KVMPPC_INST_SW_BREAKPOINT = 0x00dddd00;

// A registered per-processor area (H_REGISTER_VPA): guest address and length.
struct VpaArea {
  u64 gpa = 0;
  u64 len = 0;
  bool registered() const { return gpa != 0; }
};

class Vcpu {
 public:
  // Guest instructions per slice: the longest a vCPU runs between looks at
  // pending interrupts, VM changes and the run budget.
  static constexpr u64 SLICE = 256;
  // The HDEC value loaded on entry (the hypervisor's own timeslice, 7.4).
  static constexpr u64 HDEC_SLICE = u64{1} << 24;
  // Rounds of the run loop (each a slice or an interrupt delivery) with no
  // guest instruction retired before the run ends with LPAR_EXIT_GUEST_HANG:
  // a handler that runs retires instructions, so only an interrupt that
  // re-raises itself at its own vector gets near this.
  static constexpr u64 HANG_ROUNDS = 1u << 20;

  ~Vcpu();
  Vcpu(const Vcpu&) = delete;
  Vcpu& operator=(const Vcpu&) = delete;

  u32 id() const { return id_; }
  Vm& vm() { return vm_; }

  // kvm_run (KVM: the vCPU fd's mmap).
  KvmRun& run_struct() { return run_; }
  // KVM_RUN: 0 with run_struct().exit_reason set; -EINTR (exit_reason
  // KVM_EXIT_INTR) for immediate_exit or an exhausted insn_limit; -EINVAL
  // when the partition cannot be set up (no memory at guest physical 0; a
  // PPC970 guest whose slot 0 is not an RMA); -ENOMEM.
  int run();

  // KVM_INTERRUPT (api.rst 4.16, PPC): KVM_INTERRUPT_SET (edge, cleared when
  // delivered), KVM_INTERRUPT_SET_LEVEL (until UNSET), KVM_INTERRUPT_UNSET.
  int interrupt(u32 irq);
  // RTAS start-cpu (LoPAPR 7.3.x): the thread begins at nip with msr and r3;
  // what its last exit left to complete (stop-self's call) and a cede go.
  void start_thread(u64 nip, u64 msr, u64 r3);
  // System reset (the machine's reboot): registers, MSR, timers, SLB/TLB,
  // pre-decoded blocks, registered areas and what the last exit left to
  // complete back to their creation state.  Guest debug control and the
  // statistics stay (they are the host's).  timebase: the partition's Time
  // Base now, which goes on across the reset; DEC and HDEC restart from it.
  void power_on_reset(u64 timebase);
  // In H_CEDE (LPAR_EXIT_IDLE taken), and does an interrupt or H_PROD end
  // it?  (A decrementer ending it is the scheduler's to see.)
  bool ceded() const { return cede_pending_; }
  // Ends the current run (or the next) with KVM_EXIT_INTR / -EINTR at the
  // next slice or interrupt delivery, whatever the guest does: what a signal
  // does to KVM_RUN.  Safe from any thread.
  void kick() { kick_.store(true, std::memory_order_relaxed); }
  // The Time Base source (CpuState::vclock): 1 retired instructions
  // (deterministic, the default), 2 the host's clock.  Kept across resets.
  void set_clock(u8 mode) { clock_ = s_.vclock = mode; }
  bool wake_pending() const { return irq_pending() || prodded_.load(std::memory_order_relaxed); }

  // KVM_SET_GUEST_DEBUG: KVM_GUESTDBG_* control bits.
  int set_guest_debug(u32 control);

  int get_regs(KvmRegs& r) const;
  int set_regs(const KvmRegs& r);
  int get_sregs(KvmSregs& r) const;
  int set_sregs(const KvmSregs& r);
  // KVM_GET_ONE_REG / KVM_SET_ONE_REG: addr holds the register (its size
  // from the id).  -EINVAL for an id lpar does not know; -EINVAL for
  // writes to read-only ones (DEBUG_INST).
  int get_one_reg(u64 id, void* addr) const;
  int set_one_reg(u64 id, const void* addr);

  // The guest's registers, directly (tests, the machine's loader).
  CpuState& state() { return s_; }
  const VpaArea& vpa() const { return vpa_; }
  const VpaArea& dtl() const { return dtl_; }
  const VpaArea& slb_shadow() const { return slb_shadow_; }

  // Statistics.
  u64 hcalls_in_hv() const { return hcalls_in_hv_; }
  u64 logical_ci_served() const { return ci_served_; }  // H_LOGICAL_CI_* served by the IO bus
  // Pre-decoded code of this vCPU (-d code): decodes, code pages, invalidations.
  const InterpStats& code_stats() const { return interp_.stats(); }
  size_t code_pages() const { return interp_.code_page_count(); }
  u64 mmio_served() const { return mmio_served_; }       // MMIO loads/stores served by the IO bus
  Interpreter& interpreter() { return interp_; }  // e.g. to attach the LLVM tier
  u64 ceded_ticks() const { return ceded_ticks_; }       // virtual time skipped by H_CEDE

 private:
  friend class Vm;
  Vcpu(Vm& vm, u32 id);

  enum class Next { Continue, Exit, Error };
  void reset_registers();
  void load_hv_state();
  void sync_with_vm();
  int complete_pending();
  Next handle_exception(std::shared_lock<std::shared_mutex>& lk);
  Next do_hcall(std::shared_lock<std::shared_mutex>& lk);
  Next emulate_mmio();
  void inject(u64 vector, u64 srr1_bits);
  void reflect_illegal();
  void exit_hcall(u64 nr);
  long h_register_vpa(u64 flags, u64 proc, u64 addr);
  long h_cede();
  bool cede_advance();
  bool irq_pending() const { return irq_ != 0; }

  static int fill(CpuState& s, u64 ea, Access acc, uintptr_t* addend);
  static void code_write(CpuState& s, u64 ea, uintptr_t host, unsigned len);
  static int mmu_insn(CpuState& s, u32 insn);

  Vm& vm_;
  u32 id_;
  CpuState s_{};
  MemoryBackend backend_{};
  Interpreter interp_;
  mmu::CpuMmu mmu_;
  KvmRun run_{};
  u64 seen_slot_gen_ = ~u64{0}, seen_htab_gen_ = ~u64{0};
  bool stale_ = false;  // Vm::invalidate: the TLBs must go
  u64 seen_code_gen_ = ~u64{0};
  // Real pages the machine wrote (Vm::memory_written, under the VM's vcpus
  // mutex): their blocks go at the next slice; past the bound, all blocks.
  static constexpr size_t MAX_WRITTEN_PAGES = 4096;
  std::vector<uintptr_t> written_;
  bool written_all_ = false;
  std::atomic<bool> has_written_{false};
  void drop_written_code();
  u8 irq_ = 0;          // 0 none, 1 edge, 2 level
  std::atomic<bool> prodded_{false};
  std::atomic<bool> kick_{false};
  u8 clock_ = 1;
  u64 hang_icount_ = ~u64{0};  // icount at the last round that retired nothing
  u64 hang_rounds_ = 0;
  bool cede_pending_ = false;  // LPAR_EXIT_IDLE taken: finish the cede on the next run
  u32 debug_ = 0;
  // An access the fill found no memory for (MMIO): set in fill, consumed by
  // the HDSI it raises.
  bool mmio_fault_ = false;
  // What the next run must complete.
  enum class Pending : u8 { None, Hcall, MmioLoad } pending_ = Pending::None;
  struct {
    unsigned rt, len;
    bool sign, big_endian;
  } mmio_load_{};
  VpaArea vpa_, dtl_, slb_shadow_;
  u32 pspb_ = 0;
  u64 hcalls_in_hv_ = 0, ci_served_ = 0, mmio_served_ = 0, ceded_ticks_ = 0;
};

}  // namespace lpar::hv
