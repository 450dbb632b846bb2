#include "papr/tce.h"

#include <algorithm>

#include "hv/papr.h"

namespace lpar::papr {

bool TceTables::add_window(uint32_t liobn, uint64_t bus_offset, uint64_t size, unsigned page_shift) {
  std::lock_guard<std::mutex> g(mu_);
  if (windows_.count(liobn) || page_shift < 12 || page_shift > 30) return false;
  uint64_t page = uint64_t{1} << page_shift;
  if (size == 0 || size % page || bus_offset % page || bus_offset + size < bus_offset) return false;
  windows_[liobn] = Window{bus_offset, page_shift, std::vector<uint64_t>(size >> page_shift, 0)};
  return true;
}

bool TceTables::remove_window(uint32_t liobn) {
  std::lock_guard<std::mutex> g(mu_);
  return windows_.erase(liobn) != 0;
}

bool TceTables::has_window(uint32_t liobn) {
  std::lock_guard<std::mutex> g(mu_);
  return windows_.count(liobn) != 0;
}

TceTables::Window* TceTables::find(uint64_t liobn) {
  if (liobn > UINT32_MAX) return nullptr;
  auto it = windows_.find(uint32_t(liobn));
  return it == windows_.end() ? nullptr : &it->second;
}

int64_t TceTables::index_of(const Window& w, uint64_t ioba, uint64_t npages) {
  uint64_t mask = (uint64_t{1} << w.page_shift) - 1;
  if (ioba & mask || ioba < w.bus_offset) return -1;
  uint64_t idx = (ioba - w.bus_offset) >> w.page_shift;
  if (idx >= w.table.size() || npages > w.table.size() - idx) return -1;
  return int64_t(idx);
}

// An entry without access rights may hold anything (Linux clears with 0);
// one with rights must name a whole guest page, reserved bits clear.
bool TceTables::tce_ok(const Window& w, uint64_t tce) {
  if (!(tce & (TCE_READ | TCE_WRITE))) return true;
  uint64_t page = uint64_t{1} << w.page_shift;
  uint64_t reserved = (page - 1) & ~(TCE_READ | TCE_WRITE);
  if (tce & reserved) return false;
  return gm_.host_ptr(tce & ~(page - 1), page) != nullptr;
}

long TceTables::h_put_tce(uint64_t liobn, uint64_t ioba, uint64_t tce) {
  std::lock_guard<std::mutex> g(mu_);
  Window* w = find(liobn);
  if (!w) return hv::H_PARAMETER;
  int64_t idx = index_of(*w, ioba, 1);
  if (idx < 0 || !tce_ok(*w, tce)) return hv::H_PARAMETER;
  w->table[idx] = tce;
  return hv::H_SUCCESS;
}

long TceTables::h_get_tce(uint64_t liobn, uint64_t ioba, uint64_t& tce) {
  std::lock_guard<std::mutex> g(mu_);
  Window* w = find(liobn);
  if (!w) return hv::H_PARAMETER;
  int64_t idx = index_of(*w, ioba, 1);
  if (idx < 0) return hv::H_PARAMETER;
  tce = w->table[idx];
  return hv::H_SUCCESS;
}

long TceTables::h_stuff_tce(uint64_t liobn, uint64_t ioba, uint64_t tce, uint64_t npages) {
  std::lock_guard<std::mutex> g(mu_);
  Window* w = find(liobn);
  if (!w) return hv::H_PARAMETER;
  int64_t idx = index_of(*w, ioba, npages);
  if (idx < 0 || !tce_ok(*w, tce)) return hv::H_PARAMETER;
  std::fill_n(w->table.begin() + idx, npages, tce);
  return hv::H_SUCCESS;
}

long TceTables::h_put_tce_indirect(uint64_t liobn, uint64_t ioba, uint64_t tce_list, uint64_t npages) {
  std::lock_guard<std::mutex> g(mu_);
  Window* w = find(liobn);
  if (!w || npages > TCE_INDIRECT_MAX || tce_list & 0xFFF) return hv::H_PARAMETER;
  int64_t idx = index_of(*w, ioba, npages);
  if (idx < 0) return hv::H_PARAMETER;
  const uint8_t* p = gm_.host_ptr(tce_list, npages * 8);
  if (!p && npages) return hv::H_PARAMETER;
  uint64_t tces[TCE_INDIRECT_MAX];
  for (uint64_t i = 0; i < npages; i++) {
    uint64_t v = 0;
    for (int b = 0; b < 8; b++) v = v << 8 | p[i * 8 + b];
    if (!tce_ok(*w, v)) return hv::H_PARAMETER;
    tces[i] = v;
  }
  std::copy_n(tces, npages, w->table.begin() + idx);
  return hv::H_SUCCESS;
}

std::optional<uint64_t> TceTables::translate(uint32_t liobn, uint64_t ioba, bool write) {
  std::lock_guard<std::mutex> g(mu_);
  Window* w = find(liobn);
  if (!w) return std::nullopt;
  uint64_t mask = (uint64_t{1} << w->page_shift) - 1;
  int64_t idx = index_of(*w, ioba & ~mask, 1);
  if (idx < 0) return std::nullopt;
  uint64_t tce = w->table[idx];
  if (!(tce & (write ? TCE_WRITE : TCE_READ))) return std::nullopt;
  return (tce & ~mask) | (ioba & mask);
}

}  // namespace lpar::papr
