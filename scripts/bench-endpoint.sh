#!/usr/bin/env bash
# Load benchmark of an API Endpoint flow under `flowbench serve`:
# builds the binary, imports a flow of 10 function cards plus one HTTP call
# (API Connector GET over loopback to the server's /healthz; history on),
# serves it and drives POST /api/flows/bench/invoke with wrk over loopback.
# HTTP_CALL=0 leaves the HTTP call out. GET_URL=http://… makes the call to
# another server instead of this one's /healthz (to compare binaries whose
# own responses differ, e.g. in headers, against one and the same target).
# Usage: scripts/bench-endpoint.sh [seconds=10] [connections=32] [threads=2]
# Needs wrk (apt-get install wrk). Prints executions/s, p50/p99, load average,
# the server's RSS sampled every second (RSS_LOG=file keeps the samples) and
# the data directory's size. FLOWBENCH_BIN=path benchmarks that binary
# instead of building one.
set -eu
cd "$(dirname "$0")/.."
DUR=${1:-10}
CONN=${2:-32}
THREADS=${3:-2}
PORT=${PORT:-$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
TMP=$(mktemp -d)
SRV=
trap '[ -n "$SRV" ] && kill "$SRV" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"' EXIT INT TERM PIPE
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }

if [ -n "${FLOWBENCH_BIN:-}" ]; then
  cp "$FLOWBENCH_BIN" "$TMP/flowbench"
else
  echo "building…"
  GOFLAGS=-buildvcs=false go build -o "$TMP/flowbench" .
fi

# card i binds to card i-1; Return hands back the result
cat > "$TMP/bench.flow.json" <<'EOF'
{"format": "flowbench.flow/v1", "id": "bench", "name": "Bench endpoint", "enabled": true,
 "settings": {"history": true},
 "trigger": {"id": "trigger", "type": "api.endpoint", "title": "API Endpoint",
   "inputs": [{"key": "security_level", "value": "open"}, {"key": "rateLimit", "value": 1000000}],
   "outputs": [{"key": "name", "group": "body", "type": "string"}]},
 "cards": [
  {"id": "c1", "type": "text.trim", "inputs": [{"key": "string", "from": {"card": "trigger", "path": ["name"]}}]},
  {"id": "c2", "type": "text.upper", "inputs": [{"key": "string", "from": {"card": "c1", "path": ["output"]}}]},
  {"id": "c3", "type": "text.lower", "inputs": [{"key": "string", "from": {"card": "c2", "path": ["output"]}}]},
  {"id": "c4", "type": "text.concat", "inputs": [{"key": "string1", "value": "Hello, "}, {"key": "string2", "from": {"card": "c3", "path": ["output"]}}]},
  {"id": "c5", "type": "text.length", "inputs": [{"key": "string", "from": {"card": "c4", "path": ["output"]}}]},
  {"id": "c6", "type": "flow.assign", "inputs": [{"key": "greeting", "type": "string", "from": {"card": "c4", "path": ["output"]}},
                                                 {"key": "len", "type": "number", "from": {"card": "c5", "path": ["length"]}}]},
  {"id": "c7", "type": "text.concat", "inputs": [{"key": "string1", "from": {"card": "c6", "path": ["greeting"]}}, {"key": "string2", "value": "!"}]},
  {"id": "c8", "type": "text.upper", "inputs": [{"key": "string", "from": {"card": "c7", "path": ["output"]}}]},
  {"id": "c9", "type": "text.trim", "inputs": [{"key": "string", "from": {"card": "c8", "path": ["output"]}}]},
  {"id": "c10", "type": "flow.assign", "inputs": [{"key": "message", "type": "string", "from": {"card": "c9", "path": ["output"]}},
                                                  {"key": "length", "type": "number", "from": {"card": "c6", "path": ["len"]}}]},
  {"id": "call", "type": "http.get", "connection": "local", "inputs": [{"key": "URL", "value": "http://127.0.0.1:__PORT__/healthz"}]},
  {"id": "ret", "type": "flow.return", "inputs": [{"key": "message", "from": {"card": "c10", "path": ["message"]}},
                                                  {"key": "length", "from": {"card": "c10", "path": ["length"]}}]}
 ]}
EOF
if [ "${HTTP_CALL:-1}" = 0 ]; then
  python3 - "$TMP/bench.flow.json" <<'PY'
import json, sys
p = sys.argv[1]; f = json.load(open(p))
f["cards"] = [c for c in f["cards"] if c["id"] != "call"]
json.dump(f, open(p, "w"))
PY
fi
if [ -n "${GET_URL:-}" ]; then
  sed -i "s|http://127.0.0.1:__PORT__/healthz|$GET_URL|" "$TMP/bench.flow.json"
fi
sed -i "s/__PORT__/$PORT/" "$TMP/bench.flow.json"
"$TMP/flowbench" --data "$TMP/data" connection add http local authType=none >/dev/null
"$TMP/flowbench" --data "$TMP/data" import "$TMP/bench.flow.json" >/dev/null
"$TMP/flowbench" --data "$TMP/data" serve --no-sandbox --addr "127.0.0.1:$PORT" >"$TMP/serve.log" 2>&1 &
SRV=$!
URL="http://127.0.0.1:$PORT/api/flows/bench/invoke"
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
kill -0 "$SRV" 2>/dev/null || { echo "flowbench serve exited:"; cat "$TMP/serve.log"; exit 1; }
check=$(curl -fs -X POST -H 'Content-Type: application/json' -d '{"name":"  ada  "}' "$URL")
echo "response: $check"
[[ "$check" == *'"message":"HELLO, ADA!"'* ]] || { echo "unexpected response"; cat "$TMP/serve.log"; exit 1; }

cat > "$TMP/post.lua" <<'EOF'
wrk.method = "POST"
wrk.body = '{"name":"  ada  "}'
wrk.headers["Content-Type"] = "application/json"
EOF
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# RSS of the server every second while the load runs
rss() { awk '/^VmRSS/ {print int($2/1024)}' "/proc/$SRV/status" 2>/dev/null || echo 0; }
echo "RSS idle: $(rss) MB"
# server CPU time (user+system, clock ticks): per execution it does not
# depend on what else the machine runs, unlike executions/s
cpu() { awk '{print $14+$15}' "/proc/$SRV/stat" 2>/dev/null || echo 0; }
syscpu() { awk '{print $15}' "/proc/$SRV/stat" 2>/dev/null || echo 0; }
CPU0=$(cpu)
SYS0=$(syscpu)
( while kill -0 "$SRV" 2>/dev/null; do echo "$(date +%s) $(rss)"; sleep 1; done ) >"$TMP/rss.txt" &
SAMPLER=$!
report_rss() {
  kill "$SAMPLER" 2>/dev/null || true
  [ -n "${RSS_LOG:-}" ] && cp "$TMP/rss.txt" "$RSS_LOG"
  echo "RSS samples (MB, one a second): $(awk '{print $2}' "$TMP/rss.txt" | tr '\n' ' ')"
  echo "RSS max=$(awk 'm<$2 {m=$2} END {print m+0}' "$TMP/rss.txt")MB last=$(tail -1 "$TMP/rss.txt" | awk '{print $2}')MB"
  echo "data directory: $(du -sm "$TMP/data" | cut -f1) MB"
}
if [ -n "${RATE:-}" ]; then
  # open loop at a fixed rate (hey: WORKERS workers × RATE/WORKERS requests/s each),
  # so latency is measured at the target load rather than at saturation
  command -v hey >/dev/null || { echo "hey is not installed (apt-get install hey)"; exit 1; }
  WORKERS=${WORKERS:-50}
  hey -z "${DUR}s" -c "$WORKERS" -q $((RATE / WORKERS)) -m POST -T application/json -d '{"name":"  ada  "}' "$URL" | tee "$TMP/hey.txt"
  echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
  rps=$(awk '/Requests\/sec/ {print $2}' "$TMP/hey.txt")
  p50=$(awk '/ 50% in/ {print $3*1000 "ms"}' "$TMP/hey.txt")
  p99=$(awk '/ 99% in/ {print $3*1000 "ms"}' "$TMP/hey.txt")
  codes=$(awk '/Status code distribution/ {f=1; next} f && NF {print} ' "$TMP/hey.txt" | tr -s ' ' | tr '\n' ';')
  echo "status codes: $codes"
  report_rss
  echo "RESULT open-loop rate=$RATE executions/s=$rps p50=$p50 p99=$p99 cpus=$(nproc)"
  exit 0
fi
wrk -t"$THREADS" -c"$CONN" -d"${DUR}s" --latency -s "$TMP/post.lua" "$URL" | tee "$TMP/wrk.txt"
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
report_rss
m=$(curl -fs "http://127.0.0.1:$PORT/metrics")
ok=$(echo "$m" | grep '^flowbench_executions_total{flow="bench"' | grep 'status="success"' | awk '{s+=$NF} END {print s+0}')
bad=$(echo "$m" | grep '^flowbench_executions_total{flow="bench"' | grep -v 'status="success"' | awk '{s+=$NF} END {print s+0}')
rps=$(awk '/Requests\/sec/ {print $2}' "$TMP/wrk.txt")
p50=$(awk '$1=="50%" {print $2}' "$TMP/wrk.txt")
p99=$(awk '$1=="99%" {print $2}' "$TMP/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$TMP/wrk.txt")
echo "executions ok: $ok, failed: $bad, non-2xx: ${non2xx:-0}"
CPU1=$(cpu)
SYS1=$(syscpu)
echo "server CPU per execution: $(awk -v a="$CPU0" -v b="$CPU1" -v n="$ok" -v hz="$(getconf CLK_TCK)" 'BEGIN {if (n > 0) printf "%.0f", (b-a)/hz/n*1e6; else print "?"}') µs (kernel: $(awk -v a="$SYS0" -v b="$SYS1" -v n="$ok" -v hz="$(getconf CLK_TCK)" 'BEGIN {if (n > 0) printf "%.0f", (b-a)/hz/n*1e6; else print "?"}') µs)"
echo "RESULT executions/s=$rps p50=$p50 p99=$p99 cpus=$(nproc)"
