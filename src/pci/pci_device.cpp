#include "pci/pci_device.h"

namespace lpar::pci {

namespace {
// Command bits software may set (PCI 3.0 6.2.2): I/O, memory, bus master,
// parity error response, SERR# enable, interrupt disable.
constexpr u16 COMMAND_WMASK = 0x0547;
// Status bits that are write-1-to-clear (PCI 3.0 6.2.3): parity, signalled
// and received aborts, SERR#, master data parity error.
constexpr u16 STATUS_W1C = 0xF900;
constexpr u8 CAP_END = 0xFF;  // bytes 0x40..0xFF hold the capabilities
}  // namespace

PciDevice::PciDevice() {
  set_wmask(PCI_COMMAND, 2, COMMAND_WMASK);
  w1c_[PCI_STATUS] = u8(STATUS_W1C);
  w1c_[PCI_STATUS + 1] = u8(STATUS_W1C >> 8);
  set_wmask(PCI_CACHE_LINE_SIZE, 1, 0xFF);
  set_wmask(PCI_LATENCY_TIMER, 1, 0xFF);
  set_wmask(PCI_INTERRUPT_LINE, 1, 0xFF);
}

void PciDevice::set_wmask(unsigned off, unsigned len, u64 mask) {
  for (unsigned i = 0; i < len && off + i < PCI_CONFIG_SIZE; ++i) wmask_[off + i] = u8(mask >> (8 * i));
}

void PciDevice::set_ids(u16 vendor, u16 device, u32 class_code, u8 revision, u16 subsys_vendor, u16 subsys_id,
                        u8 pin) {
  auto put16 = [&](unsigned off, u16 v) {
    cfg_[off] = u8(v), cfg_[off + 1] = u8(v >> 8);
  };
  put16(PCI_VENDOR_ID, vendor);
  put16(PCI_DEVICE_ID, device);
  cfg_[PCI_REVISION_ID] = revision;
  cfg_[PCI_CLASS_PROG] = u8(class_code);
  cfg_[PCI_CLASS_PROG + 1] = u8(class_code >> 8);
  cfg_[PCI_CLASS_PROG + 2] = u8(class_code >> 16);
  cfg_[PCI_HEADER_TYPE] = 0;  // type 0, single function
  put16(PCI_SUBSYSTEM_VENDOR_ID, subsys_vendor);
  put16(PCI_SUBSYSTEM_ID, subsys_id);
  cfg_[PCI_INTERRUPT_PIN] = pin <= 4 ? pin : 0;
  intx_pin_ = cfg_[PCI_INTERRUPT_PIN] != 0;
  init_ = cfg_;
}

void PciDevice::add_bar(unsigned i, BarType type, u64 size, bool prefetch) {
  if (i >= PCI_NUM_BARS || (type == BarType::Mem64 && i + 1 >= PCI_NUM_BARS)) return;
  // Smallest sizes the type bits leave room for (PCI 3.0 6.2.5.1).
  const u64 min = type == BarType::Io ? 4 : 16;
  if (size < min) size = min;
  if (size & (size - 1)) size = u64{1} << (64 - __builtin_clzll(size));
  bars_[i] = BarInfo{type, size, prefetch && type != BarType::Io};
  const unsigned off = PCI_BAR0 + 4 * i;
  u32 flags = 0;
  switch (type) {
    case BarType::Io: flags = 0x1; break;
    case BarType::Mem32: flags = prefetch ? 0x8 : 0x0; break;
    case BarType::Mem64: flags = 0x4 | (prefetch ? 0x8 : 0x0); break;
    case BarType::None: return;
  }
  const u64 addr_mask = ~(size - 1);
  for (unsigned b = 0; b < 4; ++b) cfg_[off + b] = u8(flags >> (8 * b));
  set_wmask(off, 4, u32(addr_mask) & (type == BarType::Io ? ~u32{3} : ~u32{0xF}));
  if (type == BarType::Mem64) {
    bars_[i + 1] = BarInfo{};
    for (unsigned b = 0; b < 4; ++b) cfg_[off + 4 + b] = 0;
    set_wmask(off + 4, 4, u32(addr_mask >> 32));
  }
  init_ = cfg_;
}

u8 PciDevice::add_capability(u8 id, u8 len) {
  len = u8((len + 3) & ~3);  // dword aligned, as the list pointers must be
  if (len < 4 || unsigned(next_cap_) + len > unsigned(CAP_END) + 1) return 0;
  const u8 off = next_cap_;
  cfg_[off] = id;
  cfg_[off + 1] = 0;
  if (last_cap_)
    cfg_[last_cap_ + 1] = off;
  else
    cfg_[PCI_CAPABILITY_LIST] = off;
  cfg_[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
  last_cap_ = off;
  next_cap_ = u8(off + len);
  init_ = cfg_;
  return off;
}

void PciDevice::cap_writable(unsigned off, unsigned len) { set_wmask(off, len, ~u64{0}); }

u32 PciDevice::config_read(unsigned off, unsigned size) const {
  u32 v = 0;
  for (unsigned i = 0; i < size && off + i < PCI_CONFIG_SIZE; ++i) v |= u32(cfg_[off + i]) << (8 * i);
  // The interrupt status bit follows the pin (PCI 3.0 6.2.3).
  if (off <= PCI_STATUS && PCI_STATUS < off + size) {
    std::lock_guard<std::mutex> g(intx_mu_);
    if (intx_level_) v |= u32(PCI_STATUS_INTERRUPT) << (8 * (PCI_STATUS - off));
  }
  return v;
}

void PciDevice::config_write(unsigned off, unsigned size, u32 value) {
  {
    std::lock_guard<std::mutex> g(msi_mu_);
    for (unsigned i = 0; i < size && off + i < PCI_CONFIG_SIZE; ++i) {
      const unsigned o = off + i;
      const u8 b = u8(value >> (8 * i));
      cfg_[o] &= u8(~(b & w1c_[o]));
      cfg_[o] = u8((cfg_[o] & ~wmask_[o]) | (b & wmask_[o]));
    }
  }
  if (off <= PCI_COMMAND + 1 && PCI_COMMAND < off + size) {
    {
      std::lock_guard<std::mutex> g(intx_mu_);
      intx_disabled_ = command() & PCI_COMMAND_INTX_DISABLE;
    }
    update_intx();
  }
  msi_config_written(off, size);
  config_written(off, size);
}

std::optional<BarDecode> PciDevice::bar_decode(unsigned i) const {
  if (i >= PCI_NUM_BARS) return std::nullopt;
  const BarInfo& b = bars_[i];
  if (b.type == BarType::None) return std::nullopt;
  const u16 cmd = command();
  if (b.type == BarType::Io ? !(cmd & PCI_COMMAND_IO) : !(cmd & PCI_COMMAND_MEMORY)) return std::nullopt;
  const unsigned off = PCI_BAR0 + 4 * i;
  u64 addr = config_read(off, 4);
  if (b.type == BarType::Mem64) addr |= u64(config_read(off + 4, 4)) << 32;
  addr &= b.type == BarType::Io ? ~u64{3} : ~u64{0xF};
  if (b.type != BarType::Mem64) addr &= 0xFFFFFFFFu;
  // Zero is "not assigned" (firmware never places a BAR there); a BAR
  // whose end wraps is being sized.
  if (addr == 0 || addr + b.size < addr) return std::nullopt;
  return BarDecode{b.type, addr, b.size};
}

void PciDevice::set_intx_sink(std::function<void(bool)> sink) {
  std::lock_guard<std::mutex> g(intx_mu_);
  intx_sink_ = std::move(sink);
}

void PciDevice::set_intx(bool level) {
  {
    std::lock_guard<std::mutex> g(intx_mu_);
    intx_level_ = level;
  }
  update_intx();
}

void PciDevice::update_intx() {
  std::lock_guard<std::mutex> g(intx_mu_);
  const bool out = intx_level_ && intx_pin_ && !intx_disabled_ && !intx_blocked_;
  if (out == intx_out_) return;
  intx_out_ = out;
  if (intx_sink_) intx_sink_(out);
}

void PciDevice::reset_config() {
  {
    std::lock_guard<std::mutex> g(msi_mu_);
    cfg_ = init_;
    msi_reset_state();
  }
  {
    std::lock_guard<std::mutex> g(intx_mu_);
    intx_disabled_ = false;
    intx_blocked_ = false;
  }
  update_intx();
}

}  // namespace lpar::pci
