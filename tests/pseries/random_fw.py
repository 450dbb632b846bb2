#!/usr/bin/env python3
"""A bounded, seeded random-input campaign against -M pseries (issue 15):
random firmware images entered as SLOF is (random instructions, random hcalls
with random arguments among them, random privileged instruction streams).
Every run must end within its time limit by itself, by --timeout or as a
guest hang, with one of lpar's exit statuses and no host crash (a signal,
an abort, a sanitizer report).

usage: random_fw.py LPAR KERNEL_ELF [--count N] [--seed S]"""
import argparse, os, random, struct, subprocess, sys, tempfile

ap = argparse.ArgumentParser()
ap.add_argument("lpar")
ap.add_argument("kernel")
ap.add_argument("--count", type=int, default=18)
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()

rng = random.Random(a.seed)
HCALLS = [0x04, 0x08, 0x0C, 0x10, 0x14, 0x18, 0x1C, 0x20, 0x24, 0x28, 0x3C, 0x40, 0x58, 0x54, 0xDC, 0xE0,
          0xE4, 0xF0, 0x108, 0x11C, 0x2C0, 0x36C, 0x370, 0xF000]

def li64(reg, v):  # lis; ori; sldi 32; oris; ori: any 64-bit constant into reg
    hi, lo = v >> 32, v & 0xFFFFFFFF
    return [0x3C000000 | reg << 21 | (hi >> 16),                  # lis reg,hi@h (RA=0)
            0x60000000 | reg << 21 | reg << 16 | (hi & 0xFFFF),   # ori reg,reg,hi@l
            0x780007C6 | reg << 21 | reg << 16,                   # sldi reg,reg,32
            0x64000000 | reg << 21 | reg << 16 | (lo >> 16),      # oris reg,reg,lo@h
            0x60000000 | reg << 21 | reg << 16 | (lo & 0xFFFF)]   # ori reg,reg,lo@l

def image(kind):
    words = [rng.getrandbits(32) for _ in range(1024)]
    if kind == "hcalls":  # at 0x100: hcalls with random arguments, then random words
        code = []
        for _ in range(40):
            code += li64(3, rng.choice(HCALLS))
            for r in range(4, 10):
                v = rng.choice([0, 1, rng.getrandbits(16), rng.getrandbits(64), 0xFFFFFFFFFFFFFFFF, 0x1000 * rng.getrandbits(8)])
                code += li64(r, v)
            code.append(0x44000022)  # sc 1
        words[0x40:0x40 + len(code)] = code
    elif kind == "privileged":  # mtmsrd/mtspr/slbmte/tlbie/rfid with random registers
        ops = [0x7C000164, 0x7C0003A6, 0x7C000324, 0x7C000264, 0x4C000024, 0x7C0002E4, 0x7C0003E4, 0x4C00012C]
        for k in range(0x40, 0x3F0):
            if rng.random() < 0.5:
                words[k] = rng.choice(ops) | rng.getrandbits(5) << 21 | rng.getrandbits(10) << 11
    return b"".join(struct.pack(">I", w & 0xFFFFFFFF) for w in words)

ok = True
statuses = {}
with tempfile.TemporaryDirectory() as tmp:
    for n in range(a.count):
        kind = ["words", "hcalls", "privileged"][n % 3]
        fw = os.path.join(tmp, "fw%d.bin" % n)
        with open(fw, "wb") as f:
            f.write(image(kind))
        cpu = ["POWER8", "POWER9"][n % 2]
        cmd = [a.lpar, "-M", "pseries", "-cpu", cpu, "-m", "256M", "-nographic", "-kernel", a.kernel, "-bios", fw,
               "--timeout", "2", "-icount", "shift=0"]
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=10)
        except subprocess.TimeoutExpired:
            print("FAIL: %s image %d (%s, %s) still running after 10 s" % (kind, n, cpu, fw)); ok = False; continue
        err = p.stderr.decode(errors="replace")
        statuses[p.returncode] = statuses.get(p.returncode, 0) + 1
        if p.returncode < 0 or p.returncode not in (0, 1, 3, 124) or "terminate called" in err or "Sanitizer" in err:
            print("FAIL: %s image %d (%s): status %d: %s" % (kind, n, cpu, p.returncode, err[-400:])); ok = False
print("random firmware: %d images (seed %d), exit statuses %s" % (a.count, a.seed, dict(sorted(statuses.items()))))
sys.exit(0 if ok else 1)
