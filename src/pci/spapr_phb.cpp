#include "pci/spapr_phb.h"

#include <fmt/format.h>

#include <algorithm>

#include "papr/rtas.h"

namespace lpar::pci {

namespace {

// Storage order on the bus (hv/io_bus.h) <-> PCI little-endian value.
u64 swap_len(u64 v, unsigned len) {
  u64 r = 0;
  for (unsigned i = 0; i < len; ++i) r |= ((v >> (8 * i)) & 0xFF) << (8 * (len - 1 - i));
  return r;
}

bool valid_len(unsigned len) { return len == 1 || len == 2 || len == 4 || len == 8; }

// Real addressing ignores the top four bits (Book III-S 5.7.3), as RTAS callers may pass them.
constexpr u64 REAL_MASK = 0x0FFFFFFFFFFFFFFFull;

}  // namespace

SpaprPhb::SpaprPhb(papr::GuestMemory& gm, papr::TceTables& tce, IrqFn set_irq, SpaprPhbConfig cfg)
    : gm_(gm),
      tce_(tce),
      set_irq_(std::move(set_irq)),
      cfg_(cfg),
      direct_(gm),
      iommu_(tce, cfg.liobn, gm) {
  if (!tce_.has_window(cfg_.liobn)) tce_.add_window(cfg_.liobn, 0, cfg_.dma_window_size);
  msi_used_.assign(cfg_.msi_count, false);
}

SpaprPhb::~SpaprPhb() = default;

std::array<u32, PCI_INTX_LINES> SpaprPhb::lsi_irqs() const {
  return {cfg_.lsi_base, cfg_.lsi_base + 1, cfg_.lsi_base + 2, cfg_.lsi_base + 3};
}

int SpaprPhb::add_device(std::unique_ptr<PciDevice> dev, int slot) {
  if (!dev) return -1;
  std::lock_guard<std::mutex> g(mu_);
  if (slot < 0) {
    for (unsigned s = 0; s < PCI_SLOTS; ++s)
      if (!slots_[s]) {
        slot = int(s);
        break;
      }
  }
  if (slot < 0 || unsigned(slot) >= PCI_SLOTS || slots_[slot]) return -1;
  const u8 pin = dev->interrupt_pin();
  if (pin) {
    // The swizzle of QEMU's spapr_phb_map_irq, which interrupt-map publishes.
    const unsigned line = (unsigned(slot) + pin - 1) % PCI_INTX_LINES;
    dev->set_intx_sink([this, line](bool level) { set_lsi(line, level); });
  }
  dev->set_msi_sink([this](u64 addr, u32 data) { msi_write(addr, data); });
  slots_[slot] = std::move(dev);
  return slot;
}

void SpaprPhb::reset() {
  std::lock_guard<std::mutex> g(mu_);
  for (auto& d : slots_)
    if (d) d->reset();
  // The functions' tables are back to power-on: every MSI is free again.
  msi_alloc_ = {};
  std::fill(msi_used_.begin(), msi_used_.end(), false);
  // Without firmware the PHB is the one that places the BARs again.
  if (enumerated_) enumerate_locked();
}

void SpaprPhb::set_lsi(unsigned line, bool level) {
  std::lock_guard<std::mutex> g(lsi_mu_);
  // Functions share the four lines: the line is the OR of their pins.
  unsigned& n = lsi_count_[line];
  const bool before = n > 0;
  if (level)
    ++n;
  else if (n)
    --n;
  if ((n > 0) != before && set_irq_) set_irq_(cfg_.lsi_base + line, n > 0);
}

// --- Config space through RTAS.

PciDevice* SpaprPhb::find_function(u64 buid, u32 config_addr, unsigned& reg) {
  if (buid != cfg_.buid) return nullptr;
  const unsigned bus = (config_addr >> 16) & 0xFF;
  const unsigned devfn = (config_addr >> 8) & 0xFF;
  reg = ((config_addr >> 20) & 0xF00) | (config_addr & 0xFF);
  if (bus != 0 || (devfn & 7) != 0) return nullptr;  // one bus, single-function devices
  return slots_[devfn >> 3].get();
}

int32_t SpaprPhb::rtas_config_read(u64 buid, u32 config_addr, u32 size, u32& value) {
  if (size != 1 && size != 2 && size != 4) return papr::RTAS_OUT_HW_ERROR;
  std::lock_guard<std::mutex> g(mu_);
  unsigned reg = 0;
  PciDevice* d = find_function(buid, config_addr, reg);
  if (!d || reg % size || reg + size > PCI_CONFIG_SIZE) return papr::RTAS_OUT_HW_ERROR;
  value = d->config_read(reg, size);
  return papr::RTAS_OUT_SUCCESS;
}

int32_t SpaprPhb::rtas_config_write(u64 buid, u32 config_addr, u32 size, u32 value) {
  if (size != 1 && size != 2 && size != 4) return papr::RTAS_OUT_HW_ERROR;
  std::lock_guard<std::mutex> g(mu_);
  unsigned reg = 0;
  PciDevice* d = find_function(buid, config_addr, reg);
  if (!d || reg % size || reg + size > PCI_CONFIG_SIZE) return papr::RTAS_OUT_HW_ERROR;
  d->config_write(reg, size, size == 4 ? value : value & ((u32{1} << (8 * size)) - 1));
  return papr::RTAS_OUT_SUCCESS;
}

bool SpaprPhb::rtas_call(u32 token, std::span<const u32> args, std::span<u32> rets) {
  auto shape = [&](size_t na, size_t nr) {
    if (args.size() == na && rets.size() == nr) return true;
    if (!rets.empty()) rets[0] = u32(papr::RTAS_OUT_PARAM_ERROR);
    return false;
  };
  auto buid_of = [&](size_t i) { return u64(args[i]) << 32 | args[i + 1]; };
  u32 v = 0;
  switch (token) {
    case papr::RTAS_READ_PCI_CONFIG:  // (addr, size) -> (status, value)
      if (!shape(2, 2)) return true;
      rets[0] = u32(rtas_config_read(cfg_.buid, args[0], args[1], v));
      rets[1] = rets[0] == 0 ? v : ~u32{0};
      return true;
    case papr::RTAS_IBM_READ_PCI_CONFIG:  // (addr, buid hi, buid lo, size) -> (status, value)
      if (!shape(4, 2)) return true;
      rets[0] = u32(rtas_config_read(buid_of(1), args[0], args[3], v));
      rets[1] = rets[0] == 0 ? v : ~u32{0};
      return true;
    case papr::RTAS_WRITE_PCI_CONFIG:  // (addr, size, value) -> (status)
      if (!shape(3, 1)) return true;
      rets[0] = u32(rtas_config_write(cfg_.buid, args[0], args[1], args[2]));
      return true;
    case papr::RTAS_IBM_WRITE_PCI_CONFIG:  // (addr, buid hi, buid lo, size, value) -> (status)
      if (!shape(5, 1)) return true;
      rets[0] = u32(rtas_config_write(buid_of(1), args[0], args[3], args[4]));
      return true;
    default:
      return rtas_msi_call(token, args, rets);
  }
}

bool SpaprPhb::rtas_buffer(u64 addr) {
  const u64 base = addr & REAL_MASK;
  u32 token = 0, nargs = 0, nret = 0;
  if (!gm_.read_be32(base, token)) return false;
  // The config calls 0x2014..0x2017 and the MSI calls 0x2018..0x2019 (papr/rtas.h).
  if (token < papr::RTAS_READ_PCI_CONFIG || token > papr::RTAS_IBM_CHANGE_MSI) return false;
  if (!gm_.read_be32(base + 4, nargs) || !gm_.read_be32(base + 8, nret)) return false;
  constexpr u32 MAX_CELLS = 8;  // the largest of these calls takes 6 + 4
  if (nargs > MAX_CELLS || nret > MAX_CELLS || !gm_.host_ptr(base + 12, 4 * u64(nargs + nret))) return false;
  u32 a[MAX_CELLS] = {}, r[MAX_CELLS] = {};
  for (u32 i = 0; i < nargs; ++i) gm_.read_be32(base + 12 + 4 * u64(i), a[i]);
  rtas_call(token, std::span<const u32>(a, nargs), std::span<u32>(r, nret));
  for (u32 i = 0; i < nret; ++i) gm_.write_be32(base + 12 + 4 * u64(nargs + i), r[i]);
  return true;
}

std::vector<std::string> SpaprPhb::rtas_call_names() {
  return {"read-pci-config",      "write-pci-config", "ibm,read-pci-config", "ibm,write-pci-config",
          "ibm,query-interrupt-source-number", "ibm,change-msi"};
}

// --- MMIO.

bool SpaprPhb::in_windows(u64 gpa, unsigned len) const {
  auto in = [&](u64 base, u64 size) { return gpa - base < size && len <= size - (gpa - base); };
  return in(cfg_.io_win_addr, cfg_.io_win_size) || in(cfg_.mem32_win_addr, cfg_.mem32_win_size) ||
         in(cfg_.mem64_win_addr, cfg_.mem64_win_size);
}

bool SpaprPhb::find_target(u64 gpa, unsigned len, Target& t) {
  bool io = false;
  u64 bus;
  if (gpa - cfg_.io_win_addr < cfg_.io_win_size) {
    io = true;
    bus = gpa - cfg_.io_win_addr;
  } else if (gpa - cfg_.mem32_win_addr < cfg_.mem32_win_size) {
    bus = cfg_.mem32_bus_addr + (gpa - cfg_.mem32_win_addr);
  } else if (gpa - cfg_.mem64_win_addr < cfg_.mem64_win_size) {
    bus = gpa;
  } else {
    return false;
  }
  std::lock_guard<std::mutex> g(mu_);
  for (auto& d : slots_) {
    if (!d) continue;
    for (unsigned b = 0; b < PCI_NUM_BARS; ++b) {
      auto dec = d->bar_decode(b);
      if (!dec || (dec->type == BarType::Io) != io) continue;
      const u64 off = bus - dec->bus_addr;
      if (off < dec->size && len <= dec->size - off) {
        t = Target{d.get(), b, off};
        return true;
      }
    }
  }
  return false;
}

bool SpaprPhb::mmio_read(u64 gpa, unsigned len, u64& value) {
  if (!valid_len(len) || !in_windows(gpa, len)) return false;
  exit_accesses_.fetch_add(1, std::memory_order_relaxed);
  Target t;
  u64 v = 0;
  if (!find_target(gpa, len, t) || !t.dev->region_read(t.bar, t.off, len, v)) v = ~u64{0};
  value = swap_len(v, len);
  if (len < 8) value &= (u64{1} << (8 * len)) - 1;
  return true;
}

bool SpaprPhb::mmio_write(u64 gpa, unsigned len, u64 value) {
  if (!valid_len(len) || !in_windows(gpa, len)) return false;
  exit_accesses_.fetch_add(1, std::memory_order_relaxed);
  Target t;
  if (find_target(gpa, len, t)) t.dev->region_write(t.bar, t.off, len, swap_len(value, len));
  return true;
}

std::vector<hv::IoDevice> SpaprPhb::io_bus_devices() {
  auto make = [this](u64 base, u64 size) {
    hv::IoDevice d;
    d.addr = base;
    d.len = size;
    d.read = [](u64, unsigned, u64&) { return false; };
    d.write = [this, base](u64 off, unsigned len, u64 value) {
      Target t;
      if (!valid_len(len) || !find_target(base + off, len, t)) return false;
      if (!t.dev->region_write_fast(t.bar, t.off, len, swap_len(value, len))) return false;
      fast_writes_.fetch_add(1, std::memory_order_relaxed);
      return true;
    };
    return d;
  };
  return {make(cfg_.mem32_win_addr, cfg_.mem32_win_size), make(cfg_.mem64_win_addr, cfg_.mem64_win_size)};
}

std::string SpaprPhb::fdt_node_name() const { return fmt::format("pci@{:x}", cfg_.buid); }

}  // namespace lpar::pci
