#include "user/syscalls.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "cpu/sem/common.h"
#include "user/process.h"
#include "user/process_control.h"
#include "user/sigframe.h"
#include "user/signals.h"
#include "user/termios.h"

namespace lpar::user {

void set_syscall_result(CpuState& s, s64 r) {
  constexpr u32 CR0_SO = 1u << 28;
  if (r < 0 && r >= -4095) {
    s.gpr[3] = static_cast<u64>(-r);
    s.cr |= CR0_SO;
  } else {
    s.gpr[3] = static_cast<u64>(r);
    s.cr &= ~CR0_SO;
  }
}

void do_syscall(Process& p) {
  CpuState& s = p.s;
  const u64 a[6] = {s.gpr[3], s.gpr[4], s.gpr[5], s.gpr[6], s.gpr[7], s.gpr[8]};
  const s64 r = syscall_dispatch(p, s.gpr[0], a);
  if (p.cfg.strace)
    std::fprintf(stderr, "%d syscall %llu(0x%llx,0x%llx,0x%llx,0x%llx,0x%llx,0x%llx) = %lld\n", ::getpid(),
                 static_cast<unsigned long long>(s.gpr[0]), static_cast<unsigned long long>(a[0]),
                 static_cast<unsigned long long>(a[1]), static_cast<unsigned long long>(a[2]),
                 static_cast<unsigned long long>(a[3]), static_cast<unsigned long long>(a[4]),
                 static_cast<unsigned long long>(a[5]), static_cast<long long>(r));
  if (!p.ended() && r != SYSCALL_NO_RESULT) set_syscall_result(s, r);
}

namespace {

// Guest open(2)/fcntl flags that differ from the generic (host) values.
constexpr u64 G_O_DIRECTORY = 040000, G_O_NOFOLLOW = 0100000, G_O_LARGEFILE = 0200000, G_O_DIRECT = 0400000;
constexpr u64 H_O_DIRECTORY = 0200000, H_O_NOFOLLOW = 0400000, H_O_LARGEFILE = 0100000, H_O_DIRECT = 040000;
constexpr u64 DIFF_BITS = G_O_DIRECTORY | G_O_NOFOLLOW | G_O_LARGEFILE | G_O_DIRECT;

int open_flags_to_host(u64 g) {
  u64 h = g & ~DIFF_BITS;
  if (g & G_O_DIRECTORY) h |= H_O_DIRECTORY;
  if (g & G_O_NOFOLLOW) h |= H_O_NOFOLLOW;
  if (g & G_O_LARGEFILE) h |= H_O_LARGEFILE;
  if (g & G_O_DIRECT) h |= H_O_DIRECT;
  return static_cast<int>(h);
}
u64 open_flags_to_guest(u64 h) {
  u64 g = h & ~DIFF_BITS;
  if (h & H_O_DIRECTORY) g |= G_O_DIRECTORY;
  if (h & H_O_NOFOLLOW) g |= G_O_NOFOLLOW;
  if (h & H_O_LARGEFILE) g |= G_O_LARGEFILE;
  if (h & H_O_DIRECT) g |= G_O_DIRECT;
  return g;
}

// Guest mmap flags (powerpc asm/mman.h + generic).
constexpr u64 G_MAP_SHARED = 0x01, G_MAP_PRIVATE = 0x02, G_MAP_TYPE = 0x0f, G_MAP_FIXED = 0x10,
              G_MAP_ANONYMOUS = 0x20, G_MAP_FIXED_NOREPLACE = 0x100000;

s64 host_result(long r) { return r < 0 ? -errno : r; }

// Length of the prefix of [ea, ea+len) whose pages all allow need.
u64 accessible(AddressSpace& as, u64 ea, u64 len, unsigned need) {
  u64 ok = 0;
  for (u64 p = page_down(ea); ok < len; p += PAGE_SIZE) {
    if (!as.is_mapped(p, 1) || (as.prot_of(p) & need) != need) break;
    ok = std::min(len, p + PAGE_SIZE - ea);
  }
  return ok;
}

// A guest buffer the host fills: direct when possible, else bounced.
class OutBuf {
 public:
  OutBuf(AddressSpace& as, u64 ea, u64 len) : as_(as), ea_(ea), len_(len) {
    ptr_ = len ? as.host_range(ea, len, GP_W) : nullptr;
    if (!ptr_ && len) {
      len_ = accessible(as, ea, len, GP_W);
      bounce_.resize(len_);
      ptr_ = bounce_.data();
    }
  }
  bool fault() const { return len_ == 0 && !ptr_; }
  u8* data() { return ptr_; }
  u64 size() const { return len_; }
  void commit(u64 n) {
    if (n == 0) return;
    if (bounce_.empty()) as_.note_write(ea_, n);
    else as_.write(ea_, bounce_.data(), n);
  }

 private:
  AddressSpace& as_;
  u64 ea_, len_;
  u8* ptr_ = nullptr;
  std::vector<u8> bounce_;
};

// A guest buffer the host reads.
bool read_in(AddressSpace& as, u64 ea, u64 len, std::vector<u8>& out) {
  out.resize(len);
  return as.read(ea, out.data(), len);
}

struct Ctx {
  Process& p;
  CpuState& s;
  AddressSpace& as;

  bool path(u64 ea, std::string& out) { return as.read_cstring(ea, out, 4096); }
  // /proc/self/exe names the guest program, not lpar-user.
  std::string fix_path(const std::string& path) {
    if (path == "/proc/self/exe" || path == "/proc/" + std::to_string(getpid()) + "/exe") return p.exe_path;
    return path;
  }
  bool put_timespec(u64 ea, s64 sec, s64 nsec) { return as.put64(ea, sec) && as.put64(ea + 8, nsec); }
  bool get_timespec(u64 ea, struct timespec& ts) {
    u64 a, b;
    if (!as.get64(ea, a) || !as.get64(ea + 8, b)) return false;
    ts.tv_sec = static_cast<time_t>(a);
    ts.tv_nsec = static_cast<long>(b);
    return true;
  }

  // ppc64 struct stat (arch/powerpc/include/uapi/asm/stat.h, 144 bytes).
  s64 put_stat(u64 ea, const struct stat& st) {
    u8 g[144] = {};
    auto w64 = [&](unsigned off, u64 v) {
      if (as.big_endian) v = bswap(v);
      std::memcpy(g + off, &v, 8);
    };
    auto w32 = [&](unsigned off, u32 v) {
      if (as.big_endian) v = bswap(v);
      std::memcpy(g + off, &v, 4);
    };
    w64(0, st.st_dev);
    w64(8, st.st_ino);
    w64(16, st.st_nlink);
    w32(24, st.st_mode);
    w32(28, st.st_uid);
    w32(32, st.st_gid);
    w64(40, st.st_rdev);
    w64(48, static_cast<u64>(st.st_size));
    w64(56, static_cast<u64>(st.st_blksize));
    w64(64, static_cast<u64>(st.st_blocks));
    w64(72, static_cast<u64>(st.st_atim.tv_sec));
    w64(80, static_cast<u64>(st.st_atim.tv_nsec));
    w64(88, static_cast<u64>(st.st_mtim.tv_sec));
    w64(96, static_cast<u64>(st.st_mtim.tv_nsec));
    w64(104, static_cast<u64>(st.st_ctim.tv_sec));
    w64(112, static_cast<u64>(st.st_ctim.tv_nsec));
    return as.write(ea, g, sizeof g) ? 0 : -EFAULT;
  }

  s64 do_read(int fd, u64 buf, u64 len, s64 off, bool positional) {
    OutBuf b(as, buf, len);
    if (b.fault() && len) return -EFAULT;
    const long r = positional ? ::pread(fd, b.data(), b.size(), off) : ::read(fd, b.data(), b.size());
    if (r < 0) return -errno;
    b.commit(static_cast<u64>(r));
    return r;
  }
  s64 do_write(int fd, u64 buf, u64 len, s64 off, bool positional) {
    const u8* h = len ? as.host_range(buf, len, GP_R) : nullptr;
    std::vector<u8> tmp;
    if (!h && len) {
      len = accessible(as, buf, len, GP_R);
      if (!len) return -EFAULT;
      read_in(as, buf, len, tmp);
      h = tmp.data();
    }
    const long r = positional ? ::pwrite(fd, h, len, off) : ::write(fd, h, len);
    return host_result(r);
  }
  s64 do_iov(int fd, u64 iov, u64 cnt, bool is_write) {
    if (cnt > 1024) return -EINVAL;
    std::vector<std::pair<u64, u64>> v(cnt);
    u64 total = 0;
    for (u64 k = 0; k < cnt; ++k) {
      if (!as.get64(iov + 16 * k, v[k].first) || !as.get64(iov + 16 * k + 8, v[k].second)) return -EFAULT;
      total += v[k].second;
    }
    if (is_write) {
      std::vector<u8> data;
      for (auto [base, len] : v) {
        const size_t at = data.size();
        data.resize(at + len);
        if (len && !as.read(base, data.data() + at, len)) {
          data.resize(at);
          if (at == 0) return -EFAULT;
          break;
        }
      }
      return host_result(::write(fd, data.data(), data.size()));
    }
    std::vector<u8> data(total);
    const long r = ::read(fd, data.data(), total);
    if (r < 0) return -errno;
    u64 done = 0;
    for (auto [base, len] : v) {
      if (done >= static_cast<u64>(r)) break;
      const u64 n = std::min<u64>(len, r - done);
      if (!as.write(base, data.data() + done, n)) return -EFAULT;
      done += n;
    }
    return r;
  }

  s64 do_brk(u64 want) {
    if (want < p.brk_start) return p.brk_cur;
    if (want <= p.brk_mapped) {
      // Memory handed out again reads as zero, as after a kernel shrink and regrow.
      if (want > p.brk_cur) {
        std::vector<u8> zero(want - p.brk_cur);
        as.write(p.brk_cur, zero.data(), zero.size(), true);
      }
      p.brk_cur = want;
      return want;
    }
    const u64 end = page_up(want);
    if (!as.is_free(p.brk_mapped, end - p.brk_mapped) || !as.map(p.brk_mapped, end - p.brk_mapped, GP_R | GP_W))
      return p.brk_cur;
    if (p.brk_cur < p.brk_mapped) {
      std::vector<u8> zero(p.brk_mapped - p.brk_cur);
      as.write(p.brk_cur, zero.data(), zero.size(), true);
    }
    p.brk_mapped = end;
    p.brk_cur = want;
    return want;
  }

  static unsigned prot_from_guest(u64 prot) {
    return ((prot & PROT_READ) ? GP_R : 0) | ((prot & PROT_WRITE) ? GP_W : 0) | ((prot & PROT_EXEC) ? GP_X : 0);
  }

  s64 do_mmap(u64 addr, u64 len, u64 prot, u64 flags, s64 fd, u64 off) {
    if (len == 0 || (off & ~PAGE_MASK)) return -EINVAL;
    const u64 type = flags & G_MAP_TYPE;
    if (type != G_MAP_SHARED && type != G_MAP_PRIVATE && type != 3) return -EINVAL;
    const u64 size = page_up(len);
    if (size == 0 || size > GUEST_ADDR_LIMIT) return -ENOMEM;
    struct stat st;
    const bool anon = flags & G_MAP_ANONYMOUS;
    if (!anon && ::fstat(static_cast<int>(fd), &st) != 0) return -EBADF;
    u64 where;
    if (flags & (G_MAP_FIXED | G_MAP_FIXED_NOREPLACE)) {
      if (addr & ~PAGE_MASK) return -EINVAL;
      if (addr >= GUEST_ADDR_LIMIT || size > GUEST_ADDR_LIMIT - addr) return -ENOMEM;
      if ((flags & G_MAP_FIXED_NOREPLACE) && !(flags & G_MAP_FIXED) && !as.is_free(addr, size)) return -EEXIST;
      where = addr;
    } else {
      where = as.find_free(addr, size);
      if (!where) return -ENOMEM;
    }
    if (!as.map(where, size, prot_from_guest(prot))) return -ENOMEM;
    if (!anon) {
      // A private copy of the file (MAP_SHARED writes do not reach the file).
      std::vector<u8> data(len);
      const long n = ::pread(static_cast<int>(fd), data.data(), len, static_cast<off_t>(off));
      if (n > 0) as.write(where, data.data(), static_cast<u64>(n), true);
    }
    return static_cast<s64>(where);
  }

  s64 do_ioctl(int fd, u64 req, u64 arg) {
    switch (req) {
      case PPC_TCGETS: {
        struct termios t;
        if (::tcgetattr(fd, &t) != 0) return -errno;
        auto g = termios_to_ppc(t);
        if (as.big_endian)
          for (unsigned k = 0; k < 16; k += 4) std::reverse(g.begin() + k, g.begin() + k + 4);
        return as.write(arg, g.data(), g.size()) ? 0 : -EFAULT;
      }
      case PPC_TCSETS: case PPC_TCSETSW: case PPC_TCSETSF: {
        std::array<u8, PPC_TERMIOS_SIZE> g;
        if (!as.read(arg, g.data(), g.size())) return -EFAULT;
        if (as.big_endian)
          for (unsigned k = 0; k < 16; k += 4) std::reverse(g.begin() + k, g.begin() + k + 4);
        struct termios cur;
        if (::tcgetattr(fd, &cur) != 0) return -errno;
        struct termios t = termios_from_ppc(g);
        cfsetispeed(&t, cfgetispeed(&cur));
        cfsetospeed(&t, cfgetospeed(&cur));
        const int act = req == PPC_TCSETS ? TCSANOW : req == PPC_TCSETSW ? TCSADRAIN : TCSAFLUSH;
        return host_result(::tcsetattr(fd, act, &t));
      }
      case PPC_TIOCGWINSZ: {
        struct winsize ws;
        if (::ioctl(fd, TIOCGWINSZ, &ws) != 0) return -errno;
        u16 v[4] = {ws.ws_row, ws.ws_col, ws.ws_xpixel, ws.ws_ypixel};
        if (as.big_endian)
          for (u16& x : v) x = bswap(x);
        return as.write(arg, v, sizeof v) ? 0 : -EFAULT;
      }
      default:
        if (p.first_time("ioctl " + std::to_string(req))) spdlog::warn("unsupported ioctl 0x{:x}", req);
        return -ENOTTY;
    }
  }

  s64 kill_self(int sig) {
    if (sig < 0 || sig > 64) return -EINVAL;
    if (sig == 0) return 0;
    SigInfo info;
    info.signo = sig;
    info.pid = ::getpid();
    info.uid = static_cast<int>(::getuid());
    deliver_signal(p, info, false);
    return 0;
  }

  s64 do_rlimit(u64 res, u64 old_ea) {
    struct rlimit rl;
    if (::getrlimit(static_cast<int>(res), &rl) != 0) return -errno;
    if (old_ea && (!as.put64(old_ea, rl.rlim_cur) || !as.put64(old_ea + 8, rl.rlim_max))) return -EFAULT;
    return 0;
  }
};

}  // namespace

s64 syscall_dispatch(Process& p, u64 number, const u64 (&a)[6]) {
  Ctx c{p, p.s, p.as};
  AddressSpace& as = p.as;
  const int fd = static_cast<int>(a[0]);
  std::string path;
  switch (number) {
    case nr::exit:
    case nr::exit_group:
      p.end({false, static_cast<int>(a[0] & 0xff), 0});
      return 0;

    case nr::read: return c.do_read(fd, a[1], a[2], 0, false);
    case nr::write: return c.do_write(fd, a[1], a[2], 0, false);
    case nr::pread64: return c.do_read(fd, a[1], a[2], static_cast<s64>(a[3]), true);
    case nr::pwrite64: return c.do_write(fd, a[1], a[2], static_cast<s64>(a[3]), true);
    case nr::readv: return c.do_iov(fd, a[1], a[2], false);
    case nr::writev: return c.do_iov(fd, a[1], a[2], true);

    case nr::open:
      if (!c.path(a[0], path)) return -EFAULT;
      return host_result(::openat(AT_FDCWD, c.fix_path(path).c_str(), open_flags_to_host(a[1]), static_cast<mode_t>(a[2])));
    case nr::openat:
      if (!c.path(a[1], path)) return -EFAULT;
      return host_result(::openat(fd, c.fix_path(path).c_str(), open_flags_to_host(a[2]), static_cast<mode_t>(a[3])));
    case nr::close: return host_result(::close(fd));
    case nr::lseek: return host_result(::lseek(fd, static_cast<off_t>(a[1]), static_cast<int>(a[2])));
    case nr::dup: return host_result(::dup(fd));
    case nr::dup2: return host_result(::dup2(fd, static_cast<int>(a[1])));
    case nr::dup3: return host_result(::dup3(fd, static_cast<int>(a[1]), open_flags_to_host(a[2])));
    case nr::pipe:
    case nr::pipe2: {
      int fds[2];
      if (::pipe2(fds, number == nr::pipe ? 0 : open_flags_to_host(a[1])) != 0) return -errno;
      if (!as.put32(a[0], fds[0]) || !as.put32(a[0] + 4, fds[1])) return -EFAULT;
      return 0;
    }
    case nr::fcntl: {
      const int cmd = static_cast<int>(a[1]);
      switch (cmd) {
        case F_GETFL: {
          const int r = ::fcntl(fd, F_GETFL);
          return r < 0 ? -errno : static_cast<s64>(open_flags_to_guest(static_cast<u32>(r)));
        }
        case F_SETFL: return host_result(::fcntl(fd, F_SETFL, open_flags_to_host(a[2])));
        case F_DUPFD: case F_DUPFD_CLOEXEC: case F_GETFD: case F_SETFD:
          return host_result(::fcntl(fd, cmd, static_cast<int>(a[2])));
        default: return -EINVAL;
      }
    }
    case nr::ioctl: return c.do_ioctl(fd, a[1], a[2]);

    case nr::fstat: {
      struct stat st;
      if (::fstat(fd, &st) != 0) return -errno;
      return c.put_stat(a[1], st);
    }
    case nr::stat:
    case nr::lstat: {
      struct stat st;
      if (!c.path(a[0], path)) return -EFAULT;
      if ((number == nr::stat ? ::stat(c.fix_path(path).c_str(), &st) : ::lstat(path.c_str(), &st)) != 0) return -errno;
      return c.put_stat(a[1], st);
    }
    case nr::newfstatat: {
      struct stat st;
      if (!c.path(a[1], path)) return -EFAULT;
      if (::fstatat(fd, c.fix_path(path).c_str(), &st, static_cast<int>(a[3])) != 0) return -errno;
      return c.put_stat(a[2], st);
    }
    case nr::statx: {
      if (!c.path(a[1], path)) return -EFAULT;
      OutBuf b(as, a[4], 256);
      if (b.size() < 256) return -EFAULT;
      const long r = ::syscall(SYS_statx, fd, c.fix_path(path).c_str(), static_cast<int>(a[2]),
                               static_cast<unsigned>(a[3]), b.data());
      if (r < 0) return -errno;
      b.commit(256);
      return 0;
    }
    case nr::readlink:
    case nr::readlinkat: {
      const bool at = number == nr::readlinkat;
      const u64 pa = at ? a[1] : a[0], buf = at ? a[2] : a[1], size = at ? a[3] : a[2];
      if (!c.path(pa, path)) return -EFAULT;
      std::string target;
      if (c.fix_path(path) != path) {
        target = p.exe_path;
      } else {
        std::vector<char> tmp(4096);
        const long r = ::readlinkat(at ? fd : AT_FDCWD, path.c_str(), tmp.data(), tmp.size());
        if (r < 0) return -errno;
        target.assign(tmp.data(), static_cast<size_t>(r));
      }
      const u64 n = std::min<u64>(size, target.size());
      if (!as.write(buf, target.data(), n)) return -EFAULT;
      return static_cast<s64>(n);
    }
    case nr::access:
      if (!c.path(a[0], path)) return -EFAULT;
      return host_result(::access(c.fix_path(path).c_str(), static_cast<int>(a[1])));
    case nr::faccessat:
    case nr::faccessat2:
      if (!c.path(a[1], path)) return -EFAULT;
      return host_result(::faccessat(fd, c.fix_path(path).c_str(), static_cast<int>(a[2]),
                                     number == nr::faccessat2 ? static_cast<int>(a[3]) : 0));
    case nr::getcwd: {
      OutBuf b(as, a[0], a[1]);
      if (b.fault()) return -EFAULT;
      const long r = ::syscall(SYS_getcwd, b.data(), b.size());
      if (r < 0) return -errno;
      b.commit(static_cast<u64>(r));
      return r;
    }
    case nr::getdents64: {
      OutBuf b(as, a[1], a[2]);
      if (b.fault()) return -EFAULT;
      const long r = ::syscall(SYS_getdents64, fd, b.data(), b.size());
      if (r < 0) return -errno;
      b.commit(static_cast<u64>(r));
      return r;
    }
    case nr::unlink:
      if (!c.path(a[0], path)) return -EFAULT;
      return host_result(::unlink(path.c_str()));
    case nr::unlinkat:
      if (!c.path(a[1], path)) return -EFAULT;
      return host_result(::unlinkat(fd, path.c_str(), static_cast<int>(a[2])));
    case nr::mkdir:
      if (!c.path(a[0], path)) return -EFAULT;
      return host_result(::mkdir(path.c_str(), static_cast<mode_t>(a[1])));
    case nr::mkdirat:
      if (!c.path(a[1], path)) return -EFAULT;
      return host_result(::mkdirat(fd, path.c_str(), static_cast<mode_t>(a[2])));
    case nr::rename:
    case nr::renameat: {
      const bool at = number == nr::renameat;
      std::string to;
      if (!c.path(at ? a[1] : a[0], path) || !c.path(at ? a[3] : a[1], to)) return -EFAULT;
      return host_result(::renameat(at ? fd : AT_FDCWD, path.c_str(), at ? static_cast<int>(a[2]) : AT_FDCWD, to.c_str()));
    }
    case nr::chdir:
      if (!c.path(a[0], path)) return -EFAULT;
      return host_result(::chdir(path.c_str()));
    case nr::umask: return ::umask(static_cast<mode_t>(a[0]));
    case nr::fsync: return host_result(::fsync(fd));
    case nr::sync: ::sync(); return 0;
    case nr::ftruncate: return host_result(::ftruncate(fd, static_cast<off_t>(a[1])));
    case nr::fadvise64: return 0;

    case nr::brk: return c.do_brk(a[0]);
    case nr::mmap: return c.do_mmap(a[0], a[1], a[2], a[3], static_cast<s64>(a[4]), a[5]);
    case nr::munmap:
      if ((a[0] & ~PAGE_MASK) || a[1] == 0) return -EINVAL;
      as.unmap(a[0], a[1]);
      return 0;
    case nr::mprotect:
      if (a[0] & ~PAGE_MASK) return -EINVAL;
      if (a[1] == 0) return 0;
      return as.protect(a[0], a[1], Ctx::prot_from_guest(a[2])) ? 0 : -ENOMEM;
    case nr::mremap: return -ENOMEM;
    case nr::madvise: return 0;

    case nr::uname: {
      struct utsname u;
      ::uname(&u);
      u8 g[6 * 65] = {};
      const char* f[6] = {u.sysname, u.nodename, u.release, u.version, as.big_endian ? "ppc64" : "ppc64le",
                          u.domainname};
      for (unsigned k = 0; k < 6; ++k) std::strncpy(reinterpret_cast<char*>(g + 65 * k), f[k], 64);
      return as.write(a[0], g, sizeof g) ? 0 : -EFAULT;
    }
    case nr::clock_gettime:
    case nr::clock_getres: {
      struct timespec ts;
      const int r = number == nr::clock_gettime ? ::clock_gettime(static_cast<clockid_t>(a[0]), &ts)
                                                : ::clock_getres(static_cast<clockid_t>(a[0]), &ts);
      if (r != 0) return -errno;
      if (a[1] && !c.put_timespec(a[1], ts.tv_sec, ts.tv_nsec)) return -EFAULT;
      return 0;
    }
    case nr::gettimeofday: {
      struct timeval tv;
      ::gettimeofday(&tv, nullptr);
      if (a[0] && !c.put_timespec(a[0], tv.tv_sec, tv.tv_usec)) return -EFAULT;
      if (a[1] && (!as.put32(a[1], 0) || !as.put32(a[1] + 4, 0))) return -EFAULT;
      return 0;
    }
    case nr::time: {
      const time_t t = ::time(nullptr);
      if (a[0] && !as.put64(a[0], static_cast<u64>(t))) return -EFAULT;
      return t;
    }
    case nr::times: {
      struct tms t;
      const clock_t r = ::times(&t);
      if (a[0] && !(as.put64(a[0], t.tms_utime) && as.put64(a[0] + 8, t.tms_stime) &&
                    as.put64(a[0] + 16, t.tms_cutime) && as.put64(a[0] + 24, t.tms_cstime)))
        return -EFAULT;
      return r;
    }
    case nr::nanosleep:
    case nr::clock_nanosleep: {
      const bool clk = number == nr::clock_nanosleep;
      struct timespec req, rem{};
      if (!c.get_timespec(clk ? a[2] : a[0], req)) return -EFAULT;
      const int r = clk ? ::clock_nanosleep(static_cast<clockid_t>(a[0]), static_cast<int>(a[1]), &req, &rem)
                        : (::nanosleep(&req, &rem) == 0 ? 0 : errno);
      const u64 rem_ea = clk ? a[3] : a[1];
      if (r == EINTR && rem_ea) c.put_timespec(rem_ea, rem.tv_sec, rem.tv_nsec);
      return -r;
    }
    case nr::getrandom: {
      OutBuf b(as, a[0], a[1]);
      if (b.fault() && a[1]) return -EFAULT;
      const long r = ::getrandom(b.data(), b.size(), static_cast<unsigned>(a[2]));
      if (r < 0) return -errno;
      b.commit(static_cast<u64>(r));
      return r;
    }
    case nr::sysinfo: {
      struct sysinfo si;
      ::sysinfo(&si);
      return as.write(a[0], &si, sizeof si) ? 0 : -EFAULT;  // same layout on 64-bit LE
    }
    case nr::getrusage: {
      struct rusage ru;
      if (::getrusage(static_cast<int>(a[0]), &ru) != 0) return -errno;
      return as.write(a[1], &ru, sizeof ru) ? 0 : -EFAULT;
    }

    case nr::getpid: return ::getpid();
    case nr::gettid: return ::getpid();
    case nr::getppid: return ::getppid();
    case nr::getuid: return ::getuid();
    case nr::geteuid: return ::geteuid();
    case nr::getgid: return ::getgid();
    case nr::getegid: return ::getegid();
    case nr::getpgrp: return ::getpgrp();
    case nr::getpgid: return host_result(::getpgid(static_cast<pid_t>(a[0])));
    case nr::getsid: return host_result(::getsid(static_cast<pid_t>(a[0])));
    case nr::setpgid: return host_result(::setpgid(static_cast<pid_t>(a[0]), static_cast<pid_t>(a[1])));
    case nr::getresuid:
    case nr::getresgid: {
      const bool u = number == nr::getresuid;
      const u32 v[3] = {u ? getuid() : getgid(), u ? geteuid() : getegid(), u ? geteuid() : getegid()};
      for (unsigned k = 0; k < 3; ++k)
        if (!as.put32(a[k], v[k])) return -EFAULT;
      return 0;
    }
    case nr::set_tid_address: return ::getpid();
    case nr::set_robust_list: return -ENOSYS;  // as qemu-ppc64le 7.2
    case nr::rseq: return -ENOSYS;             // as qemu-ppc64le 7.2
    case nr::membarrier: return -ENOSYS;
    case nr::personality: return 0;
    case nr::sched_yield: return 0;
    case nr::sched_getaffinity: {
      OutBuf b(as, a[2], a[1]);
      if (b.fault()) return -EFAULT;
      const long r = ::syscall(SYS_sched_getaffinity, static_cast<pid_t>(a[0]), b.size(), b.data());
      if (r < 0) return -errno;
      b.commit(static_cast<u64>(r));
      return r;
    }
    case nr::prlimit64: {
      if (a[0] != 0 && static_cast<pid_t>(a[0]) != ::getpid()) return -EPERM;
      return c.do_rlimit(a[1], a[3]);  // new limits are accepted and not applied
    }
    case nr::getrlimit:
    case nr::ugetrlimit: return c.do_rlimit(a[0], a[1]);

    case nr::rt_sigaction: {
      const u64 sig = a[0];
      if (sig < 1 || sig > 64 || a[3] != 8) return -EINVAL;
      GuestSigaction& cur = p.sigact[sig];
      if (a[2]) {
        if (!(as.put64(a[2], cur.handler) && as.put64(a[2] + 8, cur.flags) && as.put64(a[2] + 16, cur.restorer) &&
              as.put64(a[2] + 24, cur.mask)))
          return -EFAULT;
      }
      if (a[1]) {
        if (sig == SIGKILL || sig == SIGSTOP) return -EINVAL;
        GuestSigaction n;
        if (!(as.get64(a[1], n.handler) && as.get64(a[1] + 8, n.flags) && as.get64(a[1] + 16, n.restorer) &&
              as.get64(a[1] + 24, n.mask)))
          return -EFAULT;
        cur = n;
      }
      return 0;
    }
    case nr::rt_sigprocmask: {
      if (a[3] != 8) return -EINVAL;
      const u64 old = p.sigmask;
      if (a[1]) {
        u64 set;
        if (!as.get64(a[1], set)) return -EFAULT;
        set &= ~((u64{1} << (SIGKILL - 1)) | (u64{1} << (SIGSTOP - 1)));
        switch (a[0]) {
          case SIG_BLOCK: p.sigmask |= set; break;
          case SIG_UNBLOCK: p.sigmask &= ~set; break;
          case SIG_SETMASK: p.sigmask = set; break;
          default: return -EINVAL;
        }
      }
      if (a[2] && !as.put64(a[2], old)) return -EFAULT;
      return 0;
    }
    case nr::sigaltstack: {
      if (a[1] && !(as.put64(a[1], p.altstack_sp) && as.put32(a[1] + 8, p.altstack_flags) &&
                    as.put64(a[1] + 16, p.altstack_size)))
        return -EFAULT;
      if (a[0]) {
        u64 sp, size;
        u32 flags;
        if (!(as.get64(a[0], sp) && as.get32(a[0] + 8, flags) && as.get64(a[0] + 16, size))) return -EFAULT;
        p.altstack_sp = sp;
        p.altstack_flags = flags;
        p.altstack_size = size;
      }
      return 0;
    }
    case nr::kill:
      if (static_cast<pid_t>(a[0]) == ::getpid() || a[0] == 0) return c.kill_self(static_cast<int>(a[1]));
      return host_result(::kill(static_cast<pid_t>(a[0]), static_cast<int>(a[1])));
    case nr::tkill:
      if (static_cast<pid_t>(a[0]) == ::getpid()) return c.kill_self(static_cast<int>(a[1]));
      return -ESRCH;
    case nr::tgkill:
      if (static_cast<pid_t>(a[1]) == ::getpid()) return c.kill_self(static_cast<int>(a[2]));
      return -ESRCH;

    case nr::futex: {
      const u64 op = a[1] & 0x7f;
      if (op == 1) return 0;  // FUTEX_WAKE: nobody else to wake
      if (op == 0 || op == 9) {  // FUTEX_WAIT(_BITSET) with no other thread
        u32 v;
        if (!as.get32(a[0], v)) return -EFAULT;
        return v != static_cast<u32>(a[2]) ? -EAGAIN : -ETIMEDOUT;
      }
      return -ENOSYS;
    }
    case nr::fork:
    case nr::vfork: return sys_clone(p, SIGCHLD, 0, 0, 0, 0);
    case nr::clone: return sys_clone(p, a[0], a[1], a[2], a[3], a[4]);
    case nr::clone3: return -ENOSYS;  // glibc falls back to clone
    case nr::execve: return sys_execve(p, a[0], a[1], a[2]);
    case nr::wait4: return sys_wait4(p, a[0], a[1], a[2], a[3]);
    case nr::rt_sigreturn:
    case nr::sigreturn:
      if (!restore_rt_frame(p)) p.end({true, 0, SIGSEGV});
      return SYSCALL_NO_RESULT;
    case nr::poll: {
      std::vector<u8> fds;
      if (!read_in(as, a[0], a[1] * 8, fds)) return -EFAULT;
      const int r = ::poll(reinterpret_cast<pollfd*>(fds.data()), a[1], static_cast<int>(a[2]));
      if (r < 0) return -errno;
      return as.write(a[0], fds.data(), fds.size()) ? r : -EFAULT;
    }

    default:
      if (p.first_time("syscall " + std::to_string(number)))
        spdlog::warn("unsupported syscall {} (r3=0x{:x} r4=0x{:x} r5=0x{:x})", number, a[0], a[1], a[2]);
      return -ENOSYS;
  }
}

}  // namespace lpar::user
