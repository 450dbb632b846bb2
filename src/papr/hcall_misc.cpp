#include "papr/hcall_misc.h"

#include <cerrno>
#include <cstring>
#include <sys/random.h>

#include "cpu/sem/spr.h"
#include "hv/papr.h"

namespace lpar::papr {

namespace {
constexpr uint64_t PAGE = 4096;
constexpr uint64_t LPCR_AIL = uint64_t{3} << sem::LPCR_AIL_SHIFT;
}  // namespace

HcallMisc::HcallMisc(GuestMemory& gm, isa::Model model, uint32_t nr_cpus, MiscMachine m)
    : gm_(gm), model_(model), nr_cpus_(nr_cpus), m_(std::move(m)), dabr_(nr_cpus) {}

long HcallMisc::h_set_sprg0(CpuState& s, uint64_t value) {
  s.sprg[0] = value;
  return hv::H_SUCCESS;
}

// LoPAPR chapter 14, H_PAGE_INIT: dst (and src for a copy) are 4 KiB aligned
// pages of the partition's memory; unknown flags are a parameter error.
long HcallMisc::h_page_init(uint64_t flags, uint64_t dst, uint64_t src) {
  constexpr uint64_t known = hv::H_ICACHE_INVALIDATE | hv::H_ICACHE_SYNCHRONIZE | hv::H_ZERO_PAGE | hv::H_COPY_PAGE;
  if (flags & ~known) return hv::H_PARAMETER;
  if (dst & (PAGE - 1)) return hv::H_PARAMETER;
  uint8_t* d = gm_.host_ptr(dst, PAGE);
  if (!d) return hv::H_PARAMETER;
  if (flags & hv::H_COPY_PAGE) {
    if (src & (PAGE - 1)) return hv::H_PARAMETER;
    const uint8_t* s = gm_.host_ptr(src, PAGE);
    if (!s) return hv::H_PARAMETER;
    std::memmove(d, s, PAGE);
  } else if (flags & hv::H_ZERO_PAGE) {
    std::memset(d, 0, PAGE);
  }
  if (flags && m_.memory_written) m_.memory_written(dst, PAGE);
  return hv::H_SUCCESS;
}

// H_SET_DABR (LoPAPR chapter 14): on processors with DABRX the hypervisor sets
// it to "user and kernel"; without DABRX a breakpoint must be translated (BT),
// else H_RESERVED_DABR.  POWER8 and later have no DABR (the DAWR replaced it):
// H_HARDWARE, as QEMU.
long HcallMisc::h_set_dabr(uint32_t cpu, uint64_t dabr) {
  if (!has_dabr() || cpu >= nr_cpus_) return hv::H_HARDWARE;
  std::lock_guard<std::mutex> g(mu_);
  if (has_dabrx()) {
    dabr_[cpu].dabrx = H_DABRX_USER | H_DABRX_KERNEL;
  } else if (!(dabr & DABR_BT)) {
    return hv::H_RESERVED_DABR;
  }
  dabr_[cpu].dabr = dabr;
  return hv::H_SUCCESS;
}

// H_SET_XDABR: DABRX may select user and/or kernel, never hypervisor, and
// has no other bits.
long HcallMisc::h_set_xdabr(uint32_t cpu, uint64_t dabr, uint64_t dabrx) {
  if (!has_dabr() || !has_dabrx() || cpu >= nr_cpus_) return hv::H_HARDWARE;
  if ((dabrx & ~uint64_t{0xF}) || (dabrx & H_DABRX_HYPERVISOR) || !(dabrx & (H_DABRX_KERNEL | H_DABRX_USER)))
    return hv::H_PARAMETER;
  std::lock_guard<std::mutex> g(mu_);
  dabr_[cpu] = DabrRegs{dabr, dabrx};
  return hv::H_SUCCESS;
}

DabrRegs HcallMisc::dabr(uint32_t cpu) {
  std::lock_guard<std::mutex> g(mu_);
  return cpu < nr_cpus_ ? dabr_[cpu] : DabrRegs{};
}

long HcallMisc::h_get_cpu_characteristics(uint64_t out[2]) {
  out[0] = LPAR_CPU_CHARACTERISTICS;
  out[1] = LPAR_CPU_BEHAVIOUR;
  return hv::H_SUCCESS;
}

// Virtual processor home node (LoPAPR chapter 14, VPHN): flags 1 names a
// processor by the id H_REGISTER_VPA uses.  The answer is the CPU's
// ibm,associativity without its length: the node's domains then the id, two
// 32-bit words a register, the rest all ones (Linux stops at 0xffff).
long HcallMisc::h_home_node_associativity(uint64_t flags, uint64_t id, uint64_t out[6]) {
  if (flags != H_HOME_NODE_PROCNO) return hv::H_FUNCTION;
  if (id >= nr_cpus_) return hv::H_P2;
  uint32_t words[12];
  size_t n = 0;
  for (uint32_t d : domains_)
    if (n < 11) words[n++] = d;
  words[n++] = uint32_t(id);
  for (; n < 12; n++) words[n] = ~uint32_t{0};
  for (int i = 0; i < 6; i++) out[i] = uint64_t(words[2 * i]) << 32 | words[2 * i + 1];
  return hv::H_SUCCESS;
}

long HcallMisc::h_random(uint64_t& out) {
  uint64_t v;
  size_t got = 0;
  auto* p = reinterpret_cast<uint8_t*>(&v);
  while (got < sizeof v) {
    ssize_t n = getrandom(p + got, sizeof v - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return hv::H_HARDWARE;
    got += size_t(n);
  }
  out = v;
  return hv::H_SUCCESS;
}

// H_SET_MODE(mflags, resource, value1, value2) (LoPAPR chapter 14):
//  * LE (4): mflags 0 big-endian / 1 little-endian interrupts: LPCR[ILE] of
//    every thread; value1/value2 must be 0 (H_P3/H_P4);
//  * address-translation mode (3): LPCR[AIL] = mflags, ISA 2.07 and later
//    (else H_P2); AIL 1 is reserved (H_UNSUPPORTED_FLAG); AIL 2 and 3 valid
//    (POWER10's removal of 2 does not concern lpar's models);
//  * CIABR (1) and DAWR (2): lpar has no debug facilities: H_P2, as QEMU.
long HcallMisc::h_set_mode(uint64_t mflags, uint64_t resource, uint64_t value1, uint64_t value2) {
  switch (resource) {
    case hv::H_SET_MODE_RESOURCE_LE:
      if (value1) return hv::H_P3;
      if (value2) return hv::H_P4;
      if (mflags != H_SET_MODE_ENDIAN_BIG && mflags != H_SET_MODE_ENDIAN_LITTLE) return hv::H_UNSUPPORTED_FLAG;
      if (!m_.set_lpcr_all) return hv::H_HARDWARE;
      m_.set_lpcr_all(mflags == H_SET_MODE_ENDIAN_LITTLE ? sem::LPCR_ILE : 0, sem::LPCR_ILE);
      return hv::H_SUCCESS;
    case hv::H_SET_MODE_RESOURCE_ADDR_TRANS_MODE:
      if (model_ < isa::POWER8) return hv::H_P2;
      if (value1) return hv::H_P3;
      if (value2) return hv::H_P4;
      if (mflags == 1 || mflags > 3) return hv::H_UNSUPPORTED_FLAG;
      if (!m_.set_lpcr_all) return hv::H_HARDWARE;
      m_.set_lpcr_all(mflags << sem::LPCR_AIL_SHIFT, LPCR_AIL);
      return hv::H_SUCCESS;
    default:
      return hv::H_P2;
  }
}

long HcallMisc::h_logical_load(uint64_t size, uint64_t addr, uint64_t& out) {
  if (size != 1 && size != 2 && size != 4 && size != 8) return hv::H_PARAMETER;
  if (const uint8_t* p = gm_.host_ptr(addr, size)) {
    uint64_t v = 0;
    for (uint64_t i = 0; i < size; i++) v = v << 8 | p[i];
    out = v;
    return hv::H_SUCCESS;
  }
  uint64_t v = 0;
  if (m_.mmio_read && m_.mmio_read(addr, unsigned(size), v)) {
    out = size == 8 ? v : v & ((uint64_t{1} << (8 * size)) - 1);
    return hv::H_SUCCESS;
  }
  return hv::H_PARAMETER;
}

long HcallMisc::h_logical_store(uint64_t size, uint64_t addr, uint64_t value) {
  if (size != 1 && size != 2 && size != 4 && size != 8) return hv::H_PARAMETER;
  if (size != 8) value &= (uint64_t{1} << (8 * size)) - 1;
  if (uint8_t* p = gm_.host_ptr(addr, size)) {
    for (uint64_t i = 0; i < size; i++) p[i] = uint8_t(value >> (8 * (size - 1 - i)));
    if (m_.memory_written) m_.memory_written(addr, size);
    return hv::H_SUCCESS;
  }
  if (m_.mmio_write && m_.mmio_write(addr, unsigned(size), value)) return hv::H_SUCCESS;
  return hv::H_PARAMETER;
}

}  // namespace lpar::papr
