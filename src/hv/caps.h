// KVM capability numbers (Linux include/uapi/linux/kvm.h, KVM_CHECK_EXTENSION,
// api.rst 4.4 and chapter 8 "Other capabilities") that lpar's hypervisor
// answers; the values are KVM's so code written against KVM reads the same.
#pragma once

namespace lpar::hv {

inline constexpr long KVM_CAP_USER_MEMORY = 3;
inline constexpr long KVM_CAP_NR_VCPUS = 9;
inline constexpr long KVM_CAP_NR_MEMSLOTS = 10;
inline constexpr long KVM_CAP_SYNC_MMU = 16;
inline constexpr long KVM_CAP_IOEVENTFD = 36;
inline constexpr long KVM_CAP_PPC_GET_PVINFO = 57;
inline constexpr long KVM_CAP_PPC_IRQ_LEVEL = 58;
inline constexpr long KVM_CAP_PPC_SMT = 64;
inline constexpr long KVM_CAP_PPC_RMA = 65;
inline constexpr long KVM_CAP_MAX_VCPUS = 66;
inline constexpr long KVM_CAP_PPC_HIOR = 67;
inline constexpr long KVM_CAP_PPC_PAPR = 68;
inline constexpr long KVM_CAP_ONE_REG = 70;
inline constexpr long KVM_CAP_PPC_GET_SMMU_INFO = 78;
inline constexpr long KVM_CAP_PPC_SMMU_INFO = KVM_CAP_PPC_GET_SMMU_INFO;  // the name the issue uses
inline constexpr long KVM_CAP_PPC_ALLOC_HTAB = 80;
inline constexpr long KVM_CAP_PPC_HTAB_FD = 84;
inline constexpr long KVM_CAP_PPC_ENABLE_HCALL = 104;
inline constexpr long KVM_CAP_MAX_VCPU_ID = 128;
inline constexpr long KVM_CAP_SPAPR_RESIZE_HPT = 133;
inline constexpr long KVM_CAP_PPC_MMU_RADIX = 134;
inline constexpr long KVM_CAP_PPC_MMU_HASH_V3 = 135;

}  // namespace lpar::hv
