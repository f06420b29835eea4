#!/usr/bin/env bash
# Long steady-load memory run: starts a Release gateway on a fresh data directory (as bench/run.sh does: reconciler
# off, Warning logs, simulator at zero latency), drives keyed one-shot payments over REST at a fixed arrival rate
# (open model) for the given duration, and samples the gateway's resident memory (VmRSS, VmHWM), its anonymous memory
# (RssAnon), its managed heap after the last GC (from /metrics) and the database's size once a minute. Prints a markdown table and the load
# generator's summary. Every step is bounded; the gateway is stopped on exit.
#
#   bench/memory.sh [--duration 30m] [--rate 300] [--interval 60] [--postgres "Host=…;Database=<empty database>"] [--out DIR]
#
# BENCH_GATEWAY_DLL=<path> runs that gateway build instead of building this tree's.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=30m RATE=300 INTERVAL=60 POSTGRES="" OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --interval) INTERVAL=$2; shift 2 ;;
    --postgres) POSTGRES=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

ARTIFACTS=${BENCH_ARTIFACTS:-/tmp/paymentgateway-bench-artifacts}
WORK=$(mktemp -d)
OUT=${OUT:-$WORK}
mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PORT=$(free_port)
GRPC_PORT=$(free_port)
while [ "$GRPC_PORT" = "$PORT" ]; do GRPC_PORT=$(free_port); done
SECONDS_TOTAL=$(python3 -c "
s='$DURATION'
print(int(float(s[:-1])*60) if s.endswith('m') else int(float(s.rstrip('s'))))")

echo "building (Release)…" >&2
if [ -z "${BENCH_GATEWAY_DLL:-}" ]; then
  timeout 600 dotnet build -c Release src/Gateway/PaymentGateway.Host --artifacts-path "$ARTIFACTS" -v q -nologo >"$WORK/build-gateway.log" 2>&1 \
    || { cat "$WORK/build-gateway.log" >&2; exit 1; }
fi
timeout 600 dotnet build -c Release bench/PaymentGateway.Bench -v q -nologo >"$WORK/build-bench.log" 2>&1 \
  || { cat "$WORK/build-bench.log" >&2; exit 1; }
GATEWAY_DLL="${BENCH_GATEWAY_DLL:-$ARTIFACTS/bin/PaymentGateway.Host/release/PaymentGateway.Host.dll}"
BENCH_DLL="bench/PaymentGateway.Bench/bin/Release/net10.0/PaymentGateway.Bench.dll"

STORAGE_ENV=()
ENGINE=sqlite
if [ -n "$POSTGRES" ]; then
  ENGINE=postgres
  STORAGE_ENV=(PaymentGateway__Storage__Engine=postgres "PaymentGateway__Storage__ConnectionString=$POSTGRES")
fi

env ASPNETCORE_ENVIRONMENT=Development \
  PaymentGateway__DataDirectory="$WORK/data" \
  PaymentGateway__PublicBaseUrl="http://127.0.0.1:$PORT" \
  PaymentGateway__GrpcUrl="http://127.0.0.1:$GRPC_PORT" \
  PaymentGateway__Reconciler__Enabled=false \
  PaymentGateway__Observability__JsonLogs=false \
  Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning \
  "${STORAGE_ENV[@]}" \
  timeout $((SECONDS_TOTAL + 600)) dotnet "$GATEWAY_DLL" --urls "http://127.0.0.1:$PORT" >"$WORK/gateway.out" 2>&1 &
TIMEOUT_PID=$!
SAMPLER_PID=""
cleanup() {
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null || true
  kill "$TIMEOUT_PID" 2>/dev/null || true
  wait "$TIMEOUT_PID" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 "$TIMEOUT_PID" 2>/dev/null || { cat "$WORK/gateway.out" >&2; exit 1; }
  sleep 0.5
done
PG_SK=$(grep -o 'sk_test_[A-Za-z0-9_]*' "$WORK/gateway.out" | head -1 || true)
PG_PK=$(grep -o 'pk_test_[A-Za-z0-9_]*' "$WORK/gateway.out" | head -1 || true)
[ -n "$PG_SK" ] && [ -n "$PG_PK" ] || { echo "no demo keys printed (is the database empty?)" >&2; cat "$WORK/gateway.out" >&2; exit 1; }
export PG_SK PG_PK
GATEWAY_PID=$(pgrep -P "$TIMEOUT_PID" -f PaymentGateway.Host.dll | head -1)

db_size() {
  if [ "$ENGINE" = postgres ]; then
    psql "$(python3 -c "
import sys
kv=dict(p.split('=',1) for p in sys.argv[1].split(';') if p)
print(' '.join(f\"{ {'Host':'host','Port':'port','Username':'user','Database':'dbname','Password':'password'}.get(k,k.lower())}={v}\" for k,v in kv.items()))" "$POSTGRES")" \
      -Atc "select pg_database_size(current_database()) / 1048576" 2>/dev/null || echo '?'
  else
    du -sm "$WORK/data" 2>/dev/null | cut -f1
  fi
}
sample() {
  local t=$1
  local rss hwm anon
  rss=$(awk '/^VmRSS/ {print int($2/1024)}' "/proc/$GATEWAY_PID/status" 2>/dev/null || echo '?')
  hwm=$(awk '/^VmHWM/ {print int($2/1024)}' "/proc/$GATEWAY_PID/status" 2>/dev/null || echo '?')
  anon=$(awk '/^RssAnon/ {print int($2/1024)}' "/proc/$GATEWAY_PID/status" 2>/dev/null || echo '?')
  local heap
  heap=$(curl -s --max-time 10 "http://127.0.0.1:$PORT/metrics" 2>/dev/null \
    | awk '/^dotnet_gc_last_collection_heap_size_bytes/ {s += $NF} END {if (s) printf "%d", s / 1048576; else print "?"}')
  echo "| $t | $rss | $hwm | $anon | $heap | $(db_size) |"
}

echo "## $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, engine $ENGINE, $RATE/s for $DURATION"
echo
echo "| minute | VmRSS MiB | VmHWM MiB | RssAnon MiB | GC heap after the last GC MiB | database MiB |"
echo "|---:|---:|---:|---:|---:|---:|"
sample start
(
  m=0
  while true; do
    sleep "$INTERVAL"
    m=$((m + 1))
    sample "$m"
  done
) > "$OUT/samples.md" &
SAMPLER_PID=$!

timeout $((SECONDS_TOTAL + 300)) dotnet "$BENCH_DLL" --url "http://127.0.0.1:$PORT" --grpc-url "http://127.0.0.1:$GRPC_PORT" \
  --transport rest --scenario one-shot --no-ceiling --keys --rate "$RATE" --warmup 5s --duration "$DURATION" \
  --gateway-pid "$GATEWAY_PID" --out "$OUT/memory.json" > "$OUT/bench.out" 2>&1 || true
kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""
cat "$OUT/samples.md"
sample end
echo
sed -n '/^| transport/,/^$/p' "$OUT/bench.out"
echo "JSON results and samples: $OUT"
