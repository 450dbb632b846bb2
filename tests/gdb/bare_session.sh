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
. "$HERE/common.sh"
need gdb-multiarch
mkdir -p "$WORK"

start_stub "$LPAR" -M bare -m 64M -S -gdb tcp::0 -kernel "$ELF"
run_session "$HERE/bare_session.gdb.in" "$ELF"

OUT=$WORK/gdb.out
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
check_stepi
WPC=$(hexval WATCH_PC)
STORE=$(powerpc64le-linux-gnu-nm "$ELF" 2>/dev/null | sed -n 's/^0*\([0-9a-f]*\) T store_watched$/\1/p')
if [ -z "$STORE" ] || [ "$WPC" = "$(printf '%x' $((16#$STORE + 4)))" ]; then echo "ok: watchpoint stops after the store"; else
  echo "FAIL: watchpoint stopped at '$WPC', store_watched is at '$STORE'"; fail=1; fi
finish "$OUT" "$WORK/prog.err"
