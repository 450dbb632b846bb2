// A whole file into memory in one read (kernel, initrd and firmware images
// are tens of megabytes: byte-wise stream iteration costs a visible share of
// a boot).  false when it cannot be opened or read, or is not a regular file.
#pragma once
#include <cstdint>
#include <fstream>
#include <string>
#include <system_error>
#include <filesystem>
#include <vector>

namespace lpar::machine {

inline bool read_file(const std::string& path, std::vector<uint8_t>& out) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return false;
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out.resize(size);
  return size == 0 || static_cast<bool>(f.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(size)));
}

}  // namespace lpar::machine
