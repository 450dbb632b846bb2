// The sPAPR PHB (src/pci): config space through the RTAS call encoding, the
// BAR sizing protocol, MMIO routing through the windows, INTx to the XICS
// numbers of the interrupt-map, TCE DMA and the device-tree node.
#include <catch2/catch.hpp>

#include <libfdt.h>

#include <cstring>
#include <map>
#include <vector>

#include "hv/io_bus.h"
#include "papr/guest_memory.h"
#include "papr/rtas.h"
#include "papr/tce.h"
#include "pci/spapr_phb.h"
#include "pci_test_util.h"

using namespace lpar;
using namespace lpar::pci;

namespace {

constexpr u64 MEM = 1 << 20;
constexpr u64 ARGS = 0x1000;

// A function with one BAR of each kind; BAR reads return a pattern and
// writes are recorded.
class TestDev : public PciDevice {
 public:
  explicit TestDev(u8 pin = 1) {
    set_ids(0x1234, 0x5678, 0x0200AB, 3, 0x1AF4, 0x1100, pin);
    add_bar(0, BarType::Mem32, 0x1000, false);
    add_bar(1, BarType::Io, 0x100, false);
    add_bar(2, BarType::Mem64, 0x4000, true);
    add_capability(0x09, 8);
  }
  bool bar_read(unsigned bar, u64 off, unsigned len, u64& v) override {
    v = 0x1122334455667788ull >> (8 * (8 - len));
    last_bar = bar, last_off = off;
    return true;
  }
  bool bar_write(unsigned bar, u64 off, unsigned len, u64 v) override {
    last_bar = bar, last_off = off, last_val = v, last_len = len;
    return true;
  }
  unsigned last_bar = 99, last_len = 0;
  u64 last_off = 0, last_val = 0;
};

struct Rig {
  std::vector<u8> buf = std::vector<u8>(MEM);
  papr::FlatGuestMemory gm{buf.data(), MEM};
  papr::TceTables tce{gm};
  std::map<u32, bool> irq;
  SpaprPhb phb{gm, tce, [this](u32 n, bool l) { irq[n] = l; }};

  static u32 addr(unsigned slot, unsigned reg) { return (slot << 11) | (reg & 0xFF) | ((reg & 0xF00) << 20); }

  // An RTAS call through a guest argument buffer, as the blob passes it.
  std::vector<u32> call(u32 token, std::vector<u32> args, u32 nret) {
    return test::phb_rtas_call(gm, phb, ARGS, token, args, nret);
  }
  std::pair<int32_t, u32> read(unsigned slot, unsigned reg, u32 size) {
    auto r = call(papr::RTAS_IBM_READ_PCI_CONFIG, {addr(slot, reg), u32(SPAPR_PHB0_BUID >> 32), u32(SPAPR_PHB0_BUID), size}, 2);
    return {int32_t(r[0]), r[1]};
  }
  int32_t write(unsigned slot, unsigned reg, u32 size, u32 v) {
    auto r = call(papr::RTAS_IBM_WRITE_PCI_CONFIG,
                  {addr(slot, reg), u32(SPAPR_PHB0_BUID >> 32), u32(SPAPR_PHB0_BUID), size, v}, 1);
    return int32_t(r[0]);
  }
};

}  // namespace

TEST_CASE("PHB config space through the RTAS calls", "[pci]") {
  Rig r;
  REQUIRE(r.phb.add_device(std::make_unique<TestDev>()) == 0);
  REQUIRE(r.phb.add_device(std::make_unique<TestDev>(), 3) == 3);
  REQUIRE(r.phb.add_device(std::make_unique<TestDev>(), 3) == -1);  // taken
  REQUIRE(r.phb.add_device(std::make_unique<TestDev>(), 32) == -1);

  CHECK(r.read(0, 0, 4) == std::pair<int32_t, u32>{0, 0x56781234});
  CHECK(r.read(3, 2, 2) == std::pair<int32_t, u32>{0, 0x5678});
  CHECK(r.read(0, 0x0B, 1) == std::pair<int32_t, u32>{0, 0x02});  // class
  CHECK(r.read(0, 0x08, 4).second == 0x0200AB03);
  CHECK(r.read(0, 0x3D, 1).second == 1);                          // INTA
  CHECK((r.read(0, 0x06, 2).second & PCI_STATUS_CAP_LIST) != 0);
  CHECK(r.read(0, 0x34, 1).second == 0x40);

  // No function, bad size, unaligned, beyond the 256-byte space, another
  // function number, another bus, another PHB: hardware error.
  CHECK(r.read(1, 0, 4).first == papr::RTAS_OUT_HW_ERROR);
  CHECK(r.read(0, 0, 3).first == papr::RTAS_OUT_HW_ERROR);
  CHECK(r.read(0, 2, 4).first == papr::RTAS_OUT_HW_ERROR);
  CHECK(r.read(0, 0x100, 4).first == papr::RTAS_OUT_HW_ERROR);
  CHECK(int32_t(r.call(papr::RTAS_IBM_READ_PCI_CONFIG, {Rig::addr(0, 0) | 0x100, u32(SPAPR_PHB0_BUID >> 32), u32(SPAPR_PHB0_BUID), 4}, 2)[0]) == -1);
  CHECK(int32_t(r.call(papr::RTAS_IBM_READ_PCI_CONFIG, {Rig::addr(0, 0) | 0x10000, u32(SPAPR_PHB0_BUID >> 32), u32(SPAPR_PHB0_BUID), 4}, 2)[0]) == -1);
  CHECK(int32_t(r.call(papr::RTAS_IBM_READ_PCI_CONFIG, {Rig::addr(0, 0), 0, 1, 4}, 2)[0]) == -1);
  // Wrong argument counts.
  CHECK(int32_t(r.call(papr::RTAS_IBM_READ_PCI_CONFIG, {0, 0, 4}, 2)[0]) == papr::RTAS_OUT_PARAM_ERROR);
  CHECK(int32_t(r.call(papr::RTAS_WRITE_PCI_CONFIG, {0, 4}, 1)[0]) == papr::RTAS_OUT_PARAM_ERROR);

  // The non-ibm forms address this PHB.
  auto rd = r.call(papr::RTAS_READ_PCI_CONFIG, {Rig::addr(3, 0), 2}, 2);
  CHECK(rd == std::vector<u32>{0, 0x1234});
  CHECK(r.call(papr::RTAS_WRITE_PCI_CONFIG, {Rig::addr(3, 0x3C), 1, 0x5A}, 1)[0] == 0);
  CHECK(r.read(3, 0x3C, 1).second == 0x5A);

  // Read-only bytes stay; the command register takes its writable bits only.
  CHECK(r.write(0, 0, 4, 0xFFFFFFFF) == 0);
  CHECK(r.read(0, 0, 4).second == 0x56781234);
  CHECK(r.write(0, 4, 2, 0xFFFF) == 0);
  CHECK(r.read(0, 4, 2).second == 0x0547);
  CHECK(r.write(0, 4, 3, 0) == papr::RTAS_OUT_HW_ERROR);

  // Not a config token: the caller's business.
  r.gm.write_be32(ARGS, papr::RTAS_POWER_OFF);
  CHECK_FALSE(r.phb.rtas_buffer(ARGS));
  r.gm.write_be32(ARGS, papr::RTAS_IBM_READ_PCI_CONFIG);
  CHECK_FALSE(r.phb.rtas_buffer(MEM - 8));  // buffer beyond guest memory
}

TEST_CASE("PHB BAR sizing and MMIO routing", "[pci]") {
  Rig r;
  auto* dev = new TestDev();
  REQUIRE(r.phb.add_device(std::unique_ptr<PciDevice>(dev), 2) == 2);

  // The sizing protocol (PCI 3.0 6.2.5.1): all ones in, ~(size-1) | type out.
  CHECK(r.write(2, 0x10, 4, 0xFFFFFFFF) == 0);
  CHECK(r.read(2, 0x10, 4).second == 0xFFFFF000);
  CHECK(r.write(2, 0x14, 4, 0xFFFFFFFF) == 0);
  CHECK(r.read(2, 0x14, 4).second == 0xFFFFFF01);
  CHECK(r.write(2, 0x18, 4, 0xFFFFFFFF) == 0);
  CHECK(r.write(2, 0x1C, 4, 0xFFFFFFFF) == 0);
  CHECK(r.read(2, 0x18, 4).second == 0xFFFFC00C);
  CHECK(r.read(2, 0x1C, 4).second == 0xFFFFFFFF);
  CHECK(r.write(2, 0x20, 4, 0xFFFFFFFF) == 0);  // unimplemented BAR 4
  CHECK(r.read(2, 0x20, 4).second == 0);
  CHECK(r.write(2, 0x30, 4, 0xFFFFFFFF) == 0);  // no expansion ROM
  CHECK(r.read(2, 0x30, 4).second == 0);

  // Assign as firmware would: BAR0 in the 32-bit window, BAR1 in I/O, BAR2 in the 64-bit one.
  r.write(2, 0x10, 4, 0x80010000);
  r.write(2, 0x14, 4, 0x1000);
  r.write(2, 0x18, 4, 0x00000000);
  r.write(2, 0x1C, 4, 0x2100);
  u64 v = 0;
  // Decoding is off until the command register enables it: a master abort.
  REQUIRE(r.phb.mmio_read(0x200080010000ull, 4, v));
  CHECK(v == 0xFFFFFFFF);
  r.write(2, 4, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_IO);

  // 0x200080010000 = bus 0x80010000 (the 32-bit window's offset).  The
  // device's little-endian 0x11223344 is bytes 44 33 22 11 on the bus.
  REQUIRE(r.phb.mmio_read(0x200080010004ull, 4, v));
  CHECK(v == 0x44332211);
  CHECK(dev->last_bar == 0);
  CHECK(dev->last_off == 4);
  REQUIRE(r.phb.mmio_write(0x210000000010ull, 2, 0x1234));
  CHECK(dev->last_bar == 2);
  CHECK(dev->last_off == 0x10);
  CHECK(dev->last_val == 0x3412);
  REQUIRE(r.phb.mmio_read(0x200000001080ull, 1, v));
  CHECK(dev->last_bar == 1);
  CHECK(dev->last_off == 0x80);
  // Past the BAR, inside the window: all ones; outside every window: not the PHB's.
  REQUIRE(r.phb.mmio_read(0x200080011000ull, 4, v));
  CHECK(v == 0xFFFFFFFF);
  CHECK_FALSE(r.phb.mmio_read(0x1000, 4, v));
  CHECK_FALSE(r.phb.mmio_write(0x300000000000ull, 4, 0));
  CHECK_FALSE(r.phb.mmio_read(0x200080010000ull, 3, v));

  // The IO-bus devices decline what no device serves fast.
  hv::IoBus bus;
  for (auto& d : r.phb.io_bus_devices()) REQUIRE(bus.register_device(d) == 0);
  CHECK_FALSE(bus.write(0x210000000010ull, 2, 0x1234));
  CHECK_FALSE(bus.read(0x210000000010ull, 2, v));
  CHECK(r.phb.fast_writes() == 0);

  // Reset: BARs unassigned, decoding off.
  r.phb.reset();
  CHECK(r.read(2, 0x10, 4).second == 0);
  CHECK(r.read(2, 4, 2).second == 0);
}

TEST_CASE("PHB INTx follows the interrupt-map swizzle", "[pci]") {
  Rig r;
  auto* a = new TestDev(1);
  auto* b = new TestDev(1);
  auto* c = new TestDev(4);
  r.phb.add_device(std::unique_ptr<PciDevice>(a), 0);  // 0x1200
  r.phb.add_device(std::unique_ptr<PciDevice>(b), 4);  // (4 + 0) % 4 -> 0x1200, shared
  r.phb.add_device(std::unique_ptr<PciDevice>(c), 1);  // (1 + 3) % 4 -> 0x1200 too
  CHECK(r.phb.lsi_irqs() == std::array<u32, 4>{0x1200, 0x1201, 0x1202, 0x1203});
  auto* d = new TestDev(2);
  r.phb.add_device(std::unique_ptr<PciDevice>(d), 2);  // (2 + 1) % 4 -> 0x1203
  d->set_intx(true);
  CHECK(r.irq[0x1203]);
  d->set_intx(false);
  CHECK_FALSE(r.irq[0x1203]);

  a->set_intx(true);
  CHECK(r.irq[0x1200]);
  b->set_intx(true);
  a->set_intx(false);
  CHECK(r.irq[0x1200]);  // b still holds the shared line
  b->set_intx(false);
  CHECK_FALSE(r.irq[0x1200]);
  // The status register shows the pin; INTx disable masks it.
  c->set_intx(true);
  CHECK(r.irq[0x1200]);
  CHECK((r.read(1, 6, 2).second & PCI_STATUS_INTERRUPT) != 0);
  r.write(1, 4, 2, PCI_COMMAND_INTX_DISABLE);
  CHECK_FALSE(r.irq[0x1200]);
  CHECK((r.read(1, 6, 2).second & PCI_STATUS_INTERRUPT) != 0);
  r.write(1, 4, 2, 0);
  CHECK(r.irq[0x1200]);
}

TEST_CASE("PHB DMA through the TCE window", "[pci]") {
  Rig r;
  REQUIRE(r.tce.has_window(papr::PHB0_LIOBN));
  std::memcpy(r.buf.data() + 0x5000, "hello tce", 10);
  char got[10] = {};
  DmaSpace& io = r.phb.dma_iommu();
  CHECK_FALSE(io.read(0x3000, got, 10));  // no TCE yet
  REQUIRE(r.tce.h_put_tce(papr::PHB0_LIOBN, 0x3000, 0x5000 | papr::TCE_READ) == 0);
  REQUIRE(io.read(0x3000, got, 10));
  CHECK(std::string(got) == "hello tce");
  CHECK_FALSE(io.write(0x3000, "x", 1));  // read-only mapping
  CHECK_FALSE(io.read(0x3FFC, got, 8));   // runs into the unmapped next page
  // Direct DMA: guest physical, bounds-checked.
  REQUIRE(r.phb.dma_direct().read(0x5000, got, 10));
  CHECK_FALSE(r.phb.dma_direct().read(MEM - 4, got, 8));
  CHECK_FALSE(r.phb.dma_direct().write(~u64{0} - 2, got, 8));
}

TEST_CASE("PHB device-tree node", "[pci]") {
  Rig r;
  std::vector<u8> fdt(1 << 16);
  REQUIRE(fdt_create(fdt.data(), int(fdt.size())) == 0);
  REQUIRE(fdt_finish_reservemap(fdt.data()) == 0);
  REQUIRE(fdt_begin_node(fdt.data(), "") == 0);
  REQUIRE(r.phb.write_fdt_node(fdt.data(), 0x1111) == 0);
  REQUIRE(fdt_end_node(fdt.data()) == 0);
  REQUIRE(fdt_finish(fdt.data()) == 0);

  const int node = fdt_path_offset(fdt.data(), "/pci@800000020000000");
  REQUIRE(node >= 0);
  int len = 0;
  auto cells = [&](const char* name) {
    const auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt.data(), node, name, &len));
    std::vector<u32> v;
    for (int i = 0; p && i < len / 4; ++i) v.push_back(fdt32_to_cpu(p[i]));
    return v;
  };
  CHECK(std::string(static_cast<const char*>(fdt_getprop(fdt.data(), node, "compatible", &len))) == "IBM,Logical_PHB");
  CHECK(cells("reg") == std::vector<u32>{0x8000000, 0x20000000, 0, 0});
  CHECK(cells("ibm,dma-window") == std::vector<u32>{0x80000000, 0, 0, 0, 0x40000000});
  // As QEMU's tree.
  CHECK(cells("ranges") == std::vector<u32>{0x1000000, 0, 0, 0x2000, 0, 0, 0x10000,
                                             0x2000000, 0, 0x80000000, 0x2000, 0x80000000, 0, 0x80000000,
                                             0x3000000, 0x2100, 0, 0x2100, 0, 0x100, 0});
  auto map = cells("interrupt-map");
  REQUIRE(map.size() == 32 * 4 * 7);
  CHECK(std::vector<u32>(map.begin(), map.begin() + 7) == std::vector<u32>{0, 0, 0, 1, 0x1111, 0x1200, 1});
  // Slot 1 pin 4 (entry 7): 0x1200.  Slot 31 pin 1: 0x1203.
  CHECK(std::vector<u32>(map.begin() + 7 * 7, map.begin() + 8 * 7) == std::vector<u32>{0x800, 0, 0, 4, 0x1111, 0x1200, 1});
  CHECK(map[(31 * 4) * 7 + 5] == 0x1203);
  CHECK(cells("interrupt-map-mask") == std::vector<u32>{0xF800, 0, 0, 0xFFFFFFFF});
  CHECK(fdt_getprop(fdt.data(), node, "used-by-rtas", &len) != nullptr);
  CHECK(fdt_getprop(fdt.data(), node, "qemu,phb-enumerated", &len) == nullptr);

  // The read-write form.
  std::vector<u8> rw(1 << 16);
  REQUIRE(fdt_create_empty_tree(rw.data(), int(rw.size())) == 0);
  const int n2 = r.phb.add_fdt_node(rw.data(), 0, 0x1111);
  REQUIRE(n2 > 0);
  CHECK(fdt_path_offset(rw.data(), "/pci@800000020000000") == n2);
  CHECK(fdt_getprop(rw.data(), n2, "interrupt-map", &len) != nullptr);
  CHECK(len == 32 * 4 * 7 * 4);
}
