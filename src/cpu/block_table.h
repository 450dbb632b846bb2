// Host address -> Block*: an open-addressing table with linear probing, so a
// lookup is one hash and (almost always) one probe, and erasing shifts the
// run back instead of leaving tombstones.  Keys are nonzero (host addresses).
#pragma once
#include <cstdint>
#include <vector>

#include "cpu/block.h"

namespace lpar {

class BlockTable {
 public:
  BlockTable() : slots_(MIN_SLOTS) {}

  Block* find(uintptr_t key) const {
    for (size_t i = home(key);; i = (i + 1) & mask()) {
      const Slot& s = slots_[i];
      if (s.key == key) return s.block;
      if (s.key == 0) return nullptr;
    }
  }
  // Sets key's block (replacing one there).
  void put(uintptr_t key, Block* b) {
    if ((count_ + 1) * 4 > slots_.size() * 3) grow();
    size_t i = home(key);
    while (slots_[i].key != 0 && slots_[i].key != key) i = (i + 1) & mask();
    if (slots_[i].key == 0) ++count_;
    slots_[i] = {key, b};
  }
  // Removes key; returns its block (or null).
  Block* take(uintptr_t key) {
    size_t i = home(key);
    while (slots_[i].key != key) {
      if (slots_[i].key == 0) return nullptr;
      i = (i + 1) & mask();
    }
    Block* b = slots_[i].block;
    // Backward-shift deletion: pull later members of the run into the hole
    // when their home position allows it.
    for (size_t j = (i + 1) & mask();; j = (j + 1) & mask()) {
      if (slots_[j].key == 0) break;
      const size_t h = home(slots_[j].key);
      if (((j - h) & mask()) >= ((j - i) & mask())) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = {};
    --count_;
    return b;
  }
  size_t size() const { return count_; }
  template <typename F>
  void for_each(F f) const {
    for (const Slot& s : slots_)
      if (s.key) f(s.key, s.block);
  }
  void clear() {
    slots_.assign(MIN_SLOTS, Slot{});
    count_ = 0;
  }

 private:
  struct Slot {
    uintptr_t key = 0;
    Block* block = nullptr;
  };
  static constexpr size_t MIN_SLOTS = 1024;
  size_t mask() const { return slots_.size() - 1; }
  size_t home(uintptr_t key) const {
    return static_cast<size_t>(((key >> 2) * 0x9E3779B97F4A7C15ull) >> 20) & mask();
  }
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    count_ = 0;
    for (const Slot& s : old)
      if (s.key) put(s.key, s.block);
  }

  std::vector<Slot> slots_;
  size_t count_ = 0;
};

}  // namespace lpar
