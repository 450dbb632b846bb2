// The hypervisor's KVM-style calls without running a guest: capabilities,
// the RMA pool, memory slots, LPIDs, HPT allocation and resize codes,
// enable_cap, SMMU info, vCPU creation and the register calls.
#include <cerrno>

#include "test_hv_util.h"

using namespace lpar;
using namespace lpar::hv;
using namespace lpar::hv::test;

TEST_CASE("hv: capability values per model", "[hv]") {
  for (isa::Model m : {isa::PPC970, isa::POWER7, isa::POWER8, isa::POWER9}) {
    Hypervisor hv(m);
    INFO("model " << int(m));
    CHECK(hv.check_extension(KVM_CAP_PPC_RMA) == (m == isa::PPC970 ? 2 : 1));
    CHECK(hv.check_extension(KVM_CAP_PPC_ENABLE_HCALL) == 1);
    CHECK(hv.check_extension(KVM_CAP_SPAPR_RESIZE_HPT) == 1);
    CHECK(hv.check_extension(KVM_CAP_PPC_ALLOC_HTAB) == 1);
    CHECK(hv.check_extension(KVM_CAP_PPC_SMMU_INFO) == 1);
    CHECK(hv.check_extension(KVM_CAP_PPC_GET_SMMU_INFO) == 1);
    CHECK(hv.check_extension(KVM_CAP_SYNC_MMU) == 1);
    CHECK(hv.check_extension(KVM_CAP_PPC_PAPR) == 1);
    CHECK(hv.check_extension(KVM_CAP_PPC_HTAB_FD) == 0);
    CHECK(hv.check_extension(KVM_CAP_NR_VCPUS) == Hypervisor::NR_VCPUS);
    CHECK(hv.check_extension(KVM_CAP_MAX_VCPUS) == Hypervisor::MAX_VCPUS);
    CHECK(hv.check_extension(KVM_CAP_NR_MEMSLOTS) == 32);
    CHECK(hv.check_extension(KVM_CAP_PPC_MMU_HASH_V3) == (m == isa::POWER9 ? 1 : 0));
    CHECK(hv.check_extension(KVM_CAP_PPC_MMU_RADIX) == 0);
    CHECK(hv.check_extension(9999) == 0);
  }
  CHECK(KVM_CAP_PPC_RMA == 65);
  CHECK(KVM_CAP_PPC_ENABLE_HCALL == 104);
  CHECK(KVM_CAP_SPAPR_RESIZE_HPT == 133);
}

TEST_CASE("hv: RMA pool sizes, allocation and exhaustion", "[hv]") {
  std::string err;
  // Sizes the model's RMLS cannot encode are refused with a message.
  CHECK(!Hypervisor::create(isa::PPC970, u64{96} << 20, 2, &err));
  CHECK(err.find("RMA size 96M") != std::string::npos);
  err.clear();
  CHECK(!Hypervisor::create(isa::POWER8, u64{32} << 20 | 4096, 1, &err));
  CHECK(!err.empty());
  CHECK(RmaPool::valid_size(isa::PPC970, u64{64} << 20));
  CHECK(RmaPool::valid_size(isa::PPC970, u64{128} << 20));
  CHECK(RmaPool::valid_size(isa::PPC970, u64{256} << 20));
  CHECK(!RmaPool::valid_size(isa::PPC970, u64{32} << 20));  // 32M: POWER7 and later only
  CHECK(RmaPool::valid_size(isa::POWER7, u64{32} << 20));

  auto hv = Hypervisor::create(isa::PPC970, u64{64} << 20, 2, &err);
  REQUIRE(hv);
  CHECK(hv->rma_pool().available() == 2);
  auto vm = hv->create_vm();
  Rma a, b, c;
  REQUIRE(vm->allocate_rma(a) == 0);
  REQUIRE(vm->allocate_rma(b) == 0);
  CHECK(vm->allocate_rma(c) == -ENOMEM);
  CHECK(a.size == (u64{64} << 20));
  // Physically contiguous and size-aligned: in real addresses and on the host.
  CHECK(a.real_addr % a.size == 0);
  CHECK(b.real_addr % b.size == 0);
  CHECK(a.real_addr != b.real_addr);
  CHECK(reinterpret_cast<uintptr_t>(a.host) % a.size == 0);
  a.host[0] = 1, a.host[a.size - 1] = 2;  // the whole RMA is usable memory
  // A slot backed by an RMA starts at its base and fits in it.
  CHECK(vm->set_user_memory_region(0, 0, 0, a.size * 2, reinterpret_cast<uintptr_t>(a.host)) == -EINVAL);
  CHECK(vm->set_user_memory_region(0, 0, 0, a.size, reinterpret_cast<uintptr_t>(a.host) + 4096) == -EINVAL);
  CHECK(vm->set_user_memory_region(0, 0, 0, a.size, reinterpret_cast<uintptr_t>(a.host)) == 0);
  CHECK(vm->slots().slot(0).rma_real == a.real_addr);
  auto vm2 = hv->create_vm();
  CHECK(vm2->allocate_rma(c) == -ENOMEM);
  vm.reset();  // the VM's RMAs go back to the pool
  CHECK(hv->rma_pool().available() == 2);
  CHECK(vm2->allocate_rma(c) == 0);
  CHECK(c.host[0] == 0);  // handed out cleared
}

TEST_CASE("hv: set_user_memory_region return codes", "[hv]") {
  Hypervisor hv(isa::POWER8);
  auto vm = hv.create_vm();
  HostMem a(u64{4} << 20), b(u64{4} << 20);
  const u64 MB = u64{1} << 20;
  CHECK(vm->set_user_memory_region(0, 0, 0, 4 * MB, a.addr()) == 0);
  // Alignment of size, address and host memory.
  CHECK(vm->set_user_memory_region(1, 0, 8 * MB, 4 * MB - 1, b.addr()) == -EINVAL);
  CHECK(vm->set_user_memory_region(1, 0, 8 * MB + 12, 4 * MB, b.addr()) == -EINVAL);
  CHECK(vm->set_user_memory_region(1, 0, 8 * MB, 4 * MB, b.addr() + 8) == -EINVAL);
  // Slot number, flags, the 64 GB limit, wrap-around.
  CHECK(vm->set_user_memory_region(32, 0, 8 * MB, 4 * MB, b.addr()) == -EINVAL);
  CHECK(vm->set_user_memory_region(1, 0x100, 8 * MB, 4 * MB, b.addr()) == -EINVAL);
  CHECK(vm->set_user_memory_region(1, 0, (u64{64} << 30) - 2 * MB, 4 * MB, b.addr()) == -EINVAL);
  CHECK(vm->set_user_memory_region(1, 0, ~u64{0} & ~u64{0xFFF}, 4 * MB, b.addr()) == -EINVAL);
  // Overlap with slot 0.
  CHECK(vm->set_user_memory_region(1, 0, 2 * MB, 4 * MB, b.addr()) == -EEXIST);
  CHECK(vm->set_user_memory_region(1, 0, 8 * MB, 4 * MB, b.addr()) == 0);
  CHECK(vm->host_ptr(8 * MB + 16, 8) == b.p + 16);
  CHECK(vm->host_ptr(4 * MB, 8) == nullptr);  // hole
  CHECK(vm->host_ptr(4 * MB - 4, 8) == nullptr);  // straddles the end of slot 0
  // An existing slot may move (not onto another) or change flags, not size or memory.
  CHECK(vm->set_user_memory_region(1, 0, 8 * MB, 2 * MB, b.addr()) == -EINVAL);
  CHECK(vm->set_user_memory_region(1, 0, 8 * MB, 4 * MB, a.addr()) == -EINVAL);
  CHECK(vm->set_user_memory_region(1, KVM_MEM_READONLY, 8 * MB, 4 * MB, b.addr()) == -EINVAL);
  CHECK(vm->set_user_memory_region(1, 0, 0, 4 * MB, b.addr()) == -EEXIST);
  CHECK(vm->set_user_memory_region(1, 0, 16 * MB, 4 * MB, b.addr()) == 0);
  CHECK(vm->host_ptr(16 * MB, 8) == b.p);
  CHECK(vm->set_user_memory_region(1, KVM_MEM_LOG_DIRTY_PAGES, 16 * MB, 4 * MB, b.addr()) == 0);
  // Size 0 deletes; deleting an unused slot is -EINVAL.
  CHECK(vm->set_user_memory_region(1, 0, 0, 0, 0) == 0);
  CHECK(vm->host_ptr(16 * MB, 8) == nullptr);
  CHECK(vm->set_user_memory_region(1, 0, 0, 0, 0) == -EINVAL);
  // Read-only slots serve reads only.
  CHECK(vm->set_user_memory_region(2, KVM_MEM_READONLY, 8 * MB, 4 * MB, b.addr()) == 0);
  CHECK(vm->host_ptr(8 * MB, 8) == b.p);
  CHECK(vm->host_ptr(8 * MB, 8, true) == nullptr);
  // Up to 64 GB of guest physical space (sparse host mapping).
  HostMem big(u64{1} << 30);
  CHECK(vm->set_user_memory_region(3, 0, (u64{63} << 30), u64{1} << 30, big.addr()) == 0);
}

TEST_CASE("hv: LPIDs per VM, generation bump on wrap", "[hv]") {
  Hypervisor hv(isa::POWER8);
  hv.lpids().set_limit(3);
  int err = 0;
  auto a = hv.create_vm(&err);
  auto b = hv.create_vm(&err);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->lpid() != b->lpid());
  CHECK(a->lpid() != 0);  // 0 is the hypervisor's
  CHECK(a->lpid_generation() == 0);
  auto c = hv.create_vm(&err);
  REQUIRE(c);
  CHECK(c->lpid() == 3);
  CHECK(!hv.create_vm(&err));
  CHECK(err == -ENOMEM);
  const u32 freed = a->lpid();
  a.reset();
  // The counter wrapped: the freed LPID is handed out again, one generation on.
  auto d = hv.create_vm(&err);
  REQUIRE(d);
  CHECK(d->lpid() == freed);
  CHECK(d->lpid_generation() == 1);
  CHECK(hv.lpids().generation() == 1);
}

TEST_CASE("hv: create_vcpu ids", "[hv]") {
  Hypervisor hv(isa::POWER9);
  auto vm = hv.create_vm();
  int err = 1;
  CHECK(vm->create_vcpu(0, &err));
  CHECK(err == 0);
  CHECK(!vm->create_vcpu(0, &err));
  CHECK(err == -EEXIST);
  CHECK(!vm->create_vcpu(Hypervisor::MAX_VCPUS, &err));
  CHECK(err == -EINVAL);
  CHECK(vm->create_vcpu(7));
  CHECK(vm->vcpu_by_id(7)->id() == 7);
  CHECK(!vm->vcpu_by_id(3));
}

TEST_CASE("hv: enable_cap(KVM_CAP_PPC_ENABLE_HCALL) arguments and defaults", "[hv]") {
  Hypervisor hv(isa::POWER8);
  auto vm = hv.create_vm();
  // KVM's default set: the MMU hcalls, cede/prod/confer, VPA on; H_LOGICAL_CI_* off.
  for (u64 h : {H_ENTER, H_REMOVE, H_READ, H_PROTECT, H_BULK_REMOVE, H_CLEAR_REF, H_CLEAR_MOD, H_CEDE, H_PROD,
                H_CONFER, H_REGISTER_VPA})
    CHECK(vm->hcall_enabled(h));
  CHECK(!vm->hcall_enabled(H_LOGICAL_CI_LOAD));
  CHECK(!vm->hcall_enabled(H_LOGICAL_CI_STORE));
  CHECK(!vm->hcall_enabled(H_PUT_TERM_CHAR));
  u64 args[4] = {H_LOGICAL_CI_LOAD, 1, 0, 0};
  CHECK(vm->enable_cap(KVM_CAP_PPC_ENABLE_HCALL, 0, args) == 0);
  CHECK(vm->hcall_enabled(H_LOGICAL_CI_LOAD));
  args[0] = H_ENTER, args[1] = 0;
  CHECK(vm->enable_cap(KVM_CAP_PPC_ENABLE_HCALL, 0, args) == 0);
  CHECK(!vm->hcall_enabled(H_ENTER));
  CHECK(vm->enable_cap(KVM_CAP_PPC_ENABLE_HCALL, 1, args) == -EINVAL);  // flags
  args[1] = 2;
  CHECK(vm->enable_cap(KVM_CAP_PPC_ENABLE_HCALL, 0, args) == -EINVAL);
  args[0] = H_ENTER + 1, args[1] = 1;
  CHECK(vm->enable_cap(KVM_CAP_PPC_ENABLE_HCALL, 0, args) == -EINVAL);
  args[0] = H_PUT_TERM_CHAR;  // not implemented in the hypervisor
  CHECK(vm->enable_cap(KVM_CAP_PPC_ENABLE_HCALL, 0, args) == -EINVAL);
  args[0] = 0x1000;
  CHECK(vm->enable_cap(KVM_CAP_PPC_ENABLE_HCALL, 0, args) == -EINVAL);
  args[0] = H_CEDE;
  CHECK(vm->enable_cap(KVM_CAP_PPC_PAPR, 0, args) == -EINVAL);
}

TEST_CASE("hv: allocate_htab orders", "[hv]") {
  Hypervisor hv(isa::POWER8);
  auto vm = hv.create_vm();
  u32 order = 0;
  CHECK(vm->allocate_htab(order) == 0);
  CHECK(order == 24);
  CHECK(vm->htab().order() == 24);
  CHECK(vm->htab().sdr1_value() == 24 - 18);
  order = 17;
  CHECK(vm->allocate_htab(order) == -EINVAL);
  order = 47;
  CHECK(vm->allocate_htab(order) == -EINVAL);
  CHECK(vm->htab().order() == 24);  // failures keep the table
  order = 20;
  CHECK(vm->allocate_htab(order) == 0);
  CHECK(vm->htab().bytes() == (u64{1} << 20));
  vm->htab().write_hpte(5, mmu::HPTE0_V, 0);
  order = 0;  // 0: keep the size, clear the table
  CHECK(vm->allocate_htab(order) == 0);
  CHECK(order == 20);
  u64 p0, p1;
  REQUIRE(vm->htab().read_hpte(5, p0, p1));
  CHECK(p0 == 0);
}

TEST_CASE("hv: resize_hpt prepare/commit return codes at the VM", "[hv]") {
  Hypervisor hv(isa::POWER8);
  auto vm = hv.create_vm();
  u32 order = 18;
  REQUIRE(vm->allocate_htab(order) == 0);
  CHECK(vm->resize_hpt_prepare(1, 19) == -EINVAL);        // flags must be 0
  CHECK(vm->resize_hpt_prepare(0, 17) == -EINVAL);        // shift out of range
  CHECK(vm->resize_hpt_commit(0, 19) == -ENXIO);          // nothing prepared
  const long est = vm->resize_hpt_prepare(0, 19);
  CHECK(est >= 0);
  vm->resize().wait();
  CHECK(vm->resize_hpt_prepare(0, 19) == 0);              // ready
  CHECK(vm->resize_hpt_commit(0, 20) == -ENXIO);          // another size
  CHECK(vm->resize_hpt_prepare(0, 0) == 0);               // cancel
  CHECK(vm->resize_hpt_commit(0, 19) == -ENXIO);
  vm->resize_hpt_prepare(0, 19);
  vm->resize().wait();
  REQUIRE(vm->resize_hpt_prepare(0, 19) == 0);
  CHECK(vm->resize_hpt_commit(0, 19) == 0);
  CHECK(vm->htab().order() == 19);
}

TEST_CASE("hv: get_smmu_info per model", "[hv]") {
  KvmPpcSmmuInfo info;
  {
    Hypervisor hv(isa::POWER8);
    auto vm = hv.create_vm();
    REQUIRE(vm->get_smmu_info(info) == 0);
    CHECK(info.flags == (KVM_PPC_PAGE_SIZES_REAL | KVM_PPC_1T_SEGMENTS));
    CHECK(info.slb_size == 32);
    CHECK(info.data_keys == 32);
    CHECK(info.instr_keys == 32);
    CHECK(info.sps[0].page_shift == 12);
    CHECK(info.sps[0].slb_enc == 0);
    CHECK(info.sps[0].enc[0].page_shift == 12);
    CHECK(info.sps[1].page_shift == 16);
    CHECK(info.sps[1].slb_enc == 0x110);
    CHECK(info.sps[1].enc[0].page_shift == 16);
    CHECK(info.sps[1].enc[0].pte_enc == 1);
    CHECK(info.sps[2].page_shift == 24);
    CHECK(info.sps[2].slb_enc == 0x100);
    CHECK(info.sps[2].enc[0].page_shift == 24);
    CHECK(info.sps[2].enc[0].pte_enc == 0);
  }
  {
    Hypervisor hv(isa::PPC970);
    auto vm = hv.create_vm();
    REQUIRE(vm->get_smmu_info(info) == 0);
    CHECK(info.flags == KVM_PPC_PAGE_SIZES_REAL);
    CHECK(info.slb_size == 64);
    CHECK(info.data_keys == 0);
    CHECK(info.sps[0].page_shift == 12);
    CHECK(info.sps[1].page_shift == 24);  // no 64K pages on the 970
    CHECK(info.sps[2].page_shift == 0);
  }
}

TEST_CASE("hv: regs, sregs and one_reg", "[hv]") {
  Guest g(isa::POWER8);
  KvmRegs r;
  REQUIRE(g.cpu->get_regs(r) == 0);
  CHECK(r.msr == (MSR_SF | MSR_ME));
  r.pc = 0x1234;
  r.msr = MSR_SF | MSR_ME | (u64{1} << 60);  // HV: refused
  r.gpr[7] = 77;
  r.cr = 0x20000000;
  r.xer = 0x20000000;  // CA
  r.sprg2 = 5;
  REQUIRE(g.cpu->set_regs(r) == 0);
  KvmRegs r2;
  g.cpu->get_regs(r2);
  CHECK(r2.pc == 0x1234);
  CHECK(r2.msr == (MSR_SF | MSR_ME));
  CHECK(r2.gpr[7] == 77);
  CHECK(r2.cr == 0x20000000);
  CHECK(r2.xer == 0x20000000);
  CHECK(r2.sprg2 == 5);

  KvmSregs sr{};
  sr.pvr = 0x004D0200;
  sr.slb[3].slbe = 0x18000000;  // ESID 1, V; packed to entry 0
  sr.slb[3].slbv = 0x123000;
  REQUIRE(g.cpu->set_sregs(sr) == 0);
  KvmSregs sr2;
  REQUIRE(g.cpu->get_sregs(sr2) == 0);
  CHECK(sr2.pvr == 0x004D0200);
  CHECK(sr2.slb[0].slbe == 0x18000000);
  CHECK(sr2.slb[0].slbv == 0x123000);
  CHECK(!(sr2.slb[1].slbe & mmu::SLB_ESID_V));

  u64 v = 0xDA;
  CHECK(g.cpu->set_one_reg(KVM_REG_PPC_DAR, &v) == 0);
  v = 0;
  CHECK(g.cpu->get_one_reg(KVM_REG_PPC_DAR, &v) == 0);
  CHECK(v == 0xDA);
  u32 w = 0x42000000;
  CHECK(g.cpu->set_one_reg(KVM_REG_PPC_DSISR, &w) == 0);
  CHECK(g.cpu->state().dsisr == 0x42000000);
  v = 0x55;
  for (u64 id : {KVM_REG_PPC_AMR, KVM_REG_PPC_CIABR, KVM_REG_PPC_DAWR, KVM_REG_PPC_PPR, KVM_REG_PPC_DSCR,
                 KVM_REG_PPC_FSCR, KVM_REG_PPC_TAR, KVM_REG_PPC_PID, KVM_REG_PPC_TB_OFFSET}) {
    u64 out = 0;
    CHECK(g.cpu->set_one_reg(id, &v) == 0);
    CHECK(g.cpu->get_one_reg(id, &out) == 0);
    CHECK(out == 0x55);
  }
  w = 9;
  CHECK(g.cpu->set_one_reg(KVM_REG_PPC_PSPB, &w) == 0);
  w = 0;
  CHECK(g.cpu->get_one_reg(KVM_REG_PPC_PSPB, &w) == 0);
  CHECK(w == 9);
  // DEC through its expiry time (Time Base value).
  u64 exp = 0;
  CHECK(g.cpu->get_one_reg(KVM_REG_PPC_DEC_EXPIRY, &exp) == 0);
  v = exp - 1000;
  CHECK(g.cpu->set_one_reg(KVM_REG_PPC_DEC_EXPIRY, &v) == 0);
  CHECK(g.cpu->get_one_reg(KVM_REG_PPC_DEC_EXPIRY, &exp) == 0);
  CHECK(exp == v);
  // LPCR: the machine may set ILE/AIL, not the partition-control bits.
  u64 lpcr0 = 0, lpcr1 = 0;
  CHECK(g.cpu->get_one_reg(KVM_REG_PPC_LPCR_64, &lpcr0) == 0);
  CHECK((lpcr0 & mmu::LPCR_VPM1) != 0);
  v = (lpcr0 | LPCR_ILE) & ~mmu::LPCR_VPM1;
  CHECK(g.cpu->set_one_reg(KVM_REG_PPC_LPCR_64, &v) == 0);
  CHECK(g.cpu->get_one_reg(KVM_REG_PPC_LPCR_64, &lpcr1) == 0);
  CHECK(lpcr1 == (lpcr0 | LPCR_ILE));
  CHECK(g.vm->lpcr() == lpcr1);  // VM-wide
  // Read-only and unknown registers.
  CHECK(g.cpu->get_one_reg(KVM_REG_PPC_DEBUG_INST, &w) == 0);
  CHECK(w == KVMPPC_INST_SW_BREAKPOINT);
  CHECK(g.cpu->set_one_reg(KVM_REG_PPC_DEBUG_INST, &w) == -EINVAL);
  CHECK(g.cpu->get_one_reg(KVM_REG_PPC_HIOR, &v) == -EINVAL);
  CHECK(g.cpu->get_one_reg(kvm_reg64(0x7ff), &v) == -EINVAL);
  // FPRs.
  v = 0x3FF0000000000000ull;
  CHECK(g.cpu->set_one_reg(KVM_REG_PPC_FPR0 + 3, &v) == 0);
  CHECK(fpr(g.cpu->state(), 3) == v);
}
