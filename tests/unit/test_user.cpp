// lpar-user: ELF loading, initial stack, system calls, address space, faults.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cpu/memory.h"
#include "user/address_space.h"
#include "user/elf_loader.h"
#include "user/process.h"
#include "user/signals.h"
#include "user/stack.h"
#include "user/syscalls.h"

using namespace lpar;
using namespace lpar::user;

namespace {

// ---- Instruction words (PowerISA 3.0B encodings).
u32 li(unsigned rt, int si) { return (14u << 26) | (rt << 21) | (static_cast<u32>(si) & 0xffff); }
u32 lis(unsigned rt, int si) { return (15u << 26) | (rt << 21) | (static_cast<u32>(si) & 0xffff); }
u32 ori(unsigned ra, unsigned rs, unsigned ui) { return (24u << 26) | (rs << 21) | (ra << 16) | (ui & 0xffff); }
u32 mr(unsigned ra, unsigned rs) { return (31u << 26) | (rs << 21) | (ra << 16) | (rs << 11) | (444u << 1); }
u32 b(s32 off) { return (18u << 26) | (static_cast<u32>(off) & 0x3fffffc); }
u32 ba(u32 target) { return (18u << 26) | (target & 0x3fffffc) | 2; }
constexpr u32 SC = 0x44000002;
constexpr u32 TRAP = 0x7fe00008;  // tw 31,0,0

struct Seg {
  u64 vaddr;
  u32 flags;  // PF_R 4, PF_W 2, PF_X 1
  std::vector<u8> data;
  u64 memsz;
};

// A minimal ELF64 executable: header, program headers, segment bytes.
struct ElfBuilder {
  u16 type = 2, machine = 21;
  u32 eflags = 2;
  u64 entry = 0x10000000;
  bool be = false;
  std::vector<Seg> segs;
  std::vector<std::array<u64, 7>> extra_phdrs;  // raw {type|flags<<32, off, vaddr, paddr, filesz, memsz, align}

  template <typename T>
  static void put(std::vector<u8>& f, size_t off, T v, bool be) {
    if (be) v = bswap(v);
    std::memcpy(f.data() + off, &v, sizeof v);
  }
  std::vector<u8> build() const {
    const size_t nph = segs.size() + extra_phdrs.size();
    size_t off = 0x1000;
    std::vector<u8> f(off);
    std::memcpy(f.data(), "\x7f" "ELF", 4);
    f[4] = 2;
    f[5] = be ? 2 : 1;
    f[6] = 1;
    put<u16>(f, 16, type, be);
    put<u16>(f, 18, machine, be);
    put<u32>(f, 20, 1, be);
    put<u64>(f, 24, entry, be);
    put<u64>(f, 32, 64, be);
    put<u32>(f, 48, eflags, be);
    put<u16>(f, 52, 64, be);
    put<u16>(f, 54, 56, be);
    put<u16>(f, 56, static_cast<u16>(nph), be);
    size_t ph = 64;
    for (const Seg& s : segs) {
      put<u32>(f, ph, 1, be);
      put<u32>(f, ph + 4, s.flags, be);
      put<u64>(f, ph + 8, off, be);
      put<u64>(f, ph + 16, s.vaddr, be);
      put<u64>(f, ph + 24, s.vaddr, be);
      put<u64>(f, ph + 32, s.data.size(), be);
      put<u64>(f, ph + 40, s.memsz, be);
      put<u64>(f, ph + 48, 0x10000, be);
      f.insert(f.end(), s.data.begin(), s.data.end());
      off += s.data.size();
      ph += 56;
    }
    for (const auto& e : extra_phdrs) {
      put<u32>(f, ph, static_cast<u32>(e[0]), be);
      put<u32>(f, ph + 4, static_cast<u32>(e[0] >> 32), be);
      for (unsigned k = 1; k < 7; ++k) put<u64>(f, ph + 8 * k, e[k], be);
      ph += 56;
    }
    return f;
  }
};

std::vector<u8> code_bytes(const std::vector<u32>& words, bool be = false) {
  std::vector<u8> out(words.size() * 4);
  for (size_t k = 0; k < words.size(); ++k) {
    const u32 w = be ? bswap(words[k]) : words[k];
    std::memcpy(out.data() + 4 * k, &w, 4);
  }
  return out;
}

ElfBuilder program(const std::vector<u32>& words, u32 flags = 5) {
  ElfBuilder e;
  e.segs.push_back({0x10000000, flags, code_bytes(words), words.size() * 4});
  return e;
}

std::unique_ptr<Process> start(const std::vector<u8>& elf, isa::Model m = isa::POWER9,
                               std::vector<std::string> argv = {"prog"}, std::vector<std::string> envp = {}) {
  ProcessConfig cfg;
  cfg.model = m;
  auto p = std::make_unique<Process>(cfg);
  std::string err;
  const bool ok = p->load_image(elf, "/bin/prog", argv, envp, err);
  INFO(err);
  REQUIRE(ok);
  return p;
}

u64 get64(Process& p, u64 ea) {
  u64 v = 0;
  REQUIRE(p.as.get64(ea, v));
  return v;
}
std::string get_str(Process& p, u64 ea) {
  std::string s;
  REQUIRE(p.as.read_cstring(ea, s));
  return s;
}
bool cr0_so(const CpuState& s) { return (s.cr >> 28) & 1; }

}  // namespace

TEST_CASE("malformed ELF files are rejected with a message", "[user]") {
  CpuState s{};
  Interpreter interp(s, isa::POWER9);
  AddressSpace as(s, &interp);
  ElfImage img;
  std::string err;
  auto rejects = [&](std::vector<u8> f) {
    err.clear();
    const bool ok = load_elf(f, as, img, err);
    CHECK_FALSE(ok);
    CHECK_FALSE(err.empty());
    CHECK(err.find('\n') == std::string::npos);
    CHECK(as.mapping_count() == 0);
  };
  const std::vector<u8> good = program({li(3, 0), SC}).build();
  REQUIRE(load_elf(good, as, img, err));
  as.unmap(img.lo, img.hi - img.lo);
  REQUIRE(as.mapping_count() == 0);

  rejects({});
  rejects(std::vector<u8>(good.begin(), good.begin() + 63));  // truncated header
  auto f = good;
  f[1] = 'X';
  rejects(f);  // bad magic
  f = good;
  f[4] = 1;
  rejects(f);  // ELFCLASS32
  f = good;
  f[18] = 62;
  rejects(f);  // EM_X86_64
  f = good;
  f[16] = 1;
  rejects(f);  // ET_REL
  f = good;
  f[54] = 32;
  rejects(f);  // wrong phentsize
  rejects(std::vector<u8>(good.begin(), good.begin() + 100));  // program headers cut off
  f = good;
  f.resize(0x1004);
  rejects(f);  // segment data beyond end of file

  ElfBuilder e = program({li(3, 0)});
  e.segs[0].memsz = 2;  // filesz > memsz
  rejects(e.build());
  e = program({li(3, 0)});
  e.segs[0].memsz = u64{1} << 40;  // absurd size
  rejects(e.build());
  e = program({li(3, 0)});
  e.segs[0].vaddr = ~u64{0} - 2;  // wraps the address space
  rejects(e.build());
  e = program({li(3, 0)});
  e.segs.push_back({0x10000002, 6, {1, 2, 3, 4}, 4});  // overlaps the first segment
  rejects(e.build());
  e = program({li(3, 0)});
  e.extra_phdrs.push_back({3, 0, 0, 0, 0, 0, 1});  // PT_INTERP: dynamic
  rejects(e.build());
  e = program({});
  e.segs.clear();
  rejects(e.build());  // nothing to load

  // Random corruption of the headers never crashes.
  for (unsigned k = 0; k < 64 * 3; ++k) {
    f = good;
    f[k % 176] ^= static_cast<u8>(0x5a + k);
    err.clear();
    if (load_elf(f, as, img, err)) as.unmap(img.lo, img.hi - img.lo);
    else CHECK_FALSE(err.empty());
  }
}

TEST_CASE("ELF segments are loaded with permissions, bss zeroed, brk after them", "[user]") {
  ElfBuilder e = program({li(3, 1), SC});
  e.segs.push_back({0x10010100, 6, {0xaa, 0xbb, 0xcc}, 0x2000});
  e.extra_phdrs.push_back({7 | (u64{4} << 32), 0x1000, 0x10010100, 0x10010100, 2, 0x40, 8});  // PT_TLS
  CpuState s{};
  Interpreter interp(s, isa::POWER9);
  AddressSpace as(s, &interp);
  ElfImage img;
  std::string err;
  REQUIRE(load_elf(e.build(), as, img, err));
  CHECK(img.entry == 0x10000000);
  CHECK(img.elfv2);
  CHECK(img.brk == 0x10013000);  // page_up(0x10010100 + 0x2000)
  CHECK(img.tls_vaddr == 0x10010100);
  CHECK(img.tls_memsz == 0x40);
  CHECK(as.prot_of(0x10000000) == (GP_R | GP_X));
  CHECK(as.prot_of(0x10010000) == (GP_R | GP_W));
  u8 buf[5];
  REQUIRE(as.read(0x10010100, buf, 5));
  CHECK(buf[0] == 0xaa);
  CHECK(buf[2] == 0xcc);
  CHECK(buf[3] == 0);
  CHECK(buf[4] == 0);
  u32 w;
  REQUIRE(as.get32(0x10000000, w));
  CHECK(w == li(3, 1));
  // Read-only code cannot be written by the guest (only the loader forces it).
  CHECK_FALSE(as.write(0x10000000, buf, 4));
  CHECK(as.write(0x10000000, buf, 4, true));
}

TEST_CASE("initial stack matches qemu-ppc64le's layout", "[user]") {
  // `env -i A=1 qemu-ppc64le ./stk x yz` (QEMU 7.2) puts argc at 0x4000800e20,
  // argv strings at 0x4000800fe3/fe9/feb, "A=1" at 0xfee, AT_EXECFN at 0xff2,
  // AT_RANDOM at 0xfd0, below a stack top of 0x4000801000.
  auto p = start(program({li(3, 0), SC}).build(), isa::POWER9, {"./stk", "x", "yz"}, {"A=1"});
  const u64 sp = p->s.gpr[1];
  CHECK(sp == 0x4000800e20);
  CHECK(sp % 16 == 0);
  CHECK(p->stack.top == 0x4000801000);
  CHECK(get64(*p, sp) == 3);
  CHECK(get64(*p, sp + 8) == 0x4000800fe3);
  CHECK(get64(*p, sp + 16) == 0x4000800fe9);
  CHECK(get64(*p, sp + 24) == 0x4000800feb);
  CHECK(get64(*p, sp + 32) == 0);
  CHECK(get64(*p, sp + 40) == 0x4000800fee);
  CHECK(get64(*p, sp + 48) == 0);
  CHECK(get_str(*p, 0x4000800fe3) == "./stk");
  CHECK(get_str(*p, 0x4000800feb) == "yz");
  CHECK(get_str(*p, 0x4000800fee) == "A=1");
  CHECK(get64(*p, p->stack.top - 8) == 0);

  // The auxiliary vector, in qemu's order.
  std::vector<std::pair<u64, u64>> aux;
  for (u64 a = sp + 56;; a += 16) {
    aux.emplace_back(get64(*p, a), get64(*p, a + 8));
    if (aux.back().first == AT_NULL) break;
    REQUIRE(aux.size() < 64);
  }
  const std::vector<u64> types = {22, 22, 19, 20, 21, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 25, 23, 31, 26, 0};
  REQUIRE(aux.size() == types.size());
  std::map<u64, u64> v;
  for (size_t k = 0; k < aux.size(); ++k) {
    CHECK(aux[k].first == types[k]);
    v[aux[k].first] = aux[k].second;
  }
  CHECK(v[AT_PAGESZ] == 4096);
  CHECK(v[AT_ENTRY] == 0x10000000);
  CHECK(v[AT_PHENT] == 56);
  CHECK(v[AT_PHNUM] == 1);
  CHECK(v[AT_DCACHEBSIZE] == 128);
  CHECK(v[AT_UCACHEBSIZE] == 0);
  CHECK(v[AT_CLKTCK] == 100);
  CHECK(v[AT_HWCAP] == 0x58000580);
  CHECK(v[AT_HWCAP2] == 0x8ee00000);
  CHECK(v[AT_UID] == getuid());
  CHECK(v[AT_RANDOM] == 0x4000800fd0);
  CHECK(v[AT_EXECFN] == 0x4000800ff2);
  CHECK(get_str(*p, v[AT_EXECFN]) == "./stk");
  CHECK(aux.back().second == 0);

  // Entry registers (ELFv2): r1 = sp, r12 = entry, 64-bit little-endian problem state.
  CHECK(p->s.nip == 0x10000000);
  CHECK(p->s.gpr[12] == 0x10000000);
  CHECK(p->s.le == 1);
  CHECK((p->s.msr & sem::MSR_PR));
  CHECK((p->s.msr & sem::MSR_SF));
  CHECK((p->s.msr & sem::MSR_LE));
  CHECK((p->s.msr & sem::MSR_VSX));
  // The guard page below the stack and the trampoline page above it, as in qemu:
  // the first anonymous mmap lands at 0x4000802000.
  CHECK(p->as.is_mapped(0x4000000000, 1));
  CHECK(p->as.prot_of(0x4000000000) == GP_NONE);
  CHECK(p->as.find_free(0, 10000) == 0x4000802000);
}

TEST_CASE("POWER8 reports its own HWCAP2", "[user]") {
  auto p = start(program({li(3, 0), SC}).build(), isa::POWER8);
  u64 hw2 = 0;
  for (u64 a = p->stack.auxv;; a += 16) {
    const u64 t = get64(*p, a);
    if (t == AT_HWCAP2) hw2 = get64(*p, a + 8);
    if (t == AT_NULL) break;
  }
  CHECK(hw2 == 0x8e000000);  // qemu-ppc64le 7.2 -cpu power8
}

TEST_CASE("ELFv1 entry goes through the function descriptor", "[user]") {
  ElfBuilder e;
  e.eflags = 1;
  e.entry = 0x10000100;
  std::vector<u8> seg = code_bytes({li(3, 0), SC});
  seg.resize(0x110);
  const u64 fn = 0x10000000, toc = 0x10008000;
  std::memcpy(seg.data() + 0x100, &fn, 8);
  std::memcpy(seg.data() + 0x108, &toc, 8);
  e.segs.push_back({0x10000000, 5, seg, seg.size()});
  auto p = start(e.build());
  CHECK(p->s.nip == 0x10000000);
  CHECK(p->s.gpr[2] == 0x10008000);
}

TEST_CASE("syscall results: r3 and CR0[SO] as the ppc64 kernel returns them", "[user]") {
  CpuState s{};
  s.cr = 0;
  set_syscall_result(s, -38);
  CHECK(s.gpr[3] == 38);
  CHECK(cr0_so(s));
  set_syscall_result(s, 5);
  CHECK(s.gpr[3] == 5);
  CHECK_FALSE(cr0_so(s));
  set_syscall_result(s, -4096);  // not an errno: a value
  CHECK(s.gpr[3] == static_cast<u64>(-4096));
  CHECK_FALSE(cr0_so(s));

  // Through the interpreter: unknown syscall, then getpid.
  auto p = start(program({li(0, 9999), SC, li(0, 20), SC, li(0, 4), li(3, -1), SC}).build());
  CpuState& cs = p->s;
  REQUIRE(p->interp.step() == Status::Next);
  REQUIRE(p->interp.step() == Status::Exception);
  REQUIRE(cs.exc == Exc::SystemCall);
  CHECK(cs.nip == 0x10000008);  // after the sc
  cs.exc = Exc::None;
  do_syscall(*p);
  CHECK(cs.gpr[3] == 38);  // ENOSYS
  CHECK(cr0_so(cs));
  p->interp.step();
  p->interp.step();
  REQUIRE(cs.exc == Exc::SystemCall);
  cs.exc = Exc::None;
  do_syscall(*p);
  CHECK(cs.gpr[3] == static_cast<u64>(getpid()));
  CHECK_FALSE(cr0_so(cs));
  p->interp.step();
  p->interp.step();
  p->interp.step();
  cs.exc = Exc::None;
  do_syscall(*p);
  CHECK(cs.gpr[3] == 9);  // write(-1) -> EBADF
  CHECK(cr0_so(cs));
}

TEST_CASE("exit status and fatal signals", "[user]") {
  SECTION("exit_group") {
    auto p = start(program({li(0, 234), li(3, 300), SC, TRAP}).build());
    const ExitStatus st = p->run();
    CHECK(p->ended());
    CHECK_FALSE(st.signaled);
    CHECK(st.code == (300 & 0xff));
  }
  SECTION("illegal instruction is SIGILL") {
    auto p = start(program({li(3, 1), 0x00000000}).build());
    const ExitStatus st = p->run();
    CHECK(st.signaled);
    CHECK(st.signal == SIGILL);
    CHECK(p->s.nip == 0x10000004);
  }
  SECTION("trap is SIGTRAP") {
    auto p = start(program({TRAP}).build());
    const ExitStatus st = p->run();
    CHECK(st.signaled);
    CHECK(st.signal == SIGTRAP);
  }
  SECTION("branch to unmapped memory is SIGSEGV") {
    auto p = start(program({ba(0x100)}).build());
    const ExitStatus st = p->run();
    CHECK(st.signaled);
    CHECK(st.signal == SIGSEGV);
  }
  SECTION("executing a non-executable page is SIGSEGV") {
    ElfBuilder e = program({b(0x10000)});
    e.segs.push_back({0x10010000, 6, code_bytes({li(0, 234), SC}), 8});
    auto p = start(e.build());
    const ExitStatus st = p->run();
    CHECK(st.signaled);
    CHECK(st.signal == SIGSEGV);
  }
  SECTION("kill(getpid(), SIGABRT) ends the process, SIGCHLD is ignored") {
    const u32 pid = static_cast<u32>(getpid());
    auto p = start(program({li(0, 37), lis(3, pid >> 16), ori(3, 3, pid & 0xffff), li(4, SIGCHLD), SC,
                            li(0, 37), lis(3, pid >> 16), ori(3, 3, pid & 0xffff), li(4, SIGABRT), SC,
                            li(0, 234), li(3, 0), SC})
                       .build());
    const ExitStatus st = p->run();
    CHECK(st.signaled);
    CHECK(st.signal == SIGABRT);
  }
  SECTION("a run budget stops an endless loop") {
    auto p = start(program({b(0)}).build());
    p->run(1000);
    CHECK_FALSE(p->ended());
    CHECK(p->s.icount >= 1000);
  }
}

TEST_CASE("address space: permissions, faults, TLB", "[user]") {
  CpuState s{};
  Interpreter interp(s, isa::POWER9);
  AddressSpace as(s, &interp);
  s.le = 1;
  REQUIRE(as.map(0x20000, 0x3000, GP_R));
  REQUIRE(as.map(0x30000, 0x1000, GP_R | GP_W));
  u32 v = 0;
  CHECK(load<u32>(s, 0x20010, v));
  CHECK(v == 0);
  CHECK(s.tlb[(0x20010 >> PAGE_SHIFT) & (TLB_ENTRIES - 1)].tag_read == 0x20000);
  CHECK(s.tlb[(0x20010 >> PAGE_SHIFT) & (TLB_ENTRIES - 1)].tag_write == TLB_INVALID);

  s.exc = Exc::None;
  CHECK_FALSE(store<u32>(s, 0x21000, 7));
  CHECK(s.exc == Exc::DSI);
  CHECK(s.exc_addr == 0x21000);
  CHECK((s.exc_reason & 0x02000000));  // DSISR store

  s.exc = Exc::None;
  CHECK_FALSE(load<u32>(s, 0x50000, v));  // unmapped
  CHECK(s.exc == Exc::DSI);
  CHECK(s.exc_addr == 0x50000);

  s.exc = Exc::None;
  u32 w;
  CHECK_FALSE(fetch(s, 0x20000, w));  // not executable
  CHECK(s.exc == Exc::ISI);

  // Page-crossing store where the second page is read-only writes nothing.
  REQUIRE(as.map(0x40000, 0x1000, GP_R | GP_W));
  REQUIRE(as.map(0x41000, 0x1000, GP_R));
  s.exc = Exc::None;
  CHECK_FALSE(store<u64>(s, 0x40ffc, ~u64{0}));
  u32 lo;
  REQUIRE(as.get32(0x40ffc, lo));
  CHECK(lo == 0);

  CHECK(store<u32>(s, 0x30000, 0x12345678));
  CHECK(load<u32>(s, 0x30000, v));
  CHECK(v == 0x12345678);
  // mprotect drops the cached write permission.
  REQUIRE(as.protect(0x30000, 0x1000, GP_R));
  s.exc = Exc::None;
  CHECK_FALSE(store<u32>(s, 0x30000, 1));
  CHECK(s.exc == Exc::DSI);
  CHECK(load<u32>(s, 0x30000, v));
  CHECK(v == 0x12345678);
  // munmap makes it fault; mprotect of unmapped memory fails.
  as.unmap(0x30000, 0x1000);
  CHECK_FALSE(load<u32>(s, 0x30000, v));
  CHECK_FALSE(as.protect(0x30000, 0x1000, GP_R));
  // Partial unmap splits a mapping; a fresh map reads zero.
  as.unmap(0x21000, 0x1000);
  CHECK(as.is_mapped(0x20000, 0x1000));
  CHECK_FALSE(as.is_mapped(0x21000, 1));
  CHECK(as.is_mapped(0x22000, 0x1000));
  CHECK(as.is_free(0x21000, 0x1000));
  CHECK_FALSE(as.is_free(0x21000, 0x1001));

  // mmap placement follows qemu: a cursor that only moves forward.
  const u64 a = as.find_free(0, 10000);
  CHECK(a == MMAP_BASE);
  REQUIRE(as.map(a, 10000, GP_R | GP_W));
  const u64 b2 = as.find_free(0, 100000);
  CHECK(b2 == MMAP_BASE + 0x3000);
  REQUIRE(as.map(b2, 100000, GP_R | GP_W));
  as.unmap(a, 10000);
  CHECK(as.find_free(0, 4096) == MMAP_BASE + 0x3000 + 0x19000);
  CHECK(as.find_free(0x700000, 4096) == 0x700000);  // a free hint is honoured
}

TEST_CASE("stores to pre-decoded code are seen when it runs again", "[user]") {
  for (bool le : {true, false}) {
    CpuState s{};
    Interpreter interp(s, isa::POWER9);
    AddressSpace as(s, &interp);
    as.big_endian = !le;
    s.le = le;
    s.msr = sem::MSR_SF | sem::MSR_PR | (le ? sem::MSR_LE : 0);
    REQUIRE(as.map(0x10000, 0x1000, GP_R | GP_W | GP_X));
    REQUIRE(as.put32(0x10000, li(3, 1)));
    REQUIRE(as.put32(0x10004, SC));
    s.nip = 0x10000;
    REQUIRE(interp.run(100) == Status::Exception);
    CHECK(s.gpr[3] == 1);
    const uintptr_t code_page = reinterpret_cast<uintptr_t>(as.host_range(0x10000, 4, GP_R));
    CHECK(interp.page_has_code(code_page));
    // The page holds decoded code: the TLB must not allow fast writes to it.
    CHECK(s.tlb[(0x10000 >> PAGE_SHIFT) & (TLB_ENTRIES - 1)].tag_write == TLB_INVALID);
    // A guest store (the path every store instruction takes) rewrites the li.
    s.exc = Exc::None;
    REQUIRE(store<u32>(s, 0x10000, li(3, 2)));
    CHECK_FALSE(interp.page_has_code(code_page));
    s.nip = 0x10000;
    s.exc = Exc::None;
    REQUIRE(interp.run(100) == Status::Exception);
    CHECK(s.gpr[3] == 2);
    // A host-side write (e.g. read(2) into the page) invalidates too.
    const u32 w = le ? li(3, 3) : bswap(li(3, 3));
    REQUIRE(as.write(0x10000, &w, 4));
    s.nip = 0x10000;
    s.exc = Exc::None;
    REQUIRE(interp.run(100) == Status::Exception);
    CHECK(s.gpr[3] == 3);
  }
}

TEST_CASE("memory syscalls: brk, mmap, munmap, mprotect", "[user]") {
  auto p = start(program({li(3, 0), SC}).build());
  const u64 brk0 = p->image.brk;
  u64 a[6] = {0, 0, 0, 0, 0, 0};
  auto call = [&](u64 n, std::initializer_list<u64> args) {
    u64 v[6] = {};
    size_t k = 0;
    for (u64 x : args) v[k++] = x;
    std::memcpy(a, v, sizeof v);
    return syscall_dispatch(*p, n, v);
  };
  CHECK(call(nr::brk, {0}) == static_cast<s64>(brk0));
  CHECK(call(nr::brk, {brk0 + 0x1b60}) == static_cast<s64>(brk0 + 0x1b60));
  CHECK(p->as.prot_of(brk0 + 0x1000) == (GP_R | GP_W));
  CHECK(call(nr::brk, {brk0 - 0x1000}) == static_cast<s64>(brk0 + 0x1b60));  // below the start: refused
  CHECK(call(nr::brk, {0}) == static_cast<s64>(brk0 + 0x1b60));

  const s64 m = call(nr::mmap, {0, 10000, 3, 0x22, ~u64{0}, 0});
  CHECK(m == 0x4000802000);  // as qemu-ppc64le
  CHECK(call(nr::mmap, {0, 100000, 3, 0x22, ~u64{0}, 0}) == 0x4000805000);
  CHECK(call(nr::munmap, {static_cast<u64>(m), 10000}) == 0);
  CHECK(call(nr::mmap, {0, 4096, 3, 0x22, ~u64{0}, 0}) == 0x400081e000);
  CHECK(call(nr::mmap, {0, 0, 3, 0x22, ~u64{0}, 0}) == -EINVAL);
  CHECK(call(nr::mmap, {0x123, 4096, 3, 0x32, ~u64{0}, 0}) == -EINVAL);  // MAP_FIXED unaligned
  CHECK(call(nr::mmap, {0x50000000, 4096, 1, 0x32, ~u64{0}, 0}) == 0x50000000);
  CHECK(p->as.prot_of(0x50000000) == GP_R);
  CHECK(call(nr::mprotect, {0x50000000, 4096, 7}) == 0);
  CHECK(p->as.prot_of(0x50000000) == (GP_R | GP_W | GP_X));
  CHECK(call(nr::mprotect, {0x60000000, 4096, 1}) == -ENOMEM);
  CHECK(call(nr::munmap, {0x50000001, 4096}) == -EINVAL);
}

TEST_CASE("file and info syscalls convert to the ppc64 layouts", "[user]") {
  auto p = start(program({li(3, 0), SC}).build());
  const u64 buf = static_cast<u64>(syscall_dispatch(*p, nr::mmap, {0, 0x2000, 3, 0x22, ~u64{0}, 0}));
  REQUIRE(buf == 0x4000802000);

  // uname: machine is ppc64le, 65-byte fields.
  REQUIRE(syscall_dispatch(*p, nr::uname, {buf, 0, 0, 0, 0, 0}) == 0);
  CHECK(get_str(*p, buf) == "Linux");
  CHECK(get_str(*p, buf + 4 * 65) == "ppc64le");

  // fstat of a pipe: st_mode at offset 24 says FIFO, st_nlink at 16.
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  REQUIRE(syscall_dispatch(*p, nr::fstat, {static_cast<u64>(fds[0]), buf, 0, 0, 0, 0}) == 0);
  u32 mode;
  REQUIRE(p->as.get32(buf + 24, mode));
  CHECK(S_ISFIFO(mode));
  CHECK(get64(*p, buf + 16) == 1);

  // write from guest memory, read back into guest memory.
  REQUIRE(p->as.write(buf + 0x100, "hello", 5));
  CHECK(syscall_dispatch(*p, nr::write, {static_cast<u64>(fds[1]), buf + 0x100, 5, 0, 0, 0}) == 5);
  CHECK(syscall_dispatch(*p, nr::read, {static_cast<u64>(fds[0]), buf + 0x200, 16, 0, 0, 0}) == 5);
  CHECK(get_str(*p, buf + 0x200) == "hello");
  // A buffer spanning an unmapped page faults before anything is consumed.
  CHECK(syscall_dispatch(*p, nr::read, {static_cast<u64>(fds[0]), 0x7000, 16, 0, 0, 0}) == -EFAULT);
  close(fds[0]);
  close(fds[1]);

  // ioctl(TCGETS) on a pipe is ENOTTY.
  REQUIRE(pipe(fds) == 0);
  CHECK(syscall_dispatch(*p, nr::ioctl, {static_cast<u64>(fds[0]), 0x402c7413, buf, 0, 0, 0}) == -ENOTTY);
  close(fds[0]);
  close(fds[1]);

  // readlink("/proc/self/exe") names the guest program.
  REQUIRE(p->as.write(buf + 0x300, "/proc/self/exe", 15));
  CHECK(syscall_dispatch(*p, nr::readlinkat, {static_cast<u64>(-100), buf + 0x300, buf + 0x400, 64, 0, 0}) == 9);
  std::string link(9, 0);
  REQUIRE(p->as.read(buf + 0x400, link.data(), 9));
  CHECK(link == "/bin/prog");

  // open with the ppc64 O_DIRECTORY value (040000) opens a directory.
  REQUIRE(p->as.write(buf + 0x500, "/", 2));
  const s64 dfd = syscall_dispatch(*p, nr::openat, {static_cast<u64>(-100), buf + 0x500, 040000, 0, 0, 0});
  CHECK(dfd >= 0);
  if (dfd >= 0) {
    const s64 fl = syscall_dispatch(*p, nr::fcntl, {static_cast<u64>(dfd), u64{F_GETFL}, 0, 0, 0, 0});
    CHECK((fl & 040000));
    close(static_cast<int>(dfd));
  }

  // rt_sigaction stores and returns the guest's ppc64 struct sigaction.
  REQUIRE(p->as.put64(buf + 0x600, 0x10000040));
  REQUIRE(p->as.put64(buf + 0x608, 0x4));
  CHECK(syscall_dispatch(*p, nr::rt_sigaction, {SIGUSR1, buf + 0x600, 0, 8, 0, 0}) == 0);
  CHECK(syscall_dispatch(*p, nr::rt_sigaction, {SIGUSR1, 0, buf + 0x700, 8, 0, 0}) == 0);
  CHECK(get64(*p, buf + 0x700) == 0x10000040);
  CHECK(get64(*p, buf + 0x708) == 0x4);
  CHECK(syscall_dispatch(*p, nr::rt_sigaction, {SIGKILL, buf + 0x600, 0, 8, 0, 0}) == -EINVAL);

  // set_robust_list and rseq are ENOSYS as under qemu-ppc64le 7.2.
  CHECK(syscall_dispatch(*p, nr::set_robust_list, {0, 0, 0, 0, 0, 0}) == -ENOSYS);
  CHECK(syscall_dispatch(*p, nr::rseq, {0, 0, 0, 0, 0, 0}) == -ENOSYS);
  CHECK(syscall_dispatch(*p, nr::clock_gettime, {1, buf + 0x800, 0, 0, 0, 0}) == 0);
  CHECK(get64(*p, buf + 0x808) < 1000000000);
}

TEST_CASE("guest signal handlers: frame, siginfo, rt_sigreturn", "[user]") {
  SECTION("a trap enters the handler with the ppc64 rt_sigframe") {
    // 0x10000000: li 3,55 ; trap     0x10000008: handler: b .
    auto p = start(program({li(3, 55), TRAP, b(0)}).build());
    p->sigact[SIGTRAP].handler = 0x10000008;
    const u64 sp0 = p->s.gpr[1];
    p->run(1000);
    REQUIRE_FALSE(p->ended());
    CpuState& s = p->s;
    CHECK(s.nip == 0x10000008);
    CHECK(s.gpr[12] == 0x10000008);
    CHECK(s.gpr[3] == SIGTRAP);
    const u64 frame = s.gpr[6];
    CHECK(frame % 16 == 0);
    CHECK(frame + FRAME_SIZE <= sp0);
    CHECK(s.gpr[1] == frame - 128);
    CHECK(get64(*p, s.gpr[1]) == sp0);  // back chain
    CHECK(s.gpr[5] == frame);           // ucontext
    CHECK(s.lr == p->stack.sigtramp);
    // siginfo: si_signo, si_code TRAP_BRKPT, si_addr = the trap.
    u32 signo, code;
    REQUIRE(p->as.get32(s.gpr[4], signo));
    REQUIRE(p->as.get32(s.gpr[4] + 8, code));
    CHECK(signo == SIGTRAP);
    CHECK(code == 1);
    CHECK(get64(*p, s.gpr[4] + 16) == 0x10000004);
    // Saved registers: r3, r1, nip, trap vector; the signal is now blocked.
    const u64 gp = frame + SC_GP_REGS;
    CHECK(get64(*p, gp + 3 * 8) == 55);
    CHECK(get64(*p, gp + 1 * 8) == sp0);
    CHECK(get64(*p, gp + 32 * 8) == 0x10000004);
    CHECK(get64(*p, gp + 40 * 8) == 0x700);
    CHECK(get64(*p, frame + UC_MCONTEXT + 56) == gp);  // regs pointer
    CHECK(((p->sigmask >> (SIGTRAP - 1)) & 1));
  }
  SECTION("a handler returning through the trampoline resumes after kill()") {
    const u32 pid = static_cast<u32>(getpid());
    // main: kill(getpid(), SIGUSR1); exit_group(r3)   handler: brk(0x10020000 + sig); blr
    auto p = start(program({li(0, 37), lis(3, pid >> 16), ori(3, 3, pid & 0xffff), li(4, SIGUSR1), SC,
                            li(0, 234), SC,
                            /*0x1c*/ (15u << 26) | (3u << 21) | (3u << 16) | 0x1002, li(0, 45), SC,
                            0x4e800020 /* blr */})
                       .build());
    p->sigact[SIGUSR1].handler = 0x1000001c;
    const ExitStatus st = p->run(100000);
    REQUIRE(p->ended());
    CHECK_FALSE(st.signaled);
    CHECK(st.code == 0);  // kill() returned 0 after the handler
    CHECK(p->brk_cur == 0x10020000 + SIGUSR1);
    CHECK(((p->sigmask >> (SIGUSR1 - 1)) & 1) == 0);  // restored by rt_sigreturn
  }
  SECTION("a blocked synchronous fault takes the default action") {
    auto p = start(program({TRAP, b(0)}).build());
    p->sigact[SIGTRAP].handler = 0x10000004;
    p->sigmask = u64{1} << (SIGTRAP - 1);
    const ExitStatus st = p->run(1000);
    CHECK(st.signaled);
    CHECK(st.signal == SIGTRAP);
  }
  SECTION("SA_RESETHAND: the second trap is fatal") {
    auto p = start(program({TRAP, b(0)}).build());
    p->sigact[SIGTRAP].handler = 0x10000000;  // the handler traps again
    p->sigact[SIGTRAP].flags = 0x80000000 | 0x40000000;  // SA_RESETHAND | SA_NODEFER
    const ExitStatus st = p->run(1000);
    CHECK(st.signaled);
    CHECK(st.signal == SIGTRAP);
  }
}

TEST_CASE("a static glibc program runs end to end (needs the cross compiler)", "[user]") {
  if (std::system("command -v powerpc64le-linux-gnu-gcc >/dev/null 2>&1") != 0) {
    WARN("powerpc64le-linux-gnu-gcc not found: end-to-end test skipped");
    return;
  }
  char dir[] = "/tmp/lpar-user-test-XXXXXX";
  REQUIRE(mkdtemp(dir));
  const std::string d = dir;
  std::ofstream(d + "/e2e.c") << R"(#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
int main(int argc, char **argv) {
  int v[64];
  for (int i = 0; i < 64; i++) v[i] = (i * 7919) % 101;
  qsort(v, 64, sizeof *v, cmp);
  char *p = malloc(100000);
  memset(p, 'a', 99999);
  p[99999] = 0;
  printf("argc=%d %s %s len=%zu v=%d,%d,%d %.4f %s\n", argc, argv[1], argv[2], strlen(p), v[0], v[32], v[63],
         3.0 / 7.0, getenv("LPAR_E2E"));
  return 5;
}
)";
  REQUIRE(std::system(("powerpc64le-linux-gnu-gcc -O2 -static -o " + d + "/e2e " + d + "/e2e.c").c_str()) == 0);

  // The guest writes to fd 1 directly: point it at a file for the run.
  std::fflush(stdout);
  const int saved = dup(1);
  const int out = open((d + "/out").c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  REQUIRE(out >= 0);
  dup2(out, 1);
  close(out);
  ExitStatus st;
  std::string err;
  {
    Process p;
    const bool ok = p.load(d + "/e2e", {"e2e", "x", "yz"}, {"LPAR_E2E=yes"}, err);
    if (ok) st = p.run(u64{1} << 32);
    else st.code = -1;
  }
  dup2(saved, 1);
  close(saved);
  INFO(err);
  std::stringstream text;
  text << std::ifstream(d + "/out").rdbuf();
  std::system(("rm -rf " + d).c_str());
  // Output and status of qemu-ppc64le 7.2 for the same program.
  CHECK(text.str() == "argc=3 x yz len=99999 v=0,50,100 0.4286 yes\n");
  CHECK_FALSE(st.signaled);
  CHECK(st.code == 5);
}
