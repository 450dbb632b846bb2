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
if have_guests && have_grub; then
  echo "guests already in $cache"
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
extract "$kpkg" "boot/vmlinux-*" "$cache/vmlinux"
extract busybox-static "bin/busybox" "$cache/busybox"
extract qemu-system-data "usr/share/qemu/slof.bin" "$cache/slof.bin"
echo "$kpkg" > "$cache/kernel-package"
echo "lpar: guests in $cache: $(cat "$cache/kernel-package"), busybox, slof.bin, grub-ieee1275"
