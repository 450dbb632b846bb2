#!/usr/bin/env bash
# Command-line input on both machines (issue 15): every file option fed a
# directory, a FIFO, a character device and a missing path is one line on
# stderr and a non-zero status (no abort, no hang on the FIFO); options are
# refused on machines they do not act on; --expect works on -M bare; disk
# images are locked; QEMU's ",," escape and words.
# usage: options.sh LPAR GOOD_ELF (a bare-machine program that prints PASS)
set -u
L=$1 GOOD=$2
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# one WHAT WANT_TEXT lpar-args...: status != 0, one stderr line holding WANT_TEXT,
# within 10 s (a run past that is killed and fails).
one() {
  local what=$1 want=$2; shift 2
  timeout -s KILL 10 "$L" "$@" </dev/null >"$T/out" 2>"$T/err"
  local rc=$? lines
  lines=$(wc -l <"$T/err")
  if [ $rc -eq 0 ] || [ $rc -eq 137 ]; then fail "$what: status $rc"; return; fi
  [ "$lines" -eq 1 ] || fail "$what: $lines stderr lines: $(head -3 "$T/err" | tr '\n' '|')"
  grep -q -- "$want" "$T/err" || fail "$what: no '$want' in: $(cat "$T/err")"
  if grep -q -e "terminate called" -e Aborted "$T/err"; then fail "$what: aborted"; fi
}

mkdir "$T/dir"; mkfifo "$T/fifo"
truncate -s 1M "$T/disk.img"
P=(-M pseries,vof=on -m 256M -nographic)
for kind in dir fifo /dev/null missing; do
  case $kind in dir) f=$T/dir ;; fifo) f=$T/fifo ;; missing) f=$T/missing ;; *) f=$kind ;; esac
  one "bare -kernel $kind" "could not load kernel" -M bare -kernel "$f"
  one "pseries -kernel $kind" "could not load kernel" "${P[@]}" -kernel "$f"
  one "pseries -initrd $kind" "could not load initial ram disk" "${P[@]}" -kernel "$GOOD" -initrd "$f"
  one "pseries -bios $kind" "could not load LPAR firmware" -M pseries -m 256M -nographic -kernel "$GOOD" -bios "$f"
  one "pseries -drive $kind" "lpar: " "${P[@]}" -kernel "$GOOD" -drive "file=$f,if=virtio,format=raw"
done
one "-D in a missing directory" "cannot open log file" "${P[@]}" -kernel "$GOOD" -D "$T/no/such/dir/log" -d hcall
[ -e "$T/no" ] && fail "-D made directories"

# Options on machines they do not act on.
for opt in "-initrd $GOOD" "-append x" "-bios $GOOD" "-smp 2" "-d hcall" "-D $T/log" \
           "-drive file=$T/disk.img,if=virtio,format=raw" "-nic none" "-serial stdio" "-no-reboot"; do
  # shellcheck disable=SC2086
  one "bare $opt" "is not available on -M bare (pseries only)" -M bare -kernel "$GOOD" $opt
done
one "pseries -s" "is not available on -M pseries (bare only)" "${P[@]}" -kernel "$GOOD" -s
one "-serial mon:stdio" "no monitor" "${P[@]}" -kernel "$GOOD" -serial mon:stdio
one "-rtc base=garbage" "-rtc: bad base" "${P[@]}" -kernel "$GOOD" -rtc base=garbage
one "-rtc clock=vm" "is not supported" "${P[@]}" -kernel "$GOOD" -rtc clock=vm
timeout -s KILL 10 "$L" "${P[@]}" -kernel "$GOOD" -rtc base=2006-06-17T16:01:21,clock=host --timeout 5 </dev/null >/dev/null 2>"$T/err"
grep -q -e "-rtc" "$T/err" && fail "-rtc base=DATE refused: $(cat "$T/err")"
timeout -s KILL 10 "$L" "${P[@]}" -kernel "$GOOD" -rtc base=localtime --timeout 5 </dev/null >/dev/null 2>"$T/err"
grep -q -e "-rtc" "$T/err" && fail "-rtc base=localtime refused: $(cat "$T/err")"
one "-icount shift=x" "-icount: bad shift" "${P[@]}" -kernel "$GOOD" -icount shift=x
one "-icount sleep=maybe" "-icount: bad value" "${P[@]}" -kernel "$GOOD" -icount shift=0,sleep=maybe
for ic in "shift=0" "shift=auto" "7" "shift=3,sleep=off" "shift=auto,sleep=on"; do
  timeout -s KILL 10 "$L" "${P[@]}" -kernel "$GOOD" -icount "$ic" --timeout 5 </dev/null >/dev/null 2>"$T/err"
  grep -q -e "-icount" "$T/err" && fail "-icount $ic refused: $(cat "$T/err")"
done
one "-m 131073K" "is not a multiple of 4K" -M pseries,vof=on -m 131073K -nographic -kernel "$GOOD"

# --expect on the bare machine.
"$L" -M bare -m 64M -kernel "$GOOD" --expect PASS >/dev/null 2>&1 || fail "bare --expect PASS: status $?"
one "bare --expect missing text" "expected console output not seen" -M bare -m 64M -kernel "$GOOD" --expect "no such text"

# Disk images: a second writer is refused (in this process or another) unless locking=off.
D="file=$T/disk.img,if=virtio,format=raw"
one "two writers in one lpar" 'failed to get "write" lock' "${P[@]}" -kernel "$GOOD" -drive "$D" -drive "$D"
python3 - "$T/disk.img" "$T/locked" <<'PY' &
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.lockf(fd, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(20)
PY
holder=$!
for _ in $(seq 50); do [ -e "$T/locked" ] && break; sleep 0.1; done
one "an image another process holds" 'failed to get "write" lock' "${P[@]}" -kernel "$GOOD" -drive "$D"
timeout -s KILL 10 "$L" "${P[@]}" -kernel "$GOOD" -drive "$D,locking=off" --timeout 5 </dev/null >/dev/null 2>"$T/err"
grep -q "lock" "$T/err" && fail "locking=off still locked: $(cat "$T/err")"
kill $holder 2>/dev/null; wait $holder 2>/dev/null

# QEMU's ",," is a comma inside a value.
cp "$T/disk.img" "$T/a,b.img"
timeout -s KILL 10 "$L" "${P[@]}" -kernel "$GOOD" -drive "file=$T/a,,b.img,if=virtio,format=raw" --timeout 5 \
  </dev/null >/dev/null 2>"$T/err"
grep -q -e "unknown option" -e "No such file" "$T/err" && fail "file=a,,b.img: $(cat "$T/err")"

[ $fails -eq 0 ] && echo "options: all checks pass"
exit $((fails != 0))
