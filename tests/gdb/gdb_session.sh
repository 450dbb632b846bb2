#!/usr/bin/env bash
# Debug a small static guest under `lpar-user -g` with gdb-multiarch, as one
# would under qemu-ppc64le -g: registers, breakpoint, stepi, memory read and
# write, a watchpoint, detach.  Exit 77 (skipped) without the tools.
#   gdb_session.sh LPAR_USER [WORKDIR]
set -u
LPAR_USER=${1:?usage: gdb_session.sh LPAR_USER [WORKDIR]}
WORK=${2:-$(mktemp -d)}
HERE=$(cd "$(dirname "$0")" && pwd)
command -v gdb-multiarch >/dev/null || { echo "SKIP: gdb-multiarch is not installed"; exit 77; }
command -v powerpc64le-linux-gnu-gcc >/dev/null || { echo "SKIP: powerpc64le-linux-gnu-gcc is not installed"; exit 77; }
mkdir -p "$WORK"
PROG=$WORK/gdb_target
powerpc64le-linux-gnu-gcc -static -O0 -g -o "$PROG" "$HERE/target.c" || { echo "FAIL: cross-compile"; exit 1; }

# Port 0: the stub picks a free port and says which on stderr.
"$LPAR_USER" -g 0 "$PROG" >"$WORK/prog.out" 2>"$WORK/prog.err" &
PID=$!
PORT=
for _ in $(seq 100); do
  PORT=$(sed -n 's/.*waiting for gdb on [^:]*:\([0-9]*\).*/\1/p' "$WORK/prog.err")
  [ -n "$PORT" ] && break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  echo "FAIL: lpar-user did not start its gdb stub"; cat "$WORK/prog.err"; kill "$PID" 2>/dev/null; exit 1
fi
sed "s/@PORT@/$PORT/" "$HERE/session.gdb.in" >"$WORK/session.gdb"
timeout 120 gdb-multiarch -batch -nx -x "$WORK/session.gdb" "$PROG" >"$WORK/gdb.out" 2>&1
GDB_RC=$?
# The guest runs on after detach and must finish by itself.
for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then kill "$PID"; echo "FAIL: guest still running after detach"; exit 1; fi
wait "$PID"
PROG_RC=$?

fail=0
check() {  # check DESCRIPTION FILE EXTENDED-REGEX
  if grep -Eq -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1 (no /$3/ in $(basename "$2"))"; fail=1; fi
}
OUT=$WORK/gdb.out
[ "$GDB_RC" = 0 ] || { echo "FAIL: gdb-multiarch exited $GDB_RC"; fail=1; }
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
PC1=$(sed -n 's/^PC1=//p' "$OUT"); PC2=$(sed -n 's/^PC2=//p' "$OUT")
if [ -n "$PC1" ] && [ -n "$PC2" ] && [ $((16#$PC2)) = $((16#$PC1 + 4)) ]; then echo "ok: stepi"; else
  echo "FAIL: stepi moved pc from '$PC1' to '$PC2'"; fail=1; fi
[ "$PROG_RC" = 0 ] || { echo "FAIL: guest exit status $PROG_RC"; fail=1; }
if [ "$fail" != 0 ]; then echo "--- gdb output:"; cat "$OUT"; echo "--- lpar-user stderr:"; cat "$WORK/prog.err"; fi
exit $fail
