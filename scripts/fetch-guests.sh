#!/usr/bin/env bash
# Fetch the guests lpar boots (never committed): Debian's ppc64el kernel and
# busybox-static, and SLOF from qemu-system-data, into .cache/guests.
# apt-get runs with the ppc64el architecture set for these commands alone,
# against a private package list under the cache (the host's apt is untouched).
#   .cache/guests/vmlinux      Debian's linux-image-*-powerpc64le (ELF)
#   .cache/guests/busybox      busybox-static for ppc64el
#   .cache/guests/slof.bin     SLOF as Debian ships it
#   .cache/guests/grub-ieee1275/  GRUB's powerpc-ieee1275 modules
#                              (grub-ieee1275-bin), for grub-mkimage
#   .cache/guests/modules/lib/modules/VERSION/  the kernel package's modules,
#                              for the initramfs builder (scripts/kmods.py)
#   .cache/guests/kernel-version  "PACKAGE VERSION" of the kernel fetched:
#                              the record the boot tests print first
# The kernel is whatever linux-image-powerpc64le depends on today: Debian's
# current point release, not a pinned one; kernel-version says which it was.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${LPAR_GUEST_CACHE:-$top/.cache/guests}
apt_dir=$cache/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$cache/debs"

apt_opts=(-o APT::Architecture=ppc64el -o APT::Architectures::=ppc64el
          -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir"
          -o Debug::NoLocking=1 -o APT::Sandbox::User=root -q)

have_guests() { [ -f "$cache/vmlinux" ] && [ -f "$cache/busybox" ] && [ -f "$cache/slof.bin" ]; }
have_grub() { [ -f "$cache/grub-ieee1275/kernel.img" ]; }
have_modules() { [ -f "$cache/kernel-version" ] && [ -d "$cache/modules/lib/modules" ]; }
kernel_deb() { ls -t "$cache"/debs/${kpkg:-linux-image-*}_*.deb 2>/dev/null | head -n1; }
# The record and the module tree come from the kernel package already in the
# cache (an older cache has the package but neither).
record_kernel() {
  local deb
  deb=$(kernel_deb)
  [ -n "$deb" ] || { echo "lpar: no linux-image package in $cache/debs" >&2; return 1; }
  rm -rf "$cache/modules"; mkdir -p "$cache/modules"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$cache/modules" --wildcards './lib/modules/*'
  echo "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" >"$cache/kernel-version"
}
if have_guests && have_grub; then
  have_modules || record_kernel
  echo "guests already in $cache: $(cat "$cache/kernel-version")"
  exit 0
fi

echo "lpar: fetching ppc64el package lists into $apt_dir"
# A partial failure (a mirror mid-sync) still leaves the main index usable.
apt-get "${apt_opts[@]}" update >/dev/null 2>&1 || echo "lpar: apt-get update reported errors; trying the lists it got" >&2

# GRUB for the PReP partition of the disk boot test (tests/boot/mkdisk.sh):
# fetched alone when an older cache already has the other guests.
fetch_grub() {
  local tmp
  (cd "$cache/debs" && apt-get "${apt_opts[@]}" download grub-ieee1275-bin)
  tmp=$(mktemp -d)
  dpkg-deb -x "$(ls "$cache"/debs/grub-ieee1275-bin_*.deb | head -n1)" "$tmp"
  rm -rf "$cache/grub-ieee1275"
  cp -r "$tmp/usr/lib/grub/powerpc-ieee1275" "$cache/grub-ieee1275"
  rm -rf "$tmp"
}
have_grub || fetch_grub
if have_guests; then
  have_modules || record_kernel
  echo "lpar: grub-ieee1275 in $cache"
  exit 0
fi
# linux-image-powerpc64le is a metapackage: download the image it depends on.
kpkg=$(apt-cache "${apt_opts[@]}" depends linux-image-powerpc64le | awk '/Depends: linux-image-/ {print $2; exit}')
[ -n "$kpkg" ] || { echo "lpar: cannot resolve linux-image-powerpc64le" >&2; exit 1; }
(cd "$cache/debs" && apt-get "${apt_opts[@]}" download "$kpkg" busybox-static qemu-system-data:all)

extract() {  # package-glob path-in-package destination
  local deb tmp
  deb=$(ls "$cache"/debs/$1_*.deb | head -n1)
  tmp=$(mktemp -d)
  dpkg-deb -x "$deb" "$tmp"
  # shellcheck disable=SC2086
  cp $tmp/$2 "$3"
  rm -rf "$tmp"
}
rm -f "$cache/kernel-version"
extract "$kpkg" "boot/vmlinux-*" "$cache/vmlinux"
extract busybox-static "bin/busybox" "$cache/busybox"
extract qemu-system-data "usr/share/qemu/slof.bin" "$cache/slof.bin"
record_kernel
echo "lpar: guests in $cache: $(cat "$cache/kernel-version"), busybox, slof.bin, grub-ieee1275"
