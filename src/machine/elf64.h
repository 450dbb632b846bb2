// ELF64 PowerPC executables as full-system machines load them: the byte
// order, the entry point and the PT_LOAD segments (physical and virtual
// addresses), every offset and size checked against the file.
#pragma once
#include <string>
#include <vector>

#include "cpu/state.h"

namespace lpar::machine {

struct ElfSegment {
  u64 vaddr, paddr;
  u64 offset, filesz, memsz;
};

struct Elf64Image {
  bool little_endian = false;
  u64 entry = 0;
  std::vector<ElfSegment> segments;  // PT_LOAD only, in file order
  std::vector<u8> bytes;             // the whole file
};

// Read and parse path.  Returns an empty string, or a one-line error naming
// the file ("cannot open", "not an ELF file", "malformed program headers"...).
std::string read_elf64(const std::string& path, Elf64Image& out);

}  // namespace lpar::machine
