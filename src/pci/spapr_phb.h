// The sPAPR logical PCI host bridge (LoPAPR 1.1 chapter 7.3.4 "PCI
// configuration space" RTAS calls; appendix C's PCI host bridge node), placed
// as QEMU's pseries places its first PHB (hw/ppc/spapr.c
// spapr_phb_placement; the /pci@800000020000000 node of the reference tree):
//   BUID 0x800000020000000, LIOBN 0x80000000 with a 1 GiB DMA window at bus 0,
//   I/O window 64 KiB at CPU 0x200000000000 (bus 0),
//   32-bit memory window 2 GiB at CPU 0x200080000000 (bus 0x80000000),
//   64-bit memory window 1 TiB at CPU 0x210000000000 (bus = CPU address),
//   INTx of slot s pin p (1..4) on XICS source 0x1200 + (s + p - 1) % 4, level.
// One bus (0), functions 0 of slots 0..31.  Firmware (SLOF) probes and
// assigns the BARs itself through config writes (the tree has no
// "qemu,phb-enumerated", so SLOF enumerates).  No MSI: no
// ibm,change-msi, so Linux and virtio use INTx.
//
// Integration (the machine):
//   SpaprPhb phb(gm, tce, [&](u32 irq, bool lvl) { xics.set_level(irq, lvl); });
//   for (u32 irq : phb.lsi_irqs()) xics.set_lsi(irq, true);
//   phb.add_device(std::make_unique<virtio::VirtioBlk>(...));
//   for (auto& d : phb.io_bus_devices()) vm.io_bus().register_device(d);
//   RTAS: if (phb.rtas_buffer(r4)) -> handled (tokens 0x2014..0x2017);
//   MMIO exits and H_LOGICAL_CI_* exits in a window: phb.mmio_read/mmio_write;
//   device tree: phb.write_fdt_node(fdt) between the root's children.
// Thread-safe: config, BAR lookup and the LSI levels each take a lock; device
// accesses run outside the PHB's lock (devices are never removed).
#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "hv/io_bus.h"
#include "papr/guest_memory.h"
#include "papr/tce.h"
#include "pci/dma.h"
#include "pci/pci_device.h"

namespace lpar::pci {

inline constexpr u64 SPAPR_PHB0_BUID = 0x800000020000000ull;
inline constexpr u32 SPAPR_PHB_LSI_BASE = 0x1200;
inline constexpr unsigned PCI_SLOTS = 32;
inline constexpr u32 PCI_INTX_LINES = 4;

struct SpaprPhbConfig {
  u64 buid = SPAPR_PHB0_BUID;
  u32 liobn = papr::PHB0_LIOBN;
  u64 dma_window_size = papr::PHB_DMA_WINDOW_SIZE;
  u64 io_win_addr = 0x200000000000ull, io_win_size = 0x10000;
  u64 mem32_win_addr = 0x200080000000ull, mem32_bus_addr = 0x80000000ull, mem32_win_size = 0x80000000ull;
  u64 mem64_win_addr = 0x210000000000ull, mem64_win_size = 0x10000000000ull;  // bus = CPU address
  u32 lsi_base = SPAPR_PHB_LSI_BASE;
};

class SpaprPhb {
 public:
  // set_irq(irq, level): an LSI's level changed (the machine forwards it to
  // Xics::set_level; the lsi_irqs() must be set level-sensitive there).
  using IrqFn = std::function<void(u32 irq, bool level)>;

  // Creates the DMA window (cfg.liobn) in tce if it is not there yet.
  SpaprPhb(papr::GuestMemory& gm, papr::TceTables& tce, IrqFn set_irq, SpaprPhbConfig cfg = {});
  ~SpaprPhb();

  const SpaprPhbConfig& config() const { return cfg_; }
  std::array<u32, PCI_INTX_LINES> lsi_irqs() const;

  // DMA for devices: bus address = guest physical, or through the TCE window.
  DmaSpace& dma_direct() { return direct_; }
  DmaSpace& dma_iommu() { return iommu_; }

  // Plugs a function at slot (0..31) or the first free slot (slot < 0).
  // Returns the slot, or -1 (slot taken or out of range; dev is dropped).
  int add_device(std::unique_ptr<PciDevice> dev, int slot = -1);
  PciDevice* device(unsigned slot) const { return slot < PCI_SLOTS ? slots_[slot].get() : nullptr; }

  // System reset: every function back to its power-on state.
  void reset();

  // --- RTAS (LoPAPR 7.3.4).  config_addr: register bits 0..7, function
  // 8..10, device 11..15, bus 16..23, extended register bits 8..11 in 28..31.
  // Status: 0, or -1 (hardware error: no such PHB or function, size not 1/2/4,
  // unaligned or beyond config space), as QEMU's spapr_pci.c answers.
  int32_t rtas_config_read(u64 buid, u32 config_addr, u32 size, u32& value);
  int32_t rtas_config_write(u64 buid, u32 config_addr, u32 size, u32 value);
  // The four config calls by token (RTAS_READ_PCI_CONFIG .. RTAS_IBM_WRITE_PCI_CONFIG
  // of papr/rtas.h), args and rets as the call's cells; rets[0] gets the
  // status (-3 for a wrong nargs/nret).  false: not one of these tokens.
  bool rtas_call(u32 token, std::span<const u32> args, std::span<u32> rets);
  // The same from a guest RTAS argument buffer at real address args
  // {token, nargs, nret, args..., rets...}.  false: not a PCI config token
  // (or the buffer is not guest memory); the caller then serves the call.
  bool rtas_buffer(u64 args);
  // /rtas property names of the calls served here.
  static std::vector<std::string> rtas_call_names();

  // --- MMIO in the windows (CPU = guest physical addresses).  Values as the
  // IO bus carries them (hv/io_bus.h: bytes in address order as a
  // big-endian number of len bytes).  false: gpa is outside the windows.
  // Inside a window, reads nothing claims return all ones and such writes are
  // dropped (a master abort), both true.
  bool in_windows(u64 gpa, unsigned len) const;
  bool mmio_read(u64 gpa, unsigned len, u64& value);
  bool mmio_write(u64 gpa, unsigned len, u64 value);

  // IO-bus devices covering the memory windows: they serve the stores a
  // device serves in the hypervisor (PciDevice::bar_write_fast: virtio queue
  // notify) and decline everything else, which then exits to mmio_*.  They
  // point at this PHB: unregister them (or drop the VM) before destroying it.
  // Served with the IO bus's lock held: a virtio-blk request (file I/O,
  // fdatasync on flush) holds up other IO-bus accesses meanwhile.
  std::vector<hv::IoDevice> io_bus_devices();
  u64 fast_writes() const { return fast_writes_.load(std::memory_order_relaxed); }
  u64 exit_accesses() const { return exit_accesses_.load(std::memory_order_relaxed); }

  // --- Device tree: the PHB node.  Sequential-write form (called while the
  // root node is open, as spapr_dt builds it) or read-write form (under
  // parent).  0 / the new node's offset, or a negative libfdt error.
  int write_fdt_node(void* fdt, u32 xics_phandle) const;
  int add_fdt_node(void* fdt, int parent, u32 xics_phandle) const;
  std::string fdt_node_name() const;

 private:
  struct Target {
    PciDevice* dev = nullptr;
    unsigned bar = 0;
    u64 off = 0;
  };
  // The BAR claiming [gpa, gpa + len), if any.
  bool find_target(u64 gpa, unsigned len, Target& t);
  PciDevice* find_function(u64 buid, u32 config_addr, unsigned& reg);
  void set_lsi(unsigned line, bool level);

  papr::GuestMemory& gm_;
  papr::TceTables& tce_;
  IrqFn set_irq_;
  SpaprPhbConfig cfg_;
  DirectDma direct_;
  TceDma iommu_;
  std::mutex mu_;  // config space and BAR lookup
  std::array<std::unique_ptr<PciDevice>, PCI_SLOTS> slots_;
  std::mutex lsi_mu_;
  std::array<unsigned, PCI_INTX_LINES> lsi_count_{};
  std::atomic<u64> fast_writes_{0}, exit_accesses_{0};
};

}  // namespace lpar::pci
