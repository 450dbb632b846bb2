// The data structures of the KVM PPC API as lpar's hypervisor uses them:
// kvm_run (exits), kvm_regs, kvm_sregs (Book3S part), kvm_ppc_smmu_info, the
// ONE_REG ids, memory-slot flags and KVM_INTERRUPT values (Linux
// include/uapi/linux/kvm.h, arch/powerpc/include/uapi/asm/kvm.h; api.rst 4.10
// KVM_RUN, 4.11 KVM_GET_REGS, 4.13 KVM_GET_SREGS, 4.68 KVM_SET_ONE_REG, 4.35
// KVM_SET_USER_MEMORY_REGION, 4.16 KVM_INTERRUPT, 4.70 KVM_PPC_GET_SMMU_INFO).
// Field names and numbers are KVM's; the layouts are plain C++ structs (no
// ioctl ABI: lpar calls them directly).
#pragma once
#include "cpu/state.h"

namespace lpar::hv {

// --- kvm_run.exit_reason (api.rst 5. "The kvm_run structure").
inline constexpr u32 KVM_EXIT_UNKNOWN = 0;
inline constexpr u32 KVM_EXIT_DEBUG = 4;
inline constexpr u32 KVM_EXIT_MMIO = 6;
inline constexpr u32 KVM_EXIT_SHUTDOWN = 8;
inline constexpr u32 KVM_EXIT_INTR = 10;
inline constexpr u32 KVM_EXIT_INTERNAL_ERROR = 17;
inline constexpr u32 KVM_EXIT_PAPR_HCALL = 19;
// lpar-specific (outside KVM's numbers): the guest ceded (H_CEDE) with no
// interrupt pending and cede_exits is on; run again to continue the cede.
inline constexpr u32 LPAR_EXIT_IDLE = 0x1000;
// lpar-specific: H_CONFER with confer_exits on -- the vCPU gives the rest of
// its time slice away (LoPAPR 14.11.3.4); run again to go on after the call.
inline constexpr u32 LPAR_EXIT_YIELD = 0x1001;
// lpar-specific: the guest stopped making progress -- interrupts went on being
// delivered with no instruction retired between them (an interrupt vector
// that itself faults, a fetch that can never succeed).  run.hang says where.
inline constexpr u32 LPAR_EXIT_GUEST_HANG = 0x1002;

inline constexpr u32 KVM_INTERNAL_ERROR_EMULATION = 1;

// kvm_run, with the members of its exit union that Book3S uses side by side.
struct KvmRun {
  // in
  u8 immediate_exit = 0;  // api.rst: return -EINTR before entering the guest
  // lpar: stop after this many guest instructions (0: no limit) with
  // KVM_EXIT_INTR / -EINTR, as a host signal would (tests, time slicing).
  u64 insn_limit = 0;
  // out
  u32 exit_reason = KVM_EXIT_UNKNOWN;
  struct {
    u64 phys_addr;
    u8 data[8];  // bytes in storage order (what the access reads/writes at phys_addr..)
    u32 len;
    u8 is_write;
  } mmio{};
  struct {
    u64 nip, msr, srr0, srr1;  // at the last delivery: the vector and what it interrupted
    u64 deliveries;            // with no instruction retired in between
  } hang{};
  struct {
    u64 nr;
    u64 ret;  // set by the machine; lands in r3 on the next run
    u64 args[9];  // r4..r12; written back to r4..r12 on the next run
  } papr_hcall{};
  struct {
    u32 suberror;
    u32 ndata;
    u64 data[16];
  } internal{};
  struct {  // kvm_debug_exit_arch (Book3S)
    u64 address;
    u32 status;
  } debug{};
  struct {
    u64 ticks;  // Time Base ticks to the next decrementer event
  } idle{};
};

// --- KVM_GET_REGS / KVM_SET_REGS (struct kvm_regs).
struct KvmRegs {
  u64 pc, cr, ctr, lr, xer, msr, srr0, srr1, pid;
  u64 sprg0, sprg1, sprg2, sprg3, sprg4, sprg5, sprg6, sprg7;
  u64 gpr[32];
};

// --- KVM_GET_SREGS / KVM_SET_SREGS (struct kvm_sregs, the Book3S-64 part).
struct KvmSregs {
  u32 pvr;
  u64 sdr1;
  struct {
    u64 slbe, slbv;
  } slb[64];
};

// --- KVM_PPC_GET_SMMU_INFO (struct kvm_ppc_smmu_info).
inline constexpr unsigned KVM_PPC_PAGE_SIZES_MAX_SZ = 8;
inline constexpr u64 KVM_PPC_PAGE_SIZES_REAL = 1;
inline constexpr u64 KVM_PPC_1T_SEGMENTS = 2;
struct KvmPpcOnePageSize {
  u32 page_shift;  // 0: unused entry
  u32 pte_enc;     // LP encoding in the HPTE (>> 12)
};
struct KvmPpcOneSegPageSize {
  u32 page_shift;  // base page size of the segment (0: unused)
  u32 slb_enc;     // SLB L||LP bits as slbmte's RS takes them
  KvmPpcOnePageSize enc[KVM_PPC_PAGE_SIZES_MAX_SZ];
};
struct KvmPpcSmmuInfo {
  u64 flags;
  u32 slb_size;
  u16 data_keys, instr_keys;
  KvmPpcOneSegPageSize sps[KVM_PPC_PAGE_SIZES_MAX_SZ];
};

// --- KVM_SET_USER_MEMORY_REGION flags.
inline constexpr u32 KVM_MEM_LOG_DIRTY_PAGES = 1;
inline constexpr u32 KVM_MEM_READONLY = 2;

// --- KVM_INTERRUPT (Book3S: raise / lower the external interrupt line).
inline constexpr u32 KVM_INTERRUPT_SET = ~0u;          // -1U
inline constexpr u32 KVM_INTERRUPT_UNSET = ~0u - 1;    // -2U
inline constexpr u32 KVM_INTERRUPT_SET_LEVEL = ~0u - 2;  // -3U

// --- ONE_REG ids (arch/powerpc/include/uapi/asm/kvm.h).
inline constexpr u64 KVM_REG_PPC = 0x1000000000000000ull;
inline constexpr u64 KVM_REG_SIZE_U32 = 0x0020000000000000ull;
inline constexpr u64 KVM_REG_SIZE_U64 = 0x0030000000000000ull;
inline constexpr u64 KVM_REG_SIZE_U128 = 0x0040000000000000ull;
inline constexpr u64 KVM_REG_SIZE_MASK = 0x00f0000000000000ull;
constexpr u64 kvm_reg64(u64 n) { return KVM_REG_PPC | KVM_REG_SIZE_U64 | n; }
constexpr u64 kvm_reg32(u64 n) { return KVM_REG_PPC | KVM_REG_SIZE_U32 | n; }
inline constexpr u64 KVM_REG_PPC_HIOR = kvm_reg64(0x1);
inline constexpr u64 KVM_REG_PPC_DABR = kvm_reg64(0x8);
inline constexpr u64 KVM_REG_PPC_DSCR = kvm_reg64(0x9);
inline constexpr u64 KVM_REG_PPC_PURR = kvm_reg64(0xa);
inline constexpr u64 KVM_REG_PPC_SPURR = kvm_reg64(0xb);
inline constexpr u64 KVM_REG_PPC_DAR = kvm_reg64(0xc);
inline constexpr u64 KVM_REG_PPC_DSISR = kvm_reg32(0xd);
inline constexpr u64 KVM_REG_PPC_AMR = kvm_reg64(0xe);
inline constexpr u64 KVM_REG_PPC_UAMOR = kvm_reg64(0xf);
inline constexpr u64 KVM_REG_PPC_FPR0 = kvm_reg64(0x20);
inline constexpr u64 KVM_REG_PPC_FPSCR = kvm_reg64(0x80);
inline constexpr u64 KVM_REG_PPC_VSCR = kvm_reg32(0x81);
inline constexpr u64 KVM_REG_PPC_VPA_ADDR = kvm_reg64(0x82);
inline constexpr u64 KVM_REG_PPC_VPA_SLB = KVM_REG_PPC | KVM_REG_SIZE_U128 | 0x83;
inline constexpr u64 KVM_REG_PPC_VPA_DTL = KVM_REG_PPC | KVM_REG_SIZE_U128 | 0x84;
inline constexpr u64 KVM_REG_PPC_DEBUG_INST = kvm_reg32(0x8b);
inline constexpr u64 KVM_REG_PPC_TB_OFFSET = kvm_reg64(0x9c);
inline constexpr u64 KVM_REG_PPC_IAMR = kvm_reg64(0x9f);
inline constexpr u64 KVM_REG_PPC_FSCR = kvm_reg64(0xa3);
inline constexpr u64 KVM_REG_PPC_PSPB = kvm_reg32(0xa4);
inline constexpr u64 KVM_REG_PPC_TAR = kvm_reg64(0xa8);
inline constexpr u64 KVM_REG_PPC_DPDES = kvm_reg64(0xa9);
inline constexpr u64 KVM_REG_PPC_DAWR = kvm_reg64(0xaa);
inline constexpr u64 KVM_REG_PPC_DAWRX = kvm_reg64(0xab);
inline constexpr u64 KVM_REG_PPC_CIABR = kvm_reg64(0xac);
inline constexpr u64 KVM_REG_PPC_VTB = kvm_reg64(0xae);
inline constexpr u64 KVM_REG_PPC_PID = kvm_reg64(0xb2);
inline constexpr u64 KVM_REG_PPC_VRSAVE = kvm_reg32(0xb4);
inline constexpr u64 KVM_REG_PPC_LPCR = kvm_reg32(0xb5);
inline constexpr u64 KVM_REG_PPC_LPCR_64 = kvm_reg64(0xb5);
inline constexpr u64 KVM_REG_PPC_PPR = kvm_reg64(0xb6);
inline constexpr u64 KVM_REG_PPC_PSSCR = kvm_reg64(0xbd);
inline constexpr u64 KVM_REG_PPC_DEC_EXPIRY = kvm_reg64(0xbe);

}  // namespace lpar::hv
