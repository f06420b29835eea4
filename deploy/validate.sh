#!/usr/bin/env bash
# Validates deploy/ without Docker:
#   (a) promtool check rules / check config (+ the rule unit tests), when promtool is installed (Debian: apt-get install prometheus);
#   (b) the Grafana dashboard: valid JSON, unique panel ids, a query on every panel, and, given a saved /metrics scrape,
#       every metric name the dashboard and the alert rules query exists in it;
#   (c) compose.yaml: a structural read (no `docker compose config` here): the services and the files it mounts.
# Usage: deploy/validate.sh [METRICS_SAMPLE]   (default: deploy/metrics-sample.txt; the end-to-end suite also writes a
#        fresh one to $TMPDIR/paymentgateway-tests/metrics-sample.txt)
set -u
here=$(cd "$(dirname "$0")" && pwd)
sample=${1:-$here/metrics-sample.txt}
failed=0
fail() { echo "FAILED: $*"; failed=1; }

echo "== (a) promtool"
if command -v promtool >/dev/null 2>&1; then
  promtool check rules "$here/prometheus/alerts.yml" || fail "promtool check rules"
  promtool check config "$here/prometheus/prometheus.yml" || fail "promtool check config"
  (cd "$here/prometheus" && promtool test rules alerts.test.yml) || fail "promtool test rules"
elif [ "${CI:-}" = "true" ]; then
  fail "promtool is not installed, and CI must check the rules (.ci/run installs Debian's prometheus package)"
else
  echo "promtool not installed: rule/config syntax not checked (apt-get install -y prometheus)"
fi

echo "== (b) dashboard and metric names"
command -v python3 >/dev/null 2>&1 || { echo "python3 is required"; exit 1; }
[ -f "$sample" ] || fail "no metrics sample at $sample"
python3 - "$here" "$sample" <<'PY' || failed=1
import json, re, sys
here, sample = sys.argv[1], sys.argv[2]
errors = []
dash = json.load(open(f"{here}/grafana/paymentgateway-dashboard.json"))
panels = []
for p in dash["panels"]:
    panels.append(p)
    panels.extend(p.get("panels", []))
ids = [p["id"] for p in panels]
if len(ids) != len(set(ids)):
    errors.append(f"duplicate panel ids: {sorted(i for i in ids if ids.count(i) > 1)}")
exprs = []
for p in panels:
    if p["type"] == "row":
        continue
    targets = p.get("targets", [])
    if not targets or not all(t.get("expr", "").strip() for t in targets):
        errors.append(f"panel {p['id']} '{p.get('title')}' has no query")
    exprs += [t["expr"] for t in targets]
# expr: lines of the rules file, inline or as a block scalar
lines = open(f"{here}/prometheus/alerts.yml").read().split("\n")
i = 0
while i < len(lines):
    m = re.match(r"^(\s*)(?:-\s+)?expr:(.*)$", lines[i])
    if m:
        value = m.group(2).strip()
        if value[:1] in ("|", ">"):
            block, indent = [], len(m.group(1))
            while i + 1 < len(lines) and (not lines[i + 1].strip() or len(lines[i + 1]) - len(lines[i + 1].lstrip()) > indent):
                i += 1
                block.append(lines[i].strip())
            value = " ".join(block)
        exprs.append(value)
    i += 1
words = {"sum", "min", "max", "avg", "count", "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or",
         "unless", "bool", "offset", "topk", "bottomk", "rate", "irate", "increase", "histogram_quantile", "clamp_min",
         "clamp_max", "abs", "le", "inf", "nan", "absent", "vector", "scalar", "time"}
synthetic = {"up", "scrape_duration_seconds", "scrape_samples_scraped"}
exposed = {re.split(r"[{ ]", l, 1)[0] for l in open(sample).read().split("\n") if l and not l.startswith("#")}
def names(expr):
    s = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    s = re.sub(r"\{[^}]*\}", " ", s)
    s = re.sub(r"\[[^\]]*\]", " ", s)
    s = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", s)
    s = re.sub(r"\$\w+", " ", s)
    for m in re.finditer(r"(?<![\w.:$])[a-zA-Z_:][a-zA-Z0-9_:]*", s):
        if m.group() in words or re.match(r"\s*\(", s[m.end():]):
            continue
        yield m.group()
missing = sorted({n for e in exprs for n in names(e) if n not in exposed and n not in synthetic})
if missing:
    errors.append("queried but not in the /metrics sample: " + ", ".join(missing))
for e in errors:
    print("FAILED:", e)
print(f"{len(panels)} panels, {len(exprs)} expressions checked against {len(exposed)} exposed series names")
sys.exit(1 if errors else 0)
PY

echo "== (c) compose.yaml (structure only; Docker is not run here)"
compose="$here/compose.yaml"
grep -q $'\t' "$compose" && fail "tabs in compose.yaml"
grep -q '^services:' "$compose" || fail "no services: in compose.yaml"
for service in gateway-1 gateway-2 postgres prometheus grafana otel-collector; do
  grep -q "^  $service:\s*$" "$compose" || fail "compose.yaml has no service $service"
done
for mount in $(grep -oE '^\s*- \./[^:]+' "$compose" | sed 's/.*\.\///'); do
  [ -e "$here/$mount" ] || fail "compose.yaml mounts ./$mount, which is missing"
done
[ -f "$here/Dockerfile" ] || fail "no Dockerfile"

if [ $failed -eq 0 ]; then echo "deploy/ valid"; else echo "deploy/ INVALID"; fi
exit $failed
