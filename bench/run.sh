#!/usr/bin/env bash
# Wall-time ratio lpar-user / qemu-ppc64le on compute-bound programs, measured
# in the same run.  usage: bench/run.sh [BUILD_DIR]   (after scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
printf "%-12s %-7s %10s %10s %8s\n" program cpu qemu_s lpar_s ratio
for prog in bench_int bench_fp; do
  for cpu in power9; do
    powerpc64le-linux-gnu-gcc -O2 -static -mcpu=$cpu -o "$tmp/$prog" "bench/$prog.c" -lm
    t0=$(now); qemu-ppc64le -cpu $cpu "$tmp/$prog" >"$tmp/q.out"; t1=$(now)
    "$build/lpar-user" -cpu $cpu "$tmp/$prog" >"$tmp/l.out"; t2=$(now)
    cmp -s "$tmp/q.out" "$tmp/l.out" || echo "warning: $prog output differs from qemu-ppc64le"
    awk -v p=$prog -v c=$cpu -v a="$t0" -v b="$t1" -v d="$t2" \
      'BEGIN { q = b - a; l = d - b; printf "%-12s %-7s %10.2f %10.2f %7.2fx\n", p, c, q, l, l / q }'
  done
done
