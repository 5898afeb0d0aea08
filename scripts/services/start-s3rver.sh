#!/usr/bin/env bash
# start-s3rver.sh [PORT=24568] [DIR=/tmp/cairn-s3rver-PORT]
# Starts s3rver (an S3-compatible server, npm s3rver 3.7.1) on http://127.0.0.1:PORT for the S3 tests, data in
# DIR/data, credentials S3RVER / S3RVER, path-style requests. Installs it into ${S3RVER_HOME:-/opt/s3rver} with npm
# when it is missing. Running it again while the server runs changes nothing. Stop: kill "$(cat DIR/s3rver.pid)"
set -euo pipefail
PORT=${1:-24568}; DIR=${2:-/tmp/cairn-s3rver-$PORT}
HOME_S3=${S3RVER_HOME:-/opt/s3rver}
if [ ! -x "$HOME_S3/node_modules/.bin/s3rver" ]; then
  mkdir -p "$HOME_S3"
  npm install --prefix "$HOME_S3" --no-audit --no-fund --silent s3rver@3.7.1 >/dev/null
fi
mkdir -p "$DIR/data"
# Running means a live process: a killed server whose parent is gone may linger as a zombie, which kill -0 accepts.
running() { [ -f "$1" ] && state="$(sed -E 's/.*\) ([A-Za-z]).*/\1/' "/proc/$(cat "$1")/stat" 2>/dev/null)" && [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]; }
if ! running "$DIR/s3rver.pid"; then
  setsid "$HOME_S3/node_modules/.bin/s3rver" -d "$DIR/data" -a 127.0.0.1 -p "$PORT" --silent \
    >"$DIR/s3rver.log" 2>&1 < /dev/null &
  echo $! > "$DIR/s3rver.pid"
  for _ in $(seq 150); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/" || { cat "$DIR/s3rver.log" >&2; exit 1; }
fi
echo "s3rver on http://127.0.0.1:$PORT (pid $(cat "$DIR/s3rver.pid")), data $DIR/data, access key S3RVER, secret S3RVER"
