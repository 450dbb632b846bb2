// MSI and MSI-X on the sPAPR PHB (src/pci/pci_msi.cpp, spapr_phb_msi.cpp):
// ibm,change-msi and ibm,query-interrupt-source-number as Linux's pseries
// msi.c calls them, the MSI-X table / PBA / masking of PCI 3.0 6.8.2, the MSI
// window, and a virtio-blk queue interrupt through MSI-X into a Xics.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "hv/papr.h"
#include "papr/guest_memory.h"
#include "papr/rtas.h"
#include "papr/tce.h"
#include "papr/xics.h"
#include "pci/spapr_phb.h"
#include "pci_test_util.h"
#include "virtio/virtio_blk.h"

using namespace lpar;
using lpar::test::bus_order;
using namespace lpar::pci;

namespace {

constexpr u64 MEM = 1 << 20;
constexpr u64 ARGS = 0x1000;
constexpr u64 BAR0 = 0x200080000000ull;  // CPU address of bus 0x80000000 (the 32-bit window)
constexpr u32 BUID_HI = u32(SPAPR_PHB0_BUID >> 32), BUID_LO = u32(SPAPR_PHB0_BUID);

// A function with MSI-X (4 vectors: table at 0x100, PBA at 0x800 of BAR 0)
// and/or MSI (4 messages).
class MsiDev : public PciDevice {
 public:
  MsiDev(bool msix, bool msi) {
    set_ids(0x1234, 0x5678, 0x020000, 0, 0x1234, 0, 1);
    add_bar(0, BarType::Mem32, 0x1000, false);
    if (msix) cap_msix = add_msix(4, 0, 0x100, 0x800);
    if (msi) cap_msi = add_msi(2);
  }
  bool bar_read(unsigned, u64 off, unsigned, u64& v) override {
    v = 0xAB;
    last_read = off;
    return true;
  }
  u8 cap_msix = 0, cap_msi = 0;
  u64 last_read = ~u64{0};
};

struct Rig {
  std::vector<u8> buf = std::vector<u8>(MEM);
  papr::FlatGuestMemory gm{buf.data(), MEM};
  papr::TceTables tce{gm};
  std::vector<std::pair<u32, bool>> irqs;  // every set_irq
  SpaprPhbConfig pc;
  std::unique_ptr<SpaprPhb> phb;

  explicit Rig(u32 msi_count = SPAPR_PHB_MSI_COUNT) {
    pc.msi_count = msi_count;
    phb = std::make_unique<SpaprPhb>(gm, tce, [this](u32 n, bool l) { irqs.push_back({n, l}); }, pc);
  }
  static u32 addr(unsigned slot, unsigned reg = 0) { return (slot << 11) | reg; }

  std::vector<u32> call(u32 token, std::vector<u32> args, u32 nret) {
    return test::phb_rtas_call(gm, *phb, ARGS, token, args, nret);
  }
  // ibm,change-msi as Linux calls it: (status, count, seq, type).
  std::vector<u32> change(unsigned slot, u32 func, u32 n, u32 seq = 1) {
    return call(papr::RTAS_IBM_CHANGE_MSI, {addr(slot), BUID_HI, BUID_LO, func, n, seq}, 4);
  }
  std::pair<int32_t, u32> query(unsigned slot, u32 i) {
    auto r = call(papr::RTAS_IBM_QUERY_INTERRUPT_SOURCE_NUMBER, {addr(slot), BUID_HI, BUID_LO, i}, 3);
    if (int32_t(r[0]) == 0) CHECK(r[2] == 1);  // edge
    return {int32_t(r[0]), r[1]};
  }
  void cfg_w(unsigned slot, unsigned reg, u32 size, u32 v) {
    REQUIRE(phb->rtas_config_write(SPAPR_PHB0_BUID, addr(slot, reg), size, v) == 0);
  }
  u32 cfg_r(unsigned slot, unsigned reg, u32 size) {
    u32 v = 0;
    REQUIRE(phb->rtas_config_read(SPAPR_PHB0_BUID, addr(slot, reg), size, v) == 0);
    return v;
  }
  // Firmware's part for slot 0: BAR 0 at bus 0x80000000, memory decoding on.
  void place_bar0() {
    cfg_w(0, PCI_BAR0, 4, 0x80000000u);
    cfg_w(0, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
  }
  void w(u64 off, unsigned len, u64 v) { REQUIRE(phb->mmio_write(BAR0 + off, len, bus_order(v, len))); }
  u64 r(u64 off, unsigned len) {
    u64 v = 0;
    REQUIRE(phb->mmio_read(BAR0 + off, len, v));
    return bus_order(v, len);
  }
};

}  // namespace

TEST_CASE("ibm,change-msi and ibm,query-interrupt-source-number for MSI-X", "[pci][msi]") {
  Rig g;
  auto* d0 = new MsiDev(true, false);
  REQUIRE(g.phb->add_device(std::unique_ptr<PciDevice>(d0), 0) == 0);
  auto* d1 = new MsiDev(true, false);
  REQUIRE(g.phb->add_device(std::unique_ptr<PciDevice>(d1), 1) == 1);
  REQUIRE(g.phb->add_device(std::make_unique<MsiDev>(false, false), 2) == 2);

  const auto names = SpaprPhb::rtas_call_names();
  CHECK(std::count(names.begin(), names.end(), "ibm,change-msi") == 1);
  CHECK(std::count(names.begin(), names.end(), "ibm,query-interrupt-source-number") == 1);

  // Nothing assigned yet.
  CHECK(g.query(0, 0).first == papr::RTAS_OUT_HW_ERROR);
  CHECK(g.change(0, RTAS_CHANGE_MSI_QUERY, 0) == std::vector<u32>{0, 0, 2, RTAS_MSI_TYPE_NONE});
  // More than the table holds: the most it can take comes back, nothing is assigned.
  CHECK(g.change(0, RTAS_CHANGE_MSI_MSIX, 8) == std::vector<u32>{0, 4, 2, RTAS_MSI_TYPE_MSIX});
  CHECK(g.query(0, 0).first == papr::RTAS_OUT_HW_ERROR);

  // Two vectors: sources from the PHB's range, the table entries programmed.
  CHECK(g.change(0, RTAS_CHANGE_MSI_MSIX, 2, 7) == std::vector<u32>{0, 2, 8, RTAS_MSI_TYPE_MSIX});
  CHECK(g.query(0, 0) == std::pair<int32_t, u32>{0, SPAPR_PHB_MSI_BASE});
  CHECK(g.query(0, 1) == std::pair<int32_t, u32>{0, SPAPR_PHB_MSI_BASE + 1});
  CHECK(g.query(0, 2).first == papr::RTAS_OUT_HW_ERROR);
  CHECK(d0->msix_message(0) == MsiMessage{SPAPR_PCI_MSI_WINDOW, SPAPR_PHB_MSI_BASE});
  CHECK(d0->msix_message(1) == MsiMessage{SPAPR_PCI_MSI_WINDOW, SPAPR_PHB_MSI_BASE + 1});
  CHECK(d0->msix_message(2) == MsiMessage{});
  CHECK(g.change(0, RTAS_CHANGE_MSI_QUERY, 0) == std::vector<u32>{0, 2, 2, RTAS_MSI_TYPE_MSIX});

  // Another function gets the next free sources.
  CHECK(g.change(1, RTAS_CHANGE_MSI_MSIX, 4)[1] == 4);
  CHECK(g.query(1, 0).second == SPAPR_PHB_MSI_BASE + 2);
  CHECK(g.query(1, 3).second == SPAPR_PHB_MSI_BASE + 5);
  CHECK(d1->msix_message(3) == MsiMessage{SPAPR_PCI_MSI_WINDOW, SPAPR_PHB_MSI_BASE + 5});

  // Errors: no MSI-X / MSI capability, no function, another PHB, an unknown
  // function number, the wrong number of cells.
  CHECK(int32_t(g.change(2, RTAS_CHANGE_MSI_MSIX, 1)[0]) == papr::RTAS_OUT_HW_ERROR);
  CHECK(int32_t(g.change(0, RTAS_CHANGE_MSI_MSI, 1)[0]) == papr::RTAS_OUT_HW_ERROR);
  CHECK(int32_t(g.change(5, RTAS_CHANGE_MSI_MSIX, 1)[0]) == papr::RTAS_OUT_PARAM_ERROR);
  CHECK(int32_t(g.call(papr::RTAS_IBM_CHANGE_MSI, {Rig::addr(0), 0, 1, 4, 1, 1}, 4)[0]) == papr::RTAS_OUT_PARAM_ERROR);
  CHECK(int32_t(g.change(0, 5, 1)[0]) == papr::RTAS_OUT_PARAM_ERROR);
  CHECK(int32_t(g.call(papr::RTAS_IBM_CHANGE_MSI, {Rig::addr(0), BUID_HI, BUID_LO, 4, 1}, 4)[0]) ==
        papr::RTAS_OUT_PARAM_ERROR);
  CHECK(int32_t(g.call(papr::RTAS_IBM_QUERY_INTERRUPT_SOURCE_NUMBER, {Rig::addr(0), BUID_HI, BUID_LO, 0}, 2)[0]) ==
        papr::RTAS_OUT_PARAM_ERROR);
  CHECK(g.query(5, 0).first == papr::RTAS_OUT_PARAM_ERROR);
  // Three-cell form (no type returned), as Linux's old-interface calls use.
  CHECK(g.call(papr::RTAS_IBM_CHANGE_MSI, {Rig::addr(0), BUID_HI, BUID_LO, RTAS_CHANGE_MSI_QUERY, 0, 1}, 3) ==
        std::vector<u32>{0, 2, 2});

  // Release (count 0): sources free, table cleared; the next request reuses them.
  CHECK(g.change(0, RTAS_CHANGE_MSI_MSIX, 0) == std::vector<u32>{0, 0, 2, RTAS_MSI_TYPE_NONE});
  CHECK(g.query(0, 0).first == papr::RTAS_OUT_HW_ERROR);
  CHECK(d0->msix_message(0) == MsiMessage{});
  CHECK(g.change(0, RTAS_CHANGE_MSI_MSIX, 1)[1] == 1);
  CHECK(g.query(0, 0).second == SPAPR_PHB_MSI_BASE);
  // Function 2 (reset) releases too; releasing nothing succeeds.
  CHECK(g.change(0, RTAS_CHANGE_MSI_RESET, 0)[0] == 0);
  CHECK(g.query(0, 0).first == papr::RTAS_OUT_HW_ERROR);
  CHECK(g.change(0, RTAS_CHANGE_MSI_MSI, 0)[0] == 0);
  // A system reset frees everything.
  g.phb->reset();
  CHECK(g.query(1, 0).first == papr::RTAS_OUT_HW_ERROR);
  CHECK(d1->msix_message(3) == MsiMessage{});
}

TEST_CASE("ibm,change-msi runs out of the PHB's range and MSI blocks are aligned", "[pci][msi]") {
  Rig g(8);
  auto* d0 = new MsiDev(true, true);
  REQUIRE(g.phb->add_device(std::unique_ptr<PciDevice>(d0), 0) == 0);
  REQUIRE(g.phb->add_device(std::make_unique<MsiDev>(true, false), 1) == 1);
  REQUIRE(g.phb->add_device(std::make_unique<MsiDev>(true, false), 2) == 2);
  CHECK(g.change(1, RTAS_CHANGE_MSI_MSIX, 1)[1] == 1);  // takes base + 0
  // Three MSI messages: a block of four on a four-aligned source.
  CHECK(g.change(0, RTAS_CHANGE_MSI_MSI, 3) == std::vector<u32>{0, 3, 2, RTAS_MSI_TYPE_MSI});
  CHECK(g.query(0, 0).second == SPAPR_PHB_MSI_BASE + 4);
  CHECK(g.query(0, 2).second == SPAPR_PHB_MSI_BASE + 6);
  CHECK(g.query(0, 3).first == papr::RTAS_OUT_HW_ERROR);
  CHECK(d0->msi_message() == MsiMessage{SPAPR_PCI_MSI_WINDOW, SPAPR_PHB_MSI_BASE + 4});
  // Function 1 (platform's choice) gives MSI as well.
  CHECK(g.change(0, RTAS_CHANGE_MSI_CHANGE, 1)[3] == RTAS_MSI_TYPE_MSI);
  CHECK(g.change(0, RTAS_CHANGE_MSI_MSI, 4)[1] == 4);
  // Sources 1..3 are left: four do not fit, the old assignment stays.
  CHECK(int32_t(g.change(2, RTAS_CHANGE_MSI_MSIX, 4)[0]) == papr::RTAS_OUT_HW_ERROR);
  CHECK(g.change(2, RTAS_CHANGE_MSI_MSIX, 3)[1] == 3);
  CHECK(g.query(2, 0).second == SPAPR_PHB_MSI_BASE + 1);
  CHECK(int32_t(g.change(1, RTAS_CHANGE_MSI_MSIX, 2)[0]) == papr::RTAS_OUT_HW_ERROR);
  CHECK(g.query(1, 0).second == SPAPR_PHB_MSI_BASE);
}

TEST_CASE("MSI-X capability, table, PBA and masking through the PHB", "[pci][msi]") {
  Rig g;
  auto* d = new MsiDev(true, false);
  REQUIRE(g.phb->add_device(std::unique_ptr<PciDevice>(d), 0) == 0);
  g.place_bar0();
  const unsigned c = d->cap_msix;
  REQUIRE(c != 0);
  // The capability (PCI 3.0 6.8.2): table size 4 (N-1), table and PBA in BAR 0.
  CHECK(g.cfg_r(0, c, 1) == PCI_CAP_ID_MSIX);
  CHECK(g.cfg_r(0, c + PCI_MSIX_FLAGS, 2) == 3);
  CHECK(g.cfg_r(0, c + PCI_MSIX_TABLE, 4) == 0x100);
  CHECK(g.cfg_r(0, c + PCI_MSIX_PBA, 4) == 0x800);
  g.cfg_w(0, c + PCI_MSIX_FLAGS, 2, 0x3FFF);  // only enable and function mask are writable
  CHECK(g.cfg_r(0, c + PCI_MSIX_FLAGS, 2) == 3);

  // Power-on table: every vector masked.
  for (unsigned n = 0; n < 4; ++n) CHECK(g.r(0x100 + 16 * n + PCI_MSIX_ENTRY_VECTOR_CTRL, 4) == 1);
  REQUIRE(g.change(0, RTAS_CHANGE_MSI_MSIX, 2)[1] == 2);
  CHECK(g.r(0x100, 8) == SPAPR_PCI_MSI_WINDOW);  // QWORD access
  CHECK(g.r(0x100 + 16 + PCI_MSIX_ENTRY_DATA, 4) == SPAPR_PHB_MSI_BASE + 1);
  // Writes keep the address DWORD aligned and the reserved control bits zero.
  g.w(0x100 + 32, 4, 0x1237);
  g.w(0x100 + 32 + PCI_MSIX_ENTRY_VECTOR_CTRL, 4, 0xFFFFFFFE);
  CHECK(g.r(0x100 + 32, 4) == 0x1234);
  CHECK(g.r(0x100 + 32 + PCI_MSIX_ENTRY_VECTOR_CTRL, 4) == 0);
  // Outside the table and PBA the device's own BAR handler answers.
  CHECK(g.r(0x200, 4) == 0xAB);
  CHECK(d->last_read == 0x200);

  // Disabled: nothing is sent, the function uses INTx.
  CHECK_FALSE(d->msix_notify(0));
  d->set_intx(true);
  REQUIRE(g.irqs.back() == std::pair<u32, bool>{SPAPR_PHB_LSI_BASE, true});
  d->set_intx(false);
  g.irqs.clear();

  // Enabled with the function masked: pending bits, no message; INTx is off.
  g.cfg_w(0, c + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
  CHECK(d->msix_enabled());
  d->set_intx(true);
  CHECK(g.irqs.empty());
  d->set_intx(false);
  CHECK(d->msix_notify(1));
  CHECK_FALSE(d->msix_notify(4));  // beyond the table
  CHECK(g.irqs.empty());
  CHECK(g.r(0x800, 8) == 0x2);
  // Function unmasked, but vector 1 itself is still masked.
  g.cfg_w(0, c + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE);
  CHECK(g.irqs.empty());
  CHECK(d->msix_pending(1));
  // Unmasking the vector sends the pending message and clears the bit.
  g.w(0x100 + 16 + PCI_MSIX_ENTRY_VECTOR_CTRL, 4, 0);
  CHECK(g.irqs == std::vector<std::pair<u32, bool>>{{SPAPR_PHB_MSI_BASE + 1, true}});
  CHECK(g.r(0x800, 8) == 0);
  g.w(0x800, 8, ~u64{0});  // the PBA is read-only
  CHECK(g.r(0x800, 8) == 0);
  // Unmasked: sent at once.
  CHECK(d->msix_notify(1));
  CHECK(g.irqs.size() == 2);
  CHECK_FALSE(d->msix_pending(1));

  // A message elsewhere than the window, or naming a source outside the
  // PHB's range (here an LSI), is dropped.
  g.w(0x100 + 16 + PCI_MSIX_ENTRY_LOWER_ADDR, 4, 0x1000);
  g.w(0x100 + 16 + PCI_MSIX_ENTRY_UPPER_ADDR, 4, 0);
  CHECK(d->msix_notify(1));
  g.w(0x100 + 16, 8, SPAPR_PCI_MSI_WINDOW);
  g.w(0x100 + 16 + PCI_MSIX_ENTRY_DATA, 4, SPAPR_PHB_LSI_BASE);
  CHECK(d->msix_notify(1));
  CHECK(g.irqs.size() == 2);
  CHECK(g.phb->msi_dropped() == 2);

  // Disabling brings INTx back; a reset masks the table and disables MSI-X.
  g.cfg_w(0, c + PCI_MSIX_FLAGS, 2, 0);
  d->set_intx(true);
  CHECK(g.irqs.back() == std::pair<u32, bool>{SPAPR_PHB_LSI_BASE, true});
  d->set_intx(false);
  g.cfg_w(0, c + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE);
  d->reset();
  CHECK_FALSE(d->msix_enabled());
  CHECK(d->msix_vector_masked(1));
  CHECK(d->msix_message(1) == MsiMessage{});
}

TEST_CASE("MSI capability: enable, multiple messages, data low bits", "[pci][msi]") {
  Rig g;
  auto* d = new MsiDev(false, true);
  REQUIRE(g.phb->add_device(std::unique_ptr<PciDevice>(d), 0) == 0);
  const unsigned c = d->cap_msi;
  REQUIRE(c != 0);
  CHECK(g.cfg_r(0, c, 1) == PCI_CAP_ID_MSI);
  CHECK(g.cfg_r(0, c + PCI_MSI_FLAGS, 2) == (PCI_MSI_FLAGS_64BIT | (2 << 1)));  // 64-bit, 4 capable
  CHECK(d->msi_vectors() == 4);
  REQUIRE(g.change(0, RTAS_CHANGE_MSI_MSI, 4)[1] == 4);
  CHECK(g.cfg_r(0, c + PCI_MSI_ADDRESS_LO, 4) == 0);
  CHECK(g.cfg_r(0, c + PCI_MSI_ADDRESS_HI, 4) == u32(SPAPR_PCI_MSI_WINDOW >> 32));
  CHECK(g.cfg_r(0, c + PCI_MSI_DATA_64, 2) == SPAPR_PHB_MSI_BASE);
  CHECK_FALSE(d->msi_notify(0));  // not enabled
  // Enabled with two messages (MME 1): vector 1 ORs into the data, 2 is beyond.
  g.cfg_w(0, c + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE | (1 << 4));
  CHECK(d->msi_notify(1));
  CHECK_FALSE(d->msi_notify(2));
  CHECK(g.irqs == std::vector<std::pair<u32, bool>>{{SPAPR_PHB_MSI_BASE + 1, true}});
  d->set_intx(true);  // MSI enabled: INTx stays off
  CHECK(g.irqs.size() == 1);
}

namespace {

std::string temp_image() {
  char path[] = "/tmp/lpar-msi-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(ftruncate(fd, 1 << 20) == 0);
  close(fd);
  return path;
}

void le(std::vector<u8>& b, u64 a, u64 v, unsigned n) {
  for (unsigned i = 0; i < n; ++i) b[a + i] = u8(v >> (8 * i));
}

}  // namespace

TEST_CASE("virtio-blk queue interrupt through MSI-X into the XICS", "[pci][msi][virtio]") {
  using namespace lpar::virtio;
  std::vector<u8> buf(MEM);
  papr::FlatGuestMemory gm{buf.data(), MEM};
  papr::TceTables tce{gm};
  papr::Xics xics(1);
  SpaprPhb phb(gm, tce, [&](u32 n, bool l) { xics.set_level(n, l); });
  for (u32 i : phb.lsi_irqs()) xics.set_lsi(i, true);

  const std::string img = temp_image();
  VirtioBlkOptions o;
  o.path = img;
  std::string err;
  auto blk = VirtioBlk::open(o, VirtioDma{&phb.dma_direct(), &phb.dma_iommu()}, &err);
  REQUIRE(blk);
  VirtioPciDevice* dev = blk.get();
  REQUIRE(phb.add_device(std::move(blk), 0) == 0);
  CHECK(dev->msix_vectors() == 2);  // one queue + configuration

  // Firmware: BAR 1 (MSI-X, 32-bit window), BAR 4 (64-bit window).
  const u64 buid = SPAPR_PHB0_BUID;
  const u64 bar1_bus = 0x80000000ull, bar1 = 0x200080000000ull, bar4 = 0x210000000000ull;
  auto cw = [&](unsigned reg, u32 size, u32 v) { REQUIRE(phb.rtas_config_write(buid, reg, size, v) == 0); };
  cw(0x14, 4, u32(bar1_bus));
  cw(0x20, 4, u32(bar4));
  cw(0x24, 4, u32(bar4 >> 32));
  cw(PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
  auto w = [&](u64 a, unsigned len, u64 v) { REQUIRE(phb.mmio_write(a, len, bus_order(v, len))); };
  auto r = [&](u64 a, unsigned len) {
    u64 v = 0;
    REQUIRE(phb.mmio_read(a, len, v));
    return bus_order(v, len);
  };
  // Find the MSI-X capability as Linux's pci_find_capability would.
  u32 cap = 0, p = 0;
  REQUIRE(phb.rtas_config_read(buid, PCI_CAPABILITY_LIST, 1, p) == 0);
  for (int n = 0; p && n < 16; ++n) {
    u32 id = 0;
    phb.rtas_config_read(buid, p, 1, id);
    if (id == PCI_CAP_ID_MSIX) cap = p;
    phb.rtas_config_read(buid, p + 1, 1, p);
  }
  REQUIRE(cap != 0);
  u32 tbl = 0;
  phb.rtas_config_read(buid, cap + PCI_MSIX_TABLE, 4, tbl);
  CHECK(tbl == (VIRTIO_MSIX_TABLE_OFF | VIRTIO_MSIX_BAR));

  // Linux's order: MSI-X enabled with the function masked, ibm,change-msi,
  // the vectors' sources, function unmasked, entries unmasked.
  cw(cap + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
  u32 count = 0, type = 0, src = 0;
  REQUIRE(phb.rtas_change_msi(buid, 0, RTAS_CHANGE_MSI_MSIX, 2, count, type) == 0);
  REQUIRE(count == 2);
  REQUIRE(phb.rtas_query_msi_source(buid, 0, 1, src) == 0);
  cw(cap + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE);
  for (unsigned n = 0; n < 2; ++n) w(bar1 + 16 * n + PCI_MSIX_ENTRY_VECTOR_CTRL, 4, 0);
  REQUIRE(xics.set_xive(src, 0, 5) == 0);
  REQUIRE(xics.h_cppr(0, 0xFF) == hv::H_SUCCESS);

  // The driver (virtio 1.0 3.1.1) maps configuration to vector 0 and queue 0
  // to vector 1; a vector the table lacks reads back NO_VECTOR.
  w(bar4 + COMMON_STATUS, 1, 0);
  w(bar4 + COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
  w(bar4 + COMMON_GFSELECT, 4, 1);
  w(bar4 + COMMON_GF, 4, 1);  // VERSION_1
  w(bar4 + COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
  w(bar4 + COMMON_MSIX, 2, 5);
  CHECK(r(bar4 + COMMON_MSIX, 2) == VIRTIO_MSI_NO_VECTOR);
  w(bar4 + COMMON_MSIX, 2, 0);
  CHECK(r(bar4 + COMMON_MSIX, 2) == 0);
  w(bar4 + COMMON_Q_SELECT, 2, 0);
  w(bar4 + COMMON_Q_MSIX, 2, 1);
  CHECK(r(bar4 + COMMON_Q_MSIX, 2) == 1);
  const u64 q = 0x10000;
  w(bar4 + COMMON_Q_SIZE, 2, 16);
  w(bar4 + COMMON_Q_DESCLO, 4, u32(q));
  w(bar4 + COMMON_Q_AVAILLO, 4, u32(q + 0x1000));
  w(bar4 + COMMON_Q_USEDLO, 4, u32(q + 0x2000));
  w(bar4 + COMMON_Q_ENABLE, 2, 1);
  w(bar4 + COMMON_STATUS, 1,
    VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);

  // A flush request: header (type 4) and status.
  auto submit = [&](u16 idx) {
    le(buf, 0x40000, VIRTIO_BLK_T_FLUSH, 4);
    le(buf, q + 0, 0x40000, 8);
    le(buf, q + 8, 16, 4);
    le(buf, q + 12, VRING_DESC_F_NEXT, 2);
    le(buf, q + 14, 1, 2);
    le(buf, q + 16, 0x40100, 8);
    le(buf, q + 24, 1, 4);
    le(buf, q + 28, VRING_DESC_F_WRITE, 2);
    le(buf, q + 0x1000 + 4 + 2 * ((idx - 1) % 16), 0, 2);
    le(buf, q + 0x1000 + 2, idx, 2);
    w(bar4 + VIRTIO_NOTIFY_OFF, 2, 0);
  };
  submit(1);
  CHECK(buf[q + 0x2002] == 1);  // used
  // The queue's vector reached the XICS as its MSI source; INTx stayed low.
  REQUIRE(xics.external_pending(0));
  u64 xirr = 0;
  REQUIRE(xics.h_xirr(0, xirr) == hv::H_SUCCESS);
  CHECK((xirr & 0xFFFFFF) == src);
  CHECK(xics.h_eoi(0, xirr) == hv::H_SUCCESS);
  CHECK_FALSE(xics.external_pending(0));

  // Queue unmapped under MSI-X: no interrupt at all (virtio 1.0 4.1.5.3).
  w(bar4 + COMMON_Q_MSIX, 2, VIRTIO_MSI_NO_VECTOR);
  submit(2);
  CHECK(buf[q + 0x2002] == 2);
  CHECK_FALSE(xics.external_pending(0));

  // MSI-X disabled: back to INTx (the slot 0 INTA source, level).
  cw(cap + PCI_MSIX_FLAGS, 2, 0);
  REQUIRE(xics.set_xive(SPAPR_PHB_LSI_BASE, 0, 5) == 0);
  submit(3);
  REQUIRE(xics.external_pending(0));
  REQUIRE(xics.h_xirr(0, xirr) == hv::H_SUCCESS);
  CHECK((xirr & 0xFFFFFF) == SPAPR_PHB_LSI_BASE);
  // Reading the ISR lowers the line.
  CHECK((r(bar4 + VIRTIO_ISR_OFF, 1) & 1) == 1);
  CHECK(xics.h_eoi(0, xirr) == hv::H_SUCCESS);
  CHECK_FALSE(xics.external_pending(0));
  // Reset unmaps the vectors.
  w(bar4 + COMMON_STATUS, 1, 0);
  CHECK(r(bar4 + COMMON_MSIX, 2) == VIRTIO_MSI_NO_VECTOR);
  CHECK(r(bar4 + COMMON_Q_MSIX, 2) == VIRTIO_MSI_NO_VECTOR);
  unlink(img.c_str());
}
