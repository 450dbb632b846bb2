#!/usr/bin/env python3
"""Resolve kernel modules as modprobe would, for the test initramfs.

Given the names of the modules a test needs (the leaves: virtio_blk,
virtio_net, ...) and a kernel's module tree (lib/modules/VERSION as Debian's
linux-image package ships it, or the .deb itself), find each module's file,
read its 'depends' from the ELF .modinfo section (the field modinfo(8)
prints and depmod(8) turns into modules.dep), and return the closure in
load order: every module after all it depends on.  Debian's package ships no
modules.dep (depmod runs in its postinst), so the .modinfo is the source.

- Files may be plain .ko or compressed (.ko.xz, .ko.gz, .ko.zst): the
  result is always the uncompressed object, since busybox insmod and a
  kernel without CONFIG_MODULE_DECOMPRESS take only that.
- A name may be a module name ('-' and '_' are the same, as in modprobe) or
  an alias one module declares; a module listed in modules.builtin is
  satisfied by the kernel itself and loads nothing.
- A name that nothing provides is an error naming who wanted it, not an
  insmod failure in the guest.
- 'firmware=' files are carried along when the tree has them (lib/firmware
  beside lib/modules); soft dependencies are reported, not followed.

usage: kmods.py TREE_OR_DEB NAME...   prints the load order, one path a line
"""
import gzip
import lzma
import os
import shutil
import struct
import subprocess
import sys
import tempfile


class ModuleError(Exception):
    pass


def norm(name):
    return name.replace("-", "_")


def decompress(path):
    """The uncompressed bytes of a module (or firmware) file."""
    with open(path, "rb") as f:
        data = f.read()
    if path.endswith(".xz"):
        return lzma.decompress(data)
    if path.endswith(".gz"):
        return gzip.decompress(data)
    if path.endswith(".zst"):
        zstd = shutil.which("zstd")
        if not zstd:
            raise ModuleError(f"{path}: zstd-compressed and no zstd command (apt-get install zstd)")
        return subprocess.run([zstd, "-dc", path], check=True, capture_output=True).stdout
    return data


def modinfo(data, what="module"):
    """The .modinfo section of an ELF object as a list of (key, value)."""
    if data[:4] != b"\x7fELF":
        raise ModuleError(f"{what}: not an ELF object")
    cls, enc = data[4], data[5]
    e = "<" if enc == 1 else ">"
    try:
        if cls == 2:
            shoff, = struct.unpack_from(e + "Q", data, 0x28)
            shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", data, 0x3A)
            fmt = "IIQQQQ"
        elif cls == 1:
            shoff, = struct.unpack_from(e + "I", data, 0x20)
            shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", data, 0x2E)
            fmt = "IIIIII"
        else:
            raise ModuleError(f"{what}: unknown ELF class {cls}")
        # Elf_Shdr starts sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size
        name_of, off_of, size_of = 0, 4, 5
        shdr = lambda i: struct.unpack_from(e + fmt, data, shoff + i * shentsize)
        if shnum == 0 or shstrndx >= shnum:
            raise ModuleError(f"{what}: no section headers")
        strtab = shdr(shstrndx)
        strs = data[strtab[off_of]:strtab[off_of] + strtab[size_of]]
        for i in range(shnum):
            h = shdr(i)
            name = strs[h[name_of]:strs.index(b"\0", h[name_of])]
            if name == b".modinfo":
                body = data[h[off_of]:h[off_of] + h[size_of]]
                out = []
                for entry in body.split(b"\0"):
                    key, sep, value = entry.decode("utf-8", "replace").partition("=")
                    if sep:
                        out.append((key, value))
                return out
    except (struct.error, ValueError) as err:
        raise ModuleError(f"{what}: malformed ELF ({err})")
    raise ModuleError(f"{what}: no .modinfo section (not a kernel module)")


MODULE_SUFFIXES = (".ko", ".ko.xz", ".ko.gz", ".ko.zst")


class ModuleTree:
    """A kernel's lib/modules/VERSION directory, indexed by module name."""

    def __init__(self, root):
        self.root = root
        self.files = {}    # module name -> path
        for d, _, names in os.walk(root):
            for n in names:
                for suf in MODULE_SUFFIXES:
                    if n.endswith(suf):
                        self.files.setdefault(norm(n[:-len(suf)]), os.path.join(d, n))
        self.builtin = set()
        try:
            with open(os.path.join(root, "modules.builtin")) as f:
                for line in f:
                    base = os.path.basename(line.strip())
                    if base.endswith(".ko"):
                        self.builtin.add(norm(base[:-3]))
        except FileNotFoundError:
            pass
        self._info = {}
        self._aliases = None

    def info(self, name):
        if name not in self._info:
            self._info[name] = modinfo(decompress(self.files[name]), self.files[name])
        return self._info[name]

    def field(self, name, key):
        return [v for k, v in self.info(name) if k == key]

    def depends(self, name):
        return [norm(d) for v in self.field(name, "depends") for d in v.split(",") if d]

    def aliases(self):
        """alias -> module names, read from every module (only when a name is no file)."""
        if self._aliases is None:
            self._aliases = {}
            for name in sorted(self.files):
                for a in self.field(name, "alias"):
                    self._aliases.setdefault(norm(a), []).append(name)
            bmi = os.path.join(self.root, "modules.builtin.modinfo")
            if os.path.exists(bmi):
                with open(bmi, "rb") as f:
                    for entry in f.read().split(b"\0"):
                        mod, _, kv = entry.decode("utf-8", "replace").partition(".")
                        key, _, value = kv.partition("=")
                        if key == "alias":
                            self._aliases.setdefault(norm(value), []).append(norm(mod))
                            self.builtin.add(norm(mod))
        return self._aliases

    def lookup(self, name, wanted_by):
        """The module providing NAME, or None when the kernel has it built in."""
        n = norm(name)
        if n in self.files:
            return n
        if n in self.builtin:
            return None
        who = f" (needed by {wanted_by})" if wanted_by else ""
        providers = sorted(set(self.aliases().get(n, [])))
        if not providers:
            raise ModuleError(f"no module '{name}' in {self.root}{who}")
        if all(p in self.builtin for p in providers):
            return None
        if len(providers) > 1:
            raise ModuleError(f"'{name}'{who} is an alias of several modules: {' '.join(providers)}; name one")
        return providers[0]

    def resolve(self, names):
        """The closure of NAMES under 'depends', each module after its dependencies."""
        order, state = [], {}

        def visit(name, chain):
            mod = self.lookup(name, chain[-1] if chain else None)
            if mod is None:
                return
            if state.get(mod) == "done":
                return
            if state.get(mod) == "visiting":
                raise ModuleError("dependency cycle: " + " -> ".join(chain + [mod]))
            state[mod] = "visiting"
            for dep in self.depends(mod):
                visit(dep, chain + [mod])
            state[mod] = "done"
            order.append(mod)

        for n in names:
            visit(n, [])
        return order

    def softdeps(self, mod):
        return self.field(mod, "softdep")

    def firmware(self, mod):
        """(name, path) of each firmware file the module declares and the tree has."""
        fwroot = os.path.normpath(os.path.join(self.root, "..", "..", "firmware"))
        out = []
        for fw in self.field(mod, "firmware"):
            for suf in ("", ".xz", ".zst"):
                p = os.path.join(fwroot, fw + suf)
                if os.path.exists(p):
                    out.append((fw, p))
                    break
        return out


def tree_of(path, workdir):
    """A ModuleTree for a lib/modules/VERSION directory, a tree containing
    lib/modules/VERSION, or a linux-image .deb (extracted into WORKDIR)."""
    if path.endswith(".deb"):
        deb = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", path], stdout=subprocess.PIPE)
        tar = subprocess.run(["tar", "-x", "-C", workdir, "--wildcards", "./lib/modules/*"], stdin=deb.stdout)
        deb.stdout.close()
        if deb.wait() != 0 or tar.returncode != 0:
            raise ModuleError(f"{path}: cannot extract lib/modules")
        path = workdir
    if not os.path.isdir(path):
        raise ModuleError(f"{path}: no such module tree")
    lm = os.path.join(path, "lib", "modules")
    if os.path.isdir(lm):
        versions = sorted(os.listdir(lm))
        if len(versions) != 1:
            raise ModuleError(f"{lm}: expected one kernel version, found {versions}")
        path = os.path.join(lm, versions[0])
    return ModuleTree(path)


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    with tempfile.TemporaryDirectory() as tmp:
        try:
            tree = tree_of(argv[0], tmp)
            for mod in tree.resolve(argv[1:]):
                print(tree.files[mod])
        except ModuleError as err:
            sys.exit(f"kmods: {err}")


if __name__ == "__main__":
    main(sys.argv[1:])
