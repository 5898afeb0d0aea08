#!/usr/bin/env bash
# stop-all.sh
# Stops every server the start-*.sh scripts beside this one started with their default directories
# (/tmp/cairn-sshd-PORT, /tmp/cairn-s3rver-PORT, /tmp/cairn-postgres-PORT): the test suite leaves them running so
# that its next run reuses them, and benchmarks stop them so that they measure a quiet machine. The tests start
# them again when they need them. Stopping a server that is not running does nothing.
set -uo pipefail
for pidfile in /tmp/cairn-sshd-*/sshd.pid /tmp/cairn-s3rver-*/s3rver.pid; do
  [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
done
for data in /tmp/cairn-postgres-*/data; do
  [ -f "$data/postmaster.pid" ] && [ -f "$data/PG_VERSION" ] \
    && runuser -u postgres -- /usr/lib/postgresql/"$(cat "$data/PG_VERSION")"/bin/pg_ctl -D "$data" stop -m fast >/dev/null 2>&1
done
exit 0
