// The LLVM tier of the CPU core (docs/jit.md): hot pre-decoded blocks are
// compiled, through LLVM ORC, from the same semantic functions the
// interpreter runs (their bitcode is embedded in the binary), and installed
// as the block's first handler.  The interpreter stays the full fallback.
#pragma once
#include <string>

#include "cpu/interp.h"

namespace lpar::jit {

// Blocks entered this many times are compiled.
inline constexpr u32 DEFAULT_THRESHOLD = 256;

struct Options {
  bool enabled = false;
  u32 threshold = DEFAULT_THRESHOLD;
};

// The defaults, as changed by the environment: LPAR_JIT=on|off and
// LPAR_JIT_THRESHOLD=N (tests use them to run programs unchanged).
Options options_from_env();
// "on"/"off" for a --jit option; false for anything else.
bool parse_switch(const std::string& v, bool& on);

// Give interp the LLVM tier.  False (with err) when LLVM cannot be set up;
// the interpreter then runs alone.
bool attach(Interpreter& interp, u32 threshold, std::string& err);
// attach() per the options; logs a warning if it fails.
void apply(Interpreter& interp, const Options& opt);

// Blocks compiled and alive across the process (for tests and -d output).
unsigned live_blocks();

}  // namespace lpar::jit
