#!/usr/bin/env bash
# Benchmark run: builds Release, starts a gateway on a fresh data directory (reconciler off, plain Warning-level logs,
# the /bench/ceiling endpoint on, REST and gRPC on free loopback ports, the simulator at zero latency), then runs
# bench/PaymentGateway.Bench: the ceiling and every scenario over REST and gRPC at a fixed concurrency, then one-shot
# at a fixed arrival rate of half the measured maximum (gateway processing time p99 at half load). Prints markdown
# tables; JSON results land in the output directory. Every step is bounded; the gateway is stopped on exit.
#
#   bench/run.sh [--warmup 3s] [--duration 10s] [--concurrency 64] [--scenario all] [--transport both]
#                [--postgres "Host=127.0.0.1;Port=5432;Username=...;Database=<empty database>"] [--keys] [--out DIR]
#                [--rate R]
#
# --keys sends a fresh Idempotency-Key with every create, as the SDK does. --rate R runs the open-model one-shot at R/s
# instead of half the measured maximum: the same offered load for two builds, so their CPU per payment compares. BENCH_GATEWAY_DLL=<path> runs that gateway
# build instead of building this tree's (an A/B against another commit's Release build, same load generator).
#
# --postgres runs the gateway on PostgreSQL (PaymentGateway__Storage__Engine=postgres); give it an EMPTY database:
# the demo merchant's keys are printed only when the gateway creates it.
set -euo pipefail
cd "$(dirname "$0")/.."

WARMUP=3s DURATION=10s CONCURRENCY=64 SCENARIO=all TRANSPORT=both POSTGRES="" OUT="" KEYS=() RATE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup) WARMUP=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --scenario) SCENARIO=$2; shift 2 ;;
    --transport) TRANSPORT=$2; shift 2 ;;
    --postgres) POSTGRES=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --keys) KEYS=(--keys); shift ;;
    --rate) RATE=$2; shift 2 ;;
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

# The gateway is bounded too: `timeout` ends it after 30 minutes even if this script is killed without its trap.
env ASPNETCORE_ENVIRONMENT=Development \
  PaymentGateway__DataDirectory="$WORK/data" \
  PaymentGateway__PublicBaseUrl="http://127.0.0.1:$PORT" \
  PaymentGateway__GrpcUrl="http://127.0.0.1:$GRPC_PORT" \
  PaymentGateway__Reconciler__Enabled=false \
  PaymentGateway__Observability__JsonLogs=false \
  PaymentGateway__Bench__CeilingEndpoint=true \
  Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning \
  "${STORAGE_ENV[@]}" \
  timeout 1800 dotnet "$GATEWAY_DLL" --urls "http://127.0.0.1:$PORT" >"$WORK/gateway.out" 2>&1 &
TIMEOUT_PID=$!
cleanup() {
  kill "$TIMEOUT_PID" 2>/dev/null || true
  wait "$TIMEOUT_PID" 2>/dev/null || true
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 "$TIMEOUT_PID" 2>/dev/null || { cat "$WORK/gateway.out" >&2; exit 1; }
  sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/bench/ceiling" >/dev/null || { echo "gateway did not start" >&2; cat "$WORK/gateway.out" >&2; exit 1; }
PG_SK=$(grep -o 'sk_test_[A-Za-z0-9_]*' "$WORK/gateway.out" | head -1 || true)
PG_PK=$(grep -o 'pk_test_[A-Za-z0-9_]*' "$WORK/gateway.out" | head -1 || true)
[ -n "$PG_SK" ] && [ -n "$PG_PK" ] || { echo "no demo keys printed (is the database empty?)" >&2; cat "$WORK/gateway.out" >&2; exit 1; }
export PG_SK PG_PK
GATEWAY_PID=$(pgrep -P "$TIMEOUT_PID" -f PaymentGateway.Host.dll | head -1 || true)
PID_ARGS=()
[ -n "$GATEWAY_PID" ] && PID_ARGS=(--gateway-pid "$GATEWAY_PID")

BENCH=(dotnet "$BENCH_DLL" --url "http://127.0.0.1:$PORT" --grpc-url "http://127.0.0.1:$GRPC_PORT" --warmup "$WARMUP" --duration "$DURATION" "${PID_ARGS[@]}" "${KEYS[@]}")
echo "## $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, engine $ENGINE"
echo
echo "### Fixed concurrency ($CONCURRENCY)"
echo
timeout 1200 "${BENCH[@]}" --transport "$TRANSPORT" --scenario "$SCENARIO" --concurrency "$CONCURRENCY" --out "$OUT/closed.json" | sed -n '/^| transport/,/^$/p'

# Half the maximum one-shot rate, per transport, from the closed run: gateway processing time p99 at that load.
for t in rest grpc; do
  case "$TRANSPORT" in both|"$t") ;; *) continue ;; esac
  MAX=$(jq -r --arg t "$t" '[.[] | select(.transport == $t and .scenario == "one-shot") | .throughput][0] // empty' "$OUT/closed.json")
  [ -n "$MAX" ] || continue
  HALF=$(python3 -c "print(max(1, round($MAX / 2)))")
  echo
  if [ -n "$RATE" ]; then
    HALF=$RATE
    echo "### $t one-shot at a fixed rate ($HALF/s, open model; the closed run's maximum was $MAX/s)"
  else
    echo "### $t one-shot at half the maximum rate ($HALF/s, open model)"
  fi
  echo
  timeout 600 "${BENCH[@]}" --transport "$t" --scenario one-shot --no-ceiling --rate "$HALF" --out "$OUT/half-$t.json" | sed -n '/^| transport/,/^$/p'
done

if [ "$ENGINE" = sqlite ] && command -v sqlite3 >/dev/null; then
  echo "payments in the database: $(sqlite3 "$WORK/data/gateway.db" 'select count(*) from payments' 2>/dev/null || echo '?')"
fi
echo "gateway resident memory at the end: $(awk '/VmRSS/ {print $2 " " $3}' "/proc/${GATEWAY_PID:-0}/status" 2>/dev/null || echo '?')"
echo "JSON results: $OUT"
