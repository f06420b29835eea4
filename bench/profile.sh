#!/usr/bin/env bash
# CPU profile of the gateway under load, with `perf` (Debian's linux-perf) and the runtime's perf map, so managed
# frames have names. Starts a Release gateway on a fresh data directory (SQLite, simulator at zero latency,
# reconciler off), drives it with the load generator (one-shot over REST, closed model), records `perf record -g`
# of the gateway process for 10 s after the warm-up, and prints where the CPU went (bench/perf-summary.py).
#
#   bench/profile.sh [--concurrency 64 | --rate R] [--seconds 10] [--out DIR] [--keys]
#
# --rate R profiles an open-model load of R payments/s (fixed arrivals) instead of N closed callers: the CPU a payment
# costs below saturation. BENCH_GATEWAY_DLL=<path> profiles that build instead of building one.
#
# --keys sends a fresh Idempotency-Key with every payment, as the SDK does.
#
# Needs: apt-get install linux-perf; perf_event_paranoid <= 2 (root is fine). The proportions it prints are
# robust to a busy machine in a way wall-clock throughput is not: use it to find where time goes, then measure the
# effect with bench/run.sh on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."

# PROFILE_SECONDS, not SECONDS: bash counts that one up by itself (the build's minutes used to lengthen the run).
CONCURRENCY=64 PROFILE_SECONDS=10 OUT="" KEYS="" RATE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --seconds) PROFILE_SECONDS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --keys) KEYS=--keys; shift ;;
    --rate) RATE=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v perf >/dev/null || { echo "perf is not installed (apt-get install linux-perf)" >&2; exit 1; }

ARTIFACTS=${BENCH_ARTIFACTS:-/tmp/paymentgateway-bench-artifacts}
WORK=$(mktemp -d)
OUT=${OUT:-$WORK}
mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PORT=$(free_port)

echo "building (Release)…" >&2
if [ -z "${BENCH_GATEWAY_DLL:-}" ]; then
  timeout 600 dotnet build -c Release src/Gateway/PaymentGateway.Host --artifacts-path "$ARTIFACTS" -v q -nologo >"$WORK/build.log" 2>&1 \
    || { cat "$WORK/build.log" >&2; exit 1; }
fi
GATEWAY_DLL="${BENCH_GATEWAY_DLL:-$ARTIFACTS/bin/PaymentGateway.Host/release/PaymentGateway.Host.dll}"
timeout 600 dotnet build -c Release bench/PaymentGateway.Bench -v q -nologo >>"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; exit 1; }

# DOTNET_PerfMapEnabled writes /tmp/perf-<pid>.map; W^X off so JIT-compiled code is not behind a memfd mapping that
# perf cannot name.
env ASPNETCORE_ENVIRONMENT=Development DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
  PaymentGateway__DataDirectory="$WORK/data" PaymentGateway__PublicBaseUrl="http://127.0.0.1:$PORT" \
  PaymentGateway__GrpcUrl="" PaymentGateway__Reconciler__Enabled=false PaymentGateway__Observability__JsonLogs=false \
  Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning \
  timeout 600 dotnet "$GATEWAY_DLL" --urls "http://127.0.0.1:$PORT" >"$WORK/gateway.out" 2>&1 &
TIMEOUT_PID=$!
trap 'kill $TIMEOUT_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
PG_SK=$(grep -o 'sk_test_[A-Za-z0-9_]*' "$WORK/gateway.out" | head -1)
PG_PK=$(grep -o 'pk_test_[A-Za-z0-9_]*' "$WORK/gateway.out" | head -1)
export PG_SK PG_PK
GATEWAY_PID=$(pgrep -P "$TIMEOUT_PID" -f PaymentGateway.Host.dll | head -1)

WARMUP=8
if [ -n "$RATE" ]; then LOAD="--rate $RATE"; else LOAD="--concurrency $CONCURRENCY"; fi
( sleep "$WARMUP"; perf record -e cpu-clock -F 997 -g -p "$GATEWAY_PID" -o "$OUT/perf.data" -- sleep "$PROFILE_SECONDS" >/dev/null 2>&1 ) &
PERF_PID=$!
timeout 300 dotnet bench/PaymentGateway.Bench/bin/Release/net10.0/PaymentGateway.Bench.dll --url "http://127.0.0.1:$PORT" \
  --warmup "${WARMUP}s" --duration "$((PROFILE_SECONDS + 2))s" --gateway-pid "$GATEWAY_PID" --transport rest --scenario one-shot \
  --no-ceiling $LOAD $KEYS | sed -n '/^| transport/,/^$/p'
wait "$PERF_PID" || true
perf script -i "$OUT/perf.data" 2>/dev/null >"$OUT/perf.txt"
python3 bench/perf-summary.py "$OUT/perf.txt"
echo "perf data: $OUT/perf.data (perf report -i … --no-children --sort dso,sym)"
