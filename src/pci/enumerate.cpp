// BAR placement and programming for the PHB's own enumeration (enumerate.h).
#include "pci/enumerate.h"

#include <algorithm>

namespace lpar::pci {

namespace {

// A bump allocator over one window: each range starts at the next multiple
// of its (power-of-two) size.
class WindowAllocator {
 public:
  WindowAllocator(u64 base, u64 size, u64 start) : base_(base), end_(base + size), next_(base + start) {
    if (end_ < base_) end_ = ~u64{0};  // a window reaching the top of the bus space
    if (start > size) next_ = end_;
  }
  bool take(u64 size, u64& addr) {
    if (size == 0 || (size & (size - 1))) return false;
    const u64 a = (next_ + size - 1) & ~(size - 1);
    if (a < next_ || a > end_ || size > end_ - a) return false;
    addr = a;
    next_ = a + size;
    return true;
  }

 private:
  u64 base_, end_, next_;
};

}  // namespace

std::vector<BarPlacement> place_bars(std::span<PciDevice* const> slots, const BusWindows& w, unsigned* unplaced) {
  std::vector<BarPlacement> want;
  for (unsigned s = 0; s < slots.size(); ++s) {
    if (!slots[s]) continue;
    for (unsigned b = 0; b < PCI_NUM_BARS; ++b) {
      const BarInfo& bi = slots[s]->bar_info(b);
      if (bi.type == BarType::None || bi.size == 0) continue;
      want.push_back(BarPlacement{s, b, bi.type, 0, bi.size});
    }
  }
  // Largest first: with power-of-two sizes every range then starts aligned
  // right after the previous one.  Ties keep slot/BAR order.
  std::stable_sort(want.begin(), want.end(), [](const BarPlacement& a, const BarPlacement& b) { return a.size > b.size; });
  WindowAllocator io(w.io_base, w.io_size, std::min(ENUM_IO_START, w.io_size));
  WindowAllocator m32(w.mem32_base, w.mem32_size, 0);
  WindowAllocator m64(w.mem64_base, w.mem64_size, 0);
  std::vector<BarPlacement> out;
  unsigned missed = 0;
  for (BarPlacement p : want) {
    WindowAllocator& a = p.type == BarType::Io ? io : p.type == BarType::Mem32 ? m32 : m64;
    u64 addr = 0;
    // A 32-bit BAR cannot hold an address at or above 4 GiB.
    if (!a.take(p.size, addr) || (p.type != BarType::Mem64 && addr + p.size - 1 > 0xFFFFFFFFull)) {
      ++missed;
      continue;
    }
    p.bus_addr = addr;
    out.push_back(p);
  }
  std::stable_sort(out.begin(), out.end(), [](const BarPlacement& a, const BarPlacement& b) {
    return a.slot != b.slot ? a.slot < b.slot : a.bar < b.bar;
  });
  if (unplaced) *unplaced = missed;
  return out;
}

void program_function(PciDevice& d, unsigned slot, std::span<const BarPlacement> placements) {
  u16 enable = PCI_COMMAND_MASTER;
  for (const BarPlacement& p : placements) {
    if (p.slot != slot || p.bar >= PCI_NUM_BARS) continue;
    const unsigned off = PCI_BAR0 + 4 * p.bar;
    d.config_write(off, 4, u32(p.bus_addr));
    if (p.type == BarType::Mem64 && p.bar + 1 < PCI_NUM_BARS) d.config_write(off + 4, 4, u32(p.bus_addr >> 32));
    enable |= p.type == BarType::Io ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;
  }
  // Decoding goes on after the BARs hold their final addresses.
  d.config_write(PCI_COMMAND, 2, d.config_read(PCI_COMMAND, 2) | enable);
}

}  // namespace lpar::pci
