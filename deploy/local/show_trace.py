#!/usr/bin/env python3
"""Finds one payment's traces in the trace viewer (deploy/local/TraceViewer), prints each as a tree, and checks the
payment's creation trace has the expected spans: the HTTP server span, storage spans under it, provider.authorize.

Usage: show_trace.py --viewer http://127.0.0.1:P --payment pay_... [--wait 20] [--trace-id-file FILE]
Prints "trace: <id>" and "page height: <px>" for the screenshot. Exits 1 when the trace is missing or incomplete.
Standard library only.
"""
import argparse
import json
import sys
import time
import urllib.parse
import urllib.request


def get(url):
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.read().decode()


def problems(spans):
    names = [s["name"] for s in spans]
    servers = [s for s in spans if s["kind"] == "server" and s["name"].startswith("POST /v1/payments")]
    missing = []
    if not servers:
        missing.append("the HTTP server span (POST /v1/payments)")
    else:
        server = servers[0]["span_id"]
        if not any(s["name"].startswith("store ") and s["parent_span_id"] == server for s in spans):
            missing.append("store spans under the server span")
    if "provider.authorize" not in names:
        missing.append("provider.authorize")
    return missing


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--viewer", required=True)
    ap.add_argument("--payment", required=True)
    ap.add_argument("--wait", type=float, default=20)
    ap.add_argument("--trace-id-file")
    args = ap.parse_args()
    viewer = args.viewer.rstrip("/")
    query = urllib.parse.urlencode({"attribute": "payment.id=" + args.payment})
    deadline = time.monotonic() + args.wait
    while True:  # the gateways export in batches: wait for the three requests' traces (create, capture, refund)
        traces = json.loads(get(f"{viewer}/api/traces?{query}"))["traces"]
        full = {t["trace_id"]: json.loads(get(f"{viewer}/api/traces/{t['trace_id']}"))["spans"] for t in traces}
        creates = [tid for tid, spans in full.items() if any(s["name"] == "provider.authorize" for s in spans)]
        if (len(traces) >= 3 and creates and not problems(full[creates[0]])) or time.monotonic() > deadline:
            break
        time.sleep(1)
    if not creates:
        print(f"no trace with provider.authorize for {args.payment} ({len(traces)} traces found)", file=sys.stderr)
        return 1
    print(f"payment {args.payment}: {len(traces)} traces")
    for t in sorted(traces, key=lambda t: t["start"]):
        print(f"-- trace {t['trace_id']} ({t['span_count']} spans, {t['duration_ms']:.1f} ms)  {viewer}/traces/{t['trace_id']}")
        sys.stdout.write(get(f"{viewer}/api/traces/{t['trace_id']}/tree"))
    create = creates[0]
    missing = problems(full[create])
    if missing:
        print(f"trace {create} lacks: {', '.join(missing)}", file=sys.stderr)
        return 1
    if args.trace_id_file:
        with open(args.trace_id_file, "w") as f:
            f.write(create + "\n")
    print(f"trace: {create}")
    # the waterfall's attribute column wraps at about 50 characters of 11 px text; service/instance take two lines
    lines = [max(2, -(-sum(len(k) + len(v) + 3 for k, v in list(s["attributes"].items())[:10]) // 50)) for s in full[create]]
    print(f"page height: {130 + sum(16 * n + 12 for n in lines)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
