#include "hv/io_bus.h"

#include <cerrno>

namespace lpar::hv {

int IoBus::register_device(IoDevice dev) {
  if (!dev.len || dev.addr + dev.len < dev.addr) return -EINVAL;
  std::lock_guard<std::mutex> lk(mu_);
  for (const IoDevice& d : devs_)
    if (dev.addr < d.addr + d.len && d.addr < dev.addr + dev.len) return -EEXIST;
  devs_.push_back(std::move(dev));
  return 0;
}

int IoBus::unregister_device(u64 addr) {
  std::lock_guard<std::mutex> lk(mu_);
  for (auto it = devs_.begin(); it != devs_.end(); ++it) {
    if (it->addr == addr) {
      devs_.erase(it);
      return 0;
    }
  }
  return -ENOENT;
}

const IoDevice* IoBus::find(u64 addr, unsigned len) const {
  for (const IoDevice& d : devs_)
    if (addr - d.addr < d.len && len <= d.len - (addr - d.addr)) return &d;
  return nullptr;
}

bool IoBus::read(u64 addr, unsigned len, u64& value) {
  std::lock_guard<std::mutex> lk(mu_);
  const IoDevice* d = find(addr, len);
  if (!d || !d->read || !d->read(addr - d->addr, len, value)) return false;
  ++served_;
  return true;
}

bool IoBus::write(u64 addr, unsigned len, u64 value) {
  std::lock_guard<std::mutex> lk(mu_);
  const IoDevice* d = find(addr, len);
  if (!d || !d->write || !d->write(addr - d->addr, len, value)) return false;
  ++served_;
  return true;
}

u64 IoBus::served() const {
  std::lock_guard<std::mutex> lk(mu_);
  return served_;
}

}  // namespace lpar::hv
