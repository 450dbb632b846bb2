// Static ppc64 ELF executables: validation and loading into an AddressSpace.
#pragma once
#include <span>
#include <string>
#include <vector>

#include "user/address_space.h"

namespace lpar::user {

struct ElfImage {
  bool big_endian = false;
  bool elfv2 = true;     // ELFv2 ABI (e_flags 2); ELFv1 entries are function descriptors
  bool dyn = false;      // ET_DYN (static-pie), loaded at a bias
  u64 bias = 0;          // added to every p_vaddr
  u64 entry = 0;         // e_entry + bias
  u64 phdr = 0;          // guest address of the program headers (AT_PHDR)
  u64 phent = 0, phnum = 0;
  u64 lo = 0, hi = 0;    // page range covered by PT_LOAD (after bias)
  u64 brk = 0;           // initial program break: end of bss, page aligned
  u64 tls_vaddr = 0, tls_memsz = 0;
  bool exec_stack = false;  // PT_GNU_STACK with PF_X
};

// Check `file` is a static ppc64 executable and map its PT_LOAD segments.
// On failure returns false with a one-line reason in err (nothing is left mapped).
bool load_elf(std::span<const u8> file, AddressSpace& as, ElfImage& out, std::string& err);

// Read a whole file; false with err set on failure.
bool read_file(const std::string& path, std::vector<u8>& data, std::string& err);

}  // namespace lpar::user
