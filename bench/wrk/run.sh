#!/usr/bin/env bash
# Quick write-path measurement with wrk: starts a Release gateway on a fresh data dir, tokenizes a test card,
# then drives one-shot payments. Usage: bench/wrk/run.sh [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
CONNECTIONS=${1:-64}
SECONDS_TO_RUN=${2:-15}
DIR=$(mktemp -d)
dotnet build -c Release src/Gateway/PaymentGateway.Host -v q -nologo >/dev/null
ASPNETCORE_ENVIRONMENT=Development PaymentGateway__DataDirectory="$DIR/data" PaymentGateway__Reconciler__Enabled=false \
  Logging__LogLevel__Default=Warning dotnet src/Gateway/PaymentGateway.Host/bin/Release/net10.0/PaymentGateway.Host.dll \
  --urls http://127.0.0.1:5090 > "$DIR/gateway.out" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:5090/health/live >/dev/null 2>&1 && break; sleep 0.5; done
export PG_SK=$(grep -o 'sk_test_[A-Za-z0-9]*' "$DIR/gateway.out" | head -1)
PG_PK=$(grep -o 'pk_test_[A-Za-z0-9]*' "$DIR/gateway.out" | head -1)
export PG_PM=$(curl -s http://127.0.0.1:5090/v1/payment_methods -H "Authorization: Bearer $PG_PK" -H 'Content-Type: application/json' \
  -d '{"type":"card","card":{"number":"4242424242424242","exp_month":12,"exp_year":2034}}' | grep -o '"id":"pm_[^"]*"' | cut -d'"' -f4)
wrk -t2 -c"$CONNECTIONS" -d3s -s bench/wrk/one-shot.lua http://127.0.0.1:5090/v1/payments >/dev/null   # warm-up
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_TO_RUN}s" --latency -s bench/wrk/one-shot.lua http://127.0.0.1:5090/v1/payments
echo "payments in database: $(sqlite3 "$DIR/data/gateway.db" 'select count(*) from payments' 2>/dev/null || echo '?')"
