#include "cpu/block.h"

#include <new>

namespace lpar {

Block* BlockArena::make(unsigned entries) {
  const unsigned cls = (entries + STEP - 1) / STEP - 1;
  void* mem;
  if (Block* f = free_[cls]) {
    free_[cls] = f->page_next;
    f->~Block();
    mem = f;
  } else {
    const size_t need = bytes_of(cls);
    if (left_ < need) {
      chunks_.push_back(std::make_unique<std::byte[]>(CHUNK));
      cur_ = chunks_.back().get();
      left_ = CHUNK;
    }
    mem = cur_;
    cur_ += need;
    left_ -= need;
  }
  Block* b = new (mem) Block{};
  b->size_class = static_cast<u8>(cls);
  b->insns = reinterpret_cast<DecodedInsn*>(b + 1);
  return b;
}

void BlockArena::release(Block* b) {
  b->page_next = free_[b->size_class];
  free_[b->size_class] = b;
}

}  // namespace lpar
