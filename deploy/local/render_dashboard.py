#!/usr/bin/env python3
"""Evaluates every panel query of the Grafana dashboard against a running Prometheus and renders the panels as static
HTML/SVG laid out by the dashboard's own gridPos, for a screenshot where Grafana itself is not available.

Usage: render_dashboard.py --prometheus http://127.0.0.1:9090 --dashboard deploy/grafana/paymentgateway-dashboard.json
                           --minutes 5 --out dashboard.html [--require-data 0.8]

Grafana variables are substituted the way the dashboard's defaults resolve them: $job -> paymentgateway,
$instance -> .*, $__rate_interval -> 4x the scrape interval. Prints one line per panel (series count, last values) and
exits non-zero when fewer than --require-data of the panels returned any series. Standard library only.
"""
import argparse
import html
import json
import sys
import time
import urllib.parse
import urllib.request

COLORS = ["#5794F2", "#73BF69", "#F2CC0C", "#FF9830", "#F2495C", "#B877D9", "#8AB8FF", "#96D98D", "#FFB357", "#CA95E5"]


def query_range(prom, expr, start, end, step):
    qs = urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": step})
    with urllib.request.urlopen(f"{prom}/api/v1/query_range?{qs}", timeout=30) as resp:
        body = json.load(resp)
    if body.get("status") != "success":
        raise RuntimeError(body)
    return body["data"]["result"]


def substitute(expr, rate_interval):
    return (expr.replace("$__rate_interval", rate_interval).replace('=~"$job"', '=~"paymentgateway"')
            .replace('=~"$instance"', '=~".*"'))


def legend(fmt, metric):
    if not fmt:
        return ", ".join(f"{k}={v}" for k, v in sorted(metric.items()) if k not in ("job", "instance")) or "value"
    out = fmt
    for k, v in metric.items():
        out = out.replace("{{" + k + "}}", v)
    return out


def fmt_value(v, unit):
    if v != v:  # NaN
        return "NaN"
    if unit == "percentunit":
        return f"{v * 100:.2f}%"
    if unit == "s":
        return f"{v * 1000:.1f} ms" if abs(v) < 1 else f"{v:.2f} s"
    if abs(v) >= 1000:
        return f"{v / 1000:.1f}k"
    return f"{v:.2f}" if abs(v) < 100 else f"{v:.0f}"


def svg_timeseries(series, w, h, unit):
    pts = [(float(t), float(v)) for s in series for t, v in s["values"] if v not in ("NaN", "+Inf", "-Inf")]
    if not pts:
        return f'<svg width="{w}" height="{h}"><text x="{w / 2}" y="{h / 2}" fill="#888" text-anchor="middle">No data</text></svg>'
    t0, t1 = min(p[0] for p in pts), max(p[0] for p in pts)
    vmax = max(max(p[1] for p in pts), 1e-9)
    vmin = min(0.0, min(p[1] for p in pts))
    pad_l, pad_b = 58, 18
    out = [f'<svg width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">']
    for frac in (0, 0.5, 1):
        y = (h - pad_b) - frac * (h - pad_b - 6)
        out.append(f'<line x1="{pad_l}" x2="{w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#333" />')
        out.append(f'<text x="{pad_l - 4}" y="{y + 4:.1f}" fill="#aaa" font-size="10" text-anchor="end">{html.escape(fmt_value(vmin + frac * (vmax - vmin), unit))}</text>')
    for i, s in enumerate(series[:10]):
        coords = []
        for t, v in s["values"]:
            if v in ("NaN", "+Inf", "-Inf"):
                continue
            x = pad_l + (float(t) - t0) / max(t1 - t0, 1) * (w - pad_l - 4)
            y = (h - pad_b) - (float(v) - vmin) / (vmax - vmin) * (h - pad_b - 6)
            coords.append(f"{x:.1f},{y:.1f}")
        if coords:
            out.append(f'<polyline fill="none" stroke="{COLORS[i % len(COLORS)]}" stroke-width="1.6" points="{" ".join(coords)}" />')
    out.append(f'<text x="{pad_l}" y="{h - 4}" fill="#888" font-size="10">{time.strftime("%H:%M:%S", time.gmtime(t0))}</text>')
    out.append(f'<text x="{w - 4}" y="{h - 4}" fill="#888" font-size="10" text-anchor="end">{time.strftime("%H:%M:%S", time.gmtime(t1))} UTC</text>')
    out.append("</svg>")
    return "".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prometheus", required=True)
    ap.add_argument("--dashboard", required=True)
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--rate-interval", default="30s")
    ap.add_argument("--out", required=True)
    ap.add_argument("--require-data", type=float, default=0.0)
    args = ap.parse_args()

    dash = json.load(open(args.dashboard))
    end = time.time()
    start = end - args.minutes * 60
    step = max(2, int(args.minutes * 60 / 120))
    unit_px, row_px = 62, 30
    blocks, with_data, total = [], 0, 0
    panels = []
    for p in dash["panels"]:
        panels.append(p)
        panels.extend(p.get("panels", []))
    for p in panels:
        g = p.get("gridPos", {"x": 0, "y": 0, "w": 12, "h": 8})
        left, top, w, h = g["x"] * unit_px, g["y"] * row_px, g["w"] * unit_px - 8, g["h"] * row_px - 8
        title = html.escape(p.get("title", ""))
        if p["type"] == "row":
            blocks.append(f'<div class="row" style="left:{left}px;top:{top}px;width:{24 * unit_px - 8}px">{title}</div>')
            continue
        total += 1
        unit = p.get("fieldConfig", {}).get("defaults", {}).get("unit", "")
        series = []
        for t in p.get("targets", []):
            for s in query_range(args.prometheus, substitute(t["expr"], args.rate_interval), start, end, step):
                s["legend"] = legend(t.get("legendFormat", ""), s["metric"])
                series.append(s)
        if series:
            with_data += 1
        last = [(s["legend"], float(s["values"][-1][1])) for s in series if s["values"]]
        print(f"{'ok  ' if series else 'EMPTY'} panel {p['id']:>3} {p.get('title', '')!r}: {len(series)} series"
              + (f"; last {', '.join(f'{n}={fmt_value(v, unit)}' for n, v in last[:4])}" if last else ""))
        if p["type"] == "stat":
            value = fmt_value(sum(v for _, v in last), unit) if last else "No data"
            body = f'<div class="stat">{html.escape(value)}</div>'
        else:
            legend_html = "".join(
                f'<span><i style="background:{COLORS[i % len(COLORS)]}"></i>{html.escape(s["legend"])}</span>'
                for i, s in enumerate(series[:10]))
            body = svg_timeseries(series, w - 12, h - 58, unit) + f'<div class="legend">{legend_html}</div>'
        blocks.append(f'<div class="panel" style="left:{left}px;top:{top}px;width:{w}px;height:{h}px">'
                      f'<div class="title">{title}</div>{body}</div>')
    height = max((p.get("gridPos", {}).get("y", 0) + p.get("gridPos", {}).get("h", 8)) for p in panels) * row_px
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(dash.get('title', 'dashboard'))}</title>
<style>
body {{ background:#111217; color:#ccccdc; font:13px system-ui, sans-serif; margin:16px; }}
h1 {{ font-size:18px; font-weight:500; margin:0 0 4px; }} .sub {{ color:#888; margin-bottom:12px; }}
.grid {{ position:relative; height:{height}px; }}
.panel {{ position:absolute; background:#181b1f; border:1px solid #2c3235; border-radius:3px; padding:6px; box-sizing:border-box; overflow:hidden; }}
.row {{ position:absolute; font-size:15px; font-weight:500; padding-top:4px; }}
.title {{ font-weight:500; margin-bottom:4px; }} .stat {{ font-size:34px; color:#73BF69; text-align:center; margin-top:18px; }}
.legend span {{ margin-right:10px; font-size:11px; white-space:nowrap; }} .legend i {{ display:inline-block; width:10px; height:3px; margin-right:4px; vertical-align:middle; }}
</style></head><body>
<h1>{html.escape(dash.get('title', ''))}</h1>
<div class="sub">Panels of deploy/grafana/paymentgateway-dashboard.json evaluated against Prometheus ({with_data}/{total} with data), last {args.minutes:g} min. Rendered by deploy/local/render_dashboard.py.</div>
<div class="grid">{''.join(blocks)}</div></body></html>"""
    with open(args.out, "w") as f:
        f.write(page)
    print(f"{with_data}/{total} panels have data; wrote {args.out}")
    print(f"page height: {height + 90}")
    if total and with_data / total < args.require_data:
        sys.exit(1)


if __name__ == "__main__":
    main()
