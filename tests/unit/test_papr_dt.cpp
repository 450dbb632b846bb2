// The sPAPR device tree: read back with libfdt and compared with the QEMU 7.2
// reference tree (shared/reference/qemu-pseries-reset-devicetree.dts) where
// lpar means to agree with it.
#include <catch2/catch.hpp>
#include <libfdt.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "papr/spapr_dt.h"

using namespace lpar;
using namespace lpar::papr;

namespace {

constexpr u64 GiB = u64{1} << 30;

struct Tree {
  std::vector<u8> blob;
  explicit Tree(const SpaprDtConfig& c) : blob(build_spapr_fdt(c)) {
    REQUIRE(!blob.empty());
    REQUIRE(fdt_check_full(blob.data(), blob.size()) == 0);
  }
  const void* fdt() const { return blob.data(); }
  int node(const char* path) const { return fdt_path_offset(fdt(), path); }
  bool has(const char* path, const char* name) const {
    int n = node(path);
    return n >= 0 && fdt_getprop(fdt(), n, name, nullptr) != nullptr;
  }
  std::vector<u8> bytes(const char* path, const char* name) const {
    int n = node(path);
    REQUIRE(n >= 0);
    int len = 0;
    auto* p = static_cast<const u8*>(fdt_getprop(fdt(), n, name, &len));
    INFO(path << " " << name);
    REQUIRE(p);
    return std::vector<u8>(p, p + len);
  }
  std::vector<u32> cells(const char* path, const char* name) const {
    auto b = bytes(path, name);
    REQUIRE(b.size() % 4 == 0);
    std::vector<u32> v;
    for (size_t i = 0; i < b.size(); i += 4) v.push_back(u32(b[i]) << 24 | u32(b[i + 1]) << 16 | u32(b[i + 2]) << 8 | b[i + 3]);
    return v;
  }
  u32 cell(const char* path, const char* name) const {
    auto v = cells(path, name);
    REQUIRE(v.size() == 1);
    return v[0];
  }
  std::string str(const char* path, const char* name) const {
    auto b = bytes(path, name);
    REQUIRE(!b.empty());
    REQUIRE(b.back() == 0);
    return std::string(b.begin(), b.end() - 1);
  }
  std::vector<std::string> strings(const char* path, const char* name) const {
    auto b = bytes(path, name);
    std::vector<std::string> v;
    std::string cur;
    for (u8 c : b) {
      if (c) cur.push_back(char(c));
      else v.push_back(cur), cur.clear();
    }
    return v;
  }
};

// The reference dump's inputs: 2 vCPUs, 1 GiB, -kernel/-initrd/-append.
SpaprDtConfig reference_config() {
  SpaprDtConfig c;
  c.model = isa::POWER9;
  c.vcpus = 2;
  c.ram_size = GiB;
  c.rma_size = GiB;
  c.max_page_shift = 16;  // QEMU TCG's cap-hpt-max-page-size default
  c.bootargs = "console=hvc0";
  c.initrd_start = 0x2c90000;
  c.initrd_size = 0x12323d;
  c.kernel_addr = 0x400000;
  c.kernel_size = 0x287c918;
  c.kernel_le = true;
  return c;
}

bool contains(const std::vector<std::string>& v, const char* s) {
  for (const auto& x : v)
    if (x == s) return true;
  return false;
}

}  // namespace

TEST_CASE("pseries tree: POWER9 CPU nodes match the QEMU reference", "[papr-dt]") {
  Tree t(reference_config());
  for (u32 id : {0u, 1u}) {
    std::string p = "/cpus/PowerPC,POWER9@" + std::to_string(id);
    const char* cpu = p.c_str();
    CHECK(t.cell(cpu, "reg") == id);
    CHECK(t.str(cpu, "device_type") == "cpu");
    CHECK(t.cell(cpu, "cpu-version") == 0x4e1200);
    CHECK(t.cell(cpu, "timebase-frequency") == 0x1e848000);
    CHECK(t.cell(cpu, "clock-frequency") == 0x3b9aca00);
    CHECK(t.cell(cpu, "d-cache-size") == 0x8000);
    CHECK(t.cell(cpu, "i-cache-size") == 0x8000);
    CHECK(t.cell(cpu, "d-cache-block-size") == 0x80);
    CHECK(t.cell(cpu, "i-cache-line-size") == 0x80);
    CHECK(t.cell(cpu, "slb-size") == 0x20);
    CHECK(t.cell(cpu, "ibm,slb-size") == 0x20);
    CHECK(t.str(cpu, "status") == "okay");
    CHECK(t.bytes(cpu, "64-bit").empty());
    CHECK(t.cell(cpu, "ibm,purr") == 1);
    CHECK(t.cell(cpu, "ibm,spurr") == 1);
    CHECK(t.cell(cpu, "ibm,vmx") == 2);
    CHECK(t.cell(cpu, "ibm,dfp") == 1);
    CHECK(t.cell(cpu, "ibm,dec-bits") == 56);
    CHECK(t.cell(cpu, "ibm,chip-id") == 0);
    CHECK(t.cells(cpu, "ibm,processor-segment-sizes") == std::vector<u32>{0x1c, 0x28, 0xffffffff, 0xffffffff});
    CHECK(t.cells(cpu, "ibm,segment-page-sizes") ==
          std::vector<u32>{0x0c, 0x00, 0x01, 0x0c, 0x00, 0x10, 0x110, 0x01, 0x10, 0x01});
    CHECK(t.cells(cpu, "ibm,pft-size") == std::vector<u32>{0, 0x17});
    CHECK(t.cells(cpu, "ibm,ppc-interrupt-server#s") == std::vector<u32>{id});
    CHECK(t.cells(cpu, "ibm,ppc-interrupt-gserver#s") == std::vector<u32>{id, 0});
    CHECK_FALSE(t.has(cpu, "ibm,processor-radix-AP-encodings"));
    // The reference's ISA 3.00 table, with the radix bit (byte 40) hidden.
    std::vector<u32> pa = {0x4200f63f, 0xc7c080f0, 0x80000000, 0x00, 0x8000, 0x80008000, 0x8000, 0x80008000,
                           0x80008000, 0xc0008000, 0x80008000, 0x80008000, 0x80008000, 0x80008000,
                           0x80008000, 0x80008000, 0x80000000};
    pa[10] = 0x80000000;  // data bytes 38..41: 80 00 [80->00] 00
    CHECK(t.cells(cpu, "ibm,pa-features") == pa);
  }
  CHECK(t.cell("/cpus", "#address-cells") == 1);
  CHECK(t.cell("/cpus", "#size-cells") == 0);
  CHECK(t.node("/cpus/PowerPC,POWER9@2") < 0);
}

TEST_CASE("pseries tree: root, chosen, memory and reserve map", "[papr-dt]") {
  Tree t(reference_config());
  CHECK(t.str("/", "device_type") == "chrp");
  CHECK(t.str("/", "compatible") == "qemu,pseries");
  CHECK(t.str("/", "model") == "IBM pSeries (emulated by lpar)");
  CHECK(t.cell("/", "#address-cells") == 2);
  CHECK(t.cell("/", "#size-cells") == 2);
  CHECK(t.node("/hypervisor") < 0);
  CHECK(t.node("/event-sources") < 0);

  CHECK(t.str("/chosen", "bootargs") == "console=hvc0");
  CHECK(t.cell("/chosen", "linux,initrd-start") == 0x2c90000);
  CHECK(t.cell("/chosen", "linux,initrd-end") == 0x2db323d);
  CHECK(t.cells("/chosen", "qemu,boot-kernel") == std::vector<u32>{0, 0x400000, 0, 0x287c918});
  CHECK(t.has("/chosen", "qemu,boot-kernel-le"));
  CHECK(t.str("/chosen", "linux,stdout-path") == "/vdevice/vty@71000000");
  CHECK(t.str("/chosen", "stdout-path") == "/vdevice/vty@71000000");
  CHECK(t.bytes("/chosen", "ibm,architecture-vec-5") == std::vector<u8>{0, 0});
  // Hash only and XICS only (QEMU TCG offers 0x80/0xc0 here: both).
  CHECK(t.cells("/chosen", "ibm,arch-vec-5-platform-support") == std::vector<u32>{0x17001800, 0x19001a00});

  CHECK(t.str("/memory@0", "device_type") == "memory");
  CHECK(t.cells("/memory@0", "reg") == std::vector<u32>{0, 0, 0, 0x40000000});
  CHECK(t.cells("/memory@0", "ibm,associativity") == std::vector<u32>{4, 0, 0, 0, 0});

  REQUIRE(fdt_num_mem_rsv(t.fdt()) == 2);
  uint64_t a, s;
  REQUIRE(fdt_get_mem_rsv(t.fdt(), 0, &a, &s) == 0);
  CHECK((a == 0x400000 && s == 0x287c918));
  REQUIRE(fdt_get_mem_rsv(t.fdt(), 1, &a, &s) == 0);
  CHECK((a == 0x2c90000 && s == 0x12323d));

  SpaprDtConfig bare;
  bare.bootargs.clear();
  Tree b(bare);
  CHECK_FALSE(b.has("/chosen", "bootargs"));
  CHECK_FALSE(b.has("/chosen", "linux,initrd-start"));
  CHECK_FALSE(b.has("/chosen", "qemu,boot-kernel"));
  CHECK(fdt_num_mem_rsv(b.fdt()) == 0);
}

TEST_CASE("pseries tree: memory beyond the RMA in aligned blocks", "[papr-dt]") {
  SpaprDtConfig c;
  c.ram_size = 2 * GiB;
  c.rma_size = GiB;
  Tree t(c);
  CHECK(t.cells("/memory@0", "reg") == std::vector<u32>{0, 0, 0, 0x40000000});
  CHECK(t.cells("/memory@40000000", "reg") == std::vector<u32>{0, 0x40000000, 0, 0x40000000});
  CHECK(t.cells("/cpus/PowerPC,POWER9@0", "ibm,pft-size") == std::vector<u32>{0, 24});

  c.ram_size = 3 * GiB;
  Tree t3(c);
  CHECK(t3.cells("/memory@40000000", "reg") == std::vector<u32>{0, 0x40000000, 0, 0x40000000});
  CHECK(t3.cells("/memory@80000000", "reg") == std::vector<u32>{0, 0x80000000, 0, 0x40000000});
  CHECK(t3.node("/memory@c0000000") < 0);

  c.ram_size = c.rma_size = 256 << 20;
  Tree one(c);
  CHECK(one.node("/memory@10000000") < 0);
}

TEST_CASE("pseries tree: /rtas tokens, sizes and hypertas functions", "[papr-dt]") {
  Tree t(reference_config());
  // QEMU's numbering (include/hw/ppc/spapr.h), as in the reference tree.
  CHECK(t.cell("/rtas", "display-character") == 0x2000);
  CHECK(t.cell("/rtas", "get-time-of-day") == 0x2001);
  CHECK(t.cell("/rtas", "power-off") == 0x2003);
  CHECK(t.cell("/rtas", "start-cpu") == 0x2006);
  CHECK(t.cell("/rtas", "ibm,set-xive") == 0x200a);
  CHECK(t.cell("/rtas", "ibm,int-on") == 0x200d);
  CHECK(t.cell("/rtas", "event-scan") == 0x200f);
  CHECK(t.cell("/rtas", "nvram-fetch") == 0x2012);
  CHECK(t.cell("/rtas", "nvram-store") == 0x2013);
  CHECK(t.cell("/rtas", "ibm,os-term") == 0x201f);
  CHECK(t.cell("/rtas", "ibm,nmi-register") == 0x202b);
  CHECK(t.cell("/rtas", "ibm,nmi-interlock") == 0x202c);
  // Calls lpar does not implement are not published, but keep their numbers.
  CHECK_FALSE(t.has("/rtas", "read-pci-config"));
  CHECK_FALSE(t.has("/rtas", "ibm,suspend-me"));
  CHECK(rtas_token("read-pci-config") == 0x2014);
  CHECK(rtas_token("ibm,configure-connector") == 0x201e);
  CHECK(rtas_token("ibm,suspend-me") == 0x202a);
  CHECK(rtas_token("no-such-call") == 0);
  CHECK(rtas_call_table().size() == 45);

  CHECK(t.cell("/rtas", "rtas-size") == 0x83c);
  CHECK(t.cell("/rtas", "rtas-error-log-max") == 0x800);
  CHECK(t.cell("/rtas", "rtas-event-scan-rate") == 1);
  CHECK(t.has("/rtas", "ibm,extended-os-term"));
  CHECK(t.cells("/rtas", "ibm,associativity-reference-points") == std::vector<u32>{4, 4, 2});
  CHECK(t.cells("/rtas", "ibm,lrdr-capacity") == std::vector<u32>{0, 0, 0, 0x10000000, 2});
  auto ht = t.strings("/rtas", "ibm,hypertas-functions");
  for (const char* f : {"hcall-pft", "hcall-term", "hcall-dabr", "hcall-interrupt", "hcall-tce", "hcall-splpar",
                        "hcall-bulk", "hcall-set-mode", "hcall-sprg0", "hcall-copy", "hcall-debug", "hcall-vphn",
                        "hcall-multi-tce", "hcall-hpt-resize"})
    CHECK(contains(ht, f));
  CHECK_FALSE(t.has("/rtas", "qemu,hypertas-functions"));

  SpaprDtConfig c = reference_config();
  c.resize_hpt = false;
  c.qemu_hypertas = {"hcall-memop1"};
  Tree nr(c);
  CHECK_FALSE(contains(nr.strings("/rtas", "ibm,hypertas-functions"), "hcall-hpt-resize"));
  CHECK(nr.strings("/rtas", "qemu,hypertas-functions") == std::vector<std::string>{"hcall-memop1"});
}

TEST_CASE("pseries tree: XICS and the VIO devices", "[papr-dt]") {
  Tree t(reference_config());
  CHECK(t.str("/interrupt-controller", "compatible") == "IBM,ppc-xicp");
  CHECK(t.str("/interrupt-controller", "device_type") == "PowerPC-External-Interrupt-Presentation");
  CHECK(t.has("/interrupt-controller", "interrupt-controller"));
  CHECK(t.cells("/interrupt-controller", "ibm,interrupt-server-ranges") == std::vector<u32>{0, 2});
  CHECK(t.cell("/interrupt-controller", "#interrupt-cells") == 2);
  CHECK(t.cell("/interrupt-controller", "phandle") == XICS_PHANDLE);
  CHECK(t.cell("/interrupt-controller", "linux,phandle") == XICS_PHANDLE);

  CHECK(t.str("/vdevice", "compatible") == "IBM,vdevice");
  CHECK(t.str("/vdevice", "device_type") == "vdevice");
  CHECK(t.cell("/vdevice", "#address-cells") == 1);
  CHECK(t.cell("/vdevice", "#size-cells") == 0);
  CHECK(t.cell("/vdevice", "#interrupt-cells") == 2);
  CHECK(t.str("/vdevice/vty@71000000", "compatible") == "hvterm1");
  CHECK(t.str("/vdevice/vty@71000000", "device_type") == "serial");
  CHECK(t.cell("/vdevice/vty@71000000", "reg") == 0x71000000);
  CHECK(t.cells("/vdevice/vty@71000000", "interrupts") == std::vector<u32>{0x1100, 0});
  CHECK(t.str("/vdevice/nvram@71000001", "compatible") == "qemu,spapr-nvram");
  CHECK(t.str("/vdevice/nvram@71000001", "device_type") == "nvram");
  CHECK(t.cell("/vdevice/nvram@71000001", "reg") == 0x71000001);
  CHECK(t.cell("/vdevice/nvram@71000001", "#bytes") == 0x10000);
  CHECK(t.cells("/vdevice/nvram@71000001", "interrupts") == std::vector<u32>{0x1101, 0});

  SpaprDtConfig c = reference_config();
  c.vty = false;
  c.event_sources = true;
  c.kvm_hypervisor_node = true;
  Tree o(c);
  CHECK(o.node("/vdevice/vty@71000000") < 0);
  CHECK_FALSE(o.has("/chosen", "stdout-path"));
  CHECK(o.str("/hypervisor", "compatible") == "linux,kvm");
  CHECK(o.cells("/event-sources", "interrupt-ranges") == std::vector<u32>{0x1000, 1, 0x1001, 1});
  CHECK(o.cells("/event-sources/epow-events", "interrupts") == std::vector<u32>{0x1000, 0});
  CHECK(o.cells("/event-sources/hot-plug-events", "interrupts") == std::vector<u32>{0x1001, 0});
}

TEST_CASE("pseries tree: POWER8, POWER7 and 970 processor properties", "[papr-dt]") {
  SpaprDtConfig c;
  c.ram_size = c.rma_size = GiB;

  c.model = isa::POWER8;
  Tree p8(c);
  const char* cpu8 = "/cpus/PowerPC,POWER8@0";
  CHECK(p8.cell(cpu8, "cpu-version") == 0x4d0200);
  CHECK(p8.cell(cpu8, "d-cache-size") == 0x10000);
  CHECK_FALSE(p8.has(cpu8, "ibm,dec-bits"));
  CHECK(p8.cell(cpu8, "ibm,vmx") == 2);
  CHECK(p8.cell(cpu8, "ibm,dfp") == 1);
  auto pa8 = p8.bytes(cpu8, "ibm,pa-features");
  REQUIRE(pa8.size() == 26);
  CHECK(std::vector<u8>(pa8.begin(), pa8.begin() + 10) ==
        std::vector<u8>{24, 0, 0xf6, 0x3f, 0xc7, 0xc0, 0x80, 0xf0, 0x80, 0x00});
  CHECK(pa8[2 + 16] == 0x80);  // vector
  CHECK(pa8[2 + 18] == 0x80);  // VSX
  CHECK(pa8[2 + 22] == 0x00);  // no HTM
  CHECK(p8.cells(cpu8, "ibm,segment-page-sizes") ==
        std::vector<u32>{12, 0, 1, 12, 0, 16, 0x110, 1, 16, 1, 24, 0x100, 1, 24, 0});
  CHECK(p8.cells("/chosen", "ibm,arch-vec-5-platform-support") == std::vector<u32>{0x17001800, 0x19001a00});

  c.model = isa::POWER7;
  Tree p7(c);
  const char* cpu7 = "/cpus/PowerPC,POWER7@0";
  CHECK(p7.cell(cpu7, "cpu-version") == 0x3f0203);
  CHECK(p7.bytes(cpu7, "ibm,pa-features") == std::vector<u8>{6, 0, 0xf6, 0x3f, 0xc7, 0x00, 0x80, 0xc0});
  CHECK(p7.cells(cpu7, "ibm,processor-segment-sizes") == std::vector<u32>{28, 40, 0xffffffff, 0xffffffff});
  CHECK(p7.cell(cpu7, "ibm,dfp") == 1);
  CHECK(p7.cell(cpu7, "ibm,purr") == 1);

  c.model = isa::PPC970;
  c.pvr = 0x00440100;  // an explicit PVR wins over the default
  Tree p970(c);
  const char* cpu970 = "/cpus/PowerPC,970@0";
  CHECK(p970.cell(cpu970, "cpu-version") == 0x00440100);
  CHECK_FALSE(p970.has(cpu970, "ibm,pa-features"));
  CHECK_FALSE(p970.has(cpu970, "ibm,purr"));
  CHECK_FALSE(p970.has(cpu970, "ibm,dfp"));
  CHECK_FALSE(p970.has(cpu970, "ibm,dec-bits"));
  CHECK(p970.cell(cpu970, "ibm,vmx") == 1);
  CHECK(p970.cell(cpu970, "slb-size") == 64);
  CHECK(p970.cell(cpu970, "i-cache-size") == 0x10000);
  CHECK(p970.cells(cpu970, "ibm,processor-segment-sizes") == std::vector<u32>{28});
  CHECK(p970.cells(cpu970, "ibm,segment-page-sizes") == std::vector<u32>{12, 0, 1, 12, 0, 24, 0x100, 1, 24, 0});
}

TEST_CASE("pseries tree: HPT size and option vector 5 encoding", "[papr-dt]") {
  CHECK(hpt_shift_for_ram(GiB) == 23);
  CHECK(hpt_shift_for_ram(GiB / 2) == 22);
  CHECK(hpt_shift_for_ram(GiB + 1) == 24);
  CHECK(hpt_shift_for_ram(16 << 20) == 18);
  CHECK(hpt_shift_for_ram(0) == 18);
  CHECK(hpt_shift_for_ram(u64{1} << 62) == 46);
  CHECK(ov5_property({}) == std::vector<u8>{0, 0});
  const u8 agreed[] = {0, 0, 0, 0, 0x80, 0x01, 0, 0};
  CHECK(ov5_property(agreed) == std::vector<u8>{5, 0, 0, 0, 0, 0x80, 0x01});

  SpaprDtConfig c;
  c.ov5 = {0, 0, 0, 0, 0x80, 0x01};
  c.hpt_shift = 20;
  Tree t(c);
  CHECK(t.bytes("/chosen", "ibm,architecture-vec-5") == std::vector<u8>{5, 0, 0, 0, 0, 0x80, 0x01});
  CHECK(t.cells("/cpus/PowerPC,POWER9@0", "ibm,pft-size") == std::vector<u32>{0, 20});
}

TEST_CASE("pseries tree: dumpdtb writes the blob unchanged", "[papr-dt]") {
  auto blob = build_spapr_fdt(reference_config());
  REQUIRE(!blob.empty());
  std::string path = std::string(LPAR_BINARY_DIR) + "/papr-dt-test.dtb";
  std::string err;
  REQUIRE(write_dtb(blob, path, &err));
  std::ifstream f(path, std::ios::binary);
  std::vector<u8> back((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  CHECK(back == blob);
  CHECK(fdt_check_full(back.data(), back.size()) == 0);
  std::remove(path.c_str());
  CHECK_FALSE(write_dtb(blob, "/nonexistent-dir/x.dtb", &err));
  CHECK(!err.empty());
}
