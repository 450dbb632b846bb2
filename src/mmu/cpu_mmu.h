// The hash MMU as one hardware thread sees it: the translation registers
// copied from CpuState, the SLB, the software TLB in front of translate(), and
// the storage-control instructions (Book III-S 5.9.3).  Machines (the bare
// machine, the hypervisor's vCPUs) own one per thread and decide what a real
// address is (RAM, a device, nothing).
#pragma once
#include <memory>

#include "cpu/interp.h"
#include "mmu/tlb.h"

namespace lpar::mmu {

class CpuMmu {
 public:
  CpuMmu() : tlb_(std::make_unique<SoftTlb>()) {}

  // Where real addresses 0.. live on the host, and (optionally) a
  // hypervisor-owned HPT outside them (mmu_context.h).
  void set_memory(u8* mem, u64 size) { ctx_.mem = mem, ctx_.mem_size = size; }
  void set_htab(u8* htab, u64 bytes);

  // Copy the translation registers from s into the context; a change of
  // SDR1/PTCR, LPCR, RMOR, HRMOR, HID4 or LPIDR flushes the caches that depend
  // on them (Book III-S 5.10).  MSR changes need nothing here: the SoftTlb is
  // tagged by mode and set_msr drops the host TLB.  Pre-decoded blocks never
  // depend on translation (cpu/interp.h).  Cheap when nothing changed:
  // called on every TLB miss.
  void sync(CpuState& s);

  // Translate ea for acc (through the SoftTlb).  On success ra and the
  // accesses the page allows (PERM_*, key included); else the fault is
  // recorded in s (record_fault) and false returned.
  bool translate(CpuState& s, u64 ea, Access acc, u64& ra, u8& perm);

  // slbmte, slbmfee, slbmfev, slbfee., slbie, slbia, tlbie, tlbiel: the
  // CpuState::mmu_hook contract.  Returns 1 with an interrupt raised, else 0.
  int storage_insn(CpuState& s, u32 insn);

  // Drop every cached translation (the SoftTlb and the host TLB).
  void flush(CpuState& s);
  // Back to reset: empty SLB and TLB.
  void reset();

  MmuContext& context() { return ctx_; }
  const MmuContext& context() const { return ctx_; }
  SoftTlb& tlb() { return *tlb_; }

 private:
  MmuContext ctx_{};
  std::unique_ptr<SoftTlb> tlb_;
  struct Snapshot {
    u64 lpcr, sdr1, rmor, hrmor, hid4;
    u32 lpidr;
    bool operator==(const Snapshot&) const = default;
  } snap_{};
};

}  // namespace lpar::mmu
