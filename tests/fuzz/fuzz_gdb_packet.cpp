// Host-safety fuzzer for the GDB stub: random bytes into the packet reader,
// then random and mutated packets (bad checksums, truncated frames, huge
// lengths and addresses, junk, ^C, clients that vanish mid-packet) into
// sessions against a live bare machine (src/gdb/machine_target.h) running a
// small store loop.  Nothing may crash or trip a sanitizer; every reply must
// be a well-formed packet; after a session ends the machine must be back on
// its own memory backend.  Deterministic for a seed.
//   lpar-fuzz-gdb [--count PACKETS] [--seed N]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gdb/machine_target.h"
#include "gdb/packet.h"
#include "gdb/session.h"

using namespace lpar;
using namespace lpar::gdb;

namespace {

int failures = 0;
void expect(bool ok, const char* what) {
  if (!ok && failures++ < 20) std::fprintf(stderr, "FAIL: %s\n", what);
}

// A big-endian loop at real address 0 (the machine resets to BE hypervisor
// real mode at 0): r3 counts, stores to 0x1000 and 0x1008, loads back.
void load_program(machine::BareMachine& m) {
  const u32 code[] = {
      0x38600000,  // li r3,0
      0x38630001,  // 1: addi r3,r3,1
      0x90601000,  // stw r3,0x1000(0)
      0xf8601008,  // std r3,0x1008(0)
      0x80801000,  // lwz r4,0x1000(0)
      0x4bfffff0,  // b 1b
  };
  for (size_t i = 0; i < std::size(code); ++i) {
    const u32 be = __builtin_bswap32(code[i]);
    std::memcpy(m.ram() + 4 * i, &be, 4);
  }
  m.interp.invalidate_all();
}

const std::vector<std::string> SEEDS = {
    "g", "G" + std::string(71 * 16, '0'), "p40", "p41", "p89", "p8a", "p97", "pa0", "P40=0000000000000004",
    "P41=9000000000000000", "P41=0000000000000001", "P8d=0000000000100000", "P8e=0000000000000000",
    "P89=ffffffffffffffff", "P47=" + std::string(32, 'f'), "m0,40", "m1000,10", "mfff8,100", "M1000,4:01020304",
    "X1000,2:ab", "M0,4:48000000", "Z0,8,4", "z0,8,4", "Z1,4,4", "z1,4,4", "Z2,1000,4", "z2,1000,4", "Z3,1008,8",
    "z3,1008,8", "Z4,1004,4", "z4,1004,4", "Z2,ff8,10", "vCont;s:1", "vCont;c", "vCont;c:1", "vCont;S05:1;c",
    "vCont?", "qXfer:features:read:target.xml:0,fff", "qXfer:features:read:target.xml:ffffffff,10",
    "qRcmd,68656c70", "qRcmd," + to_hex("slb"), "qRcmd," + to_hex("hpt 0x1000"), "qRcmd," + to_hex("lpcr"),
    "qRcmd," + to_hex("pending"), "qRcmd," + to_hex("phys on"), "qRcmd," + to_hex("phys off"),
    "qRcmd," + to_hex("xlate fffffffffffff000"), "qRcmd," + to_hex("breakpoints"), "qRcmd," + to_hex("flush"),
    "qRcmd," + to_hex("hpt zz"), "Hg1", "Hc-1", "Hg0", "Hg2", "T1", "T2", "qfThreadInfo", "qsThreadInfo", "qC",
    "qAttached", "qSupported:multiprocess+;swbreak+", "c", "c8", "C0b", "s", "S05;4", "?", "QStartNoAckMode",
    "vMustReplyEmpty", "D", "k", "vKill;1", "mffffffffffffffff,ffffffffffffffff", "Mffffffffffffff00,ff:00",
    "M0,ffffffffffffffff:00", "Z2,0,ffffffffffffffff", "Z2,fffffffffffffff0,20", "Z1,ffffffffffffffff,4",
    "m8000000000001000,8", "m3f0000000000,8", "M3f0000000004,4:00000001"};

std::string mutate(std::mt19937_64& rng, std::string p) {
  const int n = static_cast<int>(rng() % 4);
  for (int i = 0; i < n; ++i) {
    const size_t pos = p.empty() ? 0 : rng() % (p.size() + 1);
    switch (rng() % 7) {
      case 0:
        if (pos < p.size()) p[pos] = static_cast<char>(rng());
        break;
      case 1:
        p.insert(pos, 1, "0123456789abcdef,:;=-xX}#$*"[rng() % 27]);
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
      case 5:
        p.insert(pos, std::string(rng() % 2 ? 17 : 3, 'f'));
        break;
      default:
        p.insert(pos, std::string(MAX_PACKET + rng() % 64, 'a'));  // larger than any packet we accept
    }
  }
  return p;
}

// Every byte the session sends is an ack or a packet with a good checksum.
void check_output(std::string& out) {
  PacketReader rd;
  for (char c : out) expect(rd.feed(c) != PacketReader::Event::BadChecksum, "reply with a bad checksum");
  out.clear();
}

}  // namespace

int main(int argc, char** argv) {
  unsigned long count = 100000, seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--count")) count = std::strtoul(argv[i + 1], nullptr, 0);
    else if (!std::strcmp(argv[i], "--seed")) seed = std::strtoul(argv[i + 1], nullptr, 0);
  }
  std::mt19937_64 rng(seed);

  // 1. The reader alone: random bytes, payloads never beyond MAX_PACKET.
  {
    PacketReader rd;
    for (unsigned long k = 0; k < count * 20; ++k) {
      const char c = rng() % 8 ? static_cast<char>(rng()) : "$#}*+-\x03"[rng() % 7];
      if (rd.feed(c) == PacketReader::Event::Packet) expect(rd.payload().size() <= MAX_PACKET, "payload too long");
    }
  }

  // 2. Sessions against a running machine.
  unsigned long packets = 0, sessions = 0, machines = 0;
  std::unique_ptr<machine::BareMachine> m;
  while (packets < count) {
    if (!m || m->exited() || rng() % 16 == 0) {
      m = std::make_unique<machine::BareMachine>(isa::POWER8, u64{1} << 20);
      m->out = stderr;
      load_program(*m);
      ++machines;
    }
    bool dead = false;
    {
      MachineTarget t(*m);
      std::string out;
      GdbSession s(t, [&](std::string_view b) { out += b; });
      ++sessions;
      for (int k = 0; k < 500 && !s.finished(); ++k, ++packets) {
        std::string p = SEEDS[rng() % SEEDS.size()];
        if (rng() % 3) p = mutate(rng, p);
        // Keep sessions long enough to reach interesting states.
        if ((p == "D" || p == "k" || p.starts_with("vKill")) && rng() % 8) p.assign(1, '?');
        std::string f = frame(p);
        switch (rng() % 24) {
          case 0: {  // junk
            std::string junk(rng() % 64, 0);
            for (char& c : junk) c = static_cast<char>(rng());
            s.feed(junk);
            break;
          }
          case 1:  // bad checksum
            f[f.size() - 1] = f[f.size() - 1] == '0' ? '1' : '0';
            s.feed(f);
            break;
          case 2:  // truncated, then the client goes away
            s.feed(f.substr(0, rng() % f.size()));
            s.client_gone();
            break;
          case 3:  // split across reads
            s.feed(f.substr(0, f.size() / 2));
            s.feed(f.substr(f.size() / 2));
            break;
          default:
            s.feed(f);
        }
        for (int slice = 0; slice < 2 && s.running(); ++slice) s.run_slice();
        if (s.running() && rng() % 2) s.feed("\x03");
        if (out.size() > 1 << 20) check_output(out);
      }
      if (s.running()) s.feed("\x03");
      if (!s.finished()) s.client_gone();
      check_output(out);
      dead = t.killed() || t.checkstopped();
    }
    // The target is gone: the machine runs on its own backend again.
    expect(m->s.mem == &m->backend, "spy backend left installed");
    if (dead) m.reset();
    else if (!m->exited()) m->run_slices(4);  // and still runs undebugged
  }
  std::printf("fuzz-gdb: %lu packets, %lu sessions, %lu machines, seed %lu: %s\n", packets, sessions, machines, seed,
              failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
