#include "gdb/session.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace lpar::gdb {

namespace {

// Linux signal -> gdb signal, index is the Linux number (1-31).
constexpr int LINUX_TO_GDB[32] = {0,  1,  2,  3,  4,  5,  6,  10, 8,  9,  30, 11, 31, 13, 14, 15,
                                  143, 20, 19, 17, 18, 21, 22, 16, 24, 25, 26, 27, 28, 23, 32, 12};
constexpr int GDB_SIGNAL_UNKNOWN = 143;

std::string_view rest_after(std::string_view s, size_t n) { return n <= s.size() ? s.substr(n) : std::string_view{}; }

// "addr,len" (each 1-16 hex digits).
bool parse_addr_len(std::string_view s, u64& addr, u64& len) {
  const size_t comma = s.find(',');
  if (comma == std::string_view::npos) return false;
  return parse_hex_u64(s.substr(0, comma), addr) && parse_hex_u64(s.substr(comma + 1), len);
}

// A thread id field: hex, "-1" (all) or "0" (any).  -1 on "-1".
bool parse_tid(std::string_view s, long& tid) {
  if (s == "-1") {
    tid = -1;
    return true;
  }
  u64 v;
  if (!parse_hex_u64(s, v) || v > 0x7fffffff) return false;
  tid = static_cast<long>(v);
  return true;
}

}  // namespace

int gdb_signal_from_host(int sig) {
  if (sig >= 0 && sig < 32) return LINUX_TO_GDB[sig];
  return GDB_SIGNAL_UNKNOWN;
}

int host_signal_from_gdb(int sig) {
  if (sig == 0) return 0;
  for (int i = 1; i < 32; ++i)
    if (LINUX_TO_GDB[i] == sig) return i;
  return -1;
}

GdbSession::GdbSession(GdbTarget& target, Sender send) : t_(target), send_(std::move(send)) {
  last_stop_.kind = StopEvent::Signal;
  last_stop_.signal = 5;
  const auto th = t_.threads();
  if (!th.empty()) g_thread_ = c_thread_ = last_stop_.thread = th.front();
}

void GdbSession::reply(std::string_view payload) {
  last_reply_ = frame(payload);
  send_(last_reply_);
}

bool GdbSession::valid_thread(long tid) const {
  if (tid <= 0) return tid == 0 || tid == -1;
  const auto th = t_.threads();
  return std::find(th.begin(), th.end(), static_cast<int>(tid)) != th.end();
}

int GdbSession::thread_or_current(long tid, int current) const {
  if (tid > 0 && valid_thread(tid)) return static_cast<int>(tid);
  return current;
}

std::string GdbSession::stop_reply(const StopEvent& ev) const {
  switch (ev.kind) {
    case StopEvent::Exited:
      return fmt::format("W{:02x}", ev.exit_code & 0xff);
    case StopEvent::Terminated:
      return fmt::format("X{:02x}", gdb_signal_from_host(ev.signal) & 0xff);
    default:
      break;
  }
  std::string r = fmt::format("T{:02x}thread:{:x};", gdb_signal_from_host(ev.signal) & 0xff, ev.thread);
  if (ev.kind == StopEvent::SwBreak) r += "swbreak:;";
  else if (ev.kind == StopEvent::HwBreak) r += "hwbreak:;";
  else if (ev.kind == StopEvent::Watch)
    r += fmt::format("{}:{:x};", ev.watch == BpType::Read ? "rwatch" : ev.watch == BpType::Access ? "awatch" : "watch",
                     ev.addr);
  return r;
}

void GdbSession::send_stop(const StopEvent& ev) {
  running_ = false;
  last_stop_ = ev;
  if (ev.kind != StopEvent::Exited && ev.kind != StopEvent::Terminated && valid_thread(ev.thread) && ev.thread > 0)
    g_thread_ = c_thread_ = ev.thread;
  reply(stop_reply(ev));
  if (ev.kind == StopEvent::Exited || ev.kind == StopEvent::Terminated) finished_ = true;
}

void GdbSession::resume(int step_thread, int signal) {
  if (finished_) return;
  t_.resume(step_thread, signal);
  running_ = true;
  // A step finishes at once in practice; the stop reply comes from run_slice.
}

void GdbSession::run_slice() {
  if (!running_ || finished_) return;
  const StopEvent ev = t_.run_slice();
  if (ev.kind != StopEvent::Running) send_stop(ev);
}

void GdbSession::client_gone() {
  if (finished_) return;
  finished_ = true;
  running_ = false;
  t_.detach();
}

void GdbSession::feed(std::string_view bytes) {
  for (char c : bytes) {
    if (finished_) return;
    switch (reader_.feed(c)) {
      case PacketReader::Event::Packet: {
        if (!no_ack_) send_("+");
        const std::string p = reader_.payload();
        handle_packet(p);
        break;
      }
      case PacketReader::Event::BadChecksum:
        if (!no_ack_) send_("-");
        break;
      case PacketReader::Event::TooLong:
        if (!no_ack_) send_("+");
        reply("E01");
        break;
      case PacketReader::Event::Nack:
        if (!no_ack_ && !last_reply_.empty()) send_(last_reply_);
        break;
      case PacketReader::Event::Interrupt:
        if (running_) send_stop(t_.interrupt());
        break;
      case PacketReader::Event::Ack:
      case PacketReader::Event::None:
        break;
    }
  }
}

bool GdbSession::encode_reg(int thread, unsigned regnum, std::string& out) {
  const auto& regs = t_.arch().regs;
  if (regnum >= regs.size()) return false;
  const unsigned bytes = regs[regnum].bits / 8;
  u128 v = 0;
  if (!t_.read_register(thread, regnum, v)) {
    out.append(bytes * 2, 'x');  // unavailable
    return true;
  }
  uint8_t buf[16];
  for (unsigned i = 0; i < bytes; ++i) {
    const unsigned shift = 8 * (t_.big_endian() ? bytes - 1 - i : i);
    buf[i] = static_cast<uint8_t>(v >> shift);
  }
  out += to_hex(buf, bytes);
  return true;
}

bool GdbSession::decode_reg(int thread, unsigned regnum, std::string_view hex) {
  const auto& regs = t_.arch().regs;
  if (regnum >= regs.size()) return false;
  const unsigned bytes = regs[regnum].bits / 8;
  std::vector<uint8_t> buf;
  if (hex.size() != bytes * 2 || !from_hex(hex, buf)) return false;
  u128 v = 0;
  for (unsigned i = 0; i < bytes; ++i) {
    const unsigned shift = 8 * (t_.big_endian() ? bytes - 1 - i : i);
    v |= u128{buf[i]} << shift;
  }
  return t_.write_register(thread, regnum, v);
}

void GdbSession::cmd_read_mem(std::string_view args) {
  u64 addr, len;
  if (!parse_addr_len(args, addr, len)) return reply("E01");
  // Cap to what fits our reply packet; gdb accepts short reads.
  len = std::min<u64>(len, (PACKET_SIZE - 16) / 2);
  if (len == 0) return reply("");
  std::vector<uint8_t> buf(len);
  const size_t n = t_.read_memory(g_thread_, addr, buf.data(), len);
  if (n == 0) return reply("E14");
  reply(to_hex(buf.data(), n));
}

void GdbSession::cmd_write_mem(std::string_view args, bool binary) {
  const size_t colon = args.find(':');
  if (colon == std::string_view::npos) return reply("E01");
  u64 addr, len;
  if (!parse_addr_len(args.substr(0, colon), addr, len) || len > MAX_PACKET) return reply("E01");
  const std::string_view data = args.substr(colon + 1);
  std::vector<uint8_t> buf;
  if (binary) {
    const auto raw = unescape_binary(data);
    if (!raw || raw->size() != len) return reply("E01");
    buf.assign(raw->begin(), raw->end());
  } else if (data.size() != len * 2 || !from_hex(data, buf)) {
    return reply("E01");
  }
  if (len == 0) return reply("OK");
  if (t_.write_memory(g_thread_, addr, buf.data(), len) != len) return reply("E14");
  reply("OK");
}

void GdbSession::cmd_breakpoint(std::string_view args, bool insert) {
  // type,addr,kind[;cond...]: conditions are not advertised, ignore any.
  const size_t semi = args.find(';');
  if (semi != std::string_view::npos) args = args.substr(0, semi);
  const size_t c1 = args.find(',');
  if (c1 != 1 || args[0] < '0' || args[0] > '4') return reply(c1 == 1 ? "" : "E01");
  u64 addr, kind;
  if (!parse_addr_len(args.substr(2), addr, kind)) return reply("E01");
  const auto type = static_cast<BpType>(args[0] - '0');
  const bool ok = insert ? t_.insert_breakpoint(type, addr, kind) : t_.remove_breakpoint(type, addr, kind);
  reply(ok ? "OK" : "E22");
}

void GdbSession::cmd_resume(char cmd, std::string_view args) {
  int sig = 0;
  if (cmd == 'C' || cmd == 'S') {
    const size_t semi = args.find(';');
    u64 gs;
    if (!parse_hex_u64(args.substr(0, semi), gs) || gs > 0xff) return reply("E01");
    sig = host_signal_from_gdb(static_cast<int>(gs));
    if (sig < 0) sig = 0;
    args = semi == std::string_view::npos ? std::string_view{} : args.substr(semi + 1);
  }
  if (!args.empty()) {
    u64 pc;
    if (!parse_hex_u64(args, pc)) return reply("E01");
    const int th = c_thread_ > 0 ? c_thread_ : g_thread_;
    // The architecture's program counter is the register named "pc".
    const auto& regs = t_.arch().regs;
    for (unsigned n = 0; n < regs.size(); ++n)
      if (regs[n].name == "pc") t_.write_register(th, n, pc);
  }
  const int step = (cmd == 's' || cmd == 'S') ? (c_thread_ > 0 ? c_thread_ : g_thread_) : 0;
  resume(step, sig);
}

void GdbSession::cmd_vcont(std::string_view args) {
  // args: ";action[:tid];action..." -- in all-stop mode one thread steps or all continue.
  int step_thread = 0, sig = 0;
  bool any = false;
  while (!args.empty()) {
    if (args[0] != ';') return reply("E01");
    args.remove_prefix(1);
    const size_t next = args.find(';');
    std::string_view act = args.substr(0, next);
    args = next == std::string_view::npos ? std::string_view{} : args.substr(next);
    long tid = -1;
    const size_t colon = act.find(':');
    if (colon != std::string_view::npos) {
      if (!parse_tid(act.substr(colon + 1), tid)) return reply("E01");
      act = act.substr(0, colon);
    }
    if (act.empty()) return reply("E01");
    const char a = act[0];
    int s = 0;
    if (a == 'C' || a == 'S') {
      u64 gs;
      if (!parse_hex_u64(act.substr(1), gs) || gs > 0xff) return reply("E01");
      s = std::max(0, host_signal_from_gdb(static_cast<int>(gs)));
    } else if ((a != 'c' && a != 's') || act.size() != 1) {
      return reply("E01");  // 't' and ranges are not supported
    }
    if (!valid_thread(tid)) return reply("E01");
    // Leftmost action that applies to a thread wins, as the protocol says.
    if (!any) {
      any = true;
      sig = s;
      if (a == 's' || a == 'S') step_thread = thread_or_current(tid, c_thread_ > 0 ? c_thread_ : g_thread_);
    }
  }
  if (!any) return reply("E01");
  resume(step_thread, sig);
}

void GdbSession::cmd_query(const std::string& p) {
  std::string_view q = p;
  if (q.starts_with("qSupported")) {
    return reply(fmt::format(
        "PacketSize={:x};qXfer:features:read+;swbreak+;hwbreak+;vContSupported+;QStartNoAckMode+", PACKET_SIZE));
  }
  if (q.starts_with("qXfer:features:read:")) {
    q.remove_prefix(std::string_view("qXfer:features:read:").size());
    const size_t colon = q.find(':');
    if (colon == std::string_view::npos) return reply("E01");
    if (q.substr(0, colon) != "target.xml") return reply("E00");
    u64 off, len;
    if (!parse_addr_len(q.substr(colon + 1), off, len)) return reply("E01");
    const std::string& xml = t_.arch().xml;
    if (off > xml.size()) return reply("E01");
    len = std::min<u64>(len, PACKET_SIZE / 2);  // escaping at most doubles it
    const std::string_view part = std::string_view(xml).substr(off, len);
    std::string r(1, off + part.size() < xml.size() ? 'm' : 'l');
    r.append(part);
    return reply(r);
  }
  if (q == "qfThreadInfo") {
    std::string r = "m";
    for (int th : t_.threads()) r += fmt::format("{}{:x}", r.size() > 1 ? "," : "", th);
    return reply(r.size() > 1 ? r : "l");
  }
  if (q == "qsThreadInfo") return reply("l");
  if (q == "qC") return reply(fmt::format("QC{:x}", g_thread_ > 0 ? g_thread_ : 1));
  if (q.starts_with("qAttached")) return reply("1");
  if (q.starts_with("qRcmd,")) {
    std::vector<uint8_t> cmd;
    if (!from_hex(q.substr(6), cmd)) return reply("E01");
    const std::string out = t_.monitor(std::string(cmd.begin(), cmd.end()));
    return reply(out.empty() ? "OK" : to_hex(out));
  }
  if (q.starts_with("qSymbol")) return reply("OK");
  reply("");
}

void GdbSession::handle_packet(const std::string& p) {
  if (p.empty()) return reply("");
  const std::string_view args = rest_after(p, 1);
  switch (p[0]) {
    case '?':
      return reply(stop_reply(last_stop_));
    case 'g': {
      std::string r;
      for (unsigned n = 0; n < t_.arch().g_count; ++n) encode_reg(g_thread_, n, r);
      return reply(r);
    }
    case 'G': {
      const auto& regs = t_.arch().regs;
      size_t pos = 0;
      for (unsigned n = 0; n < t_.arch().g_count && pos < args.size(); ++n) {
        const size_t w = regs[n].bits / 4;
        if (pos + w > args.size()) return reply("E01");
        // "xx" (unavailable) fields are skipped.
        if (args[pos] != 'x' && !decode_reg(g_thread_, n, args.substr(pos, w))) return reply("E01");
        pos += w;
      }
      return reply(pos == args.size() ? "OK" : "E01");
    }
    case 'p': {
      u64 n;
      std::string r;
      if (!parse_hex_u64(args, n) || n >= t_.arch().regs.size() || !encode_reg(g_thread_, static_cast<unsigned>(n), r))
        return reply("E01");
      return reply(r);
    }
    case 'P': {
      const size_t eq = args.find('=');
      u64 n;
      if (eq == std::string_view::npos || !parse_hex_u64(args.substr(0, eq), n) || n >= t_.arch().regs.size() ||
          !decode_reg(g_thread_, static_cast<unsigned>(n), args.substr(eq + 1)))
        return reply("E01");
      return reply("OK");
    }
    case 'm':
      return cmd_read_mem(args);
    case 'M':
      return cmd_write_mem(args, false);
    case 'X':
      return cmd_write_mem(args, true);
    case 'Z':
      return cmd_breakpoint(args, true);
    case 'z':
      return cmd_breakpoint(args, false);
    case 'c':
    case 'C':
    case 's':
    case 'S':
      return cmd_resume(p[0], args);
    case 'H': {
      long tid;
      if (args.empty() || (args[0] != 'g' && args[0] != 'c') || !parse_tid(args.substr(1), tid) || !valid_thread(tid))
        return reply("E01");
      (args[0] == 'g' ? g_thread_ : c_thread_) = tid > 0 ? static_cast<int>(tid) : (tid == 0 ? g_thread_ : -1);
      if (g_thread_ <= 0) g_thread_ = last_stop_.thread > 0 ? last_stop_.thread : 1;
      return reply("OK");
    }
    case 'T': {
      long tid;
      return reply(parse_tid(args, tid) && tid > 0 && valid_thread(tid) ? "OK" : "E01");
    }
    case 'k':
      killed_ = finished_ = true;
      running_ = false;
      t_.kill();
      return;
    case 'D':
      reply("OK");
      running_ = false;
      finished_ = true;
      t_.detach();
      return;
    case 'q':
      return cmd_query(p);
    case 'Q':
      if (p == "QStartNoAckMode") {
        reply("OK");
        no_ack_ = true;
        return;
      }
      return reply("");
    case 'v':
      if (p == "vCont?") return reply("vCont;c;C;s;S");
      if (p.starts_with("vCont;") || p == "vCont") return cmd_vcont(rest_after(p, 5));
      if (p.starts_with("vKill")) {
        reply("OK");
        killed_ = finished_ = true;
        running_ = false;
        t_.kill();
        return;
      }
      return reply("");  // vMustReplyEmpty and everything else
    default:
      return reply("");
  }
}

}  // namespace lpar::gdb
