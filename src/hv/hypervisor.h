// The hypervisor module: one per lpar process, the counterpart of /dev/kvm
// (api.rst 4.1 KVM_CREATE_VM, 4.4 KVM_CHECK_EXTENSION).  It owns what is
// shared by every partition: the CPU model, the RMA pool reserved at start
// (rma_pool.h) and the LPID allocator (lpid.h).  See docs/hypervisor.md.
#pragma once
#include <memory>
#include <string>

#include "hv/lpid.h"
#include "hv/rma_pool.h"

namespace lpar::hv {

class Vm;

class Hypervisor {
 public:
  static constexpr long MAX_VCPUS = 256;   // KVM_CAP_MAX_VCPUS / KVM_CAP_MAX_VCPU_ID
  static constexpr long NR_VCPUS = 64;     // KVM_CAP_NR_VCPUS: recommended
  static constexpr unsigned DEFAULT_RMA_COUNT = 0;

  // A hypervisor for model with rma_count RMAs of rma_size bytes reserved
  // (the kernel's kvm_rma_size= / kvm_rma_count=, lpar's --kvm-rma-size /
  // --kvm-rma-count).  nullptr with *err a one-line message when the size is
  // not one the model's RMLS encodes or the memory cannot be reserved.
  static std::unique_ptr<Hypervisor> create(isa::Model model, u64 rma_size, unsigned rma_count, std::string* err);
  explicit Hypervisor(isa::Model model) : model_(model), lpids_(LpidAllocator::model_max(model)) {}
  Hypervisor(const Hypervisor&) = delete;
  Hypervisor& operator=(const Hypervisor&) = delete;

  // KVM_CHECK_EXTENSION: the capability's value, 0 if unsupported (caps.h).
  long check_extension(long cap) const;
  // KVM_CREATE_VM: nullptr with *err = -ENOMEM when no LPID is free.  The
  // hypervisor must outlive its VMs.
  std::unique_ptr<Vm> create_vm(int* err = nullptr);

  isa::Model model() const { return model_; }
  RmaPool& rma_pool() { return rma_; }
  LpidAllocator& lpids() { return lpids_; }

 private:
  isa::Model model_;
  RmaPool rma_;
  LpidAllocator lpids_;
};

}  // namespace lpar::hv
