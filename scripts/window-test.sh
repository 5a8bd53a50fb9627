#!/usr/bin/env bash
# The real desktop window (Wails + WebKitGTK) under Xvfb: start it on a fresh
# data folder, wait for the frontend's "flowbench: rendered home" line, take a
# screenshot; start it again with FLOWBENCH_OPEN=seed and wait for
# "rendered designer" (the seed flow open on the canvas). Fails if a screen
# did not render. Screenshots go to WINDOW_SHOTS (default: a temp folder).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FLOWBENCH_BIN:-build/bin/flowbench}
TAGS=desktop,production,webkit2_41
if [ ! -x "$BIN" ] || [ "${WINDOW_REBUILD:-0}" = 1 ]; then
  [ -f frontend/dist/index.html ] || npm --prefix frontend run build
  go build -tags "$TAGS" -o "$BIN" .
fi
for t in xvfb-run import xwininfo; do command -v $t >/dev/null || { echo "window-test: $t missing (apt-get install -y xvfb xauth x11-utils imagemagick)" >&2; exit 1; }; done
SHOTS=${WINDOW_SHOTS:-$(mktemp -d /tmp/flowbench-window-XXXXXX)}
mkdir -p "$SHOTS"
DATA=$(mktemp -d /tmp/flowbench-window-data-XXXXXX)
trap 'rm -rf "$DATA"' EXIT
echo "window-test: screenshots in $SHOTS"

# run NAME WAIT_FOR [ENV...]: start the window, wait for the line, screenshot, stop.
run() {
  local name=$1 want=$2; shift 2
  local log="$SHOTS/$name.log"
  local t0 t1
  t0=$(date +%s%N)
  env FLOWBENCH_DATA="$DATA" "$@" xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
    "$1" > "$2" 2>&1 & app=$!
    for i in $(seq 1 600); do
      grep -q "flowbench: rendered $3" "$2" && break
      kill -0 $app 2>/dev/null || break
      sleep 0.1
    done
    sleep 0.5   # let the first paint reach the X server
    import -window root "$4"
    sleep 2     # idle memory: the app process and its WebKit children
    kids=$(pgrep -d, -P $app || true); grand=$( [ -n "$kids" ] && pgrep -d, -P "$kids" || true)
    ps -o rss=,comm= -p "$app${kids:+,$kids}${grand:+,$grand}" > "$2.rss" 2>/dev/null || true
    kill $app 2>/dev/null; wait $app 2>/dev/null || true
  ' _ "$BIN" "$log" "$want" "$SHOTS/$name.png"
  t1=$(date +%s%N)
  if ! grep -q "flowbench: rendered $want" "$log"; then
    echo "window-test: FAIL: $name did not render ($want)"; cat "$log"; return 1
  fi
  # the screenshot must not be one flat colour (a black or empty window)
  local colours
  colours=$(convert "$SHOTS/$name.png" -format '%k' info:)
  if [ "$colours" -lt 20 ]; then echo "window-test: FAIL: $name screenshot has $colours colours"; return 1; fi
  local rss
  rss=$(awk '{s+=$1} END {printf "%.0f MiB in %d processes", s/1024, NR}' "$log.rss" 2>/dev/null || echo "?")
  echo "window-test: $name idle memory (RSS) $rss: $(tr '\n' ' ' < "$log.rss")"
  echo "window-test: $name rendered ($want) — $(( (t1 - t0) / 1000000 )) ms incl. Xvfb start/stop, $colours colours: $SHOTS/$name.png"
}

run home home
# the designer needs a flow: the first-run seed, else the example file
if [ "$(FLOWBENCH_DATA="$DATA" "$BIN" flows 2>/dev/null | grep -vc "^ID ")" = 0 ]; then
  FLOWBENCH_DATA="$DATA" "$BIN" import examples/okta-is-member-of-group.flow.json --into "Getting started" >/dev/null
fi
run designer designer FLOWBENCH_OPEN=seed
echo "window-test: PASS"
