#!/usr/bin/env bash
# Several gateway nodes on one PostgreSQL database, load spread across them: aggregate throughput. Builds Release,
# starts N nodes (default 3) on free loopback ports, each with its own data directory and the same vault keys (a
# card tokenized on one node is charged on another), reconciler off, Warning logs, the simulator at zero latency and
# the /bench/ceiling endpoint on. The first node creates the demo merchant in the EMPTY database given; the others
# start once it is ready. Then one load generator per node runs at the same time (closed model, the total concurrency
# split evenly): the ceiling and one-shot scenarios over REST, back to back, as bench/run.sh does for one node.
# Prints each node's table and the sums (throughput, gateway CPU) per scenario. Every step is bounded; every node is
# stopped on exit.
#
#   bench/cluster.sh --postgres "Host=127.0.0.1;Port=5432;Username=...;Database=<empty database>"
#                    [--nodes 3] [--concurrency 64] [--warmup 5s] [--duration 15s] [--keys] [--out DIR]
#
# BENCH_GATEWAY_DLL=<path> runs that gateway build instead of building this tree's.
set -euo pipefail
cd "$(dirname "$0")/.."

NODES=3 WARMUP=5s DURATION=15s CONCURRENCY=64 POSTGRES="" OUT="" KEYS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --postgres) POSTGRES=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --keys) KEYS=(--keys); shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$POSTGRES" ] || { echo "--postgres is required (an empty database)" >&2; exit 2; }
[ "$NODES" -ge 1 ] || { echo "--nodes must be at least 1" >&2; exit 2; }

ARTIFACTS=${BENCH_ARTIFACTS:-/tmp/paymentgateway-bench-artifacts}
WORK=$(mktemp -d)
OUT=${OUT:-$WORK}
mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

echo "building (Release)…" >&2
if [ -z "${BENCH_GATEWAY_DLL:-}" ]; then
  timeout 600 dotnet build -c Release src/Gateway/PaymentGateway.Host --artifacts-path "$ARTIFACTS" -v q -nologo >"$WORK/build-gateway.log" 2>&1 \
    || { cat "$WORK/build-gateway.log" >&2; exit 1; }
fi
timeout 600 dotnet build -c Release bench/PaymentGateway.Bench -v q -nologo >"$WORK/build-bench.log" 2>&1 \
  || { cat "$WORK/build-bench.log" >&2; exit 1; }
GATEWAY_DLL="${BENCH_GATEWAY_DLL:-$ARTIFACTS/bin/PaymentGateway.Host/release/PaymentGateway.Host.dll}"
BENCH_DLL="bench/PaymentGateway.Bench/bin/Release/net10.0/PaymentGateway.Bench.dll"

VAULT_KEYS="k1:$(head -c 32 /dev/urandom | base64)"
FINGERPRINT_KEY=$(head -c 32 /dev/urandom | base64)
ADMIN_KEY="adm_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"

TIMEOUT_PIDS=() PORTS=() GATEWAY_PIDS=()
cleanup() {
  for p in "${TIMEOUT_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${TIMEOUT_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

start_node() { # start_node INDEX: starts a node and waits until it is ready
  local i=$1 port grpc
  port=$(free_port)
  grpc=$(free_port)
  while [ "$grpc" = "$port" ]; do grpc=$(free_port); done
  env ASPNETCORE_ENVIRONMENT=Development \
    PaymentGateway__DataDirectory="$WORK/data-$i" \
    PaymentGateway__PublicBaseUrl="http://127.0.0.1:$port" \
    PaymentGateway__GrpcUrl="http://127.0.0.1:$grpc" \
    PaymentGateway__Reconciler__Enabled=false \
    PaymentGateway__Observability__JsonLogs=false \
    PaymentGateway__Bench__CeilingEndpoint=true \
    PaymentGateway__AdminKey="$ADMIN_KEY" \
    PaymentGateway__Vault__Keys="$VAULT_KEYS" \
    PaymentGateway__Vault__FingerprintKey="$FINGERPRINT_KEY" \
    PaymentGateway__Storage__Engine=postgres \
    "PaymentGateway__Storage__ConnectionString=$POSTGRES" \
    Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning \
    timeout 1800 dotnet "$GATEWAY_DLL" --urls "http://127.0.0.1:$port" >"$WORK/gateway-$i.out" 2>&1 &
  local tpid=$!
  TIMEOUT_PIDS+=("$tpid")
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    kill -0 "$tpid" 2>/dev/null || { cat "$WORK/gateway-$i.out" >&2; exit 1; }
    sleep 0.5
  done
  curl -sf "http://127.0.0.1:$port/bench/ceiling" >/dev/null || { echo "node $i did not start" >&2; cat "$WORK/gateway-$i.out" >&2; exit 1; }
  PORTS+=("$port")
  GATEWAY_PIDS+=("$(pgrep -P "$tpid" -f PaymentGateway.Host.dll | head -1 || true)")
}

start_node 0
PG_SK=$(grep -o 'sk_test_[A-Za-z0-9_]*' "$WORK/gateway-0.out" | head -1 || true)
PG_PK=$(grep -o 'pk_test_[A-Za-z0-9_]*' "$WORK/gateway-0.out" | head -1 || true)
[ -n "$PG_SK" ] && [ -n "$PG_PK" ] || { echo "no demo keys printed (is the database empty?)" >&2; cat "$WORK/gateway-0.out" >&2; exit 1; }
export PG_SK PG_PK
for i in $(seq 1 $((NODES - 1))); do start_node "$i"; done

PER_NODE=$(( (CONCURRENCY + NODES - 1) / NODES ))
echo "## $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $NODES nodes on one PostgreSQL, $PER_NODE callers per node"
echo
BENCH_PIDS=()
for i in $(seq 0 $((NODES - 1))); do
  PID_ARGS=()
  [ -n "${GATEWAY_PIDS[$i]}" ] && PID_ARGS=(--gateway-pid "${GATEWAY_PIDS[$i]}")
  timeout 1200 dotnet "$BENCH_DLL" --url "http://127.0.0.1:${PORTS[$i]}" --transport rest --scenario ceiling,one-shot \
    --concurrency "$PER_NODE" --warmup "$WARMUP" --duration "$DURATION" "${PID_ARGS[@]}" "${KEYS[@]}" \
    --out "$OUT/node-$i.json" >"$OUT/node-$i.out" 2>&1 &
  BENCH_PIDS+=("$!")
done
FAILED=0
for p in "${BENCH_PIDS[@]}"; do wait "$p" || FAILED=1; done
for i in $(seq 0 $((NODES - 1))); do
  echo "### node $i"
  echo
  sed -n '/^| transport/,/^$/p' "$OUT/node-$i.out"
done
[ "$FAILED" = 0 ] || { echo "a load generator failed:" >&2; cat "$OUT"/node-*.out >&2; exit 1; }

echo "### all $NODES nodes (sums; the ceiling is measured first and last, each row is one pass)"
echo
python3 - "$OUT" "$NODES" <<'PY'
import json, sys
out, n = sys.argv[1], int(sys.argv[2])
runs = [json.load(open(f"{out}/node-{i}.json")) for i in range(n)]
print("| scenario (pass) | throughput /s | errors | gateway CPU s (all nodes) | µs gateway CPU per call |")
print("|---|---:|---:|---:|---:|")
for k in range(len(runs[0])):
    rows = [r[k] for r in runs]
    tput = sum(r["throughput"] for r in rows)
    errors = sum(r["errors"] for r in rows)
    cpu = sum(r.get("gateway_cpu_seconds") or 0 for r in rows)
    ok = sum(r["ok"] for r in rows)
    per = f"{cpu / ok * 1e6:,.0f}" if ok and cpu else "?"
    print(f"| {rows[0]['scenario']} ({k}) | {tput:,.0f} | {errors} | {cpu:.2f} | {per} |")
ceil = [sum(r[k]["throughput"] for r in runs) for k in range(len(runs[0])) if runs[0][k]["scenario"].startswith("ceiling")]
pay = [sum(r[k]["throughput"] for r in runs) for k in range(len(runs[0])) if runs[0][k]["scenario"] == "one-shot"]
if ceil and pay:
    print(f"\none-shot ÷ ceiling (last ceiling pass): {pay[-1] / ceil[-1]:.3f}")
PY
for i in $(seq 0 $((NODES - 1))); do
  echo "node $i resident memory at the end: $(awk '/VmRSS/ {print $2 " " $3}' "/proc/${GATEWAY_PIDS[$i]:-0}/status" 2>/dev/null || echo '?')"
done
echo "JSON results: $OUT"
