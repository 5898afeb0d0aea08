#!/usr/bin/env bash
# Builds Cairn and runs its main job on an embedded default: a new local repository in a temporary
# directory, a backup of this source tree, the snapshot list, a restore and a full check.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
dotnet publish src/Cairn.Cli -c Release -o "$out/bin" -v q -nologo
cairn="$out/bin/cairn"
export CAIRN_REPOSITORY="$out/repo" CAIRN_PASSWORD="demo password"
"$cairn" init
"$cairn" backup --exclude bin --exclude obj --exclude .git "$PWD"
"$cairn" backup --exclude bin --exclude obj --exclude .git "$PWD"
"$cairn" snapshots
"$cairn" restore "latest:$PWD" --target "$out/restored" --verify
"$cairn" check --read-data
echo
echo "repository: $out/repo   restored copy: $out/restored   program: $cairn"
