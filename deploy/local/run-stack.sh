#!/usr/bin/env bash
# The observability stack without Docker, on one machine: two gateway nodes on one PostgreSQL database, Debian's
# Prometheus scraping both with deploy/prometheus/alerts.yml loaded, a webhook receiver, and a short mixed payment load
# (deploy/local/drive.py). Afterwards every panel of the Grafana dashboard is evaluated against that Prometheus and
# rendered to HTML + a PNG screenshot with Chromium (deploy/local/render_dashboard.py), and the alert rules' states are
# printed. Both nodes export their traces over OTLP/HTTP to deploy/local/TraceViewer; one payment the driver created,
# captured and refunded is looked up there, its traces printed as trees, and its waterfall screenshotted; the run fails
# if that trace lacks the server, storage or provider.authorize spans (deploy/local/show_trace.py). Everything it
# starts is stopped on exit, unless --keep.
#
#   deploy/local/run-stack.sh [--seconds 90] [--out DIR] [--postgres "<connection string to an EMPTY database>"]
#                             [--dll path/to/PaymentGateway.Host.dll (skips the Release build)] [--keep]
#                             [--viewer-dll path/to/PaymentGateway.TraceViewer.dll (default: next to --dll or in
#                              deploy/local/TraceViewer/bin/<same configuration>/<same framework>/, else built)]
#
# Needs: the .NET SDK, python3, prometheus (apt-get install prometheus), PostgreSQL binaries (apt-get install
# postgresql) unless --postgres is given, chromium for the PNG (apt-get install chromium; without it only the HTML).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_LOAD=90 OUT=/tmp/paymentgateway-stack POSTGRES="" KEEP=0 DLL="" VIEWER_DLL=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_LOAD=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --postgres) POSTGRES=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --dll) DLL=$(realpath "$2"); shift 2 ;;
    --viewer-dll) VIEWER_DLL=$(realpath "$2"); shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
rm -rf "$OUT"; mkdir -p "$OUT"
command -v prometheus >/dev/null || { echo "prometheus is not installed (apt-get install -y prometheus)" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
PIDS=() PG_DATA=""
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "$PG_DATA" ]; then
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    else "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true; fi
  fi
}
trap cleanup EXIT

if [ -z "$DLL" ]; then
  echo "== build (Release)"
  dotnet build -c Release src/Gateway/PaymentGateway.Host --artifacts-path "$OUT/artifacts" -v q -nologo > "$OUT/build.log" 2>&1 \
    || { tail -n 30 "$OUT/build.log"; exit 1; }
  DLL=$(find "$OUT/artifacts/bin/PaymentGateway.Host" -name PaymentGateway.Host.dll | head -n 1)
fi
if [ -z "$VIEWER_DLL" ]; then # next to --dll, or the same configuration's build output (CI: bin/Debug/net10.0)
  for candidate in "$(dirname "$DLL")/PaymentGateway.TraceViewer.dll" \
      "deploy/local/TraceViewer/bin/$(basename "$(dirname "$(dirname "$DLL")")")/$(basename "$(dirname "$DLL")")/PaymentGateway.TraceViewer.dll"; do
    if [ -f "$candidate" ]; then VIEWER_DLL=$(realpath "$candidate"); break; fi
  done
fi
if [ -z "$VIEWER_DLL" ]; then
  echo "== build the trace viewer (Release)"
  dotnet build -c Release deploy/local/TraceViewer --artifacts-path "$OUT/artifacts" -v q -nologo > "$OUT/build-viewer.log" 2>&1 \
    || { tail -n 30 "$OUT/build-viewer.log"; exit 1; }
  VIEWER_DLL=$(find "$OUT/artifacts/bin/PaymentGateway.TraceViewer" -name PaymentGateway.TraceViewer.dll | head -n 1)
fi

if [ -z "$POSTGRES" ]; then
  echo "== throwaway PostgreSQL"
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$PG_BIN/initdb" ] || { echo "no PostgreSQL binaries (apt-get install -y postgresql) and no --postgres" >&2; exit 1; }
  mkdir -p "$OUT/pg"; PG_DATA="$OUT/pg/data"; PG_PORT=$(free_port)
  as_owner() { if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$OUT/pg"; runuser -u postgres -- "$@"; else "$@"; fi; }
  as_owner "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres -E UTF8 --no-sync > "$OUT/pg-initdb.log" 2>&1
  as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$OUT/pg/server.log" -w \
    -o "-p $PG_PORT -k $OUT/pg -c listen_addresses=127.0.0.1" start > /dev/null
  POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
fi

echo "== trace viewer (OTLP/HTTP receiver)"
VIEWER_PORT=$(free_port)
mkdir -p "$OUT/viewer"
ASPNETCORE_URLS="http://127.0.0.1:$VIEWER_PORT" dotnet "$VIEWER_DLL" > "$OUT/viewer/viewer.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 30); do curl -sf "http://127.0.0.1:$VIEWER_PORT/" >/dev/null 2>&1 && break; sleep 1; done
curl -sf "http://127.0.0.1:$VIEWER_PORT/" >/dev/null || { echo "the trace viewer did not start:"; tail -n 30 "$OUT/viewer/viewer.out"; exit 1; }

# One vault key for both nodes: any node can read a card another node tokenized.
VAULT_KEY="k1:$(head -c 32 /dev/urandom | base64 -w0)"
FINGERPRINT_KEY=$(head -c 32 /dev/urandom | base64 -w0)
start_node() { # name port
  local name=$1 port=$2
  mkdir -p "$OUT/$name"
  PaymentGateway__Storage__Engine=postgres PaymentGateway__Storage__ConnectionString="$POSTGRES" \
  PaymentGateway__DataDirectory="$OUT/$name/data" PaymentGateway__GrpcUrl="" \
  PaymentGateway__Vault__Keys="$VAULT_KEY" PaymentGateway__Vault__ActiveKeyId=k1 PaymentGateway__Vault__FingerprintKey="$FINGERPRINT_KEY" \
  PaymentGateway__Webhooks__AllowPrivateNetworks=true PaymentGateway__Reconciler__MinAge=00:00:05 \
  PaymentGateway__Reconciler__InFlightGrace=00:00:10 PaymentGateway__PublicBaseUrl="http://127.0.0.1:$port" \
  ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$port" OTEL_SERVICE_NAME=paymentgateway OTEL_RESOURCE_ATTRIBUTES="service.instance.id=$name" \
  OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$VIEWER_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_BSP_SCHEDULE_DELAY=500 \
    dotnet "$DLL" > "$OUT/$name/gateway.out" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "$name did not become ready:"; tail -n 30 "$OUT/$name/gateway.out"; exit 1
}
P1=$(free_port); P2=$(free_port); while [ "$P2" = "$P1" ]; do P2=$(free_port); done
echo "== gateway nodes on 127.0.0.1:$P1 and 127.0.0.1:$P2 (PostgreSQL)"
start_node node-1 "$P1"   # the first node creates the schema and the demo merchant, and prints its keys once (Development only)
start_node node-2 "$P2"
eval "$(grep -m1 'export PG_SK=' "$OUT/node-1/gateway.out" | sed 's/^ *//')"

echo "== webhook receiver"
WH_PORT=$(free_port)
python3 -c '
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real receivers do
    def do_POST(self):  # every tenth delivery fails with a 500, so the retry panels have data
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200 if hash(self.headers.get("webhook-id")) % 10 else 500)
        self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
class S(http.server.ThreadingHTTPServer):
    request_queue_size = 256  # the default 5 drops connections under load: 1 s SYN retries
S(("127.0.0.1", int(sys.argv[1])), H).serve_forever()' "$WH_PORT" &
PIDS+=($!)

echo "== Prometheus"
PROM_PORT=$(free_port)
mkdir -p "$OUT/prometheus"
cp deploy/prometheus/alerts.yml "$OUT/prometheus/alerts.yml"
cat > "$OUT/prometheus/prometheus.yml" <<YML
# Generated by deploy/local/run-stack.sh from deploy/prometheus/prometheus.yml: local targets, a 2 s scrape interval.
global: { scrape_interval: 2s, evaluation_interval: 2s }
rule_files: [alerts.yml]
scrape_configs:
  - job_name: paymentgateway
    metrics_path: /metrics
    static_configs:
      - targets: ["127.0.0.1:$P1", "127.0.0.1:$P2"]
YML
promtool check config "$OUT/prometheus/prometheus.yml" > /dev/null
prometheus --config.file="$OUT/prometheus/prometheus.yml" --storage.tsdb.path="$OUT/prometheus/data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" > "$OUT/prometheus/prometheus.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 30); do curl -sf "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null 2>&1 && break; sleep 1; done

echo "== load: $SECONDS_LOAD s of mixed payments over both nodes"
ADMIN_KEY=$(sed -n 's/^ *Admin key: *//p' "$OUT/node-1/gateway.out" | head -n 1)
MERCHANT_ID=$(sed -n 's/^ *Demo merchant: *//p' "$OUT/node-1/gateway.out" | head -n 1)
python3 deploy/local/drive.py --admin "$ADMIN_KEY" --merchant "$MERCHANT_ID" --seconds "$SECONDS_LOAD" --secret "$PG_SK" --publishable "$PG_PK" \
  --webhook-url "http://127.0.0.1:$WH_PORT/hooks" --traced-payment-file "$OUT/traced-payment.txt" \
  "http://127.0.0.1:$P1" "http://127.0.0.1:$P2"
sleep 8 # two more scrapes and a reconciler pass

echo "== dashboard panels evaluated against Prometheus"
minutes=$(python3 -c "print(max(2, ($SECONDS_LOAD + 30) / 60))")
python3 deploy/local/render_dashboard.py --prometheus "http://127.0.0.1:$PROM_PORT" \
  --dashboard deploy/grafana/paymentgateway-dashboard.json --minutes "$minutes" --rate-interval 20s \
  --out "$OUT/dashboard.html" --require-data "${REQUIRE_DATA:-0.75}" | tee "$OUT/panels.txt"
PAGE_HEIGHT=$(sed -n 's/^page height: //p' "$OUT/panels.txt")
if command -v chromium >/dev/null 2>&1; then
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1520,${PAGE_HEIGHT:-2600} \
    --screenshot="$OUT/dashboard.png" "file://$OUT/dashboard.html" > "$OUT/chromium.log" 2>&1 \
    && echo "screenshot: $OUT/dashboard.png"
fi

echo "== one payment's traces (trace viewer)"
python3 deploy/local/show_trace.py --viewer "http://127.0.0.1:$VIEWER_PORT" --payment "$(cat "$OUT/traced-payment.txt")" \
  --trace-id-file "$OUT/trace-id.txt" | tee "$OUT/trace.txt"
TRACE_HEIGHT=$(sed -n 's/^page height: //p' "$OUT/trace.txt")
curl -sf "http://127.0.0.1:$VIEWER_PORT/traces/$(cat "$OUT/trace-id.txt")" > "$OUT/trace.html"
if command -v chromium >/dev/null 2>&1; then
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1520,${TRACE_HEIGHT:-900} \
    --screenshot="$OUT/trace.png" "http://127.0.0.1:$VIEWER_PORT/traces/$(cat "$OUT/trace-id.txt")" > "$OUT/chromium-trace.log" 2>&1 \
    && echo "screenshot: $OUT/trace.png"
fi

echo "== alert rules loaded in Prometheus"
curl -s "http://127.0.0.1:$PROM_PORT/api/v1/rules" | python3 -c '
import json, sys
for g in json.load(sys.stdin)["data"]["groups"]:
    for r in g["rules"]:
        print("  %s: %s -> %s (%s)" % (g["name"], r["name"], r.get("state", r["type"]), r["health"]))'

echo "Traces: http://127.0.0.1:$VIEWER_PORT/traces/$(cat "$OUT/trace-id.txt")"
echo "Prometheus: http://127.0.0.1:$PROM_PORT  nodes: http://127.0.0.1:$P1 http://127.0.0.1:$P2  output: $OUT"
if [ "$KEEP" -eq 1 ]; then echo "running until Ctrl-C"; wait; fi
