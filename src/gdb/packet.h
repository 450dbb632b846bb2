// The GDB remote serial protocol framing: "$payload#cs" packets, '+'/'-'
// acknowledgements, the 0x03 interrupt byte and the '}' escape of binary data.
// Pure functions and a byte-at-a-time reader, so they can be tested without
// a socket.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lpar::gdb {

// Incoming packets longer than this are dropped with an error reply: the
// client is told PacketSize (below) and has no reason to exceed it.
inline constexpr size_t MAX_PACKET = 0x4000;
// What qSupported advertises as PacketSize (hex in the reply).
inline constexpr size_t PACKET_SIZE = 0x4000;

uint8_t checksum(std::string_view payload);
// "$payload#cs", escaping '#', '$', '}' and '*' in the payload.
std::string frame(std::string_view payload);
// Escape binary data for a reply ('}' then byte ^ 0x20); no framing.
std::string escape_binary(std::string_view data);
// Undo the '}' escapes of X packet data; nullopt if it ends inside an escape.
std::optional<std::string> unescape_binary(std::string_view data);

int hex_value(char c);  // -1 if not a hex digit
std::string to_hex(const uint8_t* data, size_t len);
std::string to_hex(std::string_view s);
// Exactly len*2 hex digits -> len bytes; false on any bad digit or odd length.
bool from_hex(std::string_view hex, std::vector<uint8_t>& out);
// A whole field of 1..16 hex digits (no sign, no prefix); false otherwise.
bool parse_hex_u64(std::string_view s, uint64_t& v);

// Feeds bytes one at a time and reports complete units.
class PacketReader {
 public:
  enum class Event { None, Packet, BadChecksum, TooLong, Ack, Nack, Interrupt };
  // Consume one byte; on Packet the payload is in payload().
  Event feed(char c);
  const std::string& payload() const { return payload_; }
  void reset();

 private:
  enum class State { Idle, Body, Escape, Sum1, Sum2 } state_ = State::Idle;
  std::string payload_;
  bool overflow_ = false;
  uint8_t sum_ = 0;  // running checksum of the raw body bytes
  int sum_hi_ = 0;
};

}  // namespace lpar::gdb
