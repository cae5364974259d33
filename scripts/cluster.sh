#!/usr/bin/env bash
# A local GopherCron cluster on loopback: MariaDB, etcd, host replicas electing the scheduling leader with Raft, and
# two standalone agents that know every replica and follow the leader by themselves.
#   scripts/cluster.sh up            start everything (installs MariaDB and etcd with apt when missing), print endpoints
#   scripts/cluster.sh status        what runs, each replica's role and term, and the agents the cluster sees
#   scripts/cluster.sh leader        print the index of the replica that leads (exit 1 if none)
#   scripts/cluster.sh kill N        SIGKILL replica N (0-based);  stop N: SIGTERM;  start N: start it again
#   scripts/cluster.sh kill-leader   SIGKILL the leader; prints "killed <index> <pid> <unix ms>"
#   scripts/cluster.sh down          stop everything (data is kept in .cluster/; add --purge to delete it)
# Settings (environment): REPLICAS (3; 1 runs one standalone host), CLUSTER_DIR (.cluster), CLUSTER_DATABASE
# (gophercron_cluster), HOST_PORT (6306), GRPC_PORT (6307), RAFT_PORT (7306). Replica i listens on HOST_PORT+10*i
# (API and UI), GRPC_PORT+10*i (agents) and RAFT_PORT+10*i (Raft). MariaDB 33306 and etcd 23790 (scripts/services.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
STATE="${CLUSTER_DIR:-$ROOT/.cluster}"
REPLICAS="${REPLICAS:-3}"
HOST_PORT="${HOST_PORT:-6306}"
GRPC_PORT="${GRPC_PORT:-6307}"
RAFT_PORT="${RAFT_PORT:-7306}"
DATABASE="${CLUSTER_DATABASE:-gophercron_cluster}"
ADMIN_PASSWORD="${GOPHERCRON_ADMIN_PASSWORD:-123456}"
export SERVICES_DIR="${SERVICES_DIR:-$ROOT/.services}"
mkdir -p "$STATE"

api_url() { echo "http://127.0.0.1:$((HOST_PORT + 10 * $1))"; }
grpc_url() { echo "http://127.0.0.1:$((GRPC_PORT + 10 * $1))"; }
raft_endpoint() { echo "127.0.0.1:$((RAFT_PORT + 10 * $1))"; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pid() {
  local file="$1" name="$2"
  if alive "$file"; then
    local pid; pid="$(cat "$file")"
    kill -CONT "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    echo "stopped $name (pid $pid)"
  fi
  rm -f "$file"
}

wait_http() {
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "timed out waiting for $1" >&2
  return 1
}

json_field() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" | head -n 1; }

load_services() {
  # shellcheck disable=SC1091
  source "$SERVICES_DIR/services.env"
  CONNECTION="${GOPHERCRON_TEST_MYSQL/Database=gophercron;/Database=$DATABASE;}"
}

# An admin token, kept in $STATE/token (logging in costs a password hash each time).
token() {
  local i t
  if [ -s "$STATE/token" ]; then cat "$STATE/token"; return 0; fi
  for i in $(seq 0 $((REPLICAS - 1))); do
    t="$(curl -fsS --max-time 5 "$(api_url "$i")/api/v1/auth/login" -H 'Content-Type: application/json' \
      -d "{\"account\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" 2>/dev/null | json_field token)" || continue
    if [ -n "$t" ]; then echo "$t" > "$STATE/token"; echo "$t"; return 0; fi
  done
  return 1
}

start_replica() {
  local i="$1"
  alive "$STATE/host$i.pid" && return 0
  load_services
  mkdir -p "$STATE/host$i"
  local cluster=()
  if [ "$REPLICAS" -gt 1 ]; then
    cluster+=("--Cluster:Listen=$(raft_endpoint "$i")" "--Cluster:DataPath=$STATE/host$i/raft")
    for m in $(seq 0 $((REPLICAS - 1))); do cluster+=("--Cluster:Members:$m=$(raft_endpoint "$m")"); done
  fi
  # Only the server is backgrounded (so $! is its pid), with every stream redirected (so no caller's pipe is held).
  (cd "$STATE/host$i" || exit 1
    GOPHERCRON_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
    nohup dotnet "$STATE/bin/host/GopherCron.Host.dll" --urls "$(api_url "$i")" \
      --Database:Provider=mariadb --Database:ConnectionString="$CONNECTION" \
      --Etcd:Endpoints="$ETCD_ENDPOINTS" --Agent:Embedded=false --Agents:GrpcPort=$((GRPC_PORT + 10 * i)) \
      --Logging:Console:FormatterName=simple --Logging:Console:FormatterOptions:TimestampFormat="HH:mm:ss.fff " --Logging:Console:FormatterOptions:SingleLine=true \
      "${cluster[@]}" < /dev/null >> "$STATE/host$i/host.log" 2>&1 &
    echo $! > "$STATE/host$i.pid")
  wait_http "$(api_url "$i")/health/live"
}

# Prints "<index> <role> <term>" for each replica that answers.
roles() {
  local auth i view
  auth="$(token)" || return 0
  for i in $(seq 0 $((REPLICAS - 1))); do
    view="$(curl -fsS --max-time 5 "$(api_url "$i")/api/v1/cluster" -H "Authorization: Bearer $auth" 2>/dev/null)" || continue
    echo "$i $(echo "$view" | json_field role) $(echo "$view" | json_field term)"
  done
}

leader() {
  local line
  line="$(roles | awk '($2 == "leader" || $2 == "standalone") && !found { print $1; found = 1 }')"
  [ -n "$line" ] || return 1
  echo "$line"
}

up() {
  bash scripts/services.sh start
  load_services
  local mariadb_args=(-h127.0.0.1 -P"${MARIADB_PORT:-33306}" -u"${DB_USER:-gophercron}" -p"${DB_PASS:-gophercron}")
  mariadb "${mariadb_args[@]}" -e "CREATE DATABASE IF NOT EXISTS \`$DATABASE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" 2>/dev/null \
    || mysql "${mariadb_args[@]}" -e "CREATE DATABASE IF NOT EXISTS \`$DATABASE\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"

  echo "building the host and the agent..."
  dotnet build src/Host/GopherCron.Host -c Release -o "$STATE/bin/host" --nologo -v quiet
  dotnet build src/Agent/GopherCron.Agent.Service -c Release -o "$STATE/bin/agent" --nologo -v quiet

  # The first replica alone first: it creates the schema; the others then find it migrated.
  start_replica 0
  for i in $(seq 1 $((REPLICAS - 1))); do start_replica "$i"; done
  for _ in $(seq 1 150); do leader >/dev/null && break; sleep 0.2; done
  local lead; lead="$(leader)" || { echo "no leader elected" >&2; exit 1; }

  local auth project agent_token host_url hosts
  host_url="$(api_url "$lead")"
  auth="$(token)" || { echo "cannot log in as admin (GOPHERCRON_ADMIN_PASSWORD?)" >&2; exit 1; }
  project="$(curl -fsS "$host_url/api/v1/projects?search=cluster" -H "Authorization: Bearer $auth" | json_field id)"
  if [ -z "$project" ]; then
    project="$(curl -fsS "$host_url/api/v1/projects" -H "Authorization: Bearer $auth" -H 'Content-Type: application/json' \
      -d '{"name":"cluster","remark":"created by scripts/cluster.sh"}' | json_field id)"
  fi
  agent_token="$(curl -fsS "$host_url/api/v1/projects/$project/token" -H "Authorization: Bearer $auth" | json_field token)"
  hosts="$(for i in $(seq 0 $((REPLICAS - 1))); do grpc_url "$i"; done | paste -sd, -)"
  echo "$project" > "$STATE/project"

  for n in 1 2; do
    if ! alive "$STATE/agent$n.pid"; then
      mkdir -p "$STATE/agent$n"
      (cd "$STATE/agent$n" || exit 1
        nohup dotnet "$STATE/bin/agent/gophercron-agent.dll" \
          --Agent:Name="agent$n" --Agent:Hosts="$hosts" --Agent:Project="$project:$agent_token" \
          --Agent:Labels="node=agent$n" --Agent:Weight=50 --Etcd:Endpoints="$ETCD_ENDPOINTS" \
          --Logging:Console:FormatterName=simple --Logging:Console:FormatterOptions:TimestampFormat="HH:mm:ss.fff " --Logging:Console:FormatterOptions:SingleLine=true \
          < /dev/null >> "$STATE/agent$n/agent.log" 2>&1 &
        echo $! > "$STATE/agent$n.pid")
    fi
  done

  for _ in $(seq 1 100); do
    [ "$(curl -fsS "$host_url/api/v1/projects/$project/agents" -H "Authorization: Bearer $auth" | grep -o '"connected":true' | wc -l)" -ge 2 ] && break
    sleep 0.2
  done

  cat <<INFO

GopherCron cluster is up ($REPLICAS replicas)
  API and UI   $(for i in $(seq 0 $((REPLICAS - 1))); do printf '%s ' "$(api_url "$i")"; done)(any replica; admin / $ADMIN_PASSWORD)
  agents' gRPC $hosts
  MariaDB      $CONNECTION
  etcd         $ETCD_ENDPOINTS   (agents under /gophercron/agents/, the leader under /gophercron/leader)
  project      "cluster" (id $project), agent token $agent_token
  agents       agent1 (node=agent1), agent2 (node=agent2), logs in $STATE/agent*/agent.log
  host logs    $STATE/host*/host.log
  stop with    scripts/cluster.sh down
INFO
  status
}

status() {
  for i in $(seq 0 $((REPLICAS - 1))); do
    if alive "$STATE/host$i.pid"; then echo "replica $i: running (pid $(cat "$STATE/host$i.pid")) $(api_url "$i")"; else echo "replica $i: stopped"; fi
  done
  for name in agent1 agent2; do
    if alive "$STATE/$name.pid"; then echo "$name: running (pid $(cat "$STATE/$name.pid"))"; else echo "$name: stopped"; fi
  done
  bash scripts/services.sh status || true
  echo "roles (index role term):"
  roles | sed 's/^/  /'
  local lead auth
  if lead="$(leader)" && auth="$(token)"; then
    echo "agents seen by the cluster:"
    curl -fsS "$(api_url "$lead")/api/v1/agents" -H "Authorization: Bearer $auth"; echo
  fi
}

down() {
  stop_pid "$STATE/agent1.pid" agent1
  stop_pid "$STATE/agent2.pid" agent2
  for i in $(seq 0 $((REPLICAS - 1))); do stop_pid "$STATE/host$i.pid" "replica $i"; done
  # CLUSTER_KEEP_SERVICES=1 leaves MariaDB and etcd running (a caller that found them running keeps them).
  if [ "${CLUSTER_KEEP_SERVICES:-0}" != 1 ]; then bash scripts/services.sh stop "$@"; fi
  rm -f "$STATE/token"
  if [ "${1:-}" = "--purge" ]; then rm -rf "$STATE"; echo "purged $STATE"; fi
}

case "${1:-}" in
  up) up ;;
  status) status ;;
  leader) leader ;;
  start) start_replica "${2:?replica index}" ;;
  stop) stop_pid "$STATE/host${2:?replica index}.pid" "replica $2" ;;
  kill)
    pid="$(cat "$STATE/host${2:?replica index}.pid")"
    kill -KILL "$pid"; rm -f "$STATE/host$2.pid"; echo "killed $2 $pid $(date +%s%3N)" ;;
  kill-leader)
    i="$(leader)" || { echo "no leader" >&2; exit 1; }
    pid="$(cat "$STATE/host$i.pid")"
    kill -KILL "$pid"; at="$(date +%s%3N)"; rm -f "$STATE/host$i.pid"; echo "killed $i $pid $at" ;;
  down) shift; down "$@" ;;
  *) echo "usage: scripts/cluster.sh up|status|leader|start N|stop N|kill N|kill-leader|down [--purge]" >&2; exit 2 ;;
esac
