// Guest physical memory as the sPAPR machine's services (RTAS, VOF, hcalls)
// see it: a host pointer for a range, or nothing.  Backed by the hypervisor's
// memory slots on -M pseries and by a plain buffer in tests.  Called per
// service request, never per guest instruction.
#pragma once
#include <cstdint>
#include <cstring>

namespace lpar::papr {

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;

class GuestMemory {
 public:
  virtual ~GuestMemory() = default;
  // Host pointer for [gpa, gpa+len) if it is all guest RAM in one piece, else nullptr.
  virtual u8* host_ptr(u64 gpa, u64 len) = 0;
  // [gpa, gpa+len) was written through write()/write_be32() (DMA, RTAS and
  // client-interface results): the memory's owner drops code decoded there.
  virtual void written(u64 gpa, u64 len) { (void)gpa, (void)len; }

  // Big-endian accessors (RTAS argument buffers, OF client-interface
  // arrays and device-tree cells are big-endian whatever the guest's mode).
  bool read_be32(u64 gpa, u32& v) {
    const u8* p = host_ptr(gpa, 4);
    if (!p) return false;
    v = u32(p[0]) << 24 | u32(p[1]) << 16 | u32(p[2]) << 8 | p[3];
    return true;
  }
  bool write_be32(u64 gpa, u32 v) {
    u8* p = host_ptr(gpa, 4);
    if (!p) return false;
    p[0] = u8(v >> 24), p[1] = u8(v >> 16), p[2] = u8(v >> 8), p[3] = u8(v);
    written(gpa, 4);
    return true;
  }
  bool read(u64 gpa, void* dst, u64 len) {
    const u8* p = host_ptr(gpa, len);
    if (!p) return false;
    std::memcpy(dst, p, len);
    return true;
  }
  bool write(u64 gpa, const void* src, u64 len) {
    u8* p = host_ptr(gpa, len);
    if (!p) return false;
    std::memcpy(p, src, len);
    written(gpa, len);
    return true;
  }
};

// A flat buffer from guest physical 0 (tests, and any machine whose RAM is one piece).
class FlatGuestMemory : public GuestMemory {
 public:
  FlatGuestMemory(u8* base, u64 size) : base_(base), size_(size) {}
  u8* host_ptr(u64 gpa, u64 len) override {
    return gpa < size_ && size_ - gpa >= len ? base_ + gpa : nullptr;
  }

 private:
  u8* base_;
  u64 size_;
};

}  // namespace lpar::papr
