// One ORC LLJIT per process, shared by every interpreter (vCPU threads
// included): compiles blocks under a lock, never on the per-instruction path.
#pragma once
#include <memory>
#include <mutex>
#include <string>

#include "cpu/interp.h"

namespace lpar::jit {

class Engine {
 public:
  // The process's engine, created on first use; null if LLVM could not be set
  // up (err says why).
  static Engine* get(std::string& err);

  // b's code, or null.  *handle is what release() takes.  slot is where the
  // owning interpreter's cached() finds b while b is current.
  Handler compile(const Block& b, Block* const* slot, void** handle);
  void release(void* handle);
  unsigned live() const { return live_; }

  // Bound on compiled blocks alive at once (their code is freed with the block).
  static constexpr unsigned MAX_LIVE = 16384;

  struct Impl;
  ~Engine();

 private:
  Engine() = default;
  std::mutex mu_;
  std::unique_ptr<Impl> impl_;
  unsigned live_ = 0;
  unsigned long next_id_ = 0;
  bool failed_once_ = false;
};

}  // namespace lpar::jit
