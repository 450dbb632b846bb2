#!/usr/bin/env bash
# A pseries run always ends, and the architecture where outside tests found
# gaps (issue 15).  usage: run.sh LPAR FW_BIN BARE_DIR
#  - the test firmware (fw.S) on POWER8 and POWER9: MSR[ME]=1 at entry,
#    IAMR/AMR leave real mode alone, DEC written negative with EE=1
#    interrupts at once; it ends in an interrupt that re-raises itself,
#    which must be reported as a guest hang (exit status 3);
#  - a firmware of zeros: the same storm from the first instruction;
#  - bare-machine programs booted as pseries kernels (one loops, one storms):
#    --timeout 5 ends the run within 10 s, SIGTERM within 2 s.
# Bounds are deadlines enforced by timeout(1) (a run past them is killed and
# the case fails), not measurements.
set -u
lpar=$1 fw=$2 bare=$3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# run NAME BOUND_S EXPECTED_STATUS lpar-args... : output in $tmp/NAME.out
run() {
  local name=$1 bound=$2 want=$3; shift 3
  timeout -s KILL "$bound" "$lpar" "$@" </dev/null >"$tmp/$name.out" 2>&1
  local rc=$?
  if [ $rc -eq 137 ]; then fail "$name: still running after ${bound} s (killed)"; return; fi
  [ $rc -eq "$want" ] || fail "$name: exit status $rc, want $want"
  echo "$name: exit status $rc"
}
has() { grep -q "$2" "$tmp/$1.out" || fail "$1: no '$2' in: $(tr '\n' ' ' <"$tmp/$1.out" | cut -c1-300)"; }
hasnt() { ! grep -q "$2" "$tmp/$1.out" || fail "$1: '$2' printed"; }

for cpu in POWER8 POWER9; do
  n=fw-$cpu
  run $n 10 3 -M pseries -cpu $cpu -m 256M -nographic -kernel "$bare/hello.be.elf" -bios "$fw" --timeout 5
  has $n "ME=1"
  has $n "IAMR ok"
  has $n "AMR ok"
  has $n "DEC ok"
  hasnt $n "DEC late"
  has $n "guest hang: vCPU 0 takes the interrupt at 0x700"
done

head -c 4096 /dev/zero >"$tmp/zeros.bin"
run zeros 10 3 -M pseries -m 256M -nographic -kernel "$bare/hello.be.elf" -bios "$tmp/zeros.bin" --timeout 5
has zeros "guest hang"
# VSX used with MSR[VSX]=0 (VSX Unavailable, 0xF40, holds zeros) and a fetch
# with MSR[IR]=1 and no HPT entry (ISI, 0x400): interrupts into zeros.
python3 - "$tmp" <<'PY'
import struct, sys
def image(name, words):
    img = bytearray(4096)
    for k, w in enumerate(words):
        img[0x100 + 4 * k:0x104 + 4 * k] = struct.pack(">I", w)
    open(sys.argv[1] + "/" + name, "wb").write(img)
image("vsx.bin", [0xF0000497])                 # xxlor vs0,vs0,vs0
image("isi.bin", [0x38601020, 0x7C600164, 0x60000000])  # li r3,ME|IR; mtmsrd r3; nop (fetched translated)
PY
for img in vsx isi; do
  run $img 10 3 -M pseries -m 256M -nographic -kernel "$bare/hello.be.elf" -bios "$tmp/$img.bin" --timeout 5
  has $img "guest hang"
done
run vof-le 10 3 -M pseries,vof=on -m 256M -nographic -kernel "$bare/hello.le.elf" --timeout 5
has vof-le "guest hang"
run vof-be 10 124 -M pseries,vof=on -m 256M -nographic -kernel "$bare/hello.be.elf" --timeout 5
has vof-be "timeout"

# SIGTERM, then at most 2 s: QEMU's "terminating on signal", status 0.
"$lpar" -M pseries,vof=on -m 256M -nographic -kernel "$bare/hello.be.elf" </dev/null >"$tmp/term.out" 2>&1 &
pid=$!
sleep 1
kill -TERM $pid
for _ in $(seq 20); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then
  fail "SIGTERM: still running 2 s later"
  kill -KILL $pid
fi
wait $pid; rc=$?
[ $rc -eq 0 ] || fail "SIGTERM: exit status $rc, want 0"
has term "terminating on signal 15"
echo "SIGTERM: exit status $rc"

[ $fails -eq 0 ] && echo "all pseries hang cases pass"
exit $((fails != 0))
