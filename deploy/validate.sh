#!/usr/bin/env bash
# Validates deploy/ without Docker:
#   (a) promtool check rules / check config (+ the rule unit tests), when promtool is installed (Debian: apt-get install prometheus);
#   (b) the Grafana dashboard: valid JSON, unique panel ids, a query on every panel, and, given a saved /metrics scrape,
#       every metric name the dashboard and the alert rules query exists in it;
#   (c) compose.yaml: a structural read (no `docker compose config` here): the services and the files it mounts, only
#       the TLS proxy published beyond loopback (never the nodes' REST/metrics or gRPC h2c ports), no literal password,
#       secrets from files that make-secrets.sh writes and git and docker never see; gateway.env.example; .dockerignore
#       against the files git tracks; make-secrets.sh run into a temporary directory;
#   (d) Alertmanager: amtool check-config, and each alert rule's severity routed to the receivers docs/operations.md
#       names (chat; chat and on-call e-mail for critical); the Caddyfile adapts (nginx and both proxies run for real in
#       tests/PaymentGateway.Api.EndToEndTests/ReverseProxyTests.cs, Alertmanager in AlertRoutingTests.cs).
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
python3 -c 'import yaml' 2>/dev/null || { echo "python3-yaml is required (apt-get install python3-yaml)"; exit 1; }
python3 - "$here" <<'PY' || failed=1
import fnmatch, json, os, re, subprocess, sys, yaml
here = sys.argv[1]
root = os.path.dirname(here)
errors = []
compose = yaml.safe_load(open(f"{here}/compose.yaml"))
services = compose["services"]
for name in ["caddy", "gateway-1", "gateway-2", "postgres", "prometheus", "alertmanager", "grafana", "otel-collector", "jaeger"]:
    if name not in services:
        errors.append(f"no service {name}")

# Published ports: beyond loopback only the TLS proxy's 80/443; the gateway nodes publish nothing (their REST port
# also serves /metrics, and 8090 is plain-text gRPC).
for name, service in services.items():
    for port in service.get("ports", []):
        spec = str(port)
        if spec.startswith("127.0.0.1:"):
            continue
        container = spec.split(":")[-1].split("/")[0]
        if not (name == "caddy" and container in ("80", "443")):
            errors.append(f"{name} publishes {spec} on every interface (bind it to 127.0.0.1 or keep it internal)")
for name in ("gateway-1", "gateway-2"):
    service = services.get(name, {})
    if "ports" in service:
        errors.append(f"{name} publishes ports: the nodes are reached through Caddy (REST, gRPC) and by Prometheus on the compose network only")
    env = service.get("environment", {})
    if not str(env.get("PaymentGateway__GrpcUrl", "")).endswith(":8090"):
        errors.append(f"{name}: PaymentGateway__GrpcUrl should be the internal h2c port 8090")
    caddy_ip = services.get("caddy", {}).get("networks", {}).get("default", {}).get("ipv4_address")
    if not caddy_ip or env.get("PaymentGateway__ForwardedHeaders__KnownProxies") != caddy_ip:
        errors.append(f"{name}: PaymentGateway__ForwardedHeaders__KnownProxies must be Caddy's fixed address ({caddy_ip})")
    connection = str(env.get("PaymentGateway__Storage__ConnectionString", ""))
    if re.search(r"(?i)password\s*=", connection) or "Passfile=/run/secrets/pgpass" not in connection:
        errors.append(f"{name}: the connection string must take its password from Passfile=/run/secrets/pgpass")
    for secret in ("pgpass", "vault-keys.json"):
        if secret not in service.get("secrets", []):
            errors.append(f"{name} does not mount the secret {secret}")

# No literal secrets: a variable named like a password, key, secret or token is a *_FILE path or a ${...} reference.
for name, service in services.items():
    env = service.get("environment", {})
    items = env.items() if isinstance(env, dict) else (e.split("=", 1) for e in env)
    for key, value in items:
        value = "" if value is None else str(value)
        if re.search(r"(?i)password|secret|token|apikey|adminkey", key) and not re.search(r"(?i)_FILE$", key) \
                and value and not value.startswith("${"):
            errors.append(f"{name}: {key} has a literal value; use a secret file or a variable")
        if re.search(r"(?i)password\s*=", value):
            errors.append(f"{name}: {key} carries a literal password")
text = open(f"{here}/compose.yaml").read()
if re.search(r"admin/admin|POSTGRES_PASSWORD:|GF_SECURITY_ADMIN_PASSWORD:", text):
    errors.append("compose.yaml names a default password (admin/admin, POSTGRES_PASSWORD:, GF_SECURITY_ADMIN_PASSWORD:)")

# Secrets: declared, used, under ./secrets/ (written by make-secrets.sh; ignored by git and docker).
declared = compose.get("secrets", {})
for name, secret in declared.items():
    if not str(secret.get("file", "")).startswith("./secrets/"):
        errors.append(f"secret {name} is not a file under ./secrets/")
for name, service in services.items():
    for secret in service.get("secrets", []):
        source = secret["source"] if isinstance(secret, dict) else secret
        if source not in declared:
            errors.append(f"{name} uses the undeclared secret {source}")
script = open(f"{here}/make-secrets.sh").read()
for secret in declared.values():
    if f"write {os.path.basename(secret['file'])} " not in script:
        errors.append(f"make-secrets.sh does not write {secret['file']}")
gitignore = open(f"{root}/.gitignore").read()
for pattern in ("/deploy/secrets/", "/deploy/gateway.env"):
    if pattern not in gitignore.split("\n"):
        errors.append(f".gitignore lacks {pattern}")

# gateway.env.example: the public address and the trusted proxy are set; no real-looking secret.
example = open(f"{here}/gateway.env.example").read()
for setting in (r"^PaymentGateway__PublicBaseUrl=https://\S+$", r"^PaymentGateway__ForwardedHeaders__KnownProxies=\S+$",
                r"^PaymentGateway__AdminKey=admin_change_me"):
    if not re.search(setting, example, re.M):
        errors.append(f"gateway.env.example lacks {setting}")

# .dockerignore (Docker's rules: patterns from the context root, * within a segment, ** across, a matching
# directory excludes everything below it, ! re-includes) against the files git tracks plus files that must never go.
dockerignore = f"{root}/.dockerignore"
if not os.path.exists(dockerignore):
    errors.append("no .dockerignore at the repository root")
else:
    patterns = [l.strip() for l in open(dockerignore) if l.strip() and not l.startswith("#")]
    def regex(p):
        out, i = "", 0
        while i < len(p):
            if p.startswith("**/", i): out += "(?:.*/)?"; i += 3
            elif p.startswith("**", i): out += ".*"; i += 2
            elif p[i] == "*": out += "[^/]*"; i += 1
            elif p[i] == "?": out += "[^/]"; i += 1
            else: out += re.escape(p[i]); i += 1
        return re.compile(out + "$")
    rules = [(p.startswith("!"), regex(p.lstrip("!").strip("/"))) for p in patterns]
    def excluded(path):
        parts, result = path.split("/"), False
        for keep, rule in rules:
            if any(rule.match("/".join(parts[:n])) for n in range(1, len(parts) + 1)):
                result = not keep
        return result
    tracked = subprocess.run(["git", "-C", root, "ls-files"], capture_output=True, text=True).stdout.split()
    needed = [f for f in tracked if f.startswith("src/Gateway/") or f in
              ("Directory.Build.props", "Directory.Packages.props", "global.json", "nuget.config", ".editorconfig")]
    if not needed:
        errors.append("git ls-files listed nothing under src/Gateway (not a git checkout?)")
    for f in needed:
        if excluded(f):
            errors.append(f".dockerignore excludes {f}, which the image build needs")
    for f in ("deploy/secrets/vault-keys.json", "deploy/secrets/pgpass", "deploy/gateway.env", ".git/config",
              "src/Gateway/PaymentGateway.Host/bin/Release/net10.0/PaymentGateway.Host.dll", "src/Gateway/PaymentGateway.Host/obj/project.assets.json",
              "src/Gateway/PaymentGateway.Host/data/gateway.db", "data/vault-keys.json", "tests/PaymentGateway.Api.EndToEndTests/ReverseProxyTests.cs"):
        if not excluded(f):
            errors.append(f".dockerignore lets {f} into the build context")
    sent = [f for f in tracked if not excluded(f)]
    print(f".dockerignore: {len(sent)} of {len(tracked)} tracked files go to the builder")

for e in errors:
    print("FAILED:", e)
print(f"compose.yaml: {len(services)} services, {len(declared)} secrets checked")
sys.exit(1 if errors else 0)
PY

# make-secrets.sh: every file written, the two PostgreSQL files agree, vault keys of 32 bytes, nothing overwritten.
secrets_tmp=$(mktemp -d)
if bash "$here/make-secrets.sh" "$secrets_tmp/secrets" > "$secrets_tmp/first.log" 2>&1 \
   && cp -r "$secrets_tmp/secrets" "$secrets_tmp/before" && bash "$here/make-secrets.sh" "$secrets_tmp/secrets" > "$secrets_tmp/second.log" 2>&1; then
  python3 - "$secrets_tmp" <<'PY' || fail "make-secrets.sh output"
import base64, json, os, stat, sys
d = sys.argv[1] + "/secrets"
ok = True
def check(cond, what):
    global ok
    if not cond: print("FAILED:", what); ok = False
check(stat.S_IMODE(os.stat(d).st_mode) == 0o700, "secrets directory is not 0700")
password = open(f"{d}/postgres_password").read()
check(len(password) == 64 and "\n" not in password, "postgres_password is not 64 hex characters without a newline")
check(open(f"{d}/pgpass").read() == f"postgres:5432:paymentgateway:paymentgateway:{password}", "pgpass does not carry postgres_password")
keys = json.load(open(f"{d}/vault-keys.json"))
check(keys["active_key_id"] in keys["keys"], "vault-keys.json: the active key is not among the keys")
check(all(len(base64.b64decode(v)) == 32 for v in list(keys["keys"].values()) + [keys["fingerprint_key"]]), "vault-keys.json: keys are not 32 bytes")
for f in os.listdir(d):
    check(open(f"{d}/{f}").read() == open(f"{sys.argv[1]}/before/{f}").read(), f"a second run changed {f}")
sys.exit(0 if ok else 1)
PY
else
  cat "$secrets_tmp"/*.log; fail "make-secrets.sh failed"
fi
rm -rf "$secrets_tmp"

echo "== (d) Alertmanager routing and the Caddyfile"
if command -v amtool >/dev/null 2>&1; then
  amtool check-config "$here/alertmanager/alertmanager.yml" || fail "amtool check-config"
  # Each rule's severity, as Alertmanager routes it: critical to chat and the on-call mailbox, the rest to chat.
  while read -r alert severity; do
    case "$severity" in critical) want=chat-and-oncall-email ;; *) want=chat ;; esac
    got=$(amtool config routes test --config.file="$here/alertmanager/alertmanager.yml" alertname="$alert" severity="$severity" 2>/dev/null)
    [ "$got" = "$want" ] && echo "$alert ($severity) -> $got" || fail "$alert ($severity) routes to '$got', expected '$want'"
  done < <(awk '/- alert:/{a=$3} /severity:/{if(a!=""){print a, $2; a=""}}' "$here/prometheus/alerts.yml")
elif [ "${CI:-}" = "true" ]; then
  fail "amtool is not installed, and CI must check the Alertmanager configuration (.ci/run installs prometheus-alertmanager)"
else
  echo "amtool not installed: Alertmanager configuration not checked (apt-get install -y prometheus-alertmanager)"
fi
if command -v caddy >/dev/null 2>&1; then
  PAYMENTGATEWAY_TLS=internal caddy adapt --config "$here/caddy/Caddyfile" --adapter caddyfile > /dev/null 2>&1 \
    || fail "caddy adapt deploy/caddy/Caddyfile"
elif [ "${CI:-}" = "true" ]; then
  fail "caddy is not installed, and CI must check deploy/caddy/Caddyfile (.ci/run installs it)"
fi

if [ $failed -eq 0 ]; then echo "deploy/ valid"; else echo "deploy/ INVALID"; fi
exit $failed
