// The PHB's own bus enumeration (vof=on): see pci/enumerate.h.
#include <fmt/format.h>

#include "pci/spapr_phb.h"

namespace lpar::pci {

unsigned SpaprPhb::enumerate() {
  std::lock_guard<std::mutex> g(mu_);
  enumerated_ = true;
  return enumerate_locked();
}

unsigned SpaprPhb::enumerate_locked() {
  // Bus addresses of the windows: I/O from 0, the 32-bit window at its bus
  // base, the 64-bit window 1:1 with CPU addresses (the PHB's "ranges").
  BusWindows w;
  w.io_base = 0;
  w.io_size = cfg_.io_win_size;
  w.mem32_base = cfg_.mem32_bus_addr;
  w.mem32_size = cfg_.mem32_win_size;
  w.mem64_base = cfg_.mem64_win_addr;
  w.mem64_size = cfg_.mem64_win_size;
  std::array<PciDevice*, PCI_SLOTS> devs{};
  for (unsigned s = 0; s < PCI_SLOTS; ++s) devs[s] = slots_[s].get();
  unsigned unplaced = 0;
  const std::vector<BarPlacement> placed = place_bars(devs, w, &unplaced);
  for (unsigned s = 0; s < PCI_SLOTS; ++s)
    if (devs[s]) program_function(*devs[s], s, placed);
  return unplaced;
}

int SpaprPhb::emit_function_nodes(const FdtNodeSink& sink, bool reverse) const {
  if (!enumerated_) return 0;
  const std::string phb = fdt_node_name();
  for (unsigned i = 0; i < PCI_SLOTS; ++i) {
    const unsigned s = reverse ? PCI_SLOTS - 1 - i : i;
    const PciDevice* d = slots_[s].get();
    if (!d) continue;
    if (const int err = emit_function_node(sink, phb, s, *d); err < 0) return err;
  }
  return 0;
}

}  // namespace lpar::pci
