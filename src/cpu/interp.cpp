#include "cpu/interp.h"

#include <algorithm>

#include "cpu/memory.h"
#include "cpu/sem/common.h"

namespace lpar {

namespace {
inline unsigned fast_index(u64 ea, unsigned bits) { return (ea >> 2) & ((1u << bits) - 1); }
}  // namespace

Block* Interpreter::lookup(u64 ea) {
  const u8 mode = fetch_mode(s_);
  Block* b = fast_[fast_index(ea, FAST_BITS)];
  if (b && b->ea == ea && b->mode == mode) return b;
  // One block per EA: one decoded in another mode is rebuilt (build() replaces it).
  auto it = blocks_.find(ea);
  if (it == blocks_.end() || it->second->mode != mode) return nullptr;
  fast_[fast_index(ea, FAST_BITS)] = it->second.get();
  return it->second.get();
}

Block* Interpreter::build(u64 ea) {
  auto b = std::make_unique<Block>();
  b->ea = ea;
  b->mode = fetch_mode(s_);
  b->heat = threshold_;
  u64 pc = ea;
  do {
    u32 w;
    if (!fetch(s_, pc, w)) {
      if (pc == ea) return nullptr;  // ISI for the first instruction
      s_.exc = Exc::None;            // later ones fault when reached
      break;
    }
    const isa::Op op = isa::decode(w, model_);
    b->insns.push_back({handler(op), w, op});
    pc += 4;
    if ((isa::info(op).flags & isa::END) || op == isa::Op::invalid) break;
  } while (b->insns.size() < MAX_BLOCK && (pc & ~PAGE_MASK) != 0);
  b->count = static_cast<u32>(b->insns.size());
  b->insns.push_back({&block_end, b->count, isa::Op::invalid});

  // Writes to this page must now reach invalidate_page: drop cached write tags.
  const u64 page = ea & PAGE_MASK;
  if (code_pages_.insert(page).second) {
    TlbEntry& e = tlb_entry(s_, page);
    if (e.tag_write == page) e.tag_write = TLB_INVALID;
  }
  Block* raw = b.get();
  auto& on_page = by_page_[page];
  auto& slot = blocks_[ea];
  if (slot) {  // decoded in another fetch mode: replaced
    std::erase(on_page, slot.get());
    graveyard_.push_back(std::move(slot));
  }
  on_page.push_back(raw);
  slot = std::move(b);
  fast_[fast_index(ea, FAST_BITS)] = raw;
  return raw;
}

void Interpreter::invalidate_page(u64 page) {
  auto it = by_page_.find(page);
  if (it == by_page_.end()) return;
  for (Block* b : it->second) {
    b->valid = false;
    Block*& f = fast_[fast_index(b->ea, FAST_BITS)];
    if (f == b) f = nullptr;
    auto bit = blocks_.find(b->ea);
    if (bit != blocks_.end() && bit->second.get() == b) {
      graveyard_.push_back(std::move(bit->second));
      blocks_.erase(bit);
    }
  }
  by_page_.erase(it);
  code_pages_.erase(page);
}

void Interpreter::invalidate_all() {
  for (auto& [k, b] : blocks_) graveyard_.push_back(std::move(b));
  blocks_.clear();
  by_page_.clear();
  code_pages_.clear();
  for (Block*& f : fast_) f = nullptr;
}

void invalidate_blocks(CpuState& s) {
  if (s.interp) static_cast<Interpreter*>(s.interp)->invalidate_all();
}

void Interpreter::reap() {
  if (compiler_)
    for (auto& b : graveyard_)
      if (b->compiled) compiler_->release(*b);
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

Status block_end(CpuState& s, const DecodedInsn* d) {
  s.icount += d->raw;
  if (--s.chain_budget < 0) return Status::Next;
  Block* next = static_cast<const Interpreter*>(s.interp)->cached(s.nip, fetch_mode(s));
  if (!next) return Status::Next;
  // A block turning hot goes back to the run loop, which compiles it.
  if (LPAR_UNLIKELY(--next->heat <= 0)) return Status::Next;
  s.block_ea = next->ea;
  return next->insns[0].fn(s, next->insns.data());
}

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
    Block* b = lookup(s_.nip);
    if (!b && !(b = build(s_.nip))) return Status::Exception;
    if (LPAR_UNLIKELY(--b->heat <= 0)) heat_up(b);
    // Chain through at most 64 blocks per visit here, and none for short
    // budgets (timer slices), so the caller's limit is kept closely.
    s_.chain_budget = max_insns >= 4096 ? 64 : 0;
    s_.block_ea = b->ea;
    const Status st = b->insns[0].fn(s_, b->insns.data());
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
  const DecodedInsn one[2] = {{handler(op), w, op}, {&block_end, 1, isa::Op::invalid}};
  s_.chain_budget = 0;
  s_.block_ea = s_.nip;
  const Status st = one[0].fn(s_, one);
  return st == Status::Exception ? st : Status::Next;
}

}  // namespace lpar
