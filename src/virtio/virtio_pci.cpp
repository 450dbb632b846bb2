#include "virtio/virtio_pci.h"

#include <algorithm>

namespace lpar::virtio {

namespace {

// virtio_pci_cap cfg_type values (4.1.4).
constexpr u8 CAP_COMMON_CFG = 1, CAP_NOTIFY_CFG = 2, CAP_ISR_CFG = 3, CAP_DEVICE_CFG = 4;
constexpr u8 CAP_LEN = 16, NOTIFY_CAP_LEN = 20;
constexpr u16 PCI_SUBSYSTEM_ID_QEMU = 0x1100;  // as QEMU's virtio devices report

struct Field {
  unsigned off, size;
};
constexpr Field kFields[] = {
    {COMMON_DFSELECT, 4}, {COMMON_DF, 4},       {COMMON_GFSELECT, 4},     {COMMON_GF, 4},
    {COMMON_MSIX, 2},     {COMMON_NUMQ, 2},     {COMMON_STATUS, 1},       {COMMON_CFGGENERATION, 1},
    {COMMON_Q_SELECT, 2}, {COMMON_Q_SIZE, 2},   {COMMON_Q_MSIX, 2},       {COMMON_Q_ENABLE, 2},
    {COMMON_Q_NOFF, 2},   {COMMON_Q_DESCLO, 8}, {COMMON_Q_AVAILLO, 8},    {COMMON_Q_USEDLO, 8},
};

const Field* field_at(unsigned off) {
  for (const Field& f : kFields)
    if (off - f.off < f.size) return &f;
  return nullptr;
}

u64 mask_bytes(unsigned n) { return n >= 8 ? ~u64{0} : (u64{1} << (8 * n)) - 1; }

}  // namespace

VirtioPciDevice::VirtioPciDevice(u16 virtio_id, u32 class_code, unsigned num_queues, u16 queue_size,
                                 VirtioDma dma, bool iommu_platform)
    : dma_(dma), iommu_platform_(iommu_platform && dma.iommu) {
  queues_.reserve(num_queues);
  for (unsigned i = 0; i < num_queues; ++i) queues_.emplace_back(queue_size);
  set_ids(VIRTIO_PCI_VENDOR, u16(VIRTIO_PCI_DEVICE_MODERN_BASE + virtio_id), class_code, 1, VIRTIO_PCI_VENDOR,
          PCI_SUBSYSTEM_ID_QEMU, 1 /* INTA */);
  add_bar(VIRTIO_MSIX_BAR, pci::BarType::Mem32, VIRTIO_MSIX_BAR_SIZE, false);
  add_bar(VIRTIO_BAR, pci::BarType::Mem64, VIRTIO_BAR_SIZE, true);
  queue_vector_.assign(num_queues, VIRTIO_MSI_NO_VECTOR);
  auto cap = [&](u8 type, u64 off, u8 len) {
    const u8 c = add_capability(pci::PCI_CAP_ID_VNDR, len);
    if (!c) return u8(0);
    u8* p = cfg() + c;
    p[2] = len;
    p[3] = type;
    p[4] = VIRTIO_BAR;
    for (int i = 0; i < 4; ++i) {
      p[8 + i] = u8(off >> (8 * i));
      p[12 + i] = u8(VIRTIO_REGION_SIZE >> (8 * i));
    }
    return c;
  };
  cap(CAP_COMMON_CFG, VIRTIO_COMMON_OFF, CAP_LEN);
  cap(CAP_ISR_CFG, VIRTIO_ISR_OFF, CAP_LEN);
  cap(CAP_DEVICE_CFG, VIRTIO_DEVICE_OFF, CAP_LEN);
  if (u8 c = cap(CAP_NOTIFY_CFG, VIRTIO_NOTIFY_OFF, NOTIFY_CAP_LEN))
    for (int i = 0; i < 4; ++i) cfg()[c + 16 + i] = u8(VIRTIO_NOTIFY_MULTIPLIER >> (8 * i));
  add_msix(std::min(num_queues + 1, pci::PCI_MSIX_MAX_VECTORS), VIRTIO_MSIX_BAR, VIRTIO_MSIX_TABLE_OFF,
           VIRTIO_MSIX_PBA_OFF);
}

u64 VirtioPciDevice::offered_features() const {
  return device_features() | VIRTIO_F_VERSION_1 | (iommu_platform_ ? VIRTIO_F_ACCESS_PLATFORM : 0);
}

pci::DmaSpace& VirtioPciDevice::dma() {
  if ((driver_features_ & VIRTIO_F_ACCESS_PLATFORM) && dma_.iommu) return *dma_.iommu;
  return *dma_.direct;
}

u8 VirtioPciDevice::status() {
  std::lock_guard<std::mutex> g(mu_);
  return status_;
}

u64 VirtioPciDevice::driver_features() {
  std::lock_guard<std::mutex> g(mu_);
  return driver_features_;
}

// --- Common configuration.

u64 VirtioPciDevice::common_field(unsigned field) {
  Virtqueue* q = queue_select_ < queues_.size() ? &queues_[queue_select_] : nullptr;
  switch (field) {
    case COMMON_DFSELECT: return dfselect_;
    case COMMON_DF: return dfselect_ < 2 ? u32(offered_features() >> (32 * dfselect_)) : 0;
    case COMMON_GFSELECT: return gfselect_;
    case COMMON_GF: return gfselect_ < 2 ? u32(driver_features_ >> (32 * gfselect_)) : 0;
    case COMMON_MSIX: return msix_config_;
    case COMMON_NUMQ: return queues_.size();
    case COMMON_STATUS: return status_;
    case COMMON_CFGGENERATION: return config_generation_;
    case COMMON_Q_SELECT: return queue_select_;
    case COMMON_Q_SIZE: return q ? q->size : 0;
    case COMMON_Q_MSIX: return q ? queue_vector_[queue_select_] : VIRTIO_MSI_NO_VECTOR;
    case COMMON_Q_ENABLE: return q ? q->enabled : 0;
    case COMMON_Q_NOFF: return q ? queue_select_ : 0;
    case COMMON_Q_DESCLO: return q ? q->desc : 0;
    case COMMON_Q_AVAILLO: return q ? q->avail : 0;
    case COMMON_Q_USEDLO: return q ? q->used : 0;
    default: return 0;
  }
}

void VirtioPciDevice::common_field_write(unsigned field, u64 v) {
  Virtqueue* q = queue_select_ < queues_.size() ? &queues_[queue_select_] : nullptr;
  switch (field) {
    case COMMON_DFSELECT: dfselect_ = u32(v); break;
    case COMMON_GFSELECT: gfselect_ = u32(v); break;
    case COMMON_GF:
      // Features are fixed once accepted (3.1.1; QEMU ignores later writes,
      // which SLOF's virtio-blk makes).
      if (gfselect_ < 2 && !(status_ & VIRTIO_STATUS_FEATURES_OK)) {
        const unsigned sh = 32 * gfselect_;
        driver_features_ = (driver_features_ & ~(u64{0xFFFFFFFF} << sh)) | (u64(u32(v)) << sh);
      }
      break;
    case COMMON_STATUS: {
      u8 s = u8(v);
      if (s == 0) {
        do_reset();
        break;
      }
      // FEATURES_OK sticks only for a subset of the offer that includes
      // VERSION_1 (3.1.1 step 5-6; a legacy driver cannot use this device).
      if ((s & VIRTIO_STATUS_FEATURES_OK) && !(status_ & VIRTIO_STATUS_FEATURES_OK) &&
          ((driver_features_ & ~offered_features()) || !(driver_features_ & VIRTIO_F_VERSION_1)))
        s &= u8(~VIRTIO_STATUS_FEATURES_OK);
      status_ = u8(s | (status_ & VIRTIO_STATUS_NEEDS_RESET));
      break;
    }
    case COMMON_MSIX: msix_config_ = map_vector(v); break;
    case COMMON_Q_SELECT: queue_select_ = u16(v); break;
    case COMMON_Q_MSIX:
      if (q) queue_vector_[queue_select_] = map_vector(v);
      break;
    case COMMON_Q_SIZE:
      // A split queue's size is a power of two no larger than the maximum (2.4).
      if (q && !q->enabled && v && v <= q->max_size() && !(v & (v - 1))) q->size = u16(v);
      break;
    case COMMON_Q_ENABLE:
      if (q && u16(v) == 1) q->enabled = true;
      break;
    case COMMON_Q_DESCLO:
      if (q && !q->enabled) q->desc = v;
      break;
    case COMMON_Q_AVAILLO:
      if (q && !q->enabled) q->avail = v;
      break;
    case COMMON_Q_USEDLO:
      if (q && !q->enabled) q->used = v;
      break;
    default: break;  // read-only: DF, NUMQ, CFGGENERATION, Q_NOFF
  }
}

u64 VirtioPciDevice::common_read(unsigned off, unsigned len) {
  u64 v = 0;
  for (unsigned i = 0; i < len; ++i) {
    const Field* f = field_at(off + i);
    if (!f) continue;
    v |= ((common_field(f->off) >> (8 * (off + i - f->off))) & 0xFF) << (8 * i);
  }
  return v;
}

void VirtioPciDevice::common_write(unsigned off, unsigned len, u64 value) {
  // Field by field, merging the written bytes into the current value (a
  // 64-bit queue address arrives as two 32-bit halves, 4.1.3.1).
  for (const Field& f : kFields) {
    const unsigned lo = std::max(off, f.off), hi = std::min(off + len, f.off + f.size);
    if (lo >= hi) continue;
    u64 cur = common_field(f.off);
    for (unsigned b = lo; b < hi; ++b) {
      const u64 byte = (value >> (8 * (b - off))) & 0xFF;
      cur = (cur & ~(u64{0xFF} << (8 * (b - f.off)))) | (byte << (8 * (b - f.off)));
    }
    common_field_write(f.off, cur & mask_bytes(f.size));
  }
}

// --- The BAR.

bool VirtioPciDevice::bar_read(unsigned bar, u64 off, unsigned len, u64& value) {
  if (bar != VIRTIO_BAR) return false;
  std::lock_guard<std::mutex> g(mu_);
  value = 0;
  if (off < VIRTIO_ISR_OFF) {
    value = common_read(unsigned(off), len);
  } else if (off < VIRTIO_DEVICE_OFF) {
    if (off == VIRTIO_ISR_OFF) {
      // Reading the ISR acknowledges the interrupt (4.1.4.5.1).
      value = isr_;
      isr_ = 0;
      set_intx(false);
    }
  } else if (off < VIRTIO_NOTIFY_OFF) {
    const std::vector<u8> c = device_config();
    const u64 o = off - VIRTIO_DEVICE_OFF;
    for (unsigned i = 0; i < len; ++i)
      if (o + i < c.size()) value |= u64(c[o + i]) << (8 * i);
  }
  return true;
}

bool VirtioPciDevice::bar_write(unsigned bar, u64 off, unsigned len, u64 value) {
  if (bar != VIRTIO_BAR) return false;
  std::lock_guard<std::mutex> g(mu_);
  if (off < VIRTIO_ISR_OFF)
    common_write(unsigned(off), len, value);
  else if (off >= VIRTIO_NOTIFY_OFF)
    notify(unsigned((off - VIRTIO_NOTIFY_OFF) / VIRTIO_NOTIFY_MULTIPLIER));
  return true;  // ISR and device configuration are read-only here
}

bool VirtioPciDevice::bar_write_fast(unsigned bar, u64 off, unsigned len, u64 value) {
  if (bar != VIRTIO_BAR || off < VIRTIO_NOTIFY_OFF) return false;
  std::lock_guard<std::mutex> g(mu_);
  notify(unsigned((off - VIRTIO_NOTIFY_OFF) / VIRTIO_NOTIFY_MULTIPLIER));
  return true;
}

void VirtioPciDevice::notify(unsigned q) {
  if (q >= queues_.size() || !queues_[q].enabled || (status_ & VIRTIO_STATUS_NEEDS_RESET)) return;
  ++notifications_;
  queue_notify(q);
}

// --- Queues and interrupts.

bool VirtioPciDevice::pop(unsigned q, VqChain& chain) {
  if (q >= queues_.size() || (status_ & VIRTIO_STATUS_NEEDS_RESET)) return false;
  switch (queues_[q].pop(dma(), chain)) {
    case Virtqueue::Pop::Ok: return true;
    case Virtqueue::Pop::Empty: return false;
    case Virtqueue::Pop::Error: needs_reset(); return false;
  }
  return false;
}

void VirtioPciDevice::push(unsigned q, u16 head, u32 len) {
  if (q >= queues_.size()) return;
  Virtqueue& vq = queues_[q];
  if (!vq.push(dma(), head, len)) {
    needs_reset();
    return;
  }
  if (vq.wants_interrupt(dma())) raise_isr(1, queue_vector_[q]);
}

void VirtioPciDevice::needs_reset() {
  if (status_ & VIRTIO_STATUS_NEEDS_RESET) return;
  status_ |= VIRTIO_STATUS_NEEDS_RESET;
  // A configuration change interrupt tells the driver (2.1.2).
  if (status_ & VIRTIO_STATUS_DRIVER_OK) {
    ++config_generation_;
    raise_isr(2, msix_config_);
  }
}

// A vector the table has, else unmapped (4.1.5.1.2.1: the driver reads
// NO_VECTOR back and knows the mapping failed).
u16 VirtioPciDevice::map_vector(u64 v) const {
  return v < msix_vectors() ? u16(v) : VIRTIO_MSI_NO_VECTOR;
}

void VirtioPciDevice::raise_isr(u8 bits, u16 vector) {
  // The ISR bit is set either way (4.1.4.5.1).
  isr_ |= bits;
  if (!msix_enabled())
    set_intx(true);
  else if (vector != VIRTIO_MSI_NO_VECTOR)
    msix_notify(vector);
}

void VirtioPciDevice::do_reset() {
  status_ = 0;
  driver_features_ = 0;
  dfselect_ = gfselect_ = 0;
  queue_select_ = 0;
  isr_ = 0;
  msix_config_ = VIRTIO_MSI_NO_VECTOR;
  std::fill(queue_vector_.begin(), queue_vector_.end(), VIRTIO_MSI_NO_VECTOR);
  set_intx(false);
  for (Virtqueue& q : queues_) q.reset();
  device_reset();
}

void VirtioPciDevice::reset() {
  {
    std::lock_guard<std::mutex> g(mu_);
    do_reset();
  }
  reset_config();
}

}  // namespace lpar::virtio
