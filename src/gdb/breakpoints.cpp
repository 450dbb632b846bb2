#include "gdb/breakpoints.h"

#include <signal.h>

#include <algorithm>

#include <fmt/format.h>

namespace lpar::gdb {

bool Breakpoints::insert(BpType type, u64 addr, u64 len) {
  if (sw_.size() + hw_.size() + watches_.size() >= MAX_POINTS) return false;
  switch (type) {
    case BpType::Software:
      sw_.insert(addr);
      return true;
    case BpType::Hardware:
      hw_.insert(addr);
      return true;
    default:
      break;
  }
  if (len == 0 || len > MAX_WATCH_LEN || addr + len < addr) return false;
  watches_.push_back(Watch{type, addr, len, {}});
  snapshot();
  return true;
}

bool Breakpoints::remove(BpType type, u64 addr, u64 len) {
  switch (type) {
    case BpType::Software:
      return sw_.erase(addr) != 0;
    case BpType::Hardware:
      return hw_.erase(addr) != 0;
    default:
      break;
  }
  for (auto it = watches_.begin(); it != watches_.end(); ++it) {
    if (it->type == type && it->addr == addr && it->len == len) {
      watches_.erase(it);
      return true;
    }
  }
  return false;
}

void Breakpoints::clear() {
  sw_.clear();
  hw_.clear();
  watches_.clear();
}

std::optional<StopEvent> Breakpoints::break_at(u64 pc) const {
  if (sw_.count(pc)) return StopEvent{StopEvent::SwBreak};
  if (hw_.count(pc)) return StopEvent{StopEvent::HwBreak};
  return std::nullopt;
}

void Breakpoints::snapshot() {
  for (Watch& w : watches_) {
    w.old.assign(w.len, 0);
    if (read_(w.addr, w.old.data(), w.len) != w.len) w.old.clear();
  }
}

bool Breakpoints::changed(size_t i) {
  Watch& w = watches_[i];
  std::vector<uint8_t> now(w.len);
  if (read_(w.addr, now.data(), w.len) != w.len) return false;
  const bool differs = !w.old.empty() && now != w.old;
  w.old = std::move(now);
  return differs;
}

StopEvent Breakpoints::watch_event(size_t i, u64 ea) const {
  const Watch& w = watches_[i];
  StopEvent ev;
  ev.kind = StopEvent::Watch;
  ev.signal = SIGTRAP;
  ev.watch = w.type;
  ev.addr = std::clamp(ea, w.addr, w.addr + w.len - 1);
  return ev;
}

std::string Breakpoints::describe() const {
  std::string r;
  for (u64 a : sw_) r += fmt::format("sw breakpoint {:#x}\n", a);
  for (u64 a : hw_) r += fmt::format("hw breakpoint {:#x}\n", a);
  for (const Watch& w : watches_)
    r += fmt::format("{} watchpoint {:#x} len {}\n",
                     w.type == BpType::Write ? "write" : w.type == BpType::Read ? "read" : "access", w.addr, w.len);
  return r.empty() ? "none\n" : r;
}

}  // namespace lpar::gdb
