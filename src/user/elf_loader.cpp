#include "user/elf_loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "cpu/memory.h"

namespace lpar::user {

namespace {

constexpr u16 ET_EXEC = 2, ET_DYN = 3, EM_PPC64 = 21;
constexpr u32 PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_TLS = 7, PT_GNU_STACK = 0x6474e551;
constexpr u32 PF_X = 1, PF_W = 2, PF_R = 4;
constexpr u64 EHDR_SIZE = 64, PHDR_SIZE = 56;
// No static executable needs more; refuse absurd sizes before touching memory.
constexpr u64 MAX_SEGMENT = u64{4} << 30;
// Where an ET_DYN image goes: the start of the mmap area, as qemu-ppc64le places it.
constexpr u64 DYN_BASE = MMAP_BASE;

struct Reader {
  std::span<const u8> f;
  bool be;
  template <typename T>
  T get(u64 off) const {
    T v;
    std::memcpy(&v, f.data() + off, sizeof v);
    return be ? bswap(v) : v;
  }
};

struct Phdr {
  u32 type, flags;
  u64 offset, vaddr, filesz, memsz, align;
};

bool fail(std::string& err, std::string msg) {
  err = std::move(msg);
  return false;
}

}  // namespace

bool read_file(const std::string& path, std::vector<u8>& data, std::string& err) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(err, path + ": " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(err, path + ": not a regular file");
  }
  data.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < data.size()) {
    const ssize_t n = ::read(fd, data.data() + got, data.size() - got);
    if (n <= 0) {
      ::close(fd);
      return fail(err, path + ": read error");
    }
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  return true;
}

bool load_elf(std::span<const u8> file, AddressSpace& as, ElfImage& out, std::string& err) {
  out = ElfImage{};
  if (file.size() < EHDR_SIZE) return fail(err, "not an ELF file: too short");
  if (std::memcmp(file.data(), "\x7f" "ELF", 4) != 0) return fail(err, "not an ELF file: bad magic");
  if (file[4] != 2) return fail(err, "not a 64-bit ELF file");
  if (file[5] != 1 && file[5] != 2) return fail(err, "bad ELF data encoding");
  if (file[6] != 1) return fail(err, "bad ELF version");
  const Reader r{file, file[5] == 2};
  out.big_endian = r.be;
  const u16 type = r.get<u16>(16), machine = r.get<u16>(18);
  if (machine != EM_PPC64) return fail(err, "not a ppc64 ELF file (e_machine " + std::to_string(machine) + ")");
  if (type != ET_EXEC && type != ET_DYN) return fail(err, "not an executable ELF file (e_type " + std::to_string(type) + ")");
  out.dyn = type == ET_DYN;
  const u64 e_entry = r.get<u64>(24), phoff = r.get<u64>(32);
  const u32 e_flags = r.get<u32>(48);
  const u16 phentsize = r.get<u16>(54), phnum = r.get<u16>(56);
  // Like qemu-ppc64le and the kernel: ELFv1 (entry is a function descriptor)
  // unless e_flags carries ABI version 2 — even for a little-endian file.
  out.elfv2 = (e_flags & 3) == 2;
  if (phentsize != PHDR_SIZE) return fail(err, "bad ELF program header size");
  if (phnum == 0) return fail(err, "ELF file has no program headers");
  if (phoff > file.size() || u64{phnum} * PHDR_SIZE > file.size() - phoff)
    return fail(err, "ELF program headers beyond end of file");

  std::vector<Phdr> loads;
  u64 phdr_vaddr = 0;
  bool have_phdr = false;
  for (unsigned k = 0; k < phnum; ++k) {
    const u64 o = phoff + k * PHDR_SIZE;
    Phdr p{r.get<u32>(o), r.get<u32>(o + 4), r.get<u64>(o + 8), r.get<u64>(o + 16),
           r.get<u64>(o + 32), r.get<u64>(o + 40), r.get<u64>(o + 48)};
    switch (p.type) {
      case PT_INTERP: return fail(err, "dynamically linked program (PT_INTERP): only static executables are supported");
      case PT_PHDR: phdr_vaddr = p.vaddr; have_phdr = true; break;
      case PT_TLS: out.tls_vaddr = p.vaddr; out.tls_memsz = p.memsz; break;
      case PT_GNU_STACK: out.exec_stack = p.flags & PF_X; break;
      case PT_LOAD:
        if (p.offset > file.size() || p.filesz > file.size() - p.offset)
          return fail(err, "ELF segment " + std::to_string(k) + " beyond end of file");
        if (p.filesz > p.memsz) return fail(err, "ELF segment " + std::to_string(k) + " has filesz > memsz");
        if (p.memsz > MAX_SEGMENT || p.vaddr >= GUEST_ADDR_LIMIT || p.memsz > GUEST_ADDR_LIMIT - p.vaddr)
          return fail(err, "ELF segment " + std::to_string(k) + " too large or out of the address space");
        if (!loads.empty() && p.vaddr < loads.back().vaddr + loads.back().memsz)
          return fail(err, "ELF segments overlap or are not in ascending order");
        if (p.memsz) loads.push_back(p);
        break;
      default: break;
    }
  }
  if (loads.empty()) return fail(err, "ELF file has no loadable segment");

  const u64 lo = page_down(loads.front().vaddr);
  const u64 hi = page_up(loads.back().vaddr + loads.back().memsz);
  if (hi - lo > MAX_SEGMENT) return fail(err, "ELF image too large");
  if (out.dyn) {
    const u64 base = as.find_free(lo ? lo : DYN_BASE, hi - lo);
    if (!base) return fail(err, "no room for the ELF image");
    out.bias = base - lo;
  } else if (!as.is_free(lo, hi - lo)) {
    return fail(err, "ELF image overlaps existing mappings");
  }
  const u64 b = out.bias;

  // Pages shared by two segments get both permissions.
  for (const Phdr& p : loads) {
    const unsigned prot = ((p.flags & PF_R) ? GP_R : 0) | ((p.flags & PF_W) ? GP_W : 0) | ((p.flags & PF_X) ? GP_X : 0);
    u64 start = page_down(p.vaddr + b);
    const u64 end = page_up(p.vaddr + b + p.memsz);
    if (as.is_mapped(start, PAGE_SIZE) && start < end) {
      as.protect(start, PAGE_SIZE, as.prot_of(start) | prot);
      start += PAGE_SIZE;
    }
    if (start < end && !as.map(start, end - start, prot)) {
      as.unmap(lo + b, hi - lo);
      return fail(err, "out of memory loading ELF segment");
    }
    // memsz beyond filesz stays zero: the pages are fresh.
    if (p.filesz && !as.write(p.vaddr + b, file.data() + p.offset, p.filesz, /*force=*/true)) {
      as.unmap(lo + b, hi - lo);
      return fail(err, "cannot write ELF segment");
    }
  }

  out.entry = e_entry + b;
  out.lo = lo + b;
  out.hi = hi + b;
  out.brk = hi + b;
  out.phent = PHDR_SIZE;
  out.phnum = phnum;
  if (have_phdr) {
    out.phdr = phdr_vaddr + b;
  } else {
    // The headers are in memory if a segment maps file offset phoff (qemu does the same sum).
    out.phdr = 0;
    for (const Phdr& p : loads)
      if (phoff >= p.offset && phoff - p.offset < p.filesz) out.phdr = p.vaddr + (phoff - p.offset) + b;
  }
  if (out.tls_vaddr) out.tls_vaddr += b;
  return true;
}

}  // namespace lpar::user
