// Dispatch: one handler per table line, generated from isa.inc.
//
// Handlers are threaded: each runs its instruction's semantic function and,
// when it falls through, advances NIA and tail-calls the next pre-decoded
// instruction's handler.  A block therefore runs as a chain of jumps, one
// indirect branch per instruction spread over all handlers (better predicted
// than one central dispatch), and returns to the run loop only when it ends.
#pragma once
#include <span>

#include "cpu/isa/table.h"
#include "cpu/sem/common.h"

namespace lpar {

struct DecodedInsn;
using Handler = Status (*)(CpuState&, const DecodedInsn*);

struct DecodedInsn {
  Handler fn;
  u32 raw;
  isa::Op op;
};

extern const Handler handlers[isa::NUM_OPS];
// Terminates every block (its raw field holds the block's length): counts the
// block as retired and chains to the next pre-decoded block while
// s.chain_budget (instructions) lasts; otherwise returns Next to the run loop.
Status block_end(CpuState& s, const DecodedInsn* d);

inline Handler handler(isa::Op op) { return handlers[static_cast<unsigned>(op)]; }

// The handler for word w of op: a decode-time specialization of the table
// line's handler when one matches (cpu/isa/special.inc), else handler(op).
Handler handler_for(isa::Op op, u32 w);
// Every specialization (for tests: each must act as the generic handler).
struct SpecialInfo {
  isa::Op op;
  const char* name;
  u32 mask, value;
  Handler fn;
};
std::span<const SpecialInfo> special_handlers();

// Body of every generated handler (cpu/sem/<class>.cpp, cpu/special.cpp):
// runs `call` (the semantic function on the word) and threads onward.
#define LPAR_HANDLER_BODY(call)                                        \
  {                                                                    \
    const Status st = (call);                                          \
    if (LPAR_LIKELY(st == Status::Next)) {                             \
      s.nip += 4;                                                      \
      return d[1].fn(s, d + 1);                                        \
    }                                                                  \
    /* A branch ends its block: the terminator may chain onward. */    \
    if (st == Status::Jump) return d[1].fn(s, d + 1);                  \
    return st;                                                         \
  }
#define LPAR_THREADED_HANDLER(id) \
  Status h_##id(CpuState& s, const DecodedInsn* d) LPAR_HANDLER_BODY(sem::id(s, d->raw))

}  // namespace lpar
