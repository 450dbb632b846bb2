#include "virtio/virtio_net.h"

namespace lpar::virtio {

namespace {
constexpr u32 PCI_CLASS_NETWORK_ETHERNET = 0x020000;
}

VirtioNet::VirtioNet(NetBackend& backend, const VirtioNetOptions& opt, VirtioDma dma)
    : VirtioPciDevice(VIRTIO_ID_NET, PCI_CLASS_NETWORK_ETHERNET, 2, opt.queue_size, dma, opt.iommu_platform),
      backend_(backend),
      opt_(opt) {
  backend_.set_receiver([this](const uint8_t* f, size_t n) { receive(f, n); });
}

VirtioNet::~VirtioNet() { backend_.set_receiver(nullptr); }

u64 VirtioNet::device_features() const { return VIRTIO_NET_F_MAC | VIRTIO_NET_F_STATUS; }

std::vector<u8> VirtioNet::device_config() const {
  // struct virtio_net_config (5.1.4): mac[6], status, max_virtqueue_pairs.
  std::vector<u8> c(10, 0);
  for (int i = 0; i < 6; ++i) c[i] = opt_.mac[i];
  c[6] = u8(VIRTIO_NET_S_LINK_UP);
  c[8] = 1;
  return c;
}

void VirtioNet::device_reset() { backlog_.clear(); }

size_t VirtioNet::backlog() {
  std::lock_guard<std::mutex> g(mu_);
  return backlog_.size();
}

void VirtioNet::queue_notify(unsigned q) {
  if (q == VIRTIO_NET_TXQ)
    transmit();
  else if (q == VIRTIO_NET_RXQ)
    flush_backlog();
}

void VirtioNet::transmit() {
  VqChain c;
  std::vector<u8> frame;
  while (pop(VIRTIO_NET_TXQ, c)) {
    // The header says nothing we act on (no offloads were offered).
    if (c.out_len > VIRTIO_NET_HDR_LEN && c.out_len - VIRTIO_NET_HDR_LEN <= VIRTIO_NET_MAX_FRAME) {
      frame.resize(c.out_len - VIRTIO_NET_HDR_LEN);
      if (c.read(dma(), VIRTIO_NET_HDR_LEN, frame.data(), frame.size())) {
        backend_.send(frame.data(), frame.size());
        ++tx_frames_;
      }
    }
    push(VIRTIO_NET_TXQ, c.head, 0);
  }
}

bool VirtioNet::put_frame(const std::vector<u8>& frame) {
  Virtqueue& rx = vq(VIRTIO_NET_RXQ);
  if (!rx.has_available(dma())) return false;
  VqChain c;
  if (!pop(VIRTIO_NET_RXQ, c)) return false;
  const u64 need = VIRTIO_NET_HDR_LEN + frame.size();
  if (c.in_len < need) {
    push(VIRTIO_NET_RXQ, c.head, 0);  // too small a buffer: the frame is dropped
    return true;
  }
  u8 hdr[VIRTIO_NET_HDR_LEN] = {};
  hdr[10] = 1;  // num_buffers
  if (!c.write(dma(), 0, hdr, sizeof hdr) || !c.write(dma(), sizeof hdr, frame.data(), frame.size())) {
    push(VIRTIO_NET_RXQ, c.head, 0);
    return true;
  }
  push(VIRTIO_NET_RXQ, c.head, u32(need));
  ++rx_frames_;
  return true;
}

void VirtioNet::flush_backlog() {
  while (!backlog_.empty() && put_frame(backlog_.front())) backlog_.pop_front();
}

bool VirtioNet::receive(const u8* frame, size_t len) {
  if (!frame || len == 0 || len > VIRTIO_NET_MAX_FRAME) return false;
  std::lock_guard<std::mutex> g(mu_);
  if (!driver_ok() || !vq(VIRTIO_NET_RXQ).enabled || (status_bits() & VIRTIO_STATUS_NEEDS_RESET)) return false;
  if (backlog_.size() >= VIRTIO_NET_BACKLOG) return false;
  backlog_.emplace_back(frame, frame + len);
  flush_backlog();
  return true;
}

}  // namespace lpar::virtio
