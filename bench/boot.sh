#!/usr/bin/env bash
# Boot-to-power-off wall time of Debian's kernel with the test initramfs:
# lpar against qemu-system-ppc64, same kernel, initrd, -cpu and RAM, measured
# in the same run (best of BENCH_RUNS, default 3, each, alternating): with the built-in client
# interface (lpar -M pseries,vof=on vs QEMU -M pseries,x-vof=on) and through
# SLOF (-M pseries on both, Debian's slof.bin) with the same devices on the
# PCI host bridge: a virtio-blk disk and a virtio-net NIC on user networking.
# The guest runs `uname -a` and powers off.
# usage: bench/boot.sh [BUILD_DIR] [vof|slof|all]   (after scripts/setup.sh or scripts/test.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
which=${2:-all}
cache=.cache/guests
[ -f $cache/vmlinux ] || scripts/fetch-guests.sh
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 scripts/mkinitramfs.py --busybox $cache/busybox --init tests/boot/init.sh -o "$tmp/initrd.gz"
append='console=hvc0 quiet lpar.run="uname -a"'
truncate -s 64M "$tmp/disk.img"
devices=(-drive "file=$tmp/disk.img,if=virtio,format=raw" -netdev user,id=n0 -device virtio-net-pci,netdev=n0)
# QEMU without an option ROM for the NIC (no ipxe-qemu package needed; SLOF
# drives virtio-net itself) and without a VGA (-vga none above).
qdevices=("${devices[@]}")
qdevices[${#qdevices[@]}-1]=virtio-net-pci,netdev=n0,romfile=
now() { date +%s.%N; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'; }
printf "%-6s %-8s %10s %10s %8s\n" fw cpu qemu_s lpar_s ratio
runs=()
[ "$which" = slof ] || runs+=(vof:POWER8 vof:POWER9)
[ "$which" = vof ] || runs+=(slof:POWER8)
for run in "${runs[@]}"; do
  fw=${run%%:*} cpu=${run#*:}
  qm=pseries lm=pseries qfw=(-bios $cache/slof.bin) dev=("${devices[@]}") qdev=("${qdevices[@]}")
  if [ "$fw" = vof ]; then qm=pseries,x-vof=on lm=pseries,vof=on qfw=() dev=() qdev=(); fi
  q=999999 l=999999
  for _ in $(seq "${BENCH_RUNS:-3}"); do
    t0=$(now)
    qemu-system-ppc64 -M $qm "${qfw[@]}" -cpu $cpu -m 1G -nographic -vga none -no-reboot -kernel $cache/vmlinux \
      -initrd "$tmp/initrd.gz" -append "$append" "${qdev[@]}" </dev/null >"$tmp/q.out" 2>&1
    t1=$(now)
    LPAR_SLOF=$cache/slof.bin "$build/lpar" -M $lm -cpu $cpu -m 1G -nographic -kernel $cache/vmlinux \
      -initrd "$tmp/initrd.gz" -append "$append" "${dev[@]}" </dev/null >"$tmp/l.out" 2>&1
    t2=$(now)
    grep -q "lpar-init: exit status 0" "$tmp/q.out" || echo "warning: qemu boot did not finish"
    grep -q "lpar-init: exit status 0" "$tmp/l.out" || echo "warning: lpar boot did not finish"
    q=$(best "$q" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
    l=$(best "$l" "$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')")
  done
  awk -v f=$fw -v c=$cpu -v q="$q" -v l="$l" 'BEGIN { printf "%-6s %-8s %10.2f %10.2f %7.2fx\n", f, c, q, l, l / q }'
done
