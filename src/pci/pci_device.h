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
//
// Message-signalled interrupts (PCI 3.0 6.8; src/pci/pci_msi.cpp): a device
// may add an MSI-X capability (table and pending-bit array in one of its
// memory BARs, served here before bar_read/bar_write see the access) and/or
// an MSI capability (64-bit address, 1..32 messages, no per-vector masking).
// A vector's message is a memory write of its data to its address, handed to
// the sink the PHB installs (the PHB turns writes to its MSI window into XICS
// interrupts).  While either is enabled the INTx pin stays deasserted (PCI
// 3.0 6.8.1.3, 6.8.2.3).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

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
inline constexpr u8 PCI_CAP_ID_MSI = 0x05, PCI_CAP_ID_VNDR = 0x09, PCI_CAP_ID_MSIX = 0x11;
// MSI capability (PCI 3.0 6.8.1), 64-bit form: offsets from the capability.
inline constexpr unsigned PCI_MSI_FLAGS = 2, PCI_MSI_ADDRESS_LO = 4, PCI_MSI_ADDRESS_HI = 8, PCI_MSI_DATA_64 = 12;
inline constexpr u16 PCI_MSI_FLAGS_ENABLE = 0x1, PCI_MSI_FLAGS_QMASK = 0x0E, PCI_MSI_FLAGS_QSIZE = 0x70,
                     PCI_MSI_FLAGS_64BIT = 0x80;
// MSI-X capability and table (PCI 3.0 6.8.2).
inline constexpr unsigned PCI_MSIX_FLAGS = 2, PCI_MSIX_TABLE = 4, PCI_MSIX_PBA = 8;
inline constexpr u16 PCI_MSIX_FLAGS_QSIZE = 0x07FF, PCI_MSIX_FLAGS_MASKALL = 0x4000, PCI_MSIX_FLAGS_ENABLE = 0x8000;
inline constexpr unsigned PCI_MSIX_ENTRY_SIZE = 16, PCI_MSIX_ENTRY_LOWER_ADDR = 0, PCI_MSIX_ENTRY_UPPER_ADDR = 4,
                          PCI_MSIX_ENTRY_DATA = 8, PCI_MSIX_ENTRY_VECTOR_CTRL = 12;
inline constexpr u32 PCI_MSIX_ENTRY_CTRL_MASKBIT = 0x1;
inline constexpr unsigned PCI_MSIX_MAX_VECTORS = 2048;

enum class BarType : u8 { None, Io, Mem32, Mem64 };

// A message-signalled interrupt: the memory write a function makes.
struct MsiMessage {
  u64 addr = 0;
  u32 data = 0;
  bool operator==(const MsiMessage&) const = default;
};

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

  // --- MSI and MSI-X (PCI 3.0 6.8).  The sink gets each message sent.
  using MsiSink = std::function<void(u64 addr, u32 data)>;
  void set_msi_sink(MsiSink sink);
  unsigned msix_vectors() const { return msix_n_; }  // table size, 0: no MSI-X
  unsigned msi_vectors() const;                      // messages capable, 0: no MSI
  bool msix_enabled() const;
  bool msi_enabled() const;
  // Signals vector n: sends its message, or (MSI-X vector or function
  // masked) sets its pending bit, sent when unmasked.  false: the mechanism
  // is not enabled or n is beyond what is enabled (nothing happens).
  bool msix_notify(unsigned n);
  bool msi_notify(unsigned n);
  // Firmware's programming of the messages (the PHB's ibm,change-msi).
  void msix_set_message(unsigned n, MsiMessage m);
  MsiMessage msix_message(unsigned n) const;
  bool msix_vector_masked(unsigned n) const;
  bool msix_pending(unsigned n) const;
  void msi_set_message(MsiMessage m);
  MsiMessage msi_message() const;

  // A BAR access as the PHB routes it (same contract as bar_read/bar_write):
  // the MSI-X table and PBA are served here, everything else goes to the
  // device.  The fast form declines the MSI-X regions (served on exit).
  bool region_read(unsigned bar, u64 off, unsigned len, u64& value);
  bool region_write(unsigned bar, u64 off, unsigned len, u64 value);
  bool region_write_fast(unsigned bar, u64 off, unsigned len, u64 value);

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
  // MSI-X with n vectors (1..2048): table and PBA at QWORD-aligned offsets
  // of memory BAR bar (added before; both regions inside it, apart).
  // Returns the capability's offset, 0 if refused.
  u8 add_msix(unsigned n, unsigned bar, u32 table_off, u32 pba_off);
  // MSI, 64-bit, 2^log2_n messages (log2_n 0..5).  0 if refused.
  u8 add_msi(unsigned log2_n);
  u8* cfg() { return cfg_.data(); }
  // After a config write (the device may act on it).
  virtual void config_written(unsigned off, unsigned size) {}

 private:
  u16 command() const { return u16(cfg_[PCI_COMMAND] | cfg_[PCI_COMMAND + 1] << 8); }
  u16 cfg16(unsigned off) const { return u16(cfg_[off] | cfg_[off + 1] << 8); }
  void update_intx();
  void set_wmask(unsigned off, unsigned len, u64 mask);
  // pci_msi.cpp; msi_mu_ held unless said otherwise.
  bool msix_on() const;
  bool msix_function_masked() const;
  bool msi_on() const;
  void msix_send(unsigned n);
  void msix_send_pending();
  bool in_msix_region(unsigned bar, u64 off, unsigned len, bool& table, u64& roff) const;
  void msix_table_write(u64 off, unsigned len, u64 value);
  u64 msix_region_read(bool table, u64 off, unsigned len) const;
  void msi_reset_state();
  // After config bytes [off, off+size) changed (msi_mu_ not held).
  void msi_config_written(unsigned off, unsigned size);

  std::array<u8, PCI_CONFIG_SIZE> cfg_{}, init_{}, wmask_{}, w1c_{};
  std::array<BarInfo, PCI_NUM_BARS> bars_{};
  u8 next_cap_ = 0x40;
  u8 last_cap_ = 0;
  mutable std::mutex intx_mu_;  // the pin's state: device threads and config writes
  bool intx_level_ = false, intx_out_ = false, intx_disabled_ = false, intx_pin_ = false;
  bool intx_blocked_ = false;  // MSI or MSI-X enabled
  std::function<void(bool)> intx_sink_;

  // Config bytes change under msi_mu_ (and the PHB's lock), so device
  // threads may read the MSI registers under msi_mu_ alone.
  mutable std::mutex msi_mu_;
  MsiSink msi_sink_;
  u8 msi_cap_ = 0, msix_cap_ = 0;
  unsigned msix_n_ = 0, msix_bar_ = 0;
  u32 msix_table_off_ = 0, msix_pba_off_ = 0;
  std::vector<u32> msix_table_;  // 4 dwords per entry
  std::vector<u64> msix_pba_;
};

}  // namespace lpar::pci
