#include "papr/vty.h"

#include <algorithm>

#include "hv/papr.h"

namespace lpar::papr {

size_t Vty::push_input(const uint8_t* data, size_t len) {
  bool was_empty;
  size_t n;
  {
    std::lock_guard<std::mutex> g(mu_);
    was_empty = in_.empty();
    n = std::min(len, capacity_ - in_.size());
    in_.insert(in_.end(), data, data + n);
  }
  if (was_empty && n && notify_) notify_();
  return n;
}

size_t Vty::input_pending() {
  std::lock_guard<std::mutex> g(mu_);
  return in_.size();
}

long Vty::h_put_term_char(uint64_t termno, uint64_t len, uint64_t hi, uint64_t lo) {
  if (!addresses(termno) || len > VTY_MAX_CHARS) return hv::H_PARAMETER;
  uint8_t buf[VTY_MAX_CHARS];
  for (unsigned i = 0; i < 8; i++) {
    buf[i] = uint8_t(hi >> (56 - 8 * i));
    buf[8 + i] = uint8_t(lo >> (56 - 8 * i));
  }
  put_chars(buf, size_t(len));
  return hv::H_SUCCESS;
}

long Vty::h_get_term_char(uint64_t termno, uint64_t out[3]) {
  if (!addresses(termno)) return hv::H_PARAMETER;
  uint64_t regs[2] = {0, 0};
  unsigned n = 0;
  {
    std::lock_guard<std::mutex> g(mu_);
    for (; n < VTY_MAX_CHARS && !in_.empty(); n++) {
      regs[n / 8] |= uint64_t(in_.front()) << (56 - 8 * (n % 8));
      in_.pop_front();
    }
  }
  out[0] = n;
  out[1] = regs[0];
  out[2] = regs[1];
  return hv::H_SUCCESS;
}

}  // namespace lpar::papr
