// virtio-net (virtio 1.0 section 5.1): queue 0 receives, queue 1 transmits;
// no control queue, no offloads, no mergeable buffers.  Every frame carries
// the 12-byte struct virtio_net_hdr of VERSION_1 (5.1.6), zero but for
// num_buffers = 1 on receive.  Frames arriving while the driver has no
// receive buffer wait in a bounded backlog and go out on the next rx kick.
#pragma once
#include <array>
#include <deque>
#include <memory>
#include <vector>

#include "virtio/net_backend.h"
#include "virtio/virtio_pci.h"

namespace lpar::virtio {

inline constexpr u64 VIRTIO_NET_F_MAC = u64{1} << 5, VIRTIO_NET_F_STATUS = u64{1} << 16;
inline constexpr u16 VIRTIO_NET_S_LINK_UP = 1;
inline constexpr unsigned VIRTIO_NET_HDR_LEN = 12;
inline constexpr unsigned VIRTIO_NET_RXQ = 0, VIRTIO_NET_TXQ = 1;
inline constexpr size_t VIRTIO_NET_BACKLOG = 256;
inline constexpr size_t VIRTIO_NET_MAX_FRAME = 65536;

struct VirtioNetOptions {
  std::array<u8, 6> mac{0x52, 0x54, 0x00, 0x12, 0x34, 0x56};  // QEMU's default
  u16 queue_size = 256;
  bool iommu_platform = false;
};

class VirtioNet final : public VirtioPciDevice {
 public:
  // The backend must outlive the device (the device removes itself as its
  // receiver on destruction).
  VirtioNet(NetBackend& backend, const VirtioNetOptions& opt, VirtioDma dma);
  ~VirtioNet() override;

  // A frame for the guest (backend thread).  false: dropped (driver not
  // ready, or the backlog is full).
  bool receive(const u8* frame, size_t len);
  size_t backlog() ;
  u64 tx_frames() const { return tx_frames_; }
  u64 rx_frames() const { return rx_frames_; }

 protected:
  u64 device_features() const override;
  std::vector<u8> device_config() const override;
  void queue_notify(unsigned q) override;
  void device_reset() override;

 private:
  void transmit();
  // Delivers backlog frames while the driver has buffers (mu_ held).
  void flush_backlog();
  bool put_frame(const std::vector<u8>& frame);

  NetBackend& backend_;
  VirtioNetOptions opt_;
  std::deque<std::vector<u8>> backlog_;
  u64 tx_frames_ = 0, rx_frames_ = 0;
};

}  // namespace lpar::virtio
