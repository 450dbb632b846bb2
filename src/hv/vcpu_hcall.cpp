// Hypervisor calls handled inside the hypervisor (LoPAPR 14.5); everything
// else, and any call the VM has disabled (KVM_CAP_PPC_ENABLE_HCALL), exits
// with KVM_EXIT_PAPR_HCALL.
#include <cerrno>
#include <cstring>

#include "cpu/sem/system.h"
#include "hv/papr.h"
#include "hv/vcpu.h"
#include "hv/vm.h"

namespace lpar::hv {

using namespace lpar::sem;

namespace {
// Sizes from Linux's struct lppaca and struct dtl_entry, which KVM-HV checks
// registrations against: the lppaca's fields end at 640 bytes (Linux aligns
// its copies to 1 KB, and KVM accepts any VPA of 640 bytes and more, as
// LoPAPR 14.11.3.5 only asks for the architected fields); L1 line of POWER: 128 bytes.
constexpr u64 LPPACA_SIZE = 640;
constexpr u64 DTL_ENTRY_SIZE = 48;
constexpr u64 REG_VPA_SIZE = 8;  // the header holding the length at offset 4
constexpr u64 CACHE_LINE = 128;
}  // namespace

Vcpu::Next Vcpu::do_hcall(std::shared_lock<std::shared_mutex>& lk) {
  const u64 nr = s_.gpr[3];
  if (!vm_.hcall_enabled(nr)) {
    exit_hcall(nr);
    return Next::Exit;
  }
  u64* g = s_.gpr;
  long rc = H_SUCCESS;
  u64 rets[8] = {};
  switch (nr) {
    case H_ENTER:
    case H_REMOVE:
    case H_READ:
    case H_PROTECT:
    case H_CLEAR_REF:
    case H_CLEAR_MOD:
    case H_BULK_REMOVE: {
      // HPTE changes: exclusive, so no vCPU translates through the table
      // meanwhile; every vCPU's caches are fixed by Vm::invalidate.
      lk.unlock();
      {
        std::unique_lock<std::shared_mutex> x(vm_.mmu_lock_);
        HcallMmu& m = vm_.hcall_mmu_;
        switch (nr) {
          case H_ENTER:
            rc = h_enter(m, g[4], g[5], g[6], g[7], rets);
            if (rc == H_SUCCESS) g[4] = rets[0];
            break;
          case H_REMOVE:
            rc = h_remove(m, g[4], g[5], g[6], rets);
            if (rc == H_SUCCESS) g[4] = rets[0], g[5] = rets[1];
            break;
          case H_READ:
            rc = h_read(m, g[4], g[5], rets);
            if (rc == H_SUCCESS) {
              const unsigned n = (g[4] & H_READ_4) ? 8 : 2;
              for (unsigned i = 0; i < n; ++i) g[4 + i] = rets[i];
            }
            break;
          case H_PROTECT: rc = h_protect(m, g[4], g[5], g[6]); break;
          case H_CLEAR_REF:
            rc = h_clear_ref(m, g[4], g[5], rets);
            if (rc == H_SUCCESS) g[4] = rets[0];
            break;
          case H_CLEAR_MOD:
            rc = h_clear_mod(m, g[4], g[5], rets);
            if (rc == H_SUCCESS) g[4] = rets[0];
            break;
          case H_BULK_REMOVE: rc = h_bulk_remove(m, g + 4); break;
        }
      }
      lk.lock();
      break;
    }
    case H_CEDE:
      rc = h_cede();
      if (cede_pending_) {  // cede_exits: LPAR_EXIT_IDLE, the cede ends on the next run
        ++hcalls_in_hv_;
        g[3] = u64(rc);
        return Next::Exit;
      }
      break;
    case H_PROD: {
      Vcpu* t = vm_.vcpu_by_id(u32(g[4]));
      if (!t || g[4] > 0xFFFFFFFFu) {
        rc = H_PARAMETER;
        break;
      }
      t->prodded_ = true;
      break;
    }
    case H_CONFER:
      // -1 confers to all; otherwise the target must exist (KVM).  With a
      // host thread per vCPU there is nothing to hand the time slice to.
      if (s64(g[4]) != -1 && (g[4] > 0xFFFFFFFFu || !vm_.vcpu_by_id(u32(g[4])))) rc = H_PARAMETER;
      if (rc == H_SUCCESS && vm_.confer_exits_) {
        // The machine runs its vCPUs in turns: this one's turn ends here.
        ++hcalls_in_hv_;
        g[3] = u64(rc);
        run_.exit_reason = LPAR_EXIT_YIELD;
        return Next::Exit;
      }
      break;
    case H_REGISTER_VPA: rc = h_register_vpa(g[4], g[5], g[6]); break;
    case H_LOGICAL_CI_LOAD:
    case H_LOGICAL_CI_STORE: {
      const u64 size = g[4], addr = g[5];
      if (size != 1 && size != 2 && size != 4 && size != 8) {
        rc = H_PARAMETER;  // LoPAPR: only these sizes (KVM leaves it to QEMU, which says the same)
        break;
      }
      bool served;
      if (nr == H_LOGICAL_CI_LOAD) {
        u64 v = 0;
        served = vm_.io_.read(addr, unsigned(size), v);
        if (served) g[4] = size == 8 ? v : v & ((u64{1} << (8 * size)) - 1);
      } else {
        const u64 v = size == 8 ? g[6] : g[6] & ((u64{1} << (8 * size)) - 1);
        served = vm_.io_.write(addr, unsigned(size), v);
      }
      if (!served) {
        exit_hcall(nr);  // no device on the IO bus: the machine's business
        return Next::Exit;
      }
      ++ci_served_;
      break;
    }
    default:
      exit_hcall(nr);
      return Next::Exit;
  }
  ++hcalls_in_hv_;
  g[3] = u64(rc);
  return Next::Continue;
}

// H_CEDE (LoPAPR 14.11.3.3): MSR[EE] is set and the processor idles until an
// interrupt: pending external or prod returns at once; otherwise the
// virtual clock jumps to the next decrementer event, costing no host time.
long Vcpu::h_cede() {
  set_msr(s_, s_.msr | MSR_EE);
  if (prodded_.exchange(false) || irq_pending()) return H_SUCCESS;
  if (vm_.cede_exits_) {
    run_.exit_reason = LPAR_EXIT_IDLE;
    const s64 d = get_dec(s_);
    run_.idle.ticks = d < 0 ? 0 : u64(d) + 1;
    cede_pending_ = true;
    return H_SUCCESS;
  }
  cede_advance();
  return H_SUCCESS;
}

bool Vcpu::cede_advance() {
  const s64 d = get_dec(s_);
  if (d < 0) return false;  // the decrementer interrupt is already pending
  const u64 ticks = u64(d) + 1;
  s_.tb_offset += ticks;
  ceded_ticks_ += ticks;
  return true;
}

// H_REGISTER_VPA (LoPAPR 14.11.3.2) with KVM-HV's checks: the target
// processor must exist; a registration must be cache-line aligned, non-zero,
// in guest memory, with a length (at offset 4: 16 bits for the VPA, 32 for
// the others) covering the header and not crossing the page; the VPA must be
// at least a struct lppaca, a DTL one dtl_entry (rounded down to whole
// entries); DTL and SLB shadow need a VPA (H_RESOURCE), and the VPA cannot
// go while they are registered (H_RESOURCE).
long Vcpu::h_register_vpa(u64 flags, u64 proc, u64 addr) {
  Vcpu* t = proc > 0xFFFFFFFFu ? nullptr : vm_.vcpu_by_id(u32(proc));
  if (!t) return H_PARAMETER;
  const u64 func = (flags >> H_VPA_FUNC_SHIFT) & H_VPA_FUNC_MASK;
  u64 len = 0;
  const bool reg = func == H_VPA_REG_VPA || func == H_VPA_REG_DTL || func == H_VPA_REG_SLB;
  if (reg) {
    if ((addr & (CACHE_LINE - 1)) || !addr) return H_PARAMETER;
    const u8* p = vm_.host_ptr(addr, REG_VPA_SIZE);
    if (!p) return H_PARAMETER;
    len = func == H_VPA_REG_VPA ? u64(p[4]) << 8 | p[5] : u64(p[4]) << 24 | u64(p[5]) << 16 | u64(p[6]) << 8 | p[7];
    const u64 room = PAGE_SIZE - (addr & (PAGE_SIZE - 1));
    if (len > room || len < REG_VPA_SIZE || !vm_.host_ptr(addr, len)) return H_PARAMETER;
  }
  switch (func) {
    case H_VPA_REG_VPA:
      if (len < LPPACA_SIZE) return H_PARAMETER;
      t->vpa_ = {addr, len};
      return H_SUCCESS;
    case H_VPA_REG_DTL:
      if (len < DTL_ENTRY_SIZE) return H_PARAMETER;
      if (!t->vpa_.registered()) return H_RESOURCE;
      t->dtl_ = {addr, len - len % DTL_ENTRY_SIZE};
      return H_SUCCESS;
    case H_VPA_REG_SLB:
      if (!t->vpa_.registered()) return H_RESOURCE;
      t->slb_shadow_ = {addr, len};
      return H_SUCCESS;
    case H_VPA_DEREG_VPA:
      if (t->dtl_.registered() || t->slb_shadow_.registered()) return H_RESOURCE;
      t->vpa_ = {};
      return H_SUCCESS;
    case H_VPA_DEREG_DTL: t->dtl_ = {}; return H_SUCCESS;
    case H_VPA_DEREG_SLB: t->slb_shadow_ = {}; return H_SUCCESS;
    default: return H_PARAMETER;
  }
}

}  // namespace lpar::hv
