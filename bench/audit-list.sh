#!/usr/bin/env bash
# The audit list's queries on 1,000,000 audit entries, on SQLite and (with --postgres) PostgreSQL: the gateway's own
# migrations make the schema (via `host audit verify`), SQL bulk-inserts the rows, and each query the store runs for the
# console's Audit page / GET /v1/audit_entries is timed (best of 5, milliseconds, from the engine's own timer).
#   bench/audit-list.sh [--dll path/to/PaymentGateway.Host.dll] [--rows 1000000] [--postgres "Host=…;Username=…;Database=postgres"]
set -euo pipefail
cd "$(dirname "$0")/.."
DLL=src/Gateway/PaymentGateway.Host/bin/Release/net10.0/PaymentGateway.Host.dll
ROWS=1000000
PG=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dll) DLL=$2; shift 2 ;;
    --rows) ROWS=$2; shift 2 ;;
    --postgres) PG=$2; shift 2 ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
[ -f "$DLL" ] || dotnet build -c Release src/Gateway/PaymentGateway.Host >/dev/null
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# One row per entry: 50 actors, 20 actions, 100 merchants, 10,000 targets, one entry a second.
ROW_COLUMNS="n * 1000, 'console.action.' || (n % 20), 'usr_' || (n % 50), 'mer_' || (n % 100), 'usr_t' || (n % 10000), 'p', 'h', '{}'"
DEEP=$((ROWS - 10000))
QUERIES=(
  "newest page|SELECT seq, prev_hash, hash, data FROM audit_entries ORDER BY seq DESC LIMIT 51"
  "page 10,000 entries deep (cursor)|SELECT seq, prev_hash, hash, data FROM audit_entries WHERE seq < COALESCE((SELECT seq FROM audit_entries WHERE id = '{DEEP_ID}'), 0) ORDER BY seq DESC LIMIT 51"
  "one actor|SELECT seq, prev_hash, hash, data FROM audit_entries WHERE actor_id = 'usr_7' ORDER BY seq DESC LIMIT 51"
  "one action|SELECT seq, prev_hash, hash, data FROM audit_entries WHERE action = 'console.action.3' ORDER BY seq DESC LIMIT 51"
  "one target (sign-in history)|SELECT seq, prev_hash, hash, data FROM audit_entries WHERE target_id = 'usr_t42' ORDER BY seq DESC LIMIT 101"
  "merchant scope of 3|SELECT seq, prev_hash, hash, data FROM audit_entries WHERE merchant_id IN ('mer_1', 'mer_2', 'mer_3') ORDER BY seq DESC LIMIT 51"
  "a day, a week ago|SELECT seq, prev_hash, hash, data FROM audit_entries WHERE created_at >= $(( (ROWS - 7*86400) * 1000 )) AND seq > COALESCE((SELECT seq FROM audit_entries WHERE created_at < $(( (ROWS - 7*86400) * 1000 )) ORDER BY created_at DESC, seq DESC LIMIT 1), 0) AND created_at < $(( (ROWS - 6*86400) * 1000 )) AND seq <= COALESCE((SELECT seq FROM audit_entries WHERE created_at < $(( (ROWS - 6*86400) * 1000 )) ORDER BY created_at DESC, seq DESC LIMIT 1), 0) ORDER BY seq DESC LIMIT 51"
)

echo "== SQLite, $ROWS entries"
dotnet "$DLL" host audit verify "--PaymentGateway:DataDirectory=$WORK/data" >/dev/null
DB="$WORK/data/gateway.db"
sqlite3 "$DB" "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $ROWS)
  INSERT INTO audit_entries (id, created_at, action, actor_id, merchant_id, target_id, prev_hash, hash, data) SELECT printf('aud_%029d', n), $ROW_COLUMNS FROM s; ANALYZE;"
DEEP_ID=$(printf 'aud_%029d' "$DEEP")
for q in "${QUERIES[@]}"; do
  name=${q%%|*}; sql=${q#*|}; sql=${sql//\{DEEP_ID\}/$DEEP_ID}
  best=$(for _ in 1 2 3 4 5; do printf '.timer on\n%s;\n' "$sql" | sqlite3 "$DB" | grep -o 'real [0-9.]*' | awk '{print $2 * 1000}'; done | sort -n | head -1)
  printf '  %-36s %8.2f ms\n' "$name" "$best"
done

if [ -n "$PG" ]; then
  NAME="bench_audit_$$"
  psql "$(echo "$PG" | sed 's/;/ /g' | sed 's/Host=/host=/;s/Port=/port=/;s/Username=/user=/;s/Database=/dbname=/')" -qc "CREATE DATABASE $NAME;"
  CONN="${PG/Database=postgres/Database=$NAME}"
  PSQL_CONN=$(echo "$CONN" | sed 's/;/ /g' | sed 's/Host=/host=/;s/Port=/port=/;s/Username=/user=/;s/Database=/dbname=/')
  echo "== PostgreSQL, $ROWS entries"
  dotnet "$DLL" host audit verify --PaymentGateway:Storage:Engine=postgres "--PaymentGateway:Storage:ConnectionString=$CONN" >/dev/null
  psql "$PSQL_CONN" -qc "INSERT INTO audit_entries (seq, id, created_at, action, actor_id, merchant_id, target_id, prev_hash, hash, data)
    SELECT n, 'aud_' || lpad(n::text, 29, '0'), $ROW_COLUMNS FROM generate_series(1, $ROWS) n;" -c "VACUUM ANALYZE audit_entries;"
  for q in "${QUERIES[@]}"; do
    name=${q%%|*}; sql=${q#*|}; sql=${sql//\{DEEP_ID\}/$DEEP_ID}
    best=$(for _ in 1 2 3 4 5; do psql "$PSQL_CONN" -qAt -c '\timing on' -c "$sql;" | grep -o 'Time: [0-9.]*' | awk '{print $2}'; done | sort -n | head -1)
    printf '  %-36s %8.2f ms\n' "$name" "$best"
  done
  psql "$(echo "$PG" | sed 's/;/ /g' | sed 's/Host=/host=/;s/Port=/port=/;s/Username=/user=/;s/Database=/dbname=/')" -qc "DROP DATABASE $NAME WITH (FORCE);"
fi
