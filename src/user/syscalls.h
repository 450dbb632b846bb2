// The ppc64 Linux system call interface: sc with the number in r0 and
// arguments in r3-r8; the result in r3, errors as a positive errno in r3 with
// CR0[SO] set (arch/powerpc/kernel/entry_64.S, syscall_exit_prepare).
#pragma once
#include "cpu/state.h"

namespace lpar::user {

class Process;

// ppc64 system call numbers (arch/powerpc/kernel/syscalls/syscall.tbl).
namespace nr {
enum : u64 {
  exit = 1, read = 3, write = 4, open = 5, close = 6, unlink = 10, chdir = 12, time = 13, lseek = 19,
  getpid = 20, getuid = 24, access = 33, sync = 36, kill = 37, rename = 38, mkdir = 39, dup = 41, pipe = 42,
  times = 43, brk = 45, getgid = 47, geteuid = 49, getegid = 50, ioctl = 54, fcntl = 55, setpgid = 57,
  umask = 60, dup2 = 63, getppid = 64, getpgrp = 65, getrlimit = 76, getrusage = 77, gettimeofday = 78,
  readlink = 85, mmap = 90, munmap = 91, ftruncate = 93, stat = 106, lstat = 107, fstat = 108, sysinfo = 116,
  fsync = 118, sigreturn = 119, uname = 122, mprotect = 125, getpgid = 132, personality = 136, readv = 145,
  writev = 146, getsid = 147, sched_yield = 158, nanosleep = 162, mremap = 163, getresuid = 165, poll = 167,
  getresgid = 170, rt_sigreturn = 172, rt_sigaction = 173, rt_sigprocmask = 174, pread64 = 179,
  pwrite64 = 180, getcwd = 182, sigaltstack = 185, ugetrlimit = 190, getdents64 = 202, madvise = 205,
  gettid = 207, tkill = 208, futex = 221, sched_getaffinity = 223, set_tid_address = 232, fadvise64 = 233,
  exit_group = 234, clock_gettime = 246, clock_getres = 247, clock_nanosleep = 248, tgkill = 250,
  ppoll = 281, openat = 286, mkdirat = 287, newfstatat = 291, unlinkat = 292, renameat = 293,
  readlinkat = 296, faccessat = 298, set_robust_list = 300, dup3 = 316, pipe2 = 317, prlimit64 = 325,
  fork = 2, execve = 11, wait4 = 114, clone = 120, vfork = 189, clone3 = 435,
  getrandom = 359, membarrier = 365, statx = 383, rseq = 387, faccessat2 = 439,
};
}  // namespace nr

// syscall_dispatch's result when the registers were restored (rt_sigreturn).
inline constexpr s64 SYSCALL_NO_RESULT = INT64_MIN;
// Write a syscall result back: r in [-4095, -1] is -errno.
void set_syscall_result(CpuState& s, s64 r);
// Run the system call the guest just issued (s.nip is after the sc).
void do_syscall(Process& p);
// The call itself: returns the result or -errno.
s64 syscall_dispatch(Process& p, u64 number, const u64 (&a)[6]);

}  // namespace lpar::user
