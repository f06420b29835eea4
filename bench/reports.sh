#!/usr/bin/env bash
# Reports benchmark (issue 23): the answer time of a 90-day, by-day payments report over the rollups of N payments,
# and a CSV export of M payments (rows/s and the gateway's resident memory while it runs), on one engine.
#
#   bench/reports.sh [--postgres "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres"]
#                    [--report-payments "1000000 10000000"] [--export-rows "100000 1000000"] [--runs 7]
#   (--report-payments "" or --export-rows "" skips that part)
#
# How: a Release gateway on a fresh data directory (with --postgres: a fresh database the script creates on that server
# and drops at the end). One real payment goes through the simulator; it is the template of the exported rows.
# - Report: the rollups of N synthetic payments spread over 90 days (8,640 15-minute buckets, 3 currencies, 2 provider
#   accounts, 3 card brands, 4 countries; 10 % declined with 3 decline codes, 2 % refunded, 5 % 3-D Secure) are written
#   straight into report_rollups / report_declines with one INSERT … SELECT … GROUP BY (what the rollup job would have
#   written for those payments), then `GET /v1/reports/payments?interval=day` over the 90 local days in
#   Europe/Amsterdam is timed with curl (--runs times, the first dropped as warm-up; min / median / max), also with
#   group_by=currency,card_brand, and the decline reasons.
# - Export: the template payment's row is copied M times (ids in the same millisecond, so the export range holds them),
#   then `POST /v1/exports` of payments in [now-1h, now+1h); the gateway's VmRSS is sampled every 0.2 s until the job
#   succeeds, and the file is downloaded and its lines counted.
# Every step is bounded by `timeout`; the gateway is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

POSTGRES="" REPORT_PAYMENTS="1000000 10000000" EXPORT_ROWS="100000 1000000" RUNS=7
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) POSTGRES=$2; shift 2 ;;
    --report-payments) REPORT_PAYMENTS=$2; shift 2 ;;
    --export-rows) EXPORT_ROWS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

WORK=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PORT=$(free_port)
GRPC_PORT=$(free_port)
while [ "$GRPC_PORT" = "$PORT" ]; do GRPC_PORT=$(free_port); done

# BENCH_GATEWAY_DLL=path skips the build and runs that gateway (say which build in the results).
GATEWAY_DLL=${BENCH_GATEWAY_DLL:-src/Gateway/PaymentGateway.Host/bin/Release/net10.0/PaymentGateway.Host.dll}
if [ -z "${BENCH_GATEWAY_DLL:-}" ]; then
  echo "building (Release)…" >&2
  timeout 900 dotnet build -c Release src/Gateway/PaymentGateway.Host -v q -nologo >"$WORK/build-gateway.log" 2>&1 \
    || { cat "$WORK/build-gateway.log" >&2; exit 1; }
fi

ENGINE=sqlite
STORAGE_ENV=()
PGDB=""
if [ -n "$POSTGRES" ]; then
  ENGINE=postgres
  PGDB="reports_bench_$(date +%s)_$$"
  libpq() { python3 -c "import sys; d=dict(p.split('=',1) for p in sys.argv[1].split(';') if p); print(f\"host={d['Host']} port={d['Port']} user={d['Username']} dbname={d['Database']}\")" "$1"; }
  psql "$(libpq "$POSTGRES")" -qc "CREATE DATABASE $PGDB" >/dev/null
  PGCONN="${POSTGRES/Database=postgres/Database=$PGDB}"
  PSQL_URL=$(libpq "$PGCONN")
  STORAGE_ENV=(PaymentGateway__Storage__Engine=postgres "PaymentGateway__Storage__ConnectionString=$PGCONN")
fi

env ASPNETCORE_ENVIRONMENT=Development \
  PaymentGateway__DataDirectory="$WORK/data" \
  PaymentGateway__PublicBaseUrl="http://127.0.0.1:$PORT" \
  PaymentGateway__GrpcUrl="http://127.0.0.1:$GRPC_PORT" \
  PaymentGateway__Reconciler__Enabled=false \
  PaymentGateway__Observability__JsonLogs=false \
  PaymentGateway__Reports__ExportInterval=00:00:00.500 \
  Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning \
  "${STORAGE_ENV[@]}" \
  timeout "${BENCH_GATEWAY_TIMEOUT:-3000}" dotnet "$GATEWAY_DLL" --urls "http://127.0.0.1:$PORT" >"$WORK/gateway.out" 2>&1 &
TIMEOUT_PID=$!
cleanup() {
  kill "$TIMEOUT_PID" 2>/dev/null || true
  wait "$TIMEOUT_PID" 2>/dev/null || true
  if [ -n "$PGDB" ]; then
    psql "${PSQL_URL/dbname=$PGDB/dbname=postgres}" -qc "DROP DATABASE IF EXISTS $PGDB" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 "$TIMEOUT_PID" 2>/dev/null || { cat "$WORK/gateway.out" >&2; exit 1; }
  sleep 0.5
done
SK=$(grep -o 'sk_test_[A-Za-z0-9_]*' "$WORK/gateway.out" | head -1 || true)
PK=$(grep -o 'pk_test_[A-Za-z0-9_]*' "$WORK/gateway.out" | head -1 || true)
[ -n "$SK" ] && [ -n "$PK" ] || { echo "no demo keys printed" >&2; cat "$WORK/gateway.out" >&2; exit 1; }
GATEWAY_PID=$(pgrep -P "$TIMEOUT_PID" | head -1)
BASE="http://127.0.0.1:$PORT"

sql() {
  if [ "$ENGINE" = sqlite ]; then
    sqlite3 -cmd ".timeout 120000" "$WORK/data/gateway.db" "$1"
  else
    psql "$PSQL_URL" -qAtc "$1"
  fi
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$GATEWAY_PID/status"; }
# CPU seconds (user + system) a process used so far; the machine is shared, so CPU per row is steadier than wall time.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# PostgreSQL: the CPU of the server processes serving this database (the gateway's pooled connections).
db_cpu_s() {
  [ "$ENGINE" = postgres ] || { echo 0; return; }
  local total=0 pid
  for pid in $(psql "${PSQL_URL/dbname=$PGDB/dbname=postgres}" -qAtc "SELECT pid FROM pg_stat_activity WHERE datname = '$PGDB'"); do
    total=$(python3 -c "print($total + $(cpu_s "$pid"))")
  done
  echo "$total"
}

PM=$(curl -sf -H "Authorization: Bearer $PK" "$BASE/v1/payment_methods" -H 'Content-Type: application/json' \
  -d "{\"type\":\"card\",\"card\":{\"number\":\"4242424242424242\",\"exp_month\":12,\"exp_year\":$(( $(date +%Y) + 3 )),\"cvc\":\"737\"}}" | jq -r .id)
TEMPLATE=$(curl -sf -H "Authorization: Bearer $SK" "$BASE/v1/payments" -H 'Content-Type: application/json' \
  -d "{\"amount\":1999,\"currency\":\"EUR\",\"payment_method\":\"$PM\",\"confirm\":true}" | jq -r .id)
[ "${TEMPLATE:0:4}" = pay_ ] || { echo "template payment failed" >&2; exit 1; }
MERCHANT=$(sql "SELECT merchant_id FROM payments WHERE id = '$TEMPLATE'")
LIVE=$([ "$ENGINE" = sqlite ] && echo 0 || echo false)

echo "## reports bench, $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git rev-parse --short HEAD), gateway $GATEWAY_DLL, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), engine $ENGINE"
echo

# ---- Report answer time over the rollups of N payments ------------------------------------------------------------
TO_DAY=$(date -u +%Y-%m-%d)
FROM_DAY=$(date -u -d "$TO_DAY - 90 days" +%Y-%m-%d)
START_MS=$(( $(date -u -d "$FROM_DAY" +%s) * 1000 ))
timed() { # url -> "min median max" seconds over RUNS runs, the first dropped
  local url=$1 t=()
  for _ in $(seq 1 "$RUNS"); do
    t+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $SK" "$url")")
  done
  printf '%s\n' "${t[@]:1}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f / %.3f / %.3f", a[1], a[int((NR+1)/2)], a[NR]}'
}
echo "| payments | rollup rows | seed (s) | by day, 90 days: min / median / max (s) | by day × currency × card_brand (s) | decline reasons (s) | report rows |"
echo "|---:|---:|---:|---|---|---|---:|"
for N in $REPORT_PAYMENTS; do
  sql "DELETE FROM report_rollups WHERE merchant_id = '$MERCHANT'; DELETE FROM report_declines WHERE merchant_id = '$MERCHANT';" >/dev/null
  if [ "$ENGINE" = sqlite ]; then SERIES="WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $N)"; FROM="s"; B="(i % 10 <> 0)"; D="(i % 10 = 0)"; R="(i % 50 = 1)"; T="(i % 20 = 3)"; TS="(i % 25 = 3)";
  else SERIES=""; FROM="generate_series(1::bigint, $N) AS s(i)"; B="(i % 10 <> 0)::int"; D="(i % 10 = 0)::int"; R="(i % 50 = 1)::int"; T="(i % 20 = 3)::int"; TS="(i % 25 = 3)::int"; fi
  KEYS="'$MERCHANT' AS m, $LIVE AS l, $START_MS + ((i * 7919) % 8640) * 900000 AS b, (CASE i % 3 WHEN 0 THEN 'EUR' WHEN 1 THEN 'USD' ELSE 'GBP' END) AS c, 'simulator' AS p, (CASE (i / 3) % 2 WHEN 0 THEN 'pa_bench_a' ELSE 'pa_bench_b' END) AS pa, 'card' AS pmt, (CASE (i / 5) % 3 WHEN 0 THEN 'visa' WHEN 1 THEN 'mastercard' ELSE 'amex' END) AS cb, (CASE (i / 7) % 4 WHEN 0 THEN 'NL' WHEN 1 THEN 'DE' WHEN 2 THEN 'FR' ELSE 'US' END) AS co"
  START=$(date +%s.%N)
  sql "$SERIES INSERT INTO report_rollups (merchant_id, livemode, bucket, currency, provider, provider_account, payment_method_type, card_brand, country,
      attempted, authorized, authorized_amount, declined, attempted_unique, authorized_unique, captured, captured_amount, refunds, refunded_amount,
      threeds_challenged, threeds_succeeded, latency_count, latency_sum_ms, lat_05, lat_09)
    SELECT m, l, b, c, p, pa, pmt, cb, co, COUNT(*), SUM(ok), SUM(ok * amount), SUM(dec), COUNT(*), SUM(ok), SUM(ok), SUM(ok * amount), SUM(ref), SUM(ref * 500),
      SUM(tds), SUM(tdsok), COUNT(*), SUM(lat), SUM(CASE WHEN lat < 300 THEN 1 ELSE 0 END), SUM(CASE WHEN lat >= 300 THEN 1 ELSE 0 END)
    FROM (SELECT $KEYS, $B AS ok, $D AS dec, $R AS ref, $T AS tds, $TS AS tdsok, 1000 + (i % 5000) AS amount, 100 + (i % 400) AS lat FROM $FROM) x
    GROUP BY m, l, b, c, p, pa, pmt, cb, co;"
  sql "$SERIES INSERT INTO report_declines (merchant_id, livemode, bucket, currency, provider, provider_account, payment_method_type, card_brand, country, code, count)
    SELECT m, l, b, c, p, pa, pmt, cb, co, code, COUNT(*) FROM (SELECT $KEYS, (CASE (i / 10) % 3 WHEN 0 THEN 'generic_decline' WHEN 1 THEN 'insufficient_funds' ELSE 'do_not_honor' END) AS code FROM $FROM WHERE i % 10 = 0) x
    GROUP BY m, l, b, c, p, pa, pmt, cb, co, code;"
  SEED=$(python3 -c "print(f'{$(date +%s.%N) - $START:.0f}')")
  [ "$ENGINE" = postgres ] && sql "ANALYZE report_rollups; ANALYZE report_declines;" >/dev/null
  [ "$ENGINE" = sqlite ] && sql "ANALYZE;" >/dev/null
  ROWS=$(sql "SELECT COUNT(*) FROM report_rollups WHERE merchant_id = '$MERCHANT'")
  Q="from=$FROM_DAY&to=$TO_DAY&interval=day&time_zone=Europe/Amsterdam"
  CHECK=$(curl -sf -H "Authorization: Bearer $SK" "$BASE/v1/reports/payments?$Q" | jq '[.data[].attempted] | add')
  [ "$CHECK" -ge $(( N * 95 / 100 )) ] || { echo "report counted $CHECK of $N payments" >&2; exit 1; }
  PLAIN=$(timed "$BASE/v1/reports/payments?$Q")
  GROUPED=$(timed "$BASE/v1/reports/payments?$Q&group_by=currency,card_brand")
  DECLINES=$(timed "$BASE/v1/reports/decline_reasons?$Q")
  REPORT_ROWS=$(curl -sf -H "Authorization: Bearer $SK" "$BASE/v1/reports/payments?$Q&group_by=currency,card_brand" | jq '.data | length')
  echo "| $N | $ROWS | $SEED | $PLAIN | $GROUPED | $DECLINES | $REPORT_ROWS |"
done
echo
echo "(the report sums the 90 local days' buckets; attempted across the report = ${CHECK:-none} for the last N: payments in the"
echo "first and last partial local day fall outside the UTC-seeded range)"
echo

# ---- Export: rows/s and resident memory ---------------------------------------------------------------------------
# The gateway's own background work while idle (job polling; right after start it also includes warm-up), for context.
IDLE0=$(cpu_s "$GATEWAY_PID"); sleep 10; IDLE_RATE=$(python3 -c "print(round(($(cpu_s "$GATEWAY_PID") - $IDLE0) / 10, 3))")
echo "(gateway CPU while idle, 10 s before the first export: $IDLE_RATE s per second; the CPU per row below is the whole process's)"
echo
echo "| exported rows | export wall time (s) | rows/s | gateway CPU (s) | gateway CPU per row (µs) | database CPU (s) | gateway VmRSS before (MiB) | peak VmRSS during (MiB) | VmRSS after (MiB) | CSV bytes | CSV lines |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
HAVE=0
for M in $EXPORT_ROWS; do
  if [ "$ENGINE" = sqlite ]; then
    timeout "${BENCH_SEED_TIMEOUT:-1800}" sqlite3 -cmd ".timeout 120000" "$WORK/data/gateway.db" "WITH RECURSIVE s(i) AS (SELECT $HAVE + 1 UNION ALL SELECT i + 1 FROM s WHERE i < $M)
      INSERT INTO payments (id, merchant_id, livemode, status, created_at, updated_at, version, data)
      SELECT substr(p.id, 1, 13) || printf('%020d', i), p.merchant_id, p.livemode, p.status, p.created_at, p.updated_at, p.version,
        json_set(p.data, '\$.id', substr(p.id, 1, 13) || printf('%020d', i)) FROM payments p, s WHERE p.id = '$TEMPLATE';"
  else
    timeout "${BENCH_SEED_TIMEOUT:-1800}" psql "$PSQL_URL" -qc "INSERT INTO payments (id, merchant_id, livemode, status, created_at, updated_at, version, data)
      SELECT left(p.id, 13) || lpad(i::text, 20, '0'), p.merchant_id, p.livemode, p.status, p.created_at, p.updated_at, p.version,
        jsonb_set(p.data, '{id}', to_jsonb(left(p.id, 13) || lpad(i::text, 20, '0'))) FROM payments p, generate_series($HAVE + 1::bigint, $M) AS s(i) WHERE p.id = '$TEMPLATE';
      ANALYZE payments;"
  fi
  HAVE=$M
  BEFORE=$(rss_kb)
  CPU0=$(cpu_s "$GATEWAY_PID")
  DBCPU0=$(db_cpu_s)
  FROM_T=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
  TO_T=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
  START=$(date +%s.%N)
  EXPORT=$(curl -sf -H "Authorization: Bearer $SK" "$BASE/v1/exports" -H 'Content-Type: application/json' -d "{\"type\":\"payments\",\"from\":\"$FROM_T\",\"to\":\"$TO_T\"}" | jq -r .id)
  PEAK=$BEFORE
  STATUS=pending
  DEADLINE=$(( $(date +%s) + 1800 ))
  while [ "$STATUS" != succeeded ]; do
    R=$(rss_kb); [ "$R" -gt "$PEAK" ] && PEAK=$R
    # BENCH_RSS_LOG=file: one line per sample (seconds since the POST, VmRSS MiB, status) to show the curve.
    [ -n "${BENCH_RSS_LOG:-}" ] && echo "$(python3 -c "print(f'{$(date +%s.%N) - $START:.1f}')") $(( R / 1024 )) $STATUS" >>"$BENCH_RSS_LOG"
    STATUS=$(curl -sf -H "Authorization: Bearer $SK" "$BASE/v1/exports/$EXPORT" | jq -r .status)
    [ "$STATUS" = failed ] && { echo "export failed" >&2; exit 1; }
    [ "$(date +%s)" -lt "$DEADLINE" ] || { echo "export did not finish in 30 min" >&2; exit 1; }
    sleep 0.2
  done
  WALL=$(python3 -c "print(f'{$(date +%s.%N) - $START:.1f}')")
  CPU=$(python3 -c "print(f'{$(cpu_s "$GATEWAY_PID") - $CPU0:.1f}')")
  DBCPU=$(python3 -c "print(f'{$(db_cpu_s) - $DBCPU0:.1f}')")
  AFTER=$(rss_kb)
  ROWS=$(curl -sf -H "Authorization: Bearer $SK" "$BASE/v1/exports/$EXPORT" | jq .rows)
  curl -sf -H "Authorization: Bearer $SK" "$BASE/v1/exports/$EXPORT/download" -o "$WORK/export.csv"
  echo "| $ROWS | $WALL | $(python3 -c "print(round($ROWS / $WALL))") | $CPU | $(python3 -c "print(round($CPU * 1e6 / $ROWS, 1))") | $DBCPU | $(( BEFORE / 1024 )) | $(( PEAK / 1024 )) | $(( AFTER / 1024 )) | $(stat -c %s "$WORK/export.csv") | $(wc -l <"$WORK/export.csv") |"
  rm -f "$WORK/export.csv"
done
