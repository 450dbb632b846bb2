// The hashed page table of a partition, owned by the hypervisor.
//
// As with KVM-HV, the HPT lives in hypervisor (host) memory, never in guest
// memory: the guest reaches it only through the page-frame-table hcalls
// (hcall_mmu.h).  The MMU is told about it by an MmuContext whose htab points
// at data() and whose SDR1 is sdr1_value() (HTABORG 0), so PTEG addresses
// computed by mmu::pteg_address are offsets into this buffer.
//
// HPTEs are stored big-endian, in the processor's own format: on ISA 3.0
// (POWER9) the segment size B is in doubleword 1 (Book III-S v3.0B 5.7.7.1).
// Accessors here do no format conversion (hcall_mmu.h does).
//
// Not thread-safe: the owner (the VM) serializes hcalls, resize and MMU use.
#pragma once
#include <cstddef>

#include "cpu/state.h"

namespace lpar::hv {

class Htab {
 public:
  // KVM's PPC_MIN_HPT_ORDER / PPC_MAX_HPT_ORDER (api.rst 4.x KVM_PPC_ALLOCATE_HTAB:
  // "must be between 18 and 46"); 18 is also the architected minimum (2^11 PTEGs).
  static constexpr unsigned MIN_ORDER = 18;
  static constexpr unsigned MAX_ORDER = 46;
  static constexpr unsigned HPTES_PER_PTEG = 8;

  Htab() = default;
  ~Htab();
  Htab(const Htab&) = delete;
  Htab& operator=(const Htab&) = delete;
  Htab(Htab&& o) noexcept { swap(o); }
  Htab& operator=(Htab&& o) noexcept {
    Htab t(static_cast<Htab&&>(o));
    swap(t);
    return *this;
  }

  // KVM_PPC_ALLOCATE_HTAB semantics: a zeroed table of 2^order bytes.  The
  // same order as the current table only clears it (every HPTE invalid);
  // another order replaces it.  Returns 0, -EINVAL (order out of range) or
  // -ENOMEM (the previous table is kept).
  int allocate(unsigned order);
  // Invalidate every HPTE (zero the table).
  void clear();
  // Free the table (allocated() becomes false).
  void release();
  void swap(Htab& o) noexcept;

  bool allocated() const { return data_ != nullptr; }
  u8* data() { return data_; }
  const u8* data() const { return data_; }
  u64 bytes() const { return data_ ? u64{1} << order_ : 0; }
  unsigned order() const { return order_; }
  u64 pteg_count() const { return data_ ? u64{1} << (order_ - 7) : 0; }
  u64 hpte_count() const { return data_ ? u64{1} << (order_ - 4) : 0; }
  // Mask applied to a hash to select a PTEG (5.7.7.3).
  u64 hash_mask() const { return pteg_count() - 1; }

  // SDR1 / partition-table entry doubleword 0 (Book III-S 5.7.7.1 / v3.0B
  // 5.7.6.1): HTABORG 0 (the table is not in guest real memory) and
  // HTABSIZE = order - 18.  0 when nothing is allocated.
  u64 sdr1_value() const { return data_ ? u64(order_ - MIN_ORDER) : 0; }

  // HPTE access by index (PTEX = PTEG * 8 + slot); false if out of range.
  bool read_hpte(u64 ptex, u64& pte0, u64& pte1) const;
  bool write_hpte(u64 ptex, u64 pte0, u64 pte1);
  // Only doubleword 0 / doubleword 1.
  bool write_pte0(u64 ptex, u64 pte0);
  bool write_pte1(u64 ptex, u64 pte1);

 private:
  u8* data_ = nullptr;
  unsigned order_ = 0;
};

}  // namespace lpar::hv
