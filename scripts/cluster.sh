#!/usr/bin/env bash
# A local GopherCron cluster on loopback: MariaDB, etcd, the host, and two standalone agents.
#   scripts/cluster.sh up       start everything (installs MariaDB and etcd with apt when missing) and print endpoints
#   scripts/cluster.sh status   show what runs and the agents the host sees
#   scripts/cluster.sh down     stop everything (data is kept in .cluster/; add --purge to delete it)
# Ports: host API 6306 (HOST_PORT), agents' gRPC 6307 (GRPC_PORT), MariaDB 33306, etcd 23790 (scripts/services.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
STATE="${CLUSTER_DIR:-$ROOT/.cluster}"
HOST_PORT="${HOST_PORT:-6306}"
GRPC_PORT="${GRPC_PORT:-6307}"
ADMIN_PASSWORD="${GOPHERCRON_ADMIN_PASSWORD:-123456}"
export SERVICES_DIR="$STATE/services"
mkdir -p "$STATE"

host_url="http://127.0.0.1:$HOST_PORT"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pid() {
  local file="$1" name="$2"
  if alive "$file"; then
    local pid; pid="$(cat "$file")"
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

up() {
  bash scripts/services.sh start
  # shellcheck disable=SC1091
  source "$SERVICES_DIR/services.env"

  echo "building the host and the agent..."
  dotnet build src/Host/GopherCron.Host -c Release -o "$STATE/bin/host" --nologo -v quiet
  dotnet build src/Agent/GopherCron.Agent.Service -c Release -o "$STATE/bin/agent" --nologo -v quiet

  if ! alive "$STATE/host.pid"; then
    mkdir -p "$STATE/host"
    # Only the server is backgrounded (so $! is its pid), with every stream redirected (so no caller's pipe is held).
    (cd "$STATE/host" || exit 1
      GOPHERCRON_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
      Database__Provider=mariadb Database__ConnectionString="$GOPHERCRON_TEST_MYSQL" \
      Etcd__Endpoints="$ETCD_ENDPOINTS" Agent__Embedded=false Agents__GrpcPort="$GRPC_PORT" \
      nohup dotnet "$STATE/bin/host/GopherCron.Host.dll" --urls "$host_url" < /dev/null > "$STATE/host/host.log" 2>&1 &
      echo $! > "$STATE/host.pid")
  fi
  wait_http "$host_url/health/ready"

  local token project agent_token
  token="$(curl -fsS "$host_url/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"account\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" | json_field token)"
  [ -n "$token" ] || { echo "cannot log in as admin (GOPHERCRON_ADMIN_PASSWORD?)" >&2; exit 1; }
  project="$(curl -fsS "$host_url/api/v1/projects?search=cluster" -H "Authorization: Bearer $token" | json_field id)"
  if [ -z "$project" ]; then
    project="$(curl -fsS "$host_url/api/v1/projects" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d '{"name":"cluster","remark":"created by scripts/cluster.sh"}' | json_field id)"
  fi
  agent_token="$(curl -fsS "$host_url/api/v1/projects/$project/token" -H "Authorization: Bearer $token" | json_field token)"

  for n in 1 2; do
    if ! alive "$STATE/agent$n.pid"; then
      mkdir -p "$STATE/agent$n"
      (cd "$STATE/agent$n" || exit 1
        nohup dotnet "$STATE/bin/agent/gophercron-agent.dll" \
          --Agent:Name="agent$n" --Agent:Hosts:0="http://127.0.0.1:$GRPC_PORT" --Agent:Project="$project:$agent_token" \
          --Agent:Labels="node=agent$n" --Agent:Weight=50 --Etcd:Endpoints="$ETCD_ENDPOINTS" \
          < /dev/null > "$STATE/agent$n/agent.log" 2>&1 &
        echo $! > "$STATE/agent$n.pid")
    fi
  done

  for _ in $(seq 1 100); do
    [ "$(curl -fsS "$host_url/api/v1/projects/$project/agents" -H "Authorization: Bearer $token" | grep -o '"connected":true' | wc -l)" -ge 2 ] && break
    sleep 0.2
  done

  cat <<INFO

GopherCron cluster is up
  API and UI   $host_url  (admin / $ADMIN_PASSWORD)   OpenAPI $host_url/openapi/v1.json
  agents' gRPC http://127.0.0.1:$GRPC_PORT
  health       $host_url/health/ready      metrics $host_url/metrics
  MariaDB      $GOPHERCRON_TEST_MYSQL
  etcd         $ETCD_ENDPOINTS   (agents under /gophercron/agents/)
  project      "cluster" (id $project), agent token $agent_token
  agents       agent1 (node=agent1), agent2 (node=agent2), logs in $STATE/agent*/agent.log
  host log     $STATE/host/host.log
  stop with    scripts/cluster.sh down
INFO
  status
}

status() {
  for name in host agent1 agent2; do
    if alive "$STATE/$name.pid"; then echo "$name: running (pid $(cat "$STATE/$name.pid"))"; else echo "$name: stopped"; fi
  done
  bash scripts/services.sh status || true
  if curl -fsS -o /dev/null "$host_url/health/ready" 2>/dev/null; then
    local token
    token="$(curl -fsS "$host_url/api/v1/auth/login" -H 'Content-Type: application/json' \
      -d "{\"account\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" | json_field token)"
    echo "agents seen by the host:"
    curl -fsS "$host_url/api/v1/agents" -H "Authorization: Bearer $token"; echo
  fi
}

down() {
  stop_pid "$STATE/agent1.pid" agent1
  stop_pid "$STATE/agent2.pid" agent2
  stop_pid "$STATE/host.pid" host
  bash scripts/services.sh stop "$@"
  if [ "${1:-}" = "--purge" ]; then rm -rf "$STATE"; echo "purged $STATE"; fi
}

case "${1:-}" in
  up) up ;;
  status) status ;;
  down) shift; down "$@" ;;
  *) echo "usage: scripts/cluster.sh up|status|down [--purge]" >&2; exit 2 ;;
esac
