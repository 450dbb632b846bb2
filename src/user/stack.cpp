#include "user/stack.h"

#include "cpu/sem/common.h"
#include "cpu/sem/spr.h"

namespace lpar::user {

// Values observed from qemu-ppc64le 7.2 (-cpu power8 / power9): 64-bit, FPU,
// AltiVec, VSX, ISA 2.06 flags in HWCAP; ISA 2.07 (+3.00 for POWER9) in HWCAP2.
u64 hwcap_for(isa::Model) { return 0x58000580; }
u64 hwcap2_for(isa::Model m) { return m >= isa::POWER9 ? 0x8ee00000 : 0x8e000000; }

bool setup_stack(AddressSpace& as, const ElfImage& img, const StackParams& p, u64 stack_size, StackLayout& out,
                 std::string& err) {
  stack_size = page_up(stack_size);
  const u64 base = as.find_free(0, stack_size + PAGE_SIZE);
  if (!base || !as.map(base, stack_size + PAGE_SIZE, GP_R | GP_W)) {
    err = "cannot allocate the guest stack";
    return false;
  }
  as.protect(base, PAGE_SIZE, GP_NONE);  // guard page below the stack
  const u64 top = base + stack_size + PAGE_SIZE;
  // qemu's signal trampoline page; keeps later mmap() addresses identical.
  const u64 tramp = as.find_free(0, PAGE_SIZE);
  if (tramp && as.map(tramp, PAGE_SIZE, GP_R | GP_X)) {
    const u32 code[2] = {0x38000000u | 172, 0x44000002u};  // li r0,172 (rt_sigreturn); sc
    for (unsigned k = 0; k < 2; ++k) {
      const u32 w = as.big_endian ? bswap(code[k]) : code[k];
      as.write(tramp + 4 * k, &w, 4, /*force=*/true);
    }
    out.sigtramp = tramp;
  }

  // Strings, top down: a null word, AT_EXECFN, envp[] and argv[] (last first).
  u64 pos = top - 8;
  auto push_string = [&](const std::string& str) {
    pos -= str.size() + 1;
    return as.write(pos, str.c_str(), str.size() + 1);
  };
  bool ok = push_string(p.execfn);
  out.execfn = pos;
  std::vector<u64> envp_addr(p.envp.size()), argv_addr(p.argv.size());
  for (size_t k = p.envp.size(); k-- > 0;) {
    ok &= push_string(p.envp[k]);
    envp_addr[k] = pos;
  }
  for (size_t k = p.argv.size(); k-- > 0;) {
    ok &= push_string(p.argv[k]);
    argv_addr[k] = pos;
  }
  pos &= ~u64{15};
  pos -= 16;
  out.random = pos;
  ok &= as.write(pos, p.random.data(), 16);

  // Same entries in the same order as qemu-ppc64le 7.2 (ARCH_DLINFO first).
  const std::vector<std::pair<u64, u64>> aux = {
      {AT_IGNOREPPC, AT_IGNOREPPC}, {AT_IGNOREPPC, AT_IGNOREPPC},
      {AT_DCACHEBSIZE, 128}, {AT_ICACHEBSIZE, 128}, {AT_UCACHEBSIZE, 0},
      {AT_PHDR, img.phdr}, {AT_PHENT, img.phent}, {AT_PHNUM, img.phnum}, {AT_PAGESZ, PAGE_SIZE},
      {AT_BASE, 0}, {AT_FLAGS, 0}, {AT_ENTRY, img.entry},
      {AT_UID, p.uid}, {AT_EUID, p.euid}, {AT_GID, p.gid}, {AT_EGID, p.egid},
      {AT_HWCAP, p.hwcap}, {AT_CLKTCK, 100}, {AT_RANDOM, out.random}, {AT_SECURE, 0},
      {AT_EXECFN, out.execfn}, {AT_HWCAP2, p.hwcap2}, {AT_NULL, 0},
  };
  const u64 words = 1 + (p.argv.size() + 1) + (p.envp.size() + 1) + 2 * aux.size();
  if (words * 8 + (top - pos) > stack_size) {
    err = "argument list too long";
    return false;
  }
  const u64 sp = (pos - words * 8) & ~u64{15};
  u64 w = sp;
  auto put = [&](u64 v) {
    ok &= as.put64(w, v);
    w += 8;
  };
  put(p.argv.size());
  out.argv = w;
  for (u64 a : argv_addr) put(a);
  put(0);
  out.envp = w;
  for (u64 a : envp_addr) put(a);
  put(0);
  out.auxv = w;
  for (auto [t, v] : aux) {
    put(t);
    put(v);
  }
  if (!ok) {
    err = "cannot write the guest stack";
    return false;
  }
  out.sp = sp;
  out.top = top;
  return true;
}

bool set_entry_registers(CpuState& s, AddressSpace& as, const ElfImage& img, const StackLayout& st, std::string& err) {
  using namespace lpar::sem;
  s.le = img.big_endian ? 0 : 1;
  // Linux enables TAR and DSCR for a process on first use (a Facility
  // Unavailable interrupt the process never sees): start with them on.
  s.fscr = (u64{1} << FSCR_IC_TAR) | (u64{1} << FSCR_IC_DSCR);
  // Problem state, 64-bit, FP/VMX/VSX available, external interrupts on.
  // qemu-ppc64le, our oracle, starts threads in precise FP-exception mode
  // (MSR[FE0,FE1] set) and with VSCR[NJ]=1, as Linux's start_thread does for NJ.
  s.msr = MSR_SF | MSR_VEC | MSR_VSX | MSR_EE | MSR_PR | MSR_FP | MSR_FE0 | MSR_FE1 | MSR_ME |
          (img.big_endian ? 0 : MSR_LE);
  s.vscr = 0x00010000;
  s.gpr[1] = st.sp;
  if (img.elfv2) {
    s.nip = img.entry;
    s.gpr[12] = img.entry;
  } else {
    // ELFv1: e_entry is a function descriptor {entry, TOC, environment}.
    u64 fn, toc;
    if (!as.get64(img.entry, fn) || !as.get64(img.entry + 8, toc)) {
      err = "ELFv1 entry descriptor is not readable";
      return false;
    }
    s.nip = fn + img.bias;
    s.gpr[2] = toc + img.bias;
  }
  return true;
}

}  // namespace lpar::user
