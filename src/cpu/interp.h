// The pre-decoded interpreter: instructions are decoded once per address into
// blocks of (handler, word) pairs; blocks are dropped when their page is
// written (memory backend reports FILL_CODE pages) or on icbi.
#pragma once
#include <climits>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cpu/dispatch.h"

namespace lpar {

// What an instruction address means besides the EA: the byte order and the
// MSR bits that choose the instruction-side mapping (IR; HV for real mode; PR
// for fetch permission).  A block runs only in the mode it was decoded in, so
// an rfid or interrupt that changes the mapping never runs stale code.
inline u8 fetch_mode(const CpuState& s) {
  return u8(s.le | ((s.msr >> 4) & 2) | ((s.msr >> 12) & 4) | ((s.msr >> 57) & 8));  // LE, IR, PR, HV
}

struct Block {
  u64 ea;
  u8 mode;  // fetch_mode() it was decoded in
  bool valid = true;
  u32 count = 0;                   // instructions, not counting the terminator
  // Entries left before the block is handed to the compiler (see heat_up).
  s32 heat = INT_MAX;
  void* compiled = nullptr;        // the compiler's handle once insns[0].fn is its code
  std::vector<DecodedInsn> insns;  // count entries, then one block_end
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

  // The block at ea if it is in the direct-mapped cache (the chaining path).
  Block* cached(u64 ea, u8 mode) const {
    Block* b = fast_[(ea >> 2) & ((1u << FAST_BITS) - 1)];
    return (b && b->ea == ea && b->mode == mode) ? b : nullptr;
  }
  // Where cached() looks for ea (compiled loops test it to stay in themselves).
  Block* const* fast_slot(u64 ea) const { return &fast_[(ea >> 2) & ((1u << FAST_BITS) - 1)]; }
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

  bool page_has_code(u64 page) const { return code_pages_.count(page) != 0; }
  void invalidate_page(u64 page);
  void invalidate_all();
  isa::Model model() const { return model_; }

  static constexpr unsigned MAX_BLOCK = 64;

 private:
  Block* lookup(u64 ea);
  Status run_traced();
  Block* build(u64 ea);
  void reap();
  void heat_up(Block* b);

  CpuState& s_;
  isa::Model model_;
  static constexpr unsigned FAST_BITS = 12;
  Block* fast_[1u << FAST_BITS] = {};
  std::unordered_map<u64, std::unique_ptr<Block>> blocks_;  // key: ea | le
  std::unordered_map<u64, std::vector<Block*>> by_page_;
  std::unordered_set<u64> code_pages_;
  std::vector<std::unique_ptr<Block>> graveyard_;
  std::unique_ptr<BlockCompiler> compiler_;
  s32 threshold_ = INT_MAX;
};

}  // namespace lpar
