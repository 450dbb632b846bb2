// A split virtqueue (virtio 1.0 section 2.4): the descriptor table, the
// available ring the driver fills and the used ring the device returns
// buffers on, all little-endian in guest memory and reached only through a
// DmaSpace, so every address the guest gives is checked by the copy.
// A chain that loops, names a descriptor beyond the queue, uses an indirect
// table (VIRTIO_F_INDIRECT_DESC is not offered) or puts a readable buffer
// after a writable one is malformed: pop() reports Error and the transport
// marks the device DEVICE_NEEDS_RESET (virtio 1.0 2.1.2).
// Not thread-safe: the owning device's lock covers it.
#pragma once
#include <cstdint>
#include <vector>

#include "pci/dma.h"

namespace lpar::virtio {

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;

inline constexpr u16 VRING_DESC_F_NEXT = 1, VRING_DESC_F_WRITE = 2, VRING_DESC_F_INDIRECT = 4;
inline constexpr u16 VRING_AVAIL_F_NO_INTERRUPT = 1;

struct VqBuffer {
  u64 addr;
  u32 len;
};

// One request: the device-readable buffers, then the device-writable ones.
struct VqChain {
  u16 head = 0;
  std::vector<VqBuffer> out;  // driver -> device
  std::vector<VqBuffer> in;   // device -> driver
  u64 out_len = 0, in_len = 0;

  // Copies across buffer boundaries; false if [off, off+len) is not inside.
  bool read(pci::DmaSpace& dma, u64 off, void* dst, u64 len) const;
  bool write(pci::DmaSpace& dma, u64 off, const void* src, u64 len) const;
};

class Virtqueue {
 public:
  enum class Pop { Ok, Empty, Error };

  explicit Virtqueue(u16 max_size = 256) : max_size_(max_size) { reset(); }
  void reset();

  // Transport registers (virtio 1.0 4.1.4.3).
  u16 max_size() const { return max_size_; }
  u16 size = 0;
  bool enabled = false;
  u64 desc = 0, avail = 0, used = 0;

  Pop pop(pci::DmaSpace& dma, VqChain& chain);
  // Returns a chain with len bytes written into its writable buffers.
  bool push(pci::DmaSpace& dma, u16 head, u32 len);
  // The driver has not asked to go without an interrupt (VRING_AVAIL_F_NO_INTERRUPT).
  bool wants_interrupt(pci::DmaSpace& dma) const;
  // Chains the driver made available and the device has not taken.
  bool has_available(pci::DmaSpace& dma) const;

 private:
  bool read16(pci::DmaSpace& dma, u64 addr, u16& v) const;
  u16 max_size_;
  u16 last_avail_ = 0;
  u16 used_idx_ = 0;
};

}  // namespace lpar::virtio
