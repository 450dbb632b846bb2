#!/usr/bin/env bash
# Installs the Debian 12 packages lpar builds and tests with. Idempotent.
set -euo pipefail
PKGS=(
  build-essential cmake ninja-build pkg-config
  libboost-program-options-dev libfmt-dev libspdlog-dev catch2 libfdt-dev libslirp-dev libglib2.0-dev
  llvm-19-dev clang-19
  gcc-powerpc64le-linux-gnu binutils-powerpc64le-linux-gnu libc6-dev-ppc64el-cross
  qemu-user qemu-system-ppc python3 gdb-multiarch
  grub-common e2fsprogs fdisk
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
