// A conventional PCI function's configuration space (PCI Local Bus 3.0
// chapter 6: the type 0 header, BARs, the capability list, INTx) as firmware
// and the OS reach it through the PHB's RTAS config calls, and the BARs'
// memory and I/O regions the PHB routes to the function.
//
// Writes go through a per-byte write mask (read-only bytes keep their value)
// and a write-1-to-clear mask (the status register), so the BAR sizing
// protocol falls out: writing all ones to a BAR reads back ~(size - 1) plus
// the type bits (PCI 3.0 6.2.5.1).
//
// Values of config space and of BAR accesses are PCI little-endian numbers:
// byte i of an access is bits 8i..8i+7 of the value.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

namespace lpar::pci {

using u8 = uint8_t;
using u16 = uint16_t;
using u32 = uint32_t;
using u64 = uint64_t;

inline constexpr unsigned PCI_CONFIG_SIZE = 256;
inline constexpr unsigned PCI_NUM_BARS = 6;

// Type 0 header offsets (PCI 3.0 6.1).
inline constexpr unsigned PCI_VENDOR_ID = 0x00, PCI_DEVICE_ID = 0x02, PCI_COMMAND = 0x04,
                          PCI_STATUS = 0x06, PCI_REVISION_ID = 0x08, PCI_CLASS_PROG = 0x09,
                          PCI_CACHE_LINE_SIZE = 0x0C, PCI_LATENCY_TIMER = 0x0D,
                          PCI_HEADER_TYPE = 0x0E, PCI_BAR0 = 0x10, PCI_SUBSYSTEM_VENDOR_ID = 0x2C,
                          PCI_SUBSYSTEM_ID = 0x2E, PCI_ROM_ADDRESS = 0x30, PCI_CAPABILITY_LIST = 0x34,
                          PCI_INTERRUPT_LINE = 0x3C, PCI_INTERRUPT_PIN = 0x3D;
inline constexpr u16 PCI_COMMAND_IO = 0x1, PCI_COMMAND_MEMORY = 0x2, PCI_COMMAND_MASTER = 0x4,
                     PCI_COMMAND_INTX_DISABLE = 0x400;
inline constexpr u16 PCI_STATUS_INTERRUPT = 0x8, PCI_STATUS_CAP_LIST = 0x10;
inline constexpr u8 PCI_CAP_ID_VNDR = 0x09;

enum class BarType : u8 { None, Io, Mem32, Mem64 };

struct BarInfo {
  BarType type = BarType::None;
  u64 size = 0;  // a power of two
  bool prefetch = false;
};

// Where a BAR currently decodes, in PCI bus addresses (nullopt: not
// assigned, or the command register disables its space).
struct BarDecode {
  BarType type;
  u64 bus_addr;
  u64 size;
};

class PciDevice {
 public:
  PciDevice();
  virtual ~PciDevice() = default;
  PciDevice(const PciDevice&) = delete;
  PciDevice& operator=(const PciDevice&) = delete;

  // Config space; the caller checks off + size <= PCI_CONFIG_SIZE, size 1, 2
  // or 4 and natural alignment (the PHB answers RTAS errors for those).
  u32 config_read(unsigned off, unsigned size) const;
  void config_write(unsigned off, unsigned size, u32 value);

  const BarInfo& bar_info(unsigned i) const { return bars_[i]; }
  std::optional<BarDecode> bar_decode(unsigned i) const;
  bool bus_master() const { return command() & PCI_COMMAND_MASTER; }

  // A BAR's region (off < size, len 1, 2, 4 or 8, not crossing the end).
  // false: not claimed (reads then return all ones).
  virtual bool bar_read(unsigned bar, u64 off, unsigned len, u64& value) { return false; }
  virtual bool bar_write(unsigned bar, u64 off, unsigned len, u64 value) { return false; }
  // A store the device serves inside the hypervisor (on the IO bus, no
  // exit): true if served; false sends it the slow way (bar_write on exit).
  virtual bool bar_write_fast(unsigned bar, u64 off, unsigned len, u64 value) { return false; }

  // INTx: the PHB installs the sink (pin level changes, after the INTx
  // disable bit is applied).
  void set_intx_sink(std::function<void(bool)> sink);
  void set_intx(bool level);
  u8 interrupt_pin() const { return cfg_[PCI_INTERRUPT_PIN]; }

  // Power-on state of the header (BARs unassigned, decoding off).
  void reset_config();
  // System reset of the function (devices add their own state).
  virtual void reset() { reset_config(); }

 protected:
  // Identity (PCI 3.0 6.2.1); pin 1..4 = INTA..INTD, 0 = none.
  void set_ids(u16 vendor, u16 device, u32 class_code, u8 revision, u16 subsys_vendor, u16 subsys_id, u8 pin);
  void add_bar(unsigned i, BarType type, u64 size, bool prefetch);
  // Appends a capability of len bytes (len >= 2) to the list; returns its
  // offset (0 if config space is full).  Bytes after the header are
  // read-only unless cap_writable() opens them.
  u8 add_capability(u8 id, u8 len);
  void cap_writable(unsigned off, unsigned len);
  u8* cfg() { return cfg_.data(); }
  // After a config write (the device may act on it).
  virtual void config_written(unsigned off, unsigned size) {}

 private:
  u16 command() const { return u16(cfg_[PCI_COMMAND] | cfg_[PCI_COMMAND + 1] << 8); }
  void update_intx();
  void set_wmask(unsigned off, unsigned len, u64 mask);

  std::array<u8, PCI_CONFIG_SIZE> cfg_{}, init_{}, wmask_{}, w1c_{};
  std::array<BarInfo, PCI_NUM_BARS> bars_{};
  u8 next_cap_ = 0x40;
  u8 last_cap_ = 0;
  mutable std::mutex intx_mu_;  // the pin's state: device threads and config writes
  bool intx_level_ = false, intx_out_ = false, intx_disabled_ = false, intx_pin_ = false;
  std::function<void(bool)> intx_sink_;
};

}  // namespace lpar::pci
