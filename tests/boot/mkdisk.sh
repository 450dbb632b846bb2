#!/usr/bin/env bash
# Build a bootable raw disk image for -M pseries (SLOF) without root:
#   MBR, partition 1: PReP boot (type 0x41, 8 MiB) holding GRUB's
#                     powerpc-ieee1275 core image (an ELF SLOF loads and runs)
#   MBR, partition 2: ext2 (type 0x83) made by mke2fs -d from ROOT_DIR, which
#                     must hold boot/grub/grub.cfg and whatever it loads
# GRUB's embedded config finds the ext2 partition by the file
# /boot/grub/grub.cfg and runs it, so no device name (SLOF alias) is assumed.
# usage: mkdisk.sh GRUB_DIR ROOT_DIR IMAGE [EXT2_MIB]
#   GRUB_DIR: /usr/lib/grub/powerpc-ieee1275 of grub-ieee1275-bin
#             (scripts/fetch-guests.sh puts it in .cache/guests/grub-ieee1275)
# Needs grub-mkimage (grub-common), mke2fs (e2fsprogs), sfdisk (fdisk).
set -euo pipefail
grub_dir=$1 root_dir=$2 img=$3 ext2_mib=${4:-96}
[ -f "$root_dir/boot/grub/grub.cfg" ] || { echo "mkdisk: no $root_dir/boot/grub/grub.cfg" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

prep_start=2048 prep_sectors=16384            # 1 MiB aligned, 8 MiB
ext2_start=$((prep_start + prep_sectors)) ext2_sectors=$((ext2_mib * 2048))
total=$((ext2_start + ext2_sectors))

cat >"$tmp/early.cfg" <<'EOF'
search --no-floppy --file --set=root /boot/grub/grub.cfg
set prefix=($root)/boot/grub
configfile $prefix/grub.cfg
EOF
# Everything grub.cfg uses is built in: the modules directory on the disk is
# not needed.
grub-mkimage -O powerpc-ieee1275 -d "$grub_dir" -o "$tmp/core.elf" -c "$tmp/early.cfg" -p /boot/grub \
  part_msdos ext2 search search_fs_file linux boot configfile normal echo test
[ "$(stat -c %s "$tmp/core.elf")" -le $((prep_sectors * 512)) ] || { echo "mkdisk: core image too big" >&2; exit 1; }

rm -f "$img"
truncate -s $((total * 512)) "$img"
sfdisk -q "$img" <<EOF
label: dos
start=$prep_start, size=$prep_sectors, type=41, bootable
start=$ext2_start, size=$ext2_sectors, type=83
EOF
dd if="$tmp/core.elf" of="$img" bs=512 seek=$prep_start conv=notrunc status=none
truncate -s $((ext2_sectors * 512)) "$tmp/ext2.img"
mke2fs -q -F -t ext2 -L lpar-boot -d "$root_dir" "$tmp/ext2.img"
dd if="$tmp/ext2.img" of="$img" bs=512 seek=$ext2_start conv=notrunc status=none
