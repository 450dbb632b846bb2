// TCE tables: the DMA translation of the sPAPR I/O windows (LoPAPR 1.1 chapter 14
// "Translation Control Entry Access": H_PUT_TCE, H_GET_TCE, H_STUFF_TCE,
// H_PUT_TCE_INDIRECT).  Each window is named by a LIOBN and maps I/O bus
// addresses [bus_offset, bus_offset + size) in pages of 1 << page_shift; an
// entry is the real page number plus read (bit 63) and write (bit 62) rights.
//
// Checks follow KVM (book3s_64_vio.c), the stricter of the two
// implementations: the IOBA must be page aligned and inside the window, and a
// TCE granting access must have no reserved bits and name guest memory.
// Thread-safe (one lock; DMA from device threads and hcalls from vCPUs).
#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "papr/guest_memory.h"

namespace lpar::papr {

inline constexpr uint64_t TCE_READ = 1;   // TCE_PCI_READ
inline constexpr uint64_t TCE_WRITE = 2;  // TCE_PCI_WRITE
inline constexpr unsigned TCE_PAGE_SHIFT = 12;
// H_PUT_TCE_INDIRECT takes at most one 4 KiB page of TCEs.
inline constexpr uint64_t TCE_INDIRECT_MAX = 512;
// The default DMA window of the first PHB, as QEMU creates it (the
// ibm,dma-window of /pci@800000020000000): LIOBN 0x80000000, 1 GiB at bus 0.
inline constexpr uint32_t PHB0_LIOBN = 0x80000000;
inline constexpr uint64_t PHB_DMA_WINDOW_SIZE = uint64_t{1} << 30;

class TceTables {
 public:
  explicit TceTables(GuestMemory& gm) : gm_(gm) {}

  // Create a window (entries zero: no access).  False if the LIOBN exists, the
  // page shift is not 12..30, or the size is not a non-zero multiple of the page.
  bool add_window(uint32_t liobn, uint64_t bus_offset, uint64_t size, unsigned page_shift = TCE_PAGE_SHIFT);
  bool remove_window(uint32_t liobn);
  bool has_window(uint32_t liobn);

  long h_put_tce(uint64_t liobn, uint64_t ioba, uint64_t tce);
  long h_get_tce(uint64_t liobn, uint64_t ioba, uint64_t& tce);
  long h_stuff_tce(uint64_t liobn, uint64_t ioba, uint64_t tce, uint64_t npages);
  // tce_list: guest address of npages big-endian TCEs (4 KiB aligned,
  // npages <= 512).  All are checked before any is written.
  long h_put_tce_indirect(uint64_t liobn, uint64_t ioba, uint64_t tce_list, uint64_t npages);

  // For devices: the guest address bus address ioba maps to, if the entry
  // grants the access (write: device writes to memory).
  std::optional<uint64_t> translate(uint32_t liobn, uint64_t ioba, bool write);

 private:
  struct Window {
    uint64_t bus_offset;
    unsigned page_shift;
    std::vector<uint64_t> table;
  };
  Window* find(uint64_t liobn);
  // Index of the first of npages entries at ioba, or -1 (H_PARAMETER).
  static int64_t index_of(const Window& w, uint64_t ioba, uint64_t npages);
  bool tce_ok(const Window& w, uint64_t tce);

  GuestMemory& gm_;
  std::mutex mu_;
  std::map<uint32_t, Window> windows_;
};

}  // namespace lpar::papr
