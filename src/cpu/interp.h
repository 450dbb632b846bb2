// The pre-decoded interpreter: instructions are decoded once per real page
// into blocks of (handler, word) pairs.  A block is keyed by the host address
// of its first instruction, i.e. by the real address it came from (guest RAM
// is one host mapping per slot), never by the effective address: entering
// one translates NIA through the host ITLB (CpuState::itlb, filled by a
// checked instruction fetch translation: a hit is a compare and an add),
// so a translation change (slbie,
// tlbie, MSR[IR], a partition switch, an HPT resize) costs a TLB refill and
// never a re-decode, and code reached through two effective addresses (real
// mode and the 0xc000... linear map) is decoded once.  Blocks go when their
// real page is written (the memory backend answers FILL_CODE for such pages
// and reports each store, whatever the alias, to code_write) or by DMA.
#pragma once
#include <climits>
#include <memory>
#include <vector>

#include "cpu/block.h"
#include "cpu/block_table.h"
#include "cpu/dispatch.h"

namespace lpar {

// Decode counters (-d stats style reports, tests): how often blocks were
// built and from how many distinct real pages.
struct InterpStats {
  u64 blocks_built = 0;
  u64 insns_decoded = 0;
  u64 pages_invalidated = 0;
  u64 flushes = 0;
};

// A second tier (src/jit): turns a hot block into one function with the
// Handler signature that runs exactly what the threaded handlers would, so
// installing it as insns[0].fn changes nothing else.  Called per block, never
// per instruction.
class BlockCompiler {
 public:
  virtual ~BlockCompiler() = default;
  // The compiled entry (and b.compiled set), or null: b stays interpreted.
  virtual Handler compile(Block& b) = 0;
  // b is about to be freed; no thread is running its code.
  virtual void release(Block& b) = 0;
};

class Interpreter {
 public:
  Interpreter(CpuState& s, isa::Model model) : s_(s), model_(model) {
    s.model = model;
    s.interp = this;
  }

  // The key of the instruction at host address h in the current byte order.
  static uintptr_t key_of(uintptr_t h, const CpuState& s) { return h | (s.le ? 1 : 0); }
  // The block with that key if it is in the direct-mapped cache (the
  // chaining path): the key sits beside the pointer, so a miss touches no block.
  Block* cached(uintptr_t key) const {
    const FastSlot& f = fast_[fast_index(key)];
    return f.key == key ? f.block : nullptr;
  }
  // Where cached() keeps key's block (compiled loops test it to stay in themselves).
  Block* const* fast_slot(uintptr_t key) const { return &fast_[fast_index(key)].block; }
  Interpreter(const Interpreter&) = delete;
  ~Interpreter();

  // Blocks entered `threshold` times are compiled by c (null: interpret only).
  void set_compiler(std::unique_ptr<BlockCompiler> c, u32 threshold);
  bool has_compiler() const { return compiler_ != nullptr; }

  // Run until an instruction raises an interrupt (returns Exception with
  // s.exc set, s.nip at the interrupted instruction) or about max_insns have
  // retired (returns Next).
  Status run(u64 max_insns);

  // Single instruction (for gdb stepping and tests).
  Status step();

  // Host page addresses (the real page's bytes): is code decoded from it,
  // and drop that code (exactly the blocks of the page).
  bool page_has_code(uintptr_t host_page) const { return pages_.find(host_page) != nullptr; }
  void invalidate_page(uintptr_t host_page);
  void invalidate_range(uintptr_t host, u64 len);
  void invalidate_all();
  const InterpStats& stats() const { return stats_; }
  size_t code_page_count() const { return pages_.size(); }
  isa::Model model() const { return model_; }

  static constexpr unsigned MAX_BLOCK = BlockArena::MAX_INSNS;
  // Most instructions one run-loop visit runs by chaining (a bound on the
  // stack depth where tail calls are not jumps).
  static constexpr u64 CHAIN_MAX = 4096;

 private:
  // Page offset and page number both pick the slot (code at one offset in
  // many pages must not collide).
  static unsigned fast_index(uintptr_t key) {
    return static_cast<unsigned>(((key >> 2) ^ (key >> (2 + FAST_BITS))) & ((1u << FAST_BITS) - 1));
  }
  void drop(Block* b);
  Block* lookup(uintptr_t key);
  Status run_traced();
  Block* build(u64 ea, uintptr_t key);
  void reap();
  void heat_up(Block* b);

  CpuState& s_;
  isa::Model model_;
  static constexpr unsigned FAST_BITS = 14;
  struct FastSlot {
    uintptr_t key = 0;
    Block* block = nullptr;
  };
  std::unique_ptr<FastSlot[]> fast_ = std::make_unique<FastSlot[]>(1u << FAST_BITS);
  BlockArena arena_;
  BlockTable blocks_;  // key -> block
  BlockTable pages_;   // host page -> its blocks (a list through page_next)
  InterpStats stats_;
  // Blocks dropped while code may still run them (a store to its own page):
  // freed at the next run-loop turn.
  std::vector<Block*> graveyard_;
  std::unique_ptr<BlockCompiler> compiler_;
  s32 threshold_ = INT_MAX;
};

}  // namespace lpar
