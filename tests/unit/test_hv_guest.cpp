// Guests running under the hypervisor in supervisor mode: the programs in
// tests/hv and hand-written snippets (test_hv_util.h).
#include <cerrno>
#include <cstdio>

#include "mmu/hpt.h"
#include "test_hv_util.h"

using namespace lpar;
using namespace lpar::hv;
using namespace lpar::hv::test;

namespace {
constexpr u64 MB = u64{1} << 20;
constexpr u64 MSR_DR = 0x10;

#define NEED_PROGRAM(var, name)                                 \
  const std::vector<u8> var = guest_program(name);              \
  if (var.empty()) {                                            \
    WARN("tests/hv/" name ".bin not built (no PPC cross compiler)"); \
    return;                                                     \
  }

u64 count_valid_hptes(Htab& t) {
  u64 n = 0;
  for (u64 i = 0; i < t.hpte_count(); ++i) {
    u64 p0, p1;
    if (t.read_hpte(i, p0, p1) && (p0 & mmu::HPTE0_V)) ++n;
  }
  return n;
}

// A PPC970 partition whose slot 0 is an RMA from the pool.
struct RmaGuest : Guest {
  Rma rma;
  RmaGuest(isa::Model m) : Guest(m, 0, 64 * MB, 1) {
    REQUIRE(vm->allocate_rma(rma) == 0);
    REQUIRE(vm->set_user_memory_region(0, 0, 0, rma.size, reinterpret_cast<uintptr_t>(rma.host)) == 0);
  }
  void load_rma(const std::vector<u8>& img) { std::memcpy(rma.host, img.data(), img.size()); }
};
}  // namespace

TEST_CASE("hv: a guest maps pages with H_ENTER and uses them", "[hv]") {
  NEED_PROGRAM(img, "henter");
  for (isa::Model m : {isa::POWER7, isa::POWER8, isa::POWER9}) {
    INFO("model " << int(m));
    Guest g(m);
    g.load(img);
    g.start(0);
    KvmRun& run = g.until_report();
    // The access after H_REMOVE: the hypervisor's HDSI reflected as a DSI.
    CHECK(run.papr_hcall.args[0] == 0x300);
    CHECK(run.papr_hcall.args[1] == 0x10000008);  // DAR
    CHECK(run.papr_hcall.args[2] == 0x40000000);  // DSISR[33]: no HPTE
    CHECK(get_be64(g.mem() + 2 * MB + 8) == 0x1122334455667788ull);
    CHECK(g.cpu->hcalls_in_hv() == 3);
    CHECK(!(g.cpu->state().msr & (u64{1} << 60)));  // never in hypervisor state
  }
}

TEST_CASE("hv: real mode on the VRMA (POWER8, POWER9)", "[hv]") {
  NEED_PROGRAM(img, "rmode");
  for (isa::Model m : {isa::POWER8, isa::POWER9}) {
    INFO("model " << int(m));
    Guest g(m, 32 * MB);
    g.load(img);
    g.start(0);
    g.cpu->state().gpr[3] = 32 * MB;  // beyond slot 0: no VRMA HPTE
    KvmRun& run = g.until_report();
    CHECK(run.papr_hcall.args[0] == 0x300);
    CHECK(run.papr_hcall.args[1] == 32 * MB);
    CHECK(run.papr_hcall.args[2] == 0x40000000);
    CHECK(get_be64(g.mem() + MB) == 0xCAFEF00D12345678ull);
    // The hypervisor entered the VRMA: 16 MB pages (VRMASD L=1), two bolted HPTEs.
    CHECK(((g.vm->lpcr() & mmu::LPCR_VRMASD) >> mmu::LPCR_VRMASD_SHIFT) == 0x10);
    if (m == isa::POWER8) CHECK((g.vm->lpcr() & mmu::LPCR_VPM0) != 0);
    CHECK(count_valid_hptes(g.vm->htab()) == 2);
    CHECK(g.vm->htab().order() == Vm::DEFAULT_HPT_ORDER);
  }
}

TEST_CASE("hv: real mode on a pooled RMA (PPC970: HID4 RMOR/RMLS)", "[hv]") {
  NEED_PROGRAM(img, "rmode");
  RmaGuest g(isa::PPC970);
  g.load_rma(img);
  g.start(0);
  g.cpu->state().gpr[3] = 64 * MB;  // the RMLS limit
  KvmRun& run = g.until_report();
  CHECK(run.papr_hcall.args[0] == 0x300);
  CHECK(run.papr_hcall.args[1] == 64 * MB);
  CHECK(run.papr_hcall.args[2] == 0x08000000);  // DSISR[36]: beyond the RMO
  CHECK(get_be64(g.rma.host + MB) == 0xCAFEF00D12345678ull);
  const u64 hid4 = g.cpu->state().hid[2];
  CHECK(((hid4 >> mmu::HID4_RMOR_SHIFT) & 0xFFFF) << 26 == g.rma.real_addr);
  CHECK(((hid4 >> mmu::HID4_RMLS12_SHIFT) & 3) == 3);  // RMLS 3: 64 MB
}

TEST_CASE("hv: POWER8 with an RMA in slot 0 uses offset real mode", "[hv]") {
  NEED_PROGRAM(img, "rmode");
  RmaGuest g(isa::POWER8);
  g.load_rma(img);
  g.start(0);
  g.cpu->state().gpr[3] = 64 * MB;
  KvmRun& run = g.until_report();
  CHECK(run.papr_hcall.args[0] == 0x300);
  CHECK(run.papr_hcall.args[2] == 0x08000000);
  CHECK((g.vm->lpcr() & mmu::LPCR_VPM0) == 0);
  CHECK(g.cpu->state().rmor == g.rma.real_addr);
  CHECK(get_be64(g.rma.host + MB) == 0xCAFEF00D12345678ull);
}

TEST_CASE("hv: a PPC970 guest without an RMA cannot run", "[hv]") {
  Guest g(isa::PPC970, 64 * MB);
  CHECK(g.cpu->run() == -EINVAL);
  Guest none(isa::POWER8, 0);  // no memory at guest physical 0
  CHECK(none.cpu->run() == -EINVAL);
}

TEST_CASE("hv: a resize commit moves every bolted HPTE and the guest keeps running", "[hv]") {
  NEED_PROGRAM(img, "resize");
  for (u32 shift : {19u, 18u}) {
    INFO("shift " << shift);
    Guest g(isa::POWER8);
    u32 order = shift == 19 ? 18 : 20;
    REQUIRE(g.vm->allocate_htab(order) == 0);
    g.load(img);
    g.start(0);
    g.cpu->state().gpr[31] = shift;
    u64 before = 0;
    int prepares = 0, commits = 0;
    KvmRun& run = g.until_report([&](KvmRun& r) {
      if (r.exit_reason != KVM_EXIT_PAPR_HCALL) return false;
      if (r.papr_hcall.nr == H_RESIZE_HPT_PREPARE) {
        ++prepares;
        const long rc = g.vm->resize_hpt_prepare(r.papr_hcall.args[0], u32(r.papr_hcall.args[1]));
        if (rc > 0) g.vm->resize().wait();
        r.papr_hcall.ret = rc == 0 ? H_SUCCESS : rc > 0 ? h_long_busy_for_ms(rc) : H_PARAMETER;
        return true;
      }
      if (r.papr_hcall.nr == H_RESIZE_HPT_COMMIT) {
        ++commits;
        before = count_valid_hptes(g.vm->htab());
        const long rc = g.vm->resize_hpt_commit(r.papr_hcall.args[0], u32(r.papr_hcall.args[1]));
        r.papr_hcall.ret = rc == 0 ? H_SUCCESS : H_PARAMETER;
        return true;
      }
      return false;
    });
    CHECK(run.papr_hcall.args[0] == 0x600D);
    CHECK(prepares >= 1);
    CHECK(commits == 1);
    CHECK(g.vm->htab().order() == shift);
    CHECK(before == 16 + 2);  // the guest's 16 and the VRMA's 2, all bolted
    CHECK(count_valid_hptes(g.vm->htab()) == before);
  }
}

TEST_CASE("hv: H_LOGICAL_CI_* on an IO-bus device versus exiting", "[hv]") {
  NEED_PROGRAM(img, "io");
  const u64 DEV = 0xF0000000;
  auto exits_to_machine = [&](Guest& g) {
    u64 stored = 0;
    int exits = 0;
    KvmRun& run = g.until_report([&](KvmRun& r) {
      if (r.exit_reason != KVM_EXIT_PAPR_HCALL) return false;
      ++exits;
      if (r.papr_hcall.nr == H_LOGICAL_CI_STORE && r.papr_hcall.args[0] == 4 && r.papr_hcall.args[1] == DEV) {
        stored = r.papr_hcall.args[2];
        r.papr_hcall.ret = H_SUCCESS;
        return true;
      }
      if (r.papr_hcall.nr == H_LOGICAL_CI_LOAD && r.papr_hcall.args[1] == DEV) {
        r.papr_hcall.ret = H_SUCCESS;
        r.papr_hcall.args[0] = 0xAABBCCDD;
        return true;
      }
      return false;
    });
    CHECK(exits == 2);
    CHECK(stored == 0x11223344);
    CHECK(run.papr_hcall.args[0] == 0x0C10);
    CHECK(run.papr_hcall.args[1] == 0xAABBCCDD);
    CHECK(g.cpu->logical_ci_served() == 0);
  };
  SECTION("disabled by default: the machine serves them") {
    Guest g(isa::POWER8);
    u32 reg = 0;
    IoDevice d;
    d.addr = DEV, d.len = 0x100;
    d.read = [&](u64, unsigned, u64& v) { v = reg; return true; };
    d.write = [&](u64, unsigned, u64 v) { reg = u32(v); return true; };
    REQUIRE(g.vm->io_bus().register_device(d) == 0);
    g.load(img);
    g.start(0);
    exits_to_machine(g);
  }
  SECTION("enabled: served by the device without an exit") {
    Guest g(isa::POWER8);
    const u64 on_load[4] = {H_LOGICAL_CI_LOAD, 1, 0, 0}, on_store[4] = {H_LOGICAL_CI_STORE, 1, 0, 0};
    REQUIRE(g.vm->enable_cap(KVM_CAP_PPC_ENABLE_HCALL, 0, on_load) == 0);
    REQUIRE(g.vm->enable_cap(KVM_CAP_PPC_ENABLE_HCALL, 0, on_store) == 0);
    u64 reg = 0, last_off = 99;
    unsigned last_len = 0;
    IoDevice d;
    d.addr = DEV, d.len = 0x100;
    d.read = [&](u64 off, unsigned len, u64& v) { v = reg, last_off = off, last_len = len; return true; };
    d.write = [&](u64 off, unsigned len, u64 v) { reg = v, last_off = off, last_len = len; return true; };
    REQUIRE(g.vm->io_bus().register_device(d) == 0);
    CHECK(g.vm->io_bus().register_device(d) == -EEXIST);
    g.load(img);
    g.start(0);
    KvmRun& run = g.until_report();
    CHECK(run.papr_hcall.args[0] == 0x0C10);
    CHECK(run.papr_hcall.args[1] == 0x11223344);
    CHECK(last_off == 0);
    CHECK(last_len == 4);
    CHECK(g.cpu->logical_ci_served() == 2);
    CHECK(g.vm->io_bus().served() == 2);
    // Sizes other than 1, 2, 4, 8: H_PARAMETER (LoPAPR).
    KvmRun& bad = g.hcall(H_LOGICAL_CI_LOAD, {3, DEV});
    CHECK(bad.papr_hcall.args[1] == u64(H_PARAMETER));
    KvmRun& one = g.hcall(H_LOGICAL_CI_LOAD, {1, DEV + 8});
    CHECK(one.papr_hcall.args[1] == u64(H_SUCCESS));
    CHECK(one.papr_hcall.args[2] == 0x44);  // the device's value cut to one byte
    CHECK(last_off == 8);
  }
  SECTION("enabled, but no device at the address: exits") {
    Guest g(isa::POWER8);
    const u64 on_load[4] = {H_LOGICAL_CI_LOAD, 1, 0, 0}, on_store[4] = {H_LOGICAL_CI_STORE, 1, 0, 0};
    REQUIRE(g.vm->enable_cap(KVM_CAP_PPC_ENABLE_HCALL, 0, on_load) == 0);
    REQUIRE(g.vm->enable_cap(KVM_CAP_PPC_ENABLE_HCALL, 0, on_store) == 0);
    g.load(img);
    g.start(0);
    exits_to_machine(g);
  }
}

TEST_CASE("hv: MMIO loads and stores exit and complete", "[hv]") {
  NEED_PROGRAM(img, "mmio");
  SECTION("exits to the machine") {
    Guest g(isa::POWER8);
    g.load(img);
    g.start(0);
    std::vector<std::string> seen;
    KvmRun& run = g.until_report([&](KvmRun& r) {
      if (r.exit_reason != KVM_EXIT_MMIO) return false;
      const u64 off = r.mmio.phys_addr - 0xF0000000;
      char tag[32];
      std::snprintf(tag, sizeof tag, "%c%llu:%u", r.mmio.is_write ? 'w' : 'r', (unsigned long long)off, r.mmio.len);
      seen.push_back(tag);
      if (r.mmio.is_write && off == 0) {
        CHECK(r.mmio.data[0] == 0x11);
        CHECK(r.mmio.data[3] == 0x44);
      }
      if (r.mmio.is_write && off == 16) CHECK(r.mmio.data[0] == 0x5A);
      if (!r.mmio.is_write) {
        const u8 lw[] = {0xDE, 0xAD, 0xBE, 0xEF}, lh[] = {0x34, 0x12}, la[] = {0x80, 0x01},
                 dd[] = {1, 2, 3, 4, 5, 6, 7, 8};
        const u8* src = off == 4 ? lw : off == 8 ? lh : off == 12 ? la : dd;
        std::memcpy(r.mmio.data, src, r.mmio.len);
      }
      return true;
    });
    CHECK(seen == std::vector<std::string>{"w0:4", "r4:4", "r8:2", "r12:2", "w16:1", "r24:8"});
    CHECK(run.papr_hcall.args[0] == 0x3310);
    CHECK(run.papr_hcall.args[1] == 0xDEADBEEF);           // lwz
    CHECK(run.papr_hcall.args[2] == 0x1234);               // lhbrx
    CHECK(run.papr_hcall.args[3] == 0xFFFFFFFFFFFF8001ull);  // lha sign-extends
    CHECK(run.papr_hcall.args[4] == 0x0102030405060708ull);  // ld
    CHECK(run.papr_hcall.args[5] == 0x20000010);           // stbu updated RA
  }
  SECTION("served by an IO-bus device") {
    Guest g(isa::POWER8);
    u64 wrote = 0;
    IoDevice d;
    d.addr = 0xF0000000, d.len = 0x1000;
    d.read = [&](u64 off, unsigned len, u64& v) {
      v = len == 8 ? 0x0102030405060708ull : len == 4 ? 0xDEADBEEF : off == 8 ? 0x3412 : 0x8001;
      return true;
    };
    d.write = [&](u64 off, unsigned, u64 v) {
      if (off == 0) wrote = v;
      return true;
    };
    REQUIRE(g.vm->io_bus().register_device(d) == 0);
    g.load(img);
    g.start(0);
    KvmRun& run = g.until_report();
    CHECK(wrote == 0x11223344);
    CHECK(run.papr_hcall.args[1] == 0xDEADBEEF);
    CHECK(run.papr_hcall.args[2] == 0x1234);
    CHECK(run.papr_hcall.args[3] == 0xFFFFFFFFFFFF8001ull);
    CHECK(run.papr_hcall.args[4] == 0x0102030405060708ull);
    CHECK(g.cpu->mmio_served() == 6);
  }
}

TEST_CASE("hv: enable_hcall switches H_ENTER between hypervisor and machine", "[hv]") {
  Guest g(isa::POWER8);
  // In the hypervisor: a PTEX beyond the table is H_PARAMETER.
  CHECK(g.hcall(H_ENTER, {0, u64{1} << 40, 0x123001, 0x200000}).papr_hcall.args[1] == u64(H_PARAMETER));
  const u64 off[4] = {H_ENTER, 0, 0, 0};
  REQUIRE(g.vm->enable_cap(KVM_CAP_PPC_ENABLE_HCALL, 0, off) == 0);
  int exits = 0;
  g.hcall_code(H_ENTER, {0, u64{1} << 40, 0x123001, 0x200000});
  KvmRun& run = g.until_report([&](KvmRun& r) {
    if (r.exit_reason != KVM_EXIT_PAPR_HCALL || r.papr_hcall.nr != H_ENTER) return false;
    ++exits;
    CHECK(r.papr_hcall.args[1] == u64{1} << 40);
    r.papr_hcall.ret = 1234;
    r.papr_hcall.args[0] = 99;  // r4 back to the guest
    return true;
  });
  CHECK(exits == 1);
  CHECK(run.papr_hcall.args[1] == 1234);
  CHECK(run.papr_hcall.args[2] == 99);
  const u64 on[4] = {H_ENTER, 1, 0, 0};
  REQUIRE(g.vm->enable_cap(KVM_CAP_PPC_ENABLE_HCALL, 0, on) == 0);
  CHECK(g.hcall(H_ENTER, {0, u64{1} << 40, 0x123001, 0x200000}).papr_hcall.args[1] == u64(H_PARAMETER));
}

TEST_CASE("hv: H_CEDE skips virtual time to the decrementer", "[hv]") {
  SECTION("in the hypervisor") {
    Guest g(isa::POWER8);
    u64 exp = 0;
    g.cpu->get_one_reg(KVM_REG_PPC_DEC_EXPIRY, &exp);
    const u64 later = exp - 0x7fffffff + 1'000'000;  // DEC = about a million ticks
    g.cpu->set_one_reg(KVM_REG_PPC_DEC_EXPIRY, &later);
    KvmRun& run = g.hcall(H_CEDE);
    CHECK(run.papr_hcall.args[0] == 0x900);  // the decrementer interrupt, right after the cede
    CHECK(g.cpu->ceded_ticks() > 900'000);
    CHECK(g.cpu->ceded_ticks() < 1'000'100);
  }
  SECTION("cede_exits: LPAR_EXIT_IDLE, then the cede completes") {
    Guest g(isa::POWER8);
    g.vm->set_cede_exits(true);
    int idles = 0;
    g.hcall_code(H_CEDE);
    KvmRun& run = g.until_report([&](KvmRun& r) {
      if (r.exit_reason != LPAR_EXIT_IDLE) return false;
      ++idles;
      CHECK(r.idle.ticks > 0);
      return true;
    });
    CHECK(idles == 1);
    CHECK(run.papr_hcall.args[0] == 0x900);
  }
}

TEST_CASE("hv: H_PROD, H_CONFER", "[hv]") {
  Guest g(isa::POWER8);
  Vcpu* cpu0 = g.cpu;
  Vcpu* cpu1 = g.vm->create_vcpu(1);
  REQUIRE(cpu1);
  g.cpu = cpu1;
  CHECK(g.hcall(H_PROD, {0}).papr_hcall.args[1] == u64(H_SUCCESS));
  CHECK(g.hcall(H_PROD, {5}).papr_hcall.args[1] == u64(H_PARAMETER));
  CHECK(g.hcall(H_CONFER, {~u64{0}, 0}).papr_hcall.args[1] == u64(H_SUCCESS));
  CHECK(g.hcall(H_CONFER, {0, 0}).papr_hcall.args[1] == u64(H_SUCCESS));
  CHECK(g.hcall(H_CONFER, {9, 0}).papr_hcall.args[1] == u64(H_PARAMETER));
  // vCPU 0 was prodded: its cede returns at once, without skipping time.
  g.cpu = cpu0;
  KvmRun& run = g.hcall(H_CEDE);
  CHECK(run.papr_hcall.args[0] == 0x77);
  CHECK(run.papr_hcall.args[1] == u64(H_SUCCESS));
  CHECK(cpu0->ceded_ticks() == 0);
  CHECK((cpu0->state().msr & MSR_EE) != 0);  // H_CEDE sets MSR[EE]
}

TEST_CASE("hv: H_REGISTER_VPA checks", "[hv]") {
  Guest g(isa::POWER8);
  const u64 REG_VPA = u64{1} << 45, REG_DTL = u64{2} << 45, REG_SLB = u64{3} << 45, DEREG_VPA = u64{5} << 45,
            DEREG_DTL = u64{6} << 45;
  auto rc = [&](u64 flags, u64 proc, u64 addr) { return s64(g.hcall(H_REGISTER_VPA, {flags, proc, addr}).papr_hcall.args[1]); };
  u8* m = g.mem();
  m[0x10004] = 0x04, m[0x10005] = 0x00;                 // VPA length 1024 (16 bits)
  put_be32(m + 0x20004, 100);                           // DTL length 100 (32 bits)
  put_be32(m + 0x30004, 0x100);                         // SLB shadow
  m[0x40004] = 0x02, m[0x40005] = 0x7f;                 // 639: smaller than a struct lppaca
  m[0x10E04] = 0x04, m[0x10E05] = 0x00;                 // 1024 from 0x10E00 crosses the page
  CHECK(rc(REG_VPA, 9, 0x10000) == H_PARAMETER);        // no such processor
  CHECK(rc(REG_VPA, 0, 0x10040) == H_PARAMETER);        // not cache-line aligned
  CHECK(rc(REG_VPA, 0, 0) == H_PARAMETER);
  CHECK(rc(REG_VPA, 0, 64 * MB) == H_PARAMETER);        // not guest memory
  CHECK(rc(REG_VPA, 0, 0x40000) == H_PARAMETER);
  CHECK(rc(REG_VPA, 0, 0x10E00) == H_PARAMETER);
  CHECK(rc(REG_DTL, 0, 0x20000) == H_RESOURCE);         // needs a VPA first
  CHECK(rc(REG_SLB, 0, 0x30000) == H_RESOURCE);
  CHECK(rc(REG_VPA, 0, 0x10000) == H_SUCCESS);
  CHECK(g.cpu->vpa().gpa == 0x10000);
  CHECK(g.cpu->vpa().len == 1024);
  CHECK(rc(REG_DTL, 0, 0x20000) == H_SUCCESS);
  CHECK(g.cpu->dtl().len == 96);                        // whole dtl entries
  CHECK(rc(REG_SLB, 0, 0x30000) == H_SUCCESS);
  CHECK(rc(DEREG_VPA, 0, 0) == H_RESOURCE);             // DTL/SLB still registered
  CHECK(rc(DEREG_DTL, 0, 0) == H_SUCCESS);
  CHECK(rc(u64{7} << 45, 0, 0) == H_SUCCESS);           // deregister the SLB shadow
  CHECK(rc(DEREG_VPA, 0, 0) == H_SUCCESS);
  CHECK(!g.cpu->vpa().registered());
  CHECK(rc(0, 0, 0) == H_PARAMETER);                    // subfunction 0
  u64 v = 0;
  CHECK(g.cpu->get_one_reg(KVM_REG_PPC_VPA_ADDR, &v) == 0);
  CHECK(v == 0);
}

// KVM-HV takes any VPA of sizeof(struct lppaca) = 640 bytes or more (Linux
// aligns its copies to 1 KB, but the length it registers may be 640).
TEST_CASE("hv: H_REGISTER_VPA accepts a 640-byte VPA", "[hv]") {
  for (const isa::Model model : {isa::POWER8, isa::POWER9}) {
    Guest g(model);
    const u64 REG_VPA = u64{1} << 45;
    u8* m = g.mem();
    m[0x40004] = 0x02, m[0x40005] = 0x80;  // 640
    m[0x50004] = 0x02, m[0x50005] = 0x7f;  // 639
    CHECK(s64(g.hcall(H_REGISTER_VPA, {REG_VPA, 0, 0x50000}).papr_hcall.args[1]) == H_PARAMETER);
    CHECK(s64(g.hcall(H_REGISTER_VPA, {REG_VPA, 0, 0x40000}).papr_hcall.args[1]) == H_SUCCESS);
    CHECK(g.cpu->vpa().gpa == 0x40000);
    CHECK(g.cpu->vpa().len == 640);
  }
}

TEST_CASE("hv: an external interrupt via KVM_INTERRUPT sets MER and waits for MSR[EE]", "[hv]") {
  Guest g(isa::POWER8);
  g.vectors();
  g.words(0x2100, {B_SELF});
  g.start(0x2100);  // EE = 0
  REQUIRE(g.cpu->interrupt(KVM_INTERRUPT_SET_LEVEL) == 0);
  CHECK(g.cpu->interrupt(12345) == -EINVAL);
  KvmRun& run = g.cpu->run_struct();
  run.insn_limit = 5000;
  CHECK(g.cpu->run() == -EINTR);
  CHECK(run.exit_reason == KVM_EXIT_INTR);
  u64 lpcr = 0;
  g.cpu->get_one_reg(KVM_REG_PPC_LPCR_64, &lpcr);
  CHECK((lpcr & LPCR_MER) != 0);
  CHECK((g.cpu->state().lpcr & LPCR_MER) != 0);
  g.start(0x2100, MSR_SF | MSR_ME | MSR_EE);
  KvmRun& rep = g.until_report();
  CHECK(rep.papr_hcall.args[0] == 0x500);
  CHECK(rep.papr_hcall.args[1] == 0x2100);
  REQUIRE(g.cpu->interrupt(KVM_INTERRUPT_UNSET) == 0);
  g.cpu->get_one_reg(KVM_REG_PPC_LPCR_64, &lpcr);
  CHECK((lpcr & LPCR_MER) == 0);
  run.immediate_exit = 1;
  CHECK(g.cpu->run() == -EINTR);
}

TEST_CASE("hv: hypervisor-privileged accesses are reflected to the guest", "[hv]") {
  SECTION("POWER8: HEA -> illegal-instruction Program interrupt") {
    Guest g(isa::POWER8);
    g.hcall(H_CONFER, {~u64{0}, 0});  // a first run sets up the partition (VRMASD)
    const u64 lpcr = g.vm->lpcr();
    g.vectors();
    g.words(0x2000, {li(3, 0), mtspr(318, 3), B_SELF});  // mtspr LPCR
    g.start(0x2000);
    KvmRun& run = g.until_report();
    CHECK(run.papr_hcall.args[0] == 0x700);
    CHECK(run.papr_hcall.args[1] == 0x2004);
    CHECK((run.papr_hcall.args[2] & PROG_ILLEGAL) != 0);
    CHECK(g.vm->lpcr() == lpcr);
    // An illegal instruction is reflected the same way.
    g.words(0x2000, {0x00000000});
    g.start(0x2000);
    CHECK(g.until_report().papr_hcall.args[0] == 0x700);
  }
  SECTION("PPC970: privileged-instruction Program interrupt") {
    RmaGuest g(isa::PPC970);
    u8* m = g.rma.host;
    for (u32 v : {0x700u})
      for (u32 i = 0, ws[] = {mfspr(5, 26), mfspr(6, 27), li(3, 0), ori(3, 3, REPORT_NR), li(4, v), SC1, B_SELF}; i < 7; ++i)
        put_be32(m + v + 4 * i, ws[i]);
    put_be32(m + 0x2000, mtspr(1012, 3));  // mtspr HID4
    g.start(0x2000);
    KvmRun& run = g.until_report();
    CHECK(run.papr_hcall.args[0] == 0x700);
    CHECK((run.papr_hcall.args[2] & PROG_PRIV) != 0);
  }
}

TEST_CASE("hv: instruction fetch outside the VRMA is an ISI to the guest", "[hv]") {
  Guest g(isa::POWER8);
  g.vectors();
  g.start(48 * MB);
  KvmRun& run = g.until_report();
  CHECK(run.papr_hcall.args[0] == 0x400);
  CHECK(run.papr_hcall.args[1] == 48 * MB);
  CHECK((run.papr_hcall.args[2] & mmu::SRR1_ISI_NOPTE) != 0);
}

TEST_CASE("hv: software breakpoints and single steps exit with KVM_EXIT_DEBUG", "[hv]") {
  Guest g(isa::POWER8);
  g.words(0x2000, {NOP, KVMPPC_INST_SW_BREAKPOINT, B_SELF});
  g.start(0x2000);
  REQUIRE(g.cpu->set_guest_debug(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP) == 0);
  KvmRun& run = g.cpu->run_struct();
  run.insn_limit = 10000;
  REQUIRE(g.cpu->run() == 0);
  CHECK(run.exit_reason == KVM_EXIT_DEBUG);
  CHECK(run.debug.address == 0x2004);
  g.start(0x2000);
  REQUIRE(g.cpu->set_guest_debug(KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP) == 0);
  REQUIRE(g.cpu->run() == 0);
  CHECK(run.exit_reason == KVM_EXIT_DEBUG);
  CHECK(g.cpu->state().nip == 0x2004);
}

TEST_CASE("hv: changing a memory slot drops cached translations (MMU notifier)", "[hv]") {
  Guest g(isa::POWER8);
  HostMem a(MB), b(MB);
  put_be64(a.p + 0x100, 0xAAAA);
  put_be64(b.p + 0x100, 0xBBBB);
  REQUIRE(g.vm->set_user_memory_region(1, 0, 64 * MB, MB, a.addr()) == 0);
  // Map EA 0x1000_0000 to guest physical 64M; read it with MSR[DR]=1.
  KvmSregs sr{};
  sr.pvr = u32(g.cpu->state().pvr);
  sr.slb[0].slbe = 0x18000000, sr.slb[0].slbv = 0x123000;
  REQUIRE(g.cpu->set_sregs(sr) == 0);
  REQUIRE(g.hcall(H_ENTER, {0, 0x918, 0x123001, 64 * MB | 0x10}).papr_hcall.args[1] == u64(H_SUCCESS));
  g.words(0x2000, {lis(10, 0x1000), ld(5, 10, 0x100), li(3, 0), ori(3, 3, REPORT_NR), li(4, 0x55), SC1, B_SELF});
  g.start(0x2000, MSR_SF | MSR_ME | MSR_DR);
  CHECK(g.until_report().papr_hcall.args[1] == 0xAAAA);
  REQUIRE(g.vm->set_user_memory_region(1, 0, 0, 0, 0) == 0);
  REQUIRE(g.vm->set_user_memory_region(1, 0, 64 * MB, MB, b.addr()) == 0);
  g.start(0x2000, MSR_SF | MSR_ME | MSR_DR);
  CHECK(g.until_report().papr_hcall.args[1] == 0xBBBB);
  // Removed: the page is now MMIO, and the load exits.
  REQUIRE(g.vm->set_user_memory_region(1, 0, 0, 0, 0) == 0);
  g.start(0x2000, MSR_SF | MSR_ME | MSR_DR);
  int mmio = 0;
  g.until_report([&](KvmRun& r) {
    if (r.exit_reason != KVM_EXIT_MMIO) return false;
    CHECK(r.mmio.phys_addr == 64 * MB + 0x100);
    ++mmio;
    return true;
  });
  CHECK(mmio == 1);
}
