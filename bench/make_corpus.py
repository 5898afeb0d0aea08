#!/usr/bin/env python3
"""Deterministic benchmark corpus: many small source-like text files, medium binaries, large files with
compressible and incompressible regions, and some duplicated data. Same size and seed, same bytes.

    make_corpus.py DIR SIZE_BYTES [SEED]
    make_corpus.py --change DIR [SEED]     apply the deterministic ~1% change to a corpus in place
"""
import os
import random
import sys

WORDS = ("the of and to in is that for it as with was on be by this are or from at an not which have but "
         "int void return if else while for struct class public private static const var let fn def import "
         "package namespace using string bytes buffer length offset index error result value key map list").split()


def text_file(r, size):
    lines, n = [], 0
    while n < size:
        indent = " " * (4 * r.randint(0, 3))
        line = indent + " ".join(r.choice(WORDS) for _ in range(r.randint(3, 12))) + (";" if r.random() < 0.5 else "")
        lines.append(line)
        n += len(line) + 1
    return ("\n".join(lines) + "\n").encode()[:size]


def mixed_bytes(r, size, compressible_share):
    out, n = bytearray(), 0
    while n < size:
        block = min(size - n, r.randint(1 << 20, 8 << 20))
        if r.random() < compressible_share:
            out += text_file(r, min(block, 1 << 20)) * (block // (1 << 20) + 1)
            out = out[:n + block]
        else:
            out += r.randbytes(block)
        n = len(out)
    return bytes(out[:size])


def make(root, total, seed):
    r = random.Random(seed)
    os.makedirs(root, exist_ok=True)
    budget = {"small": total * 30 // 100, "medium": total * 25 // 100, "large": total * 35 // 100}
    # Small source-like files: ~3 KiB average (60,000 files per 2 GiB at the full size).
    done, i = 0, 0
    while done < budget["small"]:
        d = os.path.join(root, "src", f"pkg{i // 200:04d}", f"mod{(i // 20) % 10}")
        os.makedirs(d, exist_ok=True)
        size = min(int(r.expovariate(1 / 9000)) + 40, 200_000)
        with open(os.path.join(d, f"file{i:06d}.{r.choice(['c', 'py', 'go', 'rs', 'cs', 'txt', 'md'])}"), "wb") as f:
            f.write(text_file(r, size))
        done += size
        i += 1
    # Medium binaries: 100 KiB to 6 MiB, most incompressible.
    done, i = 0, 0
    while done < budget["medium"]:
        d = os.path.join(root, "bin", f"set{i // 50:03d}")
        os.makedirs(d, exist_ok=True)
        size = r.randint(100 << 10, 6 << 20)
        with open(os.path.join(d, f"blob{i:05d}.bin"), "wb") as f:
            f.write(mixed_bytes(r, size, 0.25))
        done += size
        i += 1
    # Large files with compressible and incompressible regions.
    done, i = 0, 0
    os.makedirs(os.path.join(root, "large"), exist_ok=True)
    while done < budget["large"]:
        size = min(budget["large"] - done, r.randint(64 << 20, 256 << 20))
        with open(os.path.join(root, "large", f"image{i:02d}.img"), "wb") as f:
            remaining = size
            while remaining > 0:
                part = min(remaining, 32 << 20)
                f.write(mixed_bytes(r, part, 0.5))
                remaining -= part
        done += size
        i += 1
    # Duplicated data: copies of some medium files and of one source package (~10%).
    dup = os.path.join(root, "copies")
    os.makedirs(dup, exist_ok=True)
    done = 0
    for dirpath, _, files in sorted(os.walk(os.path.join(root, "bin"))):
        for name in sorted(files):
            if done >= total // 10:
                break
            src = os.path.join(dirpath, name)
            with open(src, "rb") as a, open(os.path.join(dup, name), "wb") as b:
                data = a.read()
                b.write(data)
                done += len(data)


def change(root, seed):
    """About 1% of the data: appends, an edit in the middle of a large file, new and deleted small files."""
    r = random.Random(seed + 1)
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)
    total = sum(os.path.getsize(f) for f in files)
    budget = total // 100
    spent = 0
    large = [f for f in files if "/large/" in f]
    if large:
        target = large[0]
        size = os.path.getsize(target)
        with open(target, "r+b") as f:
            f.seek(size // 2)
            edit = r.randbytes(min(budget // 3, 4 << 20))
            f.write(edit)
            spent += len(edit)
    small = [f for f in files if "/src/" in f]
    for f in small[::97]:
        with open(f, "ab") as h:
            extra = text_file(r, 2000)
            h.write(extra)
            spent += len(extra)
    for f in small[5::211]:
        os.remove(f)
    new_dir = os.path.join(root, "src", "new")
    os.makedirs(new_dir, exist_ok=True)
    i = 0
    while spent < budget:
        data = text_file(r, r.randint(1000, 20000))
        with open(os.path.join(new_dir, f"new{i:05d}.txt"), "wb") as h:
            h.write(data)
        spent += len(data)
        i += 1


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().rstrip("IB")
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


if __name__ == "__main__":
    if sys.argv[1] == "--change":
        change(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    else:
        make(sys.argv[1], parse_size(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
