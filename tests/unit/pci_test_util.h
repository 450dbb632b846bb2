// Helpers the PHB, MSI and virtio unit tests share.
#pragma once
#include <catch2/catch.hpp>

#include <vector>

#include "papr/guest_memory.h"
#include "pci/spapr_phb.h"

namespace lpar::test {

// A PCI little-endian value as the IO bus carries it (bytes in address
// order, as a big-endian number of len bytes).
inline u64 bus_order(u64 v, unsigned len) {
  u64 r = 0;
  for (unsigned i = 0; i < len; ++i) r |= ((v >> (8 * i)) & 0xFF) << (8 * (len - 1 - i));
  return r;
}

// An RTAS call through a guest argument buffer at at {token, nargs, nret,
// args..., rets...} (rets pre-filled with garbage), served by the PHB; the rets.
inline std::vector<u32> phb_rtas_call(papr::GuestMemory& gm, pci::SpaprPhb& phb, u64 at, u32 token,
                                      const std::vector<u32>& args, u32 nret) {
  gm.write_be32(at, token);
  gm.write_be32(at + 4, u32(args.size()));
  gm.write_be32(at + 8, nret);
  for (size_t i = 0; i < args.size(); ++i) gm.write_be32(at + 12 + 4 * i, args[i]);
  for (u32 i = 0; i < nret; ++i) gm.write_be32(at + 12 + 4 * (args.size() + i), 0xDEADBEEF);
  REQUIRE(phb.rtas_buffer(at));
  std::vector<u32> r(nret);
  for (u32 i = 0; i < nret; ++i) gm.read_be32(at + 12 + 4 * (args.size() + i), r[i]);
  return r;
}

}  // namespace lpar::test
