#include "pci/dma.h"

#include <algorithm>
#include <cstring>

namespace lpar::pci {

namespace {
constexpr uint64_t PAGE = uint64_t{1} << papr::TCE_PAGE_SHIFT;

// Splits [addr, addr+len) at page boundaries; fn(addr, offset, n) per piece.
template <typename Fn>
bool by_page(uint64_t addr, uint64_t len, Fn fn) {
  if (addr + len < addr) return false;
  uint64_t done = 0;
  while (done < len) {
    const uint64_t a = addr + done;
    const uint64_t n = std::min(len - done, PAGE - (a & (PAGE - 1)));
    if (!fn(a, done, n)) return false;
    done += n;
  }
  return true;
}
}  // namespace

bool DirectDma::read(uint64_t addr, void* dst, uint64_t len) {
  if (gm_.read(addr, dst, len)) return true;  // the common case: one piece of RAM
  auto* d = static_cast<uint8_t*>(dst);
  return by_page(addr, len, [&](uint64_t a, uint64_t off, uint64_t n) { return gm_.read(a, d + off, n); });
}

bool DirectDma::write(uint64_t addr, const void* src, uint64_t len) {
  if (gm_.write(addr, src, len)) return true;
  auto* s = static_cast<const uint8_t*>(src);
  return by_page(addr, len, [&](uint64_t a, uint64_t off, uint64_t n) { return gm_.write(a, s + off, n); });
}

bool TceDma::read(uint64_t addr, void* dst, uint64_t len) {
  auto* d = static_cast<uint8_t*>(dst);
  return by_page(addr, len, [&](uint64_t a, uint64_t off, uint64_t n) {
    auto gpa = tce_.translate(liobn_, a, false);
    return gpa && gm_.read(*gpa, d + off, n);
  });
}

bool TceDma::write(uint64_t addr, const void* src, uint64_t len) {
  auto* s = static_cast<const uint8_t*>(src);
  return by_page(addr, len, [&](uint64_t a, uint64_t off, uint64_t n) {
    auto gpa = tce_.translate(liobn_, a, true);
    return gpa && gm_.write(*gpa, s + off, n);
  });
}

}  // namespace lpar::pci
