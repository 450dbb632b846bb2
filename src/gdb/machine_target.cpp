#include "gdb/machine_target.h"

#include <signal.h>

#include <algorithm>
#include <cstring>

#include "cpu/memory.h"
#include "cpu/sem/spr.h"
#include "cpu/sem/system.h"
#include "gdb/debug_mmu.h"
#include "gdb/power_arch.h"
#include "gdb/power_regs.h"

namespace lpar::gdb {

using namespace power;
using machine::BareMachine;

namespace {

// The target whose spy backend is installed on this host thread.
thread_local MachineTarget* g_spying = nullptr;

// An access is known by its first byte only (the backend sees page fills):
// one starting up to 15 bytes before a range may reach into it.
constexpr u64 ACCESS_REACH = 16;

}  // namespace

MachineTarget::MachineTarget(BareMachine& m)
    : m_(m), points_([this](u64 addr, uint8_t* buf, size_t len) { return read_memory(1, addr, buf, len); }) {}

MachineTarget::~MachineTarget() {
  points_.clear();
  update_spy();
}

const ArchDesc& MachineTarget::arch() const { return arch64(); }

bool MachineTarget::big_endian() const { return !m_.s.le; }

MachineTarget::Vcpu MachineTarget::vcpu(int) { return Vcpu{m_.s, m_.interp, m_.mmu()}; }

bool MachineTarget::read_register(int thread, unsigned n, u128& v) {
  const CpuState& s = vcpu(thread).s;
  if (read_problem_register(s, n, v)) return true;
  switch (n) {
    case MSR: v = s.msr; break;
    case SRR0: v = s.srr0; break;
    case SRR1: v = s.srr1; break;
    case HSRR0: v = s.hsrr0; break;
    case HSRR1: v = s.hsrr1; break;
    case LPCR: v = s.lpcr; break;
    case SDR1: v = s.sdr1; break;
    case DAR: v = s.dar; break;
    case DSISR: v = s.dsisr; break;
    case DEC: v = sem::dec_read(s, sem::get_dec(s), sem::dec_bits(s)); break;
    case HDEC: v = sem::dec_read(s, sem::get_hdec(s), sem::hdec_bits(s)); break;
    case SPRG0: case SPRG1: case SPRG2: case SPRG3: v = s.sprg[n - SPRG0]; break;
    case HSPRG0: case HSPRG1: v = s.hsprg[n - HSPRG0]; break;
    case LPIDR: v = s.lpidr; break;
    case RMOR: v = s.rmor; break;
    case HRMOR: v = s.hrmor; break;
    case PIR: v = s.pir; break;
    case PVR: v = s.pvr; break;
    case PTCR: v = s.ptcr; break;
    case HDAR: v = s.hdar; break;
    case HDSISR: v = s.hdsisr; break;
    case HEIR: v = s.heir; break;
    case CFAR: v = s.cfar; break;
    case TB: v = sem::cur_tb(s); break;
    default: return false;
  }
  return true;
}

// Registers that feed translation or code fetch: drop every cached mapping
// so the next access sees the new value (pre-decoded blocks are keyed by
// real page and need nothing).
void MachineTarget::after_state_write(Vcpu& v) {
  v.mmu.sync(v.s);
  v.mmu.flush(v.s);
}

bool MachineTarget::write_register(int thread, unsigned n, u128 value) {
  Vcpu v = vcpu(thread);
  CpuState& s = v.s;
  const u64 d = static_cast<u64>(value);
  if (write_problem_register(s, n, value)) return true;
  switch (n) {
    case MSR: sem::set_msr(s, d); after_state_write(v); break;
    case SRR0: s.srr0 = d; break;
    case SRR1: s.srr1 = d; break;
    case HSRR0: s.hsrr0 = d; break;
    case HSRR1: s.hsrr1 = d; break;
    case LPCR: s.lpcr = d; after_state_write(v); break;
    case SDR1: s.sdr1 = d; after_state_write(v); break;
    case DAR: s.dar = d; break;
    case DSISR: s.dsisr = static_cast<u32>(d); break;
    case DEC: sem::put_dec(s, d); break;
    case HDEC: sem::put_hdec(s, d); break;
    case SPRG0: case SPRG1: case SPRG2: case SPRG3: s.sprg[n - SPRG0] = d; break;
    case HSPRG0: case HSPRG1: s.hsprg[n - HSPRG0] = d; break;
    case LPIDR: s.lpidr = d; after_state_write(v); break;
    case RMOR: s.rmor = d; after_state_write(v); break;
    case HRMOR: s.hrmor = d; after_state_write(v); break;
    case PIR: s.pir = d; break;
    case PTCR: s.ptcr = d; after_state_write(v); break;
    case HDAR: s.hdar = d; break;
    case HDSISR: s.hdsisr = static_cast<u32>(d); break;
    case HEIR: s.heir = d; break;
    case CFAR: s.cfar = d; break;
    case TB: sem::set_tb(s, d); break;
    default: return false;  // PVR is read-only
  }
  return true;
}

bool MachineTarget::translate(Vcpu& v, u64 addr, u64& ra, std::string* why) {
  if (phys_) {
    ra = addr;
    return true;
  }
  v.mmu.sync(v.s);
  const mmu::MmuContext& c = v.mmu.context();
  // Data side first; code the data side cannot reach (IR on, DR off or the
  // other way round) through the instruction side.
  DebugTranslation t = debug_translate(c, addr, false);
  if (!t.ok && bool(c.msr & mmu::MSR_IR) != bool(c.msr & mmu::MSR_DR)) t = debug_translate(c, addr, true);
  if (!t.ok) {
    if (why) *why = t.why;
    return false;
  }
  ra = t.ra;
  return true;
}

size_t MachineTarget::read_memory(int thread, u64 addr, uint8_t* buf, size_t len) {
  Vcpu v = vcpu(thread);
  size_t done = 0;
  while (done < len) {
    const u64 ea = addr + done;
    if (ea < addr) break;  // no wrap
    const size_t chunk = std::min<u64>(len - done, PAGE_SIZE - (ea & ~PAGE_MASK));
    u64 ra;
    if (!translate(v, ea, ra, nullptr)) break;
    // RAM only: device registers have side effects, nothing else answers.
    const u8* p = mmu::phys_ptr(v.mmu.context(), ra, chunk);
    if (!p) break;
    std::memcpy(buf + done, p, chunk);
    done += chunk;
  }
  return done;
}

size_t MachineTarget::write_memory(int thread, u64 addr, const uint8_t* buf, size_t len) {
  Vcpu v = vcpu(thread);
  if (len == 0) return 0;
  if (addr + len < addr) return 0;
  // All or nothing: translate every page first.
  struct Piece {
    u8* host;
    size_t off, len;
  };
  std::vector<Piece> pieces;
  for (size_t done = 0; done < len;) {
    const u64 ea = addr + done;
    const size_t chunk = std::min<u64>(len - done, PAGE_SIZE - (ea & ~PAGE_MASK));
    u64 ra;
    if (!translate(v, ea, ra, nullptr)) return 0;
    u8* p = mmu::phys_ptr(v.mmu.context(), ra, chunk);
    if (!p) return 0;
    pieces.push_back({p, done, chunk});
    done += chunk;
  }
  for (const Piece& p : pieces) std::memcpy(p.host, buf + p.off, p.len);
  // The bytes may be code under any effective address: drop every block.
  v.interp.invalidate_all();
  points_.snapshot();  // the debugger's own writes do not trigger watchpoints
  return len;
}

bool MachineTarget::insert_breakpoint(BpType type, u64 addr, u64 len) {
  if (!points_.insert(type, addr, len)) return false;
  if (Breakpoints::is_watch(type)) {
    update_spy();
    reset_tlb(m_.s);  // the watched pages must miss from now on
  }
  return true;
}

bool MachineTarget::remove_breakpoint(BpType type, u64 addr, u64 len) {
  if (!points_.remove(type, addr, len)) return false;
  if (Breakpoints::is_watch(type)) update_spy();
  return true;
}

// The spying backend is in place while any watchpoint exists.
void MachineTarget::update_spy() {
  const bool need = !points_.watches().empty();
  if (!spy_.set(m_.s, need, &spy_fill)) return;
  if (need) g_spying = this;
  else if (g_spying == this) g_spying = nullptr;
}

int MachineTarget::spy_fill(CpuState& s, u64 ea, Access acc, uintptr_t* addend) {
  MachineTarget* self = g_spying;
  bool watched_page = false;
  const u64 page = ea & PAGE_MASK;
  const std::vector<Breakpoints::Watch>& watches = self->points_.watches();
  for (size_t i = 0; i < watches.size(); ++i) {
    const Breakpoints::Watch& w = watches[i];
    const u64 lo = w.addr >= ACCESS_REACH - 1 ? w.addr - (ACCESS_REACH - 1) : 0;
    const u64 hi = w.addr + w.len;  // exclusive; no wrap (insert_breakpoint)
    if (page < hi && page + PAGE_SIZE > lo) watched_page = true;
    if (!self->spy_armed_ || self->hit_ || acc == Access::Exec) continue;
    const bool kind = w.type == BpType::Access || (w.type == BpType::Read) == (acc == Access::Read);
    if (kind && ea < hi && ea >= lo) {
      // Refuse the access without an interrupt: the instruction is abandoned
      // before it changes anything (storage accesses fault precisely).
      self->hit_ = Hit{i, ea};
      s.exc = Exc::None;
      return FILL_FAULT;
    }
  }
  const int r = self->spy_.fill_through(s, ea, acc, addend);
  // Keep watched pages out of the TLB so that every access to them comes here.
  if (watched_page) tlb_entry(s, ea) = {TLB_INVALID, TLB_INVALID, TLB_INVALID, 0};
  return r;
}

// The spy refused an access (a watchpoint fired), or the step was abandoned
// for another reason.
StopEvent MachineTarget::abandoned_event() const {
  return hit_ ? points_.watch_event(hit_->watch, hit_->ea) : StopEvent{StopEvent::Signal};
}

// Stores the spy could not see coming (an access starting far before the
// range, dcbz): reported after the fact when the watched bytes changed.
std::optional<StopEvent> MachineTarget::check_changed() {
  std::optional<StopEvent> hit;
  for (size_t i = 0; i < points_.watches().size(); ++i) {
    const Breakpoints::Watch& w = points_.watches()[i];
    if (w.type == BpType::Read) continue;
    if (points_.changed(i) && !hit) hit = points_.watch_event(i, w.addr);
  }
  return hit;
}

StopEvent MachineTarget::machine_event(BareMachine::Stop st) {
  StopEvent ev;
  if (st == BareMachine::Stop::Exited) {
    ev.kind = StopEvent::Exited;
    ev.exit_code = m_.exit_code();
  } else {
    // The thread cannot go on: the session ends as if the guest had died.
    checkstop_ = true;
    ev.kind = StopEvent::Terminated;
    ev.signal = SIGABRT;
  }
  return ev;
}

void MachineTarget::resume(int step_thread, int) {
  // Signals mean nothing to a machine (as in QEMU's system stub): ignored.
  stepping_ = step_thread != 0;
  skip_first_ = stopped_at_ == m_.s.nip;
  stopped_at_ = NOWHERE;
  points_.snapshot();
}

StopEvent MachineTarget::run_slice() {
  StopEvent ev = run_until_stop();
  // Resuming from here must not report the same breakpoint or watchpoint again.
  const bool at_point = ev.kind == StopEvent::SwBreak || ev.kind == StopEvent::HwBreak || ev.kind == StopEvent::Watch;
  if (ev.kind != StopEvent::Running) stopped_at_ = at_point ? m_.s.nip : NOWHERE;
  return ev;
}

StopEvent MachineTarget::run_until_stop() {
  using Stop = BareMachine::Stop;
  if (m_.exited()) return machine_event(Stop::Exited);
  if (checkstop_) return machine_event(Stop::Checkstop);
  CpuState& s = m_.s;
  if (skip_first_ || stepping_) {
    // One instruction by itself: a single step, or the instruction gdb
    // resumes at after a breakpoint or watchpoint stop there (which must not
    // fire again).  A single step does not wander into a decrementer
    // handler (as QEMU's default: no interrupts while gdb steps).
    spy_armed_ = !skip_first_;
    skip_first_ = false;
    hit_.reset();
    const Stop st = m_.step(!stepping_);
    spy_armed_ = false;
    if (st == Stop::Abandoned) return abandoned_event();
    if (st == Stop::Exited || st == Stop::Checkstop) return machine_event(st);
    if (!points_.watches().empty())
      if (auto ev = check_changed()) return *ev;
    if (stepping_) return StopEvent{StopEvent::Signal};
  }
  spy_armed_ = true;
  hit_.reset();
  std::optional<StopEvent> ev;
  if (!points_.has_breakpoints()) {
    // Blocks at full speed; watchpoints are seen by the spying backend.
    const Stop st = m_.run_slices(FAST_SLICES);
    if (st == Stop::Exited || st == Stop::Checkstop) ev = machine_event(st);
    else if (st == Stop::Abandoned) ev = abandoned_event();
  } else {
    // Breakpoints: one instruction at a time, comparing the address first.
    for (unsigned n = 0; n < STEP_BUDGET && !ev; ++n) {
      if ((ev = points_.break_at(s.nip))) break;
      const Stop st = m_.step(true);
      if (st == Stop::Exited || st == Stop::Checkstop) ev = machine_event(st);
      else if (st == Stop::Abandoned) ev = abandoned_event();
      else if (!points_.watches().empty()) ev = check_changed();
    }
  }
  spy_armed_ = false;
  if (!ev && !points_.watches().empty()) ev = check_changed();
  return ev ? *ev : StopEvent{StopEvent::Running};
}

StopEvent MachineTarget::interrupt() {
  if (m_.exited()) return machine_event(BareMachine::Stop::Exited);
  StopEvent ev;
  ev.kind = StopEvent::Signal;
  ev.signal = SIGINT;
  return ev;
}

void MachineTarget::detach() {
  points_.clear();
  update_spy();
  stepping_ = false;
  phys_ = false;
}

void MachineTarget::kill() {
  detach();
  killed_ = true;
}

}  // namespace lpar::gdb
