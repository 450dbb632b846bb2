#!/usr/bin/env bash
# Debug a small static guest under `lpar-user -g` with gdb-multiarch, as one
# would under qemu-ppc64le -g: registers, breakpoint, stepi, memory read and
# write, a watchpoint, detach.  Exit 77 (skipped) without the tools.
#   gdb_session.sh LPAR_USER [WORKDIR]
set -u
LPAR_USER=${1:?usage: gdb_session.sh LPAR_USER [WORKDIR]}
WORK=${2:-$(mktemp -d)}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
need gdb-multiarch powerpc64le-linux-gnu-gcc
mkdir -p "$WORK"
PROG=$WORK/gdb_target
powerpc64le-linux-gnu-gcc -static -O0 -g -o "$PROG" "$HERE/target.c" || { echo "FAIL: cross-compile"; exit 1; }

start_stub "$LPAR_USER" -g 0 "$PROG"
run_session "$HERE/session.gdb.in" "$PROG"

OUT=$WORK/gdb.out
check "endianness from the guest" "$OUT" 'little endian'
check "general registers" "$OUT" '^r31 +0x'
check "pc/msr/cr/lr/ctr/xer" "$OUT" '^msr +0x8000000'
check "xer" "$OUT" '^xer +0x'
check "float registers" "$OUT" '^f31 +'
check "fpscr" "$OUT" '^fpscr +0x'
check "vector registers" "$OUT" '^vr31 +\{'
check "vscr" "$OUT" '^vscr +0x'
check "vsx registers" "$OUT" '^vs63 +\{'
check "privileged registers" "$OUT" '^srr0 +0x'
check "breakpoint hit" "$OUT" 'Breakpoint 1, (0x[0-9a-f]+ in )?add_numbers \(a=2, b=3\)'
check "argument a" "$OUT" '^\$[0-9]+ = 2$'
check "disassembly at pc" "$OUT" '=> 0x[0-9a-f]+ <add_numbers\+[0-9]+>:'
check "memory read (x)" "$OUT" '<watched>:[[:space:]]+0x00000007[[:space:]]+0x00000000'
check "memory write (set var)" "$OUT" '^\$[0-9]+ = 100$'
check "float write" "$OUT" '^\$[0-9]+ = 2.25$'
check "monitor help" "$OUT" 'lpar-user monitor commands'
check "watchpoint set" "$OUT" 'Hardware watchpoint 2: watched'
check "watchpoint old value" "$OUT" 'Old value = 100'
check "watchpoint new value" "$OUT" 'New value = 142'
check "stopped in bump" "$OUT" 'bump \(\) at .*target.c'
check "detach" "$OUT" '\[Inferior 1 \(.*\) detached\]'
check "guest saw the writes" "$WORK/prog.out" '^result=5 watched=142 fval=2.25 counter=6$'
check_stepi
finish "$OUT" "$WORK/prog.err"
