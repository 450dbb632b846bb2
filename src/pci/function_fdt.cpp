// A PCI function's device node, written by the PHB when it enumerated the
// bus itself (enumerate.h; PCI Bus Binding to IEEE 1275 rev 2.1 2.5,
// LoPAPR 1.1 appendix C).
#include <fmt/format.h>
#include <libfdt.h>

#include <vector>

#include "pci/enumerate.h"

namespace lpar::pci {

namespace {

u32 space_code(const BarInfo& b) {
  switch (b.type) {
    case BarType::Io: return PHYS_HI_SS_IO;
    case BarType::Mem32: return PHYS_HI_SS_MEM32 | (b.prefetch ? PHYS_HI_P : 0);
    case BarType::Mem64: return PHYS_HI_SS_MEM64 | (b.prefetch ? PHYS_HI_P : 0);
    case BarType::None: break;
  }
  return 0;
}

// Where BAR i points now (0: not placed), from the register itself.
u64 bar_address(const PciDevice& d, unsigned i) {
  const BarInfo& b = d.bar_info(i);
  const unsigned off = PCI_BAR0 + 4 * i;
  u64 a = d.config_read(off, 4);
  if (b.type == BarType::Mem64 && i + 1 < PCI_NUM_BARS) a |= u64(d.config_read(off + 4, 4)) << 32;
  return a & (b.type == BarType::Io ? ~u64{3} : ~u64{0xF});
}

}  // namespace

std::string function_node_name(const PciDevice& d) {
  return fmt::format("pci{:x},{:x}", d.config_read(PCI_VENDOR_ID, 2), d.config_read(PCI_DEVICE_ID, 2));
}

int emit_function_node(const FdtNodeSink& sink, const std::string& phb_name, unsigned slot, const PciDevice& d) {
  const std::string name = function_node_name(d);
  // Unit address: the device number (function 0 only, binding 2.2.1.3).
  int err = sink.begin(fmt::format("{}@{:x}", name, slot).c_str());
  if (err < 0) return err;
  err = 0;
  auto bytes = [&](const char* n, const void* p, size_t len) {
    if (!err) err = sink.prop(n, p, int(len));
  };
  auto str = [&](const char* n, const std::string& s) { bytes(n, s.c_str(), s.size() + 1); };
  auto cells = [&](const char* n, const std::vector<u32>& v) {
    std::vector<fdt32_t> be(v.size());
    for (size_t i = 0; i < v.size(); ++i) be[i] = cpu_to_fdt32(v[i]);
    bytes(n, be.data(), be.size() * 4);
  };
  auto cell = [&](const char* n, u32 v) { cells(n, {v}); };
  auto cfg = [&](unsigned off, unsigned size) { return d.config_read(off, size); };

  cell("vendor-id", cfg(PCI_VENDOR_ID, 2));
  cell("device-id", cfg(PCI_DEVICE_ID, 2));
  cell("revision-id", cfg(PCI_REVISION_ID, 1));
  cell("class-code", cfg(PCI_CLASS_PROG, 1) | cfg(PCI_CLASS_PROG + 1, 2) << 8);
  if (const u32 ss = cfg(PCI_SUBSYSTEM_ID, 2)) cell("subsystem-id", ss);
  if (const u32 sv = cfg(PCI_SUBSYSTEM_VENDOR_ID, 2)) cell("subsystem-vendor-id", sv);
  // INTx: the pin, which the PHB's interrupt-map translates with reg's
  // device number.
  if (const u32 pin = cfg(PCI_INTERRUPT_PIN, 1)) cell("interrupts", pin);
  cell("cache-line-size", cfg(PCI_CACHE_LINE_SIZE, 1));
  // "name" spelled out: there is no firmware to derive it from the path.
  str("name", name);
  const std::string klass = fmt::format("pciclass,{:06x}", cfg(PCI_CLASS_PROG, 1) | cfg(PCI_CLASS_PROG + 1, 2) << 8);
  std::string compat = name;
  compat.push_back('\0');
  compat += klass;
  bytes("compatible", compat.c_str(), compat.size() + 1);
  str("ibm,loc-code", fmt::format("{}:00:{:02x}.0", phb_name, slot));
  cell("#address-cells", 3);
  cell("#size-cells", 2);
  if (const unsigned n = d.msix_vectors()) cell("ibm,req#msi-x", n);
  if (const unsigned n = d.msi_vectors()) cell("ibm,req#msi", n);

  const u32 devfn_hi = phys_hi(0, slot, 0, 0);
  std::vector<u32> reg{devfn_hi, 0, 0, 0, 0};  // config space: relocatable, size 0
  std::vector<u32> assigned;
  for (unsigned i = 0; i < PCI_NUM_BARS; ++i) {
    const BarInfo& b = d.bar_info(i);
    if (b.type == BarType::None || b.size == 0) continue;
    const u32 hi = devfn_hi | space_code(b) | (PCI_BAR0 + 4 * i);
    const u32 sz_hi = u32(b.size >> 32), sz_lo = u32(b.size);
    reg.insert(reg.end(), {hi, 0, 0, sz_hi, sz_lo});
    if (const u64 a = bar_address(d, i))
      assigned.insert(assigned.end(), {hi | PHYS_HI_N, u32(a >> 32), u32(a), sz_hi, sz_lo});
  }
  cells("reg", reg);
  cells("assigned-addresses", assigned);
  if (err < 0) return err;
  return sink.end();
}

}  // namespace lpar::pci
