// MSI and MSI-X on the sPAPR PHB (LoPAPR 1.1 7.3.10.5 "MSI support"): the
// ibm,change-msi and ibm,query-interrupt-source-number RTAS calls, the
// allocation of XICS sources from the PHB's range, and the MSI window that
// turns a function's message into an interrupt.  See spapr_phb.h.
#include <bit>

#include "papr/rtas.h"
#include "pci/spapr_phb.h"

namespace lpar::pci {

namespace {
// How far past its base the window decodes (QEMU maps one 64 KiB page).
constexpr u64 MSI_WINDOW_SIZE = 0x10000;
// Interrupt type ibm,query-interrupt-source-number reports: MSIs are edges.
constexpr u32 MSI_SOURCE_EDGE = 1;
unsigned slot_of(u32 config_addr) { return (config_addr >> 11) & 0x1F; }
}  // namespace

void SpaprPhb::msi_release(unsigned slot) {
  MsiBlock& b = msi_alloc_[slot];
  for (u32 i = 0; i < b.size; ++i) msi_used_[b.first - cfg_.msi_base + i] = false;
  if (PciDevice* d = slots_[slot].get()) {
    // Stale messages must not reach sources another function gets next.
    if (b.type == RTAS_MSI_TYPE_MSIX)
      for (unsigned i = 0; i < d->msix_vectors(); ++i) d->msix_set_message(i, {});
    else if (b.type == RTAS_MSI_TYPE_MSI)
      d->msi_set_message({});
  }
  b = MsiBlock{};
}

int32_t SpaprPhb::rtas_change_msi(u64 buid, u32 config_addr, u32 func, u32 req, u32& count, u32& type) {
  std::lock_guard<std::mutex> g(mu_);
  unsigned reg = 0;
  PciDevice* d = find_function(buid, config_addr, reg);
  if (!d) return papr::RTAS_OUT_PARAM_ERROR;
  const unsigned slot = slot_of(config_addr);
  MsiBlock& b = msi_alloc_[slot];
  u32 want = RTAS_MSI_TYPE_NONE;
  switch (func) {
    case RTAS_CHANGE_MSI_QUERY:
      count = b.num;
      type = b.type;
      return papr::RTAS_OUT_SUCCESS;
    case RTAS_CHANGE_MSI_RESET:
      req = 0;
      break;
    // Function 1 lets the platform choose; it gives MSI, as QEMU (Linux
    // uses it only as the fallback for MSI).
    case RTAS_CHANGE_MSI_CHANGE:
    case RTAS_CHANGE_MSI_MSI: want = RTAS_MSI_TYPE_MSI; break;
    case RTAS_CHANGE_MSI_MSIX: want = RTAS_MSI_TYPE_MSIX; break;
    default: return papr::RTAS_OUT_PARAM_ERROR;
  }
  if (req == 0) {
    msi_release(slot);
    count = 0;
    type = RTAS_MSI_TYPE_NONE;
    return papr::RTAS_OUT_SUCCESS;
  }
  const unsigned max = want == RTAS_MSI_TYPE_MSI ? d->msi_vectors() : d->msix_vectors();
  if (max == 0) return papr::RTAS_OUT_HW_ERROR;
  if (req > max) {
    // The most the function can take; the caller asks again for that.
    count = max;
    type = want;
    return papr::RTAS_OUT_SUCCESS;
  }
  // An MSI function puts the vector in the low data bits (PCI 3.0 6.8.1.6):
  // its block is a power of two, aligned to its size.
  const u32 size = want == RTAS_MSI_TYPE_MSI ? std::bit_ceil(req) : req;
  const u32 align = want == RTAS_MSI_TYPE_MSI ? size : 1;
  const MsiBlock old = b;
  for (u32 i = 0; i < old.size; ++i) msi_used_[old.first - cfg_.msi_base + i] = false;
  u32 start = cfg_.msi_count;
  for (u32 s = 0; s + size <= cfg_.msi_count; ++s) {
    if ((cfg_.msi_base + s) % align) continue;
    u32 i = 0;
    while (i < size && !msi_used_[s + i]) ++i;
    if (i == size) {
      start = s;
      break;
    }
  }
  if (start == cfg_.msi_count) {
    for (u32 i = 0; i < old.size; ++i) msi_used_[old.first - cfg_.msi_base + i] = true;
    return papr::RTAS_OUT_HW_ERROR;
  }
  b = old;
  msi_release(slot);  // clears the old messages
  for (u32 i = 0; i < size; ++i) msi_used_[start + i] = true;
  const u32 first = cfg_.msi_base + start;
  b = MsiBlock{first, req, size, want};
  // What the function sends: the source number to the window (as QEMU's
  // spapr_msi_setmsg programs it).
  if (want == RTAS_MSI_TYPE_MSIX) {
    for (unsigned i = 0; i < d->msix_vectors(); ++i)
      d->msix_set_message(i, i < req ? MsiMessage{cfg_.msi_window, first + i} : MsiMessage{});
  } else {
    d->msi_set_message(MsiMessage{cfg_.msi_window, first});
  }
  count = req;
  type = want;
  return papr::RTAS_OUT_SUCCESS;
}

int32_t SpaprPhb::rtas_query_msi_source(u64 buid, u32 config_addr, u32 i, u32& irq) {
  std::lock_guard<std::mutex> g(mu_);
  unsigned reg = 0;
  if (!find_function(buid, config_addr, reg)) return papr::RTAS_OUT_PARAM_ERROR;
  const MsiBlock& b = msi_alloc_[slot_of(config_addr)];
  if (i >= b.num) return papr::RTAS_OUT_HW_ERROR;
  irq = b.first + i;
  return papr::RTAS_OUT_SUCCESS;
}

bool SpaprPhb::rtas_msi_call(u32 token, std::span<const u32> args, std::span<u32> rets) {
  auto buid = [&] { return u64(args[1]) << 32 | args[2]; };
  switch (token) {
    case papr::RTAS_IBM_CHANGE_MSI: {
      // (addr, buid hi, buid lo, function, requested, seq) -> (status, count, seq, [type])
      if (args.size() != 6 || (rets.size() != 3 && rets.size() != 4)) {
        if (!rets.empty()) rets[0] = u32(papr::RTAS_OUT_PARAM_ERROR);
        return true;
      }
      u32 count = 0, type = 0;
      rets[0] = u32(rtas_change_msi(buid(), args[0], args[3], args[4], count, type));
      // Never busy, so the sequence number only counts the calls (a
      // caller continues a busy call with it, 7.3.10.5.1).
      rets[1] = count;
      rets[2] = args[5] + 1;
      if (rets.size() == 4) rets[3] = type;
      return true;
    }
    case papr::RTAS_IBM_QUERY_INTERRUPT_SOURCE_NUMBER: {
      // (addr, buid hi, buid lo, vector) -> (status, source, type)
      if (args.size() != 4 || rets.size() != 3) {
        if (!rets.empty()) rets[0] = u32(papr::RTAS_OUT_PARAM_ERROR);
        return true;
      }
      u32 irq = 0;
      rets[0] = u32(rtas_query_msi_source(buid(), args[0], args[3], irq));
      rets[1] = irq;
      rets[2] = MSI_SOURCE_EDGE;
      return true;
    }
    default: return false;
  }
}

void SpaprPhb::msi_write(u64 addr, u32 data) {
  // Guest-controlled (the table is guest-writable): only the window, only
  // this PHB's sources (an LSI or another bridge's source must not fire).
  if (addr - cfg_.msi_window >= MSI_WINDOW_SIZE || data - cfg_.msi_base >= cfg_.msi_count) {
    msi_dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (set_irq_) set_irq_(data, true);
}

}  // namespace lpar::pci
