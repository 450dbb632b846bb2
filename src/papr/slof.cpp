#include "papr/slof.h"

#include <libfdt.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "hv/papr.h"

namespace lpar::papr {

namespace {
bool is_file(const std::string& p) {
  std::error_code ec;
  return !p.empty() && std::filesystem::is_regular_file(p, ec);
}
}  // namespace

std::string find_slof(const std::string& bios, const std::string& repo_dir) {
  if (!bios.empty()) return bios;  // the loader says what is wrong with it
  if (const char* env = std::getenv("LPAR_SLOF"); env && *env) return is_file(env) ? env : std::string{};
  if (!repo_dir.empty() && is_file(repo_dir + "/.cache/guests/slof.bin")) return repo_dir + "/.cache/guests/slof.bin";
  const std::string deb = "/usr/share/qemu/slof.bin";
  return is_file(deb) ? deb : std::string{};
}

std::string exe_repo_dir() {
  std::error_code ec;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const std::filesystem::path repo = exe.parent_path().parent_path();
  return std::filesystem::is_directory(repo / ".cache", ec) ? repo.string() : std::string{};
}

u64 slof_fdt_addr(u64 rma_size) { return std::min(rma_size, u64{2} << 30) - SLOF_FDT_MAX; }

long h_logical_memop(GuestMemory& mem, const u64 args[5], u64* written_gpa, u64* written_len) {
  const u64 dst = args[0], src = args[1], esize = args[2], count = args[3], op = args[4];
  if (esize > 3 || op > 1 || count > 0x80000000ull) return hv::H_PARAMETER;
  const u64 mask = (u64{1} << esize) - 1;
  if ((dst & mask) || (src & mask)) return hv::H_PARAMETER;
  const u64 len = count << esize;
  if (len == 0) return hv::H_SUCCESS;
  u8* d = mem.host_ptr(dst, len);
  const u8* s = mem.host_ptr(src, len);
  if (!d || !s) return hv::H_PARAMETER;
  // Element order does not matter for a whole-range copy: memmove gives the
  // overlapping case the same result element by element would.
  std::memmove(d, s, len);
  if (op == 1)
    for (u64 i = 0; i < len; ++i) d[i] = u8(~d[i]);
  if (written_gpa) *written_gpa = dst;
  if (written_len) *written_len = len;
  return hv::H_SUCCESS;
}

bool write_cas_response(GuestMemory& mem, u64 buf, u64 size, const std::vector<u8>& fdt) {
  if (size < 4 || fdt.size() > size - 4) return false;
  u8* p = mem.host_ptr(buf, 4 + fdt.size());
  if (!p) return false;
  const u32 v = CAS_RESPONSE_VERSION;
  p[0] = u8(v >> 24), p[1] = u8(v >> 16), p[2] = u8(v >> 8), p[3] = u8(v);
  std::memcpy(p + 4, fdt.data(), fdt.size());
  return true;
}

std::optional<std::vector<u8>> read_updated_dt(GuestMemory& mem, u64 addr, u64 max_size) {
  fdt_header hdr;
  if (!mem.read(addr, &hdr, sizeof hdr)) return std::nullopt;
  const u64 total = fdt32_to_cpu(hdr.totalsize);
  if (total < sizeof hdr || total > max_size) return std::nullopt;
  std::vector<u8> t(total);
  if (!mem.read(addr, t.data(), total)) return std::nullopt;
  if (fdt_check_full(t.data(), total) != 0) return std::nullopt;
  return t;
}

}  // namespace lpar::papr
