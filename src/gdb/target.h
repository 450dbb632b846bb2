// What the GDB stub needs from whatever it debugs: a user-mode process, a
// full-system machine... GdbSession (session.h) speaks the protocol; a
// GdbTarget only answers in guest terms (registers by gdb regnum, memory
// through the guest's current translation, vCPUs as threads).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace lpar::gdb {

using u64 = uint64_t;
using u128 = unsigned __int128;

// One register as gdb's target description numbers it.
struct RegDesc {
  std::string name;
  unsigned bits = 64;
  std::string type;   // tdesc type: int, code_ptr, ieee_double, vec128...
  std::string group;  // "" for the default group
  std::string feature;
};

// The register file and target description of an architecture.
struct ArchDesc {
  std::vector<RegDesc> regs;  // index is the regnum
  unsigned g_count = 0;       // registers 0..g_count-1 travel in 'g'/'G'
  std::string xml;            // target.xml served through qXfer:features:read
};

// Z/z packet types (the number is the packet's type field).
enum class BpType { Software = 0, Hardware = 1, Write = 2, Read = 3, Access = 4 };

// Why the target stopped (or that it has not).
struct StopEvent {
  enum Kind { Running, Signal, SwBreak, HwBreak, Watch, Exited, Terminated } kind = Signal;
  int signal = 5;  // Signal/breakpoints/watch: host signal number (SIGTRAP=5); Terminated: the signal
  int exit_code = 0;
  int thread = 1;
  BpType watch = BpType::Write;  // Watch: which kind fired
  u64 addr = 0;                  // Watch: the watched data address
};

class GdbTarget {
 public:
  virtual ~GdbTarget() = default;

  virtual const ArchDesc& arch() const = 0;
  // Byte order of register values and of the guest's data (may change at run time).
  virtual bool big_endian() const = 0;

  // Threads are vCPUs, numbered from 1.
  virtual std::vector<int> threads() const = 0;

  // Registers by gdb regnum, value in the low `bits` bits.  False: no such register.
  virtual bool read_register(int thread, unsigned regnum, u128& value) = 0;
  virtual bool write_register(int thread, unsigned regnum, u128 value) = 0;

  // Memory through the thread's current translation.  Returns the number of
  // bytes transferred from the start (short on the first inaccessible byte).
  virtual size_t read_memory(int thread, u64 addr, uint8_t* buf, size_t len) = 0;
  virtual size_t write_memory(int thread, u64 addr, const uint8_t* buf, size_t len) = 0;

  // False if the breakpoint/watchpoint kind or length is not supported.
  virtual bool insert_breakpoint(BpType type, u64 addr, u64 len) = 0;
  virtual bool remove_breakpoint(BpType type, u64 addr, u64 len) = 0;

  // Resume: step_thread != 0 executes one instruction of that thread only;
  // otherwise all threads continue.  signal != 0 is delivered first (as a
  // ptrace-style "continue with signal").
  virtual void resume(int step_thread, int signal) = 0;
  // Make progress on a resumed target for a bounded time; Running if it has
  // not stopped yet.  The stub polls the client between slices.
  virtual StopEvent run_slice() = 0;
  // Stop a running target now (the client sent ^C).
  virtual StopEvent interrupt() = 0;

  // The debugger goes away: remove every breakpoint; the guest continues.
  virtual void detach() = 0;
  virtual void kill() = 0;

  // "monitor CMD": text shown to the user.
  virtual std::string monitor(const std::string& cmd) = 0;
};

}  // namespace lpar::gdb
