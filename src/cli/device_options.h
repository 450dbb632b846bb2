// The PCI devices of the pseries command line, in QEMU's spellings:
//   -drive file=IMG,if=virtio,format=raw[,readonly=on]      a virtio-blk disk
//   -drive file=IMG,if=none,id=D[,format=raw]  +  -device virtio-blk-pci,drive=D
//   -netdev user,id=N[,hostfwd=tcp:[HADDR]:HPORT-[GADDR]:GPORT][,restrict=on]
//       +  -device virtio-net-pci,netdev=N[,mac=52:54:00:12:34:56]
//   -nic user[,model=virtio-net-pci][,mac=..][,hostfwd=..][,restrict=on]
//   -nic none
// Parsing and resolving give a PciPlan or a one-line error.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "virtio/net_slirp.h"

namespace lpar::cli {

using KeyVals = std::vector<std::pair<std::string, std::string>>;
// QEMU's option syntax: "a=1,b=2" -> pairs (a bare word is a key with an
// empty value); ",," is a comma inside a value (file=a,,b.img is "a,b.img").
KeyVals split_opts(const std::string& spec);

struct VirtioDiskOption {
  std::string path;
  bool read_only = false;
  bool locking = true;  // an OFD lock on the image, as QEMU's file.locking
};

struct VirtioNicOption {
  std::array<uint8_t, 6> mac{};
  virtio::SlirpOptions slirp;  // its -netdev user
};

// What goes on the PCI host bridge, in command-line order per kind.
struct PciPlan {
  std::vector<VirtioDiskOption> disks;
  std::vector<VirtioNicOption> nics;
  bool empty() const { return disks.empty() && nics.empty(); }
};

// Collects the options (in any order) and resolves the references between them.
class DeviceOptions {
 public:
  std::string add_drive(const std::string& spec);
  std::string add_netdev(const std::string& spec);
  std::string add_device(const std::string& spec);
  std::string add_nic(const std::string& spec);
  // After every option: the plan, or a one-line error in *err.
  PciPlan resolve(std::string* err) const;

 private:
  struct Drive {
    std::string id;
    VirtioDiskOption disk;
    bool if_none = false;
  };
  struct Netdev {
    std::string id;
    virtio::SlirpOptions slirp;
  };
  struct Device {
    enum Kind { Blk, Net } kind;
    std::string ref;  // drive= or netdev=
    std::array<uint8_t, 6> mac{};
    bool mac_set = false;
  };
  std::vector<Drive> drives_;
  std::vector<Netdev> netdevs_;
  std::vector<Device> devices_;
  bool no_nic_ = false;
};

// hostfwd=[tcp|udp]:[HADDR]:HPORT-[GADDR]:GPORT (QEMU's -netdev user);
// the guest address, if given, must be DHCP's first lease, 10.0.2.15.
std::string parse_hostfwd(const std::string& rule, virtio::SlirpOptions::HostFwd& out);
// 6 hex pairs separated by ':'; a unicast address.
bool parse_mac(const std::string& s, std::array<uint8_t, 6>& out);

}  // namespace lpar::cli
