// The pseries command line's device options (src/cli/device_options.h):
// QEMU's spellings resolve to the devices on the PCI host bridge, and every
// inconsistency is a one-line error before the machine starts.
#include <catch2/catch.hpp>

#include "cli/device_options.h"

using namespace lpar::cli;

namespace {
PciPlan resolve_ok(const DeviceOptions& d) {
  std::string err;
  PciPlan p = d.resolve(&err);
  INFO(err);
  REQUIRE(err.empty());
  return p;
}
std::string resolve_err(const DeviceOptions& d) {
  std::string err;
  d.resolve(&err);
  return err;
}
}  // namespace

TEST_CASE("hostfwd rules as QEMU writes them", "[cli]") {
  lpar::virtio::SlirpOptions::HostFwd f;
  REQUIRE(parse_hostfwd("tcp:127.0.0.1:2222-:22", f).empty());
  CHECK(!f.udp);
  CHECK(f.host_addr == "127.0.0.1");
  CHECK(f.host_port == 2222);
  CHECK(f.guest_port == 22);
  REQUIRE(parse_hostfwd("udp::5555-10.0.2.15:53", f).empty());
  CHECK(f.udp);
  CHECK(f.host_addr == "0.0.0.0");
  CHECK(f.host_port == 5555);
  CHECK(f.guest_port == 53);
  REQUIRE(parse_hostfwd("::8080-:80", f).empty());
  CHECK(f.host_port == 8080);
  for (const char* bad : {"tcp:127.0.0.1:2222", "tcp::0-:22", "tcp::70000-:22", "tcp::22-:x", "sctp::1-:2",
                          "tcp:999.1.1.1:5-:6", "tcp::5-10.0.2.16:6", "tcp::5-22"})
    CHECK_FALSE(parse_hostfwd(bad, f).empty());
}

TEST_CASE("MAC addresses", "[cli]") {
  std::array<uint8_t, 6> m{};
  REQUIRE(parse_mac("52:54:00:ab:CD:ef", m));
  CHECK(m == std::array<uint8_t, 6>{0x52, 0x54, 0x00, 0xab, 0xcd, 0xef});
  CHECK_FALSE(parse_mac("01:00:5e:00:00:01", m));  // multicast
  CHECK_FALSE(parse_mac("52:54:00:ab:cd", m));
  CHECK_FALSE(parse_mac("52:54:00:ab:cd:ef:00", m));
  CHECK_FALSE(parse_mac("52-54-00-ab-cd-ef", m));
  CHECK_FALSE(parse_mac("52:54:00:ab:cd:eg", m));
}

TEST_CASE("-netdev user and -device virtio-net-pci resolve to NICs with QEMU's MACs", "[cli]") {
  DeviceOptions d;
  REQUIRE(d.add_device("virtio-net-pci,netdev=b").empty());  // order does not matter
  REQUIRE(d.add_netdev("user,id=a,hostfwd=tcp::2222-:22,restrict=on").empty());
  REQUIRE(d.add_netdev("user,id=b").empty());
  REQUIRE(d.add_device("virtio-net-pci,netdev=a,mac=52:54:00:00:00:09").empty());
  REQUIRE(d.add_nic("user,model=virtio-net-pci").empty());
  const PciPlan p = resolve_ok(d);
  REQUIRE(p.nics.size() == 3);
  CHECK(p.disks.empty());
  CHECK(p.nics[0].mac == std::array<uint8_t, 6>{0x52, 0x54, 0x00, 0x12, 0x34, 0x56});
  CHECK(p.nics[0].slirp.hostfwd.empty());
  CHECK(p.nics[1].mac == std::array<uint8_t, 6>{0x52, 0x54, 0x00, 0x00, 0x00, 0x09});
  CHECK(p.nics[1].slirp.restricted);
  REQUIRE(p.nics[1].slirp.hostfwd.size() == 1);
  CHECK(p.nics[1].slirp.hostfwd[0].guest_port == 22);
  CHECK(p.nics[2].mac == std::array<uint8_t, 6>{0x52, 0x54, 0x00, 0x12, 0x34, 0x57});
}

TEST_CASE("-drive if=virtio, and if=none with -device virtio-blk-pci", "[cli]") {
  DeviceOptions d;
  REQUIRE(d.add_drive("file=a.img,if=virtio,format=raw").empty());
  REQUIRE(d.add_drive("file=b.img,if=none,id=d1,readonly=on").empty());
  REQUIRE(d.add_device("virtio-blk-pci,drive=d1").empty());
  const PciPlan p = resolve_ok(d);
  REQUIRE(p.disks.size() == 2);
  CHECK(p.disks[0].path == "a.img");
  CHECK(!p.disks[0].read_only);
  CHECK(p.disks[1].path == "b.img");
  CHECK(p.disks[1].read_only);
  CHECK(DeviceOptions{}.resolve(nullptr).empty());
}

TEST_CASE("inconsistent device options are errors", "[cli]") {
  DeviceOptions d;
  CHECK_FALSE(d.add_drive("file=a.img").empty());              // no interface: pseries' default is SCSI
  CHECK_FALSE(d.add_drive("if=virtio").empty());               // no file
  CHECK_FALSE(d.add_drive("file=a.img,if=ide").empty());
  CHECK_FALSE(d.add_drive("file=a.img,if=virtio,format=qcow2").empty());
  CHECK_FALSE(d.add_drive("file=a.img,if=none").empty());      // no id
  CHECK_FALSE(d.add_netdev("tap,id=t").empty());
  CHECK_FALSE(d.add_netdev("user").empty());                   // no id
  CHECK_FALSE(d.add_netdev("user,id=x,bogus=1").empty());
  CHECK_FALSE(d.add_device("e1000,netdev=x").empty());
  CHECK_FALSE(d.add_device("virtio-net-pci").empty());         // no netdev
  CHECK_FALSE(d.add_device("virtio-net-pci,netdev=x,mac=zz").empty());
  CHECK_FALSE(d.add_nic("tap").empty());
  CHECK_FALSE(d.add_nic("user,model=e1000").empty());

  DeviceOptions dup;
  REQUIRE(dup.add_netdev("user,id=x").empty());
  CHECK_FALSE(dup.add_netdev("user,id=x").empty());

  DeviceOptions missing;
  REQUIRE(missing.add_device("virtio-net-pci,netdev=nope").empty());
  CHECK(resolve_err(missing).find("nope") != std::string::npos);

  DeviceOptions twice;
  REQUIRE(twice.add_netdev("user,id=n").empty());
  REQUIRE(twice.add_device("virtio-net-pci,netdev=n").empty());
  REQUIRE(twice.add_device("virtio-net-pci,netdev=n").empty());
  CHECK_FALSE(resolve_err(twice).empty());

  DeviceOptions unused_drive;
  REQUIRE(unused_drive.add_drive("file=a.img,if=none,id=d").empty());
  CHECK_FALSE(resolve_err(unused_drive).empty());

  DeviceOptions drive_in_use;  // an if=virtio drive already has its device
  REQUIRE(drive_in_use.add_drive("file=a.img,if=virtio,id=d").empty());
  REQUIRE(drive_in_use.add_device("virtio-blk-pci,drive=d").empty());
  CHECK_FALSE(resolve_err(drive_in_use).empty());

  DeviceOptions none_and_nic;
  REQUIRE(none_and_nic.add_nic("none").empty());
  REQUIRE(none_and_nic.add_nic("user").empty());
  CHECK_FALSE(resolve_err(none_and_nic).empty());
}
