#!/usr/bin/env bash
# The console's list pages on 1,000,000 payments (issue 17), on SQLite and (with --postgres) PostgreSQL: the gateway's
# own migrations make the schema (via `host audit verify`), SQL bulk-inserts one merchant's payments with their payment
# methods (cards), refunds (1 per 10 payments), events (2 per payment, plus a rare type) and webhook deliveries (1 per
# payment), then times each query the Payments, Refunds, Events and webhook Deliveries pages run — the stores' own SQL
# for that filter (with a created range's id bounds, issue 17 l17; as of migration 16: metadata values through payment_metadata_values, card last 4 from the payment
# methods with those digits, on SQLite through the generated payment_method_id column), a page of 51 rows (50 shown + 1 to know there is more) — best of 5, milliseconds, from the engine's own
# timer (sqlite3 `.timer`, psql `\timing`).
#   bench/console-lists.sh [--dll path/to/PaymentGateway.Host.dll] [--rows 1000000] [--postgres "Host=…;Username=…;Database=postgres" [--postgres-only]]
set -euo pipefail
cd "$(dirname "$0")/.."
DLL=src/Gateway/PaymentGateway.Host/bin/Release/net10.0/PaymentGateway.Host.dll
ROWS=1000000
PG=""
SQLITE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --dll) DLL=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --postgres) PG=$2; shift 2 ;;
    --postgres-only) SQLITE=0; shift ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
[ -f "$DLL" ] || dotnet build -c Release src/Gateway/PaymentGateway.Host >/dev/null
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Ids of payments, refunds and events are minted as the gateway mints them (Core/Ids.cs: 29 Crockford base32 characters,
# the first 10 the 48 bits of Unix milliseconds and 2 bits of sequence, here 0), from the row's created time, then the
# row number (unique) for the rest: so they sort by creation time like the gateway's, and a created range is an id range.
ALPHABET=0123456789abcdefghjkmnpqrstvwxyz
# The first 10 id characters of a time in Unix milliseconds (bash), and an id as a SQL expression (SQLite, PostgreSQL).
id_time() { local v=$(($1 * 4)) out="" i; for i in 45 40 35 30 25 20 15 10 5 0; do out+=${ALPHABET:$(((v >> i) & 31)):1}; done; echo "$out"; }
sqlite_id() { local out="'$1_'" i; for i in 45 40 35 30 25 20 15 10 5 0; do out+=" || substr('$ALPHABET', ((($2) * 4 >> $i) & 31) + 1, 1)"; done; echo "$out || printf('%019d', $3)"; }
pg_id() { local out="'$1_'" i; for i in 45 40 35 30 25 20 15 10 5 0; do out+=" || substr('$ALPHABET', ((($2)::bigint * 4 >> $i) & 31)::int + 1, 1)"; done; echo "$out || lpad(($3)::text, 19, '0')"; }
# The id of row n of a table, made at ms (bash): bash_id PREFIX MS N.
bash_id() { printf '%s_%s%019d' "$1" "$(id_time "$2")" "$3"; }
# The list code's id bounds for a created range (Core/Storage/CreatedIdRange.cs): 25 h below, 1 min + 8 ms above, 9 characters.
id_lower() { local t; t=$(id_time $(($2 - 90000000))); echo "$1_${t:0:9}"; }
id_upper() { local t; t=$(id_time $(($2 + 60008))); echo "$1_${t:0:9}"; }

# The data, row n = 1..ROWS of one merchant (mer_bench, test mode), one payment a second:
# status failed 1 in 20, requires_capture 1 in 20, else succeeded; currency EUR/USD/GBP; amount 1.00–1000.99;
# 50,000 customers (20 payments each); one card per payment (visa/mastercard/amex, last 4 = n mod 10,000, so 100
# payments per last 4); metadata {"order_id": "ord-n"} (one payment per order id); 4 provider accounts.
T0=1700000000000
DEEP=$((ROWS / 10))                   # a cursor 90 % of the way down (the 900,000th newest payment)
PAY=$(bash_id pay $((T0 + DEEP * 1000)) "$DEEP")
DAY_FROM=$((T0 + (ROWS - 7 * 86400) * 1000)); DAY_TO=$((DAY_FROM + 86400000))
DAY_N=$((ROWS - 7 * 86400))           # the first payment of that day
DAY_LAST=$(bash_id pay $((T0 + (DAY_N + 25) * 1000)) $((DAY_N + 25)))   # a cursor 25 payments above the day's start: its last page
PAY_RANGE_S="created_at >= $DAY_FROM AND created_at < $DAY_TO"
PAY_IDS="id >= '$(id_lower pay "$DAY_FROM")' AND id < '$(id_upper pay "$DAY_TO")'"
EVT_IDS="id >= '$(id_lower evt "$DAY_FROM")' AND id < '$(id_upper evt "$DAY_TO")'"
MID=$((ROWS / 2))
CUS="cus_$(printf '%010d' 4242)"
ORDER="ord-$MID"
PM="pm_$(printf '%026d' "$MID")"

# name | SQLite SQL | PostgreSQL SQL (each exactly as the store builds it for that filter, with the values inlined).
SCOPE_S="merchant_id = 'mer_bench' AND livemode = 0"
SCOPE_P="merchant_id = 'mer_bench' AND livemode = false"
QUERIES=(
  "payments: newest page|SELECT data, version FROM payments WHERE $SCOPE_S ORDER BY id DESC LIMIT 51|SELECT data, version FROM payments WHERE $SCOPE_P ORDER BY id DESC LIMIT 51"
  "payments: 900,000 deep (cursor)|SELECT data, version FROM payments WHERE $SCOPE_S AND id < '$PAY' ORDER BY id DESC LIMIT 51|SELECT data, version FROM payments WHERE $SCOPE_P AND id < '$PAY' ORDER BY id DESC LIMIT 51"
  "payments: status failed|SELECT data, version FROM payments WHERE $SCOPE_S AND status = 'failed' ORDER BY id DESC LIMIT 51|SELECT data, version FROM payments WHERE $SCOPE_P AND status = 'failed' ORDER BY id DESC LIMIT 51"
  "payments: one day, a week ago (created only, before)|SELECT data, version FROM payments WHERE $SCOPE_S AND $PAY_RANGE_S ORDER BY id DESC LIMIT 51|SELECT data, version FROM payments WHERE $SCOPE_P AND $PAY_RANGE_S ORDER BY id DESC LIMIT 51"
  "payments: one day, a week ago|SELECT data, version FROM payments WHERE $SCOPE_S AND $PAY_RANGE_S AND $PAY_IDS ORDER BY id DESC LIMIT 51|SELECT data, version FROM payments WHERE $SCOPE_P AND $PAY_RANGE_S AND $PAY_IDS ORDER BY id DESC LIMIT 51"
  "payments: one day, a week ago, last page|SELECT data, version FROM payments WHERE $SCOPE_S AND $PAY_RANGE_S AND $PAY_IDS AND id < '$DAY_LAST' ORDER BY id DESC LIMIT 51|SELECT data, version FROM payments WHERE $SCOPE_P AND $PAY_RANGE_S AND $PAY_IDS AND id < '$DAY_LAST' ORDER BY id DESC LIMIT 51"
  "payments: one day, a week ago, failed|SELECT data, version FROM payments WHERE $SCOPE_S AND status = 'failed' AND $PAY_RANGE_S AND $PAY_IDS ORDER BY id DESC LIMIT 51|SELECT data, version FROM payments WHERE $SCOPE_P AND status = 'failed' AND $PAY_RANGE_S AND $PAY_IDS ORDER BY id DESC LIMIT 51"
  "payments: currency + amount range|SELECT data, version FROM payments WHERE $SCOPE_S AND json_extract(data, '\$.amount') >= 50000 AND json_extract(data, '\$.amount') <= 50100 AND json_extract(data, '\$.currency') = 'GBP' ORDER BY id DESC LIMIT 51|SELECT data, version FROM payments WHERE $SCOPE_P AND (data->>'amount')::bigint >= 50000 AND (data->>'amount')::bigint <= 50100 AND data->>'currency' = 'GBP' ORDER BY id DESC LIMIT 51"
  "payments: customer|SELECT data, version FROM payments WHERE $SCOPE_S AND json_extract(data, '\$.customer') = '$CUS' ORDER BY id DESC LIMIT 51|SELECT data, version FROM payments WHERE $SCOPE_P AND data->>'customer' = '$CUS' ORDER BY id DESC LIMIT 51"
  "payments: payment method (pm_)|SELECT data, version FROM payments WHERE $SCOPE_S AND payment_method_id = '$PM' ORDER BY id DESC LIMIT 51|SELECT data, version FROM payments WHERE $SCOPE_P AND data->>'payment_method_id' = '$PM' ORDER BY id DESC LIMIT 51"
  "payments: metadata value (order id)|SELECT data, version FROM payments WHERE $SCOPE_S AND payments.id IN (SELECT v.payment_id FROM payment_metadata_values v WHERE v.value = '$ORDER') ORDER BY id DESC LIMIT 51|SELECT data, version FROM payments WHERE $SCOPE_P AND payments.id IN (SELECT v.payment_id FROM payment_metadata_values v WHERE v.value = '$ORDER') ORDER BY id DESC LIMIT 51"
  "payments: card last 4|SELECT data, version FROM payments WHERE $SCOPE_S AND payments.id IN (SELECT p2.id FROM payments p2 WHERE p2.merchant_id = 'mer_bench' AND p2.livemode = 0 AND p2.payment_method_id IN (SELECT pm.id FROM payment_methods pm WHERE pm.merchant_id = 'mer_bench' AND pm.livemode = 0 AND json_extract(pm.data, '\$.card.last4') = '4242')) ORDER BY id DESC LIMIT 51|SELECT data, version FROM payments WHERE $SCOPE_P AND payments.data->>'payment_method_id' IN (SELECT pm.id COLLATE \"default\" FROM payment_methods pm WHERE pm.merchant_id = 'mer_bench' AND pm.livemode = false AND pm.data->'card'->>'last4' = '4242') ORDER BY id DESC LIMIT 51"
  "payments: card brand amex|SELECT data, version FROM payments WHERE $SCOPE_S AND EXISTS (SELECT 1 FROM payment_methods pm WHERE pm.id = json_extract(payments.data, '\$.payment_method_id') AND json_extract(pm.data, '\$.card.brand') = 'amex') ORDER BY id DESC LIMIT 51|SELECT data, version FROM payments WHERE $SCOPE_P AND EXISTS (SELECT 1 FROM payment_methods pm WHERE pm.id = payments.data->>'payment_method_id' AND pm.data->'card'->>'brand' = 'amex') ORDER BY id DESC LIMIT 51"
  "payments: provider account|SELECT data, version FROM payments WHERE $SCOPE_S AND EXISTS (SELECT 1 FROM json_each(payments.data, '\$.attempts') WHERE json_extract(json_each.value, '\$.provider_account_id') = 'pa_3') ORDER BY id DESC LIMIT 51|SELECT data, version FROM payments WHERE $SCOPE_P AND payments.data->'attempts' @> jsonb_build_array(jsonb_build_object('provider_account_id', 'pa_3'::text)) ORDER BY id DESC LIMIT 51"
  "refunds: newest page|SELECT data, version FROM refunds WHERE $SCOPE_S ORDER BY id DESC LIMIT 51|SELECT data, version FROM refunds WHERE $SCOPE_P ORDER BY id DESC LIMIT 51"
  "events: newest page|SELECT id, merchant_id, livemode, type, object_id, created_at, data FROM events WHERE $SCOPE_S ORDER BY id DESC LIMIT 51|SELECT id, merchant_id, livemode, type, object_id, created_at, data FROM events WHERE $SCOPE_P ORDER BY id DESC LIMIT 51"
  "events: a rare type (1 in 2,000)|SELECT id, merchant_id, livemode, type, object_id, created_at, data FROM events WHERE $SCOPE_S AND type = 'dispute.created' ORDER BY id DESC LIMIT 51|SELECT id, merchant_id, livemode, type, object_id, created_at, data FROM events WHERE $SCOPE_P AND type = 'dispute.created' ORDER BY id DESC LIMIT 51"
  "events: one day, a week ago (created only, before)|SELECT id, merchant_id, livemode, type, object_id, created_at, data FROM events WHERE $SCOPE_S AND $PAY_RANGE_S ORDER BY id DESC LIMIT 51|SELECT id, merchant_id, livemode, type, object_id, created_at, data FROM events WHERE $SCOPE_P AND $PAY_RANGE_S ORDER BY id DESC LIMIT 51"
  "events: one day, a week ago|SELECT id, merchant_id, livemode, type, object_id, created_at, data FROM events WHERE $SCOPE_S AND $PAY_RANGE_S AND $EVT_IDS ORDER BY id DESC LIMIT 51|SELECT id, merchant_id, livemode, type, object_id, created_at, data FROM events WHERE $SCOPE_P AND $PAY_RANGE_S AND $EVT_IDS ORDER BY id DESC LIMIT 51"
  "deliveries: endpoint, newest page|SELECT * FROM webhook_deliveries WHERE $SCOPE_S AND endpoint_id = 'we_bench' ORDER BY id DESC LIMIT 26|SELECT * FROM webhook_deliveries WHERE $SCOPE_P AND endpoint_id = 'we_bench' ORDER BY id DESC LIMIT 26"
  "deliveries: endpoint, failed|SELECT * FROM webhook_deliveries WHERE $SCOPE_S AND endpoint_id = 'we_bench' AND status = 'failed' ORDER BY id DESC LIMIT 26|SELECT * FROM webhook_deliveries WHERE $SCOPE_P AND endpoint_id = 'we_bench' AND status = 'failed' ORDER BY id DESC LIMIT 26"
  "deliveries: an event's|SELECT * FROM webhook_deliveries WHERE $SCOPE_S AND event_id = '$(bash_id evt $((T0 + MID * 1000)) $((2 * MID + 1)))' ORDER BY id DESC LIMIT 101|SELECT * FROM webhook_deliveries WHERE $SCOPE_P AND event_id = '$(bash_id evt $((T0 + MID * 1000)) $((2 * MID + 1)))' ORDER BY id DESC LIMIT 101"
)

# The rows, one statement per table. {N} is the row number; ids are zero-padded so they sort like the gateway's.
if [ "$SQLITE" = 1 ]; then
echo "== SQLite, $ROWS payments"
dotnet "$DLL" host audit verify "--PaymentGateway:DataDirectory=$WORK/data" >/dev/null
DB="$WORK/data/gateway.db"
start=$(date +%s)
sqlite3 "$DB" >/dev/null "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $ROWS)
INSERT INTO payment_methods (id, merchant_id, livemode, data)
  SELECT printf('pm_%026d', n), 'mer_bench', 0, json_object('id', printf('pm_%026d', n), 'type', 'card',
    'card', json_object('brand', CASE n % 3 WHEN 0 THEN 'visa' WHEN 1 THEN 'mastercard' ELSE 'amex' END, 'last4', printf('%04d', n % 10000), 'exp_month', 12, 'exp_year', 2030)) FROM s;
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $ROWS)
INSERT INTO payments (id, merchant_id, livemode, status, created_at, updated_at, version, data)
  SELECT $(sqlite_id pay "$T0 + n * 1000" n), 'mer_bench', 0, CASE n % 20 WHEN 0 THEN 'failed' WHEN 1 THEN 'requires_capture' ELSE 'succeeded' END, $T0 + n * 1000, $T0 + n * 1000, 1,
    json_object('id', $(sqlite_id pay "$T0 + n * 1000" n), 'merchant_id', 'mer_bench', 'livemode', json('false'), 'amount', 100 + (n * 7919) % 100000,
      'currency', CASE n % 3 WHEN 0 THEN 'EUR' WHEN 1 THEN 'USD' ELSE 'GBP' END, 'customer', printf('cus_%010d', n % 50000),
      'payment_method_id', printf('pm_%026d', n), 'metadata', json_object('order_id', 'ord-' || n),
      'attempts', json_array(json_object('id', printf('att_%026d', n), 'provider_account_id', 'pa_' || (n % 4)))) FROM s;
-- The metadata value rows the gateway's stores write with each payment (migration 17; the triggers did until then).
INSERT INTO payment_metadata_values (payment_id, value) SELECT id, json_extract(data, '$.metadata.order_id') FROM payments;
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $ROWS / 10)
INSERT INTO refunds (id, merchant_id, livemode, payment_id, status, created_at, updated_at, version, data)
  SELECT $(sqlite_id re "$T0 + n * 10000" n), 'mer_bench', 0, $(sqlite_id pay "$T0 + n * 10000" "n * 10"), 'succeeded', $T0 + n * 10000, $T0 + n * 10000, 1,
    json_object('id', $(sqlite_id re "$T0 + n * 10000" n), 'payment', $(sqlite_id pay "$T0 + n * 10000" "n * 10"), 'amount', 100) FROM s;
WITH RECURSIVE s(n) AS (SELECT 2 UNION ALL SELECT n + 1 FROM s WHERE n < 2 * $ROWS + 1)
INSERT INTO events (id, merchant_id, livemode, type, object_id, created_at, data, webhook_pending)
  SELECT $(sqlite_id evt "$T0 + (n / 2) * 1000" n), 'mer_bench', 0,
    CASE WHEN n % 4000 = 0 THEN 'dispute.created' WHEN n % 2 = 0 THEN 'payment.created' ELSE 'payment.succeeded' END,
    $(sqlite_id pay "$T0 + (n / 2) * 1000" "n / 2"), $T0 + (n / 2) * 1000, '{}', 0 FROM s;
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $ROWS)
INSERT INTO webhook_deliveries (id, event_id, endpoint_id, merchant_id, livemode, event_type, status, attempt_count, retry_count, created_at, updated_at)
  SELECT printf('wd_%026d', n), $(sqlite_id evt "$T0 + n * 1000" "2 * n + 1"), 'we_bench', 'mer_bench', 0, 'payment.succeeded',
    CASE WHEN n % 50 = 0 THEN 'failed' ELSE 'succeeded' END, 1, 0, $T0 + n * 1000, $T0 + n * 1000 FROM s;
ANALYZE;"
echo "  (rows written in $(( $(date +%s) - start )) s)"
for q in "${QUERIES[@]}"; do
  name=${q%%|*}; rest=${q#*|}; sql=${rest%%|*}
  best=$(for _ in 1 2 3 4 5; do printf '.timer on\n%s;\n' "$sql" | sqlite3 "$DB" | grep -o 'real [0-9.]*' | awk '{print $2 * 1000}'; done | sort -n | head -1)
  printf '  %-40s %9.2f ms\n' "$name" "$best"
done
fi

if [ -n "$PG" ]; then
  libpq() { echo "$1" | sed 's/;/ /g' | sed 's/Host=/host=/;s/Port=/port=/;s/Username=/user=/;s/Database=/dbname=/'; }
  NAME="bench_lists_$$"
  psql "$(libpq "$PG")" -qc "CREATE DATABASE $NAME;"
  CONN="${PG/Database=postgres/Database=$NAME}"
  PSQL_CONN=$(libpq "$CONN")
  echo "== PostgreSQL, $ROWS payments"
  dotnet "$DLL" host audit verify --PaymentGateway:Storage:Engine=postgres "--PaymentGateway:Storage:ConnectionString=$CONN" >/dev/null
  start=$(date +%s)
  psql "$PSQL_CONN" -q -v ON_ERROR_STOP=1 \
    -c "INSERT INTO payment_methods (id, merchant_id, livemode, data)
        SELECT 'pm_' || lpad(n::text, 26, '0'), 'mer_bench', false, jsonb_build_object('id', 'pm_' || lpad(n::text, 26, '0'), 'type', 'card',
          'card', jsonb_build_object('brand', CASE n % 3 WHEN 0 THEN 'visa' WHEN 1 THEN 'mastercard' ELSE 'amex' END, 'last4', lpad((n % 10000)::text, 4, '0'), 'exp_month', 12, 'exp_year', 2030))
        FROM generate_series(1, $ROWS) n;" \
    -c "INSERT INTO payments (id, merchant_id, livemode, status, created_at, updated_at, version, data)
        SELECT $(pg_id pay "$T0 + n * 1000" n), 'mer_bench', false, CASE n % 20 WHEN 0 THEN 'failed' WHEN 1 THEN 'requires_capture' ELSE 'succeeded' END, $T0 + n * 1000, $T0 + n * 1000, 1,
          jsonb_build_object('id', $(pg_id pay "$T0 + n * 1000" n), 'merchant_id', 'mer_bench', 'livemode', false, 'amount', 100 + (n::bigint * 7919) % 100000,
            'currency', CASE n % 3 WHEN 0 THEN 'EUR' WHEN 1 THEN 'USD' ELSE 'GBP' END, 'customer', 'cus_' || lpad((n % 50000)::text, 10, '0'),
            'payment_method_id', 'pm_' || lpad(n::text, 26, '0'), 'metadata', jsonb_build_object('order_id', 'ord-' || n),
            'attempts', jsonb_build_array(jsonb_build_object('id', 'att_' || lpad(n::text, 26, '0'), 'provider_account_id', 'pa_' || (n % 4))))
        FROM generate_series(1, $ROWS) n;" \
    -c "INSERT INTO payment_metadata_values (payment_id, value) SELECT id, data->'metadata'->>'order_id' FROM payments;" \
    -c "INSERT INTO refunds (id, merchant_id, livemode, payment_id, status, created_at, updated_at, version, data)
        SELECT $(pg_id re "$T0 + n * 10000" n), 'mer_bench', false, $(pg_id pay "$T0 + n * 10000" "n * 10"), 'succeeded', $T0 + n * 10000, $T0 + n * 10000, 1,
          jsonb_build_object('id', $(pg_id re "$T0 + n * 10000" n), 'payment', $(pg_id pay "$T0 + n * 10000" "n * 10"), 'amount', 100)
        FROM generate_series(1, $ROWS / 10) n;" \
    -c "INSERT INTO events (id, merchant_id, livemode, type, object_id, created_at, data, webhook_pending)
        SELECT $(pg_id evt "$T0 + (n / 2) * 1000" n), 'mer_bench', false,
          CASE WHEN n % 4000 = 0 THEN 'dispute.created' WHEN n % 2 = 0 THEN 'payment.created' ELSE 'payment.succeeded' END,
          $(pg_id pay "$T0 + (n / 2) * 1000" "n / 2"), $T0 + (n / 2) * 1000, '{}', false
        FROM generate_series(2, 2 * $ROWS + 1) n;" \
    -c "INSERT INTO webhook_deliveries (id, event_id, endpoint_id, merchant_id, livemode, event_type, status, attempt_count, retry_count, created_at, updated_at)
        SELECT 'wd_' || lpad(n::text, 26, '0'), $(pg_id evt "$T0 + n * 1000" "2 * n + 1"), 'we_bench', 'mer_bench', false, 'payment.succeeded',
          CASE WHEN n % 50 = 0 THEN 'failed' ELSE 'succeeded' END, 1, 0, $T0 + n * 1000, $T0 + n * 1000
        FROM generate_series(1, $ROWS) n;" \
    -c "VACUUM ANALYZE;"
  echo "  (rows written in $(( $(date +%s) - start )) s)"
  for q in "${QUERIES[@]}"; do
    name=${q%%|*}; sql=${q##*|}
    best=$(for _ in 1 2 3 4 5; do psql "$PSQL_CONN" -qAt -c '\timing on' -c "$sql;" | grep -o 'Time: [0-9.]*' | awk '{print $2}'; done | sort -n | head -1)
    printf '  %-40s %9.2f ms\n' "$name" "$best"
  done
  if [ -n "${KEEP_DB:-}" ]; then echo "  (kept database $NAME)"; else psql "$(libpq "$PG")" -qc "DROP DATABASE $NAME WITH (FORCE);"; fi
fi
