#include "papr/cas.h"

namespace lpar::papr {

namespace {

constexpr unsigned MAX_PVR_PAIRS = 512;

// Architected ("logical") PVRs: 0x0f000000 | level, level 3 = ISA 2.06,
// 4 = 2.07, 5 = 3.00 (LoPAPR B.5.2.1; Linux cputable.c "architected" entries).
constexpr u32 ARCH_PVR_BASE = 0x0f000000;
u32 max_arch_level(isa::Model m) {
  switch (m) {
    case isa::POWER7: return 3;
    case isa::POWER8: return 4;
    case isa::POWER9: return 5;
    default: return 0;  // the 970 predates architected PVRs
  }
}

bool read_u8(GuestMemory& mem, u64 gpa, u8& v) { return mem.read(gpa, &v, 1); }

}  // namespace

std::optional<CasVectors> parse_cas_vectors(GuestMemory& mem, u64 gpa, std::string* err) {
  auto fail = [&](const char* why) -> std::optional<CasVectors> {
    if (err) *err = why;
    return std::nullopt;
  };
  CasVectors v;
  u64 p = gpa;
  for (unsigned i = 0;; ++i) {
    if (i == MAX_PVR_PAIRS) return fail("PVR list without terminator");
    u32 mask, value;
    if (!mem.read_be32(p, mask) || !mem.read_be32(p + 4, value)) return fail("PVR list outside RAM");
    p += 8;
    if (value & ~mask) break;  // the terminator
    v.pvrs.emplace_back(mask, value);
  }
  u8 count_m1;
  if (!read_u8(mem, p++, count_m1)) return fail("option vector count outside RAM");
  for (unsigned n = 1; n <= unsigned(count_m1) + 1; ++n) {
    u8 len_m1;
    if (!read_u8(mem, p++, len_m1)) return fail("option vector length outside RAM");
    const unsigned len = unsigned(len_m1) + 1;
    std::vector<u8> bytes(len);
    if (!mem.read(p, bytes.data(), len)) return fail("option vector outside RAM");
    p += len;
    if (n < v.vec.size()) v.vec[n] = std::move(bytes);
  }
  return v;
}

CasResult negotiate_cas(const CasVectors& client, const CasPlatform& platform) {
  CasResult r;
  const u32 max_level = max_arch_level(platform.model);
  u32 best_level = 0;
  for (auto [mask, value] : client.pvrs) {
    if ((platform.pvr & mask) == value) r.pvr_listed = true;
    if (mask == 0xffffffff && (value & 0xffffff00) == ARCH_PVR_BASE) {
      u32 level = value & 0xff;
      if (level <= max_level && level > best_level) best_level = level;
    }
  }
  if (best_level) r.compat_pvr = ARCH_PVR_BASE | best_level;
  if (!r.pvr_listed && !r.compat_pvr) {
    r.error = "the client supports neither this processor's PVR nor an architected level it implements";
    return r;
  }
  r.isa_3_00 = client.byte(1, ov::OV1_ARCH3_BYTE) & ov::OV1_PPC_3_00;

  if (client.byte(5, ov::OV5_MMU_BYTE) & ov::OV5_MMU_RADIX) {
    r.error = "the client asks for the radix MMU; lpar's pseries offers hash only";
    return r;
  }
  if (client.byte(5, ov::OV5_INTC_BYTE) & ov::OV5_XIVE_EXPLOIT) {
    r.error = "the client asks for XIVE; lpar's pseries offers XICS only";
    return r;
  }

  std::array<u8, ov::OV5_MAX_BYTES + 1> offer{};  // indexed by byte number
  offer[ov::OV5_AFFINITY_BYTE] = ov::OV5_FORM1_AFFINITY;
  if (platform.hpt_resize) offer[ov::OV5_BIN_OPTS_BYTE] = ov::OV5_HPT_RESIZE;
  // Bytes 23..26 (interrupt controller, MMU and their options) stay 0:
  // XICS, hash, no segment tables, no GTSE.
  r.ov5.resize(ov::OV5_MAX_BYTES);
  for (unsigned b = 1; b <= ov::OV5_MAX_BYTES; ++b) r.ov5[b - 1] = client.byte(5, b) & offer[b];
  r.hpt_resize = r.ov5[ov::OV5_BIN_OPTS_BYTE - 1] & ov::OV5_HPT_RESIZE;
  while (!r.ov5.empty() && r.ov5.back() == 0) r.ov5.pop_back();
  r.ok = true;
  return r;
}

}  // namespace lpar::papr
