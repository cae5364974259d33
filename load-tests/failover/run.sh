#!/usr/bin/env bash
# Failover chaos: a three-replica cluster (scripts/cluster.sh: MariaDB, etcd, Raft replicas, two agents) runs a
# fire-all task every second whose command records each execution itself; the leader is SIGKILLed again and again,
# restarted as a follower each time. At the end every second of the run is checked against the agents' record.
#
# usage: load-tests/failover/run.sh [--kills N (50)] [--settle SECONDS (2)] [--keep]
# prints, last: duplicates=<n> missed=<n> gap_p50_ms=<n> gap_p99_ms=<n> gap_max_ms=<n> (and more figures)
#   duplicates  scheduled instants executed more than once
#   missed      scheduled instants (whole seconds of the run) never executed
#   gap         SIGKILL of the leader -> first execution after it, on any agent. When no fire fell due during the
#               election this includes waiting for the next instant, so it is an upper bound of the dispatch gap.
#   takeover    SIGKILL of the leader -> the new leader raising the store's fence (it records the time itself)
#   lateness    execution time minus scheduled instant, over every fire of the run (failovers included)
# Exit status 1 when a duplicate or a miss was seen.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
KILLS=50
SETTLE=2
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --kills) KILLS="$2"; shift 2 ;;
    --settle) SETTLE="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: load-tests/failover/run.sh [--kills N] [--settle SECONDS] [--keep]" >&2; exit 2 ;;
  esac
done

export REPLICAS=3
export CLUSTER_DIR="${CLUSTER_DIR:-$(mktemp -d /tmp/gophercron-failover.XXXXXX)}"
export CLUSTER_DATABASE="gophercron_failover_$(date +%s)"
export HOST_PORT="${HOST_PORT:-16306}" GRPC_PORT="${GRPC_PORT:-16307}" RAFT_PORT="${RAFT_PORT:-17306}"
export SERVICES_DIR="${SERVICES_DIR:-$ROOT/.services}"
cluster() { bash scripts/cluster.sh "$@"; }

if bash scripts/services.sh status >/dev/null 2>&1; then export CLUSTER_KEEP_SERVICES=1; fi
finish() {
  cluster down > /dev/null 2>&1 || true
  if [ "$KEEP" = 0 ]; then rm -rf "$CLUSTER_DIR"; else echo "kept $CLUSTER_DIR"; fi
}
trap finish EXIT

now_ms() { date +%s%3N; }
json_field() { sed -n "s/.*\"$1\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p" | head -n 1; }

echo "starting the cluster in $CLUSTER_DIR ..."
cluster up > "$CLUSTER_DIR/up.log" 2>&1 || { tail -40 "$CLUSTER_DIR/up.log" >&2; exit 1; }
api="http://127.0.0.1:$HOST_PORT"
lead="$(cluster leader)"
api="http://127.0.0.1:$((HOST_PORT + 10 * lead))"
token="$(curl -fsS "$api/api/v1/auth/login" -H 'Content-Type: application/json' -d '{"account":"admin","password":"123456"}' | json_field token)"
project="$(cat "$CLUSTER_DIR/project")"
EXEC="$CLUSTER_DIR/executions.log"
: > "$EXEC"
# The agents' own record: scheduled instant (unix s), execution time (unix ms), run id.
command="echo \\\"\$(date -d \$GOPHERCRON_SCHEDULED_AT +%s) \$(date +%s%3N) \$GOPHERCRON_RUN_ID\\\" >> $EXEC"
curl -fsS "$api/api/v1/projects/$project/tasks" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"name\":\"failover-tick\",\"cron\":\"* * * * * *\",\"misfire\":\"fireAll\",\"config\":{\"command\":\"$command\"}}" > /dev/null
started_ms="$(now_ms)"
for _ in $(seq 1 100); do [ "$(wc -l < "$EXEC")" -ge 3 ] && break; sleep 0.2; done
[ "$(wc -l < "$EXEC")" -ge 3 ] || { echo "the task does not run" >&2; exit 1; }

GAPS="$CLUSTER_DIR/gaps"
TAKEOVERS="$CLUSTER_DIR/takeovers"
: > "$GAPS"
: > "$TAKEOVERS"
for k in $(seq 1 "$KILLS"); do
  for _ in $(seq 1 150); do cluster leader > /dev/null 2>&1 && break; sleep 0.2; done
  read -r _ victim pid killed_at < <(cluster kill-leader)
  # The new leader's first dispatch shows as the first execution after the kill.
  gap=""
  for _ in $(seq 1 600); do
    first="$(awk -v t="$killed_at" '$2 > t { print $2 }' "$EXEC" | sort -n | head -n 1)"
    if [ -n "$first" ]; then gap=$((first - killed_at)); break; fi
    sleep 0.05
  done
  [ -n "$gap" ] || { echo "no execution within 30 s of kill $k" >&2; gap=30000; }
  echo "$gap" >> "$GAPS"
  new_leader="$(cluster leader || echo '?')"
  # When the new leader took office (raised the store's fence), as it recorded itself.
  takeover="?"
  if [ "$new_leader" != "?" ]; then
    since="$(curl -fsS "http://127.0.0.1:$((HOST_PORT + 10 * new_leader))/api/v1/cluster" -H "Authorization: Bearer $token" \
      | sed -n 's/.*"office":{[^}]*"since":"\([^"]*\)".*/\1/p')"
    if [ -n "$since" ]; then
      takeover=$(( $(date -d "$since" +%s%3N) - killed_at ))
      echo "$takeover" >> "$TAKEOVERS"
    fi
  fi
  printf 'kill %d/%d: replica %s (pid %s) -> leader %s, in office after %s ms, first execution after %d ms\n' \
    "$k" "$KILLS" "$victim" "$pid" "$new_leader" "$takeover" "$gap"
  cluster start "$victim" > /dev/null
  sleep "$SETTLE"
done

ended_ms="$(now_ms)"
sleep 3
# Every whole second from the first full second after the task started to two seconds before the end must be there once.
from=$(( started_ms / 1000 + 2 ))
to=$(( ended_ms / 1000 - 2 ))
percentiles() { sort -n | awk '
  { v[++n] = $1 }
  END {
    if (n == 0) { print "0 0 0 0"; exit }
    p50 = int((n * 50 + 99) / 100); p99 = int((n * 99 + 99) / 100)
    printf "%d %d %d %d\n", v[p50], v[p99], v[n], n
  }'; }
read -r duplicates missed < <(awk -v from="$from" -v to="$to" '
  { count[$1]++ }
  END {
    d = 0; for (s in count) if (count[s] > 1) d++
    m = 0; for (s = from; s <= to; s++) if (!(s in count)) m++
    printf "%d %d\n", d, m
  }' "$EXEC")
read -r late_p50 late_p99 late_max fires < <(awk '{ print $2 - $1 * 1000 }' "$EXEC" | percentiles)
read -r gap_p50 gap_p99 gap_max _ < <(percentiles < "$GAPS")
read -r takeover_p50 takeover_p99 takeover_max _ < <(percentiles < "$TAKEOVERS")
echo "kills=$KILLS fires=$fires window_s=$((to - from + 1)) takeover_p50_ms=$takeover_p50 takeover_p99_ms=$takeover_p99 takeover_max_ms=$takeover_max lateness_p50_ms=$late_p50 lateness_p99_ms=$late_p99 lateness_max_ms=$late_max"
echo "duplicates=$duplicates missed=$missed gap_p50_ms=$gap_p50 gap_p99_ms=$gap_p99 gap_max_ms=$gap_max"
[ "$duplicates" = 0 ] && [ "$missed" = 0 ]
