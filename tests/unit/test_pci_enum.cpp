// The PHB's own bus enumeration for firmware-less boots (src/pci/enumerate.h):
// BAR placement (window per kind, natural alignment, no overlap), the
// programmed BARs and command register, and the functions' device nodes read
// back with libfdt.  Without enumerate() (SLOF) the PHB stays as it was.
#include <catch2/catch.hpp>

#include <libfdt.h>

#include <array>
#include <cstring>
#include <string>
#include <vector>

#include "papr/guest_memory.h"
#include "papr/tce.h"
#include "pci/enumerate.h"
#include "pci/spapr_phb.h"

using namespace lpar;
using namespace lpar::pci;

namespace {

// Mem32 BAR 0 (MSI-X table + PBA), I/O BAR 1, Mem64 prefetchable BAR 2.
class EnumDev : public PciDevice {
 public:
  EnumDev(u64 mem32 = 0x1000, u64 io = 0x100, u64 mem64 = 0x4000, bool msi = false) {
    set_ids(0x1AF4, 0x1042, 0x010000, 1, 0x1AF4, 0x1100, 1);
    add_bar(0, BarType::Mem32, mem32, false);
    if (io) add_bar(1, BarType::Io, io, false);
    add_bar(2, BarType::Mem64, mem64, true);
    add_msix(3, 0, 0, 0x800);
    if (msi) add_msi(2);
  }
  bool bar_read(unsigned, u64 off, unsigned, u64& v) override {
    v = 0xA5 + off;
    return true;
  }
};

struct Rig {
  std::vector<u8> buf = std::vector<u8>(1 << 20);
  papr::FlatGuestMemory gm{buf.data(), buf.size()};
  papr::TceTables tce{gm};
  SpaprPhb phb{gm, tce, [](u32, bool) {}};
};

u64 bar_reg(const PciDevice& d, unsigned i) {
  u64 v = d.config_read(PCI_BAR0 + 4 * i, 4);
  if (d.bar_info(i).type == BarType::Mem64) v |= u64(d.config_read(PCI_BAR0 + 4 * i + 4, 4)) << 32;
  return v;
}

std::vector<u32> prop_cells(const void* fdt, int node, const char* name) {
  int len = 0;
  const auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, name, &len));
  std::vector<u32> v;
  if (!p) return {~u32{0}};  // absent: a value no test expects
  for (int i = 0; i < len / 4; ++i) v.push_back(fdt32_to_cpu(p[i]));
  return v;
}

std::vector<u8> tree_with(const SpaprPhb& phb, int* phb_node) {
  std::vector<u8> t(64 * 1024);
  REQUIRE(fdt_create_empty_tree(t.data(), int(t.size())) == 0);
  *phb_node = phb.add_fdt_node(t.data(), 0, 0x1111);
  REQUIRE(*phb_node >= 0);
  return t;
}

}  // namespace

TEST_CASE("place_bars: each kind in its window, naturally aligned, largest first", "[pci][enum]") {
  EnumDev a(0x1000, 0x100, 0x4000), b(0x100000, 0x20, 0x10);
  std::array<PciDevice*, 4> slots{&a, nullptr, &b, nullptr};
  BusWindows w{0, 0x10000, 0x80000000, 0x80000000, 0x210000000000, 0x10000000000};
  unsigned missed = 99;
  const auto p = place_bars(slots, w, &missed);
  CHECK(missed == 0);
  REQUIRE(p.size() == 6);
  for (const BarPlacement& x : p) {
    INFO("slot " << x.slot << " bar " << x.bar);
    CHECK(x.bus_addr % x.size == 0);
    if (x.type == BarType::Io) {
      CHECK(x.bus_addr >= ENUM_IO_START);
      CHECK(x.bus_addr + x.size <= 0x10000);
    } else if (x.type == BarType::Mem32) {
      CHECK(x.bus_addr >= 0x80000000);
      CHECK(x.bus_addr + x.size <= 0x100000000);
    } else {
      CHECK(x.type == BarType::Mem64);
      CHECK(x.bus_addr >= 0x210000000000);
    }
    for (const BarPlacement& y : p)
      if (&x != &y && (x.type == BarType::Io) == (y.type == BarType::Io))
        CHECK((x.bus_addr + x.size <= y.bus_addr || y.bus_addr + y.size <= x.bus_addr));
  }
  // Sorted by slot, then BAR; the 1 MiB BAR of slot 2 went first in its window.
  CHECK(p[0].slot == 0);
  CHECK(p[0].bar == 0);
  CHECK(p[3].slot == 2);
  CHECK(p[3].bar == 0);
  CHECK(p[3].bus_addr == 0x80000000);
  CHECK(p[0].bus_addr == 0x80100000);
  CHECK(p[2].bus_addr == 0x210000000000);  // slot 0's 16 KiB Mem64 before slot 2's 16 bytes
  CHECK(p[5].bus_addr == 0x210000004000);
}

TEST_CASE("place_bars: BARs that do not fit stay out and are counted", "[pci][enum]") {
  EnumDev a(0x1000, 0x100, 0x4000), b(0x1000, 0x100, 0x4000);
  std::array<PciDevice*, 2> slots{&a, &b};
  // 32-bit window of one page: the second Mem32 BAR does not fit; no I/O room past 4 KiB.
  BusWindows w{0, 0x1000, 0x80000000, 0x1000, 0x210000000000, 0x10000000000};
  unsigned missed = 0;
  const auto p = place_bars(slots, w, &missed);
  CHECK(missed == 3);
  CHECK(p.size() == 3);
  for (const BarPlacement& x : p) CHECK(x.type != BarType::Io);
}

TEST_CASE("SpaprPhb::enumerate programs BARs and the command register; MMIO reaches them", "[pci][enum]") {
  Rig r;
  REQUIRE(r.phb.add_device(std::make_unique<EnumDev>(), 1) == 1);
  REQUIRE(r.phb.add_device(std::make_unique<EnumDev>(0x10000, 0, 0x100000), 3) == 3);
  CHECK_FALSE(r.phb.enumerated());
  CHECK(r.phb.enumerate() == 0);
  CHECK(r.phb.enumerated());
  const auto& c = r.phb.config();
  for (unsigned s : {1u, 3u}) {
    const PciDevice& d = *r.phb.device(s);
    const u32 cmd = d.config_read(PCI_COMMAND, 2);
    CHECK((cmd & PCI_COMMAND_MEMORY));
    CHECK((cmd & PCI_COMMAND_MASTER));
    CHECK(bool(cmd & PCI_COMMAND_IO) == (s == 1));
    auto m32 = d.bar_decode(0);
    REQUIRE(m32);
    CHECK(m32->bus_addr >= c.mem32_bus_addr);
    CHECK(m32->bus_addr % m32->size == 0);
    auto m64 = d.bar_decode(2);
    REQUIRE(m64);
    CHECK(m64->bus_addr >= c.mem64_win_addr);
    CHECK(m64->bus_addr % m64->size == 0);
    CHECK(bar_reg(d, 2) >> 32 == m64->bus_addr >> 32);
  }
  // An access through the 32-bit window lands in slot 3's BAR 2 at offset 8.
  const auto dec = r.phb.device(3)->bar_decode(2);
  u64 v = 0;
  REQUIRE(r.phb.mmio_read(dec->bus_addr + 8, 1, v));
  CHECK(v == 0xA5 + 8);
  const auto io = r.phb.device(1)->bar_decode(1);
  REQUIRE(io);
  CHECK(io->bus_addr >= ENUM_IO_START);
  REQUIRE(r.phb.mmio_read(c.io_win_addr + io->bus_addr + 4, 1, v));
  CHECK(v == 0xA5 + 4);

  // A system reset clears the BARs; the PHB places them again.
  const u64 before = bar_reg(*r.phb.device(3), 2);
  r.phb.reset();
  CHECK(bar_reg(*r.phb.device(3), 2) == before);
  CHECK((r.phb.device(3)->config_read(PCI_COMMAND, 2) & PCI_COMMAND_MEMORY));
}

TEST_CASE("Without enumerate (SLOF) nothing is placed and the PHB node has no children", "[pci][enum]") {
  Rig r;
  r.phb.add_device(std::make_unique<EnumDev>(), 0);
  CHECK(bar_reg(*r.phb.device(0), 0) == 0);
  CHECK(r.phb.device(0)->config_read(PCI_COMMAND, 2) == 0);
  int node = -1;
  auto t = tree_with(r.phb, &node);
  CHECK(fdt_first_subnode(t.data(), node) == -FDT_ERR_NOTFOUND);
}

TEST_CASE("Enumerated PHB node: a device node per function with the binding's properties", "[pci][enum]") {
  Rig r;
  r.phb.add_device(std::make_unique<EnumDev>(0x1000, 0x100, 0x4000, true), 2);
  r.phb.add_device(std::make_unique<EnumDev>(), 5);
  REQUIRE(r.phb.enumerate() == 0);
  int phb_node = -1;
  auto t = tree_with(r.phb, &phb_node);
  const void* fdt = t.data();

  // Slot order kept in the read-write form.
  int first = fdt_first_subnode(fdt, phb_node);
  REQUIRE(first >= 0);
  CHECK(std::string(fdt_get_name(fdt, first, nullptr)) == "pci1af4,1042@2");
  int second = fdt_next_subnode(fdt, first);
  REQUIRE(second >= 0);
  CHECK(std::string(fdt_get_name(fdt, second, nullptr)) == "pci1af4,1042@5");
  CHECK(fdt_next_subnode(fdt, second) == -FDT_ERR_NOTFOUND);

  const int n = first;
  CHECK(prop_cells(fdt, n, "vendor-id") == std::vector<u32>{0x1AF4});
  CHECK(prop_cells(fdt, n, "device-id") == std::vector<u32>{0x1042});
  CHECK(prop_cells(fdt, n, "revision-id") == std::vector<u32>{1});
  CHECK(prop_cells(fdt, n, "class-code") == std::vector<u32>{0x010000});
  CHECK(prop_cells(fdt, n, "subsystem-id") == std::vector<u32>{0x1100});
  CHECK(prop_cells(fdt, n, "subsystem-vendor-id") == std::vector<u32>{0x1AF4});
  CHECK(prop_cells(fdt, n, "interrupts") == std::vector<u32>{1});
  CHECK(prop_cells(fdt, n, "ibm,req#msi-x") == std::vector<u32>{3});
  CHECK(prop_cells(fdt, n, "ibm,req#msi") == std::vector<u32>{4});
  CHECK(prop_cells(fdt, second, "ibm,req#msi") == std::vector<u32>{~u32{0}});  // absent: no MSI capability
  CHECK(prop_cells(fdt, n, "#address-cells") == std::vector<u32>{3});
  CHECK(prop_cells(fdt, n, "#size-cells") == std::vector<u32>{2});
  CHECK(fdt_getprop(fdt, n, "device_type", nullptr) == nullptr);  // a bridge would say "pci"
  int len = 0;
  const char* compat = static_cast<const char*>(fdt_getprop(fdt, n, "compatible", &len));
  REQUIRE(compat);
  CHECK(std::string(compat) == "pci1af4,1042");
  CHECK(std::string(compat + std::strlen(compat) + 1) == "pciclass,010000");
  CHECK(std::string(static_cast<const char*>(fdt_getprop(fdt, n, "name", nullptr))) == "pci1af4,1042");

  // reg: config space of device 2 (phys.hi 0x00001000), then the three BARs
  // with their space codes and register offsets, relocatable, size only.
  const u32 dev = 2 << 11;
  CHECK(prop_cells(fdt, n, "reg") == std::vector<u32>{dev, 0, 0, 0, 0,                              //
                                                       0x02000000 | dev | 0x10, 0, 0, 0, 0x1000,   // Mem32 BAR0
                                                       0x01000000 | dev | 0x14, 0, 0, 0, 0x100,    // I/O BAR1
                                                       0x43000000 | dev | 0x18, 0, 0, 0, 0x4000});  // Mem64 pf BAR2
  // assigned-addresses: n set, the bus addresses the BARs now hold.
  const PciDevice& d = *r.phb.device(2);
  const u64 a0 = bar_reg(d, 0) & ~u64{0xF}, a1 = bar_reg(d, 1) & ~u64{3}, a2 = bar_reg(d, 2) & ~u64{0xF};
  CHECK(a0 >= 0x80000000);
  CHECK(prop_cells(fdt, n, "assigned-addresses") ==
        std::vector<u32>{0x82000000 | dev | 0x10, 0, u32(a0), 0, 0x1000,  //
                         0x81000000 | dev | 0x14, 0, u32(a1), 0, 0x100,   //
                         0xC3000000 | dev | 0x18, u32(a2 >> 32), u32(a2), 0, 0x4000});
}

TEST_CASE("Enumerated PHB node in the sequential-write form matches", "[pci][enum]") {
  Rig r;
  r.phb.add_device(std::make_unique<EnumDev>(), 0);
  r.phb.add_device(std::make_unique<EnumDev>(), 7);
  r.phb.enumerate();
  std::vector<u8> t(64 * 1024);
  REQUIRE(fdt_create(t.data(), int(t.size())) == 0);
  REQUIRE(fdt_finish_reservemap(t.data()) == 0);
  REQUIRE(fdt_begin_node(t.data(), "") == 0);
  REQUIRE(r.phb.write_fdt_node(t.data(), 0x1111) == 0);
  REQUIRE(fdt_end_node(t.data()) == 0);
  REQUIRE(fdt_finish(t.data()) == 0);
  const int phb = fdt_path_offset(t.data(), "/pci@800000020000000");
  REQUIRE(phb >= 0);
  const int a = fdt_subnode_offset(t.data(), phb, "pci1af4,1042@0");
  const int b = fdt_subnode_offset(t.data(), phb, "pci1af4,1042@7");
  REQUIRE(a >= 0);
  REQUIRE(b >= 0);
  CHECK(prop_cells(t.data(), b, "reg")[0] == (7u << 11));
  CHECK(prop_cells(t.data(), a, "assigned-addresses").size() == 15);
}
