// virtio-blk (virtio 1.0 section 5.2) over a raw image file: reads, writes,
// flushes (fdatasync, so a completed VIRTIO_BLK_T_FLUSH is on the disk) and
// the device id.  The image is opened read-write unless read_only; it is
// synced and closed when the device is destroyed, so a clean power-off or a
// SIGTERM that unwinds the machine loses nothing the guest wrote.
// Requests are served synchronously on the notifying thread (the vCPU or the
// hypervisor's IO bus), as QEMU does without an iothread.
#pragma once
#include <memory>
#include <string>

#include "virtio/virtio_pci.h"

namespace lpar::virtio {

inline constexpr u64 VIRTIO_BLK_F_SEG_MAX = u64{1} << 2, VIRTIO_BLK_F_RO = u64{1} << 5,
                     VIRTIO_BLK_F_BLK_SIZE = u64{1} << 6, VIRTIO_BLK_F_FLUSH = u64{1} << 9;
inline constexpr u32 VIRTIO_BLK_T_IN = 0, VIRTIO_BLK_T_OUT = 1, VIRTIO_BLK_T_FLUSH = 4,
                     VIRTIO_BLK_T_GET_ID = 8;
inline constexpr u8 VIRTIO_BLK_S_OK = 0, VIRTIO_BLK_S_IOERR = 1, VIRTIO_BLK_S_UNSUPP = 2;
inline constexpr u64 VIRTIO_BLK_SECTOR = 512;
inline constexpr u32 VIRTIO_BLK_ID_BYTES = 20;

struct VirtioBlkOptions {
  std::string path;
  bool read_only = false;
  // Take an open-file-description lock on the whole image (a shared one when
  // read-only), as QEMU does: a second writer, in this process or another,
  // is refused instead of corrupting the image.
  bool locking = true;
  std::string serial = "lpar-virtio-blk";  // GET_ID (at most 20 bytes)
  u16 queue_size = 256;
  bool iommu_platform = false;
};

class VirtioBlk final : public VirtioPciDevice {
 public:
  // nullptr with *err set if the image cannot be opened.
  static std::unique_ptr<VirtioBlk> open(const VirtioBlkOptions& opt, VirtioDma dma, std::string* err = nullptr);
  ~VirtioBlk() override;

  u64 capacity_sectors() const { return sectors_; }
  // fdatasync the image (also done on destruction).
  bool sync();

 protected:
  u64 device_features() const override;
  std::vector<u8> device_config() const override;
  void queue_notify(unsigned q) override;

 private:
  VirtioBlk(int fd, u64 sectors, const VirtioBlkOptions& opt, VirtioDma dma);
  // One request; returns the bytes written into the driver's buffers.
  u32 handle(const VqChain& c);
  u8 do_read(const VqChain& c, u64 sector, u64 len);
  u8 do_write(const VqChain& c, u64 sector, u64 len);

  int fd_;
  u64 sectors_;
  bool read_only_;
  std::string serial_;
  u16 seg_max_;
  std::vector<u8> buf_;  // the bounce buffer between guest memory and the file
};

}  // namespace lpar::virtio
