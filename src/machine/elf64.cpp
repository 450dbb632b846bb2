#include "machine/elf64.h"

#include <elf.h>

#include <cstring>

#include "machine/read_file.h"

namespace lpar::machine {

std::string read_elf64(const std::string& path, Elf64Image& out) {
  std::vector<u8> img;
  // QEMU's wording, which scripts that drive it look for.
  if (std::string why = read_file(path, img); !why.empty()) return "could not load kernel '" + path + "': " + why;
  if (img.size() < sizeof(Elf64_Ehdr) || std::memcmp(img.data(), ELFMAG, SELFMAG) != 0)
    return path + ": not an ELF file";
  if (img[EI_CLASS] != ELFCLASS64) return path + ": not a 64-bit ELF file";
  const bool le = img[EI_DATA] == ELFDATA2LSB;
  if (!le && img[EI_DATA] != ELFDATA2MSB) return path + ": bad ELF byte order";
  auto rd = [&](u64 off, unsigned n) -> u64 {
    u64 v = 0;
    for (unsigned k = 0; k < n; ++k) {
      const u64 b = img[off + k];
      v |= le ? b << (8 * k) : b << (8 * (n - 1 - k));
    }
    return v;
  };
  if (rd(offsetof(Elf64_Ehdr, e_machine), 2) != EM_PPC64) return path + ": not a PowerPC64 ELF file";
  const u64 phoff = rd(offsetof(Elf64_Ehdr, e_phoff), 8);
  const u64 phentsize = rd(offsetof(Elf64_Ehdr, e_phentsize), 2);
  const u64 phnum = rd(offsetof(Elf64_Ehdr, e_phnum), 2);
  if (phentsize < sizeof(Elf64_Phdr) || phoff > img.size() || phnum * phentsize > img.size() - phoff)
    return path + ": malformed program headers";
  out = {};
  out.little_endian = le;
  out.entry = rd(offsetof(Elf64_Ehdr, e_entry), 8);
  for (u64 k = 0; k < phnum; ++k) {
    const u64 ph = phoff + k * phentsize;
    if (rd(ph + offsetof(Elf64_Phdr, p_type), 4) != PT_LOAD) continue;
    ElfSegment s;
    s.offset = rd(ph + offsetof(Elf64_Phdr, p_offset), 8);
    s.vaddr = rd(ph + offsetof(Elf64_Phdr, p_vaddr), 8);
    s.paddr = rd(ph + offsetof(Elf64_Phdr, p_paddr), 8);
    s.filesz = rd(ph + offsetof(Elf64_Phdr, p_filesz), 8);
    s.memsz = rd(ph + offsetof(Elf64_Phdr, p_memsz), 8);
    if (s.filesz > s.memsz || s.offset > img.size() || s.filesz > img.size() - s.offset)
      return path + ": malformed segment";
    out.segments.push_back(s);
  }
  if (out.segments.empty()) return path + ": no loadable segment";
  out.bytes = std::move(img);
  return {};
}

}  // namespace lpar::machine
