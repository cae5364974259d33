#!/usr/bin/env bash
# The cluster backends for development and tests: MariaDB and etcd as plain background processes (no systemd, no
# Docker), listening on loopback only, with all state under one folder.
#
# usage: scripts/services.sh start            install (apt, only when missing), start, wait until ready; idempotent
#        scripts/services.sh stop [--purge]   stop by pid file; --purge also deletes the state folder
#        scripts/services.sh status           print what runs and where
#
# env:   SERVICES_DIR (<repo>/.services)  MARIADB_PORT (33306)  ETCD_CLIENT_PORT (23790)  ETCD_PEER_PORT (23800)
#        DB_USER (gophercron)  DB_PASS (gophercron)  DB_NAME (gophercron)  SERVICES_TIMEOUT (60 s)
# out:   $SERVICES_DIR/services.env to source: GOPHERCRON_TEST_MYSQL (a connection string to the base database
#        $DB_NAME; tests create their own databases named ${DB_NAME}_*) and ETCD_ENDPOINTS.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
SERVICES_DIR="${SERVICES_DIR:-$repo/.services}"
MARIADB_PORT="${MARIADB_PORT:-33306}"
ETCD_CLIENT_PORT="${ETCD_CLIENT_PORT:-23790}"
ETCD_PEER_PORT="${ETCD_PEER_PORT:-23800}"
DB_USER="${DB_USER:-gophercron}"
DB_PASS="${DB_PASS:-gophercron}"
DB_NAME="${DB_NAME:-gophercron}"
TIMEOUT="${SERVICES_TIMEOUT:-60}"

# The mariadb CLI reads these from the environment; MYSQL_HOST=127.0.0.1 silently turns --socket into a TCP connect
# to port 3306. Never inherit them.
unset MYSQL_HOST MYSQL_TCP_PORT MYSQL_UNIX_PORT MYSQL_PWD
# etcd reads every ETCD_* variable as a flag, and etcdctl refuses an ETCDCTL_ENDPOINTS next to --endpoints: a shell
# that sourced services.env must still be able to run this script.
unset ETCD_ENDPOINTS ETCDCTL_ENDPOINTS

log() { printf '[services] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

MDB="$SERVICES_DIR/mariadb"
MDB_PID="$SERVICES_DIR/mariadb.pid"
ETCD="$SERVICES_DIR/etcd"
ETCD_PID="$SERVICES_DIR/etcd.pid"
ETCD_URL="http://127.0.0.1:$ETCD_CLIENT_PORT"
MYSQL_CS="Server=127.0.0.1;Port=$MARIADB_PORT;Database=$DB_NAME;User ID=$DB_USER;Password=$DB_PASS"

socket_path() {
  # Unix socket paths must stay under ~107 bytes: deep state folders put the socket in /tmp.
  local s="$MDB/mysqld.sock"
  if [ "${#s}" -gt 100 ]; then s="/tmp/gophercron-mariadb-$(printf '%s' "$SERVICES_DIR" | md5sum | cut -c1-12).sock"; fi
  printf '%s' "$s"
}

alive() {  # pidfile comm-regex: the pid is running AND is the program we started (pids get reused)
  local pid
  [ -s "$1" ] || return 1
  pid="$(cat "$1")"
  kill -0 "$pid" 2>/dev/null && grep -Eq "$2" "/proc/$pid/comm" 2>/dev/null
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

install_missing() {
  local pkgs=() sudo=""
  { [ -x /usr/sbin/mariadbd ] && command -v mariadb-install-db && command -v mariadb-admin && command -v mariadb; } >/dev/null \
    || pkgs+=(mariadb-server mariadb-client)
  { command -v etcd && command -v etcdctl; } >/dev/null || pkgs+=(etcd-server etcd-client)
  [ "${#pkgs[@]}" -eq 0 ] && return
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "need root or sudo to install ${pkgs[*]}"
    sudo="sudo -n"
  fi
  log "installing ${pkgs[*]}"
  mkdir -p "$SERVICES_DIR"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$SERVICES_DIR/apt.log" 2>&1 \
    || { tail -20 "$SERVICES_DIR/apt.log" >&2; die "apt-get update failed"; }
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >>"$SERVICES_DIR/apt.log" 2>&1 \
    || { tail -20 "$SERVICES_DIR/apt.log" >&2; die "apt-get install failed"; }
}

root_sql() { mariadb --no-defaults --connect-timeout=10 -hlocalhost --socket="$(socket_path)" -uroot "$@"; }
mdb_ping() { mariadb-admin --no-defaults --connect-timeout=2 -hlocalhost --socket="$(socket_path)" -uroot ping >/dev/null 2>&1; }

start_mariadb() {
  local i user_args=()
  if alive "$MDB_PID" 'mariadbd|mysqld'; then
    log "MariaDB already running (pid $(cat "$MDB_PID"))"
  else
    port_busy "$MARIADB_PORT" && die "port $MARIADB_PORT is in use by another process (set MARIADB_PORT)"
    mkdir -p "$MDB"
    # mariadbd refuses to run as root unless told so explicitly.
    [ "$(id -u)" -eq 0 ] && user_args=(--user=root)
    if [ ! -d "$MDB/data/mysql" ]; then
      # root@localhost with an empty password, over the socket only.
      mariadb-install-db --no-defaults --datadir="$MDB/data" --user="$(id -un)" \
        --auth-root-authentication-method=normal --skip-test-db >"$MDB/install.log" 2>&1 \
        || { tail -20 "$MDB/install.log" >&2; die "mariadb-install-db failed"; }
    fi
    # --no-defaults first: /etc/mysql points the socket and pid file at /run/mysqld, absent without systemd.
    # A development/test server: the redo log is flushed once a second rather than at every commit (an OS crash
    # may lose the last second), which keeps commit latency low on a busy CI machine.
    nohup /usr/sbin/mariadbd --no-defaults "${user_args[@]}" \
      --datadir="$MDB/data" --socket="$(socket_path)" --pid-file="$MDB/mariadbd.pid" \
      --port="$MARIADB_PORT" --bind-address=127.0.0.1 --skip-name-resolve \
      --log-error="$MDB/error.log" --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
      --innodb-buffer-pool-size=256M --max-connections=500 \
      --innodb-flush-log-at-trx-commit=2 \
      </dev/null >"$MDB/stdout.log" 2>&1 &
    echo $! >"$MDB_PID"
    for ((i = 0; i < TIMEOUT * 10; i++)); do
      mdb_ping && break
      alive "$MDB_PID" 'mariadbd|mysqld' || { tail -30 "$MDB/error.log" >&2; rm -f "$MDB_PID"; die "mariadbd exited while starting"; }
      sleep 0.1
    done
    mdb_ping || { tail -30 "$MDB/error.log" >&2; die "MariaDB not ready after ${TIMEOUT}s"; }
    log "MariaDB started (pid $(cat "$MDB_PID")) on 127.0.0.1:$MARIADB_PORT"
  fi
  # With --skip-name-resolve a TCP client is user@127.0.0.1 and a socket client user@localhost: grant both.
  # Tests create and drop their own databases named ${DB_NAME}_<something>.
  root_sql <<SQL
CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASS';
ALTER USER '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
ALTER USER '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASS';
GRANT ALL PRIVILEGES ON \`${DB_NAME}%\`.* TO '$DB_USER'@'127.0.0.1', '$DB_USER'@'localhost';
FLUSH PRIVILEGES;
SQL
  # The TCP listener can lag the socket briefly: prove a password login over TCP works before declaring success.
  local err=""
  for ((i = 0; i < 40; i++)); do
    err=$(mariadb --no-defaults --connect-timeout=5 --protocol=TCP -h127.0.0.1 -P"$MARIADB_PORT" \
      -u"$DB_USER" -p"$DB_PASS" "$DB_NAME" -N -e 'SELECT 1' 2>&1 >/dev/null) && return
    sleep 0.25
  done
  die "TCP login as $DB_USER on 127.0.0.1:$MARIADB_PORT failed: $err"
}

etcd_health() { etcdctl --endpoints="$ETCD_URL" --command-timeout=2s endpoint health >/dev/null 2>&1; }

start_etcd() {
  local i
  if alive "$ETCD_PID" '^etcd'; then
    log "etcd already running (pid $(cat "$ETCD_PID"))"
    return
  fi
  port_busy "$ETCD_CLIENT_PORT" && die "port $ETCD_CLIENT_PORT is in use by another process (set ETCD_CLIENT_PORT)"
  port_busy "$ETCD_PEER_PORT" && die "port $ETCD_PEER_PORT is in use by another process (set ETCD_PEER_PORT)"
  mkdir -p "$ETCD"
  # A single-member cluster; the explicit initial cluster makes the advertised peer URL match the listener.
  nohup etcd --name gophercron --data-dir "$ETCD/data" \
    --listen-client-urls "$ETCD_URL" --advertise-client-urls "$ETCD_URL" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "gophercron=http://127.0.0.1:$ETCD_PEER_PORT" \
    --logger zap --log-outputs stderr \
    </dev/null >"$ETCD/etcd.log" 2>&1 &
  echo $! >"$ETCD_PID"
  for ((i = 0; i < TIMEOUT * 10; i++)); do
    etcd_health && break
    alive "$ETCD_PID" '^etcd' || { tail -30 "$ETCD/etcd.log" >&2; rm -f "$ETCD_PID"; die "etcd exited while starting"; }
    sleep 0.1
  done
  etcd_health || { tail -30 "$ETCD/etcd.log" >&2; die "etcd not healthy after ${TIMEOUT}s"; }
  log "etcd started (pid $(cat "$ETCD_PID")) on $ETCD_URL"
}

write_env() {
  cat >"$SERVICES_DIR/services.env" <<ENV
# Written by scripts/services.sh start; source it. (Deliberately no MYSQL_* names: the mariadb CLI reads those.)
export GOPHERCRON_TEST_MYSQL='$MYSQL_CS'
export ETCD_ENDPOINTS='$ETCD_URL'
ENV
}

stop_one() {  # name pidfile comm-regex
  local pid i
  [ -s "$2" ] || { log "$1: not running (no pid file)"; return 0; }
  pid="$(cat "$2")"
  if ! alive "$2" "$3"; then
    log "$1: pid $pid is not $1 any more; nothing to stop"
    rm -f "$2"
    return 0
  fi
  kill -TERM "$pid"
  for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$1: pid $pid ignored SIGTERM for 30 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  kill -0 "$pid" 2>/dev/null && { log "$1: pid $pid still alive"; return 1; }
  rm -f "$2"
  log "$1: stopped (pid $pid)"
}

status() {
  local rc=0
  if alive "$MDB_PID" 'mariadbd|mysqld'; then
    echo "mariadb  running (pid $(cat "$MDB_PID"))  127.0.0.1:$MARIADB_PORT  $MYSQL_CS"
  else
    echo "mariadb  stopped"; rc=1
  fi
  if alive "$ETCD_PID" '^etcd'; then
    echo "etcd     running (pid $(cat "$ETCD_PID"))  $ETCD_URL (peer 127.0.0.1:$ETCD_PEER_PORT)"
  else
    echo "etcd     stopped"; rc=1
  fi
  echo "env      $SERVICES_DIR/services.env"
  return "$rc"
}

case "${1:-}" in
  start)
    mkdir -p "$SERVICES_DIR"
    SERVICES_DIR="$(cd "$SERVICES_DIR" && pwd)"
    MDB="$SERVICES_DIR/mariadb"; MDB_PID="$SERVICES_DIR/mariadb.pid"; ETCD="$SERVICES_DIR/etcd"; ETCD_PID="$SERVICES_DIR/etcd.pid"
    install_missing
    start_mariadb
    start_etcd
    write_env
    status
    ;;
  stop)
    rc=0
    stop_one etcd "$ETCD_PID" '^etcd' || rc=1
    stop_one mariadb "$MDB_PID" 'mariadbd|mysqld' || rc=1
    if [ "${2:-}" = "--purge" ] && [ "$rc" = 0 ]; then rm -rf "$SERVICES_DIR" && log "purged $SERVICES_DIR"; fi
    exit "$rc"
    ;;
  status) status ;;
  *) echo "usage: $0 start|stop [--purge]|status" >&2; exit 2 ;;
esac
