#include "hv/vm.h"

#include <cerrno>
#include <cstring>

#include "hv/caps.h"
#include "hv/hypervisor.h"
#include "hv/vcpu.h"
#include "mmu/real_mode.h"

namespace lpar::hv {

using mmu::bit;

namespace {
// The in-hypervisor hcalls and which are on by default (KVM-HV's
// default_hcall_list: the MMU calls, H_CEDE/PROD/CONFER, H_REGISTER_VPA;
// H_LOGICAL_CI_* only once enabled).
constexpr u64 kImplemented[] = {H_REMOVE,   H_ENTER,    H_READ,        H_CLEAR_MOD, H_CLEAR_REF,
                                H_PROTECT,  H_BULK_REMOVE, H_CEDE,     H_PROD,      H_CONFER,
                                H_REGISTER_VPA, H_LOGICAL_CI_LOAD, H_LOGICAL_CI_STORE};
constexpr u64 kDefaultOff[] = {H_LOGICAL_CI_LOAD, H_LOGICAL_CI_STORE};

u64 initial_lpcr(isa::Model m) {
  // Partition interrupts (external, from the hypervisor's injection) go to
  // the guest (LPES0); HDEC interrupts enabled; virtual-mode HPT faults come
  // to the hypervisor (VPM1) as on KVM-HV; real mode through the VRMA (VPM0,
  // implied on ISA 3.0) until an RMA says otherwise.
  switch (m) {
    case isa::PPC970: return 0;  // no LPCR: HID4 holds the partition's real mode
    case isa::POWER7:
    case isa::POWER8: return mmu::LPCR_VPM0 | mmu::LPCR_VPM1 | mmu::LPCR_LPES0 | LPCR_HDICE;
    default: return mmu::LPCR_VPM1 | mmu::LPCR_LPES0 | LPCR_HDICE;
  }
}
}  // namespace

bool Vm::hcall_implemented(u64 nr) {
  for (u64 h : kImplemented)
    if (h == nr) return true;
  return false;
}

Vm::Vm(Hypervisor& hv, u32 lpid, u64 lpid_gen)
    : hv_(hv), model_(hv.model()), lpid_(lpid), lpid_gen_(lpid_gen), lpcr_(initial_lpcr(hv.model())) {
  for (u64 h : kImplemented) enabled_hcalls_.set(h / 4);
  for (u64 h : kDefaultOff) enabled_hcalls_.reset(h / 4);
  hcall_mmu_.htab = &htab_;
  hcall_mmu_.model = model_;
  hcall_mmu_.opaque = this;
  hcall_mmu_.ram_ok = &ram_ok;
  hcall_mmu_.invalidate = &invalidate;
  hcall_mmu_.zero_page = &zero_page;
}

Vm::~Vm() {
  vcpus_.clear();
  for (const Rma& r : rmas_) hv_.rma_pool().release(r.real_addr);
  hv_.lpids().release(lpid_);
}

int Vm::set_user_memory_region(u32 slot, u32 flags, u64 gpa, u64 size, u64 userspace_addr) {
  std::unique_lock<std::shared_mutex> lk(mmu_lock_);
  // An RMA's memory is addressed from its base: the slot must start there
  // and fit in it.
  const Rma* rma = nullptr;
  for (const Rma& r : rmas_) {
    const u8* p = reinterpret_cast<const u8*>(uintptr_t(userspace_addr));
    if (p >= r.host && p < r.host + r.size) {
      if (p != r.host || size > r.size) return -EINVAL;
      rma = &r;
    }
  }
  bool changed = false;
  const bool was_at_0 = slot < MemSlots::MAX_SLOTS && slots_.slot(slot).size && slots_.slot(slot).gpa == 0;
  const int rc = slots_.set(slot, flags, gpa, size, userspace_addr, &changed);
  if (rc) return rc;
  if (size) slots_.set_rma(slot, rma ? rma->real_addr : 0);
  if (changed) {
    ++slot_gen_;  // every vCPU flushes before it runs again (sync_with_vm)
    ++code_gen_;  // host memory behind guest real addresses changed: blocks too
    // Real mode depends on slot 0: set it up again on the next entry.
    if (was_at_0 || (size && gpa == 0)) mmu_ready_ = false;
  }
  return 0;
}

int Vm::enable_cap(u32 cap, u32 flags, const u64 args[4]) {
  if (flags != 0 || cap != KVM_CAP_PPC_ENABLE_HCALL) return -EINVAL;
  const u64 nr = args[0];
  if (nr > MAX_HCALL_OPCODE || (nr & 3) || args[1] > 1 || !hcall_implemented(nr)) return -EINVAL;
  std::unique_lock<std::shared_mutex> lk(mmu_lock_);
  enabled_hcalls_.set(nr / 4, args[1] != 0);
  return 0;
}

bool Vm::hcall_enabled(u64 nr) const {
  return nr <= MAX_HCALL_OPCODE && !(nr & 3) && enabled_hcalls_.test(nr / 4);
}

int Vm::allocate_htab(u32& order) {
  if (vcpus_running_.load() > 0) return -EBUSY;
  std::unique_lock<std::shared_mutex> lk(mmu_lock_);
  const unsigned o = order ? order : htab_.allocated() ? htab_.order() : DEFAULT_HPT_ORDER;
  const int rc = htab_.allocate(o);
  if (rc) return rc;
  order = o;
  ++htab_gen_;
  mmu_ready_ = false;  // the VRMA HPTEs go in again on the next run
  return 0;
}

int Vm::allocate_rma(Rma& out) {
  Rma r;
  if (!hv_.rma_pool().allocate(r)) return -ENOMEM;
  std::unique_lock<std::shared_mutex> lk(mmu_lock_);
  rmas_.push_back(r);
  out = r;
  return 0;
}

long Vm::resize_hpt_prepare(u64 flags, u32 shift) {
  std::lock_guard<std::mutex> g(resize_mu_);
  return resize_.prepare(flags, shift);
}

long Vm::resize_hpt_commit(u64 flags, u32 shift) {
  std::lock_guard<std::mutex> g(resize_mu_);
  std::unique_lock<std::shared_mutex> lk(mmu_lock_);
  const long rc = resize_.commit(flags, shift, htab_, model_);
  if (rc == 0) ++htab_gen_;  // vCPUs load the new table and flush (sync_with_vm)
  return rc;
}

int Vm::get_smmu_info(KvmPpcSmmuInfo& info) const {
  std::memset(&info, 0, sizeof info);
  info.flags = KVM_PPC_PAGE_SIZES_REAL | (mmu::has_1t_segments(model_) ? KVM_PPC_1T_SEGMENTS : 0);
  info.slb_size = mmu::slb_entries(model_);
  // Storage keys: 32 from ISA 2.06 (AMR), instruction keys from 2.07 (IAMR).
  info.data_keys = mmu::has_amr(model_) ? 32 : 0;
  info.instr_keys = mmu::has_iamr(model_) ? 32 : 0;
  // Base page sizes with their SLB L||LP encodings (Book III-S 5.7.6), and
  // for each the actual sizes an HPTE may map (5.7.7.1 L/LP).
  struct Base {
    unsigned shift;
    u32 slb_enc;
  };
  const Base bases[] = {{12, 0}, {16, 0x110}, {24, 0x100}};
  unsigned n = 0;
  for (const Base& b : bases) {
    KvmPpcOneSegPageSize& sps = info.sps[n];
    unsigned k = 0;
    for (unsigned actual : {12u, 16u, 24u}) {
      u64 lp;
      if (actual < b.shift || !mmu::hpte_lp_bits(model_, b.shift, actual, lp)) continue;
      sps.enc[k++] = {actual, u32(lp >> 12)};
    }
    if (!k) continue;
    sps.page_shift = b.shift;
    sps.slb_enc = b.slb_enc;
    ++n;
  }
  return 0;
}

Vcpu* Vm::create_vcpu(u32 id, int* err) {
  std::lock_guard<std::mutex> g(vcpus_mu_);
  int rc = 0;
  if (id >= u32(Hypervisor::MAX_VCPUS)) rc = -EINVAL;
  for (auto& v : vcpus_)
    if (v->id() == id) rc = -EEXIST;
  if (err) *err = rc;
  if (rc) return nullptr;
  vcpus_.push_back(std::unique_ptr<Vcpu>(new Vcpu(*this, id)));
  vcpu_count_.store(unsigned(vcpus_.size()), std::memory_order_release);
  return vcpus_.back().get();
}

Vcpu* Vm::vcpu_by_id(u32 id) {
  std::lock_guard<std::mutex> g(vcpus_mu_);
  for (auto& v : vcpus_)
    if (v->id() == id) return v.get();
  return nullptr;
}

void Vm::set_lpcr_user(u64 value) {
  // KVM's kvmppc_set_lpcr: userspace sets DPFD, ILE and TC; AIL from ISA
  // 2.07, LD from 3.0.  Everything else is the hypervisor's.
  u64 mask = LPCR_DPFD | LPCR_ILE | LPCR_TC;
  if (model_ >= isa::POWER8) mask |= LPCR_AIL;
  if (model_ >= isa::POWER9) mask |= LPCR_LD;
  if (model_ == isa::PPC970) mask = 0;
  std::unique_lock<std::shared_mutex> lk(mmu_lock_);
  lpcr_ = (lpcr_ & ~mask) | (value & mask);
}

u8* Vm::host_ptr(u64 gpa, u64 len, bool write) { return slots_.host_ptr(gpa, len, write); }

u8* Vm::rma_host(u64 ra, u64 len) {
  for (const Rma& r : rmas_)
    if (ra >= r.real_addr && ra - r.real_addr < r.size && len <= r.size - (ra - r.real_addr))
      return r.host + (ra - r.real_addr);
  return nullptr;
}

int Vm::setup_mmu() {
  if (!htab_.allocated()) {
    const int rc = htab_.allocate(DEFAULT_HPT_ORDER);
    if (rc) return rc;
    ++htab_gen_;
  }
  const MemSlot* s0 = slots_.find(0);
  if (!s0) return -EINVAL;  // KVM: no memslot at guest physical 0
  const bool has_rmor = model_ == isa::PPC970 || model_ == isa::POWER7 || model_ == isa::POWER8;
  unsigned rmls = 0;
  if (s0->rma_real && has_rmor) {
    const Rma* rma = nullptr;
    for (const Rma& r : rmas_)
      if (r.real_addr == s0->rma_real) rma = &r;
    if (!rma || !RmaPool::valid_size(model_, rma->size, &rmls)) return -EINVAL;
    // Offset real mode (Book III-S 5.7.3.2): RMOR = the RMA's real address,
    // RMLS = its size.
    if (model_ == isa::PPC970) {
      hid4_ = ((rma->real_addr >> 26) << mmu::HID4_RMOR_SHIFT) | (u64(rmls & 3) << mmu::HID4_RMLS12_SHIFT) |
              ((rmls & 4) ? mmu::HID4_RMLS0 : 0);
    } else {
      rmor_ = rma->real_addr;
      lpcr_ = (lpcr_ & ~(mmu::LPCR_VPM0 | mmu::LPCR_RMLS | mmu::LPCR_VRMASD)) | (u64(rmls) << mmu::LPCR_RMLS_SHIFT);
    }
  } else if (model_ == isa::PPC970) {
    return -EINVAL;  // KVM: "CPU requires an RMO" -- the 970 has no VRMA
  } else {
    // The VRMA (5.7.3.3): 16 MB pages when slot 0 is big enough, else 4 KB;
    // the hypervisor enters its HPTEs (kvmppc_map_vrma).
    const u64 sd = s0->size >= (u64{16} << 20) ? 0x10 : 0;  // L=1, LP=00: 16 MB
    lpcr_ = (lpcr_ & ~(mmu::LPCR_VRMASD | mmu::LPCR_RMLS)) | (sd << mmu::LPCR_VRMASD_SHIFT);
    if (model_ != isa::POWER9) lpcr_ |= mmu::LPCR_VPM0;
    rmor_ = 0;
    remove_vrma();  // a second setup (slot 0 changed) starts from no VRMA entries
    if (map_vrma(hcall_mmu_, lpcr_, s0->size) != H_SUCCESS) return -EINVAL;
  }
  mmu_ready_ = true;
  ++slot_gen_;  // real mode changed: flush
  return 0;
}

void Vm::remove_vrma() {
  for (u64 i = 0; i < htab_.hpte_count(); ++i) {
    u64 p0, p1;
    if (!htab_.read_hpte(i, p0, p1) || !(p0 & mmu::HPTE0_V)) continue;
    hpte_to_papr(model_, p0, p1);
    HpteVa va;
    if (hpte_va(model_, p0, p1, i, htab_.hash_mask(), va) && va.seg_1t && va.vsid == mmu::VRMA_VSID) {
      htab_.write_hpte(i, 0, 0);
      invalidate(this, hpte_tlbie_rb(va));
    }
  }
}

bool Vm::ram_ok(void* vm, u64 ra, u64 len) { return static_cast<Vm*>(vm)->slots_.host_ptr(ra, len) != nullptr; }

void Vm::invalidate(void* p, u64 rb) {
  // Called under mmu_lock_ held exclusively: no vCPU is inside a slice.
  auto* vm = static_cast<Vm*>(p);
  std::lock_guard<std::mutex> g(vm->vcpus_mu_);
  for (auto& v : vm->vcpus_) {
    v->mmu_.tlb().tlbie(vm->lpid_, rb);
    v->stale_ = true;
  }
}

bool Vm::zero_page(void* p, u64 ra, u64 len) {
  auto* vm = static_cast<Vm*>(p);
  u8* h = vm->slots_.host_ptr(ra, len, true);
  if (!h) return false;
  std::memset(h, 0, len);
  vm->memory_written(ra, len);  // pre-decoded code of the page is gone
  return true;
}

bool Vm::code_on_page(uintptr_t page) {
  for (auto& v : vcpus_)
    if (v->interp_.page_has_code(page)) return true;
  return false;
}

void Vm::code_written(uintptr_t page) {
  for (auto& v : vcpus_) v->interp_.invalidate_page(page);
}

void Vm::memory_written(u64 gpa, u64 len) {
  if (len == 0) return;
  const u64 first = gpa & PAGE_MASK;
  const u64 pages = ((gpa + len - 1) & PAGE_MASK) - first + PAGE_SIZE;
  std::lock_guard<std::mutex> g(vcpus_mu_);
  for (auto& v : vcpus_) {
    if (pages / PAGE_SIZE > Vcpu::MAX_WRITTEN_PAGES) {
      v->written_all_ = true;
    } else {
      for (u64 p = first; p - first < pages; p += PAGE_SIZE)
        if (u8* h = slots_.host_ptr(p, PAGE_SIZE, false)) v->written_.push_back(reinterpret_cast<uintptr_t>(h));
      if (v->written_.size() > Vcpu::MAX_WRITTEN_PAGES) v->written_all_ = true;
    }
    v->has_written_.store(true, std::memory_order_release);
  }
}

}  // namespace lpar::hv
