#!/usr/bin/env bash
# Differential run: a static ppc64le program under lpar-user and under
# qemu-ppc64le must print the same bytes and exit with the same status.
# usage: compare.sh LPAR_USER CPU PROGRAM [ARGS...]
set -u
lpar_user=$1 cpu=$2; shift 2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
qemu-ppc64le -cpu "$cpu" "$@" >"$tmp/qemu.out" 2>"$tmp/qemu.err"; rq=$?
"$lpar_user" -cpu "$cpu" "$@" >"$tmp/lpar.out" 2>"$tmp/lpar.err"; rl=$?
if cmp -s "$tmp/qemu.out" "$tmp/lpar.out" && [ "$rq" = "$rl" ]; then
  echo "same output ($(wc -l <"$tmp/qemu.out") lines) and exit status $rq: $(basename "$1") -cpu $cpu"
  exit 0
fi
echo "MISMATCH for $* -cpu $cpu: qemu exit $rq, lpar exit $rl"
diff "$tmp/qemu.out" "$tmp/lpar.out" | head -40
echo "--- lpar stderr:"; head -20 "$tmp/lpar.err"
exit 1
