// The sPAPR machine's services (src/papr): XICS, RTAS, NVRAM, vty, TCE, the
// small hcalls and the hcall dispatcher, driven as a guest would through a
// flat guest memory.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "cpu/sem/common.h"
#include "cpu/sem/spr.h"
#include "hv/papr.h"
#include "papr/guest_memory.h"
#include "papr/hcall_misc.h"
#include "papr/hcalls.h"
#include "papr/nvram.h"
#include "papr/rtas.h"
#include "papr/spapr_dt.h"
#include "papr/tce.h"
#include "papr/vty.h"
#include "papr/xics.h"

using namespace lpar;
using namespace lpar::papr;
using namespace lpar::hv;

namespace {

constexpr uint64_t MEM = 1 << 20;  // 1 MiB of guest memory
constexpr uint64_t ARGS = 0x1000;  // where the tests build RTAS argument buffers

struct Mem {
  std::vector<uint8_t> buf = std::vector<uint8_t>(MEM);
  FlatGuestMemory gm{buf.data(), MEM};
  uint32_t be32(uint64_t a) {
    uint32_t v = 0;
    REQUIRE(gm.read_be32(a, v));
    return v;
  }
  void put_be32(uint64_t a, uint32_t v) { REQUIRE(gm.write_be32(a, v)); }
  void put_be64(uint64_t a, uint64_t v) {
    put_be32(a, uint32_t(v >> 32));
    put_be32(a + 4, uint32_t(v));
  }
};

// An RTAS call through the argument buffer at ARGS; rets read back.
struct RtasCallResult {
  long hret;
  std::vector<int32_t> rets;
};
RtasCallResult rtas_call(Mem& m, Rtas& r, uint32_t token, std::vector<uint32_t> args, uint32_t nret,
                         uint32_t caller = 0) {
  m.put_be32(ARGS, token);
  m.put_be32(ARGS + 4, uint32_t(args.size()));
  m.put_be32(ARGS + 8, nret);
  for (size_t i = 0; i < args.size(); i++) m.put_be32(ARGS + 12 + 4 * i, args[i]);
  uint64_t rets = ARGS + 12 + 4 * args.size();
  for (uint32_t i = 0; i < nret; i++) m.put_be32(rets + 4 * i, 0xDEADBEEF);
  RtasCallResult res;
  res.hret = r.h_rtas(caller, ARGS);
  for (uint32_t i = 0; i < nret; i++) res.rets.push_back(int32_t(m.be32(rets + 4 * i)));
  return res;
}

}  // namespace

// ---------------------------------------------------------------- XICS

TEST_CASE("XICS: a source is masked until set-xive, then presented and accepted", "[papr]") {
  Xics x(2);
  std::vector<std::pair<uint32_t, bool>> lines;
  x.set_notify([&](uint32_t s, bool v) { lines.push_back({s, v}); });
  const uint32_t irq = 0x1100;
  REQUIRE(x.h_cppr(0, 0xFF) == H_SUCCESS);
  x.raise(irq);  // MSI while masked: remembered
  CHECK_FALSE(x.external_pending(0));
  REQUIRE(x.set_xive(irq, 0, 5) == 0);
  CHECK(x.external_pending(0));
  CHECK(lines == std::vector<std::pair<uint32_t, bool>>{{0, true}});
  uint64_t xirr = 0;
  REQUIRE(x.h_xirr(0, xirr) == H_SUCCESS);
  CHECK(xirr == (0xFFu << 24 | irq));  // old CPPR | XISR
  CHECK_FALSE(x.external_pending(0));
  CHECK(x.xirr(0) == 5u << 24);  // CPPR = the accepted priority
  // Nothing else pending: a second accept returns an empty XISR.
  REQUIRE(x.h_xirr(0, xirr) == H_SUCCESS);
  CHECK(xirr == 5u << 24);
  REQUIRE(x.h_eoi(0, 0xFFu << 24 | irq) == H_SUCCESS);
  CHECK(x.xirr(0) == 0xFFu << 24);
}

TEST_CASE("XICS: CPPR filters by priority, a rejected MSI is resent when CPPR drops", "[papr]") {
  Xics x(1);
  const uint32_t irq = 0x1101;
  REQUIRE(x.set_xive(irq, 0, 5) == 0);
  x.h_cppr(0, 5);  // priority 5 is not more favoured than CPPR 5
  x.raise(irq);
  CHECK_FALSE(x.external_pending(0));
  x.h_cppr(0, 6);  // less favoured CPPR: the rejected source is resent
  CHECK(x.external_pending(0));
  // Raising CPPR above the pending priority takes it back.
  x.h_cppr(0, 3);
  CHECK_FALSE(x.external_pending(0));
  CHECK((x.xirr(0) & 0xFFFFFF) == 0);
  x.h_cppr(0, 0xFF);
  CHECK(x.external_pending(0));
  CHECK((x.xirr(0) & 0xFFFFFF) == irq);
}

TEST_CASE("XICS: a more favoured interrupt displaces a pending one", "[papr]") {
  Xics x(1);
  x.h_cppr(0, 0xFF);
  x.set_xive(0x1100, 0, 6);
  x.set_xive(0x1101, 0, 4);
  x.raise(0x1100);
  CHECK((x.xirr(0) & 0xFFFFFF) == 0x1100);
  x.raise(0x1101);
  CHECK((x.xirr(0) & 0xFFFFFF) == 0x1101);
  uint64_t xirr;
  x.h_xirr(0, xirr);
  CHECK((xirr & 0xFFFFFF) == 0x1101);
  CHECK_FALSE(x.external_pending(0));  // 0x1100 (prio 6) is not above CPPR 4
  x.h_eoi(0, 0xFFu << 24 | 0x1101);    // CPPR back to 0xFF: 0x1100 is resent
  CHECK(x.external_pending(0));
  x.h_xirr(0, xirr);
  CHECK((xirr & 0xFFFFFF) == 0x1100);
}

TEST_CASE("XICS: IPIs through H_IPI, H_IPOLL and MFRR", "[papr]") {
  Xics x(2);
  x.h_cppr(1, 0xFF);
  CHECK(x.h_ipi(0, 2, 0) == H_PARAMETER);  // no server 2
  REQUIRE(x.h_ipi(0, 1, 5) == H_SUCCESS);
  CHECK(x.external_pending(1));
  CHECK_FALSE(x.external_pending(0));
  uint64_t xirr = 0, mfrr = 0;
  REQUIRE(x.h_ipoll(0, 1, xirr, mfrr) == H_SUCCESS);
  CHECK(xirr == (0xFFu << 24 | XICS_IPI));
  CHECK(mfrr == 5);
  CHECK(x.h_ipoll(0, 7, xirr, mfrr) == H_PARAMETER);
  x.h_xirr(1, xirr);
  CHECK(xirr == (0xFFu << 24 | XICS_IPI));
  // The handler clears MFRR, then EOIs: nothing comes back.
  x.h_ipi(1, 1, 0xFF);
  x.h_eoi(1, 0xFFu << 24 | XICS_IPI);
  CHECK_FALSE(x.external_pending(1));
  // An IPI left in MFRR is re-presented on EOI.
  x.h_ipi(0, 1, 5);
  x.h_xirr(1, xirr);
  x.h_eoi(1, 0xFFu << 24 | XICS_IPI);
  CHECK(x.external_pending(1));
}

TEST_CASE("XICS: level-triggered sources re-present after EOI while asserted", "[papr]") {
  Xics x(1);
  const uint32_t irq = 0x1200;
  x.set_lsi(irq, true);
  x.h_cppr(0, 0xFF);
  x.set_xive(irq, 0, 5);
  x.raise(irq);
  uint64_t xirr;
  x.h_xirr(0, xirr);
  CHECK((xirr & 0xFFFFFF) == irq);
  x.h_eoi(0, 0xFFu << 24 | irq);
  CHECK(x.external_pending(0));  // still asserted
  x.h_xirr(0, xirr);
  x.lower(irq);
  x.h_eoi(0, 0xFFu << 24 | irq);
  CHECK_FALSE(x.external_pending(0));
}

TEST_CASE("XICS: RTAS xive calls check their arguments; int-off/int-on keep the priority", "[papr]") {
  Xics x(2);
  CHECK(x.set_xive(0xFFF, 0, 5) == -3);     // below the source range
  CHECK(x.set_xive(0x2000, 0, 5) == -3);    // above
  CHECK(x.set_xive(0x1100, 2, 5) == -3);    // no server 2
  CHECK(x.set_xive(0x1100, 1, 0x100) == -3);
  REQUIRE(x.set_xive(0x1100, 1, 7) == 0);
  uint32_t server = 0, prio = 0;
  REQUIRE(x.get_xive(0x1100, server, prio) == 0);
  CHECK(server == 1);
  CHECK(prio == 7);
  CHECK(x.get_xive(0x2000, server, prio) == -3);
  REQUIRE(x.int_off(0x1100) == 0);
  x.get_xive(0x1100, server, prio);
  CHECK(prio == 0xFF);
  x.h_cppr(1, 0xFF);
  x.raise(0x1100);
  CHECK_FALSE(x.external_pending(1));
  REQUIRE(x.int_on(0x1100) == 0);
  x.get_xive(0x1100, server, prio);
  CHECK(prio == 7);
  CHECK(x.external_pending(1));  // the interrupt that came while off
  CHECK(x.int_on(0x5000) == -3);
  CHECK(x.int_off(0x5000) == -3);
}

// ---------------------------------------------------------------- vty

TEST_CASE("vty: H_PUT_TERM_CHAR unpacks big-endian bytes, checks unit and length", "[papr]") {
  Vty v;
  std::string out;
  v.set_output([&](const uint8_t* p, size_t n) { out.append(reinterpret_cast<const char*>(p), n); });
  CHECK(v.h_put_term_char(0, 5, 0x48656C6C6F000000ull, 0) == H_SUCCESS);
  CHECK(v.h_put_term_char(VTY_DEFAULT_REG, 16, 0x3031323334353637ull, 0x3839414243444546ull) == H_SUCCESS);
  CHECK(out == "Hello0123456789ABCDEF");
  CHECK(v.h_put_term_char(VTY_DEFAULT_REG, 17, 0, 0) == H_PARAMETER);
  CHECK(v.h_put_term_char(0x71000001, 1, 0, 0) == H_PARAMETER);
  CHECK(out.size() == 21);
  CHECK(v.h_put_term_char(0, 0, 0, 0) == H_SUCCESS);
}

TEST_CASE("vty: H_GET_TERM_CHAR takes up to 16 queued bytes", "[papr]") {
  Vty v(VTY_DEFAULT_REG, 20);
  int notified = 0;
  v.set_input_notify([&] { notified++; });
  uint64_t out[3];
  REQUIRE(v.h_get_term_char(0, out) == H_SUCCESS);
  CHECK(out[0] == 0);
  const char* text = "abcdefghijklmnopqrstuvwxyz";
  CHECK(v.push_input(reinterpret_cast<const uint8_t*>(text), 26) == 20);  // capacity
  CHECK(notified == 1);
  CHECK(v.push_input(reinterpret_cast<const uint8_t*>(text), 1) == 0);
  REQUIRE(v.h_get_term_char(VTY_DEFAULT_REG, out) == H_SUCCESS);
  CHECK(out[0] == 16);
  CHECK(out[1] == 0x6162636465666768ull);
  CHECK(out[2] == 0x696A6B6C6D6E6F70ull);
  REQUIRE(v.h_get_term_char(0, out) == H_SUCCESS);
  CHECK(out[0] == 4);
  CHECK(out[1] == 0x7172737400000000ull);
  CHECK(out[2] == 0);
  CHECK(v.h_get_term_char(0x30000000, out) == H_PARAMETER);
  v.push_input(reinterpret_cast<const uint8_t*>(text), 1);
  CHECK(notified == 2);  // the queue was empty again
}

// ---------------------------------------------------------------- TCE

TEST_CASE("TCE: put, get, stuff and translate in the PHB's default window", "[papr]") {
  Mem m;
  TceTables t(m.gm);
  REQUIRE(t.add_window(PHB0_LIOBN, 0, PHB_DMA_WINDOW_SIZE));
  CHECK_FALSE(t.add_window(PHB0_LIOBN, 0, 0x1000));  // exists
  CHECK_FALSE(t.add_window(1, 0, 0x1800));           // not whole pages
  uint64_t tce = 0;
  CHECK(t.h_get_tce(PHB0_LIOBN, 0x5000, tce) == H_SUCCESS);
  CHECK(tce == 0);
  REQUIRE(t.h_put_tce(PHB0_LIOBN, 0x5000, 0x20000 | TCE_READ | TCE_WRITE) == H_SUCCESS);
  REQUIRE(t.h_get_tce(PHB0_LIOBN, 0x5000, tce) == H_SUCCESS);
  CHECK(tce == (0x20000 | TCE_READ | TCE_WRITE));
  CHECK(t.translate(PHB0_LIOBN, 0x5123, true) == 0x20123u);
  CHECK_FALSE(t.translate(PHB0_LIOBN, 0x6000, false));
  CHECK_FALSE(t.translate(7, 0x5000, false));
  // Errors.
  CHECK(t.h_put_tce(7, 0x5000, 0) == H_PARAMETER);                    // no such LIOBN
  CHECK(t.h_put_tce(PHB0_LIOBN, 0x5008, 0) == H_PARAMETER);           // unaligned IOBA
  CHECK(t.h_put_tce(PHB0_LIOBN, PHB_DMA_WINDOW_SIZE, 0) == H_PARAMETER);  // past the window
  CHECK(t.h_put_tce(PHB0_LIOBN, 0, MEM | TCE_READ) == H_PARAMETER);   // not guest memory
  CHECK(t.h_put_tce(PHB0_LIOBN, 0, 0x20010 | TCE_READ) == H_PARAMETER);  // reserved bits
  CHECK(t.h_put_tce(PHB0_LIOBN, 0, MEM) == H_SUCCESS);                // no access: anything goes
  CHECK(t.h_get_tce(PHB0_LIOBN, PHB_DMA_WINDOW_SIZE, tce) == H_PARAMETER);
  CHECK(t.h_get_tce(uint64_t{1} << 32 | PHB0_LIOBN, 0, tce) == H_PARAMETER);
  // Linux clears the window with 512 stuffs of 512 entries.
  REQUIRE(t.h_stuff_tce(PHB0_LIOBN, 0x4000, 0x30000 | TCE_READ, 4) == H_SUCCESS);
  for (uint64_t a = 0x4000; a < 0x8000; a += 0x1000) CHECK(t.translate(PHB0_LIOBN, a, false) == 0x30000u);
  CHECK_FALSE(t.translate(PHB0_LIOBN, 0x4000, true));  // read-only
  for (uint64_t i = 0; i < 512; i++)
    REQUIRE(t.h_stuff_tce(PHB0_LIOBN, i * 512 * 4096, 0, 512) == H_SUCCESS);
  CHECK_FALSE(t.translate(PHB0_LIOBN, 0x4000, false));
  CHECK(t.h_stuff_tce(PHB0_LIOBN, PHB_DMA_WINDOW_SIZE - 0x1000, 0, 2) == H_PARAMETER);
  CHECK(t.h_stuff_tce(PHB0_LIOBN, 0, 0, ~uint64_t{0}) == H_PARAMETER);
  CHECK(t.h_stuff_tce(PHB0_LIOBN, 0, MEM | TCE_READ, 1) == H_PARAMETER);
  CHECK(t.h_stuff_tce(8, 0, 0, 1) == H_PARAMETER);
}

TEST_CASE("TCE: H_PUT_TCE_INDIRECT reads a big-endian list, all or nothing", "[papr]") {
  Mem m;
  TceTables t(m.gm);
  REQUIRE(t.add_window(PHB0_LIOBN, 0, PHB_DMA_WINDOW_SIZE));
  const uint64_t list = 0x8000;
  for (uint64_t i = 0; i < 3; i++) m.put_be64(list + 8 * i, (0x40000 + i * 0x1000) | TCE_READ);
  REQUIRE(t.h_put_tce_indirect(PHB0_LIOBN, 0x10000, list, 3) == H_SUCCESS);
  for (uint64_t i = 0; i < 3; i++) CHECK(t.translate(PHB0_LIOBN, 0x10000 + i * 0x1000, false) == 0x40000 + i * 0x1000);
  CHECK(t.h_put_tce_indirect(PHB0_LIOBN, 0x10000, list + 8, 1) == H_PARAMETER);  // list not 4K aligned
  CHECK(t.h_put_tce_indirect(PHB0_LIOBN, 0x10000, list, 513) == H_PARAMETER);
  CHECK(t.h_put_tce_indirect(PHB0_LIOBN, 0x10000, MEM, 1) == H_PARAMETER);   // list outside memory
  CHECK(t.h_put_tce_indirect(9, 0x10000, list, 1) == H_PARAMETER);
  CHECK(t.h_put_tce_indirect(PHB0_LIOBN, PHB_DMA_WINDOW_SIZE - 0x1000, list, 2) == H_PARAMETER);
  // A bad entry in the middle: nothing is written.
  m.put_be64(list, 0x50000 | TCE_READ);
  m.put_be64(list + 8, MEM | TCE_WRITE);
  CHECK(t.h_put_tce_indirect(PHB0_LIOBN, 0x10000, list, 2) == H_PARAMETER);
  CHECK(t.translate(PHB0_LIOBN, 0x10000, false) == 0x40000u);
  CHECK(t.h_put_tce_indirect(PHB0_LIOBN, 0x10000, list, 0) == H_SUCCESS);
}

// ---------------------------------------------------------------- NVRAM

TEST_CASE("NVRAM: fetch and store check the range and the buffer; a file keeps it", "[papr]") {
  Mem m;
  char path[] = "/tmp/lpar-nvram-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  {
    Nvram n;
    std::string err;
    REQUIRE(n.open_file(path, err));
    std::memcpy(m.buf.data() + 0x2000, "pseries", 7);
    uint32_t done = 0;
    CHECK(n.store(m.gm, 100, 0x2000, 7, done) == 0);
    CHECK(done == 7);
    CHECK(n.store(m.gm, NVRAM_SIZE - 3, 0x2000, 7, done) == -3);
    CHECK(done == 0);
    CHECK(n.store(m.gm, 0, MEM - 2, 7, done) == -1);
    CHECK(n.fetch(m.gm, ~uint64_t{0}, 0x3000, 2, done) == -3);
    CHECK(n.fetch(m.gm, 98, 0x3000, 11, done) == 0);
    CHECK(std::memcmp(m.buf.data() + 0x3000, "\0\0pseries\0\0", 11) == 0);
    CHECK(n.fetch(m.gm, 0, MEM - 1, 2, done) == -1);
  }
  Nvram again;
  std::string err;
  REQUIRE(again.open_file(path, err));
  CHECK(std::memcmp(again.data() + 100, "pseries", 7) == 0);
  CHECK_FALSE(again.open_file("/nonexistent-dir/x", err));
  CHECK_FALSE(err.empty());
  std::remove(path);
}

// ---------------------------------------------------------------- RTAS

namespace {
struct RtasRig {
  Mem m;
  Xics xics{2};
  Nvram nvram;
  std::string console, os_term_msg;
  int power_offs = 0, reboots = 0, quiesces = 0;
  std::vector<int> cpu_state{RTAS_CPU_RUNNING, RTAS_CPU_STOPPED};
  int64_t now_ns = int64_t(1700000000) * 1000000000 + 123;  // 2023-11-14 22:13:20 UTC
  int64_t rtc_offset_ns;
  Rtas rtas;
  explicit RtasRig(int64_t rtc_offset = 0) : rtc_offset_ns(rtc_offset), rtas(m.gm, &xics, &nvram, machine(), config()) {}
  RtasMachine machine() {
    RtasMachine rm;
    rm.display_character = [this](uint8_t c) { console.push_back(char(c)); };
    rm.power_off = [this] { power_offs++; };
    rm.system_reboot = [this] { reboots++; };
    rm.query_cpu_stopped_state = [this](uint32_t cpu) { return cpu < cpu_state.size() ? cpu_state[cpu] : -1; };
    rm.start_cpu = [this](uint32_t, uint32_t cpu, uint64_t, uint64_t) {
      if (cpu >= cpu_state.size()) return -3;
      if (cpu_state[cpu] != RTAS_CPU_STOPPED) return -1;
      cpu_state[cpu] = RTAS_CPU_RUNNING;
      return 0;
    };
    rm.stop_self = [this](uint32_t caller) {
      cpu_state[caller] = RTAS_CPU_STOPPED;
      return true;
    };
    rm.os_term = [this](const std::string& s) { os_term_msg = s; };
    rm.quiesce = [this] { quiesces++; };
    return rm;
  }
  RtasConfig config() {
    RtasConfig c;
    c.cpus = 2;
    c.max_cpus = 2;
    c.ram_size = uint64_t{1} << 30;
    c.host_clock_ns = [this] { return now_ns; };
    c.rtc_offset_ns = rtc_offset_ns;
    return c;
  }
  RtasCallResult call(uint32_t token, std::vector<uint32_t> args, uint32_t nret, uint32_t caller = 0) {
    return rtas_call(m, rtas, token, std::move(args), nret, caller);
  }
};
}  // namespace

TEST_CASE("RTAS: served tokens are QEMU's and the device tree's", "[papr]") {
  for (const auto& t : rtas_served_calls()) {
    INFO(t.name);
    CHECK(t.token == rtas_token(std::string_view(t.name)));
  }
  CHECK(RTAS_IBM_NMI_INTERLOCK == 0x202C);
  CHECK(RTAS_NVRAM_FETCH == 0x2012);
}

TEST_CASE("RTAS: the argument buffer is checked; unknown tokens give -3", "[papr]") {
  RtasRig r;
  CHECK(r.rtas.h_rtas(0, MEM) == H_PARAMETER);      // buffer outside memory
  CHECK(r.rtas.h_rtas(0, MEM - 8) == H_PARAMETER);  // header straddles the end
  // nargs reaching past the end of memory.
  r.m.put_be32(ARGS, RTAS_DISPLAY_CHARACTER);
  r.m.put_be32(ARGS + 4, 0x40000000);
  r.m.put_be32(ARGS + 8, 1);
  CHECK(r.rtas.h_rtas(0, ARGS) == H_PARAMETER);
  auto res = r.call(0x2020, {}, 1);  // ibm,set-eeh-option: not served
  CHECK(res.hret == H_PARAMETER);
  CHECK(res.rets[0] == -3);
  res = r.call(0x1234, {1, 2}, 1);
  CHECK(res.hret == H_PARAMETER);
  CHECK(res.rets[0] == -3);
  // The top four address bits are ignored, as in real mode.
  r.call(RTAS_DISPLAY_CHARACTER, {'x'}, 1);
  CHECK(r.rtas.h_rtas(0, 0xC000000000000000ull | ARGS) == H_SUCCESS);
  CHECK(r.console == "xx");
}

TEST_CASE("RTAS: display-character, power-off, system-reboot, quiesce", "[papr]") {
  RtasRig r;
  auto res = r.call(RTAS_DISPLAY_CHARACTER, {'A'}, 1);
  CHECK(res.hret == H_SUCCESS);
  CHECK(res.rets[0] == 0);
  CHECK(r.call(0xA, {'B'}, 1).rets[0] == 0);  // the legacy token
  CHECK(r.console == "AB");
  CHECK(r.call(RTAS_DISPLAY_CHARACTER, {'C', 1}, 1).rets[0] == -3);
  CHECK(r.call(RTAS_POWER_OFF, {0}, 1).rets[0] == -3);
  CHECK(r.power_offs == 0);
  CHECK(r.call(RTAS_POWER_OFF, {0, 0}, 1).rets[0] == 0);
  CHECK(r.power_offs == 1);
  CHECK(r.call(RTAS_SYSTEM_REBOOT, {}, 1).rets[0] == 0);
  CHECK(r.reboots == 1);
  CHECK(r.call(RTAS_QUIESCE, {}, 1).rets[0] == 0);
  CHECK(r.quiesces == 1);
  // Without the machine's callback: hardware error.
  Mem m2;
  Rtas bare(m2.gm, nullptr, nullptr, RtasMachine{}, RtasConfig{});
  CHECK(rtas_call(m2, bare, RTAS_POWER_OFF, {0, 0}, 1).rets[0] == -1);
  CHECK(rtas_call(m2, bare, RTAS_IBM_SET_XIVE, {0x1100, 0, 5}, 1).rets[0] == -1);
  CHECK(rtas_call(m2, bare, RTAS_NVRAM_FETCH, {0, 0x2000, 4}, 2).rets[0] == -1);
}

TEST_CASE("RTAS: get-time-of-day and set-time-of-day keep an offset from the host clock", "[papr]") {
  RtasRig r;
  auto res = r.call(RTAS_GET_TIME_OF_DAY, {}, 8);
  REQUIRE(res.rets[0] == 0);
  CHECK(res.rets == std::vector<int32_t>{0, 2023, 11, 14, 22, 13, 20, 123});
  CHECK(r.call(RTAS_GET_TIME_OF_DAY, {}, 7).rets[0] == -3);
  res = r.call(RTAS_SET_TIME_OF_DAY, {2000, 2, 29, 12, 0, 0, 0}, 1);
  CHECK(res.rets[0] == 0);
  r.now_ns += int64_t(90) * 1000000000;  // the host clock moves on 90 s
  res = r.call(RTAS_GET_TIME_OF_DAY, {}, 8);
  CHECK(res.rets == std::vector<int32_t>{0, 2000, 2, 29, 12, 1, 30, 0});
  CHECK(r.call(RTAS_SET_TIME_OF_DAY, {2000, 13, 1, 0, 0, 0, 0}, 1).rets[0] == -3);
  CHECK(r.call(RTAS_SET_TIME_OF_DAY, {2000, 1, 1, 24, 0, 0, 0}, 1).rets[0] == -3);
  CHECK(r.call(RTAS_SET_TIME_OF_DAY, {2000, 1, 1, 0, 0, 0, 1000000000}, 1).rets[0] == -3);
  CHECK(r.call(RTAS_SET_TIME_OF_DAY, {2000, 1, 1}, 1).rets[0] == -3);
}

// -rtc base=DATE: the guest's clock starts at DATE and runs with the host's.
TEST_CASE("RTAS: the time of day starts where -rtc base= put it", "[papr]") {
  RtasRig r(-int64_t(86400) * 1000000000);  // one day back
  auto res = r.call(RTAS_GET_TIME_OF_DAY, {}, 8);
  CHECK(res.rets == std::vector<int32_t>{0, 2023, 11, 13, 22, 13, 20, 123});
  r.now_ns += int64_t(61) * 1000000000;
  res = r.call(RTAS_GET_TIME_OF_DAY, {}, 8);
  CHECK(res.rets == std::vector<int32_t>{0, 2023, 11, 13, 22, 14, 21, 123});
}

TEST_CASE("RTAS: CPU start and stop through the machine", "[papr]") {
  RtasRig r;
  auto res = r.call(RTAS_QUERY_CPU_STOPPED_STATE, {1}, 2);
  CHECK(res.rets == std::vector<int32_t>{0, RTAS_CPU_STOPPED});
  CHECK(r.call(RTAS_QUERY_CPU_STOPPED_STATE, {0}, 2).rets[1] == RTAS_CPU_RUNNING);
  CHECK(r.call(RTAS_QUERY_CPU_STOPPED_STATE, {5}, 2).rets[0] == -3);
  CHECK(r.call(RTAS_QUERY_CPU_STOPPED_STATE, {1}, 1).rets[0] == -3);
  CHECK(r.call(RTAS_START_CPU, {1, 0x100, 0}, 1).rets[0] == 0);
  CHECK(r.cpu_state[1] == RTAS_CPU_RUNNING);
  CHECK(r.call(RTAS_START_CPU, {1, 0x100, 0}, 1).rets[0] == -1);  // already running
  CHECK(r.call(RTAS_START_CPU, {9, 0x100, 0}, 1).rets[0] == -3);
  CHECK(r.call(RTAS_START_CPU, {1, 0x100}, 1).rets[0] == -3);
  auto st = r.call(RTAS_STOP_SELF, {}, 1, 1);
  CHECK(st.rets[0] == int32_t(0xDEADBEEF));  // no return on success
  CHECK(r.cpu_state[1] == RTAS_CPU_STOPPED);
}

TEST_CASE("RTAS: system parameters 20, 42, 48", "[papr]") {
  RtasRig r;
  const uint32_t buf = 0x4000;
  auto res = r.call(RTAS_IBM_GET_SYSTEM_PARAMETER, {RTAS_SYSPARM_SPLPAR_CHARACTERISTICS, buf, 200}, 1);
  REQUIRE(res.rets[0] == 0);
  std::string want = "MaxEntCap=2,DesMem=1024,DesProcs=2,MaxPlatProcs=2";
  CHECK(r.m.be32(buf) >> 16 == want.size() + 1);
  CHECK(std::string(reinterpret_cast<char*>(r.m.buf.data() + buf + 2)) == want);
  // Cut to the buffer; the length still says the full size.
  std::memset(r.m.buf.data() + buf, 0xAA, 16);
  CHECK(r.call(RTAS_IBM_GET_SYSTEM_PARAMETER, {RTAS_SYSPARM_SPLPAR_CHARACTERISTICS, buf, 6}, 1).rets[0] == 0);
  CHECK(r.m.be32(buf) >> 16 == want.size() + 1);
  CHECK(std::memcmp(r.m.buf.data() + buf + 2, "MaxE\xAA", 5) == 0);
  CHECK(r.call(RTAS_IBM_GET_SYSTEM_PARAMETER, {RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE, buf, 16}, 1).rets[0] == 0);
  CHECK(r.m.be32(buf) >> 8 == 0x000100);  // length 1, value 0 (disabled)
  CHECK(r.call(RTAS_IBM_GET_SYSTEM_PARAMETER, {RTAS_SYSPARM_UUID, buf, 16}, 1).rets[0] == 0);
  CHECK(r.m.be32(buf) >> 16 == 0);
  CHECK(r.call(RTAS_IBM_GET_SYSTEM_PARAMETER, {RTAS_SYSPARM_UUID, buf, 1}, 1).rets[0] == -9999);
  CHECK(r.call(RTAS_IBM_GET_SYSTEM_PARAMETER, {RTAS_SYSPARM_UUID, MEM, 16}, 1).rets[0] == -1);
  CHECK(r.call(RTAS_IBM_GET_SYSTEM_PARAMETER, {33, buf, 16}, 1).rets[0] == -3);
  CHECK(r.call(RTAS_IBM_GET_SYSTEM_PARAMETER, {20, buf}, 1).rets[0] == -3);
  CHECK(r.call(RTAS_IBM_SET_SYSTEM_PARAMETER, {42, buf}, 1).rets[0] == -9002);
  CHECK(r.call(RTAS_IBM_SET_SYSTEM_PARAMETER, {33, buf}, 1).rets[0] == -3);
}

TEST_CASE("RTAS: the XIVE calls reach XICS", "[papr]") {
  RtasRig r;
  CHECK(r.call(RTAS_IBM_SET_XIVE, {0x1100, 1, 5}, 1).rets[0] == 0);
  CHECK(r.call(RTAS_IBM_GET_XIVE, {0x1100}, 3).rets == std::vector<int32_t>{0, 1, 5});
  CHECK(r.call(RTAS_IBM_INT_OFF, {0x1100}, 1).rets[0] == 0);
  CHECK(r.call(RTAS_IBM_GET_XIVE, {0x1100}, 3).rets == std::vector<int32_t>{0, 1, 0xFF});
  CHECK(r.call(RTAS_IBM_INT_ON, {0x1100}, 1).rets[0] == 0);
  CHECK(r.call(RTAS_IBM_GET_XIVE, {0x1100}, 3).rets == std::vector<int32_t>{0, 1, 5});
  CHECK(r.call(RTAS_IBM_SET_XIVE, {0x1100, 2, 5}, 1).rets[0] == -3);
  CHECK(r.call(RTAS_IBM_SET_XIVE, {0x1100, 1}, 1).rets[0] == -3);
  CHECK(r.call(RTAS_IBM_GET_XIVE, {0x10}, 3).rets[0] == -3);
  CHECK(r.call(RTAS_IBM_INT_ON, {0x10}, 1).rets[0] == -3);
  CHECK(r.call(RTAS_IBM_INT_OFF, {0x1100, 0}, 1).rets[0] == -3);
}

TEST_CASE("RTAS: event-scan and check-exception find no errors", "[papr]") {
  RtasRig r;
  CHECK(r.call(RTAS_EVENT_SCAN, {0xFFFFFFFF, 0, 0x4000, 2048}, 1).rets[0] == 1);
  CHECK(r.call(RTAS_EVENT_SCAN, {0xFFFFFFFF, 0, 0x4000}, 1).rets[0] == -3);
  CHECK(r.call(RTAS_CHECK_EXCEPTION, {0x500, 0, 0xFFFFFFFF, 0, 0x4000, 2048}, 1).rets[0] == 1);
  CHECK(r.call(RTAS_CHECK_EXCEPTION, {0x500, 0, 0xFFFFFFFF, 0, 0x4000, 2048, 0}, 1).rets[0] == 1);
  CHECK(r.call(RTAS_CHECK_EXCEPTION, {0x500}, 1).rets[0] == -3);
  CHECK(r.call(RTAS_IBM_SET_TCE_BYPASS, {0x71000000, 1}, 1).rets[0] == -3);
}

TEST_CASE("RTAS: nvram-fetch and nvram-store", "[papr]") {
  RtasRig r;
  std::memcpy(r.m.buf.data() + 0x5000, "\x7f\x00\x02", 3);
  auto res = r.call(RTAS_NVRAM_STORE, {0x10, 0x5000, 3}, 2);
  CHECK(res.rets == std::vector<int32_t>{0, 3});
  res = r.call(RTAS_NVRAM_FETCH, {0x0F, 0x6000, 5}, 2);
  CHECK(res.rets == std::vector<int32_t>{0, 5});
  CHECK(std::memcmp(r.m.buf.data() + 0x6000, "\0\x7f\0\x02\0", 5) == 0);
  CHECK(r.call(RTAS_NVRAM_FETCH, {NVRAM_SIZE, 0x6000, 1}, 2).rets == std::vector<int32_t>{-3, 0});
  CHECK(r.call(RTAS_NVRAM_FETCH, {0, MEM - 1, 4}, 2).rets == std::vector<int32_t>{-1, 0});
  CHECK(r.call(RTAS_NVRAM_STORE, {0, 0x6000}, 2).rets[0] == -1);
}

TEST_CASE("RTAS: ibm,os-term passes the message; FWNMI registration and interlock", "[papr]") {
  RtasRig r;
  std::strcpy(reinterpret_cast<char*>(r.m.buf.data() + 0x7000), "Kernel panic - not syncing");
  CHECK(r.call(RTAS_IBM_OS_TERM, {0x7000}, 1).rets[0] == 0);
  CHECK(r.os_term_msg == "Kernel panic - not syncing");
  // A message running off the end of memory is cut there.
  std::memset(r.m.buf.data() + MEM - 3, 'z', 3);
  r.call(RTAS_IBM_OS_TERM, {uint32_t(MEM - 3)}, 1);
  CHECK(r.os_term_msg == "zzz");

  CHECK(r.call(RTAS_IBM_NMI_INTERLOCK, {}, 1).rets[0] == -3);  // nothing registered
  CHECK(r.call(RTAS_IBM_NMI_REGISTER, {0x100}, 1).rets[0] == -3);
  CHECK(r.call(RTAS_IBM_NMI_REGISTER, {0x7100, 0x7200}, 1).rets[0] == 0);
  CHECK(r.rtas.nmi_system_reset_addr() == 0x7100);
  CHECK(r.rtas.nmi_machine_check_addr() == 0x7200);
  CHECK(r.call(RTAS_IBM_NMI_INTERLOCK, {}, 1).rets[0] == -3);  // no machine check in flight
  r.rtas.machine_check_interlock(1);
  CHECK(r.call(RTAS_IBM_NMI_INTERLOCK, {}, 1, 0).rets[0] == -3);  // another vCPU
  CHECK(r.call(RTAS_IBM_NMI_INTERLOCK, {}, 1, 1).rets[0] == 0);
}

// ---------------------------------------------------------------- small hcalls

namespace {
struct MiscRig {
  Mem m;
  uint64_t lpcr = 0;
  std::vector<std::pair<uint64_t, uint64_t>> written;
  HcallMisc misc;
  explicit MiscRig(isa::Model model = isa::POWER8) : misc(m.gm, model, 2, machine()) {}
  MiscMachine machine() {
    MiscMachine mm;
    mm.set_lpcr_all = [this](uint64_t v, uint64_t mask) { lpcr = (lpcr & ~mask) | v; };
    mm.memory_written = [this](uint64_t a, uint64_t n) { written.push_back({a, n}); };
    mm.mmio_read = [](uint64_t a, unsigned size, uint64_t& v) {
      if (a != 0xF0000000) return false;
      v = 0x1122334455667788ull;
      return true;
    };
    mm.mmio_write = [](uint64_t a, unsigned, uint64_t) { return a == 0xF0000000; };
    return mm;
  }
};
}  // namespace

TEST_CASE("H_SET_MODE: LE and AIL change LPCR on every thread; the rest is refused", "[papr]") {
  MiscRig r;
  const uint64_t AIL = uint64_t{3} << sem::LPCR_AIL_SHIFT;
  CHECK(r.misc.h_set_mode(1, H_SET_MODE_RESOURCE_LE, 0, 0) == H_SUCCESS);
  CHECK(r.lpcr == sem::LPCR_ILE);
  CHECK(r.misc.h_set_mode(0, H_SET_MODE_RESOURCE_LE, 0, 0) == H_SUCCESS);
  CHECK(r.lpcr == 0);
  CHECK(r.misc.h_set_mode(2, H_SET_MODE_RESOURCE_LE, 0, 0) == H_UNSUPPORTED_FLAG);
  CHECK(r.misc.h_set_mode(1, H_SET_MODE_RESOURCE_LE, 1, 0) == H_P3);
  CHECK(r.misc.h_set_mode(1, H_SET_MODE_RESOURCE_LE, 0, 1) == H_P4);
  CHECK(r.misc.h_set_mode(3, H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 0) == H_SUCCESS);
  CHECK(r.lpcr == AIL);
  CHECK(r.misc.h_set_mode(1, H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 0) == H_UNSUPPORTED_FLAG);
  CHECK(r.misc.h_set_mode(4, H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 0) == H_UNSUPPORTED_FLAG);
  CHECK(r.misc.h_set_mode(0, H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 0) == H_SUCCESS);
  CHECK(r.lpcr == 0);
  CHECK(r.misc.h_set_mode(0, H_SET_MODE_RESOURCE_SET_CIABR, 0, 0) == H_P2);
  CHECK(r.misc.h_set_mode(0, H_SET_MODE_RESOURCE_SET_DAWR, 0, 0) == H_P2);
  CHECK(r.misc.h_set_mode(0, 77, 0, 0) == H_P2);
  MiscRig p7(isa::POWER7);
  CHECK(p7.misc.h_set_mode(3, H_SET_MODE_RESOURCE_ADDR_TRANS_MODE, 0, 0) == H_P2);
  CHECK(p7.lpcr == 0);
}

TEST_CASE("H_PAGE_INIT zeroes and copies whole pages", "[papr]") {
  MiscRig r;
  std::memset(r.m.buf.data() + 0x3000, 0x5A, 0x1000);
  std::memset(r.m.buf.data() + 0x4000, 0x11, 0x1000);
  CHECK(r.misc.h_page_init(H_COPY_PAGE, 0x4000, 0x3000) == H_SUCCESS);
  CHECK(r.m.buf[0x4000] == 0x5A);
  CHECK(r.m.buf[0x4FFF] == 0x5A);
  CHECK(r.misc.h_page_init(H_ZERO_PAGE, 0x3000, 0) == H_SUCCESS);
  CHECK(r.m.buf[0x3000] == 0);
  CHECK(r.m.buf[0x3FFF] == 0);
  CHECK(r.m.buf[0x4000] == 0x5A);
  CHECK(r.written.size() == 2);
  CHECK(r.misc.h_page_init(H_ZERO_PAGE, 0x3008, 0) == H_PARAMETER);
  CHECK(r.misc.h_page_init(H_ZERO_PAGE, MEM, 0) == H_PARAMETER);
  CHECK(r.misc.h_page_init(H_COPY_PAGE, 0x3000, 0x4100) == H_PARAMETER);
  CHECK(r.misc.h_page_init(H_COPY_PAGE, 0x3000, MEM) == H_PARAMETER);
  CHECK(r.misc.h_page_init(uint64_t{1}, 0x3000, 0) == H_PARAMETER);  // unknown flag
  CHECK(r.misc.h_page_init(H_ICACHE_INVALIDATE, 0x3000, 0) == H_SUCCESS);
  CHECK(r.written.size() == 3);
}

TEST_CASE("H_SET_DABR / H_SET_XDABR follow the model's registers", "[papr]") {
  MiscRig p8(isa::POWER8);
  CHECK(p8.misc.h_set_dabr(0, 0x1004) == H_HARDWARE);  // no DABR since POWER8
  CHECK(p8.misc.h_set_xdabr(0, 0x1000, H_DABRX_USER) == H_HARDWARE);
  MiscRig p7(isa::POWER7);
  CHECK(p7.misc.h_set_dabr(1, 0x1000) == H_SUCCESS);
  CHECK(p7.misc.dabr(1).dabr == 0x1000);
  CHECK(p7.misc.dabr(1).dabrx == (H_DABRX_USER | H_DABRX_KERNEL));
  CHECK(p7.misc.h_set_xdabr(0, 0x2000, H_DABRX_KERNEL) == H_SUCCESS);
  CHECK(p7.misc.dabr(0).dabrx == H_DABRX_KERNEL);
  CHECK(p7.misc.h_set_xdabr(0, 0x2000, H_DABRX_HYPERVISOR | H_DABRX_KERNEL) == H_PARAMETER);
  CHECK(p7.misc.h_set_xdabr(0, 0x2000, 0) == H_PARAMETER);
  CHECK(p7.misc.h_set_xdabr(0, 0x2000, 0x11) == H_PARAMETER);
  CHECK(p7.misc.h_set_dabr(5, 0x1000) == H_HARDWARE);
  MiscRig p970(isa::PPC970);
  CHECK(p970.misc.h_set_dabr(0, 0x1000) == H_RESERVED_DABR);  // BT clear, no DABRX
  CHECK(p970.misc.h_set_dabr(0, 0x1000 | DABR_BT) == H_SUCCESS);
  CHECK(p970.misc.h_set_xdabr(0, 0x1000, H_DABRX_USER) == H_HARDWARE);
}

TEST_CASE("H_GET_CPU_CHARACTERISTICS, H_HOME_NODE_ASSOCIATIVITY, H_RANDOM, H_SET_SPRG0", "[papr]") {
  MiscRig r;
  uint64_t out[6] = {};
  REQUIRE(r.misc.h_get_cpu_characteristics(out) == H_SUCCESS);
  CHECK(out[0] == (H_CPU_CHAR_BCCTRL_SERIALISED | H_CPU_CHAR_COUNT_CACHE_DISABLED));
  CHECK((out[1] & H_CPU_BEHAV_L1D_FLUSH_PR) == 0);
  CHECK((out[1] & H_CPU_BEHAV_NO_STF_BARRIER) != 0);
  REQUIRE(r.misc.h_home_node_associativity(H_HOME_NODE_PROCNO, 1, out) == H_SUCCESS);
  CHECK(out[0] == 0);
  CHECK(out[1] == 0);
  CHECK(out[2] == 0x00000001FFFFFFFFull);
  CHECK(out[3] == ~uint64_t{0});
  CHECK(out[5] == ~uint64_t{0});
  CHECK(r.misc.h_home_node_associativity(0, 1, out) == H_FUNCTION);
  CHECK(r.misc.h_home_node_associativity(H_HOME_NODE_PROCNO, 2, out) == H_P2);
  r.misc.set_cpu_associativity_domains({0});  // FORM2: one level
  REQUIRE(r.misc.h_home_node_associativity(H_HOME_NODE_PROCNO, 1, out) == H_SUCCESS);
  CHECK(out[0] == 0x0000000000000001ull);
  CHECK(out[1] == ~uint64_t{0});
  uint64_t a = 0, b = 0;
  REQUIRE(r.misc.h_random(a) == H_SUCCESS);
  REQUIRE(r.misc.h_random(b) == H_SUCCESS);
  CHECK(a != b);  // 2^-64 to fail
  CpuState s{};
  CHECK(r.misc.h_set_sprg0(s, 0xC000000000001234ull) == H_SUCCESS);
  CHECK(s.sprg[0] == 0xC000000000001234ull);
}

TEST_CASE("H_LOGICAL_CI_LOAD/STORE: big-endian guest memory, else the device, else H_PARAMETER", "[papr]") {
  MiscRig r;
  r.m.put_be64(0x2000, 0x0102030405060708ull);
  uint64_t v = 0;
  CHECK(r.misc.h_logical_load(8, 0x2000, v) == H_SUCCESS);
  CHECK(v == 0x0102030405060708ull);
  CHECK(r.misc.h_logical_load(4, 0x2004, v) == H_SUCCESS);
  CHECK(v == 0x05060708);
  CHECK(r.misc.h_logical_load(2, 0x2000, v) == H_SUCCESS);
  CHECK(v == 0x0102);
  CHECK(r.misc.h_logical_load(1, 0x2007, v) == H_SUCCESS);
  CHECK(v == 0x08);
  CHECK(r.misc.h_logical_load(3, 0x2000, v) == H_PARAMETER);
  CHECK(r.misc.h_logical_store(2, 0x2000, 0xFFFFAABB) == H_SUCCESS);
  CHECK(r.m.be32(0x2000) == 0xAABB0304);
  CHECK(r.misc.h_logical_load(4, 0xF0000000, v) == H_SUCCESS);
  CHECK(v == 0x55667788);
  CHECK(r.misc.h_logical_store(4, 0xF0000000, 1) == H_SUCCESS);
  CHECK(r.misc.h_logical_load(4, 0xE0000000, v) == H_PARAMETER);
  CHECK(r.misc.h_logical_store(4, 0xE0000000, 1) == H_PARAMETER);
  CHECK(r.misc.h_logical_load(8, MEM - 4, v) == H_PARAMETER);
}

// ---------------------------------------------------------------- dispatcher

TEST_CASE("Hcall dispatcher: services, write-back, H_FUNCTION and H_PRIVILEGE", "[papr]") {
  Mem m;
  Xics xics(2);
  Vty vty;
  std::string out;
  vty.set_output([&](const uint8_t* p, size_t n) { out.append(reinterpret_cast<const char*>(p), n); });
  TceTables tce(m.gm);
  tce.add_window(PHB0_LIOBN, 0, PHB_DMA_WINDOW_SIZE);
  MiscMachine mm;
  HcallMisc misc(m.gm, isa::POWER8, 2, mm);
  Rtas rtas(m.gm, &xics, nullptr, RtasMachine{}, RtasConfig{});
  HcallDispatcher d;
  d.register_services({&xics, &rtas, &vty, &tce, &misc});

  CpuState s{};
  HcallContext ctx{1, &s, 0x123456};
  HcallExit e;
  e.nr = H_PUT_TERM_CHAR;
  e.args = {0, 2, 0x6869000000000000ull, 0, 0, 0, 0, 0, 99};
  HcallResult r = d.dispatch(ctx, e);
  CHECK(r.ret == H_SUCCESS);
  CHECK(out == "hi");
  CHECK(r.args[8] == 99);  // untouched registers come back unchanged

  vty.push_input(reinterpret_cast<const uint8_t*>("q"), 1);
  e.nr = H_GET_TERM_CHAR;
  e.args = {};
  r = d.dispatch(ctx, e);
  CHECK(r.ret == H_SUCCESS);
  CHECK(r.args[0] == 1);
  CHECK(r.args[1] == 0x7100000000000000ull);

  // IPI to self through the dispatcher, accepted with H_XIRR_X.
  uint64_t a[9] = {0xFF};
  CHECK(d.dispatch(ctx, H_CPPR, a) == H_SUCCESS);
  a[0] = 1, a[1] = 4;
  CHECK(d.dispatch(ctx, H_IPI, a) == H_SUCCESS);
  CHECK(xics.external_pending(1));
  a[0] = 0;
  CHECK(d.dispatch(ctx, H_XIRR_X, a) == H_SUCCESS);
  CHECK(a[0] == (0xFFu << 24 | XICS_IPI));
  CHECK(a[1] == 0x123456);
  a[0] = 2;
  CHECK(d.dispatch(ctx, H_IPOLL, a) == H_PARAMETER);

  a[0] = PHB0_LIOBN, a[1] = 0x1000, a[2] = 0x2000 | TCE_READ;
  CHECK(d.dispatch(ctx, H_PUT_TCE, a) == H_SUCCESS);
  a[0] = PHB0_LIOBN, a[1] = 0x1000;
  CHECK(d.dispatch(ctx, H_GET_TCE, a) == H_SUCCESS);
  CHECK(a[0] == (0x2000 | TCE_READ));

  a[0] = 0xABC;
  CHECK(d.dispatch(ctx, H_SET_SPRG0, a) == H_SUCCESS);
  CHECK(s.sprg[0] == 0xABC);
  CHECK(d.dispatch(ctx, H_GET_CPU_CHARACTERISTICS, a) == H_SUCCESS);
  CHECK(a[0] == LPAR_CPU_CHARACTERISTICS);
  CHECK(a[1] == LPAR_CPU_BEHAVIOUR);

  // RTAS through KVMPPC_H_RTAS.
  m.put_be32(ARGS, RTAS_IBM_SET_XIVE);
  m.put_be32(ARGS + 4, 3);
  m.put_be32(ARGS + 8, 1);
  m.put_be32(ARGS + 12, 0x1100);
  m.put_be32(ARGS + 16, 1);
  m.put_be32(ARGS + 20, 5);
  a[0] = ARGS;
  CHECK(d.dispatch(ctx, KVMPPC_H_RTAS, a) == H_SUCCESS);
  CHECK(m.be32(ARGS + 24) == 0);

  // Unknown and malformed numbers.
  CHECK(d.dispatch(ctx, H_QUERY_INT_STATE, a) == H_FUNCTION);
  CHECK(d.dispatch(ctx, 0x3, a) == H_FUNCTION);
  CHECK(d.dispatch(ctx, 0x7000, a) == H_FUNCTION);
  CHECK(d.dispatch(ctx, ~uint64_t{0}, a) == H_FUNCTION);
  CHECK_FALSE(d.register_hcall(0x6, [](HcallContext&, uint64_t*) { return 0L; }));
  CHECK_FALSE(d.register_hcall(0x10000, [](HcallContext&, uint64_t*) { return 0L; }));

  // Extras registered by the machine.
  REQUIRE(d.register_hcall(KVMPPC_H_CAS, [](HcallContext& c, uint64_t* args) {
    args[0] = c.cpu + 100;
    return H_SUCCESS;
  }));
  CHECK(d.has_handler(KVMPPC_H_CAS));
  CHECK(d.dispatch(ctx, KVMPPC_H_CAS, a) == H_SUCCESS);
  CHECK(a[0] == 101);

  // Problem state may not make hypervisor calls.
  s.msr = sem::MSR_PR;
  CHECK(d.dispatch(ctx, H_PUT_TERM_CHAR, a) == H_PRIVILEGE);
}
