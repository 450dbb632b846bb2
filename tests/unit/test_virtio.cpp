// virtio 1.0 PCI devices (src/virtio) behind the sPAPR PHB, driven as a
// driver would: BAR assigned through RTAS config writes, registers through
// the PHB's MMIO window, split virtqueues in a flat guest memory, notifies
// through the hypervisor's IO bus.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "hv/io_bus.h"
#include "papr/guest_memory.h"
#include "papr/tce.h"
#include "pci/spapr_phb.h"
#include "pci_test_util.h"
#include "virtio/net_slirp.h"
#include "virtio/virtio_blk.h"
#include "virtio/virtio_net.h"

using namespace lpar;
using lpar::test::bus_order;
using namespace lpar::pci;
using namespace lpar::virtio;

namespace {

constexpr u64 MEM = 1 << 20;
constexpr u64 BAR = 0x210000000000ull;  // where the tests place BAR 4 (the 64-bit window)
constexpr u64 QBASE = 0x10000;          // queue q at QBASE + q * 0x4000: desc, avail +0x1000, used +0x2000
constexpr u64 DATA = 0x40000;

std::string temp_image(u64 size) {
  char path[] = "/tmp/lpar-virtio-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(ftruncate(fd, off_t(size)) == 0);
  close(fd);
  return path;
}

struct Rig {
  std::vector<u8> buf = std::vector<u8>(MEM);
  papr::FlatGuestMemory gm{buf.data(), MEM};
  papr::TceTables tce{gm};
  std::map<u32, bool> irq;
  SpaprPhb phb{gm, tce, [this](u32 n, bool l) { irq[n] = l; }};
  hv::IoBus iobus;
  VirtioPciDevice* dev = nullptr;
  std::map<unsigned, u16> avail_idx;
  u16 qsize = 16;

  Rig() {
    for (auto& d : phb.io_bus_devices()) REQUIRE(iobus.register_device(d) == 0);
  }
  VirtioDma dma() { return VirtioDma{&phb.dma_direct(), &phb.dma_iommu()}; }

  void plug(std::unique_ptr<VirtioPciDevice> d) {
    dev = d.get();
    REQUIRE(phb.add_device(std::move(d), 0) == 0);
    // Firmware's part: size and place BAR 4, enable memory and mastering.
    const u64 buid = phb.config().buid;
    u32 v = 0;
    REQUIRE(phb.rtas_config_write(buid, 0x20, 4, 0xFFFFFFFF) == 0);
    REQUIRE(phb.rtas_config_read(buid, 0x20, 4, v) == 0);
    REQUIRE(v == 0xFFFFC00C);  // 16 KiB, 64-bit, prefetchable
    REQUIRE(phb.rtas_config_write(buid, 0x20, 4, u32(BAR)) == 0);
    REQUIRE(phb.rtas_config_write(buid, 0x24, 4, u32(BAR >> 32)) == 0);
    REQUIRE(phb.rtas_config_write(buid, 0x04, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER) == 0);
  }

  void w(u64 off, unsigned len, u64 v) { REQUIRE(phb.mmio_write(BAR + off, len, bus_order(v, len))); }
  u64 r(u64 off, unsigned len) {
    u64 v = 0;
    REQUIRE(phb.mmio_read(BAR + off, len, v));
    return bus_order(v, len);
  }

  u64 features() {
    w(COMMON_DFSELECT, 4, 1);
    u64 f = r(COMMON_DF, 4) << 32;
    w(COMMON_DFSELECT, 4, 0);
    return f | r(COMMON_DF, 4);
  }
  // The driver's initialisation (virtio 1.0 3.1.1); false if FEATURES_OK did not stick.
  bool init(u64 feats, unsigned nq) {
    w(COMMON_STATUS, 1, 0);
    w(COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    w(COMMON_GFSELECT, 4, 0);
    w(COMMON_GF, 4, u32(feats));
    w(COMMON_GFSELECT, 4, 1);
    w(COMMON_GF, 4, u32(feats >> 32));
    w(COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    if (!(r(COMMON_STATUS, 1) & VIRTIO_STATUS_FEATURES_OK)) return false;
    for (unsigned q = 0; q < nq; ++q) {
      w(COMMON_Q_SELECT, 2, q);
      w(COMMON_Q_SIZE, 2, qsize);
      const u64 base = QBASE + q * 0x4000;
      w(COMMON_Q_DESCLO, 4, u32(base));
      w(COMMON_Q_DESCHI, 4, 0);
      w(COMMON_Q_AVAILLO, 4, u32(base + 0x1000));
      w(COMMON_Q_AVAILHI, 4, 0);
      w(COMMON_Q_USEDLO, 4, u32(base + 0x2000));
      w(COMMON_Q_USEDHI, 4, 0);
      w(COMMON_Q_ENABLE, 2, 1);
    }
    w(COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
                            VIRTIO_STATUS_DRIVER_OK);
    return true;
  }

  void le(u64 addr, u64 v, unsigned n) {
    for (unsigned i = 0; i < n; ++i) buf[addr + i] = u8(v >> (8 * i));
  }
  u64 rd(u64 addr, unsigned n) {
    u64 v = 0;
    for (unsigned i = 0; i < n; ++i) v |= u64(buf[addr + i]) << (8 * i);
    return v;
  }
  struct Desc {
    u64 addr;
    u32 len;
    bool write;
  };
  // Writes a chain at descriptors first.. and makes it available.
  void submit(unsigned q, u16 first, const std::vector<Desc>& ds) {
    const u64 base = QBASE + q * 0x4000;
    for (size_t i = 0; i < ds.size(); ++i) {
      const u64 d = base + 16 * (first + i);
      le(d, ds[i].addr, 8);
      le(d + 8, ds[i].len, 4);
      const bool more = i + 1 < ds.size();
      le(d + 12, (more ? VRING_DESC_F_NEXT : 0) | (ds[i].write ? VRING_DESC_F_WRITE : 0), 2);
      le(d + 14, more ? first + i + 1 : 0, 2);
    }
    u16& idx = avail_idx[q];
    le(base + 0x1000 + 4 + 2 * (idx % qsize), first, 2);
    ++idx;
    le(base + 0x1000 + 2, idx, 2);
  }
  // Queue notify through the hypervisor's IO bus (as H_LOGICAL_CI_STORE would).
  bool kick(unsigned q) { return iobus.write(BAR + VIRTIO_NOTIFY_OFF + 4 * q, 2, bus_order(q, 2)); }
  u16 used_idx(unsigned q) { return u16(rd(QBASE + q * 0x4000 + 0x2002, 2)); }
  std::pair<u32, u32> used_elem(unsigned q, u16 i) {
    const u64 e = QBASE + q * 0x4000 + 0x2004 + 8 * (i % qsize);
    return {u32(rd(e, 4)), u32(rd(e + 4, 4))};
  }

  // A virtio-blk request: header, data, status.
  u8 blk(u32 type, u64 sector, u64 data, u32 len, u16 first = 0) {
    const u64 hdr = DATA - 0x100, st = DATA - 0x10;
    le(hdr, type, 4);
    le(hdr + 4, 0, 4);
    le(hdr + 8, sector, 8);
    buf[st] = 0xAA;
    std::vector<Desc> ds{{hdr, 16, false}};
    if (len) ds.push_back({data, len, type != VIRTIO_BLK_T_OUT});
    ds.push_back({st, 1, true});
    const u16 before = used_idx(0);
    submit(0, first, ds);
    REQUIRE(kick(0));
    REQUIRE(used_idx(0) == u16(before + 1));
    return buf[st];
  }
};

std::unique_ptr<VirtioBlk> open_blk(Rig& r, const std::string& path, bool ro = false) {
  VirtioBlkOptions o;
  o.path = path;
  o.read_only = ro;
  std::string err;
  auto b = VirtioBlk::open(o, r.dma(), &err);
  REQUIRE(b);
  return b;
}

}  // namespace

TEST_CASE("virtio-blk identity and feature negotiation", "[virtio]") {
  const std::string img = temp_image(1 << 20);
  Rig r;
  r.plug(open_blk(r, img));
  u32 v = 0;
  REQUIRE(r.phb.rtas_config_read(SPAPR_PHB0_BUID, 0, 4, v) == 0);
  CHECK(v == 0x10421AF4);  // non-transitional virtio-blk
  REQUIRE(r.phb.rtas_config_read(SPAPR_PHB0_BUID, 8, 1, v) == 0);
  CHECK(v == 1);  // revision 1: modern
  // The vendor capabilities as SLOF's virtio_setup_vd walks them.
  std::map<u32, std::pair<u32, u32>> caps;  // cfg_type -> (bar, offset)
  REQUIRE(r.phb.rtas_config_read(SPAPR_PHB0_BUID, 0x34, 1, v) == 0);
  for (u32 p = v, n = 0; p && n < 16; ++n) {
    u32 id, type, bar, off;
    r.phb.rtas_config_read(SPAPR_PHB0_BUID, p, 1, id);
    r.phb.rtas_config_read(SPAPR_PHB0_BUID, p + 3, 1, type);
    r.phb.rtas_config_read(SPAPR_PHB0_BUID, p + 4, 1, bar);
    r.phb.rtas_config_read(SPAPR_PHB0_BUID, p + 8, 4, off);
    if (id == PCI_CAP_ID_VNDR) caps[type] = {bar, off};
    if (type == 2) {
      r.phb.rtas_config_read(SPAPR_PHB0_BUID, p + 16, 4, v);
      CHECK(v == VIRTIO_NOTIFY_MULTIPLIER);
    }
    r.phb.rtas_config_read(SPAPR_PHB0_BUID, p + 1, 1, p);
  }
  CHECK(caps == std::map<u32, std::pair<u32, u32>>{{1, {4, 0}}, {2, {4, 0x3000}}, {3, {4, 0x1000}}, {4, {4, 0x2000}}});

  const u64 f = r.features();
  CHECK((f & VIRTIO_F_VERSION_1));
  CHECK((f & VIRTIO_BLK_F_BLK_SIZE));  // SLOF requires it
  CHECK((f & VIRTIO_BLK_F_FLUSH));
  CHECK_FALSE((f & VIRTIO_F_ACCESS_PLATFORM));
  CHECK(r.r(COMMON_NUMQ, 2) == 1);
  CHECK(r.r(VIRTIO_DEVICE_OFF, 4) == 2048);  // capacity in sectors (low half)
  CHECK(r.r(VIRTIO_DEVICE_OFF + 20, 4) == 512);
  // Asking for what is not offered, or without VERSION_1, is refused.
  CHECK_FALSE(r.init(VIRTIO_F_VERSION_1 | (u64{1} << 20), 1));
  CHECK_FALSE(r.init(VIRTIO_BLK_F_FLUSH, 1));
  REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_FLUSH | VIRTIO_BLK_F_BLK_SIZE, 1));
  // After FEATURES_OK the features are fixed (SLOF writes them again).
  r.w(COMMON_GFSELECT, 4, 0);
  r.w(COMMON_GF, 4, VIRTIO_BLK_F_BLK_SIZE);
  CHECK(r.dev->driver_features() == (VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_FLUSH | VIRTIO_BLK_F_BLK_SIZE));
  CHECK(r.r(COMMON_MSIX, 2) == VIRTIO_MSI_NO_VECTOR);
  r.w(COMMON_Q_SELECT, 2, 0);
  CHECK(r.r(COMMON_Q_SIZE, 2) == 16);
  CHECK(r.r(COMMON_Q_ENABLE, 2) == 1);
  CHECK(r.r(COMMON_Q_DESCLO, 4) == QBASE);
  CHECK(r.r(COMMON_Q_NOFF, 2) == 0);
  unlink(img.c_str());
}

TEST_CASE("virtio-blk read, write, flush and get-id through the IO bus", "[virtio]") {
  const std::string img = temp_image(1 << 20);
  {
    const int fd = open(img.c_str(), O_WRONLY);
    REQUIRE(pwrite(fd, "sector-three", 12, 3 * 512) == 12);
    close(fd);
  }
  Rig r;
  r.plug(open_blk(r, img));
  REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_FLUSH | VIRTIO_BLK_F_BLK_SIZE, 1));

  CHECK(r.blk(VIRTIO_BLK_T_IN, 3, DATA, 1024) == VIRTIO_BLK_S_OK);
  CHECK(std::memcmp(&r.buf[DATA], "sector-three", 12) == 0);
  CHECK(r.used_elem(0, 0) == std::pair<u32, u32>{0, 1025});  // data + status written

  for (int i = 0; i < 1024; ++i) r.buf[DATA + 0x1000 + i] = u8(i * 7);
  CHECK(r.blk(VIRTIO_BLK_T_OUT, 100, DATA + 0x1000, 1024) == VIRTIO_BLK_S_OK);
  CHECK(r.used_elem(0, 1).second == 1);
  CHECK(r.blk(VIRTIO_BLK_T_FLUSH, 0, 0, 0) == VIRTIO_BLK_S_OK);
  {
    std::vector<u8> file(1024);
    const int fd = open(img.c_str(), O_RDONLY);
    REQUIRE(pread(fd, file.data(), 1024, 100 * 512) == 1024);
    close(fd);
    CHECK(std::memcmp(file.data(), &r.buf[DATA + 0x1000], 1024) == 0);
  }
  CHECK(r.blk(VIRTIO_BLK_T_GET_ID, 0, DATA + 0x2000, 20) == VIRTIO_BLK_S_OK);
  CHECK(std::string(reinterpret_cast<char*>(&r.buf[DATA + 0x2000])) == "lpar-virtio-blk");
  CHECK(r.blk(77, 0, DATA, 512) == VIRTIO_BLK_S_UNSUPP);

  // Beyond the disk, partial sectors, data outside guest memory: I/O errors, no crash.
  CHECK(r.blk(VIRTIO_BLK_T_IN, 2047, DATA, 1024) == VIRTIO_BLK_S_IOERR);
  CHECK(r.blk(VIRTIO_BLK_T_IN, ~u64{0}, DATA, 512) == VIRTIO_BLK_S_IOERR);
  CHECK(r.blk(VIRTIO_BLK_T_OUT, 0, DATA, 100) == VIRTIO_BLK_S_IOERR);
  CHECK(r.blk(VIRTIO_BLK_T_IN, 0, MEM - 256, 512) == VIRTIO_BLK_S_IOERR);
  CHECK(r.blk(VIRTIO_BLK_T_OUT, 0, u64{1} << 60, 512) == VIRTIO_BLK_S_IOERR);

  // Every notify above went through the IO bus, none through an exit.
  CHECK(r.phb.fast_writes() == 10);
  CHECK(r.iobus.served() == 10);
  CHECK(r.dev->notifications() == 10);

  // The same notify on the exit path (H_LOGICAL_CI_* disabled) works too.
  const u16 before = r.used_idx(0);
  r.submit(0, 0, {{DATA - 0x100, 16, false}, {DATA - 0x10, 1, true}});
  r.le(DATA - 0x100, VIRTIO_BLK_T_FLUSH, 4);
  REQUIRE(r.phb.mmio_write(BAR + VIRTIO_NOTIFY_OFF, 2, 0));
  CHECK(r.used_idx(0) == u16(before + 1));
  CHECK(r.phb.fast_writes() == 10);
  unlink(img.c_str());
}

TEST_CASE("virtio-blk completion raises INTx until the ISR is read", "[virtio]") {
  const std::string img = temp_image(1 << 16);
  Rig r;
  r.plug(open_blk(r, img));
  REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_BLK_SIZE, 1));
  CHECK_FALSE(r.irq[0x1200]);
  r.blk(VIRTIO_BLK_T_IN, 0, DATA, 512);
  CHECK(r.irq[0x1200]);  // slot 0 INTA
  CHECK(r.r(VIRTIO_ISR_OFF, 1) == 1);
  CHECK_FALSE(r.irq[0x1200]);
  CHECK(r.r(VIRTIO_ISR_OFF, 1) == 0);
  // A driver that suppresses interrupts gets none.
  r.le(QBASE + 0x1000, VRING_AVAIL_F_NO_INTERRUPT, 2);
  r.blk(VIRTIO_BLK_T_IN, 0, DATA, 512);
  CHECK_FALSE(r.irq[0x1200]);
  unlink(img.c_str());
}

TEST_CASE("virtio malformed queues are rejected without harm", "[virtio]") {
  const std::string img = temp_image(1 << 16);
  Rig r;
  r.plug(open_blk(r, img));

  SECTION("descriptor loop") {
    REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_BLK_SIZE, 1));
    r.submit(0, 0, {{DATA, 16, false}, {DATA + 16, 512, true}});
    r.le(QBASE + 16 * 1 + 12, VRING_DESC_F_NEXT | VRING_DESC_F_WRITE, 2);
    r.le(QBASE + 16 * 1 + 14, 0, 2);  // 1 -> 0 -> 1 ...
    CHECK(r.kick(0));
    CHECK(r.used_idx(0) == 0);
    CHECK((r.dev->status() & VIRTIO_STATUS_NEEDS_RESET));
    CHECK(r.irq[0x1200]);  // configuration-change interrupt
    CHECK(r.r(VIRTIO_ISR_OFF, 1) == 2);
    // Further kicks are ignored until the driver resets the device.
    CHECK(r.kick(0));
    r.w(COMMON_STATUS, 1, 0);
    CHECK(r.dev->status() == 0);
    r.avail_idx.clear();
    REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_BLK_SIZE, 1));
    CHECK(r.blk(VIRTIO_BLK_T_IN, 0, DATA, 512) == VIRTIO_BLK_S_OK);
  }
  SECTION("next index beyond the queue") {
    REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_BLK_SIZE, 1));
    r.submit(0, 0, {{DATA, 16, false}, {DATA + 16, 1, true}});
    r.le(QBASE + 12, VRING_DESC_F_NEXT, 2);
    r.le(QBASE + 14, 500, 2);
    CHECK(r.kick(0));
    CHECK((r.dev->status() & VIRTIO_STATUS_NEEDS_RESET));
  }
  SECTION("indirect descriptors were not offered") {
    REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_BLK_SIZE, 1));
    r.submit(0, 0, {{DATA, 48, false}});
    r.le(QBASE + 12, VRING_DESC_F_INDIRECT, 2);
    CHECK(r.kick(0));
    CHECK((r.dev->status() & VIRTIO_STATUS_NEEDS_RESET));
  }
  SECTION("rings outside guest memory") {
    REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_BLK_SIZE, 1));
    r.w(COMMON_STATUS, 1, 0);
    r.w(COMMON_STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    r.w(COMMON_Q_SELECT, 2, 0);
    r.w(COMMON_Q_AVAILLO, 4, 0xFFFFFFF0);
    r.w(COMMON_Q_AVAILHI, 4, 0xFFFFFFFF);
    r.w(COMMON_Q_ENABLE, 2, 1);
    CHECK(r.kick(0));
    CHECK((r.dev->status() & VIRTIO_STATUS_NEEDS_RESET));
  }
  SECTION("readable after writable, more available than the ring holds") {
    REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_BLK_SIZE, 1));
    r.submit(0, 0, {{DATA, 1, true}, {DATA + 16, 16, false}});
    CHECK(r.kick(0));
    CHECK((r.dev->status() & VIRTIO_STATUS_NEEDS_RESET));
    r.w(COMMON_STATUS, 1, 0);
    r.avail_idx.clear();
    REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_BLK_SIZE, 1));
    r.le(QBASE + 0x1002, 40, 2);  // avail idx 40 with a 16-entry ring
    CHECK(r.kick(0));
    CHECK((r.dev->status() & VIRTIO_STATUS_NEEDS_RESET));
  }
  SECTION("queue size must be a power of two no larger than the maximum") {
    r.w(COMMON_Q_SELECT, 2, 0);
    r.w(COMMON_Q_SIZE, 2, 24);
    CHECK(r.r(COMMON_Q_SIZE, 2) == 256);
    r.w(COMMON_Q_SIZE, 2, 512);
    CHECK(r.r(COMMON_Q_SIZE, 2) == 256);
    r.w(COMMON_Q_SELECT, 2, 5);  // no such queue
    CHECK(r.r(COMMON_Q_SIZE, 2) == 0);
    r.w(COMMON_Q_ENABLE, 2, 1);
    CHECK(r.iobus.write(BAR + VIRTIO_NOTIFY_OFF + 4 * 5, 2, 0x0500));  // ignored
  }
  unlink(img.c_str());
}

TEST_CASE("virtio-blk survives random queue contents", "[virtio]") {
  const std::string img = temp_image(1 << 16);
  Rig r;
  r.plug(open_blk(r, img));
  u64 x = 0x9E3779B97F4A7C15ull;  // fixed seed: the same garbage every run
  auto rnd = [&] {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return x;
  };
  unsigned processed = 0, broken = 0;
  for (int round = 0; round < 200; ++round) {
    r.avail_idx.clear();
    REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH, 1));
    r.le(QBASE + 0x2002, 0, 2);
    // Garbage descriptors (addresses mostly small enough to hit guest memory),
    // a plausible avail index, then a kick.
    for (u64 d = 0; d < 16; ++d) {
      const u64 v = rnd();
      r.le(QBASE + 16 * d, (round & 1) ? v : (v & 0xFFFFF), 8);
      r.le(QBASE + 16 * d + 8, rnd() & ((round & 2) ? 0xFFFFFFFF : 0x3FF), 4);
      r.le(QBASE + 16 * d + 12, rnd() & 7, 2);
      r.le(QBASE + 16 * d + 14, rnd() & ((round & 4) ? 0xFFFF : 0xF), 2);
    }
    for (u64 i = 0; i < 16; ++i) r.le(QBASE + 0x1004 + 2 * i, rnd() & 0x1F, 2);
    r.le(QBASE + 0x1002, 1 + rnd() % 20, 2);
    CHECK(r.kick(0));
    if (r.dev->status() & VIRTIO_STATUS_NEEDS_RESET) ++broken;
    if (r.used_idx(0)) ++processed;
  }
  // Both outcomes occur, and the device still serves a proper request.
  CHECK(broken > 0);
  CHECK(processed > 0);
  r.avail_idx.clear();
  REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_BLK_SIZE, 1));
  r.le(QBASE + 0x2002, 0, 2);
  CHECK(r.blk(VIRTIO_BLK_T_IN, 0, DATA, 512) == VIRTIO_BLK_S_OK);
  unlink(img.c_str());
}

TEST_CASE("virtio-blk through the TCE window with ACCESS_PLATFORM", "[virtio]") {
  const std::string img = temp_image(1 << 16);
  Rig r;
  VirtioBlkOptions o;
  o.path = img;
  o.iommu_platform = true;
  r.plug(VirtioBlk::open(o, r.dma()));
  REQUIRE((r.features() & VIRTIO_F_ACCESS_PLATFORM));
  // Identity-map the first 1 MiB of the window, read-write.
  for (u64 p = 0; p < MEM; p += 0x1000) REQUIRE(r.tce.h_put_tce(papr::PHB0_LIOBN, p, p | 3) == 0);
  REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_F_ACCESS_PLATFORM | VIRTIO_BLK_F_BLK_SIZE, 1));
  r.buf[DATA] = 0x5A;
  CHECK(r.blk(VIRTIO_BLK_T_OUT, 1, DATA, 512) == VIRTIO_BLK_S_OK);
  // Unmap the data page: the device may not reach it.
  REQUIRE(r.tce.h_put_tce(papr::PHB0_LIOBN, DATA, 0) == 0);
  CHECK(r.blk(VIRTIO_BLK_T_IN, 1, DATA, 512) == VIRTIO_BLK_S_IOERR);
  unlink(img.c_str());
}

TEST_CASE("virtio-blk data survives closing and reopening the image", "[virtio]") {
  const std::string img = temp_image(1 << 20);
  {
    Rig r;
    r.plug(open_blk(r, img));
    REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_BLK_SIZE, 1));
    std::memcpy(&r.buf[DATA], "persistent data", 16);
    CHECK(r.blk(VIRTIO_BLK_T_OUT, 42, DATA, 512) == VIRTIO_BLK_S_OK);
  }  // the device closes (and syncs) the image here
  Rig r;
  r.plug(open_blk(r, img));
  REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_BLK_SIZE, 1));
  CHECK(r.blk(VIRTIO_BLK_T_IN, 42, DATA + 0x1000, 512) == VIRTIO_BLK_S_OK);
  CHECK(std::string(reinterpret_cast<char*>(&r.buf[DATA + 0x1000])) == "persistent data");
  unlink(img.c_str());

  // A read-only image refuses writes; a missing one does not open.
  const std::string ro = temp_image(1 << 16);
  Rig r2;
  r2.plug(open_blk(r2, ro, true));
  REQUIRE(r2.init(VIRTIO_F_VERSION_1 | VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_RO, 1));
  CHECK(r2.blk(VIRTIO_BLK_T_OUT, 0, DATA, 512) == VIRTIO_BLK_S_IOERR);
  unlink(ro.c_str());
  VirtioBlkOptions o;
  o.path = "/nonexistent/lpar.img";
  std::string err;
  CHECK(VirtioBlk::open(o, r2.dma(), &err) == nullptr);
  CHECK(err.find("/nonexistent/lpar.img") != std::string::npos);
}

namespace {
class Loopback : public NetBackend {
 public:
  void send(const uint8_t* f, size_t n) override { sent.emplace_back(f, f + n); }
  void inject(const std::vector<u8>& f) { deliver(f.data(), f.size()); }
  std::vector<std::vector<u8>> sent;
};
}  // namespace

TEST_CASE("virtio-net transmit and receive queues", "[virtio]") {
  Loopback lb;  // outlives the device, as a backend must
  Rig r;
  r.plug(std::make_unique<VirtioNet>(lb, VirtioNetOptions{}, r.dma()));
  u32 v = 0;
  REQUIRE(r.phb.rtas_config_read(SPAPR_PHB0_BUID, 0, 4, v) == 0);
  CHECK(v == 0x10411AF4);
  CHECK((r.features() & VIRTIO_NET_F_MAC));
  CHECK(r.r(COMMON_NUMQ, 2) == 2);
  CHECK(r.r(VIRTIO_DEVICE_OFF, 4) == 0x12005452);  // 52 54 00 12
  CHECK(r.r(VIRTIO_DEVICE_OFF + 4, 2) == 0x5634);

  // Frames before the driver is ready are dropped.
  std::vector<u8> frame(60);
  for (size_t i = 0; i < frame.size(); ++i) frame[i] = u8(i);
  lb.inject(frame);
  auto* net = static_cast<VirtioNet*>(r.dev);
  CHECK(net->rx_frames() == 0);
  CHECK(net->backlog() == 0);

  REQUIRE(r.init(VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC, 2));
  // Transmit: header + frame in two descriptors.
  const u64 tx = DATA;
  std::memset(&r.buf[tx], 0, 12);
  std::memcpy(&r.buf[tx + 0x100], frame.data(), frame.size());
  r.submit(VIRTIO_NET_TXQ, 0, {{tx, 12, false}, {tx + 0x100, 60, false}});
  REQUIRE(r.kick(VIRTIO_NET_TXQ));
  REQUIRE(lb.sent.size() == 1);
  CHECK(lb.sent[0] == frame);
  CHECK(r.used_idx(VIRTIO_NET_TXQ) == 1);

  // Receive with no buffer: the frame waits, then goes out on the rx kick.
  lb.inject(frame);
  CHECK(net->backlog() == 1);
  const u64 rx = DATA + 0x4000;
  std::memset(&r.buf[rx], 0xEE, 2048);
  r.submit(VIRTIO_NET_RXQ, 0, {{rx, 2048, true}});
  REQUIRE(r.kick(VIRTIO_NET_RXQ));
  CHECK(net->backlog() == 0);
  CHECK(r.used_idx(VIRTIO_NET_RXQ) == 1);
  CHECK(r.used_elem(VIRTIO_NET_RXQ, 0) == std::pair<u32, u32>{0, 72});
  CHECK(r.rd(rx, 8) == 0);
  CHECK(r.rd(rx + 10, 2) == 1);  // num_buffers
  CHECK(std::memcmp(&r.buf[rx + 12], frame.data(), frame.size()) == 0);
  CHECK(r.irq[0x1200]);

  // With a buffer waiting, a frame goes straight in; a too-small buffer drops it.
  r.submit(VIRTIO_NET_RXQ, 1, {{rx + 4096, 30, true}});
  lb.inject(frame);
  CHECK(r.used_idx(VIRTIO_NET_RXQ) == 2);
  CHECK(r.used_elem(VIRTIO_NET_RXQ, 1).second == 0);
  CHECK(net->rx_frames() == 1);
}

TEST_CASE("slirp answers ARP for the gateway", "[virtio]") {
  std::string err;
  auto s = SlirpBackend::create(SlirpOptions{}, &err);
  REQUIRE(s);
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::vector<u8>> got;
  s->set_receiver([&](const uint8_t* f, size_t n) {
    std::lock_guard<std::mutex> g(mu);
    got.emplace_back(f, f + n);
    cv.notify_all();
  });
  const u8 mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
  std::vector<u8> arp = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  arp.insert(arp.end(), mac, mac + 6);
  arp.insert(arp.end(), {0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01});
  arp.insert(arp.end(), mac, mac + 6);
  arp.insert(arp.end(), {10, 0, 2, 15, 0, 0, 0, 0, 0, 0, 10, 0, 2, 2});
  arp.resize(60, 0);
  s->send(arp.data(), arp.size());
  std::unique_lock<std::mutex> lk(mu);
  // A bound on the wait only, so a broken backend fails instead of hanging.
  cv.wait_for(lk, std::chrono::seconds(10), [&] { return !got.empty(); });
  REQUIRE(got.size() >= 1);
  const auto& reply = got[0];
  REQUIRE(reply.size() >= 42);
  CHECK(std::memcmp(reply.data(), mac, 6) == 0);  // to us
  CHECK(reply[12] == 0x08);
  CHECK(reply[13] == 0x06);  // ARP
  CHECK(reply[21] == 2);     // reply
  CHECK(std::vector<u8>(reply.begin() + 28, reply.begin() + 32) == std::vector<u8>{10, 0, 2, 2});
  lk.unlock();
  s->set_receiver(nullptr);
}
