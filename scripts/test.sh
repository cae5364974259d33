#!/usr/bin/env bash
# Runs the whole test suite: unit, integration (the host in process) and end-to-end (the host as a real process) on
# SQLite, then the integration tests again on MariaDB; the admin UI's component tests (Vitest) and its browser tests
# (Debian's Chromium driven by Playwright, tests/GopherCron.Ui.Tests, screenshots in artifacts/ui-screenshots).
# Then the load-test harness in smoke mode (load-tests/run.sh smoke; a broken harness fails the run, a missed target
# does not). Installs and starts what the tests need on a fresh machine (scripts/services.sh, chromium), stops it at the end,
# then prints one summary line over every pass: "N passed, N failed, N skipped".
# Set GOPHERCRON_SKIP_MARIADB=1 to run the SQLite pass only.
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

# The browser tests drive Debian's Chromium (a test runner's own browser download cannot work here); the small CJK font
# lets the Simplified Chinese screenshots show their text.
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  apt_install chromium fonts-wqy-microhei || echo "chromium could not be installed: the browser tests will be skipped" >&2
fi

results="$(mktemp -d)"
services_started=0
cleanup() {
  if [ "$services_started" = 1 ]; then bash scripts/services.sh stop || true; fi
  rm -rf "$results"
}
trap cleanup EXIT

if [ "${GOPHERCRON_SKIP_MARIADB:-0}" != 1 ]; then
  # Stopped again by the trap only if this run started them: a developer's running services are left alone.
  if ! bash scripts/services.sh status >/dev/null 2>&1; then services_started=1; fi
  bash scripts/services.sh start
  # shellcheck source=/dev/null
  source "${SERVICES_DIR:-.services}/services.env"
fi

set +e
ui_status=0
if command -v npm >/dev/null 2>&1; then
  # The admin UI's component tests; their counts join the summary as one more test assembly's line.
  (
    cd ui
    if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
      npm ci --no-audit --no-fund
    fi
    npx vitest run --reporter=default --reporter=json --outputFile="$results/vitest.json"
  ) 2>&1 | tee "$results/vitest.txt"
  ui_status=${PIPESTATUS[0]}
  if [ -f "$results/vitest.json" ]; then
    node -e '
      const r = require(process.argv[1]);
      const word = r.numFailedTests > 0 ? "Failed!" : "Passed!";
      console.log(`${word}  - Failed: ${r.numFailedTests}, Passed: ${r.numPassedTests}, Skipped: ${r.numPendingTests + r.numTodoTests}, Total: ${r.numTotalTests} - ui (vitest)`);
    ' "$results/vitest.json" | tee -a "$results/out.txt"
  else
    echo "Failed!  - Failed: 1, Passed: 0, Skipped: 0, Total: 1 - ui (vitest did not report)" | tee -a "$results/out.txt"
    ui_status=1
  fi
else
  echo "npm not found: the admin UI is not built and its tests are skipped (install Node.js 20+ and npm)" >&2
fi

dotnet test GopherCron.slnx --nologo "$@" 2>&1 | tee -a "$results/out.txt"
status=${PIPESTATUS[0]}
[ "$status" = 0 ] && status=$ui_status
if [ "${GOPHERCRON_SKIP_MARIADB:-0}" != 1 ]; then
  # The same integration tests, built by the first pass, each host over its own fresh MariaDB database.
  GOPHERCRON_TEST_STORE=mariadb dotnet test tests/GopherCron.Api.Tests --no-build --nologo "$@" 2>&1 | tee -a "$results/out.txt"
  mariadb_status=${PIPESTATUS[0]}
  [ "$status" = 0 ] && status=$mariadb_status
fi
set -e

# The load-test harness in smoke mode (every scenario, small and short), so it never rots. Only a broken harness
# (a crash, no summary line) fails the run: a missed performance target is a finding for docs/benchmarks.md.
if [ "$status" = 0 ]; then
  echo "load-tests smoke (load-tests/run.sh smoke)..."
  if bash load-tests/run.sh smoke > "$results/smoke.txt" 2>&1; then
    grep '^scenario=' "$results/smoke.txt" || true
  else
    tail -n 40 "$results/smoke.txt" >&2
    echo "load-tests smoke: the harness broke (see above)" >&2
    status=1
  fi
fi

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
