// Message-signalled interrupts of a PCI function (PCI Local Bus 3.0 6.8):
// the MSI and MSI-X capabilities, the MSI-X table and pending-bit array, and
// the sending of a vector's message.  See pci_device.h.
#include <algorithm>

#include "pci/pci_device.h"

namespace lpar::pci {

namespace {
constexpr unsigned MSIX_CAP_LEN = 12;  // id, next, control, table, PBA (6.8.2)
constexpr unsigned MSI64_CAP_LEN = 14;  // id, next, control, address 64, data (6.8.1)
constexpr unsigned MSI_MAX_LOG2 = 5;    // 32 messages
unsigned pba_bytes(unsigned n) { return 8 * ((n + 63) / 64); }
}  // namespace

// --- Capabilities.

u8 PciDevice::add_msix(unsigned n, unsigned bar, u32 table_off, u32 pba_off) {
  if (msix_cap_ || n == 0 || n > PCI_MSIX_MAX_VECTORS || bar >= PCI_NUM_BARS) return 0;
  const BarInfo& b = bars_[bar];
  if (b.type != BarType::Mem32 && b.type != BarType::Mem64) return 0;
  // QWORD-aligned offsets whose low three bits carry the BIR (6.8.2.4-5).
  if (table_off % 8 || pba_off % 8) return 0;
  const u64 t_end = u64(table_off) + PCI_MSIX_ENTRY_SIZE * n, p_end = u64(pba_off) + pba_bytes(n);
  if (t_end > b.size || p_end > b.size || (table_off < p_end && pba_off < t_end)) return 0;
  const u8 c = add_capability(PCI_CAP_ID_MSIX, MSIX_CAP_LEN);
  if (!c) return 0;
  auto put = [&](unsigned off, u32 v, unsigned len) {
    for (unsigned i = 0; i < len; ++i) cfg_[c + off + i] = u8(v >> (8 * i));
  };
  put(PCI_MSIX_FLAGS, n - 1, 2);
  put(PCI_MSIX_TABLE, table_off | bar, 4);
  put(PCI_MSIX_PBA, pba_off | bar, 4);
  set_wmask(c + PCI_MSIX_FLAGS, 2, PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
  init_ = cfg_;
  msix_cap_ = c;
  msix_n_ = n;
  msix_bar_ = bar;
  msix_table_off_ = table_off;
  msix_pba_off_ = pba_off;
  msix_table_.assign(4 * size_t(n), 0);
  msix_pba_.assign(pba_bytes(n) / 8, 0);
  msi_reset_state();
  return c;
}

u8 PciDevice::add_msi(unsigned log2_n) {
  if (msi_cap_ || log2_n > MSI_MAX_LOG2) return 0;
  const u8 c = add_capability(PCI_CAP_ID_MSI, MSI64_CAP_LEN);
  if (!c) return 0;
  const u16 flags = u16(PCI_MSI_FLAGS_64BIT | (log2_n << 1));
  cfg_[c + PCI_MSI_FLAGS] = u8(flags);
  cfg_[c + PCI_MSI_FLAGS + 1] = u8(flags >> 8);
  // Enable and Multiple Message Enable; the address is DWORD aligned.
  set_wmask(c + PCI_MSI_FLAGS, 2, PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
  set_wmask(c + PCI_MSI_ADDRESS_LO, 4, 0xFFFFFFFC);
  set_wmask(c + PCI_MSI_ADDRESS_HI, 4, 0xFFFFFFFF);
  set_wmask(c + PCI_MSI_DATA_64, 2, 0xFFFF);
  init_ = cfg_;
  msi_cap_ = c;
  return c;
}

void PciDevice::msi_reset_state() {
  for (unsigned i = 0; i < msix_n_; ++i) {
    msix_table_[4 * i + 0] = msix_table_[4 * i + 1] = msix_table_[4 * i + 2] = 0;
    // Vectors come out of reset masked (6.8.2.9).
    msix_table_[4 * i + 3] = PCI_MSIX_ENTRY_CTRL_MASKBIT;
  }
  std::fill(msix_pba_.begin(), msix_pba_.end(), 0);
}

void PciDevice::set_msi_sink(MsiSink sink) {
  std::lock_guard<std::mutex> g(msi_mu_);
  msi_sink_ = std::move(sink);
}

// --- State.

bool PciDevice::msix_on() const { return msix_cap_ && (cfg16(msix_cap_ + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_ENABLE); }
bool PciDevice::msix_function_masked() const {
  return cfg16(msix_cap_ + PCI_MSIX_FLAGS) & PCI_MSIX_FLAGS_MASKALL;
}
bool PciDevice::msi_on() const { return msi_cap_ && (cfg16(msi_cap_ + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_ENABLE); }

unsigned PciDevice::msi_vectors() const {
  if (!msi_cap_) return 0;
  return 1u << ((cfg16(msi_cap_ + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_QMASK) >> 1);  // read-only bits
}

bool PciDevice::msix_enabled() const {
  std::lock_guard<std::mutex> g(msi_mu_);
  return msix_on();
}

bool PciDevice::msi_enabled() const {
  std::lock_guard<std::mutex> g(msi_mu_);
  return msi_on();
}

void PciDevice::msi_config_written(unsigned off, unsigned size) {
  auto touches = [&](u8 cap) { return cap && off < cap + PCI_MSI_FLAGS + 2u && cap + PCI_MSI_FLAGS < off + size; };
  if (!touches(msix_cap_) && !touches(msi_cap_)) return;
  bool blocked;
  {
    std::lock_guard<std::mutex> g(msi_mu_);
    blocked = msix_on() || msi_on();
    // Enabling or clearing Function Mask sends what was pending (6.8.2.3).
    msix_send_pending();
  }
  {
    std::lock_guard<std::mutex> g(intx_mu_);
    intx_blocked_ = blocked;
  }
  update_intx();
}

// --- Sending.

void PciDevice::msix_send(unsigned n) {
  if (!msi_sink_) return;
  const u32* e = &msix_table_[4 * n];
  msi_sink_(u64(e[1]) << 32 | e[0], e[2]);
}

void PciDevice::msix_send_pending() {
  if (!msix_on() || msix_function_masked()) return;
  for (unsigned n = 0; n < msix_n_; ++n) {
    u64& word = msix_pba_[n / 64];
    const u64 bit = u64{1} << (n % 64);
    if ((word & bit) && !(msix_table_[4 * n + 3] & PCI_MSIX_ENTRY_CTRL_MASKBIT)) {
      word &= ~bit;
      msix_send(n);
    }
  }
}

bool PciDevice::msix_notify(unsigned n) {
  std::lock_guard<std::mutex> g(msi_mu_);
  if (!msix_on() || n >= msix_n_) return false;
  if (msix_function_masked() || (msix_table_[4 * n + 3] & PCI_MSIX_ENTRY_CTRL_MASKBIT))
    msix_pba_[n / 64] |= u64{1} << (n % 64);
  else
    msix_send(n);
  return true;
}

bool PciDevice::msi_notify(unsigned n) {
  std::lock_guard<std::mutex> g(msi_mu_);
  if (!msi_on()) return false;
  // Multiple Message Enable, never above what the function is capable of.
  const unsigned mme = (cfg16(msi_cap_ + PCI_MSI_FLAGS) & PCI_MSI_FLAGS_QSIZE) >> 4;
  const unsigned count = std::min(1u << mme, msi_vectors());
  if (n >= count) return false;
  if (!msi_sink_) return true;
  const MsiMessage m = [&] {
    MsiMessage r;
    for (unsigned i = 0; i < 8; ++i) r.addr |= u64(cfg_[msi_cap_ + PCI_MSI_ADDRESS_LO + i]) << (8 * i);
    r.data = cfg16(msi_cap_ + PCI_MSI_DATA_64);
    return r;
  }();
  // The function puts the vector number in the low bits of the data (6.8.1.6).
  msi_sink_(m.addr, (m.data & ~(count - 1)) | n);
  return true;
}

// --- Firmware's messages.

void PciDevice::msix_set_message(unsigned n, MsiMessage m) {
  std::lock_guard<std::mutex> g(msi_mu_);
  if (n >= msix_n_) return;
  msix_table_[4 * n + 0] = u32(m.addr) & ~u32{3};
  msix_table_[4 * n + 1] = u32(m.addr >> 32);
  msix_table_[4 * n + 2] = m.data;
}

MsiMessage PciDevice::msix_message(unsigned n) const {
  std::lock_guard<std::mutex> g(msi_mu_);
  if (n >= msix_n_) return {};
  return MsiMessage{u64(msix_table_[4 * n + 1]) << 32 | msix_table_[4 * n], msix_table_[4 * n + 2]};
}

bool PciDevice::msix_vector_masked(unsigned n) const {
  std::lock_guard<std::mutex> g(msi_mu_);
  return n < msix_n_ && (msix_table_[4 * n + 3] & PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

bool PciDevice::msix_pending(unsigned n) const {
  std::lock_guard<std::mutex> g(msi_mu_);
  return n < msix_n_ && (msix_pba_[n / 64] >> (n % 64) & 1);
}

void PciDevice::msi_set_message(MsiMessage m) {
  std::lock_guard<std::mutex> g(msi_mu_);
  if (!msi_cap_) return;
  const u64 addr = m.addr & ~u64{3};
  for (unsigned i = 0; i < 8; ++i) cfg_[msi_cap_ + PCI_MSI_ADDRESS_LO + i] = u8(addr >> (8 * i));
  cfg_[msi_cap_ + PCI_MSI_DATA_64] = u8(m.data);
  cfg_[msi_cap_ + PCI_MSI_DATA_64 + 1] = u8(m.data >> 8);
}

MsiMessage PciDevice::msi_message() const {
  std::lock_guard<std::mutex> g(msi_mu_);
  MsiMessage r;
  if (!msi_cap_) return r;
  for (unsigned i = 0; i < 8; ++i) r.addr |= u64(cfg_[msi_cap_ + PCI_MSI_ADDRESS_LO + i]) << (8 * i);
  r.data = cfg16(msi_cap_ + PCI_MSI_DATA_64);
  return r;
}

// --- The MSI-X table and PBA in their BAR.

bool PciDevice::in_msix_region(unsigned bar, u64 off, unsigned len, bool& table, u64& roff) const {
  // Immutable after construction: no lock.
  if (!msix_cap_ || bar != msix_bar_) return false;
  auto in = [&](u64 base, u64 size) { return off >= base && off - base < size && len <= size - (off - base); };
  if (in(msix_table_off_, u64(PCI_MSIX_ENTRY_SIZE) * msix_n_)) {
    table = true;
    roff = off - msix_table_off_;
    return true;
  }
  if (in(msix_pba_off_, pba_bytes(msix_n_))) {
    table = false;
    roff = off - msix_pba_off_;
    return true;
  }
  return false;
}

u64 PciDevice::msix_region_read(bool table, u64 off, unsigned len) const {
  u64 v = 0;
  for (unsigned i = 0; i < len; ++i) {
    const u64 o = off + i;
    const u64 byte = table ? (msix_table_[o / 4] >> (8 * (o % 4))) & 0xFF : (msix_pba_[o / 8] >> (8 * (o % 8))) & 0xFF;
    v |= byte << (8 * i);
  }
  return v;
}

void PciDevice::msix_table_write(u64 off, unsigned len, u64 value) {
  for (unsigned i = 0; i < len; ++i) {
    const u64 o = off + i;
    u32& dw = msix_table_[o / 4];
    const unsigned sh = unsigned(8 * (o % 4));
    dw = (dw & ~(u32{0xFF} << sh)) | u32((value >> (8 * i)) & 0xFF) << sh;
  }
  // The address's two low bits and the control's reserved bits read as zero (6.8.2.6, 6.8.2.9).
  for (u64 e = off / PCI_MSIX_ENTRY_SIZE; e <= (off + len - 1) / PCI_MSIX_ENTRY_SIZE; ++e) {
    msix_table_[4 * e] &= ~u32{3};
    msix_table_[4 * e + 3] &= PCI_MSIX_ENTRY_CTRL_MASKBIT;
  }
  // Clearing a vector's mask bit sends its pending message (6.8.2.9).
  msix_send_pending();
}

bool PciDevice::region_read(unsigned bar, u64 off, unsigned len, u64& value) {
  bool table;
  u64 roff;
  if (in_msix_region(bar, off, len, table, roff)) {
    std::lock_guard<std::mutex> g(msi_mu_);
    value = msix_region_read(table, roff, len);
    return true;
  }
  return bar_read(bar, off, len, value);
}

bool PciDevice::region_write(unsigned bar, u64 off, unsigned len, u64 value) {
  bool table;
  u64 roff;
  if (in_msix_region(bar, off, len, table, roff)) {
    std::lock_guard<std::mutex> g(msi_mu_);
    if (table) msix_table_write(roff, len, value);  // the PBA is read-only
    return true;
  }
  return bar_write(bar, off, len, value);
}

bool PciDevice::region_write_fast(unsigned bar, u64 off, unsigned len, u64 value) {
  bool table;
  u64 roff;
  if (in_msix_region(bar, off, len, table, roff)) return false;
  return bar_write_fast(bar, off, len, value);
}

}  // namespace lpar::pci
