#!/usr/bin/env python3
"""Counts the instructions in lpar's ISA table (src/cpu/isa/*.inc), by class
and by the first CPU model that has them.  Record forms share a line with
their base form (add/add./addo/addo. is one line); the 'forms' column counts
each suffix combination as objdump would list it."""
import os
import re
import sys

src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
INSN_RE = re.compile(r'^INSN\((\w+),\s*"([^"]*)",\s*"([^"]*)",\s*"([^"]*)",\s*([^)]*)\)')
rows, total, forms_total = [], 0, 0
models = {"P970": 0, "P7": 0, "P8": 0, "P9": 0}
for inc in sorted(os.listdir(os.path.join(src, "src/cpu/isa"))):
    if not inc.endswith(".inc") or inc in ("isa.inc", "aliases.inc"):
        continue
    n = forms = 0
    for line in open(os.path.join(src, "src/cpu/isa", inc)):
        m = INSN_RE.match(line.strip())
        if not m:
            continue
        pat, flags = m.group(3), m.group(5)
        n += 1
        markers = sum(1 for c in "o.la" if c in pat.replace(" ", ""))
        forms += 2 ** markers
        for k in models:
            if re.search(r"\b%s\b" % k, flags):
                models[k] += 1
    rows.append((inc[:-4], n, forms))
    total += n
    forms_total += forms
print("%-10s %6s %6s" % ("class", "lines", "forms"))
for c, n, f in rows:
    print("%-10s %6d %6d" % (c, n, f))
print("%-10s %6d %6d" % ("total", total, forms_total))
print("first model: " + ", ".join("%s %d" % kv for kv in models.items()))
