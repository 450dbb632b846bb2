// The hypervisor's IO bus (KVM's KVM_MMIO_BUS, the bus ioeventfd and in-kernel
// devices sit on, api.rst 4.59 KVM_IOEVENTFD): devices the machine registers
// at a guest-physical range are served inside the hypervisor, without an exit,
// for H_LOGICAL_CI_LOAD/STORE (the patch "Implement H_LOGICAL_CI_{LOAD,STORE}
// in KVM") and for MMIO loads/stores that reach no memory slot.
//
// Values cross the bus as numbers of len bytes, with the storage order of the
// access applied (a big-endian 4-byte store of 0x11223344 arrives as
// 0x11223344): PAPR defines H_LOGICAL_CI_* big-endian.
#pragma once
#include <functional>
#include <mutex>
#include <vector>

#include "cpu/state.h"

namespace lpar::hv {

struct IoDevice {
  u64 addr = 0;
  u64 len = 0;
  // offset is from addr; return false to decline (the access then exits).
  std::function<bool(u64 offset, unsigned len, u64& value)> read;
  std::function<bool(u64 offset, unsigned len, u64 value)> write;
};

class IoBus {
 public:
  // 0, -EINVAL (empty or wrapping range), -EEXIST (overlaps a device).
  int register_device(IoDevice dev);
  // 0 or -ENOENT (no device at addr).
  int unregister_device(u64 addr);

  // Served by a device?  Counts the accesses served.
  bool read(u64 addr, unsigned len, u64& value);
  bool write(u64 addr, unsigned len, u64 value);

  u64 served() const;  // accesses served since creation

 private:
  const IoDevice* find(u64 addr, unsigned len) const;
  mutable std::mutex mu_;
  std::vector<IoDevice> devs_;
  u64 served_ = 0;
};

}  // namespace lpar::hv
