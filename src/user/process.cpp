#include "user/process.h"

#include <sys/random.h>
#include <sys/resource.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include <spdlog/spdlog.h>

#include "cpu/memory.h"
#include "user/signals.h"
#include "user/syscalls.h"

namespace lpar::user {

Process::Process(const ProcessConfig& c) : Process(std::make_unique<CpuState>(), c) {}

Process::Process(std::unique_ptr<CpuState> st, const ProcessConfig& c)
    : s(*st), interp(*st, c.model), as(*st, &interp), cfg(c), state_(std::move(st)) {}

bool Process::load(const std::string& path, const std::vector<std::string>& argv, const std::vector<std::string>& envp,
                   std::string& err) {
  std::vector<u8> data;
  if (!read_file(path, data, err)) return false;
  char real[PATH_MAX];
  const std::string exe = ::realpath(path.c_str(), real) ? std::string(real) : path;
  return load_image(data, exe, argv, envp, err, path);
}

bool Process::load_image(std::span<const u8> file, const std::string& exe, const std::vector<std::string>& argv,
                         const std::vector<std::string>& envp, std::string& err, const std::string& execfn) {
  if (!load_elf(file, as, image, err)) return false;
  as.big_endian = image.big_endian;
  exe_path = exe;
  brk_start = brk_cur = brk_mapped = image.brk;

  StackParams p;
  p.argv = argv;
  p.envp = envp;
  p.execfn = !execfn.empty() ? execfn : argv.empty() ? exe : argv[0];
  if (getrandom(p.random.data(), p.random.size(), 0) != static_cast<ssize_t>(p.random.size())) p.random.fill(0x5a);
  p.hwcap = hwcap_for(cfg.model);
  p.hwcap2 = hwcap2_for(cfg.model);
  p.uid = getuid();
  p.euid = geteuid();
  p.gid = getgid();
  p.egid = getegid();
  if (!setup_stack(as, image, p, cfg.stack_size, stack, err)) return false;
  return set_entry_registers(s, as, image, stack, err);
}

void Process::enter_pending_handler() {
  if (!pending || ended_) return;
  const SigInfo info = *pending;
  pending.reset();
  // As the kernel: a frame that cannot be written kills with SIGSEGV.
  if (!setup_rt_frame(*this, info)) end({true, 0, 11});
}

ExitStatus Process::run(u64 max_insns) {
  const u64 stop = max_insns == ~u64{0} ? max_insns : s.icount + max_insns;
  while (!ended_ && s.icount < stop) {
    const u64 budget = std::min<u64>(stop - s.icount, u64{1} << 30);
    if (interp.run(budget) != Status::Exception) continue;
    if (s.exc == Exc::SystemCall && s.exc_reason == 0) {
      s.exc = Exc::None;
      do_syscall(*this);
      enter_pending_handler();
      continue;
    }
    if (s.exc == Exc::Program && (s.exc_reason & PROG_ILLEGAL)) {
      u32 w = 0;
      if (as.get32(s.nip, w) && isa::decode(w, cfg.model) == isa::Op::invalid &&
          first_time("insn " + std::to_string(w))) {
        const isa::Op later = isa::decode(w, isa::POWER9);
        if (later != isa::Op::invalid)
          spdlog::warn("instruction 0x{:08x} ({}) at 0x{:x} is not available on this CPU model", w,
                       isa::info(later).mnemonic, s.nip);
      }
      // A word no model defines is an illegal instruction (Book I 1.8.1), not a
      // gap in lpar: said once, then counted (a fuzzer meets thousands).
      if (isa::decode(w, isa::POWER9) == isa::Op::invalid && illegal_words_++ == 0)
        spdlog::warn("illegal instruction 0x{:08x} at 0x{:x}: SIGILL (further ones are counted)", w, s.nip);
    }
    const SigInfo info = fault_info(s);
    deliver_signal(*this, info, true);
    enter_pending_handler();  // the frame records which interrupt it was
    s.exc = Exc::None;
  }
  if (ended_ && illegal_words_ > 1 && !illegal_reported_) {
    illegal_reported_ = true;
    spdlog::warn("{} distinct illegal instruction words in all", illegal_words_);
  }
  return status_;
}

}  // namespace lpar::user
