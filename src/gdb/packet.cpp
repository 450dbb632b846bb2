#include "gdb/packet.h"

namespace lpar::gdb {

uint8_t checksum(std::string_view payload) {
  unsigned sum = 0;
  for (unsigned char c : payload) sum += c;
  return static_cast<uint8_t>(sum);
}

namespace {
constexpr char HEX[] = "0123456789abcdef";
bool needs_escape(char c) { return c == '#' || c == '$' || c == '}' || c == '*'; }
}  // namespace

std::string escape_binary(std::string_view data) {
  std::string out;
  out.reserve(data.size() + 8);
  for (char c : data) {
    if (needs_escape(c)) {
      out.push_back('}');
      out.push_back(static_cast<char>(c ^ 0x20));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string frame(std::string_view payload) {
  const std::string body = escape_binary(payload);
  const uint8_t cs = checksum(body);
  std::string out;
  out.reserve(body.size() + 4);
  out.push_back('$');
  out += body;
  out.push_back('#');
  out.push_back(HEX[cs >> 4]);
  out.push_back(HEX[cs & 15]);
  return out;
}

std::optional<std::string> unescape_binary(std::string_view data) {
  std::string out;
  out.reserve(data.size());
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '}') {
      if (++i >= data.size()) return std::nullopt;
      out.push_back(static_cast<char>(data[i] ^ 0x20));
    } else {
      out.push_back(data[i]);
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string to_hex(const uint8_t* data, size_t len) {
  std::string out(len * 2, '0');
  for (size_t i = 0; i < len; ++i) {
    out[2 * i] = HEX[data[i] >> 4];
    out[2 * i + 1] = HEX[data[i] & 15];
  }
  return out;
}

std::string to_hex(std::string_view s) { return to_hex(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

bool from_hex(std::string_view hex, std::vector<uint8_t>& out) {
  if (hex.size() % 2) return false;
  out.resize(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

bool parse_hex_u64(std::string_view s, uint64_t& v) {
  if (s.empty() || s.size() > 16) return false;
  v = 0;
  for (char c : s) {
    const int d = hex_value(c);
    if (d < 0) return false;
    v = v << 4 | static_cast<unsigned>(d);
  }
  return true;
}

void PacketReader::reset() {
  state_ = State::Idle;
  payload_.clear();
  overflow_ = false;
  sum_ = 0;
}

PacketReader::Event PacketReader::feed(char c) {
  switch (state_) {
    case State::Idle:
      if (c == '$') {
        payload_.clear();
        overflow_ = false;
        sum_ = 0;
        state_ = State::Body;
      } else if (c == '+') {
        return Event::Ack;
      } else if (c == '-') {
        return Event::Nack;
      } else if (c == 0x03) {
        return Event::Interrupt;
      }
      return Event::None;  // line noise between packets is ignored
    case State::Body:
    case State::Escape:
      if (c == '#' && state_ == State::Body) {
        state_ = State::Sum1;
        return Event::None;
      }
      if (c == '$' && state_ == State::Body) {  // a new packet restarts: the old one was truncated
        payload_.clear();
        overflow_ = false;
        sum_ = 0;
        return Event::None;
      }
      sum_ = static_cast<uint8_t>(sum_ + static_cast<uint8_t>(c));
      // Escapes are kept as received: only binary-data packets (X) undo them.
      state_ = (state_ == State::Body && c == '}') ? State::Escape : State::Body;
      if (payload_.size() < MAX_PACKET) payload_.push_back(c);
      else overflow_ = true;
      return Event::None;
    case State::Sum1:
      sum_hi_ = hex_value(c);
      state_ = State::Sum2;
      return Event::None;
    case State::Sum2: {
      const int lo = hex_value(c);
      state_ = State::Idle;
      if (sum_hi_ < 0 || lo < 0 || static_cast<uint8_t>(sum_hi_ << 4 | lo) != sum_) {
        payload_.clear();
        return Event::BadChecksum;
      }
      if (overflow_) {
        payload_.clear();
        return Event::TooLong;
      }
      return Event::Packet;
    }
  }
  return Event::None;
}

}  // namespace lpar::gdb
