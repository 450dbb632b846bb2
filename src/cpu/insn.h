// Instruction fields by their PowerISA names (Book I 1.6.28, "Instruction Fields").
// Bits are numbered from the most-significant end, as in the book.
#pragma once
#include "cpu/state.h"

namespace lpar::insn {

// Bits [first, last] of a 32-bit instruction word, ISA numbering.
constexpr u32 bits(u32 i, unsigned first, unsigned last) {
  return (i >> (31 - last)) & ((1u << (last - first + 1)) - 1);
}
constexpr s64 sext(u64 v, unsigned width) {
  return static_cast<s64>(v << (64 - width)) >> (64 - width);
}

constexpr unsigned PO(u32 i) { return bits(i, 0, 5); }
constexpr unsigned RT(u32 i) { return bits(i, 6, 10); }
constexpr unsigned RS(u32 i) { return bits(i, 6, 10); }
constexpr unsigned FRT(u32 i) { return bits(i, 6, 10); }
constexpr unsigned VRT(u32 i) { return bits(i, 6, 10); }
constexpr unsigned BO(u32 i) { return bits(i, 6, 10); }
constexpr unsigned TO(u32 i) { return bits(i, 6, 10); }
constexpr unsigned BF(u32 i) { return bits(i, 6, 8); }
constexpr unsigned BFA(u32 i) { return bits(i, 11, 13); }
constexpr unsigned L10(u32 i) { return bits(i, 10, 10); }
constexpr unsigned L15(u32 i) { return bits(i, 15, 15); }
constexpr unsigned RA(u32 i) { return bits(i, 11, 15); }
constexpr unsigned BI(u32 i) { return bits(i, 11, 15); }
constexpr unsigned BA(u32 i) { return bits(i, 11, 15); }
constexpr unsigned RB(u32 i) { return bits(i, 16, 20); }
constexpr unsigned BB(u32 i) { return bits(i, 16, 20); }
constexpr unsigned SH(u32 i) { return bits(i, 16, 20); }
constexpr unsigned NB(u32 i) { return bits(i, 16, 20); }
constexpr unsigned RC(u32 i) { return bits(i, 21, 25); }
constexpr unsigned MB5(u32 i) { return bits(i, 21, 25); }
constexpr unsigned ME5(u32 i) { return bits(i, 26, 30); }
constexpr unsigned BH(u32 i) { return bits(i, 19, 20); }
constexpr bool Rc(u32 i) { return i & 1; }
constexpr bool LK(u32 i) { return i & 1; }
constexpr bool AA(u32 i) { return (i >> 1) & 1; }
constexpr bool OE(u32 i) { return (i >> 10) & 1; }
constexpr s64 SI(u32 i) { return sext(bits(i, 16, 31), 16); }
constexpr u64 UI(u32 i) { return bits(i, 16, 31); }
constexpr s64 D(u32 i) { return SI(i); }
constexpr s64 DS(u32 i) { return sext(bits(i, 16, 29) << 2, 16); }
constexpr s64 DQ(u32 i) { return sext(bits(i, 16, 27) << 4, 16); }
constexpr s64 BD(u32 i) { return sext(bits(i, 16, 29) << 2, 16); }
constexpr s64 LI(u32 i) { return sext(bits(i, 6, 29) << 2, 26); }
// 64-bit rotate forms split sh and mb/me (Book I 3.3.14.2).
constexpr unsigned SH6(u32 i) { return bits(i, 16, 20) | (bits(i, 30, 30) << 5); }
constexpr unsigned MB6(u32 i) { return bits(i, 21, 25) | (bits(i, 26, 26) << 5); }
// SPR numbers have their two 5-bit halves swapped in the encoding (Book I 3.3.17).
constexpr unsigned SPR(u32 i) { return (bits(i, 16, 20) << 5) | bits(i, 11, 15); }
constexpr unsigned FXM(u32 i) { return bits(i, 12, 19); }
constexpr unsigned FRA(u32 i) { return bits(i, 11, 15); }
constexpr unsigned FRB(u32 i) { return bits(i, 16, 20); }
constexpr unsigned FRC(u32 i) { return bits(i, 21, 25); }
constexpr unsigned VRA(u32 i) { return bits(i, 11, 15); }
constexpr unsigned VRB(u32 i) { return bits(i, 16, 20); }
constexpr unsigned VRC(u32 i) { return bits(i, 21, 25); }
// VSX register numbers add the extension bits TX/AX/BX/CX (Book I 7.3).
constexpr unsigned XT(u32 i) { return bits(i, 6, 10) | (bits(i, 31, 31) << 5); }
constexpr unsigned XS(u32 i) { return XT(i); }
constexpr unsigned XA(u32 i) { return bits(i, 11, 15) | (bits(i, 29, 29) << 5); }
constexpr unsigned XB(u32 i) { return bits(i, 16, 20) | (bits(i, 30, 30) << 5); }
constexpr unsigned XC(u32 i) { return bits(i, 21, 25) | (bits(i, 28, 28) << 5); }
// DQ-form and DS-form VSX loads put TX/SX elsewhere.
constexpr unsigned XT_DQ(u32 i) { return bits(i, 6, 10) | (bits(i, 28, 28) << 5); }
constexpr unsigned XT_X1(u32 i) { return bits(i, 6, 10) | (bits(i, 31, 31) << 5); }

}  // namespace lpar::insn
