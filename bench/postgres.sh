#!/usr/bin/env bash
# A PostgreSQL server for benchmarks, durable as in production: fsync and synchronous_commit on (the test suites'
# server runs with fsync off, which flatters every commit), pg_stat_statements loaded so each run's statement time per
# payment can be read, on 127.0.0.1 only. Prints the connection string of a fresh, empty database for bench/run.sh,
# bench/memory.sh or bench/cluster.sh.
#
#   bench/postgres.sh [--port 55433] [--dir /var/tmp/paymentgateway-bench-pg] [--database NAME]   start (if needed) + fresh database
#   bench/postgres.sh --stop [--port …] [--dir …]
#   psql -h 127.0.0.1 -p 55433 -U postgres -d NAME -c "select calls, total_exec_time, query from pg_stat_statements order by 2 desc limit 15"
#
# Needs Debian's postgresql package (apt-get install postgresql); run as root (the server runs as postgres).
set -euo pipefail

PORT=55433 DIR=/var/tmp/paymentgateway-bench-pg DATABASE="bench_$(date +%H%M%S)" STOP=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT=$2; shift 2 ;;
    --dir) DIR=$2; shift 2 ;;
    --database) DATABASE=$2; shift 2 ;;
    --stop) STOP=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$DATABASE" in *[!a-z0-9_]*|"") echo "--database: lower-case letters, digits and _ only" >&2; exit 2 ;; esac
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$BIN" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sh -c "$*"; fi; }

if [ -n "$STOP" ]; then
  as_postgres "'$BIN/pg_ctl' -D '$DIR/data' stop -m fast"
  exit 0
fi

if [ ! -f "$DIR/data/PG_VERSION" ]; then
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$DIR"
  as_postgres "'$BIN/initdb' -D '$DIR/data' -A trust -U postgres" >/dev/null
fi
if ! as_postgres "'$BIN/pg_ctl' -D '$DIR/data' status" >/dev/null 2>&1; then
  as_postgres "'$BIN/pg_ctl' -D '$DIR/data' -l '$DIR/log' -w -t 60 start -o \"-p $PORT -c listen_addresses=127.0.0.1 -k /tmp \
    -c max_connections=400 -c shared_buffers=1GB -c fsync=on -c synchronous_commit=on \
    -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all\"" >/dev/null
fi
psql -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE $DATABASE"
psql -h 127.0.0.1 -p "$PORT" -U postgres -d "$DATABASE" -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
echo "Host=127.0.0.1;Port=$PORT;Username=postgres;Database=$DATABASE"
