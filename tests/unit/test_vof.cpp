// The built-in Open Firmware client interface: prom_args blocks built in a
// flat guest memory, as prom_init builds them, and the device tree and
// claim state they act on.
#include <catch2/catch.hpp>
#include <libfdt.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "papr/spapr_dt.h"
#include "papr/vof.h"

using namespace lpar;
using namespace lpar::papr;

namespace {

constexpr u64 RAM = 64 << 20;
constexpr u64 ARGS = 0x200000;     // the prom_args block
constexpr u64 SCRATCH = 0x210000;  // strings and buffers
constexpr u32 ERR = PROM_ERROR;

struct Client {
  std::vector<u8> ram = std::vector<u8>(RAM);
  FlatGuestMemory mem{ram.data(), RAM};
  std::string console;
  std::string input;
  std::vector<CasResult> cas;
  bool cas_accept = true;
  int quiesces = 0, exits = 0;
  std::vector<std::string> setprops;
  std::unique_ptr<Vof> vof;
  u64 heap = SCRATCH;

  explicit Client(isa::Model model = isa::POWER8, bool resize = true) {
    SpaprDtConfig dt;
    dt.model = model;
    dt.ram_size = dt.rma_size = RAM;
    dt.bootargs = "console=hvc0 quiet";
    dt.resize_hpt = resize;
    VofConfig vc;
    vc.ram_size = RAM;
    vc.claim_top = RAM;
    vc.platform = {model, default_pvr(model), resize};
    vc.cb.console_write = [this](std::string_view s) { console += s; };
    vc.cb.console_read = [this](char* buf, size_t len) {
      size_t n = std::min(len, input.size());
      std::memcpy(buf, input.data(), n);
      input = input.substr(n);
      return n;
    };
    vc.cb.client_architecture_support = [this](const CasResult& r) {
      cas.push_back(r);
      return cas_accept;
    };
    vc.cb.quiesce = [this] { ++quiesces; };
    vc.cb.exit = [this] { ++exits; };
    vc.cb.milliseconds = [] { return 1234u; };
    vc.cb.setprop = [this](const std::string& path, const std::string& name, std::string_view) {
      setprops.push_back(path + ":" + name);
    };
    vof = std::make_unique<Vof>(build_spapr_fdt(dt), vc);
    REQUIRE(vof->ok());
  }

  u32 str(const std::string& s) {
    u64 at = heap;
    std::memcpy(&ram[at], s.c_str(), s.size() + 1);
    heap += (s.size() + 16) & ~u64{7};
    return u32(at);
  }
  u32 buf(size_t n) {
    u64 at = heap;
    std::memset(&ram[at], 0xee, n);
    heap += (n + 15) & ~u64{7};
    return u32(at);
  }
  std::string read_str(u32 at) { return std::string(reinterpret_cast<const char*>(&ram[at])); }
  u32 be32(u64 at) { return u32(ram[at]) << 24 | u32(ram[at + 1]) << 16 | u32(ram[at + 2]) << 8 | ram[at + 3]; }
  void put_be32(u64 at, u32 v) {
    ram[at] = u8(v >> 24), ram[at + 1] = u8(v >> 16), ram[at + 2] = u8(v >> 8), ram[at + 3] = u8(v);
  }

  // One client call; returns the handler's status and fills rets.
  u64 call(const std::string& service, std::vector<u32> args, u32 nret, std::vector<u32>* rets = nullptr) {
    put_be32(ARGS, str(service));
    put_be32(ARGS + 4, u32(args.size()));
    put_be32(ARGS + 8, nret);
    for (size_t i = 0; i < args.size(); ++i) put_be32(ARGS + 12 + 4 * i, args[i]);
    for (u32 i = 0; i < nret; ++i) put_be32(ARGS + 12 + 4 * (args.size() + i), 0xdeadbeef);
    u64 rc = vof->handle_client_call(mem, ARGS);
    if (rets) {
      rets->clear();
      for (u32 i = 0; i < nret; ++i) rets->push_back(be32(ARGS + 12 + 4 * (args.size() + i)));
    }
    return rc;
  }
  u32 call1(const std::string& service, std::vector<u32> args) {
    std::vector<u32> r;
    REQUIRE(call(service, std::move(args), 1, &r) == 0);
    return r[0];
  }
  u32 find(const std::string& path) { return call1("finddevice", {str(path)}); }
  std::vector<u8> getprop(u32 ph, const std::string& name) {
    u32 len = call1("getproplen", {ph, str(name)});
    REQUIRE(len != ERR);
    u32 b = buf(len + 1);
    REQUIRE(call1("getprop", {ph, str(name), b, len}) == len);
    return std::vector<u8>(&ram[b], &ram[b] + len);
  }
  u32 method(const std::string& m, u32 ih, u32 arg, u32* out) {
    std::vector<u32> r;
    REQUIRE(call("call-method", {str(m), ih, arg}, 2, &r) == 0);
    *out = r[1];
    return r[0];
  }
};

// A Linux-6.1-shaped ibm,architecture-vec (prom_init.c ibm_architecture_vec):
// 14 PVR pairs, then 7 option vectors.  mmu/intarch are OV5 bytes 24/23.
u32 put_arch_vec(Client& c, u8 mmu = 0x00, u8 intarch = 0x00) {
  std::vector<u8> v;
  auto be = [&](u32 x) {
    for (int s = 24; s >= 0; s -= 8) v.push_back(u8(x >> s));
  };
  const u32 pvrs[][2] = {{0xfffe0000, 0x003a0000}, {0xffff0000, 0x003e0000}, {0xffff0000, 0x003f0000},
                         {0xffff0000, 0x004b0000}, {0xffff0000, 0x004c0000}, {0xffff0000, 0x004d0000},
                         {0xffff0000, 0x004e0000}, {0xffff0000, 0x00800000}, {0xffffffff, 0x0f000006},
                         {0xffffffff, 0x0f000005}, {0xffffffff, 0x0f000004}, {0xffffffff, 0x0f000003},
                         {0xffffffff, 0x0f000002}, {0xfffffffe, 0x0f000001}};
  for (auto& p : pvrs) be(p[0]), be(p[1]);
  v.push_back(7 - 1);                               // 7 vectors
  v.insert(v.end(), {3 - 1, 0x00, 0xff, 0x80});     // OV1: ..., arch_versions3 = PPC_3_00
  v.insert(v.end(), {4 - 1, 0, 0, 0, 0});           // OV2
  v.insert(v.end(), {2 - 1, 0, 0xe0});              // OV3
  v.insert(v.end(), {3 - 1, 0, 0, 10});             // OV4
  std::vector<u8> ov5(26, 0);                       // OV5 bytes 1..26
  ov5[2 - 1] = 0xf3;                                // LPAR SPLPAR DRCONF LARGE_PAGES ...
  ov5[5 - 1] = 0x80 | 0x40 | 0x20;                  // FORM1, PRRN, FORM2
  ov5[6 - 1] = 0x04 | 0x01;                         // HP_EVT, RESIZE_HPT
  ov5[22 - 1] = 0x80 | 0x40;                        // DRMEM_V2, DRC_INFO
  ov5[23 - 1] = intarch;
  ov5[24 - 1] = mmu;
  v.push_back(u8(ov5.size() - 1));
  v.insert(v.end(), ov5.begin(), ov5.end());
  v.insert(v.end(), {3 - 1, 0, 0, 1});              // OV6
  v.push_back(255);                                 // OV7: 256 bytes of OS id
  std::string banner = "Linux version 6.1.0";
  banner.resize(256);
  v.insert(v.end(), banner.begin(), banner.end());
  u32 at = c.buf(v.size());
  std::memcpy(&c.ram[at], v.data(), v.size());
  return at;
}

}  // namespace

TEST_CASE("VOF: finddevice, getprop, getproplen and the implicit name", "[vof]") {
  Client c;
  u32 chosen = c.find("/chosen");
  REQUIRE(chosen != ERR);
  REQUIRE(chosen != 0);
  CHECK(c.find("/nonexistent") == ERR);
  CHECK(c.find("/vdevice/vty") == c.find("/vdevice/vty@71000000"));
  CHECK(c.find("/cpus/PowerPC,POWER8@0") != ERR);
  CHECK(c.find("/interrupt-controller") == XICS_PHANDLE);

  auto args = c.getprop(chosen, "bootargs");
  CHECK(std::string(args.begin(), args.end()) == std::string("console=hvc0 quiet", 19));
  CHECK(c.call1("getproplen", {chosen, c.str("bootargs")}) == 19);
  CHECK(c.call1("getproplen", {chosen, c.str("no-such-prop")}) == ERR);

  // A short buffer gets a prefix; the return is still the whole size.
  u32 b = c.buf(8);
  CHECK(c.call1("getprop", {chosen, c.str("bootargs"), b, 4}) == 19);
  CHECK(std::string(reinterpret_cast<char*>(&c.ram[b]), 4) == "cons");
  CHECK(c.ram[b + 4] == 0xee);

  auto name = c.getprop(c.find("/vdevice/vty@71000000"), "name");
  CHECK(std::string(name.begin(), name.end()) == std::string("vty", 4));
  CHECK(c.getprop(c.find("/"), "name") == std::vector<u8>{0});
  CHECK(c.call1("getprop", {0x7777, c.str("name"), b, 8}) == ERR);
}

TEST_CASE("VOF: every node has a unique phandle", "[vof]") {
  Client c;
  std::vector<u32> seen;
  for (int off = fdt_next_node(c.vof->fdt(), -1, nullptr); off >= 0; off = fdt_next_node(c.vof->fdt(), off, nullptr)) {
    u32 ph = fdt_get_phandle(c.vof->fdt(), off);
    CHECK(ph != 0);
    CHECK(std::find(seen.begin(), seen.end(), ph) == seen.end());
    seen.push_back(ph);
  }
  CHECK(seen.size() > 8);
}

TEST_CASE("VOF: nextprop walks a node's properties", "[vof]") {
  Client c;
  u32 chosen = c.find("/chosen");
  std::vector<std::string> names;
  u32 prev = c.str("");
  for (int i = 0; i < 50; ++i) {
    u32 out = c.buf(80);
    u32 rc = c.call1("nextprop", {chosen, prev, out});
    if (rc == 0) break;
    REQUIRE(rc == 1);
    names.push_back(c.read_str(out));
    prev = out;
  }
  CHECK(std::find(names.begin(), names.end(), "bootargs") != names.end());
  CHECK(std::find(names.begin(), names.end(), "stdout") != names.end());
  CHECK(std::find(names.begin(), names.end(), "ibm,architecture-vec-5") != names.end());
  int len = 0;
  int n = 0;
  int off;
  fdt_for_each_property_offset(off, c.vof->fdt(), fdt_path_offset(c.vof->fdt(), "/chosen")) ++n;
  (void)len;
  CHECK(names.size() == size_t(n));
  CHECK(c.call1("nextprop", {chosen, c.str("not-a-property"), c.buf(80)}) == ERR);
  CHECK(c.call1("nextprop", {0x7777, c.str(""), c.buf(80)}) == ERR);
}

TEST_CASE("VOF: setprop stores into the tree and tells the machine", "[vof]") {
  Client c;
  u32 chosen = c.find("/chosen");
  u32 val = c.str("/vdevice/vty@71000000");
  CHECK(c.call1("setprop", {chosen, c.str("linux,stdout-path"), val, 22}) == 22);
  auto back = c.getprop(chosen, "linux,stdout-path");
  CHECK(std::string(back.begin(), back.end() - 1) == "/vdevice/vty@71000000");
  CHECK(c.setprops == std::vector<std::string>{"/chosen:linux,stdout-path"});

  // Many properties grow the tree beyond its first buffer.
  std::vector<u8> big(4000, 0x5a);
  u32 bigp = c.buf(big.size());
  std::memcpy(&c.ram[bigp], big.data(), big.size());
  for (int i = 0; i < 40; ++i)
    REQUIRE(c.call1("setprop", {chosen, c.str("lpar,fill-" + std::to_string(i)), bigp, 4000}) == 4000);
  CHECK(c.getprop(chosen, "lpar,fill-39") == big);
  CHECK(fdt_check_full(c.vof->fdt(), c.vof->fdt_size()) == 0);

  CHECK(c.call1("setprop", {chosen, c.str("x"), bigp, 0x7fffffff}) == ERR);
  CHECK(c.call1("setprop", {chosen, c.str("x"), u32(RAM - 2), 16}) == ERR);
  CHECK(c.call1("setprop", {0x7777, c.str("x"), bigp, 4}) == ERR);
}

TEST_CASE("VOF: peer, child and parent walk the tree", "[vof]") {
  Client c;
  u32 root = c.call1("peer", {0});
  CHECK(root == c.find("/"));
  CHECK(c.call1("parent", {root}) == 0);
  CHECK(c.call1("peer", {root}) == 0);
  std::vector<std::string> kids;
  for (u32 n = c.call1("child", {root}); n; n = c.call1("peer", {n})) {
    CHECK(c.call1("parent", {n}) == root);
    auto nm = c.getprop(n, "name");
    kids.push_back(std::string(reinterpret_cast<char*>(nm.data())));
  }
  for (const char* k : {"chosen", "cpus", "memory", "rtas", "interrupt-controller", "vdevice"})
    CHECK(std::find(kids.begin(), kids.end(), k) != kids.end());
  CHECK(c.call1("child", {c.find("/chosen")}) == 0);
  CHECK(c.call1("child", {0x7777}) == 0);
}

TEST_CASE("VOF: open, instances and paths", "[vof]") {
  Client c;
  u32 root_ih = c.call1("open", {c.str("/")});
  REQUIRE(root_ih != ERR);
  CHECK(c.call1("instance-to-package", {root_ih}) == c.find("/"));
  CHECK(c.call1("open", {c.str("/no/such")}) == ERR);

  u32 out = c.buf(64);
  CHECK(c.call1("package-to-path", {c.find("/chosen"), out, 64}) == 7);
  CHECK(c.read_str(out) == "/chosen");
  u32 small = c.buf(8);
  CHECK(c.call1("package-to-path", {c.find("/vdevice/vty@71000000"), small, 4}) == 21);
  CHECK(std::string(reinterpret_cast<char*>(&c.ram[small]), 4) == "/vde");
  CHECK(c.ram[small + 4] == 0xee);

  auto so = c.getprop(c.find("/chosen"), "stdout");
  REQUIRE(so.size() == 4);
  u32 stdout_ih = u32(so[0]) << 24 | u32(so[1]) << 16 | u32(so[2]) << 8 | so[3];
  CHECK(stdout_ih == c.vof->stdout_ihandle());
  u32 p = c.buf(64);
  CHECK(c.call1("instance-to-path", {stdout_ih, p, 64}) == 21);
  CHECK(c.read_str(p) == "/vdevice/vty@71000000");
  CHECK(c.call1("instance-to-package", {stdout_ih}) == c.find("/vdevice/vty@71000000"));

  // Instances are bounded: a client opening forever gets -1, and closing frees.
  u32 path = c.str("/cpus");
  u32 last = 0;
  for (int i = 0; i < 5000 && last != ERR; ++i) last = c.call1("open", {path});
  CHECK(last == ERR);
  std::vector<u32> r;
  CHECK(c.call("close", {root_ih}, 0, &r) == 0);
  CHECK(c.call1("open", {path}) != ERR);
  CHECK(c.call1("instance-to-package", {root_ih}) == ERR);
  CHECK(c.call1("instance-to-path", {root_ih, p, 64}) == ERR);
}

TEST_CASE("VOF: write and read reach the console callbacks", "[vof]") {
  Client c;
  u32 ih = c.vof->stdout_ihandle();
  u32 msg = c.str("hello, world\n");
  CHECK(c.call1("write", {ih, msg, 13}) == 13);
  CHECK(c.console == "hello, world\n");
  std::string longmsg(1000, 'x');
  CHECK(c.call1("write", {ih, c.str(longmsg), 1000}) == 1000);
  CHECK(c.console.size() == 1013);
  u32 root_ih = c.call1("open", {c.str("/")});
  CHECK(c.call1("write", {root_ih, msg, 13}) == ERR);
  CHECK(c.call1("write", {0x4242, msg, 13}) == ERR);
  CHECK(c.call1("write", {ih, u32(RAM - 4), 13}) == ERR);
  CHECK(c.call1("write", {ih, msg, 0xffffffff}) == ERR);
  CHECK(c.console.size() == 1013);

  u32 in = c.buf(16);
  CHECK(c.call1("read", {ih, in, 16}) == 0);
  c.input.assign({'a', 'b'});
  CHECK(c.call1("read", {ih, in, 16}) == 2);
  CHECK(std::string(reinterpret_cast<char*>(&c.ram[in]), 2) == "ab");
  CHECK(c.call1("read", {ih, in, 16}) == 0);
  c.input.assign(1, 'z');
  CHECK(c.call1("read", {ih, u32(RAM), 16}) == ERR);
}

TEST_CASE("VOF: claim and release", "[vof]") {
  Client c;
  CHECK(c.call1("claim", {0x1000000, 0x10000, 0}) == 0x1000000);
  CHECK(c.call1("claim", {0x1008000, 0x10000, 0}) == ERR);   // overlaps
  CHECK(c.call1("claim", {0x0ff8000, 0x10000, 0}) == ERR);   // overlaps from below
  CHECK(c.call1("claim", {0x1010000, 0x1000, 0}) == 0x1010000);  // adjacent is fine
  CHECK(c.call1("claim", {u32(RAM - 0x1000), 0x2000, 0}) == ERR);  // past the end of RAM
  CHECK(c.call1("claim", {0x2000000, 0, 0}) == ERR);          // empty
  // Aligned claims ignore virt and take the lowest free aligned block.
  u32 a = c.call1("claim", {0x12345, 0x3000, 0x10000});
  REQUIRE(a != ERR);
  CHECK(a % 0x10000 == 0);
  CHECK(c.call1("claim", {a, 1, 0}) == ERR);
  u32 b = c.call1("claim", {0, 0x3000, 0x10000});
  CHECK(b == a + 0x10000);
  CHECK(c.call1("claim", {0, 0x1000, 0x3000}) == ERR);        // not a power of two
  CHECK(c.call1("claim", {0, u32(RAM), 0x1000}) == ERR);      // no room left that large

  // memory@0 "available" leaves out the claims.
  int mem0 = fdt_path_offset(c.vof->fdt(), "/memory@0");
  int len = 0;
  auto* av = static_cast<const fdt32_t*>(fdt_getprop(c.vof->fdt(), mem0, "available", &len));
  REQUIRE(av);
  REQUIRE(len % 16 == 0);
  u64 free_total = 0;
  for (int i = 0; i < len / 16; ++i) {
    u64 start = u64(fdt32_to_cpu(av[4 * i])) << 32 | fdt32_to_cpu(av[4 * i + 1]);
    u64 size = u64(fdt32_to_cpu(av[4 * i + 2])) << 32 | fdt32_to_cpu(av[4 * i + 3]);
    CHECK((start + size <= 0x1000000 || start >= 0x1011000));
    free_total += size;
  }
  CHECK(free_total == RAM - 0x10000 - 0x1000 - 0x3000 - 0x3000);

  std::vector<u32> r;
  CHECK(c.call("release", {0x1000000, 0x10000}, 1, &r) == 0);
  CHECK(r[0] == 0);
  CHECK(c.call("release", {0x1000000, 0x10000}, 1, &r) == 0);
  CHECK(r[0] == ERR);
  CHECK(c.call("release", {0x1010000, 0x800}, 0) == 0);  // not an exact claim: ignored
  CHECK(c.call1("claim", {0x1008000, 0x8000, 0}) == 0x1008000);

  // Claims are bounded too.
  u32 got = 0;
  for (u32 i = 0; i < 2000 && got != ERR; ++i) got = c.call1("claim", {0x2000000 + i, 1, 0});
  CHECK(got == ERR);
}

TEST_CASE("VOF: client-architecture-support negotiates hash, XICS and HPT resize", "[vof]") {
  Client c;
  u32 root = c.call1("open", {c.str("/")});
  u32 vec = put_arch_vec(c);
  u32 status = 0xffff;
  CHECK(c.method("ibm,client-architecture-support", root, vec, &status) == 0);
  CHECK(status == 0);
  REQUIRE(c.cas.size() == 1);
  const CasResult& r = c.cas[0];
  CHECK(r.ok);
  CHECK(r.pvr_listed);
  CHECK(r.compat_pvr == 0x0f000004);
  CHECK(r.isa_3_00);
  CHECK(r.hpt_resize);
  // FORM1 affinity and HPT resize; nothing lpar lacks (FORM2, DRCONF, HP_EVT).
  CHECK(c.getprop(c.find("/chosen"), "ibm,architecture-vec-5") == std::vector<u8>{5, 0, 0, 0, 0, 0x80, 0x01});

  // A refusing machine fails the call; the client sees a non-zero status.
  c.cas_accept = false;
  CHECK(c.method("ibm,client-architecture-support", root, vec, &status) == 0);
  CHECK(status != 0);

  // Only on the root, only with an open instance.
  u32 rtas = c.call1("open", {c.str("/rtas")});
  CHECK(c.method("ibm,client-architecture-support", rtas, vec, &status) == ERR);
  CHECK(c.method("ibm,client-architecture-support", 0x4242, vec, &status) == ERR);
}

TEST_CASE("VOF: client-architecture-support refusals and bad vectors", "[vof]") {
  Client c(isa::POWER9, false);
  u32 root = c.call1("open", {c.str("/")});
  u32 status = 0;
  // Without resize-hpt the client keeps its other options.
  CHECK(c.method("ibm,client-architecture-support", root, put_arch_vec(c), &status) == 0);
  CHECK(status == 0);
  REQUIRE(c.cas.size() == 1);
  CHECK_FALSE(c.cas[0].hpt_resize);
  CHECK(c.cas[0].compat_pvr == 0x0f000005);
  auto chosen = c.find("/chosen");
  CHECK(c.getprop(chosen, "ibm,architecture-vec-5") == std::vector<u8>{4, 0, 0, 0, 0, 0x80});

  // Radix-only or XIVE-only clients cannot be served.
  CHECK(c.method("ibm,client-architecture-support", root, put_arch_vec(c, 0x40), &status) == 0);
  CHECK(status != 0);
  CHECK(c.method("ibm,client-architecture-support", root, put_arch_vec(c, 0x00, 0x40), &status) == 0);
  CHECK(status != 0);
  CHECK(c.cas.size() == 1);
  CHECK(c.getprop(chosen, "ibm,architecture-vec-5") == std::vector<u8>{4, 0, 0, 0, 0, 0x80});

  // A vector running off the end of RAM, or a PVR list with no end.
  CHECK(c.method("ibm,client-architecture-support", root, u32(RAM - 8), &status) == 0);
  CHECK(status != 0);
  CHECK(c.method("ibm,client-architecture-support", root, 0xfffffff0, &status) == 0);
  CHECK(status != 0);
  u32 endless = c.buf(512 * 8 + 16);
  for (u32 i = 0; i < 513; ++i) c.put_be32(endless + 8 * i, 0xffff0000), c.put_be32(endless + 8 * i + 4, 0x004e0000);
  CHECK(c.method("ibm,client-architecture-support", root, endless, &status) == 0);
  CHECK(status != 0);
  CHECK(c.cas.size() == 1);

  std::string err;
  CHECK_FALSE(parse_cas_vectors(c.mem, endless, &err));
  CHECK(!err.empty());
}

TEST_CASE("VOF: instantiate-rtas writes the big-endian hcall blob", "[vof]") {
  Client c;
  u32 rtas = c.call1("open", {c.str("/rtas")});
  u32 entry = 0;
  CHECK(c.method("instantiate-rtas", rtas, 0x300000, &entry) == 0);
  CHECK(entry == 0x300000);
  const u32 blob[] = {0x7c641b78, 0x38600000, 0x6063f000, 0x44000022, 0x4e800020};
  for (int i = 0; i < 5; ++i) CHECK(c.be32(0x300000 + 4 * i) == blob[i]);
  CHECK(c.method("instantiate-rtas", rtas, u32(RAM - 8), &entry) == ERR);
  u32 root = c.call1("open", {c.str("/")});
  CHECK(c.method("instantiate-rtas", root, 0x300000, &entry) == ERR);
  CHECK(c.method("no-such-method", rtas, 0x300000, &entry) == ERR);
}

TEST_CASE("VOF: interpret, milliseconds, quiesce and exit", "[vof]") {
  Client c;
  CHECK(c.call1("interpret", {c.str("1 2 + .")}) == ERR);
  CHECK(c.call1("milliseconds", {}) == 1234);
  size_t before = c.vof->fdt_size();
  CHECK(c.call("quiesce", {}, 0) == 0);
  CHECK(c.quiesces == 1);
  CHECK(c.vof->quiesced());
  CHECK(c.vof->fdt_size() < before);
  CHECK(fdt_check_full(c.vof->fdt(), c.vof->fdt_size()) == 0);
  // The packed tree still serves and still grows.
  u32 chosen = c.find("/chosen");
  CHECK(c.call1("setprop", {chosen, c.str("linux,x"), c.str("abc"), 4}) == 4);
  CHECK(c.call("exit", {}, 0) == 0);
  CHECK(c.exits == 1);
}

TEST_CASE("VOF: malformed calls fail without touching the host", "[vof]") {
  Client c;
  // The block itself outside RAM, or a service name that is.
  CHECK(c.vof->handle_client_call(c.mem, RAM - 4) == u64(-1));
  CHECK(c.vof->handle_client_call(c.mem, u64(1) << 40) == u64(-1));
  c.put_be32(ARGS, u32(RAM - 1));
  c.put_be32(ARGS + 4, 0);
  c.put_be32(ARGS + 8, 1);
  c.ram[RAM - 1] = 'x';  // no NUL before the end of RAM
  CHECK(c.vof->handle_client_call(c.mem, ARGS) == u64(-1));
  // Too many cells, unknown services, wrong argument counts.
  c.put_be32(ARGS, c.str("finddevice"));
  c.put_be32(ARGS + 4, 11);
  CHECK(c.vof->handle_client_call(c.mem, ARGS) == u64(-1));
  c.put_be32(ARGS + 4, 5);
  c.put_be32(ARGS + 8, 6);
  CHECK(c.vof->handle_client_call(c.mem, ARGS) == u64(-1));
  std::vector<u32> r;
  CHECK(c.call("frobnicate", {1, 2}, 1, &r) == u64(-1));
  CHECK(r[0] == ERR);
  CHECK(c.call("finddevice", {c.str("/chosen"), 0}, 1, &r) == u64(-1));
  CHECK(c.call("getprop", {c.find("/chosen"), c.str("bootargs"), u32(RAM - 4), 64}, 1, &r) == 0);
  CHECK(r[0] == ERR);
  CHECK(c.call1("finddevice", {u32(RAM + 16)}) == ERR);
  std::string longname(300, 'a');
  CHECK(c.call1("finddevice", {c.str("/" + longname)}) == ERR);
  CHECK(c.call1("getproplen", {c.find("/chosen"), c.str(std::string(100, 'p'))}) == ERR);
  // The return cells themselves past the end of RAM.
  u64 tail = RAM - 16;
  c.put_be32(tail, c.str("milliseconds"));
  c.put_be32(tail + 4, 0);
  c.put_be32(tail + 8, 2);
  CHECK(c.vof->handle_client_call(c.mem, tail) == u64(-1));

  // Random cells for every service: any outcome but a crash.
  std::mt19937 rng(1234);
  const char* services[] = {"finddevice", "getprop", "getproplen", "nextprop", "setprop", "peer", "child", "parent",
                            "open", "close", "instance-to-package", "package-to-path", "instance-to-path", "write",
                            "read", "claim", "release", "call-method", "interpret", "milliseconds"};
  u32 names[std::size(services)];
  for (size_t i = 0; i < std::size(services); ++i) names[i] = c.str(services[i]);
  auto pick = [&]() -> u32 {
    switch (rng() % 6) {
      case 0: return rng();
      case 1: return u32(RAM - (rng() % 64));
      case 2: return SCRATCH + rng() % 0x1000;
      case 3: return rng() % 64;
      case 4: return 0xffffffff;
      default: return 0x1111 + rng() % 40;
    }
  };
  for (int i = 0; i < 20000; ++i) {
    c.put_be32(ARGS, names[rng() % std::size(services)]);
    u32 nargs = rng() % 8, nret = rng() % 4;
    c.put_be32(ARGS + 4, nargs);
    c.put_be32(ARGS + 8, nret);
    for (u32 k = 0; k < nargs; ++k) c.put_be32(ARGS + 12 + 4 * k, pick());
    (void)c.vof->handle_client_call(c.mem, ARGS);
  }
  CHECK(fdt_check_full(c.vof->fdt(), c.vof->fdt_size()) == 0);
  CHECK(c.find("/chosen") != ERR);
}

TEST_CASE("VOF: boot entry state, client stub and initial claims", "[vof]") {
  Client c;
  VofBootParams p;
  p.kernel_entry = 0x400000;
  p.kernel_addr = 0x400000;
  p.kernel_size = 0x1000000;
  p.initrd_addr = 0x1800000;
  p.initrd_size = 0x200000;
  auto s = prepare_vof_boot(*c.vof, c.mem, p);
  REQUIRE(s);
  CHECK(s->nia == 0x400000);
  CHECK(s->msr == (u64{1} << 12));
  CHECK(s->r1 == 0x10000 - 0x20);
  CHECK(s->r3 == 0x1800000);
  CHECK(s->r4 == 0x200000);
  CHECK(s->r5 == VOF_STUB_ADDR);
  const u32 stub[] = {0x7c641b78, 0x38600000, 0x6063f005, 0x44000022, 0x4e800020};
  for (int i = 0; i < 5; ++i) CHECK(c.be32(VOF_STUB_ADDR + 4 * i) == stub[i]);
  // Firmware page, stack, kernel and initrd are taken.
  for (u32 at : {0x0u, 0x8000u, 0x400000u, 0x13ff000u, 0x1900000u}) CHECK(c.call1("claim", {at, 0x1000, 0}) == ERR);
  CHECK(c.call1("claim", {0x1a00000, 0x1000, 0}) == 0x1a00000);

  // Out-of-RAM kernels are refused.
  Client d;
  p.kernel_addr = RAM - 0x1000;
  CHECK_FALSE(prepare_vof_boot(*d.vof, d.mem, p));
}

TEST_CASE("VOF: a tree that is not a tree is refused", "[vof]") {
  std::vector<u8> junk(64, 0x42);
  VofConfig vc;
  vc.ram_size = RAM;
  Vof v(junk, vc);
  CHECK_FALSE(v.ok());
  Vof e(std::span<const u8>{}, vc);
  CHECK_FALSE(e.ok());
}
