#include "papr/spapr_dt.h"

#include <libfdt.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <fstream>

namespace lpar::papr {

namespace {

// QEMU's RTAS table order (tokens 0x2000 + index), as the reference tree shows.
constexpr const char* RTAS_NAMES[] = {
    "display-character",
    "get-time-of-day",
    "set-time-of-day",
    "power-off",
    "system-reboot",
    "query-cpu-stopped-state",
    "start-cpu",
    "stop-self",
    "ibm,get-system-parameter",
    "ibm,set-system-parameter",
    "ibm,set-xive",
    "ibm,get-xive",
    "ibm,int-off",
    "ibm,int-on",
    "check-exception",
    "event-scan",
    "ibm,set-tce-bypass",
    "quiesce",
    "nvram-fetch",
    "nvram-store",
    "read-pci-config",
    "write-pci-config",
    "ibm,read-pci-config",
    "ibm,write-pci-config",
    "ibm,query-interrupt-source-number",
    "ibm,change-msi",
    "set-indicator",
    "set-power-level",
    "get-power-level",
    "get-sensor-state",
    "ibm,configure-connector",
    "ibm,os-term",
    "ibm,set-eeh-option",
    "ibm,get-config-addr-info2",
    "ibm,read-slot-reset-state2",
    "ibm,set-slot-reset",
    "ibm,configure-pe",
    "ibm,slot-error-detail",
    "ibm,query-pe-dma-window",
    "ibm,create-pe-dma-window",
    "ibm,remove-pe-dma-window",
    "ibm,reset-pe-dma-window",
    "ibm,suspend-me",
    "ibm,nmi-register",
    "ibm,nmi-interlock",
};
constexpr size_t NUM_RTAS = std::size(RTAS_NAMES);

struct RtasTable {
  RtasCall calls[NUM_RTAS];
  constexpr RtasTable() : calls{} {
    for (size_t i = 0; i < NUM_RTAS; ++i) calls[i] = {RTAS_NAMES[i], RTAS_TOKEN_BASE + u32(i)};
  }
};
constexpr RtasTable RTAS_TABLE{};

// L1 geometry of QEMU's core models (target/ppc/cpu_init.c), all with
// 128-byte lines.
struct CacheGeometry {
  u32 dsize, isize;
};
CacheGeometry caches_of(isa::Model m) {
  switch (m) {
    case isa::PPC970: return {0x8000, 0x10000};
    case isa::POWER8: return {0x10000, 0x8000};
    default: return {0x8000, 0x8000};
  }
}

// Sequential-write builder that remembers the first libfdt error, so the
// tree reads top-down without a check after every line.
class Writer {
 public:
  explicit Writer(std::vector<u8>& buf) : buf_(buf) { err_ = fdt_create(buf_.data(), int(buf_.size())); }
  int error() const { return err_; }

  void reserve(u64 addr, u64 size) { step(fdt_add_reservemap_entry(buf_.data(), addr, size)); }
  void end_reserves() { step(fdt_finish_reservemap(buf_.data())); }
  void begin(const char* name) { step(fdt_begin_node(buf_.data(), name)); }
  void end() { step(fdt_end_node(buf_.data())); }
  void finish() { step(fdt_finish(buf_.data())); }

  void bytes(const char* name, const void* v, size_t len) { step(fdt_property(buf_.data(), name, v, int(len))); }
  void empty(const char* name) { bytes(name, nullptr, 0); }
  void str(const char* name, const std::string& s) { bytes(name, s.c_str(), s.size() + 1); }
  void cell(const char* name, u32 v) { step(fdt_property_u32(buf_.data(), name, v)); }
  void cells(const char* name, std::initializer_list<u32> v) { cells(name, std::vector<u32>(v)); }
  void cells(const char* name, const std::vector<u32>& v) {
    std::vector<fdt32_t> be(v.size());
    for (size_t i = 0; i < v.size(); ++i) be[i] = cpu_to_fdt32(v[i]);
    bytes(name, be.data(), be.size() * 4);
  }
  // A string list: each string with its NUL, concatenated.
  void strings(const char* name, const std::vector<std::string>& list) {
    std::string all;
    for (const auto& s : list) all.append(s.c_str(), s.size() + 1);
    bytes(name, all.data(), all.size());
  }

 private:
  void step(int rc) {
    if (err_ == 0 && rc < 0) err_ = rc;
  }
  std::vector<u8>& buf_;
  int err_;
};

u32 hi(u64 v) { return u32(v >> 32); }
u32 lo(u64 v) { return u32(v); }

void dt_root(Writer& w) {
  w.str("device_type", "chrp");
  w.str("model", "IBM pSeries (emulated by lpar)");
  w.str("compatible", "qemu,pseries");
  w.cell("#address-cells", 2);
  w.cell("#size-cells", 2);
}

void dt_chosen(Writer& w, const SpaprDtConfig& c) {
  w.begin("chosen");
  if (!c.bootargs.empty()) w.str("bootargs", c.bootargs);
  if (c.initrd_size) {
    // Linux's early_init_dt_check_for_initrd reads one or two cells.
    u64 end = c.initrd_start + c.initrd_size;
    if (end <= 0xffffffffu) {
      w.cell("linux,initrd-start", u32(c.initrd_start));
      w.cell("linux,initrd-end", u32(end));
    } else {
      w.cells("linux,initrd-start", {hi(c.initrd_start), lo(c.initrd_start)});
      w.cells("linux,initrd-end", {hi(end), lo(end)});
    }
  }
  if (c.kernel_size) {
    w.cells("qemu,boot-kernel", {hi(c.kernel_addr), lo(c.kernel_addr), hi(c.kernel_size), lo(c.kernel_size)});
    if (c.kernel_le) w.empty("qemu,boot-kernel-le");
  }
  if (c.vty) {
    w.str("linux,stdout-path", VTY_PATH);
    w.str("stdout-path", VTY_PATH);
  }
  // (byte, value) pairs for OV5 bytes 23..26 (Linux prom_init.c
  // prom_check_platform_support): XICS only, hash only, no hash segment
  // tables or GTSE, no radix options.
  const u8 platform[] = {23, 0x00, 24, 0x00, 25, 0x00, 26, 0x00};
  w.bytes("ibm,arch-vec-5-platform-support", platform, sizeof platform);
  auto vec5 = ov5_property(c.ov5);
  w.bytes("ibm,architecture-vec-5", vec5.data(), vec5.size());
  w.end();
}

void dt_rtas(Writer& w, const SpaprDtConfig& c) {
  w.begin("rtas");
  w.strings("ibm,hypertas-functions", c.hypertas.empty() ? default_hypertas_functions(c.resize_hpt) : c.hypertas);
  if (!c.qemu_hypertas.empty()) w.strings("qemu,hypertas-functions", c.qemu_hypertas);
  // FORM1 affinity with a single domain (LoPAPR C.6.2.2).
  w.cells("ibm,associativity-reference-points", {4, 4, 2});
  w.cells("ibm,max-associativity-domains", {4, 0, 0, 0, 1});
  // RTAS blob, error log, and a 16-byte FWNMI save area per CPU plus 8.
  w.cell("rtas-size", RTAS_MIN_SIZE + RTAS_ERROR_LOG_MAX + c.vcpus * 16 + 8);
  w.cell("rtas-error-log-max", RTAS_ERROR_LOG_MAX);
  w.cell("rtas-event-scan-rate", 1);
  w.empty("ibm,extended-os-term");
  // No hotplug memory: maximum address 0, LMB size 256M, max CPUs.
  w.cells("ibm,lrdr-capacity", {0, 0, 0, 0x10000000, c.vcpus});
  for (const auto& name : c.rtas_calls)
    if (u32 t = rtas_token(name)) w.cell(name.c_str(), t);
  w.end();
}

void dt_xics(Writer& w, const SpaprDtConfig& c) {
  w.begin("interrupt-controller");
  w.str("device_type", "PowerPC-External-Interrupt-Presentation");
  w.str("compatible", "IBM,ppc-xicp");
  w.empty("interrupt-controller");
  w.cells("ibm,interrupt-server-ranges", {0, c.vcpus});
  w.cell("#interrupt-cells", 2);
  w.cell("linux,phandle", XICS_PHANDLE);
  w.cell("phandle", XICS_PHANDLE);
  w.end();
}

void dt_vio_device(Writer& w, const char* name, u32 reg, const char* type, const char* compat) {
  char node[32];
  std::snprintf(node, sizeof node, "%s@%x", name, reg);
  w.begin(node);
  w.cell("reg", reg);
  w.str("device_type", type);
  w.str("compatible", compat);
  w.cells("interrupts", {VIO_IRQ_BASE | (reg - VIO_REG_BASE), 0});
}

void dt_vdevice(Writer& w, const SpaprDtConfig& c) {
  w.begin("vdevice");
  w.str("device_type", "vdevice");
  w.str("compatible", "IBM,vdevice");
  w.cell("#address-cells", 1);
  w.cell("#size-cells", 0);
  w.cell("#interrupt-cells", 2);
  w.empty("interrupt-controller");
  if (c.vty) {
    dt_vio_device(w, "vty", VTY_REG, "serial", "hvterm1");
    w.end();
  }
  if (c.nvram) {
    dt_vio_device(w, "nvram", NVRAM_REG, "nvram", "qemu,spapr-nvram");
    w.cell("#bytes", NVRAM_BYTES);
    w.end();
  }
  w.end();
}

void dt_event_sources(Writer& w) {
  w.begin("event-sources");
  w.empty("interrupt-controller");
  w.cell("#interrupt-cells", 2);
  w.cells("interrupt-ranges", {EPOW_IRQ, 1, HOTPLUG_IRQ, 1});
  w.begin("epow-events");
  w.cells("interrupts", {EPOW_IRQ, 0});
  w.end();
  w.begin("hot-plug-events");
  w.cells("interrupts", {HOTPLUG_IRQ, 0});
  w.end();
  w.end();
}

void dt_cpu(Writer& w, const SpaprDtConfig& c, u32 id, unsigned hpt_shift) {
  const isa::Model m = c.model;
  const bool p7plus = m >= isa::POWER7;
  char node[48];
  std::snprintf(node, sizeof node, "%s@%x", cpu_node_name(m), id);
  w.begin(node);
  w.cell("reg", id);
  w.str("device_type", "cpu");
  w.cell("cpu-version", c.pvr ? c.pvr : default_pvr(m));
  w.cell("d-cache-block-size", 128);
  w.cell("d-cache-line-size", 128);
  w.cell("i-cache-block-size", 128);
  w.cell("i-cache-line-size", 128);
  CacheGeometry g = caches_of(m);
  w.cell("d-cache-size", g.dsize);
  w.cell("i-cache-size", g.isize);
  w.cell("timebase-frequency", c.timebase_freq);
  w.cell("clock-frequency", c.clock_freq);
  const u32 slb = m == isa::PPC970 ? 64 : 32;
  w.cell("slb-size", slb);
  w.cell("ibm,slb-size", slb);
  w.str("status", "okay");
  w.empty("64-bit");
  if (p7plus) {  // PURR/SPURR arrived with POWER5/POWER7; the 970 has neither.
    w.cell("ibm,purr", 1);
    w.cell("ibm,spurr", 1);
  }
  // Segment sizes as log2, -1 padded; the 970 has no 1T segments.
  if (p7plus)
    w.cells("ibm,processor-segment-sizes", {28, 40, 0xffffffff, 0xffffffff});
  else
    w.cells("ibm,processor-segment-sizes", {28});
  w.cell("ibm,vmx", p7plus ? 2 : 1);  // 2: VSX, 1: VMX only
  if (p7plus) w.cell("ibm,dfp", 1);
  w.cells("ibm,segment-page-sizes", segment_page_sizes(m, c.max_page_shift));
  auto pa = pa_features(m);
  if (!pa.empty()) w.bytes("ibm,pa-features", pa.data(), pa.size());
  w.cell("ibm,chip-id", 0);
  w.cells("ibm,pft-size", {0, hpt_shift});
  // One thread per core: one server number, and the gserver pair (server, 0).
  w.cells("ibm,ppc-interrupt-server#s", {id});
  w.cells("ibm,ppc-interrupt-gserver#s", {id, 0});
  if (m >= isa::POWER9) w.cell("ibm,dec-bits", 56);  // ISA 3.0 large decrementer
  w.end();
}

void dt_cpus(Writer& w, const SpaprDtConfig& c, unsigned hpt_shift) {
  w.begin("cpus");
  w.cell("#address-cells", 1);
  w.cell("#size-cells", 0);
  for (u32 id = 0; id < c.vcpus; ++id) dt_cpu(w, c, id, hpt_shift);
  w.end();
}

void dt_memory_node(Writer& w, u64 start, u64 size) {
  char node[40];
  std::snprintf(node, sizeof node, "memory@%llx", (unsigned long long)start);
  w.begin(node);
  w.str("device_type", "memory");
  w.cells("reg", {hi(start), lo(start), hi(size), lo(size)});
  w.cells("ibm,associativity", {4, 0, 0, 0, 0});
  w.end();
}

// memory@0 is the RMA; the rest follows in naturally aligned power-of-two
// blocks, as QEMU lays out a single NUMA node.
void dt_memory(Writer& w, const SpaprDtConfig& c) {
  u64 rma = std::min(c.rma_size, c.ram_size);
  dt_memory_node(w, 0, rma);
  u64 start = rma, left = c.ram_size - rma;
  while (left) {
    u64 size = std::bit_floor(left);
    if (start) size = std::min(size, start & -start);
    dt_memory_node(w, start, size);
    start += size;
    left -= size;
  }
}

int build_into(std::vector<u8>& buf, const SpaprDtConfig& c) {
  Writer w(buf);
  const unsigned hpt_shift = c.hpt_shift ? c.hpt_shift : hpt_shift_for_ram(c.ram_size);
  if (c.kernel_size) w.reserve(c.kernel_addr, c.kernel_size);
  if (c.initrd_size) w.reserve(c.initrd_start, c.initrd_size);
  w.end_reserves();
  w.begin("");
  dt_root(w);
  dt_chosen(w, c);
  dt_cpus(w, c, hpt_shift);
  dt_memory(w, c);
  dt_rtas(w, c);
  dt_xics(w, c);
  dt_vdevice(w, c);
  if (c.event_sources) dt_event_sources(w);
  if (c.kvm_hypervisor_node) {
    w.begin("hypervisor");
    w.str("compatible", "linux,kvm");
    w.end();
  }
  w.end();
  w.finish();
  return w.error();
}

}  // namespace

std::span<const RtasCall> rtas_call_table() { return RTAS_TABLE.calls; }

u32 rtas_token(std::string_view name) {
  for (const auto& c : RTAS_TABLE.calls)
    if (name == c.name) return c.token;
  return 0;
}

std::vector<std::string> default_rtas_calls() {
  return {"display-character", "get-time-of-day", "set-time-of-day", "power-off", "system-reboot",
          "query-cpu-stopped-state", "start-cpu", "stop-self", "ibm,get-system-parameter",
          "ibm,set-system-parameter", "ibm,set-xive", "ibm,get-xive", "ibm,int-off", "ibm,int-on",
          "check-exception", "event-scan", "nvram-fetch", "nvram-store", "ibm,os-term",
          "ibm,nmi-register", "ibm,nmi-interlock"};
}

std::vector<std::string> default_hypertas_functions(bool resize_hpt) {
  std::vector<std::string> v = {"hcall-pft",    "hcall-term",     "hcall-dabr",  "hcall-interrupt",
                                "hcall-tce",    "hcall-vio",      "hcall-splpar", "hcall-join",
                                "hcall-bulk",   "hcall-set-mode", "hcall-sprg0", "hcall-copy",
                                "hcall-debug",  "hcall-vphn",     "hcall-multi-tce"};
  if (resize_hpt) v.push_back("hcall-hpt-resize");
  return v;
}

u32 default_pvr(isa::Model m) {
  switch (m) {
    case isa::PPC970: return 0x00390202;  // 970 v2.2
    case isa::POWER7: return 0x003f0203;  // POWER7 v2.3
    case isa::POWER8: return 0x004d0200;  // POWER8 v2.0
    default: return 0x004e1200;           // POWER9 v2.0
  }
}

const char* cpu_node_name(isa::Model m) {
  switch (m) {
    case isa::PPC970: return "PowerPC,970";
    case isa::POWER7: return "PowerPC,POWER7";
    case isa::POWER8: return "PowerPC,POWER8";
    default: return "PowerPC,POWER9";
  }
}

// ibm,pa-features (LoPAPR C.6.1.13 "Processor Attribute Features"): a length
// byte, an attribute-type byte (0), then the feature bytes; bit 0 of a byte
// is its 0x80.  The tables are the ISA level's (2.06 / 2.07 / 3.00), with
// byte 1 bit 2 (CI large pages) set and, for lpar's hash-only MMU, byte 40
// bit 0 (radix) clear.  HTM (byte 22 bit 0) stays clear: lpar has no TM.
std::vector<u8> pa_features(isa::Model m) {
  static constexpr u8 ISA206[] = {0xf6, 0x3f, 0xc7, 0x00, 0x80, 0xc0};
  static constexpr u8 ISA207[] = {0xf6, 0x3f, 0xc7, 0xc0, 0x80, 0xf0, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
                                  0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x00, 0x00};
  static constexpr u8 ISA300[] = {
      0xf6, 0x3f, 0xc7, 0xc0, 0x80, 0xf0,  // 0-5: MMU FPU SLB RUN DABR NX, CI-large-page, LE CFAR EB LSQ
      0x80, 0x00, 0x00, 0x00, 0x00, 0x00,  // 6: DS207
      0x00, 0x00, 0x00, 0x00, 0x80, 0x00,  // 16: vector
      0x80, 0x00, 0x80, 0x00, 0x00, 0x00,  // 18: VSX, 20: vector crypto, 22: HTM (off)
      0x80, 0x00, 0x80, 0x00, 0x80, 0x00,  // 24: large decrementer, 26: 64-bit features, 28: PM
      0x80, 0x00, 0x80, 0x00, 0xc0, 0x00,  // 30: MMR, 32: LE atomics, 34: EBB
      0x80, 0x00, 0x80, 0x00, 0x00, 0x00,  // 36: SPR SO, 38: copy/paste, 40: radix (hidden)
      0x80, 0x00, 0x80, 0x00, 0x80, 0x00,  // 42: PM, 44: PC-relative, 46: sc vectored
      0x80, 0x00, 0x80, 0x00, 0x80, 0x00,  // 48: SIMD, 50: QP BFP, 52: string
      0x80, 0x00, 0x80, 0x00, 0x80, 0x00,  // 54: DFP, 56: decimal integer, 58: SHA
      0x80, 0x00, 0x80, 0x00, 0x00, 0x00,  // 60: NM atomics, 62: RNG
  };
  std::span<const u8> t;
  switch (m) {
    case isa::PPC970: return {};
    case isa::POWER7: t = ISA206; break;
    case isa::POWER8: t = ISA207; break;
    default: t = ISA300; break;
  }
  std::vector<u8> v{u8(t.size()), 0};
  v.insert(v.end(), t.begin(), t.end());
  return v;
}

// ibm,segment-page-sizes (LoPAPR C.6.1.4): per segment base size, {log2
// size, SLB L||LP encoding, count, {log2 page size, HPTE LP encoding}...}.
// Book III-S 5.7.7.1: 64K is SLB L=1 LP=01 / HPTE LP=0001, 16M is SLB L=1
// LP=00 / HPTE LP=0; the 970's one large page is 16M with the same codes.
std::vector<u32> segment_page_sizes(isa::Model m, unsigned max_page_shift) {
  std::vector<u32> v;
  v.reserve(15);
  auto add = [&](u32 shift, u32 slb_enc, u32 pte_enc) {
    if (shift > max_page_shift) return;
    for (u32 cell : {shift, slb_enc, 1u, shift, pte_enc}) v.push_back(cell);
  };
  add(12, 0x000, 0);
  if (m != isa::PPC970) add(16, 0x110, 1);
  add(24, 0x100, 0);
  return v;
}

unsigned hpt_shift_for_ram(u64 ram_size) {
  // log2 of the next power of two, less 7 for the 1/128.
  int shift = ram_size < 2 ? 0 : int(std::bit_width(ram_size - 1)) - 7;
  return unsigned(std::clamp(shift, 18, 46));
}

std::vector<u8> ov5_property(std::span<const u8> bytes) {
  size_t n = bytes.size();
  while (n > 1 && bytes[n - 1] == 0) --n;
  std::vector<u8> v;
  if (n == 0) return {0, 0};
  v.push_back(u8(n - 1));
  v.insert(v.end(), bytes.begin(), bytes.begin() + n);
  return v;
}

std::vector<u8> build_spapr_fdt(const SpaprDtConfig& cfg) {
  // Grow the buffer until the tree fits (a few KiB for ordinary configs).
  for (size_t size = 64 * 1024; size <= 64 * 1024 * 1024; size *= 2) {
    std::vector<u8> buf(size);
    int rc = build_into(buf, cfg);
    if (rc == -FDT_ERR_NOSPACE) continue;
    if (rc < 0) return {};
    buf.resize(fdt_totalsize(buf.data()));
    return buf;
  }
  return {};
}

bool write_dtb(std::span<const u8> fdt, const std::string& path, std::string* err) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (f) f.write(reinterpret_cast<const char*>(fdt.data()), std::streamsize(fdt.size()));
  if (f) f.close();
  if (!f) {
    if (err) *err = "cannot write " + path;
    return false;
  }
  return true;
}

}  // namespace lpar::papr
