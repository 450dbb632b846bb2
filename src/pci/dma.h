// Bus-master DMA as a PCI function sees it: reads and writes of bus
// addresses, each checked, never a host pointer handed out.  Two spaces:
// - DirectDma: bus address = guest physical address (virtio devices that did
//   not negotiate VIRTIO_F_ACCESS_PLATFORM, as QEMU's virtio on pseries and
//   Linux's virtio_ring without the DMA API);
// - TceDma: through the PHB's TCE table (LoPAPR 1.1 14.5.4.2), page by page,
//   with the read/write rights of each entry.
// Called per request, not per guest instruction.
#pragma once
#include <cstdint>

#include "papr/guest_memory.h"
#include "papr/tce.h"

namespace lpar::pci {

class DmaSpace {
 public:
  virtual ~DmaSpace() = default;
  // false: some byte is not accessible (nothing or part may have been copied).
  virtual bool read(uint64_t addr, void* dst, uint64_t len) = 0;
  virtual bool write(uint64_t addr, const void* src, uint64_t len) = 0;
};

class DirectDma final : public DmaSpace {
 public:
  explicit DirectDma(papr::GuestMemory& gm) : gm_(gm) {}
  bool read(uint64_t addr, void* dst, uint64_t len) override;
  bool write(uint64_t addr, const void* src, uint64_t len) override;

 private:
  papr::GuestMemory& gm_;
};

class TceDma final : public DmaSpace {
 public:
  TceDma(papr::TceTables& tce, uint32_t liobn, papr::GuestMemory& gm) : tce_(tce), liobn_(liobn), gm_(gm) {}
  bool read(uint64_t addr, void* dst, uint64_t len) override;
  bool write(uint64_t addr, const void* src, uint64_t len) override;

 private:
  papr::TceTables& tce_;
  uint32_t liobn_;
  papr::GuestMemory& gm_;
};

}  // namespace lpar::pci
