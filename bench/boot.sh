#!/usr/bin/env bash
# Boot-to-power-off wall time of Debian's kernel with the test initramfs:
# lpar -M pseries,vof=on against qemu-system-ppc64 -M pseries,x-vof=on, same
# kernel, initrd, -cpu and RAM, measured in the same run (best of 3 each,
# alternating).  The guest runs `uname -a` and powers off.
# usage: bench/boot.sh [BUILD_DIR]   (after scripts/setup.sh or scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cache=.cache/guests
[ -f $cache/vmlinux ] || scripts/fetch-guests.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 scripts/mkinitramfs.py --busybox $cache/busybox --init tests/boot/init.sh -o "$tmp/initrd.gz"
append='console=hvc0 quiet lpar.run="uname -a"'
now() { date +%s.%N; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'; }
printf "%-8s %10s %10s %8s\n" cpu qemu_s lpar_s ratio
for cpu in POWER8 POWER9; do
  q=999999 l=999999
  for _ in 1 2 3; do
    t0=$(now)
    qemu-system-ppc64 -M pseries,x-vof=on -cpu $cpu -m 1G -nographic -no-reboot -kernel $cache/vmlinux \
      -initrd "$tmp/initrd.gz" -append "$append" </dev/null >"$tmp/q.out" 2>&1
    t1=$(now)
    "$build/lpar" -M pseries,vof=on -cpu $cpu -m 1G -nographic -kernel $cache/vmlinux \
      -initrd "$tmp/initrd.gz" -append "$append" </dev/null >"$tmp/l.out" 2>&1
    t2=$(now)
    grep -q "lpar-init: exit status 0" "$tmp/q.out" || echo "warning: qemu boot did not finish"
    grep -q "lpar-init: exit status 0" "$tmp/l.out" || echo "warning: lpar boot did not finish"
    q=$(best "$q" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
    l=$(best "$l" "$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')")
  done
  awk -v c=$cpu -v q="$q" -v l="$l" 'BEGIN { printf "%-8s %10.2f %10.2f %7.2fx\n", c, q, l, l / q }'
done
