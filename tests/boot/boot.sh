#!/usr/bin/env bash
# Boot Debian's kernel (scripts/fetch-guests.sh) under lpar -M pseries,vof=on
# (or through SLOF: scenario slof)
# with a busybox initramfs whose init runs one test scenario, and check the
# console and lpar's exit status.
# usage: boot.sh LPAR CPU SCENARIO GUEST_DIR
#   GUEST_DIR: the cross-compiled test programs (int_ops.power8...)
# Scenarios:
#   compute   run a project program in the guest; its output must match
#             qemu-ppc64le's; power off -> lpar exits 0
#   sigill    POWER7: busybox needs POWER8 instructions, init gets SIGILL,
#             the kernel panics, ibm,os-term -> lpar exits non-zero with a reason
#   resize    grow and shrink the HPT through debugfs; an order the machine
#             refuses fails cleanly in the guest
#   shell     no command: the interactive shell reads commands from stdin
#   slof      -M pseries without vof=on: SLOF's banner, its boot of the
#             -kernel, Linux's prom_init through it, the init runs a command;
#             power off -> lpar exits 0
#   virtio    -M pseries (SLOF) with -drive if=virtio: SLOF finds the
#             virtio-blk on the PCI host bridge, Linux (virtio modules from
#             the kernel package) reads the image's first bytes and writes a
#             sector the host then finds in the file
#   virtio-vof -M pseries,vof=on with -drive if=virtio: no firmware; the PHB
#             places the BARs and writes the device node, Linux reads and
#             writes the image (MSI-X)
#   net       -M pseries (SLOF) with -netdev user -device virtio-net-pci: the
#             guest gets its address by DHCP, pings the gateway, fetches a file
#             from an HTTP server on the host and receives data through hostfwd
#   disk      -M pseries (SLOF), no -kernel: a disk image (tests/boot/mkdisk.sh)
#             with GRUB in a PReP partition and the kernel, initramfs and
#             grub.cfg on ext2; SLOF boots GRUB, GRUB boots Linux, Linux
#             mounts the ext2 and writes a file; a second boot reads it back
#   slof970   -cpu 970, no -kernel: SLOF in RMO real mode from the RMA prints
#             its banner and reaches its prompt ('s' typed), where power-off
#             ends the run; --kvm-rma-count 0 is refused naming the RMA
#   virtio-ci SLOF tries to boot a virtio disk twice with -d hv: its
#             H_LOGICAL_CI_* served in the hypervisor by default, all left to
#             the machine with --kvm-logical-ci=off; then the virtio Linux
#             boot with --kvm-logical-ci=off still reads the disk
#   reboot    vof=on and SLOF, -smp 2: reboot once, the second boot finds the
#             first boot's disk write and powers off -> 0; -no-reboot -> 0
#   smc       a Linux process rewrites a function through one mapping of a
#             page and runs it through another, 2000 times
#   smp       -smp 2 and 4, vof=on and SLOF: every CPU comes up (RTAS
#             start-cpu) and runs a program; power off -> lpar exits 0
# Exit 77 (skipped) when the guests have not been fetched.
set -u
lpar=$1 cpu=$2 scenario=$3 guest_dir=$4
top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LPAR_GUEST_CACHE:-$top/.cache/guests}
if [ ! -f "$cache/vmlinux" ] || [ ! -f "$cache/busybox" ]; then
  echo "guests not fetched (scripts/fetch-guests.sh): skipped"; exit 77
fi
# First line: the kernel met, so a failure after a Debian update names it.
echo "guest kernel: $(cat "$cache/kernel-version" 2>/dev/null || echo "unrecorded (run scripts/fetch-guests.sh)")"
# compute-jit: the compute scenario with the LLVM tier compiling every block
# entered 2000 times (docs/jit.md); the output must still equal QEMU's.
if [ "$scenario" = compute-jit ]; then
  export LPAR_JIT=on LPAR_JIT_THRESHOLD=${LPAR_JIT_THRESHOLD:-2000}
  scenario=compute
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
prog=$guest_dir/int_ops.power8
extra=()
[ -f "$prog" ] && extra=(--add "bin/int_ops=$prog")
python3 "$top/scripts/mkinitramfs.py" --busybox "$cache/busybox" --init "$top/tests/boot/init.sh" \
  "${extra[@]}" -o "$tmp/initrd.gz" || exit 1

machine=${LPAR_BOOT_MACHINE:-pseries,vof=on}
run() {  # run lpar with the command line's lpar.run= part; console in $tmp/out
  "$lpar" -M "$machine" -cpu "$cpu" -m 1G -nographic -kernel "$cache/vmlinux" \
    -initrd "$tmp/initrd.gz" -append "console=hvc0 quiet lpar.run=\"$1\"" --timeout 600 "${@:2}" \
    >"$tmp/out" 2>"$tmp/err" </dev/null
}
fail() { echo "FAIL: $*"; echo "--- console (tail)"; tail -40 "$tmp/out" 2>/dev/null; echo "--- stderr"; cat "$tmp/err" 2>/dev/null; exit 1; }
# kernel_prints TEXT: the checks below read some of the kernel's own console
# lines; before relying on one, find its text in this kernel's image, so a
# Debian update that rewords it fails here with its name, not as a missing
# line after a 600 s boot.
kernel_prints() {
  grep -qaF -- "$1" "$cache/vmlinux" || fail "the guest kernel ($(cat "$cache/kernel-version" 2>/dev/null)) has no '$1' text: update the test"
}
# mods_initrd "MODS" INIT OUT: an initramfs with INIT and the kernel
# package's modules MODS (the leaves: what the test uses) with all they
# depend on, resolved from the modules' own 'depends' (scripts/kmods.py);
# the init loads them in order (/etc/modules-order). Skips the test (77)
# when the module tree or slof.bin is missing.
mods_initrd() {
  local m adds=()
  [ -f "$cache/slof.bin" ] && [ -d "$cache/modules" ] || { echo "no slof.bin or kernel modules (scripts/fetch-guests.sh): skipped"; exit 77; }
  for m in $1; do adds+=(--module "$m"); done
  python3 "$top/scripts/mkinitramfs.py" --busybox "$cache/busybox" --init "$2" \
    --modules-from "$cache/modules" "${adds[@]}" -o "$3" || fail "cannot build the initramfs with modules: $1"
}
VIRTIO_MODS="virtio_pci"  # the PCI transport; each test adds its device's driver
# wait_console PID REGEX: until the console shows REGEX, lpar (PID, in the
# background) ends, or 600 s pass.
wait_console() {
  for _ in $(seq 600); do
    grep -q "$2" "$tmp/out" 2>/dev/null && return
    kill -0 "$1" 2>/dev/null || return
    sleep 1
  done
}
# disk_rw_boot "EXTRA_CMD" LPAR_ARGS...: boot with the virtio-blk modules and
# a 1 MiB image (magic at 0) as -drive; the guest reads the magic, writes
# sector 8, lists its virtio interrupts and runs EXTRA_CMD; checks the exit,
# the read, the write (in the guest and in the image) and that the queue
# interrupts are MSI-X vectors (Linux asks RTAS ibm,change-msi, LoPAPR
# 7.3.10.5).  Leaves the console in $out.
disk_rw_boot() {
  kernel_prints "pSeries-PCI-MSI"
  mods="$VIRTIO_MODS virtio_blk"
  mods_initrd "$mods" "$top/tests/boot/init.sh" "$tmp/initrd.gz"
  python3 -c "import sys; d=bytearray(1<<20); d[:16]=b'LPAR-DISK-MAGIC!'; open(sys.argv[1],'wb').write(d)" "$tmp/disk.img"
  LPAR_SLOF=$cache/slof.bin run "mount -t devtmpfs dev /dev; echo disk:\$(head -c 16 /dev/vda); echo written-by-guest | dd of=/dev/vda bs=512 seek=8 conv=fsync 2>/dev/null; echo dd status \$?; grep virtio /proc/interrupts; $1" \
    -drive "file=$tmp/disk.img,if=virtio,format=raw" --expect "lpar-init: up" "${@:2}"; rc=$?
  [ "$rc" = 0 ] || fail "lpar exited $rc"
  out=$(tr -d '\r' <"$tmp/out")
  grep -q "^insmod-fail" <<<"$out" && fail "a virtio module did not load"
  grep -q "^disk:LPAR-DISK-MAGIC!" <<<"$out" || fail "the guest did not read the image"
  grep -q "^dd status 0" <<<"$out" || fail "the guest's write failed"
  grep -Eq '^ *[0-9]+: +[1-9][0-9]* +pSeries-PCI-MSI +[0-9]+ +Edge +virtio0-req\.0$' <<<"$out" ||
    fail "virtio-blk's queue interrupts do not come through MSI-X"
  [ "$(dd if="$tmp/disk.img" bs=512 skip=8 count=1 2>/dev/null | head -c 16)" = "written-by-guest" ] ||
    fail "the guest's write is not in the image"
}
# init_head FILE: the start of a scenario's own init (for commands that
# cannot travel as lpar.run=): the test init up to its "up" line (busybox,
# /proc, /sys, the modules); the scenario appends its commands.
init_head() {
  sed '/^echo "lpar-init: up"$/q' "$top/tests/boot/init.sh" >"$1"
  grep -q 'lpar-init: up' "$1" || fail "tests/boot/init.sh has no 'lpar-init: up' line"
}

case $scenario in
  compute)
    [ -f "$prog" ] || { echo "no $prog: skipped"; exit 77; }
    run "echo BEGIN; /bin/int_ops; echo END status \$?" --expect "lpar-init: up"; rc=$?
    [ "$rc" = 0 ] || fail "lpar exited $rc"
    qemu-ppc64le -cpu power8 "$prog" >"$tmp/want"
    echo "END status $?" >>"$tmp/want"
    tr -d '\r' <"$tmp/out" | sed -n '/^BEGIN$/,/^END status/p' | sed 1d >"$tmp/got"
    cmp -s "$tmp/want" "$tmp/got" || { diff "$tmp/want" "$tmp/got" | head -20; fail "guest output differs from qemu-ppc64le"; }
    echo "PASS: $(wc -l <"$tmp/want") lines and exit status identical to qemu-ppc64le, lpar exit 0 ($cpu)"
    ;;
  smc)
    # Self-modifying code through a second mapping in a Linux process: the
    # page is written through one effective address and run through another
    # (cpu/interp.h: blocks keyed by real page); the guest checks every round.
    smc=$guest_dir/smc_alias.power8
    [ -f "$smc" ] || { echo "no $smc: skipped"; exit 77; }
    python3 "$top/scripts/mkinitramfs.py" --busybox "$cache/busybox" --init "$top/tests/boot/init.sh" \
      --add "bin/smc_alias=$smc" -o "$tmp/initrd.gz" || exit 1
    run "/bin/smc_alias; echo smc status \$?" --expect "lpar-init: up"; rc=$?
    [ "$rc" = 0 ] || fail "lpar exited $rc"
    out=$(tr -d '\r' <"$tmp/out")
    grep -q "^smc_alias: ok" <<<"$out" && grep -q "^smc status 0" <<<"$out" || fail "the guest ran stale code"
    echo "PASS: a Linux process rewrote its code through a second mapping 2000 times and ran each version ($cpu)"
    ;;
  sigill)
    kernel_prints "Attempted to kill init! exitcode=0x%08x"
    run "echo ran-\$((6*7))"; rc=$?
    [ "$rc" != 0 ] || fail "lpar exited 0"
    grep -q "Attempted to kill init! exitcode=0x00000004" "$tmp/out" || fail "no SIGILL panic of init"
    grep -q "ibm,os-term" "$tmp/err" || fail "no one-line os-term reason on stderr"
    grep -q "ran-42" "$tmp/out" && fail "init ran"
    echo "PASS: init killed by SIGILL on $cpu, lpar exit $rc: $(cat "$tmp/err")"
    ;;
  resize)
    run "d=/sys/kernel/debug/powerpc/hpt_order; echo order \$(cat \$d); echo 24 >\$d && echo up ok \$(cat \$d); echo 22 >\$d && echo down ok \$(cat \$d); echo 28 >\$d || echo refused \$(cat \$d); echo alive \$((6*7))"; rc=$?
    [ "$rc" = 0 ] || fail "lpar exited $rc"
    out=$(tr -d '\r' <"$tmp/out")
    grep -q "^order 23" <<<"$out" || fail "initial order is not 23"
    grep -q "^up ok 24" <<<"$out" || fail "grow to 24 failed"
    grep -q "^down ok 22" <<<"$out" || fail "shrink to 22 failed"
    grep -q "^refused 22" <<<"$out" || fail "order 28 was not refused cleanly"
    grep -q "^alive 42" <<<"$out" || fail "guest did not keep running"
    echo "PASS: HPT 23 -> 24 -> 22, 28 refused, guest alive ($cpu)"
    ;;
  shell)
    printf 'echo typed-$((6*7))\nuname -m\npoweroff -f\n' >"$tmp/in"
    "$lpar" -M pseries,vof=on -cpu "$cpu" -m 1G -nographic -kernel "$cache/vmlinux" \
      -initrd "$tmp/initrd.gz" -append "console=hvc0 quiet" --timeout 600 <"$tmp/in" >"$tmp/out" 2>"$tmp/err"; rc=$?
    [ "$rc" = 0 ] || fail "lpar exited $rc"
    grep -q "typed-42" "$tmp/out" || fail "typed command did not run"
    echo "PASS: stdin reached the guest's shell ($cpu)"
    ;;
  slof)
    [ -f "$cache/slof.bin" ] || { echo "no $cache/slof.bin: skipped"; exit 77; }
    machine=pseries
    kernel_prints "Calling ibm,client-architecture-support..."
    LPAR_SLOF=$cache/slof.bin run "echo slof-\$((6*7))" --expect "SLOF" \
      --expect "Booting Linux via __start()" --expect "lpar-init: up"; rc=$?
    [ "$rc" = 0 ] || fail "lpar exited $rc"
    out=$(tr -d '\r' <"$tmp/out")
    grep -q "Calling ibm,client-architecture-support... done" <<<"$out" || fail "CAS through SLOF failed"
    grep -q "^slof-42" <<<"$out" || fail "the init's command did not run"
    echo "PASS: SLOF booted the kernel, init ran, lpar exit 0 ($cpu)"
    ;;
  virtio)
    machine=pseries
    disk_rw_boot "" --expect "virtio [ block ]"
    # SIGTERM while the guest runs: a write that completed in the guest
    # (O_DIRECT, no flush) must be in the image after lpar's clean exit.
    LPAR_SLOF=$cache/slof.bin "$lpar" -M pseries -cpu "$cpu" -m 1G -nographic -kernel "$cache/vmlinux" -initrd "$tmp/initrd.gz" \
      -append "console=hvc0 quiet lpar.run=\"mount -t devtmpfs dev /dev; echo sigterm-marker | dd of=/dev/vda bs=512 seek=16 conv=sync oflag=direct 2>/dev/null; echo wrote \$?; sleep 3600\"" \
      -drive "file=$tmp/disk.img,if=virtio,format=raw" --timeout 600 >"$tmp/out" 2>"$tmp/err" </dev/null &
    lpar_pid=$!
    wait_console $lpar_pid "^wrote"
    kill -TERM $lpar_pid
    wait $lpar_pid; rc=$?
    grep -q "^wrote 0" <(tr -d '\r' <"$tmp/out") || fail "the guest's direct write failed"
    [ "$rc" = 0 ] || fail "SIGTERM: lpar exited $rc"
    [ "$(dd if="$tmp/disk.img" bs=512 skip=16 count=1 2>/dev/null | head -c 14)" = "sigterm-marker" ] ||
      fail "the write done before SIGTERM is not in the image"
    echo "PASS: SLOF saw virtio-blk, Linux read and wrote the image (MSI-X), a write before SIGTERM is in it ($cpu)"
    ;;
  virtio-vof)
    # The virtio scenario without firmware: the PHB places the BARs and
    # writes the device node itself (src/pci/enumerate.h); Linux builds the
    # device from the node, reads and writes the image, and uses MSI-X.
    machine=pseries,vof=on
    disk_rw_boot "ls /proc/device-tree/pci@800000020000000 | grep @ | sed 's/^/dt:/'"
    grep -q "^dt:pci1af4,1042@0$" <<<"$out" || fail "no device node for the virtio-blk function"
    echo "PASS: vof=on: the PHB enumerated virtio-blk, Linux read and wrote the image (MSI-X) ($cpu)"
    ;;
  net)
    # -netdev user + -device virtio-net-pci: DHCP from libslirp, a ping of the
    # gateway, an HTTP fetch from a server on the host's loopback (10.0.2.2),
    # and a hostfwd connection from the host into the guest.
    free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
    http_port=$(free_port) fwd_port=$(free_port)
    mkdir "$tmp/www"; echo "lpar-net-payload-$$" >"$tmp/www/hello.txt"
    python3 -m http.server "$http_port" --bind 127.0.0.1 --directory "$tmp/www" >/dev/null 2>&1 &
    http_pid=$!
    trap 'kill $http_pid 2>/dev/null; rm -rf "$tmp"' EXIT
    kernel_prints "pSeries-PCI-MSI"
    mods="$VIRTIO_MODS virtio_net"
    init_head "$tmp/init"
    cat >>"$tmp/init" <<INIT
printf '#!/bin/sh\n[ "\$1" = bound ] && ip addr add \$ip/\$mask dev \$interface && ip route add default via \$router\nexit 0\n' >/bin/dhcp.sh
chmod +x /bin/dhcp.sh
echo mac:\$(cat /sys/class/net/eth0/address)
ip link set lo up; ip link set eth0 up
udhcpc -i eth0 -n -q -t 10 -T 1 -s /bin/dhcp.sh >/dev/null 2>&1; echo dhcp status \$?
echo addr:\$(ip -4 addr show eth0 | sed -n 's/.*inet \([0-9./]*\).*/\1/p')
ping -c 2 -W 5 10.0.2.2 >/dev/null 2>&1; echo ping status \$?
# (busybox 1.35's wget -T crashes, under qemu-ppc64le too)
echo http:\$(wget -q -O - http://10.0.2.2:$http_port/hello.txt)
nc -l -p 7777 >/tmp/got & ncpid=\$!
(sleep 120; kill \$ncpid 2>/dev/null) &
sleep 1; echo nc-listening
wait \$ncpid; echo got:\$(cat /tmp/got)
grep -i virtio /proc/interrupts | sed 's/^/irq:/'
poweroff -f
INIT
    mods_initrd "$mods" "$tmp/init" "$tmp/initrd.gz"
    LPAR_SLOF=$cache/slof.bin "$lpar" -M pseries -cpu "$cpu" -m 1G -nographic -kernel "$cache/vmlinux" \
      -initrd "$tmp/initrd.gz" -append "console=hvc0 quiet" --timeout 600 \
      -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$fwd_port-:7777" -device virtio-net-pci,netdev=n0,mac=52:54:00:ab:cd:ef \
      --expect "lpar-init: up" >"$tmp/out" 2>"$tmp/err" </dev/null &
    lpar_pid=$!
    wait_console $lpar_pid "nc-listening"
    grep -q "nc-listening" "$tmp/out" &&
      python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=30)
s.sendall(b"hello-from-host\n")
s.close()' "$fwd_port"
    wait $lpar_pid; rc=$?
    [ "$rc" = 0 ] || fail "lpar exited $rc"
    out=$(tr -d '\r' <"$tmp/out")
    grep -q "^insmod-fail" <<<"$out" && fail "a module did not load"
    grep -q "^mac:52:54:00:ab:cd:ef" <<<"$out" || fail "the guest does not see the -device mac"
    grep -q "^dhcp status 0" <<<"$out" || fail "DHCP failed"
    grep -q "^addr:10.0.2.15/24" <<<"$out" || fail "the guest did not get 10.0.2.15/24"
    grep -q "^ping status 0" <<<"$out" || fail "no ping reply from the gateway"
    grep -q "^http:lpar-net-payload-$$" <<<"$out" || fail "the guest did not fetch the host's file"
    grep -q "^got:hello-from-host" <<<"$out" || fail "hostfwd: the host's data did not reach the guest"
    grep -Eq '^irq: *[0-9]+: +[1-9][0-9]* +pSeries-PCI-MSI +[0-9]+ +Edge +virtio0-input\.0$' <<<"$out" ||
      fail "virtio-net's receive interrupts do not come through MSI-X"
    # Bad network options are one-line errors.
    for bad in "-netdev user" "-netdev tap,id=t0 -device virtio-net-pci,netdev=t0" \
               "-device virtio-net-pci,netdev=nope" "-netdev user,id=n0,hostfwd=tcp::x-:22 -device virtio-net-pci,netdev=n0" \
               "-nic user,model=e1000" "-device virtio-net-pci,netdev=n0,mac=01:00:00:00:00:00 -netdev user,id=n0"; do
      # shellcheck disable=SC2086
      "$lpar" -M pseries -cpu "$cpu" -nographic $bad >"$tmp/o2" 2>"$tmp/e2" </dev/null; r=$?
      [ "$r" != 0 ] || fail "'$bad' exited 0"
      [ "$(wc -l <"$tmp/e2")" = 1 ] && grep -q "^lpar: " "$tmp/e2" || fail "'$bad': not a one-line error"
    done
    echo "PASS: virtio-net (MSI-X): DHCP 10.0.2.15/24, ping 10.0.2.2, HTTP from the host, hostfwd into the guest ($cpu)"
    ;;
  disk)
    [ -f "$cache/grub-ieee1275/kernel.img" ] || { echo "no grub-ieee1275 (scripts/fetch-guests.sh): skipped"; exit 77; }
    for t in grub-mkimage mke2fs sfdisk debugfs; do
      command -v "$t" >/dev/null || { echo "no $t (scripts/setup-deps.sh): skipped"; exit 77; }
    done
    # ext4 mounts ext2 (CONFIG_EXT4_USE_FOR_EXT2); its mount wants the crc32c
    # algorithm even for ext2, a soft dependency named here (the generic one:
    # crc32c is an alias of it and of crc32c-vpmsum)
    mods="$VIRTIO_MODS virtio_blk ext4 crc32c_generic"
    mkdir -p "$tmp/root/boot/grub"
    # GRUB 2.06 backslash-escapes every double quote of a linux argument, so
    # lpar.run="..." cannot pass through it: this scenario's init carries its
    # command itself. The first boot writes /lpar-marker, the second finds it;
    # both read grub.cfg back through Linux's ext2.
    init_head "$tmp/init"
    cat >>"$tmp/init" <<EOF
mount -t devtmpfs dev /dev
mkdir /mnt
mount -t ext2 /dev/vda2 /mnt || echo mount-fail
echo cfg:\$(head -1 /mnt/boot/grub/grub.cfg)
if [ -f /mnt/lpar-marker ]; then echo found:\$(cat /mnt/lpar-marker)
else echo lpar-marker-\$((6*7)) >/mnt/lpar-marker; echo wrote \$?; fi
umount /mnt
echo umount status \$?
poweroff -f
EOF
    mods_initrd "$mods" "$tmp/init" "$tmp/root/boot/initrd.gz"
    cp "$cache/vmlinux" "$tmp/root/boot/vmlinux"
    printf '%s\n' "# lpar disk boot" "set timeout=0" "echo lpar-grub: loading Linux" \
      "linux /boot/vmlinux console=hvc0 quiet" "initrd /boot/initrd.gz" "boot" >"$tmp/root/boot/grub/grub.cfg"
    "$top/tests/boot/mkdisk.sh" "$cache/grub-ieee1275" "$tmp/root" "$tmp/disk.img" || fail "mkdisk.sh failed"
    rm -rf "$tmp/root"
    boot_disk() {  # console in $tmp/out
      LPAR_SLOF=$cache/slof.bin "$lpar" -M pseries -cpu "$cpu" -m 1G -nographic \
        -drive "file=$tmp/disk.img,if=virtio,format=raw" --timeout 300 \
        --expect "lpar-grub: loading Linux" --expect "lpar-init: up" >"$tmp/out" 2>"$tmp/err" </dev/null
    }
    # SLOF or GRUB not getting to Linux is an emulator gap to fix, not a test
    # failure yet: skip with the console's evidence.
    not_booted() {
      if ! grep -q "lpar-init: up" "$tmp/out"; then
        echo "disk boot did not reach Linux ($1): skipped"; echo "--- console (tail)"
        tr -d '\r' <"$tmp/out" | grep -v '^virtioblk_transfer failed' | tail -25
        grep -m1 '^virtioblk_transfer failed' "$tmp/out"; echo "--- stderr"; cat "$tmp/err"; exit 77
      fi
    }
    boot_disk; rc=$?
    not_booted "first boot"
    [ "$rc" = 0 ] || fail "first boot: lpar exited $rc"
    out=$(tr -d '\r' <"$tmp/out")
    grep -q "^insmod-fail" <<<"$out" && fail "a module did not load"
    grep -q "^mount-fail" <<<"$out" && fail "the guest could not mount the ext2 partition"
    grep -q "^cfg:# lpar disk boot" <<<"$out" || fail "the guest did not read grub.cfg"
    grep -q "^wrote 0" <<<"$out" || fail "the guest did not write its marker"
    grep -q "^umount status 0" <<<"$out" || fail "umount failed"
    p2=$(sfdisk -d "$tmp/disk.img" | sed -n 's/^.*disk\.img2 : start= *\([0-9]*\),.*/\1/p')
    [ -n "$p2" ] || fail "no second partition in the image"
    dd if="$tmp/disk.img" of="$tmp/p2.img" bs=512 skip="$p2" status=none
    [ "$(debugfs -R "cat /lpar-marker" "$tmp/p2.img" 2>/dev/null)" = "lpar-marker-42" ] ||
      fail "the marker is not in the image's ext2"
    boot_disk; rc=$?
    not_booted "second boot"
    [ "$rc" = 0 ] || fail "second boot: lpar exited $rc"
    grep -q "^found:lpar-marker-42" <(tr -d '\r' <"$tmp/out") || fail "the second boot did not find the marker"
    echo "PASS: SLOF -> GRUB (PReP) -> Linux from ext2; the file written survived power-off and a second boot ($cpu)"
    ;;
  slof970)
    [ -f "$cache/slof.bin" ] || { echo "no $cache/slof.bin: skipped"; exit 77; }
    # 's' skips SLOF's boot attempt; at the prompt power-off ends the run (RTAS).
    printf 's\rpower-off\r' >"$tmp/in"
    LPAR_SLOF=$cache/slof.bin "$lpar" -M pseries -cpu "$cpu" -m 512M -nographic --timeout 300 \
      --expect "SLOF" --expect "Welcome to Open Firmware" <"$tmp/in" >"$tmp/out" 2>"$tmp/err"; rc=$?
    # --expect is only checked on status 0: a timeout is judged by the console.
    [ "$rc" = 0 ] || [ "$rc" = 124 ] || fail "lpar exited $rc"
    out=$(tr -d '\r' <"$tmp/out")
    grep -q "SLOF" <<<"$out" || fail "no SLOF banner"
    grep -q "Welcome to Open Firmware" <<<"$out" || fail "SLOF did not finish its start-up"
    grep -q "0 > " <<<"$out" || fail "no SLOF prompt"
    [ "$rc" = 0 ] || fail "SLOF's power-off did not end the run (exit $rc)"
    LPAR_SLOF=$cache/slof.bin "$lpar" -M pseries -cpu "$cpu" -m 512M -nographic --kvm-rma-count 0 \
      </dev/null >"$tmp/out2" 2>"$tmp/err2"; rc2=$?
    [ "$rc2" != 0 ] || fail "--kvm-rma-count 0: exit 0"
    [ "$(wc -l <"$tmp/err2")" = 1 ] && grep -q "^lpar: .*RMA" "$tmp/err2" || fail "--kvm-rma-count 0: not a one-line RMA error"
    echo "PASS: SLOF banner and prompt in RMO real mode, power-off -> exit 0; no RMA -> $(cat "$tmp/err2") ($cpu)"
    ;;
  virtio-ci)
    [ -f "$cache/slof.bin" ] || { echo "no slof.bin: skipped"; exit 77; }
    python3 -c "import sys; d=bytearray(1<<20); d[:16]=b'LPAR-DISK-MAGIC!'; open(sys.argv[1],'wb').write(d)" "$tmp/disk.img"
    # SLOF's own disk IO: no -kernel, so it tries to boot the virtio disk (an
    # image without a boot partition), fails over to its prompt ('\r' lets
    # the boot go on) and power-off ends the run.  The -d hv line at exit
    # gives N served in the hypervisor and M exits.
    counts() { sed -n 's/.*hv: \([0-9]*\) H_LOGICAL_CI served in the hypervisor, \([0-9]*\) exits.*/\1 \2/p' "$1" | tail -1; }
    printf '\rpower-off\r' >"$tmp/in"
    for mode in on off; do
      LPAR_SLOF=$cache/slof.bin "$lpar" -M pseries -cpu "$cpu" -m 1G -nographic --timeout 300 \
        -drive "file=$tmp/disk.img,if=virtio,format=raw" --kvm-logical-ci="$mode" -d hv -D "$tmp/log-$mode" \
        --expect "virtio [ block ]" --expect "Trying to load:  from: /pci@" --expect "0 > " \
        <"$tmp/in" >"$tmp/out" 2>"$tmp/err"; rc=$?
      [ "$rc" = 0 ] || fail "--kvm-logical-ci=$mode: SLOF's disk boot attempt: lpar exited $rc"
      read -r served exits <<<"$(counts "$tmp/log-$mode")"
      [ -n "$served" ] || { cat "$tmp/log-$mode"; fail "--kvm-logical-ci=$mode: no counter line in the -d hv log"; }
      eval "served_$mode=$served exits_$mode=$exits"
    done
    # shellcheck disable=SC2154
    { [ "$served_on" -gt 0 ] && [ "$served_off" = 0 ] && [ "$exits_off" -gt 0 ]; } ||
      fail "H_LOGICAL_CI counters: on: $served_on served, $exits_on exits; off: $served_off served, $exits_off exits"
    # Linux from the virtio scenario with everything left to the machine
    # (the virtio scenario itself runs with the default).
    mods="$VIRTIO_MODS virtio_blk"
    mods_initrd "$mods" "$top/tests/boot/init.sh" "$tmp/initrd.gz"
    machine=pseries
    LPAR_SLOF=$cache/slof.bin run "mount -t devtmpfs dev /dev; echo disk:\$(head -c 16 /dev/vda)" \
      -drive "file=$tmp/disk.img,if=virtio,format=raw" --kvm-logical-ci=off \
      --expect "virtio [ block ]" --expect "lpar-init: up"; rc=$?
    [ "$rc" = 0 ] || fail "--kvm-logical-ci=off: Linux boot: lpar exited $rc"
    grep -q "^disk:LPAR-DISK-MAGIC!" <(tr -d '\r' <"$tmp/out") || fail "--kvm-logical-ci=off: the guest did not read the image"
    echo "PASS: SLOF's H_LOGICAL_CI: $served_on served in hv, $exits_on exits (default); $served_off in hv, $exits_off exits (off); Linux read the disk with off ($cpu)"
    ;;
  smp)
    # -smp 2 and 4, built-in client interface and SLOF: Linux brings every
    # CPU up (RTAS start-cpu) and a program runs on each; power-off ends lpar with 0
    [ -f "$cache/slof.bin" ] || { echo "no $cache/slof.bin: skipped"; exit 77; }
    kernel_prints "Brought up %d node%s, %d CPU%s"
    for n in 2 4; do
      for machine in pseries,vof=on pseries; do
        LPAR_SLOF=$cache/slof.bin run "cat /sys/devices/system/cpu/online; grep -c ^processor /proc/cpuinfo; dmesg | grep 'smp: Brought up'; for c in \$(seq 0 $((n - 1))); do echo cpu\$c ran-on \$(taskset -c \$c cat /proc/self/stat | cut -d' ' -f39); done" \
          -smp "$n" --expect "lpar-init: up"; rc=$?
        [ "$rc" = 0 ] || fail "-M $machine -smp $n: lpar exited $rc"
        out=$(tr -d '\r' <"$tmp/out")
        grep -q "^0-$((n - 1))\$" <<<"$out" || fail "-M $machine -smp $n: /sys/devices/system/cpu/online is not 0-$((n - 1))"
        grep -q "^$n\$" <<<"$out" || fail "-M $machine -smp $n: /proc/cpuinfo does not list $n processors"
        grep -q "smp: Brought up 1 node, $n CPUs" <<<"$out" || fail "-M $machine -smp $n: no 'Brought up 1 node, $n CPUs'"
        for c in $(seq 0 $((n - 1))); do
          grep -q "^cpu$c ran-on $c\$" <<<"$out" || fail "-M $machine -smp $n: nothing ran on CPU $c"
        done
      done
    done
    echo "PASS: -smp 2 and 4 with vof=on and SLOF: every CPU online and running a program, lpar exit 0 ($cpu)"
    ;;
  reboot)
    # RTAS system-reboot (busybox reboot -f): the machine resets and boots
    # the same kernel, initrd and command line again, vof=on and SLOF, with
    # -smp 2 (the secondary is stopped again and started again); the virtio
    # disk keeps what the first boot wrote, so the second boot finds it and
    # powers off -> lpar exits 0.  With -no-reboot the reboot ends lpar with 0.
    mods="$VIRTIO_MODS virtio_blk"
    mods_initrd "$mods" "$top/tests/boot/init.sh" "$tmp/initrd.gz"
    cmd="mount -t devtmpfs dev /dev; b=\$(head -c 6 /dev/vda); echo found \$b on \$(grep -c ^processor /proc/cpuinfo) cpus; case \$b in boot-0) echo boot-1 | dd of=/dev/vda conv=fsync 2>/dev/null; echo rebooting; reboot -f;; esac"
    for machine in pseries,vof=on pseries; do
      python3 -c "import sys; d=bytearray(1<<20); d[:6]=b'boot-0'; open(sys.argv[1],'wb').write(d)" "$tmp/disk.img"
      LPAR_SLOF=$cache/slof.bin run "$cmd" -smp 2 -drive "file=$tmp/disk.img,if=virtio,format=raw"; rc=$?
      [ "$rc" = 0 ] || fail "-M $machine: lpar exited $rc"
      out=$(tr -d '\r' <"$tmp/out")
      grep -q "^insmod-fail" <<<"$out" && fail "-M $machine: a virtio module did not load"
      [ "$(grep -c '^lpar-init: up' <<<"$out")" = 2 ] || fail "-M $machine: the init did not come up twice"
      [ "$(grep '^found ' <<<"$out" | tr '\n' ' ')" = "found boot-0 on 2 cpus found boot-1 on 2 cpus " ] ||
        fail "-M $machine: the second boot did not find the first boot's write (or a CPU is missing)"
      python3 -c "import sys; d=bytearray(1<<20); d[:6]=b'boot-0'; open(sys.argv[1],'wb').write(d)" "$tmp/disk.img"
      LPAR_SLOF=$cache/slof.bin run "$cmd" -no-reboot -drive "file=$tmp/disk.img,if=virtio,format=raw"; rc=$?
      [ "$rc" = 0 ] || fail "-M $machine -no-reboot: lpar exited $rc"
      out=$(tr -d '\r' <"$tmp/out")
      grep -q "^rebooting" <<<"$out" || fail "-M $machine -no-reboot: the guest did not reboot"
      [ "$(grep -c '^lpar-init: up' <<<"$out")" = 1 ] || fail "-M $machine -no-reboot: the guest booted again"
      [ "$(head -c 6 "$tmp/disk.img")" = boot-1 ] || fail "-M $machine -no-reboot: the write is not in the image"
    done
    echo "PASS: reboot with vof=on and SLOF (-smp 2): the second boot found the first boot's disk write, lpar exit 0; -no-reboot: exit 0 at the reboot ($cpu)"
    ;;
  options)
    # CI options and user errors: --timeout ends a run with 124, a missing
    # --expect text fails the run, dumpdtb writes a tree and exits, bad input
    # is one line and a non-zero status.
    kernel=(-cpu "$cpu" -m 1G -nographic -kernel "$cache/vmlinux" -initrd "$tmp/initrd.gz")
    "$lpar" -M "$machine" "${kernel[@]}" -append "console=hvc0 quiet" --timeout 2 </dev/null >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" = 124 ] || fail "--timeout 2: exit $rc, not 124"
    grep -q "timeout" "$tmp/err" || fail "--timeout: no reason on stderr"
    "$lpar" -M "$machine" "${kernel[@]}" -append "console=hvc0 quiet lpar.run=\"echo hi\"" \
      --expect "lpar-init: up" --expect "text-that-never-appears" </dev/null >"$tmp/out" 2>"$tmp/err"
    rc=$?
    [ "$rc" = 1 ] || fail "missing --expect text: exit $rc, not 1"
    grep -q 'expected console output not seen: "text-that-never-appears"' "$tmp/err" || fail "--expect: no reason"
    "$lpar" -M "$machine,dumpdtb=$tmp/t.dtb" -cpu "$cpu" >"$tmp/out" 2>"$tmp/err" || fail "dumpdtb failed"
    [ "$(head -c4 "$tmp/t.dtb" | od -An -tx1 | tr -d ' \n')" = d00dfeed ] || fail "dumpdtb: not a DTB"
    # QEMU's long spellings: -machine, -display none, -vga none
    "$lpar" -machine "$machine,dumpdtb=$tmp/t2.dtb" -cpu "$cpu" -display none -vga none >"$tmp/out" 2>"$tmp/err" ||
      fail "-machine ... -display none -vga none failed: $(cat "$tmp/err")"
    cmp -s "$tmp/t.dtb" "$tmp/t2.dtb" || fail "-machine gave another tree than -M"
    # SIGTERM ends a run cleanly, as QEMU's "terminating on signal 15".
    "$lpar" -M "$machine" "${kernel[@]}" -append "console=hvc0 quiet" --timeout 600 </dev/null >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    sleep 3
    kill -TERM "$pid"
    wait "$pid"; rc=$?
    [ "$rc" = 0 ] || fail "SIGTERM: exit $rc, not 0"
    grep -q "terminating on signal 15" "$tmp/err" || fail "SIGTERM: no message"
    for bad in "-M pseries,vof=maybe" "-M pseries,vof=on -cpu POWER5" "-M pseries,vof=on -m 12Q" \
               "-M pseries,vof=on -kernel $tmp/none" "-M pseries,vof=on --no-such-option" \
               "-M pseries,vof=on -display gtk" "-M pseries,vof=on -smp 2,threads=2"; do
      # shellcheck disable=SC2086
      "$lpar" $bad >"$tmp/out" 2>"$tmp/err" </dev/null; rc=$?
      [ "$rc" != 0 ] || fail "'$bad' exited 0"
      [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "^lpar: " "$tmp/err" || fail "'$bad': not a one-line error"
    done
    echo "PASS: --timeout -> 124, missing --expect -> 1, dumpdtb, SIGTERM -> clean exit 0, seven bad command lines -> one-line errors ($cpu)"
    ;;
  clock)
    # The guest's clock (issue 15): by default the Time Base follows the host's
    # clock, so a guest `sleep 5` takes 5 s of wall time and the guest's
    # uptime advances with wall time (within 2%); -icount shift=0 counts
    # instructions instead, and two runs print byte-identical consoles.
    cmd='cat /proc/uptime; echo tick-1; sleep 5; echo tick-2; cat /proc/uptime'
    python3 - "$lpar" "$machine" "$cpu" "$cache/vmlinux" "$tmp/initrd.gz" "$cmd" >"$tmp/clock" 2>&1 <<'PY' ||
import subprocess, sys, time
lpar, machine, cpu, kernel, initrd, cmd = sys.argv[1:]
p = subprocess.Popen([lpar, "-M", machine, "-cpu", cpu, "-m", "1G", "-nographic", "-kernel", kernel, "-initrd", initrd,
                      "-append", 'console=hvc0 quiet lpar.run="%s"' % cmd, "--timeout", "600"],
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
host, lines = {}, []
for raw in p.stdout:
    line = raw.decode(errors="replace").strip()
    lines.append(line)
    if line in ("tick-1", "tick-2"):
        host[line] = time.monotonic()
p.wait()
up = [float(l.split()[0]) for l in lines if len(l.split()) == 2 and l.split()[0].replace(".", "").isdigit()]
if p.returncode != 0 or len(host) != 2 or len(up) != 2:
    sys.exit("run failed (status %d): %s" % (p.returncode, lines[-10:]))
h, g = host["tick-2"] - host["tick-1"], up[1] - up[0]
print("host %.3f s, guest uptime %.3f s" % (h, g))
if not (4.9 <= h <= 6.0):
    sys.exit("guest sleep 5 took %.3f s of wall time" % h)
if abs(g - h) > 0.02 * h:
    sys.exit("guest clock %.3f s against %.3f s of wall time (over 2%%)" % (g, h))
PY
      fail "default clock: $(cat "$tmp/clock")"
    echo "default clock: $(cat "$tmp/clock")"
    run 'cat /proc/uptime; echo det' -icount shift=0 || fail "-icount shift=0: exit $?"
    cp "$tmp/out" "$tmp/out1"
    run 'cat /proc/uptime; echo det' -icount shift=0 || fail "-icount shift=0 (second run): exit $?"
    grep -q '^det' "$tmp/out" || fail "-icount shift=0: the command did not run"
    cmp -s "$tmp/out1" "$tmp/out" || { diff "$tmp/out1" "$tmp/out" | head; fail "-icount shift=0: the two consoles differ"; }
    echo "PASS: a guest sleep 5 is 5 s of wall time and its uptime keeps wall time within 2%; -icount shift=0: two identical consoles ($cpu)"
    ;;
  *) echo "unknown scenario $scenario"; exit 2 ;;
esac
