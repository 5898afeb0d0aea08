#!/usr/bin/env bash
# Runs Cairn's whole test suite and ends with one line "N passed, N failed".
# Installs what the tests need (Debian packages) when it is missing; safe to run again.
set -uo pipefail
cd "$(dirname "$0")/.."

need=()
command -v setpriv >/dev/null || need+=(util-linux)
command -v setfacl >/dev/null || need+=(acl)          # ACLs set and compared by the metadata tests
command -v getfattr >/dev/null || need+=(attr)        # extended attributes compared independently of Cairn
command -v debugfs >/dev/null || need+=(e2fsprogs)    # ext4 images: silent corruption below the filesystem
command -v mkfs.btrfs >/dev/null || need+=(btrfs-progs) # btrfs images: flags that decide how data is written (nocow, compress)
command -v mkntfs >/dev/null || need+=(ntfs-3g)          # filesystems without owners (through FUSE, which every kernel here has):
command -v mkfs.exfat >/dev/null || need+=(exfatprogs)    #   restores onto them
[ -x /usr/sbin/mount.exfat-fuse ] || need+=(exfat-fuse)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)        # SFTP repositories on a real server (scripts/services/start-sshd.sh)
command -v ssh-agent >/dev/null || need+=(openssh-client)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)   # database dumps as backup sources (start-postgres.sh)
[ -x /usr/bin/chromium ] || need+=(chromium)                # the GUI's browser tests (Playwright drives Debian's Chromium)
if [ ${#need[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# The servers the remote-repository and database-dump tests use, installed (openssh-server, s3rver with npm,
# postgresql) and started before the tests run, so that no test waits for an installation; tests start further
# instances on other ports.
bash scripts/services/start-sshd.sh 22022 >/dev/null || { echo "0 passed, 1 failed (sshd did not start)"; exit 1; }
bash scripts/services/start-s3rver.sh 24568 >/dev/null || { echo "0 passed, 1 failed (s3rver did not start)"; exit 1; }
bash scripts/services/start-postgres.sh 25432 >/dev/null || { echo "0 passed, 1 failed (postgres did not start)"; exit 1; }

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
dotnet build Cairn.slnx -c Release -v q -nologo || { echo "0 passed, 1 failed"; exit 1; }
status=0
for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  dotnet test "$project" -c Release --no-build -v q -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done
# Code written for any SIMD width (Vector<T> of 4, 8 or 16 lanes) ran above at this machine's own width; run its
# tests again at the others (16 lanes where AVX-512 is there, 4 lanes without AVX2).
for setting in DOTNET_MaxVectorTBitWidth=512 DOTNET_EnableAVX2=0; do
  env "$setting" dotnet test tests/Cairn.Core.Tests/Cairn.Core.Tests.csproj -c Release --no-build -v q -nologo \
    --filter "FullyQualifiedName~KeyedBlake3Tests" --logger "trx;LogFileName=Cairn.Core.Tests.${setting%%=*}.trx" \
    --results-directory "$results" || status=1
done

# Keep the benchmark scripts working: run each once at a tiny size (timings are not checked).
all_found() { local file=$1; shift; for row; do grep -q "$row" "$file" || return 1; done; }
bench_passed=0; bench_failed=0
for bench in compare remote prune export shapes; do
  case "$bench" in
    prune) size=(--blobs 2000); rows=('^| cairn |') ;;
    shapes) size=(--scale 0.01); rows=('^| directories (.*) | cairn |' '^| links x16 (.*) | cairn |') ;;
    export) size=(--size 8M --runs 1); rows=('^| cairn |') ;;
    compare) size=(--size 8M --runs 1); rows=('^| first backup |' '^| cairn first backup | | [0-9]* MiB/s = [0-9]*% of the ceiling |') ;;
    *) size=(--size 8M --runs 1); rows=('^| first backup |') ;;
  esac
  if python3 "bench/$bench" "${size[@]}" --workdir "$results/bench" --out "$results/$bench.md" >"$results/$bench.log" 2>&1 \
     && all_found "$results/$bench.md" "${rows[@]}" \
     && { grep -q "phase is left out" "$results/$bench.log" || [ "$bench" != compare ] || all_found "$results/$bench.md" '^| first backup, cold cache |'; }; then
    bench_passed=$((bench_passed + 1)); echo "bench/$bench smoke run: passed"
  else
    bench_failed=$((bench_failed + 1)); status=1; echo "bench/$bench smoke run: FAILED"; tail -20 "$results/$bench.log"
  fi
done

passed=$bench_passed; failed=$bench_failed
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# Why each failed test failed, in the log itself: the result files do not outlive the run.
if [ "$failed" != 0 ]; then python3 scripts/trx-failures.py "$results"/*.trx; fi
if [ "$passed" = 0 ] && [ "$failed" = 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$status" = 0 ] && [ "$failed" = 0 ]
