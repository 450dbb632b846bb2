// Helpers for the hypervisor tests: a VM with guest RAM in slot 0, flat guest
// programs from tests/hv, and hand-assembled snippets.
#pragma once
#include <sys/mman.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "hv/caps.h"
#include "hv/hypervisor.h"
#include "hv/papr.h"
#include "hv/vcpu.h"
#include "hv/vm.h"

namespace lpar::hv::test {

inline constexpr u64 REPORT_NR = 0xF100;
inline constexpr u64 MSR_SF = u64{1} << 63, MSR_ME = u64{1} << 12, MSR_EE = u64{1} << 15;

// Host memory for a slot (anonymous mapping, page-aligned).
struct HostMem {
  u8* p = nullptr;
  u64 size = 0;
  explicit HostMem(u64 n) : size(n) {
    void* m = ::mmap(nullptr, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    p = m == MAP_FAILED ? nullptr : static_cast<u8*>(m);
  }
  ~HostMem() {
    if (p) ::munmap(p, size);
  }
  u64 addr() const { return reinterpret_cast<uintptr_t>(p); }
};

inline void put_be32(u8* p, u32 v) {
  p[0] = u8(v >> 24), p[1] = u8(v >> 16), p[2] = u8(v >> 8), p[3] = u8(v);
}
inline void put_be64(u8* p, u64 v) {
  put_be32(p, u32(v >> 32));
  put_be32(p + 4, u32(v));
}
inline u64 get_be64(const u8* p) {
  u64 v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | p[i];
  return v;
}

// The flat binary of a tests/hv program, or empty when it was not built.
inline std::vector<u8> guest_program(const std::string& name) {
  std::ifstream f(std::string(LPAR_BINARY_DIR) + "/hv/" + name + ".bin", std::ios::binary);
  if (!f) return {};
  return std::vector<u8>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// Instruction encodings for hand-written snippets (Book I).
constexpr u32 ld(unsigned rt, unsigned ra, u32 d) { return (58u << 26) | (rt << 21) | (ra << 16) | (d & 0xFFFC); }
constexpr u32 std_(unsigned rs, unsigned ra, u32 d) { return (62u << 26) | (rs << 21) | (ra << 16) | (d & 0xFFFC); }
constexpr u32 li(unsigned rt, u32 v) { return (14u << 26) | (rt << 21) | (v & 0xFFFF); }
constexpr u32 lis(unsigned rt, u32 v) { return (15u << 26) | (rt << 21) | (v & 0xFFFF); }
constexpr u32 ori(unsigned ra, unsigned rs, u32 v) { return (24u << 26) | (rs << 21) | (ra << 16) | (v & 0xFFFF); }
constexpr u32 mr(unsigned ra, unsigned rs) { return (31u << 26) | (rs << 21) | (ra << 16) | (rs << 11) | (444u << 1); }
constexpr u32 mfspr(unsigned rt, unsigned spr) {
  return (31u << 26) | (rt << 21) | ((spr & 31) << 16) | ((spr >> 5) << 11) | (339u << 1);
}
constexpr u32 mtspr(unsigned spr, unsigned rs) {
  return (31u << 26) | (rs << 21) | ((spr & 31) << 16) | ((spr >> 5) << 11) | (467u << 1);
}
constexpr u32 SC1 = 0x44000022;
constexpr u32 B_SELF = 0x48000000;
constexpr u32 NOP = 0x60000000;

// A partition on one model with ram bytes at guest physical 0 (slot 0) and one vCPU.
struct Guest {
  std::unique_ptr<Hypervisor> hv;
  std::unique_ptr<Vm> vm;
  Vcpu* cpu = nullptr;
  std::unique_ptr<HostMem> ram;

  explicit Guest(isa::Model m, u64 ram_bytes = u64{32} << 20, u64 rma_size = 0, unsigned rma_count = 0) {
    std::string err;
    hv = Hypervisor::create(m, rma_size ? rma_size : (u64{64} << 20), rma_count, &err);
    REQUIRE(hv);
    vm = hv->create_vm();
    REQUIRE(vm);
    if (ram_bytes) {
      ram = std::make_unique<HostMem>(ram_bytes);
      REQUIRE(vm->set_user_memory_region(0, 0, 0, ram_bytes, ram->addr()) == 0);
    }
    cpu = vm->create_vcpu(0);
    REQUIRE(cpu);
  }
  u8* mem() { return ram->p; }
  void load(const std::vector<u8>& img, u64 at = 0) { std::memcpy(mem() + at, img.data(), img.size()); }
  void words(u64 at, std::initializer_list<u32> ws) {
    for (u32 w : ws) put_be32(mem() + at, w), at += 4;
  }
  // Report stubs at the vectors: REPORT(vector) with SRR0 in r5, SRR1 in r6.
  void vectors() {
    for (u32 v : {0x200u, 0x300u, 0x400u, 0x500u, 0x700u, 0x900u, 0xC00u})
      words(v, {mfspr(5, 26), mfspr(6, 27), li(3, 0), ori(3, 3, REPORT_NR), li(4, v), SC1, B_SELF});
  }
  void start(u64 pc, u64 msr = MSR_SF | MSR_ME) {
    KvmRegs r;
    cpu->get_regs(r);
    r.pc = pc;
    r.msr = msr;
    cpu->set_regs(r);
  }
  // Run until the guest's REPORT hcall; other exits go to on_exit (which
  // must handle them), returning false ends with a failure.
  template <typename F>
  KvmRun& until_report(F on_exit, u64 limit = 50'000'000) {
    KvmRun& run = cpu->run_struct();
    run.insn_limit = limit;
    for (int guard = 0; guard < 100000; ++guard) {
      const int rc = cpu->run();
      REQUIRE(rc == 0);
      if (run.exit_reason == KVM_EXIT_PAPR_HCALL && run.papr_hcall.nr == REPORT_NR) return run;
      REQUIRE(on_exit(run));
    }
    FAIL("no report");
    return run;
  }
  KvmRun& until_report() {
    return until_report([](KvmRun&) { return false; });
  }
  // Make one hcall from the guest: args in r3..r10 from a table at 0x3000,
  // then REPORT with r5 = r3 (the return code) and r6 = r4.
  KvmRun& hcall(u64 nr, std::initializer_list<u64> args = {}) {
    hcall_code(nr, args);
    return until_report();
  }
  // The same, without running: the guest starts at 0x2000.
  void hcall_code(u64 nr, std::initializer_list<u64> args = {}) {
    vectors();
    put_be64(mem() + 0x3000, nr);
    unsigned i = 1;
    for (u64 a : args) put_be64(mem() + 0x3000 + 8 * i++, a);
    for (; i < 8; ++i) put_be64(mem() + 0x3000 + 8 * i, 0);
    words(0x2000, {ld(3, 0, 0x3000), ld(4, 0, 0x3008), ld(5, 0, 0x3010), ld(6, 0, 0x3018), ld(7, 0, 0x3020),
                   ld(8, 0, 0x3028), ld(9, 0, 0x3030), ld(10, 0, 0x3038), SC1, mr(6, 4), mr(5, 3), li(3, 0),
                   ori(3, 3, REPORT_NR), li(4, 0x77), SC1, B_SELF});
    start(0x2000, cpu->state().msr);
  }
};

}  // namespace lpar::hv::test
