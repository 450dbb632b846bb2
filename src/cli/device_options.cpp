#include "cli/device_options.h"

#include <arpa/inet.h>

#include <cstdio>
#include <sstream>
#include <utility>

namespace lpar::cli {

KeyVals split_opts(const std::string& spec) {
  KeyVals out;
  std::string p;
  auto flush = [&] {
    const auto eq = p.find('=');
    out.emplace_back(p.substr(0, eq), eq == std::string::npos ? "" : p.substr(eq + 1));
    p.clear();
  };
  for (size_t i = 0; i < spec.size(); ++i) {
    if (spec[i] != ',') {
      p += spec[i];
    } else if (i + 1 < spec.size() && spec[i + 1] == ',') {
      p += ',';
      ++i;
    } else {
      flush();
    }
  }
  if (!spec.empty()) flush();
  return out;
}

namespace {

std::string on_off(const std::string& opt, const std::string& key, const std::string& val, bool& out) {
  if (val != "on" && val != "off") return opt + ": bad value '" + val + "' for " + key + " (on/off)";
  out = val == "on";
  return {};
}

bool parse_port(const std::string& s, int& out) {
  if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::stoi(s);
  return out > 0 && out < 65536;
}

// QEMU gives NICs without mac= 52:54:00:12:34:56, :57, ... in creation order.
constexpr std::array<uint8_t, 6> DEFAULT_MAC{0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

// The options -netdev user and -nic user share.
std::string user_net_option(const std::string& opt, const std::string& key, const std::string& val,
                            virtio::SlirpOptions& s, bool& known) {
  known = true;
  if (key == "hostfwd") {
    virtio::SlirpOptions::HostFwd f;
    if (std::string e = parse_hostfwd(val, f); !e.empty()) return opt + ": " + e;
    s.hostfwd.push_back(f);
    return {};
  }
  if (key == "restrict") return on_off(opt, key, val, s.restricted);
  known = false;
  return {};
}

}  // namespace

bool parse_mac(const std::string& s, std::array<uint8_t, 6>& out) {
  unsigned b[6];
  char tail;
  if (s.size() != 17 ||
      std::sscanf(s.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6)
    return false;
  for (int i = 0; i < 6; ++i) out[i] = uint8_t(b[i]);
  return (out[0] & 1) == 0;  // not a multicast address
}

std::string parse_hostfwd(const std::string& rule, virtio::SlirpOptions::HostFwd& out) {
  const std::string bad = "bad hostfwd rule '" + rule + "' ([tcp|udp]:[HADDR]:HPORT-[GADDR]:GPORT)";
  std::string r = rule;
  out.udp = false;
  if (r.starts_with("tcp:")) {
    r = r.substr(4);
  } else if (r.starts_with("udp:")) {
    out.udp = true;
    r = r.substr(4);
  } else if (!r.empty() && r[0] == ':') {
    r = r.substr(1);
  }
  const auto dash = r.find('-');
  if (dash == std::string::npos) return bad;
  const std::string host = r.substr(0, dash), guest = r.substr(dash + 1);
  const auto hc = host.rfind(':'), gc = guest.rfind(':');
  if (hc == std::string::npos || gc == std::string::npos) return bad;
  const std::string haddr = host.substr(0, hc), gaddr = guest.substr(0, gc);
  if (!parse_port(host.substr(hc + 1), out.host_port) || !parse_port(guest.substr(gc + 1), out.guest_port)) return bad;
  in_addr a{};
  if (!haddr.empty() && inet_pton(AF_INET, haddr.c_str(), &a) != 1) return bad;
  out.host_addr = haddr.empty() ? "0.0.0.0" : haddr;  // QEMU: any address when omitted
  if (!gaddr.empty() && gaddr != "10.0.2.15") return "hostfwd to " + gaddr + ": only the guest's DHCP address 10.0.2.15";
  return {};
}

std::string DeviceOptions::add_drive(const std::string& spec) {
  Drive d;
  bool iface_given = false;
  for (const auto& [key, val] : split_opts(spec)) {
    if (key == "file") {
      d.disk.path = val;
    } else if (key == "if") {
      if (val != "virtio" && val != "none") return "-drive: only if=virtio or if=none is supported";
      d.if_none = val == "none";
      iface_given = true;
    } else if (key == "format") {
      if (val != "raw") return "-drive: only format=raw is supported";
    } else if (key == "id") {
      d.id = val;
    } else if (key == "readonly") {
      if (std::string e = on_off("-drive", key, val, d.disk.read_only); !e.empty()) return e;
    } else if (key == "file.locking" || key == "locking") {
      if (std::string e = on_off("-drive", key, val, d.disk.locking); !e.empty()) return e;
    } else {
      return "-drive: unknown option '" + key + "'";
    }
  }
  if (d.disk.path.empty()) return "-drive needs file=IMG";
  // pseries' default interface would be SCSI (spapr-vscsi), which lpar lacks.
  if (!iface_given) return "-drive: give if=virtio (or if=none with -device virtio-blk-pci)";
  if (d.if_none && d.id.empty()) return "-drive if=none needs id=NAME for -device virtio-blk-pci,drive=NAME";
  for (const Drive& o : drives_)
    if (!d.id.empty() && o.id == d.id) return "-drive: duplicate id '" + d.id + "'";
  drives_.push_back(std::move(d));
  return {};
}

std::string DeviceOptions::add_netdev(const std::string& spec) {
  const KeyVals kv = split_opts(spec);
  if (kv.empty() || (kv[0].first != "user" && !(kv[0].first == "type" && kv[0].second == "user")))
    return "-netdev: only the 'user' backend is supported";
  Netdev n;
  for (size_t i = 1; i < kv.size(); ++i) {
    const auto& [key, val] = kv[i];
    if (key == "id") {
      n.id = val;
      continue;
    }
    bool known;
    if (std::string e = user_net_option("-netdev", key, val, n.slirp, known); !e.empty()) return e;
    if (!known) return "-netdev user: unknown option '" + key + "'";
  }
  if (n.id.empty()) return "-netdev user needs id=NAME";
  for (const Netdev& o : netdevs_)
    if (o.id == n.id) return "-netdev: duplicate id '" + n.id + "'";
  netdevs_.push_back(std::move(n));
  return {};
}

std::string DeviceOptions::add_device(const std::string& spec) {
  const KeyVals kv = split_opts(spec);
  if (kv.empty()) return "-device needs a driver name";
  const std::string& drv = kv[0].first;
  Device d;
  if (drv == "virtio-net-pci" || drv == "virtio-net") {
    d.kind = Device::Net;
  } else if (drv == "virtio-blk-pci" || drv == "virtio-blk") {
    d.kind = Device::Blk;
  } else {
    return "-device: unsupported driver '" + drv + "' (virtio-net-pci, virtio-blk-pci)";
  }
  for (size_t i = 1; i < kv.size(); ++i) {
    const auto& [key, val] = kv[i];
    if (d.kind == Device::Net && key == "netdev") {
      d.ref = val;
    } else if (d.kind == Device::Blk && key == "drive") {
      d.ref = val;
    } else if (d.kind == Device::Net && key == "mac") {
      if (!parse_mac(val, d.mac)) return "-device " + drv + ": bad mac '" + val + "'";
      d.mac_set = true;
    } else if (key == "id") {
      // accepted, unused (no monitor to name devices in)
    } else {
      return "-device " + drv + ": unknown option '" + key + "'";
    }
  }
  if (d.ref.empty()) return "-device " + drv + (d.kind == Device::Net ? " needs netdev=NAME" : " needs drive=NAME");
  devices_.push_back(std::move(d));
  return {};
}

std::string DeviceOptions::add_nic(const std::string& spec) {
  const KeyVals kv = split_opts(spec);
  if (!kv.empty() && kv[0].first == "none") {
    no_nic_ = true;
    return {};
  }
  if (kv.empty() || kv[0].first != "user") return "-nic: only 'user' or 'none' is supported";
  Netdev n;
  Device d{Device::Net, {}, {}, false};
  for (size_t i = 1; i < kv.size(); ++i) {
    const auto& [key, val] = kv[i];
    if (key == "model") {
      if (val != "virtio-net-pci" && val != "virtio") return "-nic: unsupported model '" + val + "' (virtio-net-pci)";
      continue;
    }
    if (key == "mac") {
      if (!parse_mac(val, d.mac)) return "-nic: bad mac '" + val + "'";
      d.mac_set = true;
      continue;
    }
    bool known;
    if (std::string e = user_net_option("-nic", key, val, n.slirp, known); !e.empty()) return e;
    if (!known) return "-nic user: unknown option '" + key + "'";
  }
  // A private netdev only this NIC refers to.
  n.id = "\x01nic" + std::to_string(netdevs_.size());
  d.ref = n.id;
  netdevs_.push_back(std::move(n));
  devices_.push_back(std::move(d));
  return {};
}

PciPlan DeviceOptions::resolve(std::string* err) const {
  PciPlan plan;
  std::vector<bool> drive_used(drives_.size()), netdev_used(netdevs_.size());
  for (size_t i = 0; i < drives_.size(); ++i)
    if (!drives_[i].if_none) plan.disks.push_back(drives_[i].disk);
  std::array<uint8_t, 6> next_mac = DEFAULT_MAC;
  for (const Device& d : devices_) {
    if (d.kind == Device::Blk) {
      size_t i = 0;
      while (i < drives_.size() && drives_[i].id != d.ref) ++i;
      if (i == drives_.size()) {
        *err = "-device virtio-blk-pci: no -drive with id '" + d.ref + "'";
        return {};
      }
      if (!drives_[i].if_none || drive_used[i]) {
        *err = "-drive '" + d.ref + "' is already in use (give it if=none and one -device)";
        return {};
      }
      drive_used[i] = true;
      plan.disks.push_back(drives_[i].disk);
    } else {
      size_t i = 0;
      while (i < netdevs_.size() && netdevs_[i].id != d.ref) ++i;
      if (i == netdevs_.size()) {
        *err = "-device virtio-net-pci: no -netdev with id '" + d.ref + "'";
        return {};
      }
      if (netdev_used[i]) {
        *err = "-netdev '" + d.ref + "' is used by two devices";
        return {};
      }
      netdev_used[i] = true;
      VirtioNicOption nic;
      nic.slirp = netdevs_[i].slirp;
      nic.mac = d.mac_set ? d.mac : next_mac;
      if (!d.mac_set) ++next_mac[5];
      plan.nics.push_back(std::move(nic));
    }
  }
  for (size_t i = 0; i < drives_.size(); ++i)
    if (drives_[i].if_none && !drive_used[i]) {
      *err = "-drive '" + drives_[i].id + "' (if=none) is not used by any -device";
      return {};
    }
  for (size_t i = 0; i < netdevs_.size(); ++i)
    if (!netdev_used[i])  // QEMU only warns of this
      std::fprintf(stderr, "lpar: warning: -netdev '%s' has no device (-device virtio-net-pci,netdev=%s)\n",
                   netdevs_[i].id.c_str(), netdevs_[i].id.c_str());
  if (no_nic_ && !plan.nics.empty()) {
    *err = "-nic none together with a network device";
    return {};
  }
  return plan;
}

}  // namespace lpar::cli
