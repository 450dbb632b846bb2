// ibm,client-architecture-support (LoPAPR 1.1 B.5.2 "Root Node Methods"):
// the client's list of processor versions and option vectors, read from
// guest memory, and the negotiation of option vector 5 with what lpar's
// pseries platform offers.
//
// Layout in guest memory (big-endian, byte-packed; Linux builds it as
// prom_init.c's struct ibm_arch_vec):
//   {u32 mask, u32 value} PVR pairs, ending with the first pair that has a
//     1 bit in value where mask has a 0 (e.g. {0xfffffffe, 0x0f000001});
//   u8 number of option vectors - 1;
//   per vector: u8 length - 1, then the vector's bytes.
// Bytes are numbered from 1 as PAPR and Linux's OV5_* constants do (byte n
// is the n-th after the length byte); a bit "b" of a byte is 0x80 >> b.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cpu/isa/table.h"
#include "papr/guest_memory.h"

namespace lpar::papr {

// Option vector 1 (processor architecture levels) and 5 (platform
// features) bytes and bits lpar looks at (LoPAPR B.5.2 tables; Linux's
// asm/prom.h values).
namespace ov {
inline constexpr unsigned OV1_ARCH3_BYTE = 3;
inline constexpr u8 OV1_PPC_3_00 = 0x80;

inline constexpr unsigned OV5_AFFINITY_BYTE = 5;
inline constexpr u8 OV5_FORM1_AFFINITY = 0x80;
inline constexpr unsigned OV5_BIN_OPTS_BYTE = 6;
inline constexpr u8 OV5_HP_EVT = 0x04;
inline constexpr u8 OV5_HPT_RESIZE = 0x01;
inline constexpr unsigned OV5_INTC_BYTE = 23;  // interrupt controller
inline constexpr u8 OV5_XIVE_EXPLOIT = 0x40;   // 0 = XICS (legacy)
inline constexpr unsigned OV5_MMU_BYTE = 24;
inline constexpr u8 OV5_MMU_RADIX = 0x40;      // 0 = hash
inline constexpr unsigned OV5_HASH_EXT_BYTE = 25;
inline constexpr unsigned OV5_RADIX_EXT_BYTE = 26;
inline constexpr unsigned OV5_MAX_BYTES = 32;  // lpar keeps bytes 1..32 of OV5
}  // namespace ov

struct CasVectors {
  std::vector<std::pair<u32, u32>> pvrs;     // (mask, value), without the terminator
  std::array<std::vector<u8>, 8> vec{};      // vec[n]: option vector n's bytes (n = 1..7)
  // Byte b (from 1) of option vector n; 0 where the client sent none.
  u8 byte(unsigned n, unsigned b) const {
    return n < vec.size() && b >= 1 && b <= vec[n].size() ? vec[n][b - 1] : 0;
  }
};

// Reads the structure at gpa; nullopt (and *err) if any byte of it is
// outside guest RAM or the PVR list does not end within 512 pairs.
std::optional<CasVectors> parse_cas_vectors(GuestMemory& mem, u64 gpa, std::string* err = nullptr);

struct CasPlatform {
  isa::Model model = isa::POWER9;
  u32 pvr = 0;             // the vCPUs' real PVR
  bool hpt_resize = true;  // -M pseries,resize-hpt=enabled
};

struct CasResult {
  bool ok = false;
  std::string error;   // why not, when !ok
  bool pvr_listed = false;  // the client lists the real PVR
  u32 compat_pvr = 0;       // best listed architected PVR (0x0f00000N) the model satisfies, or 0
  bool isa_3_00 = false;    // OV1: the client knows ISA 3.00
  bool hpt_resize = false;  // both sides do H_RESIZE_HPT_*; if false, an HPT client must get a max-size HPT
  std::vector<u8> ov5;      // the agreed OV5 bytes 1..N, for ibm,architecture-vec-5
};

// The agreement: lpar gives hash MMU and XICS only, so a client that asks for
// radix-only or XIVE-only gets !ok; generic OV5 bits are the intersection
// with what the platform has (FORM1 affinity, HPT resize when enabled).
CasResult negotiate_cas(const CasVectors& client, const CasPlatform& platform);

}  // namespace lpar::papr
