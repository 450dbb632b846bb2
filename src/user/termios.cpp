#include "user/termios.h"

#include <cstring>

namespace lpar::user {

namespace {

struct BitMap {
  tcflag_t host, ppc;
};
// Values from the host <termios.h> and the kernel's powerpc termbits.h.
constexpr BitMap IFLAG[] = {{IGNBRK, 0x1}, {BRKINT, 0x2}, {IGNPAR, 0x4}, {PARMRK, 0x8}, {INPCK, 0x10},
                            {ISTRIP, 0x20}, {INLCR, 0x40}, {IGNCR, 0x80}, {ICRNL, 0x100}, {IXON, 0x200},
                            {IXOFF, 0x400}, {IXANY, 0x800}, {IUCLC, 0x1000}, {IMAXBEL, 0x2000}, {IUTF8, 0x4000}};
constexpr BitMap OFLAG[] = {{OPOST, 0x1}, {ONLCR, 0x2}, {OLCUC, 0x4}, {OCRNL, 0x8},
                            {ONOCR, 0x10}, {ONLRET, 0x20}, {OFILL, 0x40}, {OFDEL, 0x80}};
constexpr BitMap CFLAG[] = {{CSTOPB, 0x400}, {CREAD, 0x800}, {PARENB, 0x1000},
                            {PARODD, 0x2000}, {HUPCL, 0x4000}, {CLOCAL, 0x8000}};
constexpr BitMap LFLAG[] = {{ECHOKE, 0x1}, {ECHOE, 0x2}, {ECHOK, 0x4}, {ECHO, 0x8}, {ECHONL, 0x10},
                            {ECHOPRT, 0x20}, {ECHOCTL, 0x40}, {ISIG, 0x80}, {ICANON, 0x100},
                            {IEXTEN, 0x400}, {XCASE, 0x4000}, {TOSTOP, 0x400000}, {FLUSHO, 0x800000},
                            {PENDIN, 0x20000000}, {NOFLSH, 0x80000000}};
// Host c_cc index for each ppc index (-1: none).
constexpr int CC_FROM_PPC[PPC_NCCS] = {VINTR, VQUIT, VERASE, VKILL, VEOF, VMIN, VEOL, VTIME, VEOL2,
                                       VSWTC, VWERASE, VREPRINT, VSUSP, VSTART, VSTOP, VLNEXT, VDISCARD, -1, -1};

template <size_t N>
tcflag_t to_ppc(tcflag_t v, const BitMap (&m)[N]) {
  tcflag_t r = 0;
  for (const BitMap& b : m)
    if (v & b.host) r |= b.ppc;
  return r;
}
template <size_t N>
tcflag_t from_ppc(tcflag_t v, const BitMap (&m)[N]) {
  tcflag_t r = 0;
  for (const BitMap& b : m)
    if (v & b.ppc) r |= b.host;
  return r;
}

}  // namespace

std::array<u8, PPC_TERMIOS_SIZE> termios_to_ppc(const struct termios& t) {
  std::array<u8, PPC_TERMIOS_SIZE> g{};
  // The low baud codes (B0..B38400) and CSn sizes coincide up to a shift of CSIZE.
  const u32 f[4] = {to_ppc(t.c_iflag, IFLAG), to_ppc(t.c_oflag, OFLAG),
                    static_cast<u32>(to_ppc(t.c_cflag, CFLAG) | (t.c_cflag & 0xf) | ((t.c_cflag & CSIZE) << 4)),
                    to_ppc(t.c_lflag, LFLAG)};
  std::memcpy(g.data(), f, 16);
  for (unsigned k = 0; k < PPC_NCCS; ++k)
    if (CC_FROM_PPC[k] >= 0) g[16 + k] = t.c_cc[CC_FROM_PPC[k]];
  g[35] = t.c_line;
  const u32 sp[2] = {static_cast<u32>(cfgetispeed(&t)), static_cast<u32>(cfgetospeed(&t))};
  std::memcpy(g.data() + 36, sp, 8);
  return g;
}

struct termios termios_from_ppc(const std::array<u8, PPC_TERMIOS_SIZE>& g) {
  struct termios t {};
  u32 f[4];
  std::memcpy(f, g.data(), 16);
  t.c_iflag = from_ppc(f[0], IFLAG);
  t.c_oflag = from_ppc(f[1], OFLAG);
  t.c_cflag = from_ppc(f[2], CFLAG) | (f[2] & 0xf) | ((f[2] >> 4) & CSIZE);
  t.c_lflag = from_ppc(f[3], LFLAG);
  for (unsigned k = 0; k < PPC_NCCS; ++k)
    if (CC_FROM_PPC[k] >= 0) t.c_cc[CC_FROM_PPC[k]] = g[16 + k];
  t.c_line = g[35];
  return t;
}

}  // namespace lpar::user
