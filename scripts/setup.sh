#!/usr/bin/env bash
# One command on a fresh Debian 12 machine: install what lpar needs, build it,
# fetch Debian's ppc64el kernel and busybox, and run lpar's main job: boot
# that kernel to a busybox shell under the embedded hypervisor (-M pseries).
# The shell is interactive on a terminal; `poweroff -f` ends it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-deps.sh
scripts/fetch-guests.sh
scripts/build.sh build
python3 scripts/mkinitramfs.py --busybox .cache/guests/busybox --init tests/boot/init.sh \
  --add bin/int_ops=build/guest/int_ops.power8 -o .cache/guests/initrd.gz
boot=(build/lpar -M pseries,vof=on -cpu POWER8 -m 1G -nographic -kernel .cache/guests/vmlinux
      -initrd .cache/guests/initrd.gz)
if [ -t 0 ]; then
  echo "== booting Debian's kernel to a busybox shell (type 'poweroff -f' to leave)"
  exec "${boot[@]}" -append "console=hvc0 quiet"
fi
# No terminal to type into: run a few commands in the guest and power off.
echo "== booting Debian's kernel; the guest runs commands and powers off"
exec "${boot[@]}" -append 'console=hvc0 quiet lpar.run="uname -a; cat /proc/cpuinfo | head -4; /bin/int_ops"'
