// What the generated sem_embed.cpp provides (src/jit/embed_sem.cmake): the
// semantics bitcode linked into the binary, and the host addresses of every
// symbol that bitcode leaves undefined, so compiled blocks call the very
// functions the interpreter calls (load_slow, timebase, libm...).
#pragma once

extern "C" const char lpar_sem_bc_begin[];
extern "C" const char lpar_sem_bc_end[];

namespace lpar::jit {

struct HostSymbol {
  const char* name;
  void* addr;
};
extern const HostSymbol host_symbols[];
extern const unsigned host_symbol_count;

}  // namespace lpar::jit
