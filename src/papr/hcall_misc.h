// The smaller hcalls the machine serves (LoPAPR 1.1 chapter 14): H_SET_SPRG0,
// H_PAGE_INIT, H_SET_DABR / H_SET_XDABR, H_GET_CPU_CHARACTERISTICS,
// H_HOME_NODE_ASSOCIATIVITY, H_RANDOM, H_SET_MODE, and the "hcall-debug"
// logical loads and stores the hypervisor leaves to the machine (addresses
// without a device on its IO bus).  Each returns an H_* code (hv/papr.h) and
// its outputs (R4...) in out[].
#pragma once
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "cpu/isa/table.h"
#include "cpu/state.h"
#include "papr/guest_memory.h"

namespace lpar::papr {

// H_GET_CPU_CHARACTERISTICS bits (IBM bit numbering, as Linux's asm/hvcall.h).
inline constexpr uint64_t H_CPU_CHAR_SPEC_BAR_ORI31 = uint64_t{1} << 63;
inline constexpr uint64_t H_CPU_CHAR_BCCTRL_SERIALISED = uint64_t{1} << 62;
inline constexpr uint64_t H_CPU_CHAR_L1D_FLUSH_ORI30 = uint64_t{1} << 61;
inline constexpr uint64_t H_CPU_CHAR_L1D_FLUSH_TRIG2 = uint64_t{1} << 60;
inline constexpr uint64_t H_CPU_CHAR_L1D_THREAD_PRIV = uint64_t{1} << 59;
inline constexpr uint64_t H_CPU_CHAR_BRANCH_HINTS_HONORED = uint64_t{1} << 58;
inline constexpr uint64_t H_CPU_CHAR_THREAD_RECONFIG_CTRL = uint64_t{1} << 57;
inline constexpr uint64_t H_CPU_CHAR_COUNT_CACHE_DISABLED = uint64_t{1} << 56;
inline constexpr uint64_t H_CPU_CHAR_BCCTR_FLUSH_ASSIST = uint64_t{1} << 54;
inline constexpr uint64_t H_CPU_CHAR_BCCTR_LINK_FLUSH_ASSIST = uint64_t{1} << 52;
inline constexpr uint64_t H_CPU_BEHAV_FAVOUR_SECURITY = uint64_t{1} << 63;
inline constexpr uint64_t H_CPU_BEHAV_L1D_FLUSH_PR = uint64_t{1} << 62;
inline constexpr uint64_t H_CPU_BEHAV_BNDS_CHK_SPEC_BAR = uint64_t{1} << 61;
inline constexpr uint64_t H_CPU_BEHAV_FAVOUR_SECURITY_H = uint64_t{1} << 60;
inline constexpr uint64_t H_CPU_BEHAV_FLUSH_COUNT_CACHE = uint64_t{1} << 58;
inline constexpr uint64_t H_CPU_BEHAV_FLUSH_LINK_STACK = uint64_t{1} << 57;
inline constexpr uint64_t H_CPU_BEHAV_NO_L1D_FLUSH_ENTRY = uint64_t{1} << 56;
inline constexpr uint64_t H_CPU_BEHAV_NO_L1D_FLUSH_UACCESS = uint64_t{1} << 55;
inline constexpr uint64_t H_CPU_BEHAV_NO_STF_BARRIER = uint64_t{1} << 54;

// lpar executes in order without speculation and has no branch-target or
// count cache and no shared L1D: nothing to flush or fence.  So: indirect
// branches are serialised and the count cache is off; security is
// favoured, yet no L1D flush (on entry, user access, or to problem state),
// no store-forwarding barrier and no bounds-check barrier is needed.  Linux
// (pseries init_cpu_char_feature_flags) then installs none of the flush or
// barrier code, and never writes the L1D-flush trigger SPR (TRIG2).
inline constexpr uint64_t LPAR_CPU_CHARACTERISTICS = H_CPU_CHAR_BCCTRL_SERIALISED | H_CPU_CHAR_COUNT_CACHE_DISABLED;
inline constexpr uint64_t LPAR_CPU_BEHAVIOUR = H_CPU_BEHAV_FAVOUR_SECURITY | H_CPU_BEHAV_NO_L1D_FLUSH_ENTRY |
                                               H_CPU_BEHAV_NO_L1D_FLUSH_UACCESS | H_CPU_BEHAV_NO_STF_BARRIER;

// H_SET_MODE LE mflags (LoPAPR chapter 14, H_SET_MODE).
inline constexpr uint64_t H_SET_MODE_ENDIAN_BIG = 0;
inline constexpr uint64_t H_SET_MODE_ENDIAN_LITTLE = 1;
// H_SET_XDABR's DABRX (Book III-S DABRX: BT is DABR's, these are the privilege bits).
inline constexpr uint64_t H_DABRX_USER = 1;
inline constexpr uint64_t H_DABRX_KERNEL = 2;
inline constexpr uint64_t H_DABRX_HYPERVISOR = 4;
inline constexpr uint64_t DABR_BT = 4;  // DABR bit 61: translation enabled
// H_HOME_NODE_ASSOCIATIVITY flags: the id is a processor (as H_REGISTER_VPA names it).
inline constexpr uint64_t H_HOME_NODE_PROCNO = 1;

// What the machine does for these hcalls.
struct MiscMachine {
  // Set LPCR = (LPCR & ~mask) | value on every vCPU of the partition
  // (H_SET_MODE applies to all threads: LoPAPR chapter 14).
  std::function<void(uint64_t value, uint64_t mask)> set_lpcr_all;
  // Guest memory [gpa, gpa+len) was written by a hcall (H_PAGE_INIT): drop
  // any pre-decoded code of it.
  std::function<void(uint64_t gpa, uint64_t len)> memory_written;
  // Cache-inhibited access to a device (H_LOGICAL_CI_*), value as the device
  // register holds it; false: no device there.
  std::function<bool(uint64_t gpa, unsigned size, uint64_t& val)> mmio_read;
  std::function<bool(uint64_t gpa, unsigned size, uint64_t val)> mmio_write;
};

// What H_SET_DABR / H_SET_XDABR recorded for a vCPU (lpar has no data
// breakpoint facility; the values are kept for the guest to read back
// through nothing but this record).
struct DabrRegs {
  uint64_t dabr = 0, dabrx = 0;
};

class HcallMisc {
 public:
  HcallMisc(GuestMemory& gm, isa::Model model, uint32_t nr_cpus, MiscMachine m);

  long h_set_sprg0(CpuState& s, uint64_t value);
  // H_PAGE_INIT(flags, dst, src): H_ZERO_PAGE zeroes, H_COPY_PAGE copies a
  // 4 KiB page; H_ICACHE_* only drop pre-decoded code.
  long h_page_init(uint64_t flags, uint64_t dst, uint64_t src);
  long h_set_dabr(uint32_t cpu, uint64_t dabr);
  long h_set_xdabr(uint32_t cpu, uint64_t dabr, uint64_t dabrx);
  long h_get_cpu_characteristics(uint64_t out[2]);
  // -> out[0..5]: the associativity domains of processor id, two 32-bit
  // words a register, unused words ~0.
  long h_home_node_associativity(uint64_t flags, uint64_t id, uint64_t out[6]);
  long h_random(uint64_t& out);
  long h_set_mode(uint64_t mflags, uint64_t resource, uint64_t value1, uint64_t value2);
  // H_LOGICAL_CI_LOAD / _STORE / _CACHE_LOAD / _CACHE_STORE (size 1, 2, 4, 8
  // bytes; guest memory big-endian as the hcall-debug calls define it).
  long h_logical_load(uint64_t size, uint64_t addr, uint64_t& out);
  long h_logical_store(uint64_t size, uint64_t addr, uint64_t value);

  // The associativity domains above the CPU: FORM1's four levels of node 0,
  // as the /cpus ibm,associativity published (<5 0 0 0 0 vcpu>).
  void set_cpu_associativity_domains(std::vector<uint32_t> domains) { domains_ = std::move(domains); }
  DabrRegs dabr(uint32_t cpu);

 private:
  bool has_dabr() const { return model_ == isa::PPC970 || model_ == isa::POWER7; }
  bool has_dabrx() const { return model_ == isa::POWER7; }

  GuestMemory& gm_;
  isa::Model model_;
  uint32_t nr_cpus_;
  MiscMachine m_;
  std::vector<uint32_t> domains_{0, 0, 0, 0};
  std::mutex mu_;
  std::vector<DabrRegs> dabr_;
};

}  // namespace lpar::papr
