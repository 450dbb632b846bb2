#include "virtio/virtqueue.h"

#include <algorithm>
#include <atomic>

namespace lpar::virtio {

namespace {
constexpr u64 DESC_SIZE = 16;

u16 le16(const u8* p) { return u16(p[0] | p[1] << 8); }
u32 le32(const u8* p) { return u32(p[0]) | u32(p[1]) << 8 | u32(p[2]) << 16 | u32(p[3]) << 24; }
u64 le64(const u8* p) { return u64(le32(p)) | u64(le32(p + 4)) << 32; }
void put_le16(u8* p, u16 v) { p[0] = u8(v), p[1] = u8(v >> 8); }
void put_le32(u8* p, u32 v) {
  for (int i = 0; i < 4; ++i) p[i] = u8(v >> (8 * i));
}

// Walks bufs copying [off, off+len) piecewise.
template <typename Fn>
bool across(const std::vector<VqBuffer>& bufs, u64 total, u64 off, u64 len, Fn fn) {
  if (off > total || len > total - off) return false;
  u64 pos = 0, done = 0;
  for (const VqBuffer& b : bufs) {
    if (done == len) break;
    const u64 start = off + done;
    if (start < pos + b.len) {
      const u64 in_buf = start - pos;
      const u64 n = std::min<u64>(b.len - in_buf, len - done);
      if (!fn(b.addr + in_buf, done, n)) return false;
      done += n;
    }
    pos += b.len;
  }
  return done == len;
}
}  // namespace

bool VqChain::read(pci::DmaSpace& dma, u64 off, void* dst, u64 len) const {
  auto* d = static_cast<u8*>(dst);
  return across(out, out_len, off, len, [&](u64 a, u64 o, u64 n) { return dma.read(a, d + o, n); });
}

bool VqChain::write(pci::DmaSpace& dma, u64 off, const void* src, u64 len) const {
  auto* s = static_cast<const u8*>(src);
  return across(in, in_len, off, len, [&](u64 a, u64 o, u64 n) { return dma.write(a, s + o, n); });
}

void Virtqueue::reset() {
  size = max_size_;
  enabled = false;
  desc = avail = used = 0;
  last_avail_ = used_idx_ = 0;
}

bool Virtqueue::read16(pci::DmaSpace& dma, u64 addr, u16& v) const {
  u8 b[2];
  if (!dma.read(addr, b, 2)) return false;
  v = le16(b);
  return true;
}

bool Virtqueue::has_available(pci::DmaSpace& dma) const {
  u16 idx;
  return enabled && size && read16(dma, avail + 2, idx) && idx != last_avail_;
}

bool Virtqueue::wants_interrupt(pci::DmaSpace& dma) const {
  u16 flags = 0;
  return !read16(dma, avail, flags) || !(flags & VRING_AVAIL_F_NO_INTERRUPT);
}

Virtqueue::Pop Virtqueue::pop(pci::DmaSpace& dma, VqChain& chain) {
  if (!enabled || size == 0) return Pop::Empty;
  u16 avail_idx;
  if (!read16(dma, avail + 2, avail_idx)) return Pop::Error;
  if (avail_idx == last_avail_) return Pop::Empty;
  // The ring entries are read after the index (virtio 1.0 2.4.7.1).
  std::atomic_thread_fence(std::memory_order_acquire);
  if (u16(avail_idx - last_avail_) > size) return Pop::Error;  // more than the ring holds
  u16 head;
  if (!read16(dma, avail + 4 + 2 * u64(last_avail_ % size), head) || head >= size) return Pop::Error;

  chain.head = head;
  chain.out.clear();
  chain.in.clear();
  chain.out_len = chain.in_len = 0;
  u16 i = head;
  // A chain has at most size descriptors; one more means a loop.
  for (unsigned n = 0;; ++n) {
    if (n >= size) return Pop::Error;
    u8 d[DESC_SIZE];
    if (!dma.read(desc + DESC_SIZE * i, d, DESC_SIZE)) return Pop::Error;
    const u64 addr = le64(d);
    const u32 len = le32(d + 8);
    const u16 flags = le16(d + 12);
    const u16 next = le16(d + 14);
    if (flags & VRING_DESC_F_INDIRECT) return Pop::Error;
    if (flags & VRING_DESC_F_WRITE) {
      chain.in.push_back({addr, len});
      chain.in_len += len;
    } else {
      if (!chain.in.empty()) return Pop::Error;  // readable after writable (2.4.4.2)
      chain.out.push_back({addr, len});
      chain.out_len += len;
    }
    if (!(flags & VRING_DESC_F_NEXT)) break;
    if (next >= size) return Pop::Error;
    i = next;
  }
  ++last_avail_;
  return Pop::Ok;
}

bool Virtqueue::push(pci::DmaSpace& dma, u16 head, u32 len) {
  if (!enabled || size == 0) return false;
  u8 e[8];
  put_le32(e, head);
  put_le32(e + 4, len);
  if (!dma.write(used + 4 + 8 * u64(used_idx_ % size), e, 8)) return false;
  // The element is visible before the index that publishes it (2.4.8.2).
  std::atomic_thread_fence(std::memory_order_release);
  ++used_idx_;
  u8 idx[2];
  put_le16(idx, used_idx_);
  return dma.write(used + 2, idx, 2);
}

}  // namespace lpar::virtio
