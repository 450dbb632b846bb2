// struct termios differs between the host (x86-64) and ppc64 Linux: field
// order, NCCS, c_cc indices and most flag bits.  Translation both ways.
#pragma once
#include <termios.h>

#include <array>

#include "cpu/state.h"

namespace lpar::user {

inline constexpr unsigned PPC_NCCS = 19;
inline constexpr unsigned PPC_TERMIOS_SIZE = 44;  // 4 flags, 19 cc, c_line, 2 speeds
inline constexpr u64 PPC_TCGETS = 0x402c7413, PPC_TCSETS = 0x802c7414, PPC_TCSETSW = 0x802c7415,
                     PPC_TCSETSF = 0x802c7416, PPC_TIOCGWINSZ = 0x40087468, PPC_TIOCSWINSZ = 0x80087467;

// The guest structure as bytes in host order (callers swap for big-endian guests).
std::array<u8, PPC_TERMIOS_SIZE> termios_to_ppc(const struct termios& t);
struct termios termios_from_ppc(const std::array<u8, PPC_TERMIOS_SIZE>& g);

}  // namespace lpar::user
