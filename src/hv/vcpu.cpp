// The vCPU run loop: guest entry, the interrupts that come back to the
// hypervisor, and the memory backend that maps guest real addresses to host
// memory through the VM's slots (or its RMA for offset real mode).
#include "hv/vcpu.h"

#include <cerrno>
#include <cstring>

#include "cpu/interrupts.h"
#include "cpu/memory.h"
#include "cpu/sem/spr.h"
#include "cpu/sem/system.h"
#include "cpu/timers.h"
#include "hv/papr.h"
#include "hv/vm.h"
#include "mmu/real_mode.h"

namespace lpar::hv {

using namespace lpar::sem;

namespace {
// Processor Version Registers (the values the bare machine and QEMU use).
u64 pvr_of(isa::Model m) {
  switch (m) {
    case isa::PPC970: return 0x00390202;
    case isa::POWER7: return 0x003F0201;
    case isa::POWER8: return 0x004D0200;
    default: return 0x004E1202;
  }
}
// SRR1 bits 33:36 and 42:47 are interrupt-specific (Book III-S 6.4.3).
constexpr u64 SRR1_SPECIFIC = msr_bits(33, 36) | msr_bits(42, 47);
}  // namespace

Vcpu::Vcpu(Vm& vm, u32 id) : vm_(vm), id_(id), interp_(s_, vm.model()) {
  backend_.fill = &fill;
  backend_.code_write = &code_write;
  backend_.opaque = this;
  // Guest physical memory is reached through the slots (fill), never
  // through the MMU's flat view; the HPT is the hypervisor's (set on entry).
  mmu_.set_memory(nullptr, 0);
  reset_registers();
}

Vcpu::~Vcpu() = default;

void Vcpu::power_on_reset(u64 timebase) {
  reset_registers();
  set_tb(s_, timebase);
  reset_timers(s_);
  pending_ = Pending::None;
  cede_pending_ = false;
  prodded_ = false;
  irq_ = 0;
  mmio_fault_ = false;
  vpa_ = dtl_ = slb_shadow_ = {};
  pspb_ = 0;
  // The next entry flushes the TLBs and the pre-decoded blocks, and loads
  // the partition's (new) HPT.
  stale_ = true;
  seen_htab_gen_ = seen_slot_gen_ = seen_code_gen_ = ~u64{0};
}

void Vcpu::reset_registers() {
  std::memset(static_cast<void*>(&s_), 0, sizeof s_);
  s_.mem = &backend_;
  s_.mmu_hook = &mmu_insn;
  s_.interp = &interp_;
  s_.model = vm_.model();
  s_.vclock = clock_;  // 1 (default): the Time Base follows retired instructions
  s_.pvr = pvr_of(vm_.model());
  s_.pir = id_;
  s_.ctrl = 0x8001;
  reset_tlb(s_);
  mmu_.reset();
  reset_timers(s_);
  // KVM-HV's initial guest MSR: 64-bit, machine checks enabled, real mode.
  set_msr(s_, MSR_SF | MSR_ME);
}

// Hypervisor state the guest sees but cannot write (Book III-S 2.2, 5.7.3,
// 7.4): reloaded on every entry, so nothing the guest did sticks.
void Vcpu::load_hv_state() {
  s_.lpcr = vm_.lpcr_ | (irq_pending() ? LPCR_MER : 0);
  s_.lpidr = vm_.lpid_;
  s_.sdr1 = vm_.htab_.sdr1_value();
  s_.hid[2] = vm_.hid4_;
  s_.rmor = vm_.rmor_;
  s_.hrmor = 0;
  if (s_.msr & MSR_HV) set_msr(s_, s_.msr & ~MSR_HV);
}

// Called at every slice boundary with the VM's MMU lock held shared.
void Vcpu::sync_with_vm() {
  bool flush = stale_;
  if (seen_htab_gen_ != vm_.htab_gen_) {
    seen_htab_gen_ = vm_.htab_gen_;
    mmu_.set_htab(vm_.htab_.data(), vm_.htab_.bytes());
    flush = true;
  }
  if (seen_slot_gen_ != vm_.slot_gen_) {
    seen_slot_gen_ = vm_.slot_gen_;
    flush = true;
  }
  if (seen_code_gen_ != vm_.code_gen_) {
    seen_code_gen_ = vm_.code_gen_;
    interp_.invalidate_all();
  }
  if (has_written_.load(std::memory_order_acquire)) drop_written_code();
  load_hv_state();
  if (flush) {
    stale_ = false;
    mmu_.flush(s_);
  }
  mmu_.sync(s_);
}

void Vcpu::drop_written_code() {
  std::lock_guard<std::mutex> g(vm_.vcpus_mu_);
  if (written_all_) interp_.invalidate_all();
  else
    for (uintptr_t p : written_) interp_.invalidate_page(p);
  written_.clear();
  written_all_ = false;
  has_written_.store(false, std::memory_order_relaxed);
}

void Vcpu::start_thread(u64 nip, u64 msr, u64 r3) {
  pending_ = Pending::None;  // a stop-self's RTAS call is never completed
  cede_pending_ = false;
  prodded_ = false;
  mmio_fault_ = false;
  s_.exc = Exc::None;
  s_.nip = nip;
  set_msr(s_, msr);
  s_.gpr[3] = r3;
}

int Vcpu::interrupt(u32 irq) {
  if (irq == KVM_INTERRUPT_UNSET) irq_ = 0;
  else if (irq == KVM_INTERRUPT_SET) irq_ = irq_ == 2 ? 2 : 1;
  else if (irq == KVM_INTERRUPT_SET_LEVEL) irq_ = 2;
  else return -EINVAL;
  return 0;
}

int Vcpu::set_guest_debug(u32 control) {
  debug_ = (control & KVM_GUESTDBG_ENABLE) ? control : 0;
  return 0;
}

// Deliver an interrupt to the guest the way KVM-HV injects one
// (kvmppc_inject_interrupt_hv): SRR0/SRR1, the partition's interrupt MSR
// (SF, ME, LE from LPCR[ILE]) and LPCR[AIL] relocation (Book III-S 6.5).
void Vcpu::inject(u64 vector, u64 srr1_bits) {
  const u64 msr = s_.msr;
  u64 nm = MSR_SF | MSR_ME;
  if (s_.model != isa::PPC970 && (s_.lpcr & LPCR_ILE)) nm |= MSR_LE;
  const bool async_ok = vector != 0x100 && vector != 0x200;
  if (s_.model >= isa::POWER8 && async_ok && (msr & MSR_IR) && (msr & MSR_DR)) {
    const unsigned ail = unsigned((s_.lpcr & LPCR_AIL) >> (63 - 40));
    if (ail == 3) {
      vector += 0xC000000000004000ull;
      nm |= MSR_IR | MSR_DR;
    } else if (ail == 2) {
      vector += 0x18000;
      nm |= MSR_IR | MSR_DR;
    }
  }
  s_.srr0 = s_.nip;
  s_.srr1 = (msr & ~SRR1_SPECIFIC) | (srr1_bits & SRR1_SPECIFIC);
  s_.exc = Exc::None;
  s_.exc_reason = 0;
  set_msr(s_, nm);
  s_.nip = vector;
}

// KVM-HV answers an HEA it does not emulate with an illegal-instruction
// Program interrupt to the guest (Book III-S 6.5.9, SRR1[44]).
void Vcpu::reflect_illegal() { inject(0x700, PROG_ILLEGAL); }

void Vcpu::exit_hcall(u64 nr) {
  run_.exit_reason = KVM_EXIT_PAPR_HCALL;
  run_.papr_hcall.nr = nr;
  run_.papr_hcall.ret = 0;
  for (unsigned i = 0; i < 9; ++i) run_.papr_hcall.args[i] = s_.gpr[4 + i];
  pending_ = Pending::Hcall;
}

int Vcpu::complete_pending() {
  switch (pending_) {
    case Pending::Hcall:
      // KVM_EXIT_PAPR_HCALL: ret to r3, args back to r4..r12 (the machine
      // writes its return values there).
      s_.gpr[3] = run_.papr_hcall.ret;
      for (unsigned i = 0; i < 9; ++i) s_.gpr[4 + i] = run_.papr_hcall.args[i];
      break;
    case Pending::MmioLoad: {
      // kvmppc_complete_mmio_load: the data as the access reads it.
      const unsigned n = mmio_load_.len;
      u64 v = 0;
      for (unsigned i = 0; i < n; ++i) {
        const u64 b = run_.mmio.data[i];
        v |= mmio_load_.big_endian ? b << (8 * (n - 1 - i)) : b << (8 * i);
      }
      if (mmio_load_.sign && n < 8) v = u64(insn::sext(v, 8 * n));
      s_.gpr[mmio_load_.rt] = v;
      break;
    }
    default: break;
  }
  pending_ = Pending::None;
  return 0;
}

int Vcpu::run() {
  if (run_.immediate_exit) {
    run_.exit_reason = KVM_EXIT_INTR;
    return -EINTR;
  }
  struct Running {
    std::atomic<int>& n;
    explicit Running(std::atomic<int>& c) : n(c) { ++n; }
    ~Running() { --n; }
  } running(vm_.vcpus_running_);

  complete_pending();
  if (!vm_.mmu_ready_) {
    std::unique_lock<std::shared_mutex> x(vm_.mmu_lock_);
    if (!vm_.mmu_ready_) {
      const int rc = vm_.setup_mmu();
      if (rc) return rc;
    }
  }
  std::shared_lock<std::shared_mutex> lk(vm_.mmu_lock_);
  if (cede_pending_) {
    cede_pending_ = false;
    if (!irq_pending() && !prodded_.exchange(false)) cede_advance();
  }
  // A fresh HDEC timeslice per entry (HDEC interrupts only bring us back here).
  put_hdec(s_, HDEC_SLICE);
  const u64 start = s_.icount;
  for (;;) {
    if (LPAR_UNLIKELY(kick_.load(std::memory_order_relaxed))) {
      kick_.store(false, std::memory_order_relaxed);
      run_.exit_reason = KVM_EXIT_INTR;
      return -EINTR;
    }
    if (s_.icount == hang_icount_) {
      if (++hang_rounds_ >= HANG_ROUNDS) {
        run_.exit_reason = LPAR_EXIT_GUEST_HANG;
        run_.hang = {s_.nip, s_.msr, s_.srr0, s_.srr1, hang_rounds_};
        hang_rounds_ = 0;
        return 0;
      }
    } else {
      hang_icount_ = s_.icount;
      hang_rounds_ = 0;
    }
    sync_with_vm();
    // Asynchronous interrupts at an instruction boundary: decrementers (an
    // HDEC only ends the hypervisor's timeslice), then the external line.
    if (timer_interrupt(s_)) {
      if (s_.exc == Exc::HDecrementer) {
        s_.exc = Exc::None;
        put_hdec(s_, HDEC_SLICE);
      } else if (!deliver_interrupt(s_)) {
        run_.exit_reason = KVM_EXIT_SHUTDOWN;
        return 0;
      }
    }
    // A pending external interrupt: LPCR[MER] is set (load_hv_state) and the
    // interrupt is taken as soon as the guest has MSR[EE]=1 -- what the
    // hardware's mediated external exception leads KVM to do.
    if (irq_pending() && (s_.msr & MSR_EE)) {
      s_.exc = Exc::External;
      deliver_interrupt(s_);
      if (irq_ == 1) irq_ = 0;
      s_.lpcr = vm_.lpcr_ | (irq_pending() ? LPCR_MER : 0);
    }
    u64 slice = timer_slice(s_, SLICE);
    if (run_.insn_limit) {
      const u64 done = s_.icount - start;
      if (done >= run_.insn_limit) {
        run_.exit_reason = KVM_EXIT_INTR;
        return -EINTR;
      }
      if (run_.insn_limit - done < slice) slice = run_.insn_limit - done;
    }
    const bool step = debug_ & KVM_GUESTDBG_SINGLESTEP;
    const Status st = step ? interp_.step() : interp_.run(slice);
    if (st == Status::Exception) {
      const Next n = handle_exception(lk);
      if (n == Next::Exit) return 0;
      if (n == Next::Error) return -EFAULT;
    }
    if (step && st != Status::Exception) {
      run_.exit_reason = KVM_EXIT_DEBUG;
      run_.debug.address = s_.nip;
      run_.debug.status = 0;
      return 0;
    }
  }
}

Vcpu::Next Vcpu::handle_exception(std::shared_lock<std::shared_mutex>& lk) {
  const bool pr = s_.msr & MSR_PR;
  switch (s_.exc) {
    case Exc::SystemCall:
      if (s_.exc_reason == 1 && !pr) {
        s_.exc = Exc::None;
        return do_hcall(lk);
      }
      // sc 1 from problem state is the guest OS's business (KVM-HV reflects
      // it as a system call); sc 0 goes straight to the guest.
      s_.exc_reason = 0;
      deliver_interrupt(s_);
      return Next::Continue;
    case Exc::Program:
      if (!(s_.exc_reason & PROG_ILLEGAL) || s_.model == isa::PPC970) break;
      [[fallthrough]];
    case Exc::HEA: {
      if (s_.model == isa::PPC970) break;  // the 970 makes it a privileged-instruction Program interrupt
      if (debug_ & KVM_GUESTDBG_USE_SW_BP) {
        u32 w = 0;
        const Exc keep = s_.exc;
        const bool ok = fetch(s_, s_.nip, w);
        s_.exc = keep;
        if (ok && w == KVMPPC_INST_SW_BREAKPOINT) {
          s_.exc = Exc::None;
          run_.exit_reason = KVM_EXIT_DEBUG;
          run_.debug.address = s_.nip;
          run_.debug.status = 0;
          return Next::Exit;
        }
      }
      reflect_illegal();
      return Next::Continue;
    }
    case Exc::HVirtualization:
    case Exc::HVFacilityUnavailable:
      reflect_illegal();
      return Next::Continue;
    case Exc::HDSI:
      if (mmio_fault_) {
        mmio_fault_ = false;
        s_.exc = Exc::None;
        return emulate_mmio();
      }
      // kvmppc_hpte_hv_fault: no HPTE / protection in the guest's own HPT is
      // the guest's fault: a DSI with the same DSISR and DAR.
      s_.exc = Exc::DSI;
      break;
    case Exc::HISI:
      s_.exc = Exc::ISI;
      break;
    case Exc::HDecrementer:
      s_.exc = Exc::None;
      put_hdec(s_, HDEC_SLICE);
      return Next::Continue;
    case Exc::MachineCheck:
      if (!(s_.msr & MSR_ME)) {
        s_.exc = Exc::None;
        run_.exit_reason = KVM_EXIT_SHUTDOWN;
        return Next::Exit;
      }
      // POWER7+ send machine checks to the hypervisor; KVM passes the
      // guest's own (here: a fetch from no memory) on to it at 0x200.
      s_.dar = s_.exc_addr;
      inject(0x200, 0);
      return Next::Continue;
    default: break;
  }
  if (!deliver_interrupt(s_)) {
    run_.exit_reason = KVM_EXIT_SHUTDOWN;
    return Next::Exit;
  }
  return Next::Continue;
}

// Guest real addresses: through the slots (virtual mode and the VRMA hold
// guest-physical addresses in HPTEs), or, in offset real mode, RMOR-relative
// real addresses inside the VM's RMA.
int Vcpu::fill(CpuState& s, u64 ea, Access acc, uintptr_t* addend) {
  auto* self = static_cast<Vcpu*>(s.mem->opaque);
  self->mmu_.sync(s);
  u64 ra;
  u8 perm;
  if (!self->mmu_.translate(s, ea, acc, ra, perm)) return FILL_FAULT;
  const mmu::MmuContext& c = self->mmu_.context();
  const bool translated = acc == Access::Exec ? (s.msr & MSR_IR) : (s.msr & MSR_DR);
  const u64 rpage = ra & PAGE_MASK;
  u8* host = nullptr;
  bool writable = true;
  if (!translated && !mmu::uses_vrma(c)) {
    host = self->vm_.rma_host(rpage, PAGE_SIZE);
  } else if (const MemSlot* slot = self->vm_.slots_.find(rpage)) {
    host = slot->host + (rpage - slot->gpa);
    writable = !(slot->flags & KVM_MEM_READONLY);
  }
  if (!host || (acc == Access::Write && !writable)) {
    if (acc == Access::Exec) {
      // Instructions from no memory: a machine check, as on the bare machine.
      s.exc = Exc::MachineCheck;
      s.exc_addr = ea;
      return FILL_FAULT;
    }
    // MMIO: the hardware raises HDSI for a page the hypervisor left out of
    // the partition; the run loop emulates the access (emulate_mmio).
    self->mmio_fault_ = true;
    s.exc = Exc::HDSI;
    s.exc_reason = 0;
    s.exc_addr = ea;
    return FILL_FAULT;
  }
  const u64 page = ea & PAGE_MASK;
  *addend = reinterpret_cast<uintptr_t>(host) - page;
  TlbEntry& e = tlb_entry(s, ea);
  if (e.addend != *addend) e = {TLB_INVALID, TLB_INVALID, TLB_INVALID, *addend};
  if (perm & mmu::PERM_R) e.tag_read = page;
  if (perm & mmu::PERM_X) e.tag_exec = page;
  // With several vCPUs any one's blocks on the real page make the store go
  // through code_write (the vCPU switch dropped the others' write tags).
  const uintptr_t host_page = reinterpret_cast<uintptr_t>(host);
  const bool code = self->vm_.vcpu_count_.load(std::memory_order_relaxed) > 1
                        ? self->vm_.code_on_page(host_page)
                        : self->interp_.page_has_code(host_page);
  if (code) return FILL_CODE;
  if ((perm & mmu::PERM_W) && writable) e.tag_write = page;
  return FILL_OK;
}

void Vcpu::code_write(CpuState& s, u64, uintptr_t host, unsigned) {
  auto* self = static_cast<Vcpu*>(s.mem->opaque);
  const uintptr_t page = host & ~uintptr_t{PAGE_SIZE - 1};
  if (self->vm_.vcpu_count_.load(std::memory_order_relaxed) > 1)
    self->vm_.code_written(page);
  else
    self->interp_.invalidate_page(page);
}

int Vcpu::mmu_insn(CpuState& s, u32 i) {
  auto* self = static_cast<Vcpu*>(s.mem->opaque);
  return self->mmu_.storage_insn(s, i);
}

}  // namespace lpar::hv
