#include "hv/lpid.h"

#include <cerrno>

namespace lpar::hv {

void LpidAllocator::set_limit(u32 max_lpid) {
  std::lock_guard<std::mutex> lk(mu_);
  max_ = max_lpid < 1 ? 1 : max_lpid;
  used_.assign(max_ + 1, false);
  used_[0] = true;
  next_ = 1;
}

int LpidAllocator::allocate(u32& lpid, u64& generation) {
  std::lock_guard<std::mutex> lk(mu_);
  const u32 next0 = next_;
  const u64 gen0 = gen_;
  for (u32 tries = 0; tries < max_; ++tries) {
    const u32 cand = next_;
    if (++next_ > max_) {
      next_ = 1;
      ++gen_;  // the next hand-out of any LPID is a reuse
    }
    if (!used_[cand]) {
      used_[cand] = true;
      lpid = cand;
      generation = gen_;
      return 0;
    }
  }
  next_ = next0;  // a failed search hands nothing out: no wrap happened
  gen_ = gen0;
  return -ENOMEM;
}

void LpidAllocator::release(u32 lpid) {
  std::lock_guard<std::mutex> lk(mu_);
  if (lpid && lpid <= max_) used_[lpid] = false;
}

u64 LpidAllocator::generation() const {
  std::lock_guard<std::mutex> lk(mu_);
  return gen_;
}

}  // namespace lpar::hv
