// Bus enumeration done by the PHB itself, for boots without firmware
// (-M pseries,vof=on): nobody else sizes and places the BARs or writes the
// functions' device-tree nodes, and Linux on pseries builds its PCI devices
// from those nodes alone (arch/powerpc/kernel/pci_of_scan.c, in
// PCI_PROBE_ONLY mode, which pseries sets by default and only
// /chosen/linux,pci-probe-only = 0 would clear).  Under SLOF none of this
// runs: SLOF enumerates through the RTAS config calls.
//
// Placement: every BAR gets a naturally aligned range (PCI 3.0 6.2.5.1:
// a BAR decodes size-aligned addresses) in the PHB window of its kind
// (I/O BARs in the I/O window, 32-bit memory BARs in the 32-bit window,
// 64-bit memory BARs in the 64-bit window), largest first so alignment
// wastes nothing; the I/O window's first 4 KiB stay free (a BAR at bus
// address 0 reads as "unassigned", and legacy ISA ports live there).
//
// Device nodes (PCI Bus Binding to IEEE 1275, rev 2.1, sections 2.2.1
// and 2.5; LoPAPR 1.1 appendix C / the PAPR device node properties):
// identity from config space, "interrupts" = the pin, "reg" = the config
// space entry and one relocatable entry per BAR (size only),
// "assigned-addresses" = one absolute (n = 1) entry per placed BAR with its
// bus address, "ibm,req#msi-x" / "ibm,req#msi" = the vector counts of the
// function's capabilities (what Linux's pseries msi.c asks the count of).
#pragma once
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "pci/pci_device.h"

namespace lpar::pci {

// The PHB's windows as PCI bus address ranges.
struct BusWindows {
  u64 io_base = 0, io_size = 0;
  u64 mem32_base = 0, mem32_size = 0;
  u64 mem64_base = 0, mem64_size = 0;
};

inline constexpr u64 ENUM_IO_START = 0x1000;  // I/O placements start here (see above)

struct BarPlacement {
  unsigned slot = 0, bar = 0;
  BarType type = BarType::None;
  u64 bus_addr = 0, size = 0;
};

// Places the BARs of the functions in slots (index = slot; nullptr = empty).
// BARs that do not fit in their window are left out and counted in
// *unplaced (if given).  Pure: the functions are only read.
std::vector<BarPlacement> place_bars(std::span<PciDevice* const> slots, const BusWindows& w,
                                     unsigned* unplaced = nullptr);

// Writes the placements of function d (those with p.slot == slot) into its
// BARs through config writes, then turns on I/O and memory decoding for
// the spaces it has placed BARs in, and bus mastering (PCI 3.0 6.2.2).
void program_function(PciDevice& d, unsigned slot, std::span<const BarPlacement> placements);

// phys.hi of the PCI bus binding (2.2.1.1): npt000ss bbbbbbbb dddddfff rrrrrrrr.
inline constexpr u32 PHYS_HI_N = 0x80000000, PHYS_HI_P = 0x40000000;
inline constexpr u32 PHYS_HI_SS_CONFIG = 0, PHYS_HI_SS_IO = 0x01000000, PHYS_HI_SS_MEM32 = 0x02000000,
                     PHYS_HI_SS_MEM64 = 0x03000000;
inline u32 phys_hi(unsigned bus, unsigned dev, unsigned fn, unsigned reg) {
  return (bus & 0xFF) << 16 | (dev & 0x1F) << 11 | (fn & 7) << 8 | (reg & 0xFF);
}

// A node writer both device-tree forms implement (sequential: begin/end
// nest; read-write: begin adds a subnode of the current one).
struct FdtNodeSink {
  std::function<int(const char* name)> begin;
  std::function<int(const char* name, const void* data, int len)> prop;
  std::function<int()> end;
};

// The device node of function 0 of slot on bus 0, as its BARs decode now
// (config space is read; BARs at 0 are not "assigned").  phb_name: the
// bridge's node name, for ibm,loc-code.  0 or a negative libfdt error.
int emit_function_node(const FdtNodeSink& sink, const std::string& phb_name, unsigned slot, const PciDevice& d);

// "pciVVVV,DDDD" (binding 2.5 "name" / first "compatible" entry).
std::string function_node_name(const PciDevice& d);

}  // namespace lpar::pci
