#!/usr/bin/env python3
"""The module resolver (scripts/kmods.py) and the initramfs builder's
--module on a synthetic module tree: small ELF objects with a .modinfo
section, as the kernel's modpost writes it."""
import gzip
import lzma
import os
import struct
import subprocess
import sys
import tempfile
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "scripts"))
import kmods  # noqa: E402


def elf_module(fields, big_endian=False, elf32=False):
    """An ELF relocatable whose only content is .modinfo with FIELDS."""
    e = ">" if big_endian else "<"
    modinfo = b"".join(f"{k}={v}".encode() + b"\0" for k, v in fields)
    shstrtab = b"\0.modinfo\0.shstrtab\0"
    ehsize, shentsize = (52, 40) if elf32 else (64, 64)
    modinfo_off = ehsize
    shstr_off = modinfo_off + len(modinfo)
    shoff = (shstr_off + len(shstrtab) + 7) & ~7
    ident = b"\x7fELF" + bytes([1 if elf32 else 2, 2 if big_endian else 1, 1]) + b"\0" * 9
    if elf32:
        hdr = ident + struct.pack(e + "HHIIIIIHHHHHH", 1, 20, 1, 0, 0, shoff, 0, ehsize, 0, 0, shentsize, 3, 2)
        sh = lambda name, typ, off, size: struct.pack(e + "IIIIIIIIII", name, typ, 0, 0, off, size, 0, 0, 1, 0)
    else:
        hdr = ident + struct.pack(e + "HHIQQQIHHHHHH", 1, 21, 1, 0, 0, shoff, 0, ehsize, 0, 0, shentsize, 3, 2)
        sh = lambda name, typ, off, size: struct.pack(e + "IIQQQQIIQQ", name, typ, 0, 0, off, size, 0, 0, 1, 0)
    body = hdr + modinfo + shstrtab
    body += b"\0" * (shoff - len(body))
    return body + sh(0, 0, 0, 0) + sh(1, 1, modinfo_off, len(modinfo)) + sh(10, 3, shstr_off, len(shstrtab))


class Tree:
    """A lib/modules/VERSION directory built in a temporary folder."""

    def __init__(self, tmp):
        self.root = os.path.join(tmp, "lib", "modules", "6.1.0-test")
        os.makedirs(os.path.join(self.root, "kernel"))
        self.top = tmp

    def add(self, name, depends=(), compress=None, extra=(), sub="kernel/drivers", **kw):
        fields = [("license", "GPL"), *extra, ("depends", ",".join(depends)), ("name", name)]
        data = elf_module(fields, **kw)
        d = os.path.join(self.root, sub)
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, name + ".ko")
        if compress == "xz":
            data, path = lzma.compress(data), path + ".xz"
        elif compress == "gz":
            data, path = gzip.compress(data), path + ".gz"
        with open(path, "wb") as f:
            f.write(data)
        return path

    def builtin(self, *names):
        with open(os.path.join(self.root, "modules.builtin"), "w") as f:
            f.writelines(f"kernel/builtin/{n}.ko\n" for n in names)

    def resolve(self, *names):
        return kmods.ModuleTree(self.root).resolve(list(names))


class ResolverTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.t = Tree(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def assertBefore(self, order, first, then):
        self.assertLess(order.index(first), order.index(then), order)

    def test_chain_loads_dependencies_first(self):
        # virtio_blk -> virtio -> virtio_ring: the order that broke the boot tests
        self.t.add("virtio_ring")
        self.t.add("virtio", depends=["virtio_ring"])
        self.t.add("virtio_blk", depends=["virtio", "virtio_ring"])
        self.assertEqual(self.t.resolve("virtio_blk"), ["virtio_ring", "virtio", "virtio_blk"])

    def test_chain_the_other_way(self):
        # the same names, the dependency reversed: the order follows the tree
        self.t.add("virtio_ring", depends=["virtio"])
        self.t.add("virtio")
        self.t.add("virtio_blk", depends=["virtio_ring"])
        self.assertEqual(self.t.resolve("virtio_blk"), ["virtio", "virtio_ring", "virtio_blk"])

    def test_leaves_share_dependencies_once(self):
        self.t.add("core")
        self.t.add("a", depends=["core"])
        self.t.add("b", depends=["core", "a"])
        order = self.t.resolve("b", "a", "core")
        self.assertEqual(sorted(order), ["a", "b", "core"])
        self.assertBefore(order, "core", "a")
        self.assertBefore(order, "a", "b")

    def test_dash_and_underscore_are_one_name(self):
        self.t.add("virtio-gpu", depends=["virtio_dma-buf"])
        self.t.add("virtio_dma_buf")
        self.assertEqual(self.t.resolve("virtio_gpu"), ["virtio_dma_buf", "virtio_gpu"])

    def test_compressed_modules_are_found_and_inflated(self):
        plain = elf_module([("license", "GPL"), ("depends", ""), ("name", "dep_gz")])
        self.t.add("dep_gz", compress="gz")
        path = self.t.add("top_xz", depends=["dep_gz"], compress="xz")
        tree = kmods.ModuleTree(self.t.root)
        self.assertEqual(tree.resolve(["top_xz"]), ["dep_gz", "top_xz"])
        self.assertEqual(kmods.decompress(tree.files["dep_gz"]), plain)
        self.assertEqual(kmods.decompress(path)[:4], b"\x7fELF")

    def test_big_endian_and_elf32_modinfo(self):
        self.t.add("be_dep", big_endian=True)
        self.t.add("be_top", depends=["be_dep"], big_endian=True, elf32=True)
        self.assertEqual(self.t.resolve("be_top"), ["be_dep", "be_top"])

    def test_builtin_dependency_loads_nothing(self):
        self.t.builtin("crc16")
        self.t.add("ext4", depends=["crc16"])
        self.assertEqual(self.t.resolve("ext4", "crc16"), ["ext4"])

    def test_missing_dependency_names_who_wanted_it(self):
        self.t.add("virtio_net", depends=["net_failover"])
        with self.assertRaisesRegex(kmods.ModuleError, r"no module 'net_failover'.*needed by virtio_net"):
            self.t.resolve("virtio_net")

    def test_missing_leaf(self):
        self.t.add("virtio")
        with self.assertRaisesRegex(kmods.ModuleError, r"no module 'virtio_blk'"):
            self.t.resolve("virtio_blk")

    def test_alias(self):
        self.t.add("crc32c_generic", extra=[("alias", "crc32c"), ("alias", "crypto-crc32c")])
        self.assertEqual(self.t.resolve("crypto-crc32c"), ["crc32c_generic"])
        self.t.add("crc32c_vpmsum", extra=[("alias", "crc32c")])
        with self.assertRaisesRegex(kmods.ModuleError, "alias of several modules: crc32c_generic crc32c_vpmsum"):
            self.t.resolve("crc32c")

    def test_cycle_is_an_error(self):
        self.t.add("a", depends=["b"])
        self.t.add("b", depends=["a"])
        with self.assertRaisesRegex(kmods.ModuleError, "dependency cycle: a -> b -> a"):
            self.t.resolve("a")

    def test_not_a_module(self):
        path = os.path.join(self.t.root, "kernel", "junk.ko")
        with open(path, "wb") as f:
            f.write(b"not an ELF file at all")
        with self.assertRaisesRegex(kmods.ModuleError, "not an ELF"):
            self.t.resolve("junk")

    def test_command_line(self):
        self.t.add("base")
        self.t.add("leaf", depends=["base"])
        ok = subprocess.run([sys.executable, os.path.join(TOP, "scripts", "kmods.py"), self.t.top, "leaf"],
                            capture_output=True, text=True)
        self.assertEqual(ok.returncode, 0, ok.stderr)
        self.assertEqual([os.path.basename(p) for p in ok.stdout.split()], ["base.ko", "leaf.ko"])
        bad = subprocess.run([sys.executable, os.path.join(TOP, "scripts", "kmods.py"), self.t.top, "nope"],
                             capture_output=True, text=True)
        self.assertNotEqual(bad.returncode, 0)
        self.assertEqual(bad.stderr.count("\n"), 1, bad.stderr)
        self.assertIn("kmods: no module 'nope'", bad.stderr)


def read_newc(path):
    """name -> (mode, data) of a gzip'd newc cpio archive."""
    with open(path, "rb") as f:
        blob = gzip.decompress(f.read())
    out, pos = {}, 0
    while True:
        hdr = blob[pos:pos + 110]
        assert hdr[:6] == b"070701", hdr[:6]
        f = [int(hdr[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        mode, size, namesize = f[1], f[6], f[11]
        pos += 110
        name = blob[pos:pos + namesize - 1].decode()
        pos = (pos + namesize + 3) & ~3
        if name == "TRAILER!!!":
            return out
        out[name] = (mode, blob[pos:pos + size])
        pos = (pos + size + 3) & ~3


class InitramfsTest(unittest.TestCase):
    def test_modules_in_load_order(self):
        with tempfile.TemporaryDirectory() as tmp:
            t = Tree(tmp)
            t.add("virtio_ring", compress="xz")
            t.add("virtio", depends=["virtio_ring"])
            t.add("virtio_blk", depends=["virtio"])
            for name in ("busybox", "init"):
                with open(os.path.join(tmp, name), "w") as f:
                    f.write("#!/bin/sh\n")
            out = os.path.join(tmp, "initrd.gz")
            run = lambda *mods: subprocess.run(
                [sys.executable, os.path.join(TOP, "scripts", "mkinitramfs.py"),
                 "--busybox", os.path.join(tmp, "busybox"), "--init", os.path.join(tmp, "init"),
                 "--modules-from", tmp, *[a for m in mods for a in ("--module", m)], "-o", out],
                capture_output=True, text=True)
            r = run("virtio_blk")
            self.assertEqual(r.returncode, 0, r.stderr)
            files = read_newc(out)
            self.assertEqual(files["etc/modules-order"][1], b"virtio_ring\nvirtio\nvirtio_blk\n")
            for m in ("virtio_ring", "virtio", "virtio_blk"):
                self.assertEqual(files[f"lib/modules/{m}.ko"][1][:4], b"\x7fELF", m)  # inflated
            self.assertIn("init", files)
            # a module nothing provides fails the build with one line, no archive change
            os.remove(out)
            r = run("virtio_blk", "virtio_nope")
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("no module 'virtio_nope'", r.stderr)
            self.assertFalse(os.path.exists(out))

    def test_real_kernel_package_when_fetched(self):
        """On the fetched kernel (when present): each module after all it depends on."""
        cache = os.environ.get("LPAR_GUEST_CACHE", os.path.join(TOP, ".cache", "guests"))
        if not os.path.isdir(os.path.join(cache, "modules")):
            self.skipTest("no fetched kernel modules")
        tree = kmods.tree_of(os.path.join(cache, "modules"), None)
        order = tree.resolve(["virtio_pci", "virtio_blk", "virtio_net", "ext4"])
        for i, m in enumerate(order):
            for d in tree.depends(m):
                if d in tree.files:
                    self.assertIn(d, order[:i], f"{m} needs {d}")
        self.assertIn("virtio", order)


if __name__ == "__main__":
    unittest.main(verbosity=2)
