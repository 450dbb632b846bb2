#!/usr/bin/env bash
# Debug a bare-machine program under `lpar -M bare -S -gdb tcp::PORT` with
# gdb-multiarch, as one would a board through a hardware probe: all register
# sets including the privileged ones, a breakpoint on a symbol, stepi, memory
# read and write (the program checks the written value), a watchpoint, the
# MMU monitor commands, memory through the HPT and physical, detach and the
# guest finishes with exit 0.  Exit 77 (skipped) without gdb-multiarch.
#   bare_session.sh LPAR ELF ENDIAN(little|big) [WORKDIR]
set -u
LPAR=${1:?usage: bare_session.sh LPAR ELF ENDIAN [WORKDIR]}
ELF=${2:?}
ENDIAN=${3:?}
WORK=${4:-$(mktemp -d)}
HERE=$(cd "$(dirname "$0")" && pwd)
command -v gdb-multiarch >/dev/null || { echo "SKIP: gdb-multiarch is not installed"; exit 77; }
mkdir -p "$WORK"

# Port 0: the stub picks a free port and says which on stderr.
"$LPAR" -M bare -m 64M -S -gdb tcp::0 -kernel "$ELF" >"$WORK/prog.out" 2>"$WORK/prog.err" &
PID=$!
PORT=
for _ in $(seq 100); do
  PORT=$(sed -n 's/.*waiting for gdb on [^:]*:\([0-9]*\).*/\1/p' "$WORK/prog.err")
  [ -n "$PORT" ] && break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  echo "FAIL: lpar did not start its gdb stub"; cat "$WORK/prog.err"; kill "$PID" 2>/dev/null; exit 1
fi
sed "s/@PORT@/$PORT/" "$HERE/bare_session.gdb.in" >"$WORK/session.gdb"
timeout 120 gdb-multiarch -batch -nx -x "$WORK/session.gdb" "$ELF" >"$WORK/gdb.out" 2>&1
GDB_RC=$?
for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then kill "$PID"; echo "FAIL: guest still running after detach"; exit 1; fi
wait "$PID"
PROG_RC=$?

fail=0
check() {  # check DESCRIPTION FILE EXTENDED-REGEX
  if grep -Eq -- "$3" "$2"; then echo "ok: $1"; else echo "FAIL: $1 (no /$3/ in $(basename "$2"))"; fail=1; fi
}
hexval() { sed -n "s/^$1=//p" "$OUT" | head -1; }
OUT=$WORK/gdb.out
[ "$GDB_RC" = 0 ] || { echo "FAIL: gdb-multiarch exited $GDB_RC"; fail=1; }
check "endianness from the guest" "$OUT" "$ENDIAN endian"
check "stopped before the first instruction (-S)" "$OUT" '^PC0=2000$'
check "general registers" "$OUT" '^r31 +0x'
check "pc" "$OUT" '^pc +0x2000 '
check "msr with SF and HV" "$OUT" '^msr +0x900000000000100[01] '
check "cr/lr/ctr/xer" "$OUT" '^xer +0x'
check "float registers" "$OUT" '^f31 +'
check "fpscr" "$OUT" '^fpscr +0x'
check "vector registers" "$OUT" '^vr31 +\{'
check "vscr and vrsave" "$OUT" '^vrsave +0x'
check "vsx registers" "$OUT" '^vs63 +\{'
for r in srr0 srr1 hsrr0 hsrr1 lpcr sdr1 dar dsisr dec hdec sprg0 sprg3 hsprg0 hsprg1 lpidr rmor hrmor pir pvr; do
  check "privileged register $r" "$OUT" "^$r +0x"
done
check "decrementer at reset" "$OUT" '^dec +0x7ff'
check "PVR of the POWER8" "$OUT" '^\$[0-9]+ = 0x4d0200$'
check "monitor help" "$OUT" 'lpar monitor commands'
check "breakpoint on a symbol" "$OUT" 'Breakpoint 1, 0x[0-9a-f]+ in checkpoint \(\)'
check "disassembly at pc" "$OUT" '=> 0x[0-9a-f]+ <checkpoint\+4>:'
check "monitor slb" "$OUT" 'SLB\[ 0\] ESID 0x1 \(256M\) VSID 0x123 .*base page 4K'
check "monitor hpt: HPTE" "$OUT" 'HPTE index 0x[0-9a-f]+ at 0x109180 \(primary group\)'
check "monitor hpt: RA" "$OUT" 'RA 0x200000; PP 0'
check "monitor lpcr: registers" "$OUT" '^LPCR +0x'
check "monitor lpcr: HRMOR" "$OUT" 'HRMOR 0x0'
check "monitor lpcr: real mode in effect" "$OUT" 'in effect now: hypervisor real mode'
check "monitor pending: DEC" "$OUT" '^DEC +0x7ff[0-9a-f]+ \([0-9]+, 32 bits\): no exception'
check "monitor pending: external" "$OUT" '^external: none'
check "memory read" "$OUT" '^0x[0-9a-f]+( <magic>)?:[[:space:]]+0x00000000$'
check "memory write" "$OUT" '^0x[0-9a-f]+( <magic>)?:[[:space:]]+0x12345678$'
check "watchpoint set" "$OUT" 'Hardware watchpoint 2: \*\(int ?\*\) ?&watched'
check "watchpoint old value" "$OUT" 'Old value = 0$'
check "watchpoint new value" "$OUT" 'New value = 42$'
check "breakpoint with translation on" "$OUT" 'Breakpoint 3, (0x[0-9a-f]+ in )?in_virtual \(\)'
check "memory through the HPT" "$OUT" '^0x10000000:[[:space:]]+0xfeedface'
check "unmapped memory is an error" "$OUT" 'Cannot access memory at address 0x20000000'
check "monitor phys on" "$OUT" 'memory accesses use physical addresses'
check "physical memory" "$OUT" '^0x200000:[[:space:]]+0xfeedface'
check "privileged register write" "$OUT" '^\$[0-9]+ = 0x5a5a$'
check "detach" "$OUT" 'Detaching from program|\[Inferior 1 \(.*\) detached\]'
check "guest saw the memory write" "$WORK/prog.out" '^magic ok$'
check "guest finished" "$WORK/prog.out" '^PASS$'
PC1=$(hexval PC1); PC2=$(hexval PC2); WPC=$(hexval WATCH_PC)
if [ -n "$PC1" ] && [ -n "$PC2" ] && [ $((16#$PC2)) = $((16#$PC1 + 4)) ]; then echo "ok: stepi"; else
  echo "FAIL: stepi moved pc from '$PC1' to '$PC2'"; fail=1; fi
STORE=$(powerpc64le-linux-gnu-nm "$ELF" 2>/dev/null | sed -n 's/^0*\([0-9a-f]*\) T store_watched$/\1/p')
if [ -z "$STORE" ] || [ "$WPC" = "$(printf '%x' $((16#$STORE + 4)))" ]; then echo "ok: watchpoint stops after the store"; else
  echo "FAIL: watchpoint stopped at '$WPC', store_watched is at '$STORE'"; fail=1; fi
[ "$PROG_RC" = 0 ] || { echo "FAIL: guest exit status $PROG_RC"; fail=1; }
if [ "$fail" != 0 ]; then echo "--- gdb output:"; cat "$OUT"; echo "--- lpar stderr:"; cat "$WORK/prog.err"; fi
exit $fail
