// The flattened device tree of the sPAPR machine (-M pseries), built with
// libfdt from a plain configuration: what a pseries Linux guest reads at boot
// (LoPAPR 1.1 appendix C "Platform Device Tree", and the QEMU 7.2 pseries
// tree in shared/reference as the observed baseline).
//
// Choices where lpar differs from QEMU's TCG tree, and why:
// - model "IBM pSeries (emulated by lpar)": nothing in Linux matches on it.
//   compatible stays "qemu,pseries": Linux's pseries_probe only needs
//   device_type "chrp", but userspace (lscpu, systemd-detect-virt) reads
//   "qemu,pseries" as "a paravirtualised pseries partition", which lpar is.
// - Hash MMU and XICS only: the radix bit of ibm,pa-features (ISA 3.00 table
//   byte 40) is hidden, ibm,arch-vec-5-platform-support offers "hash only"
//   (byte 24 = 0x00) and "XICS only" (byte 23 = 0x00), and there is no
//   ibm,processor-radix-AP-encodings.
// - ibm,segment-page-sizes lists 4K, 64K and 16M segments, each with only its
//   own page size (no mixed page sizes in a segment); max_page_shift caps it
//   (QEMU's cap-hpt-max-page-size; its TCG default of 16 drops the 16M entry).
// - No /hypervisor node by default: Linux's check_kvm_guest() turns
//   "linux,kvm" into is_kvm_guest(), whose users expect KVM's paravirt
//   interfaces (hcall-instructions, the magic page) that lpar does not give;
//   QEMU's TCG tree has none either.  kvm_hypervisor_node adds it.
// - No PCI host bridge, DRC properties, vm,uuid or rng-seed: lpar has no PCI,
//   hotplug or per-boot randomness (runs stay reproducible).
// - /event-sources is off by default: its EPOW/hot-plug interrupts (0x1000,
//   0x1001) need XICS sources the machine must provide first.
// - /rtas publishes only the RTAS calls listed in rtas_calls (default: the
//   ones lpar implements), with QEMU's token numbers so traces compare.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cpu/isa/table.h"

namespace lpar::papr {

using u8 = uint8_t;
using u32 = uint32_t;
using u64 = uint64_t;

// --- Fixed numbers of the platform (as QEMU's pseries assigns them).
inline constexpr u32 XICS_PHANDLE = 0x1111;
inline constexpr u32 VIO_REG_BASE = 0x71000000;  // first VIO unit address
inline constexpr u32 VIO_IRQ_BASE = 0x1100;      // VIO interrupt = base | (reg - VIO_REG_BASE)
inline constexpr u32 VTY_REG = VIO_REG_BASE;
inline constexpr u32 NVRAM_REG = VIO_REG_BASE + 1;
inline constexpr u32 EPOW_IRQ = 0x1000, HOTPLUG_IRQ = 0x1001;
inline constexpr u32 NVRAM_BYTES = 0x10000;
inline constexpr u32 SPAPR_TIMEBASE_FREQ = 512000000;
inline constexpr u32 RTAS_MIN_SIZE = 20;  // the guest RTAS blob (vof.h write_rtas_blob)
inline constexpr u32 RTAS_ERROR_LOG_MAX = 0x800;
inline constexpr u32 RTAS_TOKEN_BASE = 0x2000;

// RTAS tokens: RTAS_TOKEN_BASE + the call's index in QEMU's table
// (include/hw/ppc/spapr.h RTAS_* order), whether or not lpar publishes it.
struct RtasCall {
  const char* name;
  u32 token;
};
std::span<const RtasCall> rtas_call_table();
u32 rtas_token(std::string_view name);  // 0 if the name is unknown
// The calls -M pseries implements (issue 6 item 3), the default for /rtas.
std::vector<std::string> default_rtas_calls();
// ibm,hypertas-functions (LoPAPR 14.3 "Hypervisor call function sets";
// Linux maps them in platforms/pseries/firmware.c).
std::vector<std::string> default_hypertas_functions(bool resize_hpt);

// Model facts the tree publishes.
u32 default_pvr(isa::Model m);             // QEMU's default core of the family
const char* cpu_node_name(isa::Model m);   // "PowerPC,POWER9", "PowerPC,970"
std::vector<u8> pa_features(isa::Model m);  // ibm,pa-features (with its 2-byte header); empty on 970
std::vector<u32> segment_page_sizes(isa::Model m, unsigned max_page_shift);
// About RAM/128, as a power of two, clamped to the architected 2^18..2^46.
unsigned hpt_shift_for_ram(u64 ram_size);

// Option vector 5 as /chosen/ibm,architecture-vec-5 carries it: the length
// byte (number of bytes - 1), then PAPR bytes 1..N.  An empty vector gives
// the pre-CAS [00 00].
std::vector<u8> ov5_property(std::span<const u8> bytes_1_to_n);

struct SpaprDtConfig {
  isa::Model model = isa::POWER9;
  u32 pvr = 0;  // cpu-version; 0 = default_pvr(model)
  unsigned vcpus = 1;
  u64 ram_size = u64{512} << 20;
  u64 rma_size = u64{512} << 20;  // memory@0 covers exactly this
  u32 timebase_freq = SPAPR_TIMEBASE_FREQ;
  u32 clock_freq = 1000000000;
  unsigned hpt_shift = 0;          // ibm,pft-size; 0 = hpt_shift_for_ram(ram_size)
  unsigned max_page_shift = 24;    // largest page in ibm,segment-page-sizes
  std::string bootargs;            // /chosen/bootargs (omitted if empty)
  u64 initrd_start = 0, initrd_size = 0;
  u64 kernel_addr = 0, kernel_size = 0;  // qemu,boot-kernel for SLOF (omitted if size 0)
  bool kernel_le = false;                // qemu,boot-kernel-le
  bool vty = true;                       // /vdevice/vty@71000000, the stdout
  bool nvram = true;                     // /vdevice/nvram@71000001
  bool resize_hpt = true;                // adds hcall-hpt-resize
  bool event_sources = false;
  bool kvm_hypervisor_node = false;
  std::vector<std::string> rtas_calls = default_rtas_calls();
  std::vector<std::string> hypertas;     // empty = default_hypertas_functions(resize_hpt)
  std::vector<std::string> qemu_hypertas;  // qemu,hypertas-functions (e.g. "hcall-memop1" for SLOF)
  std::vector<u8> ov5;                   // ibm,architecture-vec-5 bytes 1..N (after CAS)
};

// The stdout path Linux and SLOF are given when the vty exists.
inline constexpr const char* VTY_PATH = "/vdevice/vty@71000000";

// Builds the tree; empty on a libfdt failure (which only a config beyond any
// size limit could cause).
std::vector<u8> build_spapr_fdt(const SpaprDtConfig& cfg);

// -M pseries,dumpdtb=FILE.  False with *err set on an I/O error.
bool write_dtb(std::span<const u8> fdt, const std::string& path, std::string* err = nullptr);

}  // namespace lpar::papr
