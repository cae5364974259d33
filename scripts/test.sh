#!/usr/bin/env bash
# Runs the whole test suite: unit, integration (the host in process) and end-to-end (the host as a real process).
# Installs what the tests need on a fresh machine, then prints one summary line: "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required: https://dot.net (dotnet not found on PATH)" >&2
  exit 1
fi

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo -n"; else sudo=""; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

# setsid (util-linux) starts every shell run in its own process group so kill and timeout reach the whole tree.
if ! command -v setsid >/dev/null 2>&1; then
  apt_install util-linux
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

set +e
dotnet test GopherCron.slnx --nologo "$@" 2>&1 | tee "$results/out.txt"
status=${PIPESTATUS[0]}
set -e

# One closing line for every test assembly together ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, ...").
awk '
  /(Passed|Failed)!  - Failed:/ {
    gsub(",", "")
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  f += $(i + 1)
      if ($i == "Passed:")  p += $(i + 1)
      if ($i == "Skipped:") s += $(i + 1)
    }
    n++
  }
  END { printf "%d passed, %d failed, %d skipped\n", p, f, s; if (n == 0) exit 1 }
' "$results/out.txt" || { echo "no test assembly reported results" >&2; status=1; }
exit "$status"
