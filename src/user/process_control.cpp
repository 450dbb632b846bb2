#include "user/process_control.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "user/process.h"

namespace lpar::user {

namespace {

constexpr u64 G_CLONE_VM = 0x100, G_CLONE_VFORK = 0x4000, G_CLONE_SETTLS = 0x80000, G_CLONE_PARENT_SETTID = 0x100000,
              G_CLONE_CHILD_SETTID = 0x1000000, G_CLONE_THREAD = 0x10000;

std::string& self_exe() {
  static std::string path;
  return path;
}

bool read_string_array(AddressSpace& as, u64 ea, std::vector<std::string>& out) {
  for (unsigned k = 0; ea && k < 65536; ++k) {
    u64 ptr;
    if (!as.get64(ea + 8 * k, ptr)) return false;
    if (!ptr) return true;
    std::string s;
    if (!as.read_cstring(ptr, s, 1 << 20)) return false;
    out.push_back(std::move(s));
  }
  return ea == 0;
}

bool is_ppc64_elf(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  unsigned char h[20] = {};
  const bool ok = ::read(fd, h, sizeof h) == sizeof h;
  ::close(fd);
  if (!ok || std::memcmp(h, "\x7f" "ELF", 4) != 0 || h[4] != 2) return false;
  const unsigned machine = h[5] == 2 ? (h[18] << 8) | h[19] : h[18] | (h[19] << 8);
  return machine == 21;
}

}  // namespace

void set_self_exe(const char* path) { self_exe() = path ? path : ""; }

s64 sys_clone(Process& p, u64 flags, u64 newsp, u64 ptid, u64 tls, u64 ctid) {
  if ((flags & G_CLONE_THREAD) || ((flags & G_CLONE_VM) && !(flags & G_CLONE_VFORK))) {
    if (p.first_time("clone threads")) spdlog::warn("threads (clone with CLONE_VM) are not supported");
    return -ENOSYS;
  }
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) return -errno;
  if (pid == 0) {
    // The child continues from the same instruction with r3 = 0.
    if (newsp) p.s.gpr[1] = newsp;
    if (flags & G_CLONE_SETTLS) p.s.gpr[13] = tls;
    if (flags & G_CLONE_CHILD_SETTID) p.as.put32(ctid, static_cast<u32>(::getpid()));
    return 0;
  }
  if (flags & G_CLONE_PARENT_SETTID) p.as.put32(ptid, static_cast<u32>(pid));
  return pid;
}

s64 sys_execve(Process& p, u64 path_ea, u64 argv_ea, u64 envp_ea) {
  std::string path;
  std::vector<std::string> argv, envp;
  if (!p.as.read_cstring(path_ea, path, 4096) || !read_string_array(p.as, argv_ea, argv) ||
      !read_string_array(p.as, envp_ea, envp))
    return -EFAULT;
  if (::access(path.c_str(), X_OK) != 0) return -errno;
  std::vector<std::string> host_argv;
  if (is_ppc64_elf(path)) {
    if (self_exe().empty()) return -ENOEXEC;
    host_argv = {self_exe(), "-cpu", p.cfg.model == isa::POWER8 ? "power8" : "power9", "-0",
                 argv.empty() ? path : argv[0], "--", path};
    if (argv.size() > 1) host_argv.insert(host_argv.end(), argv.begin() + 1, argv.end());
    path = self_exe();
  } else {
    host_argv = argv;
  }
  std::vector<char*> av, ev;
  for (auto& s : host_argv) av.push_back(s.data());
  av.push_back(nullptr);
  for (auto& s : envp) ev.push_back(s.data());
  ev.push_back(nullptr);
  std::fflush(nullptr);
  ::execve(path.c_str(), av.data(), ev.data());
  return -errno;
}

s64 sys_wait4(Process& p, u64 pid, u64 status_ea, u64 options, u64 rusage_ea) {
  int status = 0;
  struct rusage ru;
  const pid_t r = ::wait4(static_cast<pid_t>(pid), &status, static_cast<int>(options), rusage_ea ? &ru : nullptr);
  if (r < 0) return -errno;
  if (r > 0 && status_ea && !p.as.put32(status_ea, static_cast<u32>(status))) return -EFAULT;
  if (r > 0 && rusage_ea && !p.as.write(rusage_ea, &ru, sizeof ru)) return -EFAULT;  // same layout on ppc64le
  return r;
}

}  // namespace lpar::user
