// One guest process: CPU state, interpreter, address space and the kernel
// state the system calls keep (brk, signal dispositions...).
#pragma once
#include <array>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cpu/interp.h"
#include "user/address_space.h"
#include "user/elf_loader.h"
#include "user/sigframe.h"
#include "user/stack.h"

namespace lpar::user {

// How the guest ended: exit(code), or killed by a signal (default action).
struct ExitStatus {
  bool signaled = false;
  int code = 0;    // exit status when !signaled
  int signal = 0;  // when signaled
};

// The guest's view of one signal's disposition (ppc64 struct sigaction).
struct GuestSigaction {
  u64 handler = 0;  // 0 SIG_DFL, 1 SIG_IGN, else a guest address
  u64 flags = 0, restorer = 0, mask = 0;
};

struct ProcessConfig {
  isa::Model model = isa::POWER9;
  u64 stack_size = 8 << 20;
  bool strace = false;  // log every system call to stderr (like qemu -strace)
};

class Process {
 public:
  explicit Process(const ProcessConfig& cfg = {});
  Process(const Process&) = delete;

  // Load the executable at `path` (AT_EXECFN is path as given, as in qemu).
  bool load(const std::string& path, const std::vector<std::string>& argv, const std::vector<std::string>& envp,
            std::string& err);
  // Load from an in-memory image (tests).
  bool load_image(std::span<const u8> file, const std::string& exe_path, const std::vector<std::string>& argv,
                  const std::vector<std::string>& envp, std::string& err, const std::string& execfn = "");
  // Run until the guest exits or dies of a signal, or max_insns retire
  // (then returns with ended() false).
  ExitStatus run(u64 max_insns = ~u64{0});
  bool ended() const { return ended_; }
  void end(const ExitStatus& st) {
    status_ = st;
    ended_ = true;
  }
  // Warn once per key (unknown syscall, unimplemented instruction word).
  bool first_time(const std::string& key) { return warned_.insert(key).second; }
  // Enter the guest handler of `pending`, if any.
  void enter_pending_handler();

  CpuState& s;
  Interpreter interp;
  AddressSpace as;
  ProcessConfig cfg;
  ElfImage image;
  StackLayout stack;
  std::string exe_path;  // absolute path, for /proc/self/exe

  // Kernel state kept for the guest.
  u64 brk_start = 0, brk_cur = 0, brk_mapped = 0;
  std::array<GuestSigaction, 65> sigact{};
  u64 sigmask = 0;
  u64 altstack_sp = 0, altstack_size = 0;
  u32 altstack_flags = 2;  // SS_DISABLE
  std::optional<SigInfo> pending;  // a signal for a guest handler, entered by run()

 private:
  std::unique_ptr<CpuState> state_;
  bool ended_ = false;
  ExitStatus status_;
  std::set<std::string> warned_;
  u64 illegal_words_ = 0;  // distinct illegal words met (the first one is logged)
  bool illegal_reported_ = false;
  Process(std::unique_ptr<CpuState> st, const ProcessConfig& cfg);
};

}  // namespace lpar::user
