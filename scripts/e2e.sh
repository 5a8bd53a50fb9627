#!/usr/bin/env bash
# Browser end-to-end tests of the UI: `flowbench serve` driven by Debian's
# Chromium through playwright-core. Needs build/bin/flowbench (make build-bin),
# frontend/node_modules (npm ci) and /usr/bin/chromium.
# E2E_SHOTS=DIR keeps the screenshots there (default: a temp folder, printed).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FLOWBENCH_BIN:-build/bin/flowbench}
[ -x "$BIN" ] || { echo "e2e: $BIN missing: run make build-bin" >&2; exit 1; }
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "e2e: chromium missing: apt-get install -y chromium" >&2; exit 1; }
[ -d frontend/node_modules/playwright-core ] || npm --prefix frontend ci --no-audit --no-fund
export FLOWBENCH_BIN=$BIN
status=0
for spec in e2e/*.spec.mjs; do
  echo "== $spec"
  timeout 300 node "$spec" || status=1
done
if [ "${E2E_PERF:-0}" = 1 ]; then
  echo "== e2e/perf.mjs"
  timeout 300 node e2e/perf.mjs || status=1
fi
exit $status
