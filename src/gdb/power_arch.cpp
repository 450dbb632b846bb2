#include "gdb/power_arch.h"

#include <fmt/format.h>

namespace lpar::gdb::power {

namespace {

ArchDesc build() {
  ArchDesc a;
  a.regs.resize(NUM_REGS);
  auto set = [&](unsigned n, std::string name, unsigned bits, std::string type, std::string feature,
                 std::string group = "") {
    a.regs[n] = RegDesc{std::move(name), bits, std::move(type), std::move(group), std::move(feature)};
  };
  const std::string core = "org.gnu.gdb.power.core", fpu = "org.gnu.gdb.power.fpu",
                    vmx = "org.gnu.gdb.power.altivec", vsx = "org.gnu.gdb.power.vsx", priv = "org.lpar.power.priv";
  for (unsigned i = 0; i < 32; ++i) set(R0 + i, fmt::format("r{}", i), 64, "uint64", core);
  set(PC, "pc", 64, "code_ptr", core);
  set(MSR, "msr", 64, "uint64", core);
  set(CR, "cr", 32, "uint32", core);
  set(LR, "lr", 64, "code_ptr", core);
  set(CTR, "ctr", 64, "uint64", core);
  set(XER, "xer", 32, "uint32", core);
  for (unsigned i = 0; i < 32; ++i) set(F0 + i, fmt::format("f{}", i), 64, "ieee_double", fpu, "float");
  set(FPSCR, "fpscr", 64, "uint64", fpu, "float");
  for (unsigned i = 0; i < 32; ++i) set(VR0 + i, fmt::format("vr{}", i), 128, "vec128", vmx, "vector");
  set(VSCR, "vscr", 32, "uint32", vmx, "vector");
  set(VRSAVE, "vrsave", 32, "uint32", vmx, "vector");
  for (unsigned i = 0; i < 32; ++i) set(VS0H + i, fmt::format("vs{}h", i), 64, "uint64", vsx, "vector");
  const char* privs[] = {"srr0", "srr1", "hsrr0", "hsrr1", "lpcr", "sdr1", "dar",
                         "dsisr", "dec", "hdec", "sprg0", "sprg1", "sprg2", "sprg3", "hsprg0",
                         "hsprg1", "lpidr", "rmor", "hrmor", "pir", "pvr", "ptcr", "hdar", "hdsisr",
                         "heir", "cfar", "tb"};
  static_assert(std::size(privs) == NUM_REGS - PRIV0);
  for (unsigned i = 0; i < std::size(privs); ++i) set(PRIV0 + i, privs[i], 64, "uint64", priv, "system");
  a.g_count = FPSCR + 1;

  std::string x =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n"
      "<architecture>powerpc:common64</architecture>\n";
  // Features in the order gdb's rs6000 code validates them; regnums explicit.
  for (const std::string& f : {core, fpu, vmx, vsx, priv}) {
    x += fmt::format("<feature name=\"{}\">\n", f);
    if (f == vmx) {
      x +=
          "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n"
          "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n"
          "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>\n"
          "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n"
          "<union id=\"vec128\">\n"
          "  <field name=\"uint128\" type=\"uint128\"/>\n"
          "  <field name=\"v4_float\" type=\"v4f\"/>\n"
          "  <field name=\"v4_int32\" type=\"v4i32\"/>\n"
          "  <field name=\"v8_int16\" type=\"v8i16\"/>\n"
          "  <field name=\"v16_int8\" type=\"v16i8\"/>\n"
          "</union>\n";
    }
    for (unsigned n = 0; n < a.regs.size(); ++n) {
      const RegDesc& r = a.regs[n];
      if (r.feature != f) continue;
      x += fmt::format("<reg name=\"{}\" bitsize=\"{}\" type=\"{}\" regnum=\"{}\"", r.name, r.bits, r.type, n);
      if (!r.group.empty()) x += fmt::format(" group=\"{}\"", r.group);
      x += "/>\n";
    }
    x += "</feature>\n";
  }
  x += "</target>\n";
  a.xml = std::move(x);
  return a;
}

}  // namespace

const ArchDesc& arch64() {
  static const ArchDesc a = build();
  return a;
}

}  // namespace lpar::gdb::power
