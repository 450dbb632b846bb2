#include "cpu/interp.h"

#include <algorithm>
#include <cstring>

#include "cpu/memory.h"
#include "cpu/sem/common.h"

namespace lpar {

Block* Interpreter::lookup(uintptr_t key) {
  FastSlot& f = fast_[fast_index(key)];
  if (f.key == key) return f.block;
  Block* b = blocks_.find(key);
  if (b) f = {key, b};
  return b;
}

namespace {
Status block_end_heat(CpuState& s, const DecodedInsn* d);
}  // namespace

// Decodes from the host bytes of the real page: the block never crosses the
// page, so the translation checked on entry (code_addr) covers every word.
Block* Interpreter::build(u64 ea, uintptr_t key) {
  const uintptr_t host = key & ~uintptr_t{3};
  const unsigned room = static_cast<unsigned>((PAGE_SIZE - (ea & ~PAGE_MASK)) >> 2);
  const unsigned max = room < MAX_BLOCK ? room : MAX_BLOCK;
  DecodedInsn tmp[MAX_BLOCK];
  unsigned n = 0;
  while (n < max) {
    u32 w;
    std::memcpy(&w, reinterpret_cast<const void*>(host + 4 * n), 4);
    if (!s_.le) w = bswap(w);
    const isa::Op op = isa::decode(w, model_);
    tmp[n++] = {handler_for(op, w), w, op};
    if ((isa::info(op).flags & isa::END) || op == isa::Op::invalid) break;
  }
  Block* b = arena_.make(n + 1);
  b->key = key;
  b->ea = ea;
  b->heat = threshold_;
  b->count = n;
  std::memcpy(static_cast<void*>(b->insns), tmp, n * sizeof(DecodedInsn));
  b->insns[n] = {compiler_ ? &block_end_heat : &block_end, n, isa::Op::invalid};
  ++stats_.blocks_built;
  stats_.insns_decoded += n;

  const uintptr_t page = host & ~uintptr_t{PAGE_SIZE - 1};
  Block* head = pages_.find(page);
  if (!head) {
    // Stores to this real page must now reach code_write, through whatever
    // effective address: drop every write tag of this thread's TLB that
    // maps to it (other vCPUs drop all theirs when they are switched in).
    for (TlbEntry& e : s_.tlb)
      if (e.tag_write != TLB_INVALID && ((e.tag_write + e.addend) & ~uintptr_t{PAGE_SIZE - 1}) == page)
        e.tag_write = TLB_INVALID;
  }
  b->page_next = head;
  pages_.put(page, b);
  blocks_.put(key, b);  // one block per key: build() runs only on a miss
  fast_[fast_index(key)] = {key, b};
  return b;
}

// b leaves the lookup structures (not its page's list: the caller's).
void Interpreter::drop(Block* b) {
  FastSlot& f = fast_[fast_index(b->key)];
  if (f.block == b) f = {};
  if (blocks_.find(b->key) == b) blocks_.take(b->key);
  b->key = 0;  // no successor link can match it any more
  graveyard_.push_back(b);
}

void Interpreter::invalidate_page(uintptr_t page) {
  Block* b = pages_.take(page);
  if (!b) return;
  while (b) {
    Block* next = b->page_next;
    drop(b);
    b = next;
  }
  ++stats_.pages_invalidated;
}

void Interpreter::invalidate_range(uintptr_t host, u64 len) {
  if (len == 0 || pages_.size() == 0) return;
  const uintptr_t first = host & ~uintptr_t{PAGE_SIZE - 1};
  const uintptr_t last = (host + len - 1) & ~uintptr_t{PAGE_SIZE - 1};
  if ((last - first) / PAGE_SIZE >= pages_.size()) {
    // A range larger than the code: walk the code pages instead.
    std::vector<uintptr_t> hit;
    pages_.for_each([&](uintptr_t p, Block*) {
      if (p >= first && p <= last) hit.push_back(p);
    });
    for (uintptr_t p : hit) invalidate_page(p);
    return;
  }
  for (uintptr_t p = first;; p += PAGE_SIZE) {
    invalidate_page(p);
    if (p == last) break;
  }
}

void Interpreter::invalidate_all() {
  blocks_.for_each([&](uintptr_t, Block* b) {
    b->key = 0;
    graveyard_.push_back(b);
  });
  blocks_.clear();
  pages_.clear();
  for (unsigned i = 0; i < (1u << FAST_BITS); ++i) fast_[i] = {};
  ++stats_.flushes;
}

void Interpreter::reap() {
  for (Block* b : graveyard_) {
    if (b->compiled && compiler_) compiler_->release(*b);
    arena_.release(b);
  }
  graveyard_.clear();
}

Interpreter::~Interpreter() {
  invalidate_all();
  reap();
}

void Interpreter::set_compiler(std::unique_ptr<BlockCompiler> c, u32 threshold) {
  invalidate_all();  // blocks made before keep no stale heat or code
  reap();
  compiler_ = std::move(c);
  threshold_ = compiler_ ? static_cast<s32>(std::min<u32>(std::max<u32>(threshold, 1), INT_MAX)) : INT_MAX;
}

// The block was entered `threshold` times: compile it once (a refusal or a
// failure leaves it interpreted for good).
void Interpreter::heat_up(Block* b) {
  b->heat = INT_MAX;
  if (!compiler_ || b->compiled) return;
  if (Handler h = compiler_->compile(*b)) b->insns[0].fn = h;
}

namespace {
// The terminators' work: count the block, then jump into the block at NIA
// while the budget lasts and the ITLB holds NIA (anything else is the run
// loop's).  Heat: count entries for the compiler (only blocks built while
// one is attached end this way; the others skip the store).
template <bool Heat>
inline Status chain(CpuState& s, const DecodedInsn* d) {
  const u32 n = d->raw;
  s.icount += n;
  s.chain_budget -= n;
  if (s.chain_budget <= 0) return Status::Next;
  const u64 nia = s.nip;
  const uintptr_t h = code_addr_cached(s, nia);
  if (!h) return Status::Next;
  const uintptr_t key = Interpreter::key_of(h, s);
  // (step()'s one-instruction array has no block: its budget is 0 above.)
  Block* self = Block::of_terminator(d);
  Block* next = self->succ[0];
  if (!next || next->key != key) {
    next = self->succ[1];
    if (!next || next->key != key) {
      next = static_cast<const Interpreter*>(s.interp)->cached(key);
      if (!next) return Status::Next;
      self->succ[1] = self->succ[0];
      self->succ[0] = next;
    }
  }
  // A block turning hot goes back to the run loop, which compiles it.
  if constexpr (Heat)
    if (LPAR_UNLIKELY(--next->heat <= 0)) return Status::Next;
  s.block_ea = nia;
  const DecodedInsn* first = reinterpret_cast<const DecodedInsn*>(next + 1);  // == next->insns
  return first->fn(s, first);
}
Status block_end_heat(CpuState& s, const DecodedInsn* d) { return chain<true>(s, d); }
}  // namespace

Status block_end(CpuState& s, const DecodedInsn* d) { return chain<false>(s, d); }

// Book III-S 6.5.15 (v2.07B) Trace interrupt: with MSR[SE], after every
// instruction that completes without an interrupt, except rfid, hrfid,
// mtmsr(d) and sc (never traced); with MSR[BE], after every branch.  SRR0
// is the next instruction.  Traced code runs one instruction at a time.
Status Interpreter::run_traced() {
  const u64 cia = s_.nip;
  u32 w;
  if (!fetch(s_, cia, w)) return Status::Exception;
  const isa::Op op = isa::decode(w, model_);
  if (step() == Status::Exception) return Status::Exception;
  using isa::Op;
  const bool branch = op == Op::b || op == Op::bc || op == Op::bclr || op == Op::bcctr || op == Op::bctar;
  const bool exempt = op == Op::rfid || op == Op::hrfid || op == Op::mtmsr || op == Op::mtmsrd || op == Op::sc;
  // The MSR in effect is the one the instruction ran with (rfid/mtmsrd are exempt).
  const bool se = s_.msr & sem::MSR_SE, be = s_.msr & sem::MSR_BE;
  if (exempt || !((se) || (be && branch))) return Status::Next;
  // v3.0B Book III 6.5.15 / 9.4.8: on POWER8 and later the Trace interrupt
  // also leaves the traced instruction's address in SIAR.
  if (model_ >= isa::POWER8) s_.siar = cia;
  s_.exc = Exc::Trace;
  s_.exc_reason = 0;
  return Status::Exception;
}

Status Interpreter::run(u64 max_insns) {
  const u64 stop = s_.icount + max_insns;
  reap();
  while (s_.icount < stop) {
    if (LPAR_UNLIKELY(s_.msr & (sem::MSR_SE | sem::MSR_BE))) {
      const Status st = run_traced();
      if (st == Status::Exception) return st;
      continue;
    }
    // NIA is word-aligned (Book III-S 6.4: rfid takes SRR0[0:61] || 0b00);
    // only a debugger can set other bits, and they mean nothing either.
    // (A block must hold at least one instruction: block_end counts them.)
    s_.nip &= ~u64{3};
    const uintptr_t h = code_addr(s_, s_.nip);
    if (!h) return Status::Exception;  // ISI (or machine check) for the fetch
    const uintptr_t key = key_of(h, s_);
    Block* b = lookup(key);
    if (!b) b = build(s_.nip, key);
    if (LPAR_UNLIKELY(compiler_ != nullptr) && --b->heat <= 0) heat_up(b);
    // Blocks chain while the caller's budget lasts: its limit (a timer
    // slice) is kept to the block, as this loop keeps it.  Chaining is a
    // chain of tail calls, and where the compiler keeps them as calls
    // (sanitizer builds) every instruction adds a frame: one visit chains
    // at most CHAIN_MAX instructions.
    s_.chain_budget = static_cast<s64>(std::min<u64>(stop - s_.icount, CHAIN_MAX));
    s_.block_ea = s_.nip;
    const Status st = b->insns[0].fn(s_, b->insns);
    if (LPAR_UNLIKELY(st == Status::Exception)) {
      // s.nip is the interrupted instruction (after it, for sc): all before it
      // in its block retired (earlier blocks were counted by block_end).
      s_.icount += (s_.nip - s_.block_ea) >> 2;
      return st;
    }
    // The terminators counted every block that ran.
    if (LPAR_UNLIKELY(!graveyard_.empty())) reap();
  }
  return Status::Next;
}

Status Interpreter::step() {
  u32 w;
  if (!fetch(s_, s_.nip, w)) return Status::Exception;
  const isa::Op op = isa::decode(w, model_);
  const DecodedInsn one[2] = {{handler_for(op, w), w, op}, {&block_end, 1, isa::Op::invalid}};
  s_.chain_budget = 0;
  s_.block_ea = s_.nip;
  const Status st = one[0].fn(s_, one);
  return st == Status::Exception ? st : Status::Next;
}

}  // namespace lpar
