#!/usr/bin/env python3
"""ISA coverage measured against binutils: every word with any primary opcode,
any value in bits 11-15 and any value in bits 21-31 (other fields zero) is
disassembled by powerpc64le-linux-gnu-objdump -M power9,raw and decoded by
lpar's decoder (lpar-dis --decode).  Prints how many of objdump's POWER9
mnemonics lpar executes, and the ones it does not.
usage: scripts/isa-census.py [BUILD_DIR]"""
import collections
import os
import re
import struct
import subprocess
import sys
import tempfile

build = sys.argv[1] if len(sys.argv) > 1 else "build"
with tempfile.TemporaryDirectory() as tmp:
    binf = os.path.join(tmp, "words.bin")
    with open(binf, "wb") as f:
        for po in range(64):
            f.write(b"".join(struct.pack("<I", (po << 26) | (a << 16) | x) for a in range(32) for x in range(2048)))
    obj = subprocess.run(["powerpc64le-linux-gnu-objdump", "-D", "-b", "binary", "-m", "powerpc:common64", "-EL",
                          "-M", "power9,raw", binf], capture_output=True, text=True, check=True).stdout
    ours = subprocess.run([os.path.join(build, "lpar-dis"), "--decode", binf], capture_output=True, text=True,
                          check=True).stdout
decoded = {}
for line in ours.splitlines():
    off, _word, op = line.split()
    decoded[int(off[:-1], 16)] = op != "invalid"
seen, covered = set(), set()
for line in obj.splitlines():
    m = re.match(r"\s*([0-9a-f]+):\s+(?:[0-9a-f]{2} ){4}\s*(\S+)", line)
    if not m or m.group(2) == ".long":
        continue
    seen.add(m.group(2))
    if decoded.get(int(m.group(1), 16)):
        covered.add(m.group(2))
print("objdump -M power9 mnemonics (each ./o form counted): %d; executed by lpar: %d" % (len(seen), len(covered)))
print("not executed by lpar (%d): %s" % (len(seen - covered), " ".join(sorted(seen - covered))))
