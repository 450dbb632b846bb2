// KVM_GET/SET_REGS, KVM_GET/SET_SREGS and KVM_GET/SET_ONE_REG (api.rst 4.11,
// 4.12, 4.13, 4.14, 4.68, 4.69).  Called while the vCPU is not running.
#include <cerrno>
#include <cstring>

#include "cpu/sem/spr.h"
#include "cpu/sem/system.h"
#include "hv/vcpu.h"
#include "hv/vm.h"
#include "mmu/slb.h"

namespace lpar::hv {

using namespace lpar::sem;

int Vcpu::get_regs(KvmRegs& r) const {
  std::memset(&r, 0, sizeof r);
  r.pc = s_.nip;
  r.cr = s_.cr;
  r.ctr = s_.ctr;
  r.lr = s_.lr;
  r.xer = get_xer(s_);
  r.msr = s_.msr;
  r.srr0 = s_.srr0;
  r.srr1 = s_.srr1;
  r.pid = s_.pid;
  r.sprg0 = s_.sprg[0];
  r.sprg1 = s_.sprg[1];
  r.sprg2 = s_.sprg[2];
  r.sprg3 = s_.sprg[3];
  // sprg4-7 are Book E registers: zero on Book III-S.
  std::memcpy(r.gpr, s_.gpr, sizeof r.gpr);
  return 0;
}

int Vcpu::set_regs(const KvmRegs& r) {
  s_.nip = r.pc;
  s_.cr = u32(r.cr);
  s_.ctr = r.ctr;
  s_.lr = r.lr;
  set_xer(s_, r.xer);
  // KVM-HV's kvmppc_set_msr_hv: the guest never runs in hypervisor state.
  set_msr(s_, r.msr & ~MSR_HV);
  s_.srr0 = r.srr0;
  s_.srr1 = r.srr1;
  s_.pid = r.pid;
  s_.sprg[0] = r.sprg0;
  s_.sprg[1] = r.sprg1;
  s_.sprg[2] = r.sprg2;
  s_.sprg[3] = r.sprg3;
  std::memcpy(s_.gpr, r.gpr, sizeof r.gpr);
  // The machine writes guest memory behind the vCPUs (loading code) and then
  // sets registers: take that as the point where its code becomes visible.
  interp_.invalidate_all();
  return 0;
}

int Vcpu::get_sregs(KvmSregs& r) const {
  std::memset(&r, 0, sizeof r);
  r.pvr = u32(s_.pvr);
  r.sdr1 = vm_.htab_.sdr1_value();
  const mmu::MmuContext& c = mmu_.context();
  for (unsigned i = 0; i < mmu::slb_entries(isa::Model(s_.model)); ++i) {
    r.slb[i].slbe = c.slb[i].esid | i;  // slbmfee's form: index in bits 52:63
    r.slb[i].slbv = c.slb[i].vsid;
  }
  return 0;
}

int Vcpu::set_sregs(const KvmSregs& r) {
  s_.pvr = r.pvr;
  // As KVM-HV: the valid entries, packed from index 0; SDR1 is the
  // hypervisor's (allocate_htab), not the guest's.
  mmu::MmuContext& c = mmu_.context();
  for (auto& e : c.slb) e = {};
  unsigned j = 0;
  for (unsigned i = 0; i < 64 && j < mmu::slb_entries(isa::Model(s_.model)); ++i) {
    if (!(r.slb[i].slbe & mmu::SLB_ESID_V)) continue;
    if (!mmu::slbmte(c, r.slb[i].slbv, (r.slb[i].slbe & ~u64{0xFFF}) | j)) return -EINVAL;
    ++j;
  }
  mmu_.flush(s_);
  return 0;
}

int Vcpu::get_one_reg(u64 id, void* addr) const {
  const unsigned size = 1u << ((id & KVM_REG_SIZE_MASK) >> 52);
  u64 v = 0;
  u64 pair[2] = {};
  if (id >= KVM_REG_PPC_FPR0 && id < KVM_REG_PPC_FPR0 + 32) {
    v = s_.vsr[id - KVM_REG_PPC_FPR0].dw[1];
  } else {
    switch (id) {
      case KVM_REG_PPC_DAR: v = s_.dar; break;
      case KVM_REG_PPC_DSISR: v = s_.dsisr; break;
      case KVM_REG_PPC_AMR: v = s_.amr; break;
      case KVM_REG_PPC_UAMOR: v = s_.uamor; break;
      case KVM_REG_PPC_DSCR: v = s_.dscr; break;
      case KVM_REG_PPC_PURR: v = s_.purr; break;
      case KVM_REG_PPC_SPURR: v = s_.spurr; break;
      case KVM_REG_PPC_IAMR: v = s_.iamr; break;
      case KVM_REG_PPC_FSCR: v = s_.fscr; break;
      case KVM_REG_PPC_PSPB: v = pspb_; break;
      case KVM_REG_PPC_TAR: v = s_.tar; break;
      case KVM_REG_PPC_DPDES: v = s_.dpdes; break;
      case KVM_REG_PPC_DAWR: v = s_.dawr; break;
      case KVM_REG_PPC_DAWRX: v = s_.dawrx; break;
      case KVM_REG_PPC_CIABR: v = s_.ciabr; break;
      case KVM_REG_PPC_VTB: v = s_.vtb; break;
      case KVM_REG_PPC_PID: v = s_.pid; break;
      case KVM_REG_PPC_VRSAVE: v = s_.vrsave; break;
      case KVM_REG_PPC_PPR: v = s_.ppr; break;
      case KVM_REG_PPC_PSSCR: v = s_.psscr; break;
      case KVM_REG_PPC_FPSCR: v = s_.fpscr; break;
      case KVM_REG_PPC_VSCR: v = s_.vscr; break;
      case KVM_REG_PPC_TB_OFFSET: v = s_.tb_offset; break;
      // The Time Base value at which DEC turns negative (KVM's dec_expires).
      case KVM_REG_PPC_DEC_EXPIRY: v = cur_tb(s_) + u64(get_dec(s_)) + 1; break;
      case KVM_REG_PPC_LPCR:
      case KVM_REG_PPC_LPCR_64: v = vm_.lpcr_ | (irq_ ? LPCR_MER : 0); break;
      case KVM_REG_PPC_DEBUG_INST: v = KVMPPC_INST_SW_BREAKPOINT; break;
      case KVM_REG_PPC_VPA_ADDR: v = vpa_.gpa; break;
      case KVM_REG_PPC_VPA_SLB: pair[0] = slb_shadow_.gpa, pair[1] = slb_shadow_.len; break;
      case KVM_REG_PPC_VPA_DTL: pair[0] = dtl_.gpa, pair[1] = dtl_.len; break;
      default: return -EINVAL;
    }
  }
  if (size == 16) {
    std::memcpy(addr, pair, 16);
  } else if (size == 8) {
    std::memcpy(addr, &v, 8);
  } else if (size == 4) {
    const u32 w = u32(v);
    std::memcpy(addr, &w, 4);
  } else {
    return -EINVAL;
  }
  return 0;
}

int Vcpu::set_one_reg(u64 id, const void* addr) {
  const unsigned size = 1u << ((id & KVM_REG_SIZE_MASK) >> 52);
  u64 v = 0;
  u64 pair[2] = {};
  if (size == 16) std::memcpy(pair, addr, 16);
  else if (size == 8) std::memcpy(&v, addr, 8);
  else if (size == 4) {
    u32 w;
    std::memcpy(&w, addr, 4);
    v = w;
  } else return -EINVAL;
  if (id >= KVM_REG_PPC_FPR0 && id < KVM_REG_PPC_FPR0 + 32) {
    s_.vsr[id - KVM_REG_PPC_FPR0].dw[1] = v;
    return 0;
  }
  switch (id) {
    case KVM_REG_PPC_DAR: s_.dar = v; break;
    case KVM_REG_PPC_DSISR: s_.dsisr = u32(v); break;
    case KVM_REG_PPC_AMR: s_.amr = v; break;
    case KVM_REG_PPC_UAMOR: s_.uamor = v; break;
    case KVM_REG_PPC_DSCR: s_.dscr = v; break;
    case KVM_REG_PPC_PURR: s_.purr = v; break;
    case KVM_REG_PPC_SPURR: s_.spurr = v; break;
    case KVM_REG_PPC_IAMR: s_.iamr = v; break;
    case KVM_REG_PPC_FSCR: s_.fscr = v; break;
    case KVM_REG_PPC_PSPB: pspb_ = u32(v); break;
    case KVM_REG_PPC_TAR: s_.tar = v; break;
    case KVM_REG_PPC_DPDES: s_.dpdes = v; break;
    case KVM_REG_PPC_DAWR: s_.dawr = v; break;
    case KVM_REG_PPC_DAWRX: s_.dawrx = v; break;
    case KVM_REG_PPC_CIABR: s_.ciabr = v; break;
    case KVM_REG_PPC_VTB: s_.vtb = v; break;
    case KVM_REG_PPC_PID: s_.pid = v; break;
    case KVM_REG_PPC_VRSAVE: s_.vrsave = u32(v); break;
    case KVM_REG_PPC_PPR: s_.ppr = v; break;
    case KVM_REG_PPC_PSSCR: s_.psscr = v; break;
    case KVM_REG_PPC_FPSCR: s_.fpscr = v; break;
    case KVM_REG_PPC_VSCR: s_.vscr = u32(v); break;
    case KVM_REG_PPC_TB_OFFSET: s_.tb_offset = v; break;
    case KVM_REG_PPC_DEC_EXPIRY: put_dec(s_, v - cur_tb(s_) - 1); break;
    case KVM_REG_PPC_LPCR:
    case KVM_REG_PPC_LPCR_64: vm_.set_lpcr_user(v); break;
    // As KVM: a VPA address may be set only with the length unchanged, and
    // the DTL/SLB areas only while a VPA is registered.
    case KVM_REG_PPC_VPA_ADDR:
      if (!v && (dtl_.registered() || slb_shadow_.registered())) return -EINVAL;
      if (v & 127) return -EINVAL;
      vpa_ = {v, v ? vpa_.len : 0};
      break;
    case KVM_REG_PPC_VPA_SLB:
    case KVM_REG_PPC_VPA_DTL: {
      if (pair[0] && !vpa_.registered()) return -EINVAL;
      if (pair[0] & 127) return -EINVAL;
      VpaArea& a = id == KVM_REG_PPC_VPA_SLB ? slb_shadow_ : dtl_;
      a = pair[0] ? VpaArea{pair[0], pair[1]} : VpaArea{};
      break;
    }
    default: return -EINVAL;  // unknown, or read-only (DEBUG_INST)
  }
  return 0;
}

}  // namespace lpar::hv
