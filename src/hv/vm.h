// A virtual machine (partition): KVM's VM file descriptor (api.rst 4.2
// KVM_CREATE_VM onward).  It owns the guest-physical memory map (memory
// slots), the hypervisor-owned HPT and its resize, the VM-wide LPCR, the
// in-hypervisor hcall set, the IO bus, its RMAs, its LPID and its vCPUs.
//
// Concurrency: vCPUs run in their own threads and hold the VM's MMU lock
// shared while they execute; every call here that changes what translations
// depend on (slots, HPT, HPTEs through the MMU hcalls) takes it exclusively,
// so it waits for running vCPUs to reach a slice boundary (at most a few
// hundred guest instructions), and each vCPU drops its cached translations and
// pre-decoded blocks before it runs again (the MMU-notifier role, coarse: the
// whole cache, not just the pages of the slot).  Host memory removed from a
// slot may be unmapped as soon as set_user_memory_region returns.
#pragma once
#include <atomic>
#include <bitset>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "hv/hcall_mmu.h"
#include "hv/hpt_resize.h"
#include "hv/htab.h"
#include "hv/io_bus.h"
#include "hv/kvm.h"
#include "hv/memslot.h"
#include "hv/rma_pool.h"

namespace lpar::hv {

class Hypervisor;
class Vcpu;

// LPCR bits the hypervisor manages (Book III-S v2.07B/v3.0B 2.2).
inline constexpr u64 LPCR_DPFD = mmu::bit(9) | mmu::bit(10) | mmu::bit(11);
inline constexpr u64 LPCR_ILE = mmu::bit(38);
inline constexpr u64 LPCR_AIL = mmu::bit(39) | mmu::bit(40);
inline constexpr u64 LPCR_LD = mmu::bit(46);
inline constexpr u64 LPCR_MER = mmu::bit(52);
inline constexpr u64 LPCR_TC = mmu::bit(54);
inline constexpr u64 LPCR_HDICE = mmu::bit(63);

class Vm {
 public:
  static constexpr unsigned DEFAULT_HPT_ORDER = 24;  // KVM's default: 16 MB

  ~Vm();
  Vm(const Vm&) = delete;
  Vm& operator=(const Vm&) = delete;

  Hypervisor& hypervisor() { return hv_; }
  isa::Model model() const { return model_; }
  u32 lpid() const { return lpid_; }
  u64 lpid_generation() const { return lpid_gen_; }

  // KVM_SET_USER_MEMORY_REGION (api.rst 4.35): memslot.h for the return
  // codes.  userspace_addr is a host pointer; if it is an RMA's (allocate_rma)
  // the slot is that RMA (size at most the RMA's: -EINVAL otherwise).
  int set_user_memory_region(u32 slot, u32 flags, u64 guest_phys_addr, u64 memory_size, u64 userspace_addr);

  // KVM_ENABLE_CAP on the VM (api.rst 4.37, 7.x KVM_CAP_PPC_ENABLE_HCALL):
  // args[0] = hcall number, args[1] = 0/1.  -EINVAL for flags != 0, another
  // capability, a number that is not a multiple of 4 or not one the
  // hypervisor implements, args[1] > 1.
  int enable_cap(u32 cap, u32 flags, const u64 args[4]);
  // Handled inside the hypervisor (else it exits with KVM_EXIT_PAPR_HCALL)?
  bool hcall_enabled(u64 nr) const;
  // Implemented inside the hypervisor at all (kvmppc_hcall_impl_hv's role).
  static bool hcall_implemented(u64 nr);

  // KVM_PPC_ALLOCATE_HTAB (api.rst 4.77): order 0 = keep the current size,
  // or the default (2^24) when there is none; the order used is written
  // back.  The same order clears the table; the VRMA is re-entered on the
  // next run.  -EINVAL (order outside 18..46), -EBUSY (a vCPU is running),
  // -ENOMEM.
  int allocate_htab(u32& order);

  // KVM_ALLOCATE_RMA (api.rst 4.62): one RMA from the pool, or -ENOMEM when
  // it is empty.  It stays the VM's until the VM is destroyed.
  int allocate_rma(Rma& out);

  // KVM_PPC_RESIZE_HPT_PREPARE / _COMMIT (api.rst 4.102, 4.103), through
  // hpt_resize.h.  A successful commit installs the new HPT in every vCPU.
  long resize_hpt_prepare(u64 flags, u32 shift);
  long resize_hpt_commit(u64 flags, u32 shift);
  HptResize& resize() { return resize_; }

  // KVM_PPC_GET_SMMU_INFO (api.rst 4.70): segment and page sizes the
  // model's MMU implements, SLB size, storage keys.
  int get_smmu_info(KvmPpcSmmuInfo& info) const;

  // The IO bus (io_bus.h): devices served without an exit.
  IoBus& io_bus() { return io_; }

  // KVM_CREATE_VCPU (api.rst 4.7): the vCPU, owned by the VM; nullptr with
  // *err = -EINVAL (id >= KVM_CAP_MAX_VCPU_ID) or -EEXIST (id in use).
  Vcpu* create_vcpu(u32 id, int* err = nullptr);
  Vcpu* vcpu_by_id(u32 id);

  // lpar: H_CEDE with nothing pending exits with LPAR_EXIT_IDLE instead of
  // advancing the virtual clock (machines whose devices run in real time).
  void set_cede_exits(bool on) { cede_exits_ = on; }
  bool cede_exits() const { return cede_exits_; }
  // lpar: H_CONFER exits with LPAR_EXIT_YIELD (machines that schedule their
  // vCPUs themselves, hv/vcpu_sched.h).
  void set_confer_exits(bool on) { confer_exits_ = on; }

  // Pre-decoded code across vCPUs (a store by one vCPU must drop the blocks
  // every vCPU decoded from that page): does any vCPU hold code decoded from
  // the real page at this host address, and drop it everywhere.  With more than one vCPU
  // these walk all of them without a lock: the vCPUs must then run on one
  // host thread (hv/vcpu_sched.h), as the sPAPR machine runs them.
  bool code_on_page(uintptr_t host_page);
  void code_written(uintptr_t host_page);

  // The VM-wide LPCR (MER excepted, which is per vCPU) and the bits a
  // machine may set through KVM_REG_PPC_LPCR (KVM's kvmppc_set_lpcr mask).
  u64 lpcr() const { return lpcr_; }
  void set_lpcr_user(u64 value);

  // Guest memory for the machine's services (RTAS, hcalls it handles):
  // [gpa, gpa+len) inside one slot, else nullptr.
  u8* host_ptr(u64 gpa, u64 len, bool write = false);
  // The machine wrote guest memory behind the vCPUs' backs (H_PAGE_INIT,
  // DMA, firmware loads): the code every vCPU decoded from the real pages of
  // [gpa, gpa+len) goes before it runs again, exactly those pages.
  void memory_written(u64 gpa, u64 len);
  const MemSlots& slots() const { return slots_; }
  Htab& htab() { return htab_; }
  // Was the VRMA / RMO set up (KVM's mmu_ready)?
  bool mmu_ready() const { return mmu_ready_; }

 private:
  friend class Hypervisor;
  friend class Vcpu;
  Vm(Hypervisor& hv, u32 lpid, u64 lpid_gen);

  // First run / after allocate_htab: the HPT, then real mode: RMO on an RMA
  // when slot 0 is RMA-backed and the model has RMOR, else the VRMA.
  // Called with mmu_lock_ held exclusively.  0 or -EINVAL / -ENOMEM.
  int setup_mmu();
  void remove_vrma();
  u8* rma_host(u64 real_addr, u64 len);  // this VM's RMA memory at a real address
  static bool ram_ok(void* vm, u64 ra, u64 len);
  static void invalidate(void* vm, u64 rb);
  static bool zero_page(void* vm, u64 ra, u64 len);

  Hypervisor& hv_;
  isa::Model model_;
  u32 lpid_;
  u64 lpid_gen_;
  std::shared_mutex mmu_lock_;
  MemSlots slots_;
  u64 slot_gen_ = 0;  // bumped on every slot or real-mode change (under mmu_lock_)
  u64 code_gen_ = 0;  // bumped when a slot's memory changes: every block goes
  u64 htab_gen_ = 0;  // bumped when the HPT buffer is replaced
  Htab htab_;
  HcallMmu hcall_mmu_;
  HptResize resize_;
  std::mutex resize_mu_;
  bool mmu_ready_ = false;
  u64 lpcr_ = 0, hid4_ = 0, rmor_ = 0;
  std::vector<Rma> rmas_;
  std::bitset<MAX_HCALL_OPCODE / 4 + 1> enabled_hcalls_;
  std::vector<std::unique_ptr<Vcpu>> vcpus_;
  std::mutex vcpus_mu_;
  std::atomic<int> vcpus_running_{0};
  std::atomic<unsigned> vcpu_count_{0};
  bool cede_exits_ = false;
  bool confer_exits_ = false;
  IoBus io_;
};

}  // namespace lpar::hv
