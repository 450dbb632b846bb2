// Disassembly generated from the ISA table, printed the way binutils 2.40's
// objdump prints it (opcodes/ppc-dis.c conventions: mnemonic padded to 8
// columns, r/f/v/vs/cr register names, CR bits as "4*crN+eq", RA|0 as "0",
// branch targets as absolute hex, optional trailing operands omitted when all
// of them hold their default value).
//
// The table's operand lists use PowerISA 3.0B field names (Book I 1.6.28);
// field_for() turns each name into bit positions and a printing style.  Names
// whose position depends on the instruction form (XT of DQ-form, UIM, L, R,
// DCMX...) are resolved from the mnemonic/operand list of the line.
#include "cpu/disasm.h"

#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

namespace lpar {
namespace {

using isa::AliasPred;
using isa::InsnInfo;
using isa::Op;

constexpr u32 field(u32 w, unsigned first, unsigned last) {
  return (w >> (31 - last)) & ((1u << (last - first + 1)) - 1);
}
constexpr u32 range_mask(unsigned first, unsigned last) {
  return ((last - first + 1 == 32) ? ~0u : ((1u << (last - first + 1)) - 1)) << (31 - last);
}

enum class Kind : u8 { None, Gpr, Gpr0, Fpr, Vr, Vsr, Crf, CrBit, Num, Branch };

struct Seg {
  u8 first, last;
};

// One operand: where its bits are and how objdump prints it.
struct Field {
  Kind kind = Kind::None;
  Seg seg[3]{};
  u8 nseg = 0;        // segments, most-significant part of the value first
  u8 shift = 0;       // value scaled by 2^shift (DS, DQ, BD, LI)
  bool sign = false;  // the concatenated bits are two's complement
  bool optional = false;
  s64 def = 0;        // the default value of an optional operand
  s64 from = 0;       // computed operand "N-NAME": value = from - raw
  bool sub = false;
  bool crf_of_bit = false;  // "CR": the CR field of a BI operand
  bool zero_is_32 = false;  // NB: 0 means 32 bytes
  bool parens = false;      // the next operand is printed in parentheses
  enum Check : u8 { NoCheck, Even, OneHot, Tbr } check = NoCheck;  // objdump's validity rules

  u32 bits() const {
    u32 m = 0;
    for (unsigned k = 0; k < nseg; ++k) m |= range_mask(seg[k].first, seg[k].last);
    return m;
  }
  s64 value(u32 w) const {
    u64 v = 0;
    unsigned width = 0;
    for (unsigned k = 0; k < nseg; ++k) {
      const unsigned n = seg[k].last - seg[k].first + 1;
      v = (v << n) | field(w, seg[k].first, seg[k].last);
      width += n;
    }
    s64 r = static_cast<s64>(v);
    if (sign && width && (v >> (width - 1)) & 1) r -= s64{1} << width;
    r *= s64{1} << shift;
    if (crf_of_bit) r >>= 2;
    if (zero_is_32 && r == 0) r = 32;
    if (sub) r = from - r;
    return r;
  }
};

Field mk(Kind k, unsigned f, unsigned l) {
  Field x;
  x.kind = k;
  x.seg[0] = {static_cast<u8>(f), static_cast<u8>(l)};
  x.nseg = 1;
  return x;
}
Field mk2(Kind k, unsigned f0, unsigned l0, unsigned f1, unsigned l1) {
  Field x = mk(k, f0, l0);
  x.seg[1] = {static_cast<u8>(f1), static_cast<u8>(l1)};
  x.nseg = 2;
  return x;
}
Field num(unsigned f, unsigned l) { return mk(Kind::Num, f, l); }
Field snum(unsigned f, unsigned l, unsigned shift = 0) {
  Field x = num(f, l);
  x.sign = true;
  x.shift = static_cast<u8>(shift);
  return x;
}
Field opt(Field x, s64 def = 0) {
  x.optional = true;
  x.def = def;
  return x;
}

bool starts(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}
bool is_one_of(std::string_view s, std::initializer_list<std::string_view> l) {
  for (auto x : l)
    if (s == x) return true;
  return false;
}

// Loads, stores and cache operations: their RA means "RA|0" (Book I 1.10.3).
bool memory_op(std::string_view mn) {
  if (starts(mn, "l") && !starts(mn, "lnia")) return true;
  if (starts(mn, "st") && mn != "stop") return true;
  return starts(mn, "dcb") || starts(mn, "icb") || starts(mn, "copy") || starts(mn, "paste") ||
         starts(mn, "isel") || starts(mn, "eciwx") || starts(mn, "ecowx") || starts(mn, "mtvsrdd") ||
         is_one_of(mn, {"addi", "addis", "la", "subi", "subis"});
}
bool update_form(std::string_view mn) {
  return (starts(mn, "l") || starts(mn, "st")) && (ends(mn, "u") || ends(mn, "ux"));
}

struct Ctx {
  std::string_view mn;   // mnemonic of the table line (alias or base)
  std::string_view ops;  // its operand list
  u32 mask;              // fixed bits of the pattern
};

// The 64-bit rotates and sradi/extswsli split sh and mb/me (Book I 3.3.14.2).
bool md_form(std::string_view mn) {
  return starts(mn, "rld") || starts(mn, "sradi") || starts(mn, "extswsli") || starts(mn, "sldi") ||
         starts(mn, "srdi") || starts(mn, "rotldi") || starts(mn, "rotrdi") || starts(mn, "clrldi") ||
         starts(mn, "clrrdi") || starts(mn, "clrlsldi") || starts(mn, "extldi") || starts(mn, "extrdi") ||
         starts(mn, "insrdi") || starts(mn, "rotld");
}

// Interpret an operand name.  Returns kind None when unknown.
Field field_for(std::string_view name, const Ctx& c) {
  // Computed alias operands "N-NAME" (e.g. "31-ME" for clrrwi).
  if (!name.empty() && name[0] >= '0' && name[0] <= '9') {
    const auto dash = name.find('-');
    if (dash == std::string_view::npos) return {};
    Field f = field_for(name.substr(dash + 1), c);
    f.sub = true;
    f.from = 0;
    for (char ch : name.substr(0, dash)) f.from = f.from * 10 + (ch - '0');
    if (f.kind != Kind::None) f.kind = Kind::Num;
    return f;
  }
  // "#N": a literal the alias implies (e.g. the DM of xxspltd).
  if (!name.empty() && name[0] == '#') {
    Field f;
    f.kind = Kind::Num;
    f.sub = true;
    for (char ch : name.substr(1)) f.from = f.from * 10 + (ch - '0');
    return f;  // no segments: value = from - 0
  }
  // Trailing '?': optional with default 0 (alias lines), "?1": default 1.
  if (const auto q = name.find('?'); q != std::string_view::npos) {
    s64 def = 0;
    for (char ch : name.substr(q + 1)) def = def * 10 + (ch - '0');
    Field f = field_for(name.substr(0, q), c);
    return opt(f, def);
  }
  const std::string_view mn = c.mn;
  const bool dq_form = c.ops.find("DQ(") != std::string_view::npos;
  const bool ds_vsx = c.ops.find("DS(") != std::string_view::npos;

  // General-purpose registers.
  if (name == "RS" && mn == "tlbiel") return opt(mk(Kind::Gpr, 6, 10));
  if (is_one_of(name, {"RT", "RS"})) return mk(Kind::Gpr, 6, 10);
  if (is_one_of(name, {"RTp", "RSp"})) {  // register pairs (lq, stq, lqarx...) must be even
    Field f = mk(Kind::Gpr, 6, 10);
    f.check = Field::Even;
    return f;
  }
  if (name == "RA0") return mk(Kind::Gpr0, 11, 15);
  if (name == "RA") {
    if (memory_op(mn) && !update_form(mn)) return mk(Kind::Gpr0, 11, 15);
    return mk(Kind::Gpr, 11, 15);
  }
  if (name == "RA_G") return mk(Kind::Gpr, 11, 15);
  if (name == "RB") return mk(Kind::Gpr, 16, 20);
  if (name == "RC") return mk(Kind::Gpr, 21, 25);
  // Floating-point registers.
  if (is_one_of(name, {"FRT", "FRS"})) return mk(Kind::Fpr, 6, 10);
  if (name == "FRA") return mk(Kind::Fpr, 11, 15);
  if (name == "FRB") return mk(Kind::Fpr, 16, 20);
  // Register pairs must be even (objdump refuses odd ones).
  if (is_one_of(name, {"FRTp", "FRSp", "FRAp", "FRBp"})) {
    Field f = name == "FRAp" ? mk(Kind::Fpr, 11, 15) : name == "FRBp" ? mk(Kind::Fpr, 16, 20) : mk(Kind::Fpr, 6, 10);
    f.check = Field::Even;
    return f;
  }
  // Paired-single forms objdump falls back to for lfdp/stfdp with odd FRTp.
  if (name == "PSQ_D") return snum(20, 31);
  if (name == "PSQ_W") return num(16, 16);
  if (name == "PSQ_I") return num(17, 19);
  if (name == "FRC") return mk(Kind::Fpr, 21, 25);
  // Vector registers.
  if (is_one_of(name, {"VRT", "VRS", "vD", "VT"})) return mk(Kind::Vr, 6, 10);
  if (name == "VRA") return mk(Kind::Vr, 11, 15);
  if (name == "VRB") return mk(Kind::Vr, 16, 20);
  if (name == "VRC") return mk(Kind::Vr, 21, 25);
  // VSX registers: the extension bit is the high bit of the number (Book I 7.3.1).
  if (name == "XT" || name == "XS") {
    if (dq_form) return mk2(Kind::Vsr, 28, 28, 6, 10);
    if (ds_vsx) return mk(Kind::Vr, 6, 10);  // DS-form VSX scalars name VRT
    return mk2(Kind::Vsr, 31, 31, 6, 10);
  }
  if (name == "XA") return mk2(Kind::Vsr, 29, 29, 11, 15);
  if (name == "XB") return mk2(Kind::Vsr, 30, 30, 16, 20);
  if (name == "XC") return mk2(Kind::Vsr, 28, 28, 21, 25);
  // FPR/VR views of VSX registers used by objdump's aliases (mffprd, mfvrd...).
  if (name == "XT_F" || name == "XS_F") return mk(Kind::Fpr, 6, 10);
  if (name == "XT_V" || name == "XS_V") return mk(Kind::Vr, 6, 10);
  // Condition register.
  // The FPSCR field/bit operands of mtfsfi/mtfsb0/mtfsb1 print as numbers.
  if (name == "BF") return starts(mn, "mtfs") ? num(6, 8) : mk(Kind::Crf, 6, 8);
  if (name == "BT" && starts(mn, "mtfs")) return num(6, 10);
  if (name == "BFA") return mk(Kind::Crf, 11, 13);
  if (name == "BT") return mk(Kind::CrBit, 6, 10);
  if (name == "BA" || name == "BI") return mk(Kind::CrBit, 11, 15);
  if (name == "BB") return mk(Kind::CrBit, 16, 20);
  if (name == "BC") return mk(Kind::CrBit, 21, 25);
  if (name == "CR") {  // CR field holding the BI bit of extended branches
    Field f = mk(Kind::Crf, 11, 15);
    f.crf_of_bit = true;
    return f;
  }
  if (name == "BO" || name == "TO" || name == "TH" || name == "MO") return num(6, 10);
  if (name == "STRM") return num(9, 10);
  if (name == "BH") return opt(num(19, 20));
  if (name == "BD") {
    Field f = snum(16, 29, 2);
    f.kind = Kind::Branch;
    return f;
  }
  if (name == "LI") {
    Field f = snum(6, 29, 2);
    f.kind = Kind::Branch;
    return f;
  }
  // Immediates and displacements.
  if (name == "D" && starts(mn, "addpcis")) {  // d0 || d1 || d2 (Book I 3.3.9)
    Field f = mk2(Kind::Num, 16, 25, 11, 15);
    f.seg[2] = {31, 31};
    f.nseg = 3;
    f.sign = true;
    return f;
  }
  if (name == "SI" && starts(mn, "tabort")) return snum(16, 20);
  if (name == "SI" || name == "D") return snum(16, 31);
  if (name == "UI") return num(16, 31);
  if (name == "DS") return snum(16, 29, 2);
  if (name == "DQ") return snum(16, 27, 4);
  if (name == "SIM") return snum(11, 15);
  if (name == "IMM8") return num(13, 20);
  if (name == "SHB") return num(22, 25);
  if (name == "SHW" || name == "DM") return num(22, 23);
  if (name == "UIM") {  // its width depends on the element size
    if (starts(mn, "dtstsfi")) return num(10, 15);  // DFP significance test (Book I 5.6.4)
    if (is_one_of(mn, {"vsplth"})) return num(13, 15);
    if (is_one_of(mn, {"vspltw", "xxspltw"})) return num(14, 15);
    return num(12, 15);  // vspltb, vextract*, vinsert*, xxextractuw, xxinsertw
  }
  // Rotates and shifts.
  if (name == "SH") {
    if (starts(mn, "dscli") || starts(mn, "dscri")) return num(16, 21);  // Z22-form (Book I 5.6.7)
    if (md_form(mn)) return mk2(Kind::Num, 30, 30, 16, 20);
    if (starts(mn, "vsldoi")) return num(22, 25);
    return num(16, 20);
  }
  if (name == "MB" || name == "ME") {
    if (md_form(mn)) return mk2(Kind::Num, 26, 26, 21, 25);
    return name == "MB" ? num(21, 25) : num(26, 30);
  }
  if (name == "NB") {
    Field f = num(16, 20);
    f.zero_is_32 = true;
    return f;
  }
  // Special-purpose registers: two swapped 5-bit halves (Book I 3.3.17).
  if (name == "SPR") return mk2(Kind::Num, 16, 20, 11, 15);
  if (name == "TBR") {  // only the two Time Base registers (Book II 6.2.1)
    Field f = mk2(Kind::Num, 16, 20, 11, 15);
    f.check = Field::Tbr;
    return f;
  }
  if (name == "FXM") {
    Field f = num(12, 19);
    if (starts(mn, "mtocrf") || starts(mn, "mfocrf")) f.check = Field::OneHot;  // Book I 3.3.17
    return f;
  }
  if (name == "FLM") return num(7, 14);
  if (name == "U") return num(16, 19);
  if (name == "W") return opt(num(15, 15));
  if (name == "L") {
    if (starts(mn, "mtmsr")) return opt(num(15, 15));
    if (starts(mn, "mtfsf")) return opt(num(6, 6));
    if (starts(mn, "sync") || starts(mn, "dcbf")) return num(9, 10);
    if (starts(mn, "darn")) return num(14, 15);
    if (starts(mn, "paste")) return opt(num(10, 10), 1);
    return num(10, 10);
  }
  if (name == "EH") return opt(num(31, 31));
  if (name == "CT") return starts(mn, "icbt") ? opt(num(7, 10)) : num(7, 10);
  if (name == "LEV") return mn == "sc" ? opt(num(20, 26)) : num(20, 26);
  if (name == "WC") return opt(num(9, 10));
  if (name == "IH") return opt(num(8, 10));
  if (name == "CY") return num(21, 22);
  if (name == "PS") return num(22, 22);
  if (name == "RMC") return num(21, 22);
  if (name == "R") {
    if (starts(mn, "tbegin")) return opt(num(10, 10));
    if (starts(mn, "tlbie")) return opt(num(15, 15));
    return num(15, 15);  // xsrqpi / xsrqpxp
  }
  if (name == "A") return opt(num(6, 6));  // tend.
  if (name == "ST") return num(16, 16);
  if (name == "SIX") return num(17, 20);
  if (name == "RM") return num(19, 20);
  if (name == "DRM") return num(18, 20);
  if (name == "E") return num(16, 16);
  if (name == "SR") return num(12, 15);
  if (name == "PRS") return opt(num(14, 14));
  if (name == "RIC") return opt(num(12, 13));
  if (name == "FC") return num(16, 20);
  if (name == "DCMX") {
    if (starts(mn, "xvtstdc")) {
      Field f = mk2(Kind::Num, 25, 25, 29, 29);
      f.seg[2] = {11, 15};
      f.nseg = 3;
      return f;
    }
    return num(9, 15);
  }
  // Decimal floating point (Book I chapter 5): test masks, target exponent
  // of dquai, DPD sign control of ddedpd, signed-BCD flag of denbcd.
  if (name == "DCM" || name == "DGM") return num(16, 21);
  if (name == "TE") return snum(11, 15);
  if (name == "SP") return num(11, 12);
  if (name == "S") return num(11, 11);
  if (name == "DUI") return num(6, 10);
  if (name == "DUIS") return num(11, 20);
  if (name == "BHRBE") return num(11, 20);
  return {};
}

// A parsed operand list: the fields in print order.
struct OperandList {
  std::vector<Field> fields;
  bool ok = true;
  std::string unknown;
};

OperandList parse_operands(const char* ops, const Ctx& c) {
  OperandList r;
  std::string_view s = ops ? ops : "";
  while (!s.empty()) {
    auto comma = s.find(',');
    std::string_view tok = s.substr(0, comma);
    s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
    while (!tok.empty() && tok.front() == ' ') tok.remove_prefix(1);
    while (!tok.empty() && tok.back() == ' ') tok.remove_suffix(1);
    if (tok.empty()) continue;
    std::string_view base;
    if (auto p = tok.find('('); p != std::string_view::npos) {
      base = tok.substr(p + 1, tok.find(')') - p - 1);
      tok = tok.substr(0, p);
    }
    Field f = field_for(tok, c);
    if (f.kind == Kind::None) {
      r.ok = false;
      r.unknown += std::string(tok) + " ";
    }
    if (!base.empty()) {
      f.parens = true;
      r.fields.push_back(f);
      std::string_view bname = base;
      Field b = (bname == "RA") ? (update_form(c.mn) ? mk(Kind::Gpr, 11, 15) : mk(Kind::Gpr0, 11, 15))
                                : field_for(bname, c);
      if (b.kind == Kind::None) {
        r.ok = false;
        r.unknown += std::string(bname) + " ";
      }
      r.fields.push_back(b);
    } else {
      r.fields.push_back(f);
    }
  }
  return r;
}

// BO handling as objdump 2.40 does it (Book I 2.4 "at" hints, plus the
// pre-ISA-2.00 "y" bit its -Many pass still accepts), per branch kind and BO
// value: the +/- suffix, and whether the base mnemonic accepts the value
// (extended mnemonics listed in aliases.inc stay valid).  Measured with
// tests/disasm/objdump-words.sh over all 32 BO values.
struct BoRule {
  const char* hint;   // ' ', '-', '+' per BO value
  const char* valid;  // '1' where "bc BO,BI,..." is accepted
};
const BoRule bo_bc{"      -+      -+        -+-+    ", "11111111111111111010100011110000"};
const BoRule bo_bclr{" + + +-+ + + +-+ + +    -+-+    ", "11111111111111111010100011110000"};
const BoRule bo_bcctr{"     +-+     +-+        -+-+    ", "10101111101011111010100011110000"};
const BoRule bo_bctar{"      -+      -+        -+-+    ", "10101011101010111010100011110000"};

const BoRule* bo_rule(std::string_view mn) {
  if (mn == "bc") return &bo_bc;
  if (mn == "bclr") return &bo_bclr;
  if (mn == "bcctr") return &bo_bcctr;
  if (mn == "bctar") return &bo_bctar;
  return nullptr;
}

// Per-table-line data computed once.
struct Entry {
  OperandList ops;
  u32 used = 0;  // opcode, suffix and operand bits
  const BoRule* bo = nullptr;
  bool upd_load_gpr = false, upd = false;  // update forms: RA != 0 (and != RT)
  std::vector<unsigned> aliases;           // indices into alias_table(), in order
};
struct AliasEntry {
  OperandList ops;
};

u32 suffix_bits(const isa::Pattern& p) { return p.oe_bit | p.rc_bit | p.lk_bit | p.aa_bit; }

struct Tables {
  std::vector<Entry> insns;
  std::vector<AliasEntry> aliases;
  Tables() {
    insns.resize(isa::NUM_OPS);
    for (unsigned k = 0; k < static_cast<unsigned>(Op::invalid); ++k) {
      const InsnInfo& in = isa::insn_table[k];
      Entry& e = insns[k];
      e.ops = parse_operands(in.operands, {in.mnemonic, in.operands ? in.operands : "", in.pat.mask});
      e.used = in.pat.mask | suffix_bits(in.pat);
      for (const Field& f : e.ops.fields) e.used |= f.bits();
      const std::string_view ops = in.operands ? in.operands : "";
      if (ops.find("BO") != std::string_view::npos) e.bo = bo_rule(in.mnemonic);
      if (update_form(in.mnemonic)) {
        e.upd = true;
        e.upd_load_gpr = starts(in.mnemonic, "l") && (starts(ops, "RT,") || starts(ops, "RTp,"));
      }
    }
    const auto table = isa::alias_table();
    for (unsigned a = 0; a < table.size(); ++a) {
      const auto& al = table[a];
      aliases.push_back({parse_operands(al.operands, {al.mnemonic, al.operands ? al.operands : "", al.pat.mask})});
      insns[static_cast<unsigned>(al.base)].aliases.push_back(a);
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

unsigned RT(u32 w) { return field(w, 6, 10); }
unsigned RA(u32 w) { return field(w, 11, 15); }
unsigned RB(u32 w) { return field(w, 16, 20); }
unsigned MB5(u32 w) { return field(w, 21, 25); }
unsigned ME5(u32 w) { return field(w, 26, 30); }
unsigned SH6(u32 w) { return field(w, 16, 20) | (field(w, 30, 30) << 5); }
unsigned MB6(u32 w) { return field(w, 21, 25) | (field(w, 26, 26) << 5); }
unsigned XA(u32 w) { return field(w, 11, 15) | (field(w, 29, 29) << 5); }
unsigned XB(u32 w) { return field(w, 16, 20) | (field(w, 30, 30) << 5); }

bool pred_holds(AliasPred p, u32 w) {
  switch (p) {
    case AliasPred::none: return true;
    case AliasPred::rs_eq_rb: return RT(w) == RB(w);
    case AliasPred::ra_eq_rb: return RA(w) == RB(w);
    case AliasPred::xa_eq_xb: return XA(w) == XB(w);
    case AliasPred::rlwinm_slwi: return MB5(w) == 0 && ME5(w) == 31 - field(w, 16, 20);
    case AliasPred::rlwinm_srwi: return ME5(w) == 31 && field(w, 16, 20) != 0 && field(w, 16, 20) == 32 - MB5(w);
    case AliasPred::rlwinm_clrlwi: return field(w, 16, 20) == 0 && ME5(w) == 31;
    case AliasPred::rlwinm_rotlwi: return MB5(w) == 0 && ME5(w) == 31;
    case AliasPred::rlwinm_clrrwi: return field(w, 16, 20) == 0 && MB5(w) == 0;
    case AliasPred::rldicl_srdi: return SH6(w) != 0 && SH6(w) == 64 - MB6(w);
    case AliasPred::rldicl_clrldi: return SH6(w) == 0;
    case AliasPred::rldicl_rotldi: return MB6(w) == 0;
    case AliasPred::rldicr_sldi: return MB6(w) == 63 - SH6(w);
    case AliasPred::rldicr_clrrdi: return SH6(w) == 0;
    case AliasPred::rldic_clrlsldi: return false;  // objdump 2.40 prints rldic
    case AliasPred::mtcrf_all: return field(w, 12, 19) == 0xff;
    case AliasPred::bt_eq_ba_eq_bb: return RT(w) == RA(w) && RA(w) == RB(w);
    case AliasPred::rt_odd: return RT(w) & 1;
    case AliasPred::rt_eq_ra: return RT(w) == RA(w);
    case AliasPred::rt_eq_ra_or_rb: return RT(w) == RA(w) || RT(w) == RB(w);
    case AliasPred::ra_ge_rt: return RA(w) >= RT(w);
    case AliasPred::ra0_or_eq_rt: return RA(w) == 0 || RA(w) == RT(w);
    default: break;
  }
  return true;
}

void append_num(std::string& out, s64 v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  out += buf;
}

}  // namespace

namespace {
// The aliases that name an invalid form by another architecture's instruction.
bool invalid_form_pred(AliasPred p) {
  return p == AliasPred::rt_odd || p == AliasPred::rt_eq_ra || p == AliasPred::rt_eq_ra_or_rb ||
         p == AliasPred::ra_ge_rt || p == AliasPred::ra0_or_eq_rt;
}
}  // namespace

std::string disassemble(u32 word, u64 address, isa::Model model, bool any_fallback) {
  char buf[64];
  const Op op = isa::decode(word, model);
  std::snprintf(buf, sizeof buf, ".long 0x%x", word);
  const std::string dotlong = buf;
  if (op == Op::invalid) return dotlong;
  const Tables& t = tables();
  const unsigned k = static_cast<unsigned>(op);
  const InsnInfo& in = isa::insn_table[k];
  const Entry& e = t.insns[k];
  if (!e.ops.ok) return dotlong;
  // Reserved bits set: binutils' masks include them, so objdump refuses the word.
  if (word & ~e.used) return dotlong;
  const char* hint = "";
  if (e.bo) {  // conditional branches carry the prediction hint as a +/- suffix
    const char h = e.bo->hint[RT(word)];
    hint = h == '-' ? "-" : h == '+' ? "+" : "";
  }
  bool base_valid = !(e.upd && (RA(word) == 0 || (e.upd_load_gpr && RA(word) == RT(word))));
  if (e.bo && e.bo->valid[RT(word)] != '1') base_valid = false;
  for (const Field& f : e.ops.fields) {
    const s64 v = f.value(word);
    if ((f.check == Field::Even && (v & 1)) || (f.check == Field::OneHot && __builtin_popcountll(v) != 1) ||
        (f.check == Field::Tbr && v != 268 && v != 269))
      base_valid = false;
  }

  const char* mnemonic = in.mnemonic;
  const OperandList* ops = &e.ops;
  const auto aliases = isa::alias_table();
  for (const unsigned a : e.aliases) {
    const auto& al = aliases[a];
    if ((word & al.pat.mask) != al.pat.value) continue;
    if (!t.aliases[a].ops.ok || !pred_holds(al.pred, word)) continue;
    if (!any_fallback && invalid_form_pred(al.pred)) return dotlong;
    mnemonic = al.mnemonic;
    ops = &t.aliases[a].ops;
    break;
  }
  if ((ops == &e.ops || !any_fallback) && !base_valid) return dotlong;
  if (std::strcmp(mnemonic, ".long") == 0) return dotlong;  // an invalid form objdump refuses

  std::string out = mnemonic;
  const isa::Pattern& p = in.pat;
  if (p.oe_bit && (word & p.oe_bit)) out += 'o';
  if (p.rc_bit && (word & p.rc_bit)) out += '.';
  if (p.lk_bit && (word & p.lk_bit)) out += 'l';
  if (p.aa_bit && (word & p.aa_bit)) out += 'a';
  out += hint;

  const auto& fs = ops->fields;
  bool first = true, skip_opt = false, paren = false;
  const size_t pad = out.size() < 8 ? 8 - out.size() : 1;
  for (size_t j = 0; j < fs.size(); ++j) {
    const Field& f = fs[j];
    if (f.optional) {
      if (!skip_opt) {  // re-evaluated at each optional operand, as objdump does
        // objdump omits the optional operands only when all the remaining
        // ones hold their default.
        bool all_default = true;
        for (size_t m = j; m < fs.size(); ++m)
          if (fs[m].optional && fs[m].value(word) != fs[m].def) all_default = false;
        skip_opt = all_default;
      }
      if (skip_opt) continue;
    }
    if (first) out.append(pad, ' ');
    else if (paren) out += '(';
    else out += ',';
    first = false;
    const s64 v = f.value(word);
    switch (f.kind) {
      case Kind::Gpr: out += 'r'; append_num(out, v); break;
      case Kind::Gpr0:
        if (v) out += 'r';
        append_num(out, v);
        break;
      case Kind::Fpr: out += 'f'; append_num(out, v); break;
      case Kind::Vr: out += 'v'; append_num(out, v); break;
      case Kind::Vsr: out += "vs"; append_num(out, v); break;
      case Kind::Crf: out += "cr"; append_num(out, v); break;
      case Kind::CrBit: {
        static const char* const names[4] = {"lt", "gt", "eq", "so"};
        if (v >> 2) {
          out += "4*cr";
          append_num(out, v >> 2);
          out += '+';
        }
        out += names[v & 3];
        break;
      }
      case Kind::Branch: {
        const u64 target = (p.aa_bit && (word & p.aa_bit)) ? static_cast<u64>(v) & 0xffffffffu
                                                            : address + static_cast<u64>(v);
        std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(target));
        out += buf;
        break;
      }
      default: append_num(out, v); break;
    }
    if (paren) out += ')';
    paren = f.parens;
  }
  return out;
}

namespace disasm {

u32 used_bits(isa::Op op) { return tables().insns[static_cast<unsigned>(op)].used; }

std::string unknown_operands() {
  std::string r;
  const Tables& t = tables();
  for (unsigned k = 0; k < static_cast<unsigned>(Op::invalid); ++k)
    if (!t.insns[k].ops.ok) r += std::string(isa::insn_table[k].id) + ":" + t.insns[k].ops.unknown + "\n";
  const auto aliases = isa::alias_table();
  for (size_t a = 0; a < aliases.size(); ++a)
    if (!t.aliases[a].ops.ok) r += std::string("alias ") + aliases[a].mnemonic + ":" + t.aliases[a].ops.unknown + "\n";
  return r;
}

}  // namespace disasm
}  // namespace lpar
