// The breakpoints and watchpoints gdb has set through Z/z packets, shared by
// the lpar-user and the machine targets: the software and hardware breakpoint
// addresses, and the watchpoints with a snapshot of the watched bytes so that
// a store is seen by its effect.  How a target notices data accesses (its
// spying memory backend) stays the target's business.
#pragma once
#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gdb/target.h"

namespace lpar::gdb {

class Breakpoints {
 public:
  struct Watch {
    BpType type;
    u64 addr, len;
    std::vector<uint8_t> old;  // contents at the last snapshot (empty: unreadable)
  };
  // Guest memory as the debugger sees it: bytes read from the start.
  using Reader = std::function<size_t(u64 addr, uint8_t* buf, size_t len)>;

  static constexpr size_t MAX_WATCH_LEN = 4096;
  static constexpr size_t MAX_POINTS = 4096;  // breakpoints + watchpoints

  explicit Breakpoints(Reader read) : read_(std::move(read)) {}

  static bool is_watch(BpType t) { return t != BpType::Software && t != BpType::Hardware; }

  // The Z/z packets.  False: the table is full, the range is empty, too long
  // or wraps (insert); nothing of that kind there (remove).
  bool insert(BpType type, u64 addr, u64 len);
  bool remove(BpType type, u64 addr, u64 len);
  void clear();

  bool has_breakpoints() const { return !sw_.empty() || !hw_.empty(); }
  // SwBreak or HwBreak when pc carries a breakpoint.
  std::optional<StopEvent> break_at(u64 pc) const;

  const std::vector<Watch>& watches() const { return watches_; }
  // Take the watched bytes as they are now (resume, the debugger's own writes).
  void snapshot();
  // Re-read watchpoint i: true if its bytes differ from the last snapshot,
  // which becomes the bytes read (left alone when they cannot be read).
  bool changed(size_t i);
  // The stop gdb expects for watchpoint i fired by an access at ea: gdb finds
  // the watchpoint by the data address, so it is kept inside the range.
  StopEvent watch_event(size_t i, u64 ea) const;

  // "monitor breakpoints".
  std::string describe() const;

 private:
  Reader read_;
  std::set<u64> sw_, hw_;
  std::vector<Watch> watches_;
};

}  // namespace lpar::gdb
