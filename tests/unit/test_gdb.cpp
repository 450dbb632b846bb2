// GDB remote stub: packet framing, endpoint parsing, the command set against
// a fake target and against a real lpar-user process, a socket round trip,
// and a fuzz loop of random and mutated packets.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "cpu/memory.h"
#include "gdb/machine_target.h"
#include "gdb/packet.h"
#include "gdb/power_arch.h"
#include "gdb/server.h"
#include "gdb/session.h"
#include "gdb/user_target.h"
#include "mmu/hpt.h"
#include "mmu/slb.h"
#include "user/process.h"

// GCC 12 reports -Wrestrict false positives on inlined std::string
// concatenation (GCC bug 105651).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

using namespace lpar;
using namespace lpar::gdb;

namespace {

// A target with 4 KiB of memory at 0x1000 and a plain register array.
struct FakeTarget : GdbTarget {
  std::vector<u128> regs = std::vector<u128>(power::NUM_REGS, 0);
  std::vector<uint8_t> mem = std::vector<uint8_t>(0x1000, 0);
  bool be = false;
  int slices_to_stop = -1;
  int resumes = 0, last_step = -1, last_sig = -1;
  bool detached = false, killed = false;
  std::vector<std::pair<BpType, u64>> bps;
  size_t max_mem_request = 0;

  const ArchDesc& arch() const override { return power::arch64(); }
  bool big_endian() const override { return be; }
  std::vector<int> threads() const override { return {1, 2}; }
  bool read_register(int th, unsigned n, u128& v) override {
    REQUIRE(n < regs.size());
    REQUIRE((th == 1 || th == 2));
    v = regs[n];
    return true;
  }
  bool write_register(int th, unsigned n, u128 v) override {
    REQUIRE(n < regs.size());
    const unsigned bits = arch().regs[n].bits;
    REQUIRE((bits == 128 || (v >> bits) == 0));
    regs[n] = v;
    return true;
  }
  size_t read_memory(int, u64 a, uint8_t* buf, size_t len) override {
    max_mem_request = std::max(max_mem_request, len);
    size_t n = 0;
    for (; n < len && a + n >= 0x1000 && a + n < 0x2000 && a + n >= a; ++n) buf[n] = mem[a + n - 0x1000];
    return n;
  }
  size_t write_memory(int, u64 a, const uint8_t* buf, size_t len) override {
    max_mem_request = std::max(max_mem_request, len);
    if (a < 0x1000 || a + len > 0x2000 || a + len < a) return 0;
    std::memcpy(&mem[a - 0x1000], buf, len);
    return len;
  }
  bool insert_breakpoint(BpType t, u64 a, u64 len) override {
    if (len > 64) return false;
    bps.emplace_back(t, a);
    return true;
  }
  bool remove_breakpoint(BpType t, u64 a, u64) override {
    for (auto it = bps.begin(); it != bps.end(); ++it)
      if (it->first == t && it->second == a) {
        bps.erase(it);
        return true;
      }
    return false;
  }
  void resume(int step, int sig) override {
    ++resumes;
    last_step = step;
    last_sig = sig;
    slices_to_stop = step ? 0 : 2;
  }
  StopEvent run_slice() override {
    if (slices_to_stop-- > 0) return StopEvent{StopEvent::Running};
    StopEvent ev;
    ev.kind = last_step ? StopEvent::Signal : StopEvent::SwBreak;
    ev.thread = last_step > 0 ? last_step : 1;
    return ev;
  }
  StopEvent interrupt() override {
    StopEvent ev;
    ev.signal = 2;
    return ev;
  }
  void detach() override { detached = true; }
  void kill() override { killed = true; }
  std::string monitor(const std::string& c) override { return c == "help" ? "fake help\n" : ""; }
};

// Collects what the session sends; packets() splits it back into payloads.
struct Wire {
  std::string out;
  GdbSession::Sender sender() {
    return [this](std::string_view s) { out += s; };
  }
  // Payloads of the complete packets sent since the last call, checksums verified.
  std::vector<std::string> packets() {
    std::vector<std::string> r;
    PacketReader rd;
    for (char c : out) {
      const auto ev = rd.feed(c);
      REQUIRE(ev != PacketReader::Event::BadChecksum);
      if (ev == PacketReader::Event::Packet) r.push_back(*unescape_binary(rd.payload()));
    }
    out.clear();
    return r;
  }
  std::string last() {
    auto p = packets();
    REQUIRE(!p.empty());
    return p.back();
  }
};

std::string ask(GdbSession& s, Wire& w, const std::string& payload) {
  s.feed(frame(payload));
  return w.last();
}

std::string hex_of(const std::string& s) { return to_hex(s); }

std::string acked(const std::string& f) {
  std::string r(1, '+');
  r.append(f);
  return r;
}

}  // namespace

TEST_CASE("gdb packet framing and checksums", "[gdb]") {
  CHECK(checksum("OK") == 0x9a);
  CHECK(frame("OK") == "$OK#9a");
  CHECK(frame("") == "$#00");
  CHECK(frame("a#b") == "$a}\x03" "b#43");
  CHECK(escape_binary("}$*#x") == "}]}\x04}\x0a}\x03x");
  CHECK(*unescape_binary("}]}\x04x") == "}$x");
  CHECK_FALSE(unescape_binary("ab}").has_value());
  std::vector<uint8_t> b;
  CHECK(from_hex("00ff7A", b));
  CHECK(b == std::vector<uint8_t>{0x00, 0xff, 0x7a});
  CHECK_FALSE(from_hex("0", b));
  CHECK_FALSE(from_hex("zz", b));
  u64 v;
  CHECK(parse_hex_u64("ffffffffffffffff", v));
  CHECK(v == ~u64{0});
  CHECK_FALSE(parse_hex_u64("1ffffffffffffffff", v));
  CHECK_FALSE(parse_hex_u64("", v));
  CHECK_FALSE(parse_hex_u64("-1", v));
}

TEST_CASE("gdb packet reader: packets, acks, interrupt, bad checksum, overflow", "[gdb]") {
  PacketReader r;
  using E = PacketReader::Event;
  auto feed = [&](std::string_view s) {
    std::vector<E> evs;
    for (char c : s)
      if (auto e = r.feed(c); e != E::None) evs.push_back(e);
    return evs;
  };
  CHECK(feed("$g#67") == std::vector<E>{E::Packet});
  CHECK(r.payload() == "g");
  CHECK(feed("+-\x03") == std::vector<E>{E::Ack, E::Nack, E::Interrupt});
  CHECK(feed("$g#68") == std::vector<E>{E::BadChecksum});
  CHECK(feed("$g#zz") == std::vector<E>{E::BadChecksum});
  CHECK(feed("junk$m0,1#fa") == std::vector<E>{E::Packet});  // noise before '$' is skipped
  CHECK(r.payload() == "m0,1");
  CHECK(feed("$m0$g#67") == std::vector<E>{E::Packet});  // a '$' restarts a truncated packet
  CHECK(r.payload() == "g");
  std::string big(MAX_PACKET + 10, 'a');
  CHECK(feed(frame(big)) == std::vector<E>{E::TooLong});
  CHECK(feed("$?#3f") == std::vector<E>{E::Packet});
}

TEST_CASE("gdb endpoint specs as qemu spells them", "[gdb]") {
  auto ep = parse_endpoint("tcp::1234");
  REQUIRE(ep);
  CHECK(ep->host == "127.0.0.1");
  CHECK(ep->port == 1234);
  ep = parse_endpoint("tcp:0.0.0.0:4321");
  REQUIRE(ep);
  CHECK(ep->host == "0.0.0.0");
  CHECK(ep->port == 4321);
  ep = parse_endpoint("5555");
  REQUIRE(ep);
  CHECK(ep->host == "127.0.0.1");
  CHECK(ep->port == 5555);
  ep = parse_endpoint("-s");
  REQUIRE(ep);
  CHECK(ep->port == 1234);
  ep = parse_endpoint("localhost:77,server,nowait");
  REQUIRE(ep);
  CHECK(ep->host == "localhost");
  CHECK(ep->port == 77);
  CHECK_FALSE(parse_endpoint("tcp::abc"));
  CHECK_FALSE(parse_endpoint("99999"));
  CHECK_FALSE(parse_endpoint(""));
  CHECK_FALSE(parse_endpoint("tcp:host:"));
}

TEST_CASE("gdb target description has gdb's powerpc features", "[gdb]") {
  const ArchDesc& a = power::arch64();
  CHECK(a.xml.find("<architecture>powerpc:common64</architecture>") != std::string::npos);
  for (const char* f : {"org.gnu.gdb.power.core", "org.gnu.gdb.power.fpu", "org.gnu.gdb.power.altivec",
                        "org.gnu.gdb.power.vsx", "org.lpar.power.priv"})
    CHECK(a.xml.find(f) != std::string::npos);
  CHECK(a.regs[power::PC].name == "pc");
  CHECK(a.regs[power::CR].bits == 32);
  CHECK(a.regs[power::VR0 + 31].name == "vr31");
  CHECK(a.regs[power::VS0H + 5].name == "vs5h");
  CHECK(a.regs[power::HDEC].name == "hdec");
  CHECK(a.xml.find("name=\"sprg3\"") != std::string::npos);
}

TEST_CASE("gdb session: queries, registers, memory, breakpoints, run control", "[gdb]") {
  FakeTarget t;
  Wire w;
  GdbSession s(t, w.sender());

  s.feed(frame("qSupported:multiprocess+;swbreak+"));
  CHECK(w.out.substr(0, 1) == "+");
  const std::string sup = w.last();
  CHECK(sup.find("PacketSize=4000") != std::string::npos);
  CHECK(sup.find("qXfer:features:read+") != std::string::npos);
  CHECK(sup.find("vContSupported+") != std::string::npos);

  // target.xml in small pieces reassembles exactly.
  std::string xml;
  for (u64 off = 0;;) {
    const std::string r = ask(s, w, fmt::format("qXfer:features:read:target.xml:{:x},{:x}", off, 100));
    REQUIRE(!r.empty());
    xml += r.substr(1);
    off += r.size() - 1;
    if (r[0] == 'l') break;
    REQUIRE(r[0] == 'm');
  }
  CHECK(xml == power::arch64().xml);
  CHECK(ask(s, w, "qXfer:features:read:other.xml:0,100") == "E00");

  CHECK(ask(s, w, "?") == "T05thread:1;");
  CHECK(ask(s, w, "qfThreadInfo") == "m1,2");
  CHECK(ask(s, w, "qsThreadInfo") == "l");
  CHECK(ask(s, w, "qC") == "QC1");
  CHECK(ask(s, w, "qAttached") == "1");
  CHECK(ask(s, w, "T2") == "OK");
  CHECK(ask(s, w, "T3") == "E01");
  CHECK(ask(s, w, "Hg3") == "E01");
  CHECK(ask(s, w, "vMustReplyEmpty") == "");
  CHECK(ask(s, w, "vCont?") == "vCont;c;C;s;S");

  // Registers in the guest's byte order.
  t.regs[1] = 0x0102030405060708ull;
  t.regs[power::CR] = 0x11223344;
  std::string g = ask(s, w, "g");
  CHECK(g.size() == (64 * 8 + 5 * 8 + 2 * 4) * 2);  // r, f; pc msr lr ctr fpscr (8); cr xer (4)
  CHECK(g.substr(16, 16) == "0807060504030201");
  CHECK(ask(s, w, "p1") == "0807060504030201");
  CHECK(ask(s, w, "p42") == "44332211");
  t.be = true;
  CHECK(ask(s, w, "p1") == "0102030405060708");
  CHECK(ask(s, w, fmt::format("p{:x}", power::VR0)) == std::string(32, '0'));
  CHECK(ask(s, w, "P2=1122334455667788") == "OK");
  CHECK(t.regs[2] == 0x1122334455667788ull);
  t.be = false;
  CHECK(ask(s, w, "P2=1122334455667788") == "OK");
  CHECK(t.regs[2] == 0x8877665544332211ull);
  CHECK(ask(s, w, "P2=11") == "E01");
  CHECK(ask(s, w, "P2=zz22334455667788") == "E01");
  CHECK(ask(s, w, "p9999") == "E01");
  CHECK(ask(s, w, "pfffffffffffffffff") == "E01");
  g[0] = 'a';
  CHECK(ask(s, w, "G" + g) == "OK");
  CHECK(t.regs[0] == 0xa0);
  CHECK(ask(s, w, "G" + g.substr(0, 5)) == "E01");

  // Memory.
  CHECK(ask(s, w, "M1000,4:deadbeef") == "OK");
  CHECK(ask(s, w, "m1000,4") == "deadbeef");
  CHECK(ask(s, w, "m1ffe,4") == "0000");  // short read at the end of memory
  CHECK(ask(s, w, "m0,4") == "E14");
  CHECK(ask(s, w, "M0,1:00") == "E14");
  CHECK(ask(s, w, "M1000,4:dead") == "E01");
  CHECK(ask(s, w, "m1000") == "E01");
  // Binary data arrives escaped by the client: frame it by hand.
  const std::string xpkt = "X1004,3:a}\x03" "b";
  s.feed("$" + xpkt + "#" + to_hex(std::string(1, static_cast<char>(checksum(xpkt)))));
  CHECK(w.last() == "OK");
  CHECK(t.mem[4] == 'a');
  CHECK(t.mem[5] == '#');
  CHECK(ask(s, w, "X1004,0:") == "OK");
  CHECK(ask(s, w, "X1004,5:ab") == "E01");
  // A huge length is capped, never allocated.
  const std::string big = ask(s, w, "m1000,ffffffffffffffff");
  CHECK(big.size() <= PACKET_SIZE);
  CHECK(t.max_mem_request <= PACKET_SIZE);

  // Breakpoints and watchpoints.
  CHECK(ask(s, w, "Z0,1000,4") == "OK");
  CHECK(ask(s, w, "Z4,1008,8") == "OK");
  CHECK(ask(s, w, "Z2,1008,1000") == "E22");
  CHECK(ask(s, w, "Z7,1008,8") == "");
  CHECK(ask(s, w, "Z0,zz,4") == "E01");
  REQUIRE(t.bps.size() == 2);
  CHECK(ask(s, w, "z0,1000,4") == "OK");
  CHECK(ask(s, w, "z0,1000,4") == "E22");

  // Continue: the stop reply comes when the target stops.
  s.feed(frame("c"));
  w.packets();
  CHECK(s.running());
  s.run_slice();
  s.run_slice();
  CHECK(w.packets().empty());
  s.run_slice();
  CHECK(w.last() == "T05thread:1;swbreak:;");
  CHECK_FALSE(s.running());

  // ^C while running.
  s.feed(frame("vCont;c"));
  w.packets();
  s.feed("\x03");
  CHECK(w.last() == "T02thread:1;");

  // Step with an address and a signal (gdb SIGSEGV 11 -> Linux 11; gdb SIGUSR1 30 -> Linux 10).
  s.feed(frame("S1e;2000"));
  CHECK(t.last_sig == 10);
  CHECK(t.last_step == 1);
  CHECK(t.regs[power::PC] == 0x2000);
  s.run_slice();
  CHECK(w.last() == "T05thread:1;");
  s.feed(frame("vCont;s:2;c"));
  CHECK(t.last_step == 2);
  s.run_slice();
  CHECK(w.last() == "T05thread:2;");
  CHECK(ask(s, w, "vCont;x") == "E01");
  CHECK(ask(s, w, "vCont;s:9") == "E01");

  CHECK(ask(s, w, "qRcmd," + hex_of("help")) == hex_of("fake help\n"));
  CHECK(ask(s, w, "qRcmd,zz") == "E01");
  CHECK(ask(s, w, "qOffsets") == "");

  // Retransmission on '-', no-ack mode.
  w.out.clear();
  s.feed("-");
  CHECK(w.out == frame(""));
  s.feed("$g#00");
  CHECK(w.out.back() == '-');
  w.out.clear();
  s.feed(frame("QStartNoAckMode"));
  CHECK(w.out == "+" + frame("OK"));
  w.out.clear();
  s.feed(frame("?"));
  CHECK(w.out == frame("T05thread:2;"));

  w.out.clear();
  s.feed(frame("D"));
  CHECK(w.out == frame("OK"));
  CHECK(t.detached);
  CHECK(s.finished());
}

TEST_CASE("gdb session: kill and client disconnect", "[gdb]") {
  FakeTarget t;
  Wire w;
  {
    GdbSession s(t, w.sender());
    s.feed(frame("k"));
    CHECK(t.killed);
    CHECK(s.finished());
    CHECK(s.killed());
  }
  FakeTarget t2;
  GdbSession s2(t2, w.sender());
  s2.feed("$m1000,");  // the client vanishes mid-packet
  s2.client_gone();
  CHECK(t2.detached);
  CHECK(s2.finished());
}

TEST_CASE("gdb session fuzz: random and mutated packets never crash", "[gdb]") {
  std::mt19937_64 rng(12345);
  const std::vector<std::string> seeds = {
      "g", "G" + std::string(1120, '0'), "p40", "p47", "P1=0011223344556677", "P47=" + std::string(32, 'f'),
      "m1000,10", "m1ff0,100", "M1000,4:01020304", "X1000,2:ab", "Z0,1000,4", "z0,1000,4", "Z2,1008,8",
      "Z3,1008,4", "z2,1008,8", "vCont;s:1", "vCont;c", "vCont;S05:2;c", "vCont?",
      "qXfer:features:read:target.xml:0,fff", "qXfer:features:read:target.xml:ffffffff,10", "qRcmd,68656c70",
      "Hg1", "Hc-1", "Hg0", "T1", "qfThreadInfo", "qsThreadInfo", "qC", "qAttached", "qSupported:xmlRegisters=i386",
      "c", "c1000", "C0b", "s", "S05;1004", "?", "QStartNoAckMode", "vMustReplyEmpty", "D", "k", "vKill;1",
      "mffffffffffffffff,ffffffffffffffff", "Mffffffffffffff00,ff:00", "Z1,ffffffffffffffff,4"};
  auto mutate = [&](std::string p) {
    const int n = static_cast<int>(rng() % 4);
    for (int i = 0; i < n; ++i) {
      const size_t pos = p.empty() ? 0 : rng() % (p.size() + 1);
      switch (rng() % 6) {
        case 0:
          if (pos < p.size()) p[pos] = static_cast<char>(rng());
          break;
        case 1:
          p.insert(pos, 1, "0123456789abcdef,:;=-xX}#$"[rng() % 26]);
          break;
        case 2:
          if (pos < p.size()) p.erase(pos, 1 + rng() % 4);
          break;
        case 3:
          p = p.substr(0, pos);
          break;
        case 4:
          p.insert(pos, std::string(rng() % 40, static_cast<char>('0' + rng() % 10)));
          break;
        default:
          p.insert(pos, "ffffffffffffffffff");
      }
    }
    return p;
  };
  unsigned packets = 0, sessions = 0;
  while (packets < 120000) {
    FakeTarget t;
    Wire w;
    GdbSession s(t, w.sender());
    ++sessions;
    for (int k = 0; k < 2000 && !s.finished(); ++k, ++packets) {
      std::string p = seeds[rng() % seeds.size()];
      if (rng() % 4) p = mutate(p);
      if ((p == "D" || p == "k" || p.starts_with("vKill")) && rng() % 8) p.assign(1, '?');
      const unsigned mode = rng() % 20;
      if (mode == 0) {
        std::string junk(rng() % 64, 0);
        for (char& c : junk) c = static_cast<char>(rng());
        s.feed(junk);
      } else if (mode == 1) {
        std::string f = frame(p);
        f[f.size() - 1] ^= 1;  // bad checksum
        s.feed(f);
      } else if (mode == 2) {
        s.feed(frame(p).substr(0, rng() % (p.size() + 4)));  // truncated
      } else {
        s.feed(frame(p));
      }
      if (rng() % 10 == 0) s.feed("\x03");
      if (s.running()) s.run_slice();
      if (w.out.size() > 100000) w.out.clear();
      CHECK(t.max_mem_request <= MAX_PACKET);
    }
    w.packets();  // everything sent is acks or packets with good checksums
  }
  CHECK(packets >= 100000);
  CHECK(sessions >= 1);
}

namespace {

// A tiny little-endian ELFv2 executable: one RWX segment at 0x10000000.
std::vector<u8> tiny_elf(const std::vector<u32>& code, bool be = false) {
  const u64 base = 0x10000000;
  std::vector<u8> f(0x1000 + code.size() * 4, 0);
  auto put = [&](size_t off, auto v) {
    if (be) v = bswap(v);
    std::memcpy(&f[off], &v, sizeof v);
  };
  std::memcpy(f.data(), "\x7f" "ELF", 4);
  f[4] = 2;  // 64-bit
  f[5] = be ? 2 : 1;
  f[6] = 1;
  put(16, u16{2});   // ET_EXEC
  put(18, u16{21});  // EM_PPC64
  put(20, u32{1});
  put(24, base);     // entry
  put(32, u64{64});  // phoff
  put(48, u32{2});   // ELFv2
  put(52, u16{64});
  put(54, u16{56});
  put(56, u16{1});
  put(64, u32{1});   // PT_LOAD
  put(68, u32{7});   // RWX
  put(72, u64{0x1000});
  put(80, base);
  put(88, base);
  put(96, u64{code.size() * 4});
  put(104, u64{0x2000});
  put(112, u64{0x1000});
  for (size_t i = 0; i < code.size(); ++i) put(0x1000 + 4 * i, code[i]);
  return f;
}

u32 d_form(unsigned op, unsigned rt, unsigned ra, int d) {
  return (op << 26) | (rt << 21) | (ra << 16) | (static_cast<u32>(d) & 0xffff);
}

std::string run_to_stop(GdbSession& s, Wire& w) {
  for (int i = 0; i < 1000 && s.running(); ++i) s.run_slice();
  return w.last();
}

}  // namespace

TEST_CASE("gdb against lpar-user: breakpoints, step, watchpoints, exit", "[gdb]") {
  // 0: lis r4,0x1000; ori r4,r4,0x1800; li r3,0
  // c: addi r3,r3,1; stw r3,0(r4); lwz r5,8(r4); cmpwi r3,5; bne 0xc
  // 20: li r0,1; sc  (exit(r3))
  const std::vector<u32> code = {d_form(15, 4, 0, 0x1000), d_form(24, 4, 4, 0x1800), d_form(14, 3, 0, 0),
                                 d_form(14, 3, 3, 1),      d_form(36, 3, 4, 0),      d_form(32, 5, 4, 8),
                                 d_form(11, 0, 3, 5),      (16u << 26) | (4u << 21) | (2u << 16) | 0xfff0,
                                 d_form(14, 0, 0, 1),      0x44000002};
  const auto elf = tiny_elf(code);
  user::Process p;
  std::string err;
  REQUIRE(p.load_image(elf, "/tmp/tiny", {"tiny"}, {}, err));
  UserTarget t(p);
  Wire w;
  GdbSession s(t, w.sender());

  CHECK(ask(s, w, "p40") == "0000001000000000");  // pc 0x10000000, little-endian
  // VR0 as a 128-bit value in guest byte order; vs0h is doubleword 1 of VSR0.
  p.s.vsr[32].q = (u128{0x0001020304050607} << 64) | 0x08090a0b0c0d0e0f;
  CHECK(ask(s, w, "p47") == "0f0e0d0c0b0a09080706050403020100");
  p.s.vsr[0].dw[0] = 0x1122334455667788;
  p.s.vsr[0].dw[1] = 0x3ff8000000000000;  // f0 = 1.5
  CHECK(ask(s, w, "p69") == "8877665544332211");
  CHECK(ask(s, w, "p20") == "000000000000f83f");
  CHECK(ask(s, w, "p89") == "0000000000000000");  // srr0: no supervisor state in user mode
  CHECK(ask(s, w, "m10000000,4") == "0010803c");  // lis r4,0x1000 in memory order
  CHECK(ask(s, w, "Z0,10000010,4") == "OK");
  s.feed(frame("c"));
  CHECK(run_to_stop(s, w) == "T05thread:1;swbreak:;");
  CHECK(p.s.nip == 0x10000010);
  CHECK(p.s.gpr[3] == 1);
  s.feed(frame("c"));  // resuming from the breakpoint does not re-hit it at once
  CHECK(run_to_stop(s, w) == "T05thread:1;swbreak:;");
  CHECK(p.s.gpr[3] == 2);
  CHECK(ask(s, w, "z0,10000010,4") == "OK");
  s.feed(frame("vCont;s:1;c"));
  CHECK(run_to_stop(s, w) == "T05thread:1;");
  CHECK(p.s.nip == 0x10000014);
  CHECK(ask(s, w, "m10001800,4") == "02000000");

  // Registers through the protocol: r3 written, read back.
  CHECK(ask(s, w, "P3=0200000000000000") == "OK");
  CHECK(ask(s, w, "p3") == "0200000000000000");

  CHECK(ask(s, w, "Z2,10001800,4") == "OK");
  s.feed(frame("c"));
  CHECK(run_to_stop(s, w) == "T05thread:1;watch:10001800;");
  CHECK(p.s.nip == 0x10000014);  // stopped after the store
  CHECK(ask(s, w, "m10001800,4") == "03000000");
  CHECK(ask(s, w, "z2,10001800,4") == "OK");

  CHECK(ask(s, w, "Z3,10001808,4") == "OK");
  s.feed(frame("c"));
  CHECK(run_to_stop(s, w) == "T05thread:1;rwatch:10001808;");
  CHECK(p.s.nip == 0x10000018);
  CHECK(ask(s, w, "z3,10001808,4") == "OK");

  // Memory writes reach the guest (and its pre-decoded code): patch the
  // loop bound "cmpwi r3,5" into "cmpwi r3,7".
  CHECK(ask(s, w, "M10000018,4:07000328") == "OK");
  CHECK(ask(s, w, "qRcmd," + hex_of("help")).size() > 20);
  s.feed(frame("c"));
  CHECK(run_to_stop(s, w) == "W07");
  CHECK(s.finished());
  CHECK(p.ended());
}

TEST_CASE("gdb server over a real socket", "[gdb]") {
  FakeTarget t;
  GdbServer srv;
  std::string err;
  REQUIRE(srv.listen(Endpoint{"127.0.0.1", 0}, err));
  REQUIRE(srv.port() > 0);
  std::thread th([&] { srv.serve(t); });
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<uint16_t>(srv.port()));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
  auto xfer = [&](const std::string& payload) {
    const std::string f = frame(payload);
    REQUIRE(::send(fd, f.data(), f.size(), 0) == static_cast<ssize_t>(f.size()));
    std::string got;
    char buf[512];
    while (got.find('#') == std::string::npos || got.size() < got.find('#') + 3) {
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      REQUIRE(n > 0);
      got.append(buf, static_cast<size_t>(n));
    }
    return got;
  };
  CHECK(xfer("?") == acked(frame("T05thread:1;")));
  CHECK(xfer("m1000,2") == acked(frame("0000")));
  CHECK(xfer("D") == acked(frame("OK")));
  th.join();
  ::close(fd);
  CHECK(t.detached);

  // A client that connects and drops at once detaches the target.
  FakeTarget t2;
  GdbServer srv2;
  REQUIRE(srv2.listen(Endpoint{"127.0.0.1", 0}, err));
  std::thread th2([&] { srv2.serve(t2); });
  const int fd2 = ::socket(AF_INET, SOCK_STREAM, 0);
  sa.sin_port = htons(static_cast<uint16_t>(srv2.port()));
  REQUIRE(::connect(fd2, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0);
  const std::string half = "$m1000,";
  ::send(fd2, half.data(), half.size(), 0);
  ::close(fd2);
  th2.join();
  CHECK(t2.detached);
}

TEST_CASE("gdb against a big-endian lpar-user guest", "[gdb]") {
  // li r3,9; addi r3,r3,1; li r0,1; sc  -> exit(10)
  const std::vector<u32> code = {d_form(14, 3, 0, 9), d_form(14, 3, 3, 1), d_form(14, 0, 0, 1), 0x44000002};
  const auto elf = tiny_elf(code, true);
  user::Process p;
  std::string err;
  REQUIRE(p.load_image(elf, "/tmp/tiny-be", {"tiny-be"}, {}, err));
  UserTarget t(p);
  REQUIRE(t.big_endian());
  Wire w;
  GdbSession s(t, w.sender());
  CHECK(ask(s, w, "p40") == "0000000010000000");  // pc in big-endian byte order
  CHECK(ask(s, w, "m10000000,4") == "38600009");  // li r3,9 in memory order
  CHECK(ask(s, w, "Z1,10000008,4") == "OK");
  s.feed(frame("c"));
  CHECK(run_to_stop(s, w) == "T05thread:1;hwbreak:;");
  CHECK(ask(s, w, "p3") == "000000000000000a");
  CHECK(ask(s, w, "P3=0000000000000020") == "OK");
  CHECK(ask(s, w, "z1,10000008,4") == "OK");
  s.feed(frame("c"));
  CHECK(run_to_stop(s, w) == "W20");
}

// --- The machine target (src/gdb/machine_target.h) over a bare machine.
namespace {

// A bare machine (POWER8, 1 MiB) with big-endian code at real address 0,
// where it starts in hypervisor real mode.
std::unique_ptr<machine::BareMachine> bare_with(const std::vector<u32>& code) {
  auto m = std::make_unique<machine::BareMachine>(isa::POWER8, u64{1} << 20);
  for (size_t i = 0; i < code.size(); ++i) {
    const u32 be = __builtin_bswap32(code[i]);
    std::memcpy(m->ram() + 4 * i, &be, 4);
  }
  m->interp.invalidate_all();
  return m;
}

u64 be64_at(machine::BareMachine& m, u64 ra) {
  u64 v;
  std::memcpy(&v, m.ram() + ra, 8);
  return __builtin_bswap64(v);
}

constexpr u32 STORE_LOOP[] = {
    0x38600005,  // 0x0: li r3,5
    0x90601000,  // 0x4: stw r3,0x1000(0)
    0x38840001,  // 0x8: addi r4,r4,1
    0x4bfffffc,  // 0xc: b 0x8
};

}  // namespace

TEST_CASE("gdb machine target: registers, privileged registers, endianness", "[gdb]") {
  auto m = bare_with({STORE_LOOP, STORE_LOOP + 4});
  m->s.sprg[2] = 0x1234;
  m->s.lpcr = 0x0000000002000008ull;
  MachineTarget t(*m);
  Wire w;
  GdbSession s(t, w.sender());
  // BE guest: registers travel big-endian.
  CHECK(ask(s, w, "p41") == "9000000000001000");  // MSR: SF HV ME
  CHECK(ask(s, w, fmt::format("p{:x}", power::PVR)) == "00000000004d0200");
  CHECK(ask(s, w, fmt::format("p{:x}", power::SPRG2)) == "0000000000001234");
  CHECK(ask(s, w, fmt::format("p{:x}", power::LPCR)) == "0000000002000008");
  CHECK(ask(s, w, fmt::format("p{:x}", power::DEC)) == "000000007fffffff");
  CHECK(ask(s, w, fmt::format("P{:x}=00000000deadbeef", power::HSPRG1)) == "OK");
  CHECK(m->s.hsprg[1] == 0xdeadbeef);
  CHECK(ask(s, w, fmt::format("P{:x}=0000000000000001", power::PVR)) == "E01");  // read-only
  // Switching MSR[LE] switches the byte order of everything gdb sees.
  CHECK(ask(s, w, "P41=9000000000001001") == "OK");
  CHECK(t.big_endian() == false);
  CHECK(ask(s, w, "p41") == "0110000000000090");
  CHECK(ask(s, w, "m4,4") == "90601000");  // memory is bytes, whatever the mode
}

TEST_CASE("gdb machine target: memory through the HPT without side effects, physical, errors", "[gdb]") {
  auto m = bare_with({STORE_LOOP, STORE_LOOP + 4});
  // HPT at 64K (HTABSIZE 0: 256 KiB), SLB 0: ESID 1 -> VSID 0x123, one 4K
  // HPTE mapping EA 0x1000_0000 to RA 0x80000 (Book III-S 5.7.7).
  m->s.sdr1 = 0x10000;
  REQUIRE(mmu::slbmte(m->mmu().context(), 0x123000, 0x18000000));
  const u64 pteg = mmu::pteg_address(0x10000, mmu::hpt_hash(0x123, false, 0));
  const u64 dw0 = 0x123001, dw1 = 0x80000;
  for (int k = 0; k < 8; ++k) {
    m->ram()[pteg + k] = u8(dw0 >> (56 - 8 * k));
    m->ram()[pteg + 8 + k] = u8(dw1 >> (56 - 8 * k));
  }
  std::memcpy(m->ram() + 0x80000, "\xca\xfe\xba\xbe", 4);
  MachineTarget t(*m);
  Wire w;
  GdbSession s(t, w.sender());
  // Real mode: EA = RA.
  CHECK(ask(s, w, "m80000,4") == "cafebabe");
  CHECK(ask(s, w, "m10000000,4") == "E14");  // beyond RAM
  // Data translation on (MSR[DR]): through the SLB and HPT.
  CHECK(ask(s, w, "P41=9000000000001010") == "OK");
  CHECK(ask(s, w, "m10000000,4") == "cafebabe");
  CHECK(ask(s, w, "M10000002,2:0102") == "OK");
  CHECK(m->ram()[0x80002] == 1);
  CHECK(ask(s, w, "m20000000,4") == "E14");  // no SLB entry
  CHECK(ask(s, w, "m10001000,4") == "E14");  // no HPTE
  CHECK((be64_at(*m, pteg + 8) & (mmu::HPTE1_R | mmu::HPTE1_C)) == 0);  // R/C untouched
  CHECK(m->s.exc == Exc::None);
  // Code is still readable through the instruction side (IR off).
  CHECK(ask(s, w, "m4,4") == "90601000");
  const auto mon = [&](const std::string& c) {
    std::vector<uint8_t> b;
    REQUIRE(from_hex(ask(s, w, "qRcmd," + hex_of(c)), b));
    return std::string(b.begin(), b.end());
  };
  CHECK(mon("slb").find("SLB[ 0] ESID 0x1 (256M) VSID 0x123") != std::string::npos);
  const std::string hpt = mon("hpt 10000000");
  CHECK(hpt.find(fmt::format("at {:#x} (primary group)", pteg)) != std::string::npos);
  CHECK(hpt.find("RA 0x80000;") != std::string::npos);
  CHECK(mon("hpt 0x20000000").find("no SLB entry") != std::string::npos);
  CHECK(mon("hpt 0x10001000").find("no matching valid HPTE") != std::string::npos);
  CHECK(mon("xlate 10000004") == "EA 0x10000004 -> RA 0x80004\n");
  CHECK(mon("lpcr").find("in effect now: hypervisor real mode for fetches (data translated)") != std::string::npos);
  CHECK(mon("pending").find("DEC  0x7fffffff") != std::string::npos);
  CHECK(mon("phys on") == "memory accesses use physical addresses\n");
  CHECK(ask(s, w, "m80000,4") == "cafe0102");
  CHECK(ask(s, w, "m10000000,4") == "E14");
  CHECK(mon("phys off").find("effective") != std::string::npos);
  CHECK(mon("bogus").find("unknown command") != std::string::npos);
}

TEST_CASE("gdb machine target: breakpoints, step, watchpoint before the store, ^C, exit", "[gdb]") {
  auto m = bare_with({STORE_LOOP, STORE_LOOP + 4});
  MachineTarget t(*m);
  Wire w;
  GdbSession s(t, w.sender());
  CHECK(ask(s, w, "?") == "T05thread:1;");
  s.feed(frame("s"));
  CHECK(run_to_stop(s, w) == "T05thread:1;");
  CHECK(ask(s, w, "p40") == "0000000000000004");
  // A write watchpoint stops before the store: nothing written, pc at it.
  CHECK(ask(s, w, "z0,4,4") == "E22");
  CHECK(ask(s, w, "Z2,1000,4") == "OK");
  CHECK(ask(s, w, "P40=0000000000000000") == "OK");
  s.feed(frame("c"));
  CHECK(run_to_stop(s, w) == "T05thread:1;watch:1000;");
  CHECK(ask(s, w, "p40") == "0000000000000004");
  CHECK(m->ram()[0x1003] == 0);
  // gdb steps over it with the watchpoint removed, as for any PowerPC target.
  CHECK(ask(s, w, "z2,1000,4") == "OK");
  s.feed(frame("vCont;s:1"));
  CHECK(run_to_stop(s, w) == "T05thread:1;");
  CHECK(ask(s, w, "p40") == "0000000000000008");
  CHECK(m->ram()[0x1003] == 5);
  CHECK(m->s.mem == &m->backend);  // no spy without watchpoints
  // A breakpoint in the loop, hit again after continuing.
  CHECK(ask(s, w, "Z0,c,4") == "OK");
  s.feed(frame("c"));
  CHECK(run_to_stop(s, w) == "T05thread:1;swbreak:;");
  CHECK(ask(s, w, "p40") == "000000000000000c");
  s.feed(frame("c"));
  CHECK(run_to_stop(s, w) == "T05thread:1;swbreak:;");
  CHECK(ask(s, w, "p4") == "0000000000000002");  // r4: two more iterations
  CHECK(ask(s, w, "z0,c,4") == "OK");
  // Running free: ^C stops it.
  s.feed(frame("c"));
  s.run_slice();
  CHECK(s.running());
  s.feed("\x03");
  CHECK(w.last() == "T02thread:1;");
  // Detach: the guest runs on without the stub.
  CHECK(ask(s, w, "Z3,1000,4") == "OK");
  CHECK(m->s.mem != &m->backend);
  CHECK(ask(s, w, "D") == "OK");
  CHECK(m->s.mem == &m->backend);
  CHECK(m->run_slices(4) == machine::BareMachine::Stop::Running);
}

TEST_CASE("gdb machine target: read watchpoint, guest exit", "[gdb]") {
  auto m = bare_with({
      0x80c01000,  // 0x0: lwz r6,0x1000(0)
      0x3fe03f00,  // 0x4: lis r31,0x3F00
      0x7bff83e4,  // 0x8: sldi r31,r31,16
      0x38600007,  // 0xc: li r3,7
      0x907f0004,  // 0x10: stw r3,4(r31)
  });
  MachineTarget t(*m);
  Wire w;
  GdbSession s(t, w.sender());
  CHECK(ask(s, w, "Z3,1000,4") == "OK");
  CHECK(ask(s, w, "Z2,1000,4") == "OK");
  s.feed(frame("c"));
  CHECK(run_to_stop(s, w) == "T05thread:1;rwatch:1000;");
  CHECK(ask(s, w, "p40") == "0000000000000000");
  s.feed(frame("c"));  // the load runs; the write watchpoint never fires
  CHECK(run_to_stop(s, w) == "W07");
  CHECK(s.finished());
  CHECK(m->exited());
  CHECK(m->exit_code() == 7);
}
