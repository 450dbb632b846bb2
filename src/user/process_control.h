// fork/clone, execve and wait4 for the guest.  A new process is a host fork
// of the whole emulator; a ppc64 program is exec'd through lpar-user again,
// anything else (a host binary, e.g. /bin/sh) directly as qemu-ppc64le does.
#pragma once
#include "cpu/state.h"

namespace lpar::user {

class Process;

// clone(flags, newsp, parent_tid, tls, child_tid) with the ppc64 argument
// order; fork and vfork are clone(SIGCHLD).  Threads (CLONE_VM without
// CLONE_VFORK) are not supported: -ENOSYS.
s64 sys_clone(Process& p, u64 flags, u64 newsp, u64 ptid, u64 tls, u64 ctid);
s64 sys_execve(Process& p, u64 path, u64 argv, u64 envp);
s64 sys_wait4(Process& p, u64 pid, u64 status, u64 options, u64 rusage);

// Where lpar-user itself lives (set by main; empty: execve of ppc64 programs fails).
void set_self_exe(const char* path);

}  // namespace lpar::user
