// "monitor ..." commands of the machine target: what a hypervisor developer
// asks a hardware debugger (SLB, HPT lookups, partition registers, pending
// interrupts).
#include <fmt/format.h>

#include "cpu/sem/spr.h"
#include "gdb/debug_mmu.h"
#include "gdb/machine_target.h"

namespace lpar::gdb {

namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t')) s.pop_back();
  size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == '\t')) ++b;
  return s.substr(b);
}

// Hex with or without 0x (addresses are hex in a kernel developer's head).
bool parse_addr(std::string t, u64& v) {
  if (t.starts_with("0x") || t.starts_with("0X")) t = t.substr(2);
  if (t.empty() || t.size() > 16) return false;
  v = 0;
  for (char c : t) {
    const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return false;
    v = v << 4 | unsigned(d);
  }
  return true;
}

// ISA bit b of v (bit 0 = MSB).
unsigned ib(u64 v, unsigned b) { return unsigned(v >> (63 - b)) & 1; }

std::string msr_flags(u64 msr) {
  static const struct {
    unsigned bit;
    const char* name;
  } f[] = {{0, "SF"}, {3, "HV"}, {38, "VEC"}, {40, "VSX"}, {48, "EE"}, {49, "PR"}, {50, "FP"}, {51, "ME"},
           {53, "SE"}, {54, "BE"}, {58, "IR"}, {59, "DR"}, {61, "PMM"}, {62, "RI"}, {63, "LE"}};
  std::string r;
  for (const auto& x : f)
    if (ib(msr, x.bit) != 0) r += std::string(r.empty() ? "" : " ") + x.name;
  return r;
}

const char* exc_name(Exc e) {
  switch (e) {
    case Exc::Decrementer: return "Decrementer (0x900)";
    case Exc::HDecrementer: return "Hypervisor Decrementer (0x980)";
    default: return "none";
  }
}

}  // namespace

std::string MachineTarget::mon_regs(Vcpu& v) {
  const CpuState& s = v.s;
  v.mmu.sync(v.s);
  const mmu::MmuContext& c = v.mmu.context();
  std::string r = fmt::format("MSR   {:#018x}  {}\n", s.msr, msr_flags(s.msr));
  r += fmt::format("LPCR  {:#018x}  ILE={} AIL={} LD={} HDICE={} LPES0={} VPM0={} VPM1={} RMLS={} VRMASD={:#x}\n",
                   s.lpcr, ib(s.lpcr, 38), (s.lpcr >> (63 - 40)) & 3, ib(s.lpcr, 46), ib(s.lpcr, 63), ib(s.lpcr, 60),
                   ib(s.lpcr, 0), ib(s.lpcr, 1), (s.lpcr >> (63 - 37)) & 0xF, (s.lpcr >> (63 - 51)) & 0x1F);
  r += fmt::format("LPIDR {:#x}  PIR {:#x}  PVR {:#010x}\n", s.lpidr, s.pir, s.pvr);
  r += fmt::format("RMOR  {:#x}  HRMOR {:#x}", s.rmor, s.hrmor);
  if (m_.model() == isa::PPC970) r += fmt::format("  HID4 {:#018x}", s.hid[2]);
  r += "\n";
  r += fmt::format("SDR1  {:#x}  PTCR {:#x}  (HPT in use: HTABORG {:#x} HTABSIZE {})\n", s.sdr1, s.ptcr,
                   c.sdr1 & mmu::SDR1_HTABORG, c.sdr1 & mmu::SDR1_HTABSIZE);
  r += describe_real_mode(c);
  return r;
}

std::string MachineTarget::mon_pending(Vcpu& v) {
  const CpuState& s = v.s;
  const s64 dec = sem::get_dec(s), hdec = sem::get_hdec(s);
  const bool ee = s.msr & sem::MSR_EE, hv = s.msr & sem::MSR_HV;
  std::string r;
  r += fmt::format("DEC  {:#x} ({}, {} bits): {}; MSR[EE]={}\n", sem::dec_read(s, dec, sem::dec_bits(s)), dec,
                   sem::dec_bits(s), dec < 0 ? "exception pending" : "no exception", ee ? 1 : 0);
  r += fmt::format("HDEC {:#x} ({}, {} bits): {}; LPCR[HDICE]={}, {} state\n",
                   sem::dec_read(s, hdec, sem::hdec_bits(s)), hdec, sem::hdec_bits(s),
                   hdec < 0 ? "exception pending" : "no exception", (s.lpcr & sem::LPCR_HDICE) ? 1 : 0,
                   hv ? "hypervisor" : "partition");
  r += fmt::format("taken at the next instruction boundary: {}\n", exc_name(sem::timer_pending(s)));
  r += "external: none (the bare machine has no interrupt controller)\n";
  r += fmt::format("Time Base {:#x}, {} instructions retired\n", sem::cur_tb(s), s.icount);
  return r;
}

std::string MachineTarget::monitor(const std::string& cmd_in) {
  const std::string cmd = trim(cmd_in);
  const size_t sp = cmd.find(' ');
  const std::string verb = cmd.substr(0, sp);
  const std::string arg = sp == std::string::npos ? "" : trim(cmd.substr(sp + 1));
  Vcpu v = vcpu(1);
  if (verb.empty() || verb == "help")
    return "lpar monitor commands (vCPU 1):\n"
           "  help           this text\n"
           "  slb            valid SLB entries\n"
           "  hpt EA         look EA up: segment, VSID, hash, PTEGs, HPTE, real address\n"
           "  regs | lpcr    MSR, LPCR, LPIDR, RMOR, HRMOR, SDR1/PTCR and the real-mode addressing in effect\n"
           "  pending        decrementer / hypervisor decrementer / external interrupt state\n"
           "  phys [on|off]  memory packets use physical (real) addresses instead of the current translation\n"
           "  xlate EA       the real address the debugger uses for EA\n"
           "  breakpoints    breakpoints and watchpoints the stub holds\n"
           "  icount         instructions retired\n"
           "  flush          drop the TLB and every pre-decoded block\n";
  if (verb == "slb") {
    v.mmu.sync(v.s);
    return describe_slb(v.mmu.context());
  }
  if (verb == "hpt" || verb == "xlate") {
    u64 ea;
    if (!parse_addr(arg, ea)) return fmt::format("usage: monitor {} EA (hex)\n", verb);
    v.mmu.sync(v.s);
    if (verb == "hpt") return describe_hpt_lookup(v.mmu.context(), ea);
    const bool was = phys_;
    phys_ = false;
    u64 ra;
    std::string why;
    const bool ok = translate(v, ea, ra, &why);
    phys_ = was;
    return ok ? fmt::format("EA {:#x} -> RA {:#x}\n", ea, ra) : why + "\n";
  }
  if (verb == "regs" || verb == "lpcr") return mon_regs(v);
  if (verb == "pending") return mon_pending(v);
  if (verb == "phys") {
    if (arg == "on") phys_ = true;
    else if (arg == "off") phys_ = false;
    else if (!arg.empty()) return "usage: monitor phys [on|off]\n";
    return fmt::format("memory accesses use {} addresses\n", phys_ ? "physical" : "effective (current translation)");
  }
  if (verb == "breakpoints") return points_.describe();
  if (verb == "icount") return fmt::format("{}\n", v.s.icount);
  if (verb == "flush") {
    v.mmu.flush(v.s);
    v.interp.invalidate_all();
    return "TLB and code cache flushed\n";
  }
  return "unknown command '" + cmd + "' (try: monitor help)\n";
}

}  // namespace lpar::gdb
