// The semantic functions as LLVM IR (the bitcode of cpu/sem_bitcode.cpp), cut
// into the modules the JIT links: a block's module inlines the per-instruction
// entry points lpar_sem_<id>; everything they call that clang left out of line
// (FP cores, DFP arithmetic...) is compiled once, one module per function, and
// shared by all blocks; the constant tables live in one shared module too, so
// every address is unique as in the host.
#pragma once
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <llvm/IR/Module.h>

#include "cpu/interp.h"

namespace lpar::jit {

class SemLibrary {
 public:
  // m must define lpar_sem_<id> for every table line and lpar_sem_invalid.
  explicit SemLibrary(std::unique_ptr<llvm::Module> m);
  bool complete() const { return missing_.empty(); }
  const std::string& missing() const { return missing_; }

  // The constant tables (add once).
  std::unique_ptr<llvm::Module> globals_module();
  // One shared function's module (add once per function).
  std::unique_ptr<llvm::Module> helper_module(const llvm::Function& f);

  // A module defining `name` with the Handler signature: b's instructions in
  // order, each lpar_sem_<id> inlined, with the control flow of
  // LPAR_THREADED_HANDLER (cpu/dispatch.h).  When the block branches to
  // itself it loops inside, doing what block_end would do to chain to it
  // (slot: the interpreter's cache entry for b.key).  helpers gets the shared
  // functions it reaches, directly or not (callers add those not yet added).
  std::unique_ptr<llvm::Module> block_module(const Block& b, Block* const* slot, const std::string& name,
                                             std::vector<const llvm::Function*>& helpers);

 private:
  const std::vector<const llvm::GlobalValue*>& refs(const llvm::Function& f);
  std::unique_ptr<llvm::Module> empty_module(const std::string& name) const;

  std::unique_ptr<llvm::Module> sem_;
  std::vector<llvm::Function*> by_op_;  // index: isa::Op
  std::string missing_;
  std::unordered_map<const llvm::Function*, std::vector<const llvm::GlobalValue*>> refs_;
};

}  // namespace lpar::jit
