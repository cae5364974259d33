#!/usr/bin/env bash
# Profiles the GopherCron host under the lateness workload: starts `run.sh lateness --tasks N`, attaches dotnet-trace
# (thread-time sampling, 10 s) to the host once it fires, and prints where the threads spend their time.
# usage: load-tests/profile.sh [tasks=10000] [out=load-tests/results/profile-<tasks>]
# needs: dotnet tool install -g dotnet-trace; python3
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tasks="${1:-10000}"
out="${2:-$here/results/profile-$tasks}"
work="$(mktemp -d)"
trace="${DOTNET_TRACE:-$HOME/.dotnet/tools/dotnet-trace}"
mkdir -p "$(dirname "$out")"
"$here/run.sh" lateness --tasks "$tasks" --warmup 5 --seconds 25 --keep-work --work "$work" > "$out.log" 2>&1 &
runner=$!
pid=""
for _ in $(seq 1 300); do
  sleep 1
  # The measured host is the one started in the scenario's data folder once start records appear.
  if [ -s "$work/lateness/gophercron-$tasks.bin" ]; then
    for p in $(pgrep -f GopherCron.Host.dll || true); do
      if [ "$(readlink "/proc/$p/cwd" 2>/dev/null)" = "$work/lateness/gophercron-$tasks" ]; then pid=$p; fi
    done
  fi
  [ -n "$pid" ] && break
done
[ -n "$pid" ] || { echo "no host found" >&2; kill "$runner" 2>/dev/null; exit 1; }
sleep 8
"$trace" collect -p "$pid" --duration 00:00:00:10 --profile dotnet-sampled-thread-time --format Speedscope -o "$out.nettrace" > /dev/null
wait "$runner" || true
rm -rf "$work"
tail -n 1 "$out.log"
python3 "$here/tools/thread_time.py" "$out.speedscope.json" 0.5
