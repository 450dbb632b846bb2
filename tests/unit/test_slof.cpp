// The SLOF-boot helpers of src/papr/slof.h: the private hcalls' checks and
// byte moves, on a flat guest memory.
#include <libfdt.h>

#include <catch2/catch.hpp>
#include <vector>

#include "hv/papr.h"
#include "papr/slof.h"
#include "papr/spapr_dt.h"

using namespace lpar;
using namespace lpar::papr;

namespace {
struct Ram {
  std::vector<u8> bytes = std::vector<u8>(1 << 20);
  FlatGuestMemory mem{bytes.data(), bytes.size()};
};
}  // namespace

TEST_CASE("H_LOGICAL_MEMOP copies, inverts, and handles overlap", "[slof]") {
  Ram r;
  for (int i = 0; i < 64; ++i) r.bytes[0x1000 + i] = u8(i);
  u64 copy[5] = {0x2000, 0x1000, 2, 16, 0};  // 16 words
  u64 gpa = 0, len = 0;
  REQUIRE(h_logical_memop(r.mem, copy, &gpa, &len) == hv::H_SUCCESS);
  CHECK(gpa == 0x2000);
  CHECK(len == 64);
  for (int i = 0; i < 64; ++i) CHECK(r.bytes[0x2000 + i] == u8(i));

  u64 inv[5] = {0x3000, 0x1000, 0, 4, 1};
  REQUIRE(h_logical_memop(r.mem, inv, nullptr, nullptr) == hv::H_SUCCESS);
  CHECK(r.bytes[0x3000] == 0xff);
  CHECK(r.bytes[0x3003] == u8(~3));
  CHECK(r.bytes[0x3004] == 0);

  // dst inside the source: the result is the source as it was.
  u64 ov[5] = {0x1008, 0x1000, 3, 4, 0};
  REQUIRE(h_logical_memop(r.mem, ov, nullptr, nullptr) == hv::H_SUCCESS);
  for (int i = 0; i < 32; ++i) CHECK(r.bytes[0x1008 + i] == u8(i));
}

TEST_CASE("H_LOGICAL_MEMOP refuses bad arguments", "[slof]") {
  Ram r;
  const u64 bad[][5] = {
      {0x2001, 0x1000, 1, 1, 0},            // misaligned destination
      {0x2000, 0x1002, 2, 1, 0},            // misaligned source
      {0x2000, 0x1000, 4, 1, 0},            // element size 16
      {0x2000, 0x1000, 0, 1, 2},            // unknown op
      {0x2000, 0x1000, 0, 0x80000001, 0},   // count too large
      {0xffff0, 0x1000, 3, 4, 0},           // runs off RAM
      {0x2000, ~u64{0} - 7, 3, 1, 0},       // source outside RAM
  };
  for (const auto& a : bad) {
    u64 args[5];
    std::copy(a, a + 5, args);
    CHECK(h_logical_memop(r.mem, args, nullptr, nullptr) == hv::H_PARAMETER);
  }
}

TEST_CASE("the CAS answer is a version header and the tree", "[slof]") {
  Ram r;
  SpaprDtConfig dc;
  dc.ram_size = dc.rma_size = u64{256} << 20;
  const std::vector<u8> fdt = build_spapr_fdt(dc);
  REQUIRE(!fdt.empty());
  REQUIRE(write_cas_response(r.mem, 0x10000, 0x20000, fdt));
  CHECK(r.bytes[0x10000] == 0);
  CHECK(r.bytes[0x10003] == 1);
  std::vector<u8> copy(r.bytes.begin() + 0x10004, r.bytes.begin() + 0x10004 + fdt.size());  // libfdt wants it aligned
  CHECK(copy == fdt);
  CHECK(fdt_check_full(copy.data(), copy.size()) == 0);
  CHECK_FALSE(write_cas_response(r.mem, 0x10000, fdt.size() + 3, fdt));  // too small
  CHECK_FALSE(write_cas_response(r.mem, 0x100000 - 16, 0x20000, fdt));  // past RAM
}

TEST_CASE("H_UPDATE_DT takes a sane tree no larger than allowed", "[slof]") {
  Ram r;
  SpaprDtConfig dc;
  dc.ram_size = dc.rma_size = u64{256} << 20;
  const std::vector<u8> fdt = build_spapr_fdt(dc);
  std::copy(fdt.begin(), fdt.end(), r.bytes.begin() + 0x8000);
  auto t = read_updated_dt(r.mem, 0x8000, 2 * fdt.size());
  REQUIRE(t);
  CHECK(*t == fdt);
  CHECK_FALSE(read_updated_dt(r.mem, 0x8000, fdt.size() - 1));  // grew too much
  r.bytes[0x8000 + 0x10] ^= 0xff;                                  // corrupt off_mem_rsvmap... header
  r.bytes[0x8000 + 8] ^= 0x40;                                     // off_dt_struct points elsewhere
  CHECK_FALSE(read_updated_dt(r.mem, 0x8000, 2 * fdt.size()));
  CHECK_FALSE(read_updated_dt(r.mem, 0x100000 - 8, 2 * fdt.size()));  // header past RAM
}

TEST_CASE("the tree goes 2 MiB below min(RMA, 2 GiB)", "[slof]") {
  CHECK(slof_fdt_addr(u64{1} << 30) == 0x3fe00000);
  CHECK(slof_fdt_addr(u64{8} << 30) == 0x7fe00000);
  // An explicit -bios is taken as given: the loader says what is wrong with it.
  CHECK(find_slof("/nonexistent/slof.bin", "") == "/nonexistent/slof.bin");
}
