#!/usr/bin/env bash
# start-postgres.sh [PORT=25432] [DIR=/tmp/cairn-postgres-PORT]
# Starts a throw-away PostgreSQL cluster (Debian's package, any major version) on 127.0.0.1:PORT for the
# database-dump tests: data in DIR/data, run as the OS user postgres, fsync off (fast, not crash-safe).
# Superuser postgres with password postgres-secret over TCP (scram-sha-256), or without one over the unix
# socket in DIR (trust); DIR/pgpass is a password file for libpq clients (PGPASSFILE=DIR/pgpass).
# Installs postgresql when it is missing; Debian's own cluster (5432), if the package starts one, is left alone.
# Running it again while the server runs changes nothing. Must run as root.
# Stop: runuser -u postgres -- /usr/lib/postgresql/"$(cat DIR/data/PG_VERSION)"/bin/pg_ctl -D DIR/data stop -m fast
set -euo pipefail
PORT=${1:-25432}; DIR=${2:-/tmp/cairn-postgres-$PORT}
PASSWORD=postgres-secret

# The server's programs, newest major version; postgresql-client alone brings psql and pg_dump, not initdb.
server_bin() { { ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null || true; } | sort -V | tail -1 | xargs -r dirname; }
BIN=$(server_bin)
if [ -z "$BIN" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends postgresql >/dev/null
  BIN=$(server_bin)
  [ -n "$BIN" ] || { echo "start-postgres.sh: postgresql installed, but no initdb under /usr/lib/postgresql" >&2; exit 1; }
fi

mkdir -p "$DIR"
chown postgres:postgres "$DIR" && chmod 700 "$DIR"
# Two runs at once (two test processes) must not both create or start the cluster. The lock's descriptor is
# closed for the programs run under it: a server that inherited it would hold the lock as long as it runs.
exec 9>"$DIR/start.lock"
flock 9
as_pg() { runuser -u postgres -- "$@" 9>&-; }
if [ ! -d "$DIR/data" ]; then
  # Made aside and renamed when complete, so that a cut-short initdb never passes for a cluster.
  rm -rf "$DIR/data.new"
  (umask 077 && echo "$PASSWORD" > "$DIR/pwfile") && chown postgres "$DIR/pwfile"
  as_pg "$BIN/initdb" -D "$DIR/data.new" -U postgres --pwfile="$DIR/pwfile" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
  mv "$DIR/data.new" "$DIR/data" && rm -f "$DIR/pwfile"
fi
(umask 077 && echo "127.0.0.1:$PORT:*:postgres:$PASSWORD" > "$DIR/pgpass")
if ! as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
  # -k: the socket in DIR, not in /var/run/postgresql (the Debian cluster's, which may not exist).
  as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null || { tail -n 30 "$DIR/postgres.log" >&2; exit 1; }
fi
echo "postgres $(cat "$DIR/data/PG_VERSION") on 127.0.0.1:$PORT (pid $(head -1 "$DIR/data/postmaster.pid")), superuser postgres / $PASSWORD, socket in $DIR, PGPASSFILE=$DIR/pgpass"
