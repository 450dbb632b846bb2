#!/usr/bin/env bash
# Attach gdb-multiarch to a bare machine that is already running (`lpar -gdb`
# without -S): the first debugger stops it, reads registers and detaches; the
# machine runs on; a second debugger attaches and kills it, and lpar exits 0
# as QEMU does.  Also the -gdb/-S command-line errors.  Exit 77 (skipped)
# without gdb-multiarch.
#   bare_attach.sh LPAR SPIN_ELF [WORKDIR]
set -u
LPAR=${1:?usage: bare_attach.sh LPAR SPIN_ELF [WORKDIR]}
ELF=${2:?}
WORK=${3:-$(mktemp -d)}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/common.sh"
need gdb-multiarch
mkdir -p "$WORK"

# Command-line errors: one line on stderr, non-zero exit.
for args in "-gdb foo" "-gdb tcp:host" "-gdb tcp::99999" "-S"; do
  # shellcheck disable=SC2086
  "$LPAR" -M bare -kernel "$ELF" $args >/dev/null 2>"$WORK/err"
  rc=$?
  if [ "$rc" != 0 ] && [ "$(wc -l <"$WORK/err")" = 1 ] && grep -q '^lpar: ' "$WORK/err"; then echo "ok: error for '$args'"; else
    echo "FAIL: '$args' gave status $rc and:"; cat "$WORK/err"; fail=1; fi
done

start_stub "$LPAR" -M bare -m 64M -gdb tcp::0 -kernel "$ELF"
cat >"$WORK/first.gdb" <<GDB
set confirm off
target remote 127.0.0.1:$PORT
info registers pc msr
monitor icount
detach
GDB
cat >"$WORK/second.gdb" <<GDB
set confirm off
target remote 127.0.0.1:$PORT
info registers pc
kill
GDB
timeout 60 gdb-multiarch -batch -nx -x "$WORK/first.gdb" "$ELF" >"$WORK/first.out" 2>&1
if kill -0 "$PID" 2>/dev/null; then echo "ok: the machine runs on after detach"; else echo "FAIL: lpar ended after detach"; fail=1; fi
timeout 60 gdb-multiarch -batch -nx -x "$WORK/second.gdb" "$ELF" >"$WORK/second.out" 2>&1
guest_ends || { echo "FAIL: lpar still running after kill"; fail=1; }
check "first debugger attached to the running machine" "$WORK/first.out" '^pc +0x[0-9a-f]+'
check "msr" "$WORK/first.out" '^msr +0x9000000000001001'
check "first debugger detached" "$WORK/first.out" 'Detaching from program|detached'
check "second debugger attached" "$WORK/second.out" '^pc +0x[0-9a-f]+'
check "kill" "$WORK/prog.err" 'terminated via gdb stub'
finish "$WORK/first.out" "$WORK/second.out" "$WORK/prog.err"
