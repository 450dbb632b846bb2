#include "gdb/user_target.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

#include "gdb/power_arch.h"
#include "gdb/power_regs.h"
#include "gdb/server.h"
#include "user/signals.h"
#include "user/syscalls.h"

namespace lpar::gdb {

using namespace power;

namespace {

// The target whose spy backend is installed (one process per lpar-user).
thread_local UserTarget* g_spying = nullptr;

}  // namespace

UserTarget::UserTarget(user::Process& p)
    : p_(p), points_([this](u64 addr, uint8_t* buf, size_t len) { return read_memory(1, addr, buf, len); }) {}

UserTarget::~UserTarget() {
  points_.clear();
  update_spy();
}

const ArchDesc& UserTarget::arch() const { return arch64(); }

bool UserTarget::big_endian() const { return !p_.s.le; }

bool UserTarget::read_register(int, unsigned n, u128& v) {
  const CpuState& s = p_.s;
  if (read_problem_register(s, n, v)) return true;
  if (n == MSR) v = s.msr;
  else if (n >= PRIV0 && n < NUM_REGS) v = 0;  // no supervisor state in user mode
  else return false;
  return true;
}

bool UserTarget::write_register(int, unsigned n, u128 v) {
  CpuState& s = p_.s;
  if (write_problem_register(s, n, v)) return true;
  if (n == MSR) s.msr = (static_cast<u64>(v) & ~u64{1}) | (s.msr & 1);  // the process's endianness is fixed
  else if (n >= PRIV0 && n < NUM_REGS) return true;  // accepted, nothing to hold it
  else return false;
  return true;
}

size_t UserTarget::read_memory(int, u64 addr, uint8_t* buf, size_t len) {
  // Like ptrace: force past the guest's protections, stop at the first hole.
  if (addr + len < addr) len = ~addr + 1;  // no wrap
  if (p_.as.read(addr, buf, len, true)) return len;
  size_t done = 0;
  while (done < len) {
    const u64 ea = addr + done;
    const size_t chunk = std::min<u64>(len - done, PAGE_SIZE - (ea & ~PAGE_MASK));
    if (!p_.as.read(ea, buf + done, chunk, true)) break;
    done += chunk;
  }
  return done;
}

size_t UserTarget::write_memory(int, u64 addr, const uint8_t* buf, size_t len) {
  if (addr + len < addr) return 0;
  // All or nothing; AddressSpace::write drops pre-decoded code of the pages.
  if (!p_.as.write(addr, buf, len, true)) return 0;
  points_.snapshot();  // the debugger's own writes do not trigger watchpoints
  return len;
}

bool UserTarget::insert_breakpoint(BpType type, u64 addr, u64 len) {
  if (!points_.insert(type, addr, len)) return false;
  if (Breakpoints::is_watch(type)) update_spy();
  return true;
}

bool UserTarget::remove_breakpoint(BpType type, u64 addr, u64 len) {
  if (!points_.remove(type, addr, len)) return false;
  if (Breakpoints::is_watch(type)) update_spy();
  return true;
}

// Read and access watchpoints need every data access: install a backend that
// records them and flush the TLB before each instruction so none is missed.
void UserTarget::update_spy() {
  bool need = false;
  for (const Breakpoints::Watch& w : points_.watches()) need |= w.type != BpType::Write;
  if (spy_.set(p_.s, need, &spy_fill)) g_spying = need ? this : nullptr;
}

int UserTarget::spy_fill(CpuState& s, u64 ea, lpar::Access acc, uintptr_t* addend) {
  UserTarget* self = g_spying;
  if (self && acc != lpar::Access::Exec && self->accesses_.size() < 64) self->accesses_.push_back({ea, acc});
  return self->spy_.fill_through(s, ea, acc, addend);
}

void UserTarget::deliver(int sig, const user::SigInfo* fault) {
  user::SigInfo info;
  if (fault) {
    info = *fault;
  } else {
    info.signo = sig;
    info.code = 0;  // SI_USER
    info.pid = static_cast<int>(::getpid());
    info.uid = static_cast<int>(::getuid());
  }
  user::deliver_signal(p_, info, fault != nullptr);
  p_.enter_pending_handler();
}

void UserTarget::resume(int step_thread, int signal) {
  if (p_.ended()) return;
  if (fault_) {
    // Continuing with the reported fault's signal delivers it; with 0 the
    // instruction runs again (as ptrace does).
    if (signal == fault_->signo) deliver(signal, &*fault_);
    else if (signal > 0) deliver(signal, nullptr);
    fault_.reset();
  } else if (signal > 0) {
    deliver(signal, nullptr);
  }
  stepping_ = step_thread != 0;
  skip_bp_ = true;
  points_.snapshot();
}

StopEvent UserTarget::end_event() {
  const user::ExitStatus st = p_.run(0);  // an ended process returns its status at once
  StopEvent ev;
  if (st.signaled) {
    ev.kind = StopEvent::Terminated;
    ev.signal = st.signal;
  } else {
    ev.kind = StopEvent::Exited;
    ev.exit_code = st.code;
  }
  return ev;
}

std::optional<StopEvent> UserTarget::after_exception() {
  CpuState& s = p_.s;
  if (s.exc == Exc::SystemCall && s.exc_reason == 0) {
    s.exc = Exc::None;
    user::do_syscall(p_);
    p_.enter_pending_handler();
    if (p_.ended()) return end_event();
    return std::nullopt;
  }
  const user::SigInfo info = user::fault_info(s);
  s.exc = Exc::None;
  if (info.signo == 0) {
    deliver(0, &info);
    if (p_.ended()) return end_event();
    return std::nullopt;
  }
  // Report the fault; the guest sees it only if gdb continues with it.
  fault_ = info;
  StopEvent ev;
  ev.kind = StopEvent::Signal;
  ev.signal = info.signo;
  return ev;
}

std::optional<StopEvent> UserTarget::check_watches() {
  std::optional<StopEvent> hit;
  for (size_t i = 0; i < points_.watches().size(); ++i) {
    const Breakpoints::Watch& w = points_.watches()[i];
    bool fired = (w.type == BpType::Write || w.type == BpType::Access) && points_.changed(i);
    if (!fired && w.type != BpType::Write) {
      // Accesses are known by their first byte only: one up to 16 bytes
      // before the range may reach into it.
      for (const Access& a : accesses_) {
        if (w.type == BpType::Read && a.acc != lpar::Access::Read) continue;
        if (a.ea + 16 > w.addr && a.ea < w.addr + w.len) fired = true;
      }
    }
    if (fired && !hit) hit = points_.watch_event(i, w.addr);
  }
  accesses_.clear();
  return hit;
}

StopEvent UserTarget::run_slice() {
  CpuState& s = p_.s;
  if (p_.ended()) return end_event();
  if (!slow_mode()) {
    const u64 stop = s.icount + SLICE;
    while (s.icount < stop) {
      if (p_.interp.run(stop - s.icount) != Status::Exception) continue;
      if (auto ev = after_exception()) return *ev;
    }
    return StopEvent{StopEvent::Running};
  }
  for (u64 n = 0; n < SLICE / 16; ++n) {
    if (!skip_bp_)
      if (auto ev = points_.break_at(s.nip)) return *ev;
    skip_bp_ = false;
    if (spy_.installed()) reset_tlb(s);
    accesses_.clear();
    if (p_.interp.step() == Status::Exception) {
      if (auto ev = after_exception()) return *ev;
    }
    if (p_.ended()) return end_event();
    if (auto ev = check_watches()) return *ev;
    if (stepping_) return StopEvent{StopEvent::Signal};
  }
  return StopEvent{StopEvent::Running};
}

StopEvent UserTarget::interrupt() {
  if (p_.ended()) return end_event();
  StopEvent ev;
  ev.kind = StopEvent::Signal;
  ev.signal = SIGINT;
  return ev;
}

void UserTarget::detach() {
  points_.clear();
  update_spy();
  stepping_ = false;
  fault_.reset();  // the instruction faults again and is delivered normally
}

void UserTarget::kill() {
  detach();
  // As qemu's stub: the emulator exits with status 0.
  std::fprintf(stderr, "lpar-user: terminated via gdb stub\n");
  if (!p_.ended()) p_.end({false, 0, 0});
}

std::string UserTarget::monitor(const std::string& cmd_in) {
  std::string cmd = cmd_in;
  while (!cmd.empty() && (cmd.back() == ' ' || cmd.back() == '\n')) cmd.pop_back();
  const CpuState& s = p_.s;
  if (cmd == "help" || cmd.empty())
    return "lpar-user monitor commands:\n"
           "  help         this text\n"
           "  info         process and CPU summary\n"
           "  icount       instructions retired so far\n"
           "  breakpoints  breakpoints and watchpoints the stub holds\n"
           "  flush        drop all pre-decoded code blocks\n";
  if (cmd == "icount") return fmt::format("{}\n", s.icount);
  if (cmd == "info")
    return fmt::format("{}, {}-endian, pc 0x{:x}, {} mappings, {} instructions retired\n", p_.exe_path,
                       s.le ? "little" : "big", s.nip, p_.as.mapping_count(), s.icount);
  if (cmd == "flush") {
    p_.interp.invalidate_all();
    return "code cache flushed\n";
  }
  if (cmd == "breakpoints") return points_.describe();
  return "unknown command '" + cmd + "' (try: monitor help)\n";
}

bool serve_user_gdb(user::Process& p, const std::string& spec, std::string& err) {
  const auto ep = parse_endpoint(spec);
  if (!ep) {
    err = "bad gdb endpoint '" + spec + "' (PORT, HOST:PORT or tcp::PORT)";
    return false;
  }
  GdbServer srv;
  if (!srv.listen(*ep, err)) return false;
  std::fprintf(stderr, "lpar-user: waiting for gdb on %s:%d\n", ep->host.c_str(), srv.port());
  UserTarget t(p);
  srv.serve(t);
  return true;
}

}  // namespace lpar::gdb
