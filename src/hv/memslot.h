// Guest physical memory as KVM describes it: numbered slots, each mapping
// [guest_phys_addr, +memory_size) to host memory at userspace_addr
// (KVM_SET_USER_MEMORY_REGION, api.rst 4.35).  A slot may be ordinary RAM, a
// device's memory (an "MMIO slot": any host buffer the machine owns) or an
// RMA from the pool; reads of KVM_MEM_READONLY slots are served, writes exit
// as MMIO (api.rst 4.35).
#pragma once
#include <array>

#include "hv/kvm.h"

namespace lpar::hv {

struct MemSlot {
  u32 flags = 0;
  u64 gpa = 0;
  u64 size = 0;  // 0: slot unused
  u8* host = nullptr;
  u64 rma_real = 0;  // RMA-backed: the RMA's real address (else 0)
  bool contains(u64 a) const { return size && a - gpa < size; }
};

class MemSlots {
 public:
  static constexpr unsigned MAX_SLOTS = 32;              // KVM_CAP_NR_MEMSLOTS
  static constexpr u64 MAX_GUEST_PHYS = u64{64} << 30;   // lpar's guest-physical limit

  // KVM's checks and return codes: 0; -EINVAL for a bad slot number or flags,
  // unaligned gpa/size/userspace_addr, a range beyond 64 GB or wrapping,
  // deleting an unused slot, or changing an existing slot's size, host
  // memory or READONLY flag; -EEXIST when a new or moved slot overlaps
  // another.  memory_size 0 deletes.  *changed tells whether anything that
  // cached translations may depend on changed (the MMU-notifier event).
  int set(u32 slot, u32 flags, u64 gpa, u64 size, u64 userspace_addr, bool* changed);
  // Mark a slot as backed by an RMA.
  void set_rma(u32 slot, u64 real_addr) { slots_[slot].rma_real = real_addr; }

  // The slot holding gpa, or nullptr.  Linear: called on TLB misses only.
  const MemSlot* find(u64 gpa) const {
    for (const MemSlot& s : slots_)
      if (s.contains(gpa)) return &s;
    return nullptr;
  }
  // Host pointer for [gpa, gpa+len) inside one slot (and writable if write).
  u8* host_ptr(u64 gpa, u64 len, bool write = false) const {
    const MemSlot* s = find(gpa);
    if (!s || len > s->size - (gpa - s->gpa)) return nullptr;
    if (write && (s->flags & KVM_MEM_READONLY)) return nullptr;
    return s->host + (gpa - s->gpa);
  }
  const MemSlot& slot(u32 id) const { return slots_[id]; }

 private:
  std::array<MemSlot, MAX_SLOTS> slots_{};
};

}  // namespace lpar::hv
