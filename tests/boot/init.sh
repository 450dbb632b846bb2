#!/bin/sh
# The test initramfs's init: mount the kernel's file systems, load the
# initramfs's modules, run the commands given on the kernel command line as
# lpar.run="..." (or an interactive shell on the console), then power off.
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# Modules the initramfs builder resolved, in dependency order (scripts/kmods.py)
[ -f /etc/modules-order ] && while read -r m; do insmod "/lib/modules/$m.ko" || echo "insmod-fail $m"; done </etc/modules-order
echo "lpar-init: up"
cmd=$(sed -n 's/.*lpar\.run="\([^"]*\)".*/\1/p' /proc/cmdline)
if [ -n "$cmd" ]; then
  sh -c "$cmd"
  echo "lpar-init: exit status $?"
else
  setsid cttyhack sh
fi
poweroff -f
