#include "hv/vcpu_sched.h"

#include "cpu/memory.h"
#include "cpu/sem/spr.h"
#include "hv/kvm.h"
#include "hv/vcpu.h"

namespace lpar::hv {

namespace {
constexpr u64 MSR_SF = u64{1} << 63, MSR_ME = u64{1} << 12;
}

void VcpuScheduler::set_offset(CpuState& s) const {
  s.tb_offset = realtime_ ? rt_offset_ : tb_ - s.icount;
}

void VcpuScheduler::set_realtime() {
  realtime_ = true;
  rt_offset_ = tb_ - sem::host_timebase();
  for (Slot& s : slots_) set_offset(s.v->state());
}

u64 VcpuScheduler::timebase() const { return realtime_ ? sem::host_timebase() + rt_offset_ : tb_; }

void VcpuScheduler::add(Vcpu* v, bool running) {
  // A thread added later joins the partition's clock.
  set_offset(v->state());
  slots_.push_back({v, !running});
}

void VcpuScheduler::reset() {
  for (size_t i = 0; i < slots_.size(); ++i) slots_[i].stopped = i != 0;
  cur_ = 0;
  left_ = 0;
  last_ = nullptr;
  entered_icount_ = 0;
}

VcpuScheduler::Slot* VcpuScheduler::find(u32 id) {
  for (Slot& s : slots_)
    if (s.v->id() == id) return &s;
  return nullptr;
}
const VcpuScheduler::Slot* VcpuScheduler::find(u32 id) const {
  for (const Slot& s : slots_)
    if (s.v->id() == id) return &s;
  return nullptr;
}

Vcpu* VcpuScheduler::vcpu(u32 id) const {
  const Slot* s = find(id);
  return s ? s->v : nullptr;
}

int VcpuScheduler::query_cpu_stopped_state(u32 id) const {
  const Slot* s = find(id);
  if (!s) return -1;
  return s->stopped ? 0 : 2;
}

bool VcpuScheduler::stopped(u32 id) const {
  const Slot* s = find(id);
  return s && s->stopped;
}

int VcpuScheduler::start_cpu(u32 id, u64 nip, u64 r3) {
  Slot* s = find(id);
  if (!s) return -3;
  if (!s->stopped) return -1;
  s->v->start_thread(nip, MSR_SF | MSR_ME, r3);
  set_offset(s->v->state());
  s->stopped = false;
  return 0;
}

bool VcpuScheduler::stop_self(u32 id) {
  Slot* s = find(id);
  if (!s) return false;
  s->stopped = true;
  if (slots_[cur_].v == s->v) left_ = 0;
  return true;
}

s64 VcpuScheduler::dec_now(Vcpu* v) {
  CpuState& s = v->state();
  set_offset(s);
  return sem::get_dec(s);
}

// Stopped threads never run; a ceded one runs again for an interrupt, an
// H_PROD or its decrementer (LoPAPR 14.11.3.3).
bool VcpuScheduler::runnable(size_t i) {
  const Slot& s = slots_[i];
  if (s.stopped) return false;
  if (!s.v->ceded() || s.v->wake_pending()) return true;
  return dec_now(s.v) < 0;
}

Vcpu* VcpuScheduler::pick() {
  const size_t n = slots_.size();
  if (!n) return nullptr;
  if (left_ > 0 && runnable(cur_)) return slots_[cur_].v;
  for (size_t k = 1; k <= n; ++k) {
    const size_t i = (cur_ + k) % n;
    if (runnable(i)) {
      cur_ = i;
      left_ = n == 1 ? SOLO_TURN : turn_;
      return slots_[i].v;
    }
  }
  return nullptr;
}

u64 VcpuScheduler::budget() const { return slots_.size() == 1 ? SOLO_TURN : left_; }

void VcpuScheduler::enter(Vcpu* v) {
  CpuState& s = v->state();
  set_offset(s);
  if (last_ != v && last_ != nullptr) {
    // Another vCPU ran since this one's last turn.
    clear_reservation(s);
    for (TlbEntry& e : s.tlb) e.tag_write = TLB_INVALID;
  }
  last_ = v;
  entered_icount_ = s.icount;
}

void VcpuScheduler::leave(Vcpu* v) {
  const CpuState& s = v->state();
  const u64 done = s.icount - entered_icount_;
  left_ = done >= left_ ? 0 : left_ - done;
  const u64 now = sem::cur_tb(s);
  if (now > tb_) tb_ = now;
  const u32 why = v->run_struct().exit_reason;
  if (why == LPAR_EXIT_IDLE || why == LPAR_EXIT_YIELD) left_ = 0;
}

std::optional<u64> VcpuScheduler::idle_ticks() {
  std::optional<u64> best;
  for (size_t i = 0; i < slots_.size(); ++i) {
    const Slot& s = slots_[i];
    if (s.stopped || !s.v->ceded()) continue;
    const s64 d = dec_now(s.v);
    const u64 t = d < 0 ? 0 : u64(d) + 1;
    if (!best || t < *best) best = t;
  }
  return best;
}

void VcpuScheduler::skip_idle() {
  if (realtime_) return;  // the machine slept through it
  for (size_t i = 0; i < slots_.size(); ++i)
    if (runnable(i)) return;
  if (const std::optional<u64> t = idle_ticks()) tb_ += *t;
}

}  // namespace lpar::hv
