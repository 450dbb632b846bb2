// The virtio 1.0 PCI transport (virtio 1.0 section 4.1), modern only: vendor
// 0x1AF4, device 0x1040 + virtio device id, revision 1, and the four
// vendor-specific capabilities pointing into one 64-bit prefetchable BAR 4
// of 16 KiB laid out as QEMU lays it out:
//   0x0000 common configuration (4.1.4.3)
//   0x1000 ISR status (4.1.4.5; reading clears it and lowers INTx)
//   0x2000 device-specific configuration
//   0x3000 notifications, queue q at 0x3000 + 4 q (notify_off_multiplier 4)
// and, as QEMU, an MSI-X capability (PCI 3.0 6.8.2; pci/pci_device.h) with
// num_queues + 1 vectors (one per queue plus configuration changes, as
// Linux's virtio_pci asks first) whose table (0x000) and PBA (0x800) sit
// in a 4 KiB 32-bit BAR 1.
// SLOF's libvirtio and Linux's virtio_pci_modern both drive this layout.
// The notify stores are served in the hypervisor (bar_write_fast) when the
// machine registers SpaprPhb::io_bus_devices(); they also work on the exit path.
//
// Interrupts (4.1.5.3 virtqueue, 4.1.5.4 configuration change): the ISR bit
// is always set; with MSI-X disabled INTx follows the ISR; with MSI-X
// enabled the event's vector (msix_config, queue_msix_vector, 4.1.4.3) is
// signalled, or nothing if it is VIRTIO_MSI_NO_VECTOR.  A vector beyond the
// table reads back as NO_VECTOR (4.1.5.1.2.1), reset unmaps every event.
// DMA goes to guest physical addresses unless
// the driver accepts VIRTIO_F_ACCESS_PLATFORM (offered only with
// iommu_platform), then through the PHB's TCE window.
//
// Each device has one lock (all register accesses, queue processing and
// backend deliveries take it); subclasses' hooks run with it held.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "pci/dma.h"
#include "pci/pci_device.h"
#include "virtio/virtqueue.h"

namespace lpar::virtio {

inline constexpr u16 VIRTIO_PCI_VENDOR = 0x1AF4;
inline constexpr u16 VIRTIO_PCI_DEVICE_MODERN_BASE = 0x1040;
inline constexpr u16 VIRTIO_ID_NET = 1, VIRTIO_ID_BLOCK = 2;

// Device status bits (2.1).
inline constexpr u8 VIRTIO_STATUS_ACKNOWLEDGE = 1, VIRTIO_STATUS_DRIVER = 2, VIRTIO_STATUS_DRIVER_OK = 4,
                    VIRTIO_STATUS_FEATURES_OK = 8, VIRTIO_STATUS_NEEDS_RESET = 0x40,
                    VIRTIO_STATUS_FAILED = 0x80;
// Reserved feature bits (6).
inline constexpr u64 VIRTIO_F_VERSION_1 = u64{1} << 32;
inline constexpr u64 VIRTIO_F_ACCESS_PLATFORM = u64{1} << 33;
inline constexpr u16 VIRTIO_MSI_NO_VECTOR = 0xFFFF;

// The BAR layout.
inline constexpr unsigned VIRTIO_BAR = 4;
inline constexpr u64 VIRTIO_BAR_SIZE = 0x4000;
inline constexpr unsigned VIRTIO_MSIX_BAR = 1;
inline constexpr u64 VIRTIO_MSIX_BAR_SIZE = 0x1000;
inline constexpr u32 VIRTIO_MSIX_TABLE_OFF = 0x000, VIRTIO_MSIX_PBA_OFF = 0x800;
inline constexpr u64 VIRTIO_COMMON_OFF = 0x0000, VIRTIO_ISR_OFF = 0x1000, VIRTIO_DEVICE_OFF = 0x2000,
                     VIRTIO_NOTIFY_OFF = 0x3000, VIRTIO_REGION_SIZE = 0x1000;
inline constexpr u32 VIRTIO_NOTIFY_MULTIPLIER = 4;

// Common configuration offsets (4.1.4.3).
enum CommonCfg : unsigned {
  COMMON_DFSELECT = 0x00, COMMON_DF = 0x04, COMMON_GFSELECT = 0x08, COMMON_GF = 0x0C,
  COMMON_MSIX = 0x10, COMMON_NUMQ = 0x12, COMMON_STATUS = 0x14, COMMON_CFGGENERATION = 0x15,
  COMMON_Q_SELECT = 0x16, COMMON_Q_SIZE = 0x18, COMMON_Q_MSIX = 0x1A, COMMON_Q_ENABLE = 0x1C,
  COMMON_Q_NOFF = 0x1E, COMMON_Q_DESCLO = 0x20, COMMON_Q_DESCHI = 0x24, COMMON_Q_AVAILLO = 0x28,
  COMMON_Q_AVAILHI = 0x2C, COMMON_Q_USEDLO = 0x30, COMMON_Q_USEDHI = 0x34, COMMON_SIZE = 0x38,
};

struct VirtioDma {
  pci::DmaSpace* direct = nullptr;  // guest physical (required)
  pci::DmaSpace* iommu = nullptr;   // the PHB's TCE window (for ACCESS_PLATFORM)
};

class VirtioPciDevice : public pci::PciDevice {
 public:
  VirtioPciDevice(u16 virtio_id, u32 class_code, unsigned num_queues, u16 queue_size, VirtioDma dma,
                  bool iommu_platform = false);

  bool bar_read(unsigned bar, u64 off, unsigned len, u64& value) override;
  bool bar_write(unsigned bar, u64 off, unsigned len, u64 value) override;
  bool bar_write_fast(unsigned bar, u64 off, unsigned len, u64 value) override;
  void reset() override;

  // Inspection (tests, logging).
  u8 status();
  u64 driver_features();
  u64 notifications() const { return notifications_; }

 protected:
  // Feature bits of the device type (the transport adds VERSION_1 and,
  // with iommu_platform, ACCESS_PLATFORM).
  virtual u64 device_features() const = 0;
  // The device-specific configuration bytes (read-only here).
  virtual std::vector<u8> device_config() const = 0;
  // The driver kicked queue q (mu_ held).
  virtual void queue_notify(unsigned q) = 0;
  // Device reset by the driver or the system (mu_ held).
  virtual void device_reset() {}

  // For subclasses, with mu_ held.
  pci::DmaSpace& dma();
  Virtqueue& vq(unsigned q) { return queues_[q]; }
  unsigned num_queues() const { return unsigned(queues_.size()); }
  bool driver_ok() const { return status_ & VIRTIO_STATUS_DRIVER_OK; }
  u8 status_bits() const { return status_; }
  // Pops a chain; a malformed queue puts the device in NEEDS_RESET (false).
  bool pop(unsigned q, VqChain& chain);
  // Returns a chain (len bytes written) and interrupts the driver unless it
  // suppressed that.
  void push(unsigned q, u16 head, u32 len);
  void needs_reset();

  std::mutex mu_;

 private:
  u64 offered_features() const;
  u64 common_read(unsigned off, unsigned len);
  void common_write(unsigned off, unsigned len, u64 value);
  void common_field_write(unsigned field, u64 value);
  u64 common_field(unsigned field);
  void notify(unsigned q);
  // Sets ISR bits and interrupts the driver: vector through MSI-X when
  // enabled, else INTx.
  void raise_isr(u8 bits, u16 vector);
  u16 map_vector(u64 v) const;
  void do_reset();

  VirtioDma dma_;
  bool iommu_platform_;
  std::vector<Virtqueue> queues_;
  u32 dfselect_ = 0, gfselect_ = 0;
  u64 driver_features_ = 0;
  u8 status_ = 0;
  u8 isr_ = 0;
  u8 config_generation_ = 0;
  u16 queue_select_ = 0;
  u16 msix_config_ = VIRTIO_MSI_NO_VECTOR;
  std::vector<u16> queue_vector_;
  u64 notifications_ = 0;
};

}  // namespace lpar::virtio
