#include "hv/memslot.h"

#include <cerrno>

#include "hv/kvm.h"

namespace lpar::hv {

int MemSlots::set(u32 slot, u32 flags, u64 gpa, u64 size, u64 userspace_addr, bool* changed) {
  *changed = false;
  // api.rst 4.35: bits 0-15 of slot are the slot, 16-31 the address space
  // (only 0 exists on PPC).
  if (slot >= MAX_SLOTS) return -EINVAL;
  if (flags & ~(KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY)) return -EINVAL;
  if ((size | gpa | userspace_addr) & (PAGE_SIZE - 1)) return -EINVAL;
  if (gpa + size < gpa || gpa + size > MAX_GUEST_PHYS) return -EINVAL;
  MemSlot& old = slots_[slot];
  if (size == 0) {
    if (!old.size) return -EINVAL;
    old = MemSlot{};
    *changed = true;
    return 0;
  }
  if (!userspace_addr) return -EINVAL;
  u8* host = reinterpret_cast<u8*>(uintptr_t(userspace_addr));
  const bool create = old.size == 0;
  if (!create) {
    // An existing slot may only move or change its flags (KVM_MR_MOVE,
    // KVM_MR_FLAGS_ONLY).
    if (host != old.host || size != old.size || ((flags ^ old.flags) & KVM_MEM_READONLY)) return -EINVAL;
    if (gpa == old.gpa && flags == old.flags) return 0;
  }
  if (create || gpa != old.gpa) {
    for (u32 i = 0; i < MAX_SLOTS; ++i) {
      const MemSlot& o = slots_[i];
      if (i == slot || !o.size) continue;
      if (gpa < o.gpa + o.size && o.gpa < gpa + size) return -EEXIST;
    }
  }
  const u64 rma = create ? 0 : old.rma_real;
  old = MemSlot{flags, gpa, size, host, rma};
  *changed = true;
  return 0;
}

}  // namespace lpar::hv
