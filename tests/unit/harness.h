// A CPU with flat memory at guest address 0, for per-instruction tests.
#pragma once
#include <memory>
#include <vector>

#include "cpu/interp.h"
#include "cpu/isa/table.h"
#include "cpu/memory.h"

namespace lpar::test {

struct TestCpu {
  static constexpr u64 MEM_SIZE = 1 << 20;
  CpuState s{};
  std::vector<u8> mem = std::vector<u8>(MEM_SIZE);
  MemoryBackend backend{};
  Interpreter interp;

  explicit TestCpu(isa::Model m = isa::POWER9, bool le = true) : interp(s, m) {
    backend.fill = &fill;
    backend.code_write = &code_write;
    backend.opaque = this;
    s.mem = &backend;
    s.le = le;
    s.msr = (u64{1} << 63) | (u64{1} << 25) | (u64{1} << 23) | (u64{1} << 13) | (u64{1} << 14) | (le ? 1 : 0);
    // A Linux process: TAR and DSCR enabled in FSCR (as lpar-user starts them).
    s.fscr = (u64{1} << 8) | (u64{1} << 2);
    reset_tlb(s);
  }

  static int fill(CpuState& s, u64 ea, Access acc, uintptr_t* addend) {
    auto* self = static_cast<TestCpu*>(s.mem->opaque);
    if (ea >= MEM_SIZE) {
      s.exc = acc == Access::Exec ? Exc::ISI : Exc::DSI;
      s.exc_addr = ea;
      return FILL_FAULT;
    }
    *addend = reinterpret_cast<uintptr_t>(self->mem.data());
    const u64 page = ea & PAGE_MASK;
    TlbEntry& e = tlb_entry(s, ea);
    if (e.tag_read != page) e = {TLB_INVALID, TLB_INVALID, TLB_INVALID, *addend};
    e.addend = *addend;
    e.tag_read = page;
    e.tag_exec = page;
    if (self->interp.page_has_code(page + *addend)) return FILL_CODE;
    e.tag_write = page;
    return FILL_OK;
  }
  static void code_write(CpuState& s, u64, uintptr_t host, unsigned len) {
    static_cast<TestCpu*>(s.mem->opaque)->interp.invalidate_range(host, len);
  }

  void put32(u64 addr, u32 w) {
    if (!s.le) w = __builtin_bswap32(w);
    std::memcpy(&mem[addr], &w, 4);
  }
  // Execute one instruction word placed at address 0x1000.
  Status exec(u32 word) {
    put32(0x1000, word);
    interp.invalidate_all();
    reset_tlb(s);
    s.nip = 0x1000;
    s.exc = Exc::None;
    return interp.step();
  }
};

}  // namespace lpar::test
