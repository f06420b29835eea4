#!/usr/bin/env bash
# What a payment's metadata value rows (payment_metadata_values, issue 17) cost per payment write, written two ways, on
# SQLite and (with --postgres) PostgreSQL: A = migration 16's triggers (the script creates them: migration 17 dropped
# them), B = what the stores write since migration 17 (issue 20): the value rows as plain INSERTs in the payment's
# transaction, none on an update that keeps the metadata, DELETE + INSERTs on one that changes it. The gateway's own
# migrations make the schema (via `host audit verify`), then each round writes N payments as the gateway does — one
# INSERT per payment, 50 payments per transaction (a group commit) — with metadata ({"order_id", "customer_ref"}), then
# updates each payment's data once without touching its metadata (a status change) and once changing it. Rounds
# alternate A / B, A B A B, on emptied tables. SQLite: CPU microseconds (user + sys) of the sqlite3 process per payment
# per phase — the engine runs in it, so this holds on a loaded machine where wall time does not; the shell parses
# every statement's text, so B pays a parse per value row that the gateway's prepared statements do not (B is
# overstated). PostgreSQL (the work is in the server): wall microseconds per payment of psql reading the file (noisy
# under load), and the server's own account: EXPLAIN ANALYZE of the same writes done set-based (N rows in one
# statement) reports the time spent in each trigger, per row, beside the statement's total.
#   bench/metadata-trigger.sh [--dll path/to/PaymentGateway.Host.dll] [--rows 100000] [--rounds 2] [--postgres "Host=…;Username=…;Database=postgres" [--postgres-only]]
set -euo pipefail
cd "$(dirname "$0")/.."
DLL=src/Gateway/PaymentGateway.Host/bin/Release/net10.0/PaymentGateway.Host.dll
ROWS=100000
ROUNDS=2
PG=""
SQLITE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --dll) DLL=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --postgres) PG=$2; shift 2 ;;
    --postgres-only) SQLITE=0; shift ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
[ -f "$DLL" ] || dotnet build -c Release src/Gateway/PaymentGateway.Host >/dev/null
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The SQL files: insert, update without a metadata change, update with one. A payment's data is about 900 bytes,
# shaped like the gateway's (ids, amounts, a card attempt, metadata). $1 = sqlite | postgres.
make_sql() {
  python3 - "$1" "$ROWS" "$WORK/$1" <<'PY'
import json, sys
engine, rows, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
live = "0" if engine == "sqlite" else "false"
def data(n, status, order):
    return json.dumps({
        "id": f"pay_{n:029d}", "merchant_id": "mer_bench", "livemode": False, "status": status, "amount": 1000 + n % 90000,
        "amount_capturable": 0, "amount_received": 1000 + n % 90000, "amount_refunded": 0, "currency": "eur",
        "capture_method": "automatic", "payment_method_id": f"pm_{n:029d}", "customer": f"cus_{n % 50000:010d}",
        "description": "Order from the web shop, two items, standard shipping", "metadata": {"order_id": order, "customer_ref": f"c-{n % 50000}"},
        "provider": "simulator", "provider_reference": f"sim_{n:020d}",
        "attempts": [{"id": f"att_{n:029d}", "provider": "simulator", "provider_account_id": "pa_1", "idempotency_key": f"pay_{n:029d}:att_{n:029d}",
                      "payment_method_id": f"pm_{n:029d}", "status": "succeeded", "created": "2026-12-07T12:00:00.000Z", "updated": "2026-12-07T12:00:00.100Z"}],
        "created": "2026-12-07T12:00:00.000Z", "updated": "2026-12-07T12:00:00.100Z"}, separators=(",", ":")).replace("'", "''")
def write(path, statement):
    with open(path, "w") as f:
        for n in range(1, rows + 1):
            if n % 50 == 1: f.write("BEGIN;\n")
            f.write(statement(n))
            if n % 50 == 0 or n == rows: f.write("COMMIT;\n")
cast = "" if engine == "sqlite" else "::jsonb"
# B's value rows, as the stores write them: one INSERT per distinct value (SQLite's prepared statement; PostgreSQL's
# store sends one INSERT … unnest of an array, written here as one multi-row INSERT).
def values(n, order):
    rows = [f"('pay_{n:029d}', '{v}')" for v in sorted({order, f"c-{n % 50000}"})]
    if engine == "sqlite":
        return "".join(f"INSERT INTO payment_metadata_values (payment_id, value) VALUES {r};\n" for r in rows)
    return f"INSERT INTO payment_metadata_values (payment_id, value) VALUES {', '.join(rows)};\n"
for mode in ("A", "B"):
    store = mode == "B"
    write(f"{out}.{mode}.insert.sql", lambda n: f"INSERT INTO payments (id, merchant_id, livemode, status, created_at, updated_at, version, data) VALUES ('pay_{n:029d}', 'mer_bench', {live}, 'processing', {1765108800000 + n}, {1765108800000 + n}, 1, '{data(n, 'processing', f'ord-{n}')}'{cast});\n"
          + (values(n, f"ord-{n}") if store else ""))
    write(f"{out}.{mode}.update-same.sql", lambda n: f"UPDATE payments SET status = 'succeeded', version = 2, data = '{data(n, 'succeeded', f'ord-{n}')}'{cast} WHERE id = 'pay_{n:029d}' AND version = 1;\n")
    write(f"{out}.{mode}.update-metadata.sql", lambda n: f"UPDATE payments SET version = 3, data = '{data(n, 'succeeded', f'ord-{n}-b')}'{cast} WHERE id = 'pay_{n:029d}' AND version = 2;\n"
          + (f"DELETE FROM payment_metadata_values WHERE payment_id = 'pay_{n:029d}';\n" + values(n, f"ord-{n}-b") if store else ""))
PY
}

# Runs a file through a client and prints its wall time in microseconds per payment.
per_payment() { local start end; start=$(date +%s%N); "$@" >/dev/null; end=$(date +%s%N); echo $(( (end - start) / 1000 / ROWS )); }
# Runs a command and prints its CPU time (user + sys, its children's included) in microseconds per payment.
cpu_per_payment() { local out; out=$( { /usr/bin/time -f '%U %S' "$@" >/dev/null; } 2>&1 | tail -1); echo "$out" | awk -v n="$ROWS" '{printf "%d", ($1 + $2) * 1e6 / n}'; }

report() { # report ENGINE MODE ROUND INSERT UPDATE-SAME UPDATE-METADATA VALUES-ROWS
  printf '  %-10s round %s  %-13s insert %5s µs  update (same metadata) %5s µs  update (new metadata) %5s µs  (%s value rows)\n' "$1" "$3" "$2" "$4" "$5" "$6" "$7"
}

if [ "$SQLITE" = 1 ]; then
  echo "== SQLite, $ROWS payments a round, WAL, synchronous=NORMAL"
  make_sql sqlite
  dotnet "$DLL" host audit verify "--PaymentGateway:DataDirectory=$WORK/data" >/dev/null
  DB="$WORK/data/gateway.db"
  # Migration 16's triggers, as it created them.
  TRIGGERS="CREATE TRIGGER payments_metadata_insert AFTER INSERT ON payments
    BEGIN
        INSERT INTO payment_metadata_values (payment_id, value)
            SELECT DISTINCT NEW.id, m.value FROM json_each(NEW.data, '\$.metadata') m WHERE m.type = 'text';
    END;
    CREATE TRIGGER payments_metadata_update AFTER UPDATE OF data ON payments
        WHEN json_extract(OLD.data, '\$.metadata') IS NOT json_extract(NEW.data, '\$.metadata')
    BEGIN
        DELETE FROM payment_metadata_values WHERE payment_id = OLD.id;
        INSERT INTO payment_metadata_values (payment_id, value)
            SELECT DISTINCT NEW.id, m.value FROM json_each(NEW.data, '\$.metadata') m WHERE m.type = 'text';
    END;"
  for round in $(seq 1 "$ROUNDS"); do
    for mode in A B; do
      sqlite3 "$DB" "DELETE FROM payments; DELETE FROM payment_metadata_values; DROP TRIGGER IF EXISTS payments_metadata_insert; DROP TRIGGER IF EXISTS payments_metadata_update; VACUUM;"
      if [ $mode = A ]; then sqlite3 "$DB" "$TRIGGERS"; fi
      i=$(cpu_per_payment sqlite3 "$DB" "PRAGMA journal_mode=WAL;" "PRAGMA synchronous=NORMAL;" ".read $WORK/sqlite.$mode.insert.sql")
      u=$(cpu_per_payment sqlite3 "$DB" "PRAGMA journal_mode=WAL;" "PRAGMA synchronous=NORMAL;" ".read $WORK/sqlite.$mode.update-same.sql")
      m=$(cpu_per_payment sqlite3 "$DB" "PRAGMA journal_mode=WAL;" "PRAGMA synchronous=NORMAL;" ".read $WORK/sqlite.$mode.update-metadata.sql")
      report "SQLite CPU" "$([ $mode = A ] && echo 'triggers' || echo 'store writes')" "$round" "$i" "$u" "$m" "$(sqlite3 "$DB" 'SELECT count(*) FROM payment_metadata_values;')"
    done
  done
fi

if [ -n "$PG" ]; then
  libpq() { echo "$1" | sed 's/;/ /g' | sed 's/Host=/host=/;s/Port=/port=/;s/Username=/user=/;s/Database=/dbname=/'; }
  NAME="bench_trigger_$$"
  psql "$(libpq "$PG")" -qc "CREATE DATABASE $NAME;"
  CONN="${PG/Database=postgres/Database=$NAME}"
  PSQL_CONN=$(libpq "$CONN")
  echo "== PostgreSQL, $ROWS payments a round"
  make_sql postgres
  dotnet "$DLL" host audit verify --PaymentGateway:Storage:Engine=postgres "--PaymentGateway:Storage:ConnectionString=$CONN" >/dev/null
  pq() { psql "$PSQL_CONN" -q -v ON_ERROR_STOP=1 -f "$1"; }
  # Migration 16's trigger function and triggers, as it created them.
  psql "$PSQL_CONN" -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE OR REPLACE FUNCTION payments_metadata_values() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM payment_metadata_values WHERE payment_id = OLD.id;
    END IF;
    IF jsonb_typeof(NEW.data->'metadata') = 'object' THEN
        INSERT INTO payment_metadata_values (payment_id, value)
            SELECT DISTINCT NEW.id, m.value FROM jsonb_each_text(NEW.data->'metadata') m WHERE m.value IS NOT NULL;
    END IF;
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS payments_metadata_insert ON payments;
DROP TRIGGER IF EXISTS payments_metadata_update ON payments;
CREATE TRIGGER payments_metadata_insert AFTER INSERT ON payments
    FOR EACH ROW EXECUTE FUNCTION payments_metadata_values();
CREATE TRIGGER payments_metadata_update AFTER UPDATE ON payments
    FOR EACH ROW WHEN (OLD.data->'metadata' IS DISTINCT FROM NEW.data->'metadata') EXECUTE FUNCTION payments_metadata_values();
SQL
  for round in $(seq 1 "$ROUNDS"); do
    for mode in A B; do
      action=$([ $mode = A ] && echo ENABLE || echo DISABLE)
      psql "$PSQL_CONN" -q -c "TRUNCATE payments, payment_metadata_values;" -c "ALTER TABLE payments $action TRIGGER payments_metadata_insert;" \
        -c "ALTER TABLE payments $action TRIGGER payments_metadata_update;" -c "VACUUM ANALYZE payments, payment_metadata_values;"
      i=$(per_payment pq "$WORK/postgres.$mode.insert.sql"); u=$(per_payment pq "$WORK/postgres.$mode.update-same.sql"); m=$(per_payment pq "$WORK/postgres.$mode.update-metadata.sql")
      report PostgreSQL "$([ $mode = A ] && echo 'triggers' || echo 'store writes')" "$round" "$i" "$u" "$m" "$(psql "$PSQL_CONN" -qAt -c 'SELECT count(*) FROM payment_metadata_values;')"
    done
  done
  # The server's account of the triggers: the same three writes, set-based, under EXPLAIN ANALYZE (triggers on).
  psql "$PSQL_CONN" -q -c "TRUNCATE payments, payment_metadata_values;" -c "ALTER TABLE payments ENABLE TRIGGER payments_metadata_insert;" \
    -c "ALTER TABLE payments ENABLE TRIGGER payments_metadata_update;"
  explain() { # explain LABEL SQL: the statement's execution time and each trigger's, per row, in microseconds
    psql "$PSQL_CONN" -qAt -c "EXPLAIN (ANALYZE) $2" | awk -v n="$ROWS" -v label="$1" '
      /^Trigger/ { sub(/:$/, "", $2); split($0, a, "time="); split(a[2], b, " "); t = t sprintf("  %s %.1f µs", $2, b[1] * 1000 / n) }
      /^Execution Time/ { e = $3 }
      END { printf "  PostgreSQL EXPLAIN ANALYZE  %-22s statement %.1f µs a row; triggers:%s\n", label, e * 1000 / n, (t == "" ? " none ran" : t) }'
  }
  DATA="jsonb_build_object('id', 'pay_' || lpad(n::text, 29, '0'), 'merchant_id', 'mer_bench', 'status', 'processing', 'amount', 1000 + n % 90000,
    'currency', 'eur', 'payment_method_id', 'pm_' || lpad(n::text, 29, '0'), 'customer', 'cus_' || lpad((n % 50000)::text, 10, '0'),
    'description', 'Order from the web shop, two items, standard shipping', 'metadata', jsonb_build_object('order_id', 'ord-' || n, 'customer_ref', 'c-' || (n % 50000)),
    'attempts', jsonb_build_array(jsonb_build_object('id', 'att_' || lpad(n::text, 29, '0'), 'provider', 'simulator', 'status', 'succeeded')))"
  explain "insert" "INSERT INTO payments (id, merchant_id, livemode, status, created_at, updated_at, version, data)
    SELECT 'pay_' || lpad(n::text, 29, '0'), 'mer_bench', false, 'processing', 1765108800000 + n, 1765108800000 + n, 1, $DATA FROM generate_series(1, $ROWS) n;"
  explain "update, same metadata" "UPDATE payments SET status = 'succeeded', version = 2, data = jsonb_set(data, '{status}', '\"succeeded\"');"
  explain "update, new metadata" "UPDATE payments SET version = 3, data = jsonb_set(data, '{metadata,order_id}', to_jsonb((data->'metadata'->>'order_id') || '-b'));"
  psql "$(libpq "$PG")" -qc "DROP DATABASE $NAME WITH (FORCE);"
fi
