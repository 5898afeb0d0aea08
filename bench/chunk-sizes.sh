#!/usr/bin/env bash
# Measures how the chunk sizes chosen at 'cairn init' trade speed, index size and deduplication.
# Usage: bench/chunk-sizes.sh [CORPUS_DIR]   (default: a generated 1 GiB corpus in a temp dir)
# For each MIN/AVG/MAX it reports: first-backup time, blobs stored, and the bytes a second backup adds
# after a 100-byte insertion in the middle of every large file (less is better deduplication).
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dotnet publish src/Cairn.Cli -c Release -o "$work/bin" -v q -nologo >/dev/null
cairn="$work/bin/cairn"
export CAIRN_PASSWORD=bench
corpus="${1:-}"
if [ -z "$corpus" ]; then
  corpus="$work/corpus"
  mkdir -p "$corpus/small"
  python3 - "$corpus" <<'PY'
import os, random, sys
root = sys.argv[1]
r = random.Random(1)
for i in range(20000):
    with open(f"{root}/small/f{i:05}.txt", "w") as f:
        f.write(f"file {i} " + "x" * r.randint(10, 4000))
for i in range(8):
    with open(f"{root}/big{i}.bin", "wb") as f:
        f.write(r.randbytes(64 << 20))
        f.write((b"compressible text line %d\n" % i) * 2000000)
PY
fi
printf '| chunk sizes (min/avg/max) | first backup | blobs | added after 100-byte inserts |\n|---|---|---|---|\n'
for sizes in 131072/262144/1048576 262144/524288/4194304 524288/1048576/8388608 1048576/2097152/16777216; do
  repo="$work/repo-${sizes//\//-}"
  copy="$work/copy"
  rm -rf "$copy" && cp -a "$corpus" "$copy"
  "$cairn" -r "$repo" init -q --chunk-sizes "$sizes"
  start=$(date +%s%N)
  "$cairn" -r "$repo" backup -q "$copy"
  first_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  blobs=$("$cairn" -r "$repo" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["blobs"])')
  for f in "$copy"/big*.bin; do
    python3 - "$f" <<'PY'
import sys
p = sys.argv[1]
data = open(p, "rb").read()
mid = len(data) // 2
open(p, "wb").write(data[:mid] + b"\x00inserted 100 bytes" * 5 + data[mid:])
PY
  done
  added=$("$cairn" -r "$repo" backup --json "$copy" | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["data_added"])')
  printf '| %s | %d.%02d s | %s | %s KiB |\n' "$sizes" $((first_ms / 1000)) $((first_ms % 1000 / 10)) "$blobs" "$((added / 1024))"
  rm -rf "$repo"
done
