// SMP on the sPAPR partition: RTAS query-cpu-stopped-state / start-cpu /
// stop-self (LoPAPR 7.3.x) over the vCPU scheduler, the shared Time Base,
// reservations and pre-decoded code across vCPUs, H_CEDE / H_PROD / H_CONFER
// between vCPUs.
#include <catch2/catch.hpp>

#include <vector>

#include "cpu/sem/spr.h"
#include "hv/vcpu_sched.h"
#include "papr/rtas.h"
#include "test_hv_util.h"

namespace lpar::hv::test {
namespace {

constexpr u64 RTAS_BUF = 0x8000;  // the argument buffer the host-side calls use
constexpr u32 stw(unsigned rs, unsigned ra, u32 d) { return (36u << 26) | (rs << 21) | (ra << 16) | (d & 0xFFFF); }
constexpr u32 lwz(unsigned rt, unsigned ra, u32 d) { return (32u << 26) | (rt << 21) | (ra << 16) | (d & 0xFFFF); }
constexpr u32 lwarx(unsigned rt, unsigned rb) { return (31u << 26) | (rt << 21) | (rb << 11) | (20u << 1); }
constexpr u32 stwcx(unsigned rs, unsigned rb) { return (31u << 26) | (rs << 21) | (rb << 11) | (150u << 1) | 1; }
constexpr u32 mfcr(unsigned rt) { return (31u << 26) | (rt << 21) | (19u << 1); }
constexpr u32 b_to(u64 from, u64 to) { return (18u << 26) | (u32(to - from) & 0x03FFFFFC); }
constexpr unsigned SPR_DEC = 22, SPR_TBL = 268;

// Code that reports tag in r4 (REPORT hcall), at `at`; returns the next address.
u64 report(Guest& g, u64 at, u32 tag) {
  g.words(at, {li(3, 0), ori(3, 3, u32(REPORT_NR)), li(4, tag), SC1});
  return at + 16;
}
// Code for hcall nr with r4 = a4, at `at`.
u64 hcall(Guest& g, u64 at, u64 nr, u32 a4 = 0) {
  g.words(at, {li(3, u32(nr)), li(4, a4), SC1});
  return at + 12;
}

// A partition with n vCPUs in a scheduler (vCPU 0 running, the others
// stopped), cede/confer exits on as the machine has them, and RTAS serving
// the thread calls from the scheduler.
struct Smp {
  Guest g;
  VcpuScheduler sched;
  std::vector<Vcpu*> cpus;
  papr::FlatGuestMemory gm;
  std::unique_ptr<papr::Rtas> rtas;
  struct Report {
    u32 cpu;
    u64 tag, r5, r6;
  };
  std::vector<Report> reports;

  explicit Smp(unsigned n, u64 turn = VcpuScheduler::TURN, isa::Model m = isa::POWER9)
      : g(m), sched(turn), gm(g.mem(), g.ram->size) {
    cpus.push_back(g.cpu);
    for (u32 id = 1; id < n; ++id) cpus.push_back(g.vm->create_vcpu(id));
    for (Vcpu* v : cpus) {
      REQUIRE(v);
      sched.add(v, v->id() == 0);
    }
    g.vm->set_cede_exits(true);
    g.vm->set_confer_exits(true);
    papr::RtasMachine rm;
    rm.query_cpu_stopped_state = [this](u32 c) { return sched.query_cpu_stopped_state(c); };
    rm.start_cpu = [this](u32, u32 c, u64 nip, u64 r3) { return sched.start_cpu(c, nip, r3); };
    rm.stop_self = [this](u32 caller) { return sched.stop_self(caller); };
    rtas = std::make_unique<papr::Rtas>(gm, nullptr, nullptr, rm, papr::RtasConfig{});
    // Every thread's interrupt vectors report the vector (Guest::vectors).
    g.vectors();
  }
  // An RTAS argument buffer at `at`: token, nargs, nret, args, rets.
  void rtas_buf(u64 at, u32 token, std::initializer_list<u32> args, u32 nret) {
    u32 w[16] = {token, u32(args.size()), nret};
    unsigned i = 3;
    for (u32 a : args) w[i++] = a;
    for (unsigned k = 0; k < nret; ++k) w[i++] = 0xDEADBEEF;
    for (unsigned k = 0; k < i; ++k) put_be32(g.mem() + at + 4 * k, w[k]);
  }
  u32 ret(u64 at, unsigned nargs, unsigned k) {
    const u8* p = g.mem() + at + 12 + 4 * (nargs + k);
    return u32(p[0]) << 24 | u32(p[1]) << 16 | u32(p[2]) << 8 | p[3];
  }
  // An RTAS call made from the host as vCPU caller: rets[0..nret).
  std::vector<s32> call(u32 caller, u32 token, std::initializer_list<u32> args, u32 nret) {
    rtas_buf(RTAS_BUF, token, args, nret);
    rtas->h_rtas(caller, RTAS_BUF);
    std::vector<s32> r;
    for (u32 k = 0; k < nret; ++k) r.push_back(s32(ret(RTAS_BUF, unsigned(args.size()), k)));
    return r;
  }
  // One run of v (entered and left through the scheduler), its exits served:
  // RTAS, REPORT.  Returns the exit reason.
  u32 run_once(Vcpu* v, u64 limit) {
    KvmRun& run = v->run_struct();
    run.insn_limit = limit;
    sched.enter(v);
    const int rc = v->run();
    sched.leave(v);
    REQUIRE((rc == 0 || rc == -EINTR));
    if (run.exit_reason == KVM_EXIT_PAPR_HCALL) {
      if (run.papr_hcall.nr == KVMPPC_H_RTAS) {
        run.papr_hcall.ret = u64(rtas->h_rtas(v->id(), run.papr_hcall.args[0]));
      } else {
        REQUIRE(run.papr_hcall.nr == REPORT_NR);
        reports.push_back({v->id(), run.papr_hcall.args[0], run.papr_hcall.args[1], run.papr_hcall.args[2]});
      }
    }
    return run.exit_reason;
  }
  // Run v until it reports (at most `turns` runs).
  Report until_report(Vcpu* v, int turns = 100) {
    const size_t before = reports.size();
    for (int t = 0; t < turns && reports.size() == before; ++t) run_once(v, 100000);
    REQUIRE(reports.size() > before);
    return reports.back();
  }
  // The machine's loop: pick and run until pred() or `turns` picks.
  template <typename P>
  bool round_robin(P pred, int turns = 2000) {
    for (int t = 0; t < turns; ++t) {
      if (pred()) return true;
      Vcpu* v = sched.pick();
      if (!v) {
        if (!sched.idle_ticks()) return pred();
        sched.skip_idle();
        continue;
      }
      run_once(v, sched.budget());
    }
    return pred();
  }
  bool reported(u32 cpu, u64 tag) const {
    for (const Report& r : reports)
      if (r.cpu == cpu && r.tag == tag) return true;
    return false;
  }
};

}  // namespace

TEST_CASE("smp: RTAS query-cpu-stopped-state and start-cpu from the host side", "[smp]") {
  Smp m(4);
  // The boot thread runs, the others wait stopped (LoPAPR 7.3.x).
  CHECK(m.call(0, papr::RTAS_QUERY_CPU_STOPPED_STATE, {0}, 2) == std::vector<s32>{0, papr::RTAS_CPU_RUNNING});
  CHECK(m.call(0, papr::RTAS_QUERY_CPU_STOPPED_STATE, {3}, 2) == std::vector<s32>{0, papr::RTAS_CPU_STOPPED});
  CHECK(m.call(0, papr::RTAS_QUERY_CPU_STOPPED_STATE, {4}, 2)[0] == papr::RTAS_OUT_PARAM_ERROR);
  // start-cpu: no such thread, then a stopped one, then one already running.
  CHECK(m.call(0, papr::RTAS_START_CPU, {9, 0x7000, 0x55}, 1)[0] == papr::RTAS_OUT_PARAM_ERROR);
  CHECK(m.call(0, papr::RTAS_START_CPU, {2, 0x7000, 0x55}, 1)[0] == papr::RTAS_OUT_SUCCESS);
  CHECK(m.call(0, papr::RTAS_QUERY_CPU_STOPPED_STATE, {2}, 2) == std::vector<s32>{0, papr::RTAS_CPU_RUNNING});
  CHECK(m.call(0, papr::RTAS_START_CPU, {2, 0x7000, 0x55}, 1)[0] == papr::RTAS_OUT_HW_ERROR);
  CHECK(m.call(0, papr::RTAS_START_CPU, {0, 0x7000, 0x55}, 1)[0] == papr::RTAS_OUT_HW_ERROR);
  // The started thread: entry, r3, 64-bit big-endian real mode (SF|ME).
  const CpuState& s = m.cpus[2]->state();
  CHECK(s.nip == 0x7000);
  CHECK(s.gpr[3] == 0x55);
  CHECK(s.msr == (MSR_SF | MSR_ME));
  CHECK(m.sched.stopped(1));
  CHECK(m.sched.stopped(3));
  // A stopped thread never runs: the scheduler offers only 0 and 2.
  for (int i = 0; i < 8; ++i) {
    Vcpu* v = m.sched.pick();
    REQUIRE(v);
    CHECK((v->id() == 0 || v->id() == 2));
    m.sched.enter(v);
    m.sched.leave(v);
    m.sched.stop_self(99);  // no such thread: ignored
  }
}

TEST_CASE("smp: a guest starts a thread with start-cpu and it stops itself", "[smp]") {
  Smp m(2);
  // vCPU 1 at 0x7000: store r3 at 0x5000, then stop-self (buffer at 0x5100).
  m.rtas_buf(0x5100, papr::RTAS_STOP_SELF, {}, 1);
  m.g.words(0x7000, {std_(3, 0, 0x5000), li(3, 0), ori(3, 3, u32(KVMPPC_H_RTAS)), li(4, 0x5100), SC1,
                     li(3, 0), ori(3, 3, u32(REPORT_NR)), li(4, 0xBAD), SC1, B_SELF});
  // vCPU 0 at 0x2000: query (expect stopped), start-cpu(1, 0x7000, 0x1234),
  // then wait for 0x5000 to change and report.
  m.rtas_buf(0x5200, papr::RTAS_QUERY_CPU_STOPPED_STATE, {1}, 2);
  m.rtas_buf(0x5300, papr::RTAS_START_CPU, {1, 0x7000, 0x1234}, 1);
  u64 at = 0x2000;
  for (u32 buf : {0x5200u, 0x5300u}) {
    m.g.words(at, {li(3, 0), ori(3, 3, u32(KVMPPC_H_RTAS)), li(4, buf), SC1});
    at += 16;
  }
  const u64 loop = at;
  m.g.words(at, {ld(5, 0, 0x5000), 0x2C250000 /* cmpdi r5,0 */, 0x4182FFF8 /* beq loop */});
  at += 12;
  report(m.g, at, 1);
  REQUIRE(loop + 12 == at);
  m.g.start(0x2000);
  REQUIRE(m.round_robin([&] { return m.reported(0, 1); }));
  CHECK(m.ret(0x5200, 1, 0) == 0);
  CHECK(m.ret(0x5200, 1, 1) == u32(papr::RTAS_CPU_STOPPED));
  CHECK(m.ret(0x5300, 3, 0) == 0);
  CHECK(get_be64(m.g.mem() + 0x5000) == 0x1234);
  // stop-self did not return (no 0xBAD report) and the thread is stopped again.
  for (int i = 0; i < 10; ++i) REQUIRE(m.round_robin([] { return false; }, 5) == false);
  CHECK_FALSE(m.reported(1, 0xBAD));
  CHECK(m.sched.query_cpu_stopped_state(1) == 0);
  // ... and can be started again.
  put_be64(m.g.mem() + 0x5000, 0);
  CHECK(m.sched.start_cpu(1, 0x7000, 0x4321) == 0);
  m.round_robin([&] { return m.sched.stopped(1); });
  CHECK(get_be64(m.g.mem() + 0x5000) == 0x4321);
}

TEST_CASE("smp: one Time Base for the partition", "[smp]") {
  Smp m(2);
  // vCPU 0 spins; vCPU 1, started after it ran, reads the Time Base first thing.
  m.g.words(0x2000, {B_SELF});
  m.g.start(0x2000);
  m.g.words(0x7000, {mfspr(5, SPR_TBL), std_(5, 0, 0x5000)});
  report(m.g, 0x7008, 2);
  for (int i = 0; i < 10; ++i) m.run_once(m.cpus[0], 50000);
  const u64 ran = m.cpus[0]->state().icount;
  REQUIRE(ran >= 500000);
  CHECK(m.sched.timebase() == sem::cur_tb(m.cpus[0]->state()));
  REQUIRE(m.sched.start_cpu(1, 0x7000, 0) == 0);
  m.until_report(m.cpus[1]);
  // vCPU 1 retired two instructions of its own; its Time Base is the partition's.
  CHECK(get_be64(m.g.mem() + 0x5000) >= ran);
  CHECK(m.cpus[1]->state().icount < 10);
  // And it keeps moving forward across turns, whoever runs.
  u64 last = m.sched.timebase();
  for (int i = 0; i < 6; ++i) {
    m.run_once(m.cpus[i & 1], 1000);
    CHECK(m.sched.timebase() > last);
    last = m.sched.timebase();
  }
}

TEST_CASE("smp: a reservation does not survive another vCPU's turn", "[smp]") {
  for (bool other_runs : {false, true}) {
    Smp m(2);
    // vCPU 0: lwarx at 0x5000, H_CONFER (its turn ends), stwcx., report CR.
    m.g.words(0x2000, {li(6, 0x5000), lwarx(5, 6), li(3, u32(H_CONFER)), li(4, -1 & 0xFFFF), SC1, li(7, 9),
                       stwcx(7, 6), mfcr(5)});
    report(m.g, 0x2020, 3);
    m.g.start(0x2000);
    // vCPU 1 stores to the granule (another word in it) and stops.
    m.g.words(0x7000, {li(5, 7), stw(5, 0, 0x5004)});
    report(m.g, 0x7008, 4);
    REQUIRE(m.run_once(m.cpus[0], 100000) == LPAR_EXIT_YIELD);
    if (other_runs) {
      REQUIRE(m.sched.start_cpu(1, 0x7000, 0) == 0);
      m.until_report(m.cpus[1]);
    }
    const auto r = m.until_report(m.cpus[0]);
    const bool eq = (r.r5 >> 28) & 2;  // CR0[EQ]: the store was done
    INFO("other vCPU ran: " << other_runs);
    CHECK(eq == !other_runs);
    u32 w = 0;
    std::memcpy(&w, m.g.mem() + 0x5000, 4);
    CHECK((w != 0) == !other_runs);
  }
}

TEST_CASE("smp: code stored by one vCPU is not run stale by another", "[smp]") {
  Smp m(2);
  // vCPU 0 first writes data in the page (its write tag for it is cached),
  // reports, then patches vCPU 1's first instruction and reports again.
  m.g.words(0x2000, {stw(0, 0, 0x7800)});
  u64 at = report(m.g, 0x2004, 1);
  m.g.words(at, {lis(5, 0x38A0), ori(5, 5, 2), stw(5, 0, 0x7000)});  // li r5,2
  at = report(m.g, at + 12, 2);
  m.g.words(at, {B_SELF});
  m.g.start(0x2000);
  // vCPU 1: li r5,1; report 5; back to the start.
  m.g.words(0x7000, {li(5, 1)});
  report(m.g, 0x7004, 5);
  m.g.words(0x7014, {b_to(0x7014, 0x7000)});
  CHECK(m.until_report(m.cpus[0]).tag == 1);
  REQUIRE(m.sched.start_cpu(1, 0x7000, 0) == 0);
  auto r = m.until_report(m.cpus[1]);
  CHECK(r.tag == 5);
  CHECK(r.r5 == 1);
  CHECK(m.until_report(m.cpus[0]).tag == 2);
  r = m.until_report(m.cpus[1]);
  CHECK(r.tag == 5);
  CHECK(r.r5 == 2);
}

TEST_CASE("smp: a ceded vCPU sleeps until H_PROD, an interrupt or its decrementer", "[smp]") {
  Smp m(3);
  // vCPU 1 cedes with a far decrementer, then reports 7.
  u64 at = 0x7000;
  m.g.words(at, {lis(5, 0x7000), mtspr(SPR_DEC, 5)});
  at = hcall(m.g, at + 8, H_CEDE);
  report(m.g, at, 7);
  // vCPU 2 cedes with a near decrementer: the 0x900 vector reports it.
  at = 0x6000;
  m.g.words(at, {li(5, 3000), mtspr(SPR_DEC, 5)});
  hcall(m.g, at + 8, H_CEDE);
  // vCPU 0 spins a while, then prods vCPU 1, reports 3 and spins.
  m.g.words(0x2000, {lis(9, 0x10), mtspr(9, 9) /* mtctr */, 0x42000000 /* bdnz . */});  // 2^20 turns
  at = hcall(m.g, 0x200C, H_PROD, 1);
  at = report(m.g, at, 3);
  m.g.words(at, {B_SELF});
  m.g.start(0x2000);
  REQUIRE(m.sched.start_cpu(1, 0x7000, 0) == 0);
  REQUIRE(m.sched.start_cpu(2, 0x6000, 0) == 0);
  const bool woke = m.round_robin([&] { return m.reported(1, 7); });
  for (const auto& r : m.reports) UNSCOPED_INFO("report cpu " << r.cpu << " tag " << r.tag << " r5 " << r.r5);
  UNSCOPED_INFO("pc0 " << m.cpus[0]->state().nip << " pc1 " << m.cpus[1]->state().nip << " tb " << m.sched.timebase());
  REQUIRE(woke);
  // vCPU 1 ran again only after the prod; vCPU 2's decrementer woke it long before.
  size_t prod = 0, wake = 0, dec = 0;
  for (size_t i = 0; i < m.reports.size(); ++i) {
    const auto& r = m.reports[i];
    if (r.cpu == 0 && r.tag == 3) prod = i + 1;
    if (r.cpu == 1 && r.tag == 7) wake = i + 1;
    if (r.cpu == 2 && r.tag == 0x900) dec = i + 1;
  }
  CHECK(prod > 0);
  CHECK(wake > prod);
  CHECK(dec > 0);
  CHECK(dec < prod);
  CHECK(m.sched.timebase() < 0x70000000);  // the far decrementer did not fire
}

TEST_CASE("smp: all vCPUs ceded: the clock skips to the first decrementer", "[smp]") {
  Smp m(2);
  u64 at = 0x2000;
  m.g.words(at, {lis(5, 0x10), mtspr(SPR_DEC, 5)});  // 0x100000 ticks
  hcall(m.g, at + 8, H_CEDE);
  at = 0x7000;
  m.g.words(at, {lis(5, 0x20), mtspr(SPR_DEC, 5)});
  hcall(m.g, at + 8, H_CEDE);
  m.g.start(0x2000);
  REQUIRE(m.sched.start_cpu(1, 0x7000, 0) == 0);
  REQUIRE(m.round_robin([&] { return m.sched.pick() == nullptr; }, 10));
  const u64 t0 = m.sched.timebase();
  const auto ticks = m.sched.idle_ticks();
  REQUIRE(ticks);
  CHECK(*ticks > 0x100000 - 100);
  CHECK(*ticks <= 0x100000 + 1);
  m.sched.skip_idle();
  CHECK(m.sched.timebase() == t0 + *ticks);
  Vcpu* v = m.sched.pick();
  REQUIRE(v);
  CHECK(v->id() == 0);  // the earlier decrementer; vCPU 1 still sleeps
  m.until_report(v);
  CHECK(m.reports.back().tag == 0x900);
  CHECK_FALSE(m.reported(1, 0x900));
}

}  // namespace lpar::hv::test
