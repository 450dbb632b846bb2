// The PHB's device-tree node (LoPAPR 1.1 appendix C; PCI Bus Binding to IEEE
// 1275: 3 address cells phys.hi/mid/lo, 2 size cells), with the values of
// QEMU's /pci@800000020000000 minus what lpar does not have (DRCs, DDW,
// qemu,phb-enumerated: SLOF enumerates the bus itself).  After the PHB's
// own enumeration (vof=on) the functions' nodes follow (function_fdt.cpp).
// MSI needs only
// the RTAS tokens (the /rtas node), "ibm,req#msi(-x)" on the device nodes
// (SLOF's pci-properties.fs makes them from the capabilities) and the
// PE's total here.
#include <libfdt.h>

#include <functional>
#include <string>
#include <vector>

#include "pci/spapr_phb.h"

namespace lpar::pci {

namespace {

// phys.hi space codes (PCI Bus Binding 2.2.1.1).
constexpr u32 SS_IO = 0x01000000, SS_MEM32 = 0x02000000, SS_MEM64 = 0x03000000;

using Prop = std::function<int(const char* name, const void* data, int len)>;

int emit(const SpaprPhbConfig& c, u32 xics_phandle, const Prop& prop) {
  int err = 0;
  auto bytes = [&](const char* n, const void* d, size_t len) {
    if (!err) err = prop(n, d, int(len));
  };
  auto str = [&](const char* n, const char* s) { bytes(n, s, std::char_traits<char>::length(s) + 1); };
  auto cells = [&](const char* n, const std::vector<u32>& v) {
    std::vector<fdt32_t> be(v.size());
    for (size_t i = 0; i < v.size(); ++i) be[i] = cpu_to_fdt32(v[i]);
    bytes(n, be.data(), be.size() * 4);
  };
  auto hi = [](u64 v) { return u32(v >> 32); };
  auto lo = [](u64 v) { return u32(v); };

  str("device_type", "pci");
  str("compatible", "IBM,Logical_PHB");
  cells("#address-cells", {3});
  cells("#size-cells", {2});
  cells("#interrupt-cells", {1});
  bytes("used-by-rtas", nullptr, 0);
  cells("bus-range", {0, 0xFF});
  cells("reg", {hi(c.buid), lo(c.buid), 0, 0});
  // Extended (4 KiB) config space addressing in the RTAS calls.
  cells("ibm,pci-config-space-type", {1});
  // child (phys.hi, 64-bit bus address), parent (2 cells), size (2 cells).
  cells("ranges", {SS_IO, 0, 0, hi(c.io_win_addr), lo(c.io_win_addr), hi(c.io_win_size), lo(c.io_win_size),
                   SS_MEM32, hi(c.mem32_bus_addr), lo(c.mem32_bus_addr), hi(c.mem32_win_addr),
                   lo(c.mem32_win_addr), hi(c.mem32_win_size), lo(c.mem32_win_size),
                   SS_MEM64, hi(c.mem64_win_addr), lo(c.mem64_win_addr), hi(c.mem64_win_addr),
                   lo(c.mem64_win_addr), hi(c.mem64_win_size), lo(c.mem64_win_size)});
  cells("ibm,#dma-address-cells", {2});
  cells("ibm,#dma-size-cells", {2});
  cells("ibm,dma-window", {c.liobn, 0, 0, hi(c.dma_window_size), lo(c.dma_window_size)});
  // INTx: unit address device bits and the pin select the entry.
  cells("interrupt-map-mask", {0xF800, 0, 0, 0xFFFFFFFF});
  std::vector<u32> map;
  map.reserve(PCI_SLOTS * PCI_INTX_LINES * 7);
  for (u32 slot = 0; slot < PCI_SLOTS; ++slot)
    for (u32 pin = 1; pin <= PCI_INTX_LINES; ++pin) {
      const u32 irq = c.lsi_base + (slot + pin - 1) % PCI_INTX_LINES;
      map.insert(map.end(), {slot << 11, 0, 0, pin, xics_phandle, irq, 1 /* level */});
    }
  cells("interrupt-map", map);
  // The MSIs the bridge's devices share: Linux's pseries msi.c divides
  // this quota among them (and without it falls back on EEH's PE).
  cells("ibm,pe-total-#msi", {c.msi_count});
  return err;
}

}  // namespace

int SpaprPhb::write_fdt_node(void* fdt, u32 xics_phandle) const {
  int err = fdt_begin_node(fdt, fdt_node_name().c_str());
  if (err) return err;
  err = emit(cfg_, xics_phandle,
             [&](const char* n, const void* d, int len) { return fdt_property(fdt, n, d, len); });
  if (err) return err;
  // The functions' nodes (only after enumerate(); properties precede subnodes).
  FdtNodeSink sink{[&](const char* n) { return fdt_begin_node(fdt, n); },
                   [&](const char* n, const void* d, int len) { return fdt_property(fdt, n, d, len); },
                   [&] { return fdt_end_node(fdt); }};
  if ((err = emit_function_nodes(sink, false)) < 0) return err;
  return fdt_end_node(fdt);
}

int SpaprPhb::add_fdt_node(void* fdt, int parent, u32 xics_phandle) const {
  const int node = fdt_add_subnode(fdt, parent, fdt_node_name().c_str());
  if (node < 0) return node;
  int err = emit(cfg_, xics_phandle,
                 [&](const char* n, const void* d, int len) { return fdt_setprop(fdt, node, n, d, len); });
  if (err) return err;
  int child = -1;
  FdtNodeSink sink{[&](const char* n) { return child = fdt_add_subnode(fdt, node, n); },
                   [&](const char* n, const void* d, int len) { return fdt_setprop(fdt, child, n, d, len); },
                   [] { return 0; }};
  if ((err = emit_function_nodes(sink, true)) < 0) return err;
  return node;
}

}  // namespace lpar::pci
