// The sPAPR logical PCI host bridge (LoPAPR 1.1 chapter 7.3.4 "PCI
// configuration space" RTAS calls; appendix C's PCI host bridge node), placed
// as QEMU's pseries places its first PHB (hw/ppc/spapr.c
// spapr_phb_placement; the /pci@800000020000000 node of the reference tree):
//   BUID 0x800000020000000, LIOBN 0x80000000 with a 1 GiB DMA window at bus 0,
//   I/O window 64 KiB at CPU 0x200000000000 (bus 0),
//   32-bit memory window 2 GiB at CPU 0x200080000000 (bus 0x80000000),
//   64-bit memory window 1 TiB at CPU 0x210000000000 (bus = CPU address),
//   INTx of slot s pin p (1..4) on XICS source 0x1200 + (s + p - 1) % 4, level;
//   MSIs on XICS sources 0x1300..0x13FF (message-signalled, edge), the
//   messages writes of the source number to bus address 0x40000000000 (the
//   MSI window, QEMU's SPAPR_PCI_MSI_WINDOW).
// One bus (0), functions 0 of slots 0..31.  Firmware (SLOF) probes and
// assigns the BARs itself through config writes (the tree has no
// "qemu,phb-enumerated", so SLOF enumerates; it also gives each device node
// "ibm,req#msi"/"ibm,req#msi-x" from the capabilities).  Without firmware
// (vof=on) the machine calls enumerate() and the PHB does both itself.
//
// MSI (LoPAPR 1.1 7.3.10.5, spapr_phb_msi.cpp): the OS asks ibm,change-msi
// for n MSI or MSI-X vectors of a function; the PHB takes a block of n XICS
// sources from its range and programs the function's MSI capability or MSI-X
// table entries 0..n-1 (address = the MSI window, data = the source number);
// ibm,query-interrupt-source-number then names the source of vector i.  A
// function's message write to the window raises that source (through
// set_irq(source, true): for a message-signalled XICS source that presents
// one interrupt).  Writes elsewhere, or naming a source outside the range,
// are dropped.  INTx stays as it was for functions not using MSI.
//
// Integration (the machine):
//   SpaprPhb phb(gm, tce, [&](u32 irq, bool lvl) { xics.set_level(irq, lvl); });
//   for (u32 irq : phb.lsi_irqs()) xics.set_lsi(irq, true);
//   (the MSI range msi_irqs() must stay message-signalled sources);
//   phb.add_device(std::make_unique<virtio::VirtioBlk>(...));
//   for (auto& d : phb.io_bus_devices()) vm.io_bus().register_device(d);
//   RTAS: if (phb.rtas_buffer(r4)) -> handled (tokens 0x2014..0x2019);
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
#include <utility>
#include <vector>

#include "hv/io_bus.h"
#include "papr/guest_memory.h"
#include "papr/tce.h"
#include "pci/dma.h"
#include "pci/enumerate.h"
#include "pci/pci_device.h"

namespace lpar::pci {

inline constexpr u64 SPAPR_PHB0_BUID = 0x800000020000000ull;
inline constexpr u32 SPAPR_PHB_LSI_BASE = 0x1200;
inline constexpr u32 SPAPR_PHB_MSI_BASE = 0x1300, SPAPR_PHB_MSI_COUNT = 0x100;
inline constexpr u64 SPAPR_PCI_MSI_WINDOW = 0x40000000000ull;  // a bus address
// ibm,change-msi functions (LoPAPR 1.1 7.3.10.5.1) and the returned types.
inline constexpr u32 RTAS_CHANGE_MSI_QUERY = 0, RTAS_CHANGE_MSI_CHANGE = 1, RTAS_CHANGE_MSI_RESET = 2,
                     RTAS_CHANGE_MSI_MSI = 3, RTAS_CHANGE_MSI_MSIX = 4;
inline constexpr u32 RTAS_MSI_TYPE_NONE = 0, RTAS_MSI_TYPE_MSI = 1, RTAS_MSI_TYPE_MSIX = 2;
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
  u32 msi_base = SPAPR_PHB_MSI_BASE, msi_count = SPAPR_PHB_MSI_COUNT;
  u64 msi_window = SPAPR_PCI_MSI_WINDOW;
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
  // The XICS sources MSIs are allocated from: [first, first + count).
  std::pair<u32, u32> msi_irqs() const { return {cfg_.msi_base, cfg_.msi_count}; }

  // DMA for devices: bus address = guest physical, or through the TCE window.
  DmaSpace& dma_direct() { return direct_; }
  DmaSpace& dma_iommu() { return iommu_; }

  // Plugs a function at slot (0..31) or the first free slot (slot < 0).
  // Returns the slot, or -1 (slot taken or out of range; dev is dropped).
  int add_device(std::unique_ptr<PciDevice> dev, int slot = -1);
  PciDevice* device(unsigned slot) const { return slot < PCI_SLOTS ? slots_[slot].get() : nullptr; }

  // System reset: every function back to its power-on state (then placed
  // again if the PHB enumerated the bus itself).
  void reset();

  // --- Enumeration without firmware (vof=on; pci/enumerate.h): places
  // every function's BARs in the windows, enables decoding and bus
  // mastering, and from then on the device-tree node carries a node per
  // function.  Never called under SLOF, which enumerates through RTAS.
  // Returns the number of BARs that did not fit (they stay unassigned).
  unsigned enumerate();
  bool enumerated() const { return enumerated_; }

  // --- RTAS (LoPAPR 7.3.4).  config_addr: register bits 0..7, function
  // 8..10, device 11..15, bus 16..23, extended register bits 8..11 in 28..31.
  // Status: 0, or -1 (hardware error: no such PHB or function, size not 1/2/4,
  // unaligned or beyond config space), as QEMU's spapr_pci.c answers.
  int32_t rtas_config_read(u64 buid, u32 config_addr, u32 size, u32& value);
  int32_t rtas_config_write(u64 buid, u32 config_addr, u32 size, u32 value);
  // The four config calls by token (RTAS_READ_PCI_CONFIG .. RTAS_IBM_WRITE_PCI_CONFIG
  // of papr/rtas.h) and the two MSI calls, args and rets as the call's
  // cells; rets[0] gets the status (-3 for a wrong nargs/nret).  false: not
  // one of these tokens.
  bool rtas_call(u32 token, std::span<const u32> args, std::span<u32> rets);
  // --- MSI (LoPAPR 7.3.10.5).  ibm,change-msi: function (RTAS_CHANGE_MSI_*)
  // and requested count of the function at config_addr -> status, the count
  // now assigned (or, if more was asked than the function has, the most it
  // can have, nothing changed) and its type (RTAS_MSI_TYPE_*).  Status 0;
  // -3 no such function or unknown function number; -1 the function lacks
  // that capability or the PHB's range has no room.  A count of 0 (or
  // function 2) releases the function's MSIs.
  int32_t rtas_change_msi(u64 buid, u32 config_addr, u32 func, u32 req, u32& count, u32& type);
  // ibm,query-interrupt-source-number: the XICS source of vector i.
  // Status 0; -3 no such function; -1 vector i is not assigned.
  int32_t rtas_query_msi_source(u64 buid, u32 config_addr, u32 i, u32& irq);
  u64 msi_dropped() const { return msi_dropped_.load(std::memory_order_relaxed); }

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
  unsigned enumerate_locked();  // mu_ held
  // reverse: slots high to low (fdt_add_subnode puts each new node first).
  int emit_function_nodes(const FdtNodeSink& sink, bool reverse) const;
  bool rtas_msi_call(u32 token, std::span<const u32> args, std::span<u32> rets);
  void msi_release(unsigned slot);
  // A function's message: a memory write of data to bus address addr.
  void msi_write(u64 addr, u32 data);

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
  std::atomic<u64> fast_writes_{0}, exit_accesses_{0}, msi_dropped_{0};
  // MSIs, under mu_: each slot's block of sources, and which are taken.
  struct MsiBlock {
    u32 first = 0, num = 0, size = 0, type = RTAS_MSI_TYPE_NONE;  // size: sources taken (>= num)
  };
  std::array<MsiBlock, PCI_SLOTS> msi_alloc_{};
  std::vector<bool> msi_used_;
  bool enumerated_ = false;
};

}  // namespace lpar::pci
