#!/usr/bin/env bash
# start-sshd.sh [PORT=22022] [DIR=/tmp/cairn-sshd-PORT]
# Starts OpenSSH's sshd on 127.0.0.1:PORT for the SFTP tests: key-only login as root, internal-sftp, state in
# DIR (client key DIR/id_ed25519, host key DIR/host_ed25519.pub, known_hosts line DIR/known_hosts).
# Installs openssh-server when it is missing. Running it again while the server runs changes nothing.
# Stop: kill "$(cat DIR/sshd.pid)"
set -euo pipefail
PORT=${1:-22022}; DIR=${2:-/tmp/cairn-sshd-$PORT}
if [ ! -x /usr/sbin/sshd ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null
fi
mkdir -p "$DIR" /run/sshd && chmod 700 "$DIR"
# Running means a live process: a killed server whose parent is gone may linger as a zombie, which kill -0 accepts.
running() { [ -f "$1" ] && state="$(sed -E 's/.*\) ([A-Za-z]).*/\1/' "/proc/$(cat "$1")/stat" 2>/dev/null)" && [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]; }
if ! running "$DIR/sshd.pid"; then
  [ -f "$DIR/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$DIR/host_ed25519"
  [ -f "$DIR/id_ed25519" ]   || ssh-keygen -q -t ed25519 -N '' -f "$DIR/id_ed25519"
  cp "$DIR/id_ed25519.pub" "$DIR/authorized_keys"
  echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$DIR/host_ed25519.pub")" > "$DIR/known_hosts"
  cat > "$DIR/sshd_config" <<CFG
Port $PORT
ListenAddress 127.0.0.1
HostKey $DIR/host_ed25519
PidFile $DIR/sshd.pid
AuthorizedKeysFile $DIR/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
MaxStartups 100
MaxSessions 100
Subsystem sftp internal-sftp
CFG
  rm -f "$DIR/sshd.pid"
  /usr/sbin/sshd -f "$DIR/sshd_config" -E "$DIR/sshd.log"   # daemonizes and writes the pid file
  for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.1; done
  (echo >/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null || { cat "$DIR/sshd.log" >&2; exit 1; }
fi
echo "sshd on 127.0.0.1:$PORT (pid $(cat "$DIR/sshd.pid")), client key $DIR/id_ed25519, known_hosts $DIR/known_hosts"
