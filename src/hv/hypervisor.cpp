#include "hv/hypervisor.h"

#include <cerrno>

#include "hv/caps.h"
#include "hv/memslot.h"
#include "hv/vm.h"

namespace lpar::hv {

std::unique_ptr<Hypervisor> Hypervisor::create(isa::Model model, u64 rma_size, unsigned rma_count,
                                               std::string* err) {
  auto hv = std::make_unique<Hypervisor>(model);
  const std::string e = hv->rma_.reserve(model, rma_size, rma_count);
  if (!e.empty()) {
    if (err) *err = e;
    return nullptr;
  }
  return hv;
}

long Hypervisor::check_extension(long cap) const {
  switch (cap) {
    case KVM_CAP_USER_MEMORY:
    case KVM_CAP_SYNC_MMU:  // memory-slot changes reach every cached translation
    case KVM_CAP_IOEVENTFD:
    case KVM_CAP_PPC_IRQ_LEVEL:
    case KVM_CAP_PPC_PAPR:
    case KVM_CAP_ONE_REG:
    case KVM_CAP_PPC_GET_SMMU_INFO:
    case KVM_CAP_PPC_ALLOC_HTAB:
    case KVM_CAP_PPC_ENABLE_HCALL:
    case KVM_CAP_SPAPR_RESIZE_HPT:
    case KVM_CAP_PPC_SMT:  // one thread per virtual core
      return 1;
    // The patch "Allocate RMAs at boot": 1 = can use an RMA, 2 = needs one
    // (PPC970: no VRMA, real mode only through RMOR).
    case KVM_CAP_PPC_RMA: return model_ == isa::PPC970 ? 2 : 1;
    case KVM_CAP_PPC_MMU_HASH_V3: return model_ >= isa::POWER9 ? 1 : 0;
    case KVM_CAP_NR_VCPUS: return NR_VCPUS;
    case KVM_CAP_MAX_VCPUS:
    case KVM_CAP_MAX_VCPU_ID: return MAX_VCPUS;
    case KVM_CAP_NR_MEMSLOTS: return MemSlots::MAX_SLOTS;
    // Not provided: HTAB fd (migration), radix, PR-KVM's HIOR and pvinfo.
    case KVM_CAP_PPC_HTAB_FD:
    case KVM_CAP_PPC_MMU_RADIX:
    case KVM_CAP_PPC_HIOR:
    case KVM_CAP_PPC_GET_PVINFO:
    default: return 0;
  }
}

std::unique_ptr<Vm> Hypervisor::create_vm(int* err) {
  u32 lpid;
  u64 gen;
  const int r = lpids_.allocate(lpid, gen);
  if (err) *err = r;
  if (r) return nullptr;
  return std::unique_ptr<Vm>(new Vm(*this, lpid, gen));
}

}  // namespace lpar::hv
