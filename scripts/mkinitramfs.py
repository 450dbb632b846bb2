#!/usr/bin/env python3
"""Build a test initramfs (gzip'd newc cpio) from Debian's busybox-static and
an init of the project's own, for booting Debian's kernel under lpar.

usage: mkinitramfs.py --busybox BUSYBOX --init INIT [--add DEST=SRC ...]
                      [--modules-from TREE_OR_DEB --module NAME ...] -o OUT

The archive holds /bin/busybox with links for its applets' usual names made
by the init at boot (busybox --install), /init, /dev/console, and each
--add file (mode 0755).  With --module, the named kernel modules and all
they depend on (scripts/kmods.py) are /lib/modules/NAME.ko, uncompressed,
their firmware under /lib/firmware, and /etc/modules-order lists them in
load order for the init to insmod."""
import argparse
import gzip
import os
import stat
import sys
import tempfile

import kmods


def newc_entry(name, mode, data=b"", ino=1, rdev=(0, 0)):
    """One cpio 'newc' header + name + data, each padded to 4 bytes."""
    namez = name.encode() + b"\0"
    fields = [ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(namez), 0]
    hdr = b"070701" + b"".join(b"%08X" % f for f in fields)
    out = hdr + namez
    out += b"\0" * (-len(out) % 4)
    out += data
    out += b"\0" * (-len(out) % 4)
    return out


def add_modules(add, source, names):
    """NAMES and their dependency closure as /lib/modules/*.ko + /etc/modules-order."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = kmods.tree_of(source, tmp)
        order = tree.resolve(names)
        dirs = set()

        def add_dir(d):
            if d not in dirs:
                dirs.add(d)
                add(d, stat.S_IFDIR | 0o755)
        for d in ("lib", "lib/modules", "lib/firmware", "etc"):
            add_dir(d)
        for mod in order:
            add(f"lib/modules/{mod}.ko", stat.S_IFREG | 0o644, kmods.decompress(tree.files[mod]))
            for fw, path in tree.firmware(mod):
                parts = fw.split("/")
                for i in range(1, len(parts)):
                    add_dir("lib/firmware/" + "/".join(parts[:i]))
                add(f"lib/firmware/{fw}", stat.S_IFREG | 0o644, kmods.decompress(path))
            for soft in tree.softdeps(mod):
                print(f"mkinitramfs: note: {mod} has softdep '{soft}' (not followed: name it if needed)",
                      file=sys.stderr)
        add("etc/modules-order", stat.S_IFREG | 0o644, "".join(m + "\n" for m in order).encode())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--busybox", required=True)
    ap.add_argument("--init", required=True)
    ap.add_argument("--add", action="append", default=[], metavar="DEST=SRC")
    ap.add_argument("--modules-from", metavar="TREE_OR_DEB",
                    help="lib/modules/VERSION, a tree holding it, or the linux-image .deb")
    ap.add_argument("--module", action="append", default=[], metavar="NAME",
                    help="a module the guest needs (its dependencies come along)")
    ap.add_argument("-o", "--output", required=True)
    a = ap.parse_args()
    if a.module and not a.modules_from:
        sys.exit("mkinitramfs: --module needs --modules-from")

    entries = []
    ino = 1

    def add(name, mode, data=b"", rdev=(0, 0)):
        nonlocal ino
        entries.append(newc_entry(name, mode, data, ino, rdev))
        ino += 1

    for d in ("bin", "sbin", "dev", "proc", "sys", "tmp", "usr", "usr/bin", "usr/sbin", "root"):
        add(d, stat.S_IFDIR | 0o755)
    add("dev/console", stat.S_IFCHR | 0o600, rdev=(5, 1))
    try:
        with open(a.busybox, "rb") as f:
            add("bin/busybox", stat.S_IFREG | 0o755, f.read())
        add("bin/sh", stat.S_IFLNK | 0o777, b"busybox")
        with open(a.init, "rb") as f:
            add("init", stat.S_IFREG | 0o755, f.read())
        for spec in a.add:
            dest, _, src = spec.partition("=")
            if not dest or not src:
                sys.exit(f"mkinitramfs: bad --add '{spec}' (want DEST=SRC)")
            with open(src, "rb") as f:
                add(dest.lstrip("/"), stat.S_IFREG | 0o755, f.read())
        if a.module:
            add_modules(add, a.modules_from, a.module)
    except OSError as e:
        sys.exit(f"mkinitramfs: {e.filename}: {e.strerror}")
    except kmods.ModuleError as e:
        sys.exit(f"mkinitramfs: {e}")
    entries.append(newc_entry("TRAILER!!!", 0, b"", 0))

    blob = b"".join(entries)
    blob += b"\0" * (-len(blob) % 512)
    with open(a.output, "wb") as f:
        f.write(gzip.compress(blob, 6))


if __name__ == "__main__":
    main()
