#!/usr/bin/env bash
# Wall-time ratio lpar-user / qemu-ppc64le on compute-bound programs, measured
# in the same run (best of 3 each, alternating, to damp machine noise).
# Each program runs with the LLVM tier off and on (-jit, docs/jit.md).
# usage: bench/run.sh [BUILD_DIR]   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'; }
printf "%-12s %-7s %-4s %10s %10s %8s\n" program cpu jit qemu_s lpar_s ratio
for prog in bench_int bench_fp; do
  for cpu in power9; do
    powerpc64le-linux-gnu-gcc -O2 -static -mcpu=$cpu -o "$tmp/$prog" "bench/$prog.c" -lm
    for jit in off on; do
      q=999999 l=999999
      for _ in 1 2 3; do
        t0=$(now); qemu-ppc64le -cpu $cpu "$tmp/$prog" >"$tmp/q.out"; t1=$(now)
        "$build/lpar-user" -cpu $cpu -jit $jit "$tmp/$prog" >"$tmp/l.out"; t2=$(now)
        q=$(best "$q" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
        l=$(best "$l" "$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')")
      done
      cmp -s "$tmp/q.out" "$tmp/l.out" || echo "warning: $prog output differs from qemu-ppc64le"
      awk -v p=$prog -v c=$cpu -v j=$jit -v q="$q" -v l="$l" 'BEGIN { printf "%-12s %-7s %-4s %10.2f %10.2f %7.2fx\n", p, c, j, q, l, l / q }'
    done
  done
done
