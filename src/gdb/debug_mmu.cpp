#include "gdb/debug_mmu.h"

#include <fmt/format.h>

#include "mmu/hpt.h"
#include "mmu/real_mode.h"
#include "mmu/slb.h"

namespace lpar::gdb {

using namespace lpar::mmu;

namespace {

const char* size_name(unsigned shift) {
  switch (shift) {
    case 12: return "4K";
    case 16: return "64K";
    case 24: return "16M";
    case 34: return "16G";
    case 28: return "256M";
    case 40: return "1T";
    default: return "?";
  }
}

// The base page shift the HPT search hashes with (LPCR[ISL] forces 4K, v2.06+).
unsigned hash_shift(const MmuContext& c, u64 vsid_word) {
  const unsigned base = slb_base_shift(c.model, vsid_word);
  return base && (c.lpcr & LPCR_ISL) && c.model >= isa::POWER7 ? 12 : base;
}

u64 htab_origin(const MmuContext& c) { return c.htab ? 0 : c.sdr1 & SDR1_HTABORG; }

DebugTranslation through_hpt(const MmuContext& c, u64 vsid_word, u64 ea, const char* where) {
  DebugTranslation t;
  if (slb_base_shift(c.model, vsid_word) == 0) {
    t.why = fmt::format("{} has an unimplemented page size", where);
    return t;
  }
  const HptMatch m = hpt_search(c, vsid_word, ea);
  if (!m.found) {
    t.why = fmt::format("no HPTE maps EA {:#x} in {}", ea, where);
    return t;
  }
  const u64 psize = u64{1} << m.page_shift;
  t.ra = (m.pte1 & hpte_rpn_mask(c.model) & ~(psize - 1)) | (ea & (psize - 1));
  t.page_shift = m.page_shift;
  t.ok = true;
  return t;
}

std::string slb_line(const MmuContext& c, unsigned i, const SlbEntry& e) {
  const bool t1 = slb_is_1t(e.vsid);
  const u64 esid = e.esid >> (t1 ? 40 : 28);
  const u64 v = e.vsid;
  return fmt::format("SLB[{:2}] ESID {:#x} ({}) VSID {:#x} {}{}{}{}{}base page {}  [{:016x} {:016x}]\n", i, esid,
                     t1 ? "1T" : "256M", slb_vsid(v), v & SLB_V_KS ? "Ks " : "", v & SLB_V_KP ? "Kp " : "",
                     v & SLB_V_N ? "N " : "", v & SLB_V_L ? "L " : "", v & SLB_V_C ? "C " : "",
                     size_name(slb_base_shift(c.model, v)), e.esid, e.vsid);
}

}  // namespace

DebugTranslation debug_translate(const MmuContext& c, u64 ea, bool fetch) {
  if (!(c.msr & MSR_SF)) ea &= 0xFFFFFFFFull;  // 32-bit mode (Book III-S 5.7.2)
  if (c.msr & (fetch ? MSR_IR : MSR_DR)) {
    const SlbEntry* e = slb_lookup(c, ea);
    if (!e) {
      DebugTranslation t;
      t.why = fmt::format("no SLB entry for EA {:#x}", ea);
      return t;
    }
    return through_hpt(c, e->vsid, ea, "its segment");
  }
  if (!(c.msr & MSR_HV) && uses_vrma(c)) return through_hpt(c, vrma_vsid_word(c), ea, "the VRMA");
  // Outside the VRMA translate_real only reads the context (5.7.3.1, 5.7.3.2).
  MmuContext copy = c;
  const TranslateResult r = translate_real(copy, ea, fetch ? Access::Exec : Access::Read);
  DebugTranslation t;
  if (r.exc != Exc::None) {
    t.why = fmt::format("EA {:#x} is beyond the real mode area", ea);
    return t;
  }
  t.ok = true;
  t.ra = r.ra;
  return t;
}

std::string describe_slb(const MmuContext& c) {
  std::string r;
  for (unsigned i = 0; i < slb_entries(c.model) && i < SLB_MAX; ++i)
    if (c.slb[i].esid & SLB_ESID_V) r += slb_line(c, i, c.slb[i]);
  return r.empty() ? "no valid SLB entries\n" : r;
}

std::string describe_hpt_lookup(const MmuContext& c, u64 ea) {
  std::string r = fmt::format("EA {:#x}: MSR[IR]={} MSR[DR]={}\n", ea, (c.msr & MSR_IR) ? 1 : 0,
                              (c.msr & MSR_DR) ? 1 : 0);
  u64 vw;
  const SlbEntry* e = slb_lookup(c, ea);
  if (e) {
    const unsigned idx = unsigned(e - c.slb);
    r += "segment: " + slb_line(c, idx, *e);
    vw = e->vsid;
  } else if (!(c.msr & MSR_HV) && uses_vrma(c)) {
    r += "no SLB entry; partition real mode would use the VRMA segment\n";
    vw = vrma_vsid_word(c);
  } else {
    return r + "no SLB entry for this EA (a Segment interrupt with translation on)\n";
  }
  const unsigned base = hash_shift(c, vw);
  if (!base) return r + "the segment's page size is not implemented on this model\n";
  const bool t1 = slb_is_1t(vw);
  const u64 vsid = slb_vsid(vw);
  const u64 off = ea & ((u64{1} << segment_shift(vw)) - 1);
  const u64 hash = hpt_hash(vsid, t1, off >> base);
  const u64 org = htab_origin(c);
  if (c.htab)
    r += fmt::format("HPT: hypervisor-owned, {} bytes\n", c.htab_bytes);
  else
    r += fmt::format("HPT: HTABORG {:#x} HTABSIZE {} (SDR1{} {:#x})\n", org, c.sdr1 & SDR1_HTABSIZE,
                     is_isa300(c.model) ? " from the partition table" : "", c.sdr1);
  const u64 p1 = pteg_address(c.sdr1, hash), p2 = pteg_address(c.sdr1, ~hash);
  r += fmt::format("VSID {:#x}, VA {:#x}, hash {:#x}: primary PTEG {:#x}, secondary PTEG {:#x}\n", vsid,
                   va64(vsid, t1, off), hash, p1, p2);
  const HptMatch m = hpt_search(c, vw, ea);
  if (!m.found) return r + "no matching valid HPTE in either PTEG (a DSI/ISI with DSISR[33] / SRR1[33])\n";
  const u64 psize = u64{1} << m.page_shift;
  const u64 ra = (m.pte1 & hpte_rpn_mask(c.model) & ~(psize - 1)) | (ea & (psize - 1));
  const unsigned pp = unsigned(m.pte1 & HPTE1_PP) | ((m.pte1 & HPTE1_PP0) ? 4 : 0);
  r += fmt::format("HPTE index {:#x} at {:#x} ({} group): {:016x} {:016x}\n", (m.pte_addr - org) / HPTE_BYTES,
                   m.pte_addr, (m.pte0 & HPTE0_H) ? "secondary" : "primary", m.pte0, m.pte1);
  r += fmt::format("page {} at RA {:#x}: RA {:#x}; PP {} key {}{}{}{}{}\n", size_name(m.page_shift), ra & ~(psize - 1),
                   ra, pp, hpte_key(m.pte1), (m.pte1 & HPTE1_N) ? " N" : "", (m.pte1 & HPTE1_G) ? " G" : "",
                   (m.pte1 & HPTE1_R) ? " R" : "", (m.pte1 & HPTE1_C) ? " C" : "");
  return r;
}

std::string describe_real_mode(const MmuContext& c) {
  std::string hv = has_hrmor(c.model)
                       ? fmt::format("RA = EA[4:63] | HRMOR {:#x} (EA[0]=0), EA[4:63] (EA[0]=1)", c.hrmor)
                       : std::string("RA = EA[4:63] (the 970 has no HRMOR)");
  std::string part;
  if (uses_vrma(c)) {
    const u64 vw = vrma_vsid_word(c);
    const unsigned base = slb_base_shift(c.model, vw);
    part = fmt::format("VRMA: 1T segment VSID {:#x} through the HPT, LPCR[VRMASD] {:#x} (base page {})", VRMA_VSID,
                       (c.lpcr & LPCR_VRMASD) >> LPCR_VRMASD_SHIFT, base ? size_name(base) : "unimplemented");
  } else if (c.model == isa::PPC970) {
    const unsigned code = ((c.hid4 & HID4_RMLS0) ? 4u : 0u) | unsigned((c.hid4 >> HID4_RMLS12_SHIFT) & 3);
    part = fmt::format("RMO: RA = EA[4:63] | RMOR {:#x} below limit {:#x} (HID4 RMLS {})",
                       ((c.hid4 >> HID4_RMOR_SHIFT) & 0xFFFF) << 26, rmls_limit(c.model, code), code);
  } else {
    const unsigned code = unsigned((c.lpcr & LPCR_RMLS) >> LPCR_RMLS_SHIFT);
    part = fmt::format("RMO: RA = EA[4:63] | RMOR {:#x} below limit {:#x} (LPCR[RMLS] {})", c.rmor,
                       rmls_limit(c.model, code), code);
  }
  const bool hvmode = c.msr & MSR_HV;
  const bool ir = c.msr & MSR_IR, dr = c.msr & MSR_DR;
  std::string now;
  if (ir && dr) now = "translation on (SLB + HPT) for fetches and data";
  else now = fmt::format("{} real mode{}", hvmode ? "hypervisor" : "partition",
                         ir ? " for data (fetches translated)" : dr ? " for fetches (data translated)" : "");
  return fmt::format("hypervisor real mode: {}\npartition real mode: {}\nin effect now: {}\n", hv, part, now);
}

}  // namespace lpar::gdb
