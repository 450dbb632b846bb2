#!/bin/sh
# lpar's command-line errors: one line on stderr, non-zero status.
# usage: cli.sh LPAR GOOD_ELF SPIN_ELF
L=$1; GOOD=$2; SPIN=$3; T=${TMPDIR:-/tmp}/lpar-cli-$$
mkdir -p "$T"; trap 'rm -rf "$T"' EXIT
fail=0
expect() {  # expect STATUS-TEST DESCRIPTION CMD...
  want=$1; what=$2; shift 2
  "$@" >"$T/out" 2>"$T/err"; rc=$?
  lines=$(wc -l <"$T/err")
  if ! [ "$rc" $want ]; then echo "FAIL $what: status $rc"; fail=1; fi
  if [ "$rc" -ne 0 ] && [ "$lines" -ne 1 ]; then echo "FAIL $what: $lines stderr lines"; fail=1; fi
}
printf 'not an elf' >"$T/bad.elf"
head -c 70 "$GOOD" >"$T/short.elf"
expect "-ne 0" "missing file" "$L" -M bare -kernel "$T/nonexistent.elf"
expect "-ne 0" "not an ELF" "$L" -M bare -kernel "$T/bad.elf"
expect "-ne 0" "truncated ELF" "$L" -M bare -kernel "$T/short.elf"
expect "-ne 0" "bad option" "$L" -M bare -kernel "$GOOD" -bogus
expect "-ne 0" "RAM too large" "$L" -M bare -m 100T -kernel "$GOOD"
expect "-ne 0" "bad RAM size" "$L" -M bare -m 12Q -kernel "$GOOD"
expect "-ne 0" "RAM too small for the ELF" "$L" -M bare -m 1K -kernel "$GOOD"
expect "-ne 0" "unknown cpu" "$L" -M bare -cpu POWER3 -kernel "$GOOD"
expect "-ne 0" "unknown machine" "$L" -M foo -kernel "$GOOD"
expect "-eq 124" "timeout" "$L" -M bare -kernel "$SPIN" --timeout 0.5
expect "-eq 0" "good run" "$L" -M bare -m 64M -kernel "$GOOD"
grep -q PASS "$T/out" || { echo "FAIL good run: no PASS"; fail=1; }
[ $fail -eq 0 ] && echo "cli: all checks passed"
exit $fail
