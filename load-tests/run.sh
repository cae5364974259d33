#!/usr/bin/env bash
# The load and benchmark harness: one entry for every scenario.
#
# usage: load-tests/run.sh <scenario> [--option value ...]
#   lateness   N no-op tasks on 1-second schedules (default 1k, 10k, 100k): lateness p50/p99/p99.9/max, fires/s, CPU, RSS
#   peers      the same workload on GopherCron, Quartz.NET (RAM and clustered ADO on MariaDB) and Hangfire (in-memory)
#   knee       raise the fire rate until lateness p99 passes 100 ms, for GopherCron and each peer
#   api        mixed REST reads and writes at a fixed rate (default 1,000 req/s): p50/p99 latency and errors
#   e2e        1,000 tasks running `true` every second through the built-in agent: runs/s stored, lateness, lost fires
#   smoke      every scenario above, small and short (CI); fails only if the harness itself breaks
#   failover   owned by load-tests/failover/run.sh (issue 4)
#
# Builds the host, the noop executor plugin and the runner (Release; smoke uses Debug, which the test run has just
# built), then runs the scenario. Reports go to load-tests/results/<scenario>-<time>/ (report.md, report.json,
# chart.svg); the last line printed is the scenario's summary: "scenario=<name> key=value ...".
# env: LOADTEST_CONFIGURATION (Release; Debug for smoke), GOPHERCRON_TEST_MYSQL (MariaDB for the quartz-ado peer;
#      read from .services/services.env when present), GOPHERCRON_SKIP_MARIADB=1 (skip the quartz-ado peer)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"

if [ $# -eq 0 ]; then
  sed -n '3,17p' "$0" >&2
  exit 2
fi

scenario="$1"
if [ "$scenario" = failover ]; then
  shift
  if [ -f "$here/failover/run.sh" ]; then
    exec bash "$here/failover/run.sh" "$@"
  fi
  echo "load-tests/run.sh: the failover scenario is missing (load-tests/failover/run.sh does not exist yet; issue 4)" >&2
  exit 2
fi

if [ "$scenario" = smoke ]; then config="${LOADTEST_CONFIGURATION:-Debug}"; else config="${LOADTEST_CONFIGURATION:-Release}"; fi

if [ -z "${GOPHERCRON_TEST_MYSQL:-}" ] && [ "${GOPHERCRON_SKIP_MARIADB:-0}" != 1 ] && [ -f "${SERVICES_DIR:-$repo/.services}/services.env" ]; then
  # shellcheck source=/dev/null
  source "${SERVICES_DIR:-$repo/.services}/services.env"
fi

# One project at a time (-m:1): the machine is small and shared.
build() { dotnet build "$1" -c "$config" -m:1 --nologo -v:q -clp:ErrorsOnly >&2; }
echo "[run.sh] building ($config)..." >&2
build "$repo/src/Host/GopherCron.Host/GopherCron.Host.csproj"
build "$here/GopherCron.LoadTests.NoopPlugin/GopherCron.LoadTests.NoopPlugin.csproj"
build "$here/GopherCron.LoadTests/GopherCron.LoadTests.csproj"

host_out="$repo/src/Host/GopherCron.Host/bin/$config/net10.0"
plugins="$here/.work/plugins-$config"
rm -rf "$plugins"
mkdir -p "$plugins/noop"
cp -r "$host_out/plugins/." "$plugins/"
# The plugin folder gets the plugin and its private dependencies, never a second copy of the SDK.
find "$here/GopherCron.LoadTests.NoopPlugin/bin/$config/net10.0" -maxdepth 1 -type f ! -name 'GopherCron.Plugins.Abstractions.*' \
  -exec cp {} "$plugins/noop/" \;

export GOPHERCRON_HOST_DLL="$host_out/GopherCron.Host.dll"
export GOPHERCRON_BENCH_PLUGINS="$plugins"
export GOPHERCRON_BENCH_ROOT="$here"
echo "[run.sh] $scenario, uptime: $(uptime)" >&2
exec dotnet "$here/GopherCron.LoadTests/bin/$config/net10.0/GopherCron.LoadTests.dll" "$@"
