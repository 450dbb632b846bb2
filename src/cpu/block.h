// A pre-decoded block and the arena it lives in.  A block is a header and
// its instruction array in one allocation (the chaining path touches one
// place), taken from size-classed free lists over large chunks: decoding a
// block allocates nothing once the arena has warmed up.
#pragma once
#include <climits>
#include <memory>
#include <vector>

#include "cpu/dispatch.h"

namespace lpar {

struct Block {
  uintptr_t key;  // host address of the first instruction | MSR[LE]; 0 once dropped
  u64 ea;         // the effective address it was first decoded at (logs)
  // Entries left before the block is handed to the compiler (Interpreter::heat_up).
  s32 heat = INT_MAX;
  u32 count = 0;  // instructions, not counting the terminator
  u8 size_class = 0;
  void* compiled = nullptr;  // the compiler's handle once insns[0].fn is its code
  Block* page_next = nullptr;  // the other blocks decoded from its real page
  // The blocks it last chained to (block_end): tried before the cache, and
  // valid only while their key is still the one looked for (a dropped block's
  // key is 0, a reused one's another page's).
  Block* succ[2] = {};
  DecodedInsn* insns;          // count entries, then one block_end (inline, after this header)

  // The block whose terminator is d (insns are inline after the header).
  static Block* of_terminator(const DecodedInsn* d) {
    return reinterpret_cast<Block*>(const_cast<DecodedInsn*>(d - d->raw)) - 1;
  }
};

class BlockArena {
 public:
  // Most instructions a block holds (its terminator excluded).
  static constexpr unsigned MAX_INSNS = 64;

  BlockArena() = default;
  BlockArena(const BlockArena&) = delete;
  BlockArena& operator=(const BlockArena&) = delete;

  // A block with room for `entries` DecodedInsn (instructions + terminator).
  Block* make(unsigned entries);
  // Back to its free list (the caller made sure nothing runs it).
  void release(Block* b);

 private:
  static constexpr unsigned STEP = 8;  // entries per size class
  static constexpr unsigned CLASSES = (MAX_INSNS + 1 + STEP - 1) / STEP;
  static constexpr size_t CHUNK = size_t{1} << 20;
  static size_t bytes_of(unsigned cls) { return sizeof(Block) + (cls + 1) * STEP * sizeof(DecodedInsn); }

  std::vector<std::unique_ptr<std::byte[]>> chunks_;
  std::byte* cur_ = nullptr;
  size_t left_ = 0;
  Block* free_[CLASSES] = {};  // linked through page_next
};

}  // namespace lpar
