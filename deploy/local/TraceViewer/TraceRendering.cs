using System.Globalization;
using System.Net;
using System.Text;

namespace PaymentGateway.TraceViewer;

/// <summary>A trace as a tree: plain text for terminals and scripts, and an HTML waterfall with no external assets.</summary>
public static class TraceRendering
{
    private const int MaxAttributesShown = 10;

    /// <summary>The spans depth-first from the roots (spans without a parent held here), children by start time.</summary>
    public static IReadOnlyList<(StoredSpan Span, int Depth)> Tree(IReadOnlyList<StoredSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var children = spans.Where(s => s.ParentSpanId is not null && ids.Contains(s.ParentSpanId))
            .GroupBy(s => s.ParentSpanId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.StartTimeUnixNano).ToList(), StringComparer.Ordinal);
        var result = new List<(StoredSpan, int)>(spans.Count);
        void Visit(StoredSpan span, int depth)
        {
            result.Add((span, depth));
            foreach (var child in children.GetValueOrDefault(span.SpanId) ?? [])
            {
                Visit(child, depth + 1);
            }
        }

        foreach (var root in spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).OrderBy(s => s.StartTimeUnixNano))
        {
            Visit(root, 0);
        }

        return result;
    }

    public static string Text(IReadOnlyList<StoredSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var start = spans.Count == 0 ? 0 : spans.Min(s => s.StartTimeUnixNano);
        var text = new StringBuilder();
        foreach (var (span, depth) in Tree(spans))
        {
            text.Append(new string(' ', depth * 2))
                .Append(span.Name)
                .Append(CultureInfo.InvariantCulture, $"  [{span.Kind}] {span.Service}")
                .Append(span.Instance is null ? string.Empty : "/" + span.Instance)
                .Append(CultureInfo.InvariantCulture, $"  +{Offset(span, start):0.0} ms  {span.DurationMs:0.0} ms")
                .Append(span.Status == "error" ? "  ERROR " + span.StatusMessage : string.Empty);
            foreach (var (key, value) in span.Attributes.Take(MaxAttributesShown))
            {
                text.Append(CultureInfo.InvariantCulture, $"  {key}={Shorten(value)}");
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    public static string Html(string traceId, IReadOnlyList<StoredSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var start = spans.Count == 0 ? 0 : spans.Min(s => s.StartTimeUnixNano);
        var end = spans.Count == 0 ? 0 : spans.Max(s => s.EndTimeUnixNano);
        var total = Math.Max((end - start) / 1e6, 0.001);
        var services = string.Join(", ", spans.Select(s => s.Instance is null ? s.Service : s.Service + "/" + s.Instance).Distinct().Order(StringComparer.Ordinal));
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Trace
            """).Append(' ').Append(E(traceId)).Append("""
            </title>
            <style>
            body { font: 13px/1.4 system-ui, sans-serif; margin: 16px; color: #1f2328; background: #fff; }
            h1 { font-size: 18px; margin: 0 0 4px; } .meta { color: #59636e; margin-bottom: 12px; }
            table { border-collapse: collapse; width: 100%; table-layout: fixed; }
            th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
            th { background: #f6f8fa; font-weight: 600; }
            .name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-weight: 600; }
            .kind { color: #59636e; font-weight: 400; font-size: 11px; }
            .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            .lane { position: relative; height: 16px; background: #f6f8fa; }
            .bar { position: absolute; top: 2px; height: 12px; min-width: 2px; border-radius: 2px; background: #0969da; }
            .bar.server { background: #8250df; } .bar.client { background: #1a7f37; } .bar.error { background: #cf222e; }
            .attrs { font: 11px/1.35 ui-monospace, monospace; color: #424a53; word-break: break-all; }
            .attrs b { color: #1f2328; font-weight: 600; } .kv { display: inline-block; margin-right: 10px; }
            </style></head><body>
            """);
        html.Append(CultureInfo.InvariantCulture, $"<h1>Trace {E(traceId)}</h1><div class=\"meta\">{spans.Count} spans · {total:0.0} ms · {E(services)}</div>");
        html.Append("""
            <table><colgroup><col style="width:22%"><col style="width:11%"><col style="width:6%"><col style="width:6%"><col style="width:25%"><col style="width:30%"></colgroup>
            <tr><th>Span</th><th>Service / instance</th><th class="num">Start</th><th class="num">Duration</th><th>Waterfall</th><th>Attributes</th></tr>
            """);
        foreach (var (span, depth) in Tree(spans))
        {
            var offset = Offset(span, start);
            var left = Math.Clamp(offset / total * 100, 0, 100);
            var width = Math.Clamp(span.DurationMs / total * 100, 0, 100 - left);
            var barClass = span.Status == "error" ? "error" : span.Kind;
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"name\" style=\"padding-left:{6 + (depth * 14)}px\" title=\"{E(span.Name)}\">{E(span.Name)} <span class=\"kind\">{E(span.Kind)}</span></td>")
                .Append(CultureInfo.InvariantCulture, $"<td>{E(span.Service)}{(span.Instance is null ? string.Empty : "<br><span class=\"kind\">" + E(span.Instance) + "</span>")}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td class=\"num\">+{offset:0.0} ms</td><td class=\"num\">{span.DurationMs:0.0} ms</td>")
                .Append(CultureInfo.InvariantCulture, $"<td><div class=\"lane\"><div class=\"bar {E(barClass)}\" style=\"left:{left:0.###}%;width:{width:0.###}%\"></div></div></td><td class=\"attrs\">");
            if (span.Status == "error")
            {
                html.Append("<span class=\"kv\"><b>status</b>=error ").Append(E(span.StatusMessage ?? string.Empty)).Append("</span>");
            }

            foreach (var (key, value) in span.Attributes.Take(MaxAttributesShown))
            {
                html.Append("<span class=\"kv\"><b>").Append(E(key)).Append("</b>=").Append(E(Shorten(value))).Append("</span> ");
            }

            html.Append("</td></tr>\n");
        }

        return html.Append("</table></body></html>\n").ToString();
    }

    private static double Offset(StoredSpan span, ulong start) => span.StartTimeUnixNano > start ? (span.StartTimeUnixNano - start) / 1e6 : 0;

    private static string Shorten(string value) => value.Length > 120 ? value[..117] + "..." : value;

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
