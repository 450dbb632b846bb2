// The initial process stack (argc, argv, envp, auxv, strings) laid out
// byte-for-byte as qemu-ppc64le 7.2 builds it, and the entry registers.
#pragma once
#include <array>
#include <string>
#include <vector>

#include "cpu/isa/table.h"
#include "user/address_space.h"
#include "user/elf_loader.h"

namespace lpar::user {

// Auxiliary vector types (Linux include/uapi/linux/auxvec.h, powerpc asm/auxvec.h).
enum : u64 {
  AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8,
  AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16,
  AT_CLKTCK = 17, AT_DCACHEBSIZE = 19, AT_ICACHEBSIZE = 20, AT_UCACHEBSIZE = 21, AT_IGNOREPPC = 22,
  AT_SECURE = 23, AT_BASE_PLATFORM = 24, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31,
};

// AT_HWCAP / AT_HWCAP2 as qemu-ppc64le 7.2 reports them for the model.
u64 hwcap_for(isa::Model m);
u64 hwcap2_for(isa::Model m);

struct StackParams {
  std::vector<std::string> argv, envp;
  std::string execfn;              // AT_EXECFN string (the program path as given)
  std::array<u8, 16> random{};     // AT_RANDOM bytes
  u64 hwcap = 0, hwcap2 = 0;
  u64 uid = 0, euid = 0, gid = 0, egid = 0;
};

struct StackLayout {
  u64 sp = 0;            // initial r1: points at argc
  u64 argv = 0, envp = 0, auxv = 0, random = 0, execfn = 0;
  u64 top = 0;           // end of the stack mapping
  u64 sigtramp = 0;      // "li r0,__NR_rt_sigreturn; sc": where signal handlers return
};

// Map the stack (guard page + stack_size, from the mmap cursor, as qemu does)
// and the signal-trampoline page qemu puts just above it, then fill the stack.
bool setup_stack(AddressSpace& as, const ElfImage& img, const StackParams& p, u64 stack_size, StackLayout& out,
                 std::string& err);

// Registers at process entry: r1, r12 (ELFv2) or r2 (ELFv1 TOC), nip, MSR.
bool set_entry_registers(CpuState& s, AddressSpace& as, const ElfImage& img, const StackLayout& st, std::string& err);

}  // namespace lpar::user
