using System.Globalization;
using System.Security;
using System.Text;
using PaymentGateway.Core.Api;

namespace PaymentGateway.Core.Reports;

/// <summary>
/// Draws one metric of a payments report as an SVG bar chart on the server (no script, no chart library, no CDN), so a
/// page only places it. Accessible: <c>role="img"</c> with a title and a description that states the range and the
/// highest period, and each bar a list item with its own label ("2026-03-29: 1,204"), so a screen reader reads the
/// numbers the API returns. Colours meet 4.5:1 contrast on white; text uses the system font. Groups are summed per
/// period; amounts are drawn for one currency only (an amount metric without a currency is a 400).
/// </summary>
public static class ReportChart
{
    private const int Width = 720;
    private const int Height = 320;
    private const int Left = 72;
    private const int Right = 16;
    private const int Top = 40;
    private const int Bottom = 56;

    /// <summary>The metrics a chart can draw: counts, rates (0–1, drawn as %), and per-currency amounts.</summary>
    public static IReadOnlyList<string> Metrics { get; } =
    [
        "attempted", "authorized", "declined", "captured", "refunds", "canceled", "threeds_challenged", "approval_rate", "approval_rate_without_retries",
        "refund_rate", "disputes", "dispute_rate", "disputes_won", "disputes_lost", "disputes_accepted", "threeds_challenge_rate", "threeds_success_rate", "latency_p50_ms", "latency_p95_ms", "authorized_amount", "captured_amount", "refunded_amount",
    ];

    public static string Render(PaymentsReportResource report, string metric, string? currency)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!Metrics.Contains(metric, StringComparer.Ordinal))
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, $"metric must be one of {string.Join(", ", Metrics)}.", "metric");
        }

        var isAmount = metric.EndsWith("_amount", StringComparison.Ordinal);
        if (isAmount && currency is null)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterMissing, "An amount chart needs currency: amounts are never added across currencies.", "currency");
        }

        var points = report.Data.GroupBy(r => (r.Period, r.PeriodStart)).OrderBy(g => g.Key.PeriodStart)
            .Select(g => (g.Key.Period, Value: Value(g.ToList(), metric, currency)))
            .ToList();
        var isRate = metric.Contains("rate", StringComparison.Ordinal);
        var unit = isAmount ? $" {currency}" : isRate ? " %" : metric.EndsWith("_ms", StringComparison.Ordinal) ? " ms" : string.Empty;
        var scale = isAmount && currency is not null && Providers.CurrencyTable.ByCode.TryGetValue(currency, out var c) ? Math.Pow(10, c.Exponent) : 1;
        var shown = points.Select(p => (p.Period, Value: p.Value is { } v ? (isRate ? v * 100 : v / scale) : (double?)null)).ToList();
        var max = Math.Max(1e-9, shown.Select(p => p.Value ?? 0).DefaultIfEmpty(0).Max()); // a range without data draws an empty chart, not a 500
        var title = $"{Title(metric)}{unit}, per {report.Interval} ({report.TimeZone})";
        var top = shown.Where(p => p.Value is not null).OrderByDescending(p => p.Value).FirstOrDefault();
        var desc = shown.Count == 0
            ? $"No data from {report.From} to {report.To}."
            : $"{shown.Count} periods from {report.From} to {report.To}; highest {Format(top.Value ?? 0, isRate || isAmount)}{unit} on {top.Period}.";

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"100%\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" font-family=\"system-ui, sans-serif\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"chart-title\">{X(title)}</title><desc id=\"chart-desc\">{X(desc)}</desc>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"24\" font-size=\"16\" fill=\"#1a1a1a\" aria-hidden=\"true\">{X(title)}</text>");
        var plotHeight = Height - Top - Bottom;
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top + plotHeight}\" x2=\"{Width - Right}\" y2=\"{Top + plotHeight}\" stroke=\"#595959\" aria-hidden=\"true\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{Top + 4}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1a1a1a\" aria-hidden=\"true\">{X(Format(max, isRate || isAmount))}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 8}\" y=\"{Top + plotHeight + 4}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1a1a1a\" aria-hidden=\"true\">0</text>");
        svg.Append("<g role=\"list\">");
        var slot = shown.Count == 0 ? 0 : (double)(Width - Left - Right) / shown.Count;
        for (var i = 0; i < shown.Count; i++)
        {
            var (period, value) = shown[i];
            var h = value is { } v ? Math.Round(plotHeight * v / max, 1) : 0;
            var x = Math.Round(Left + (i * slot) + (slot * 0.15), 1);
            var label = $"{period}: {(value is { } lv ? Format(lv, isRate || isAmount) + unit : "no data")}";
            svg.Append(CultureInfo.InvariantCulture, $"<g role=\"listitem\" aria-label=\"{X(label)}\"><rect x=\"{x}\" y=\"{Math.Round(Top + plotHeight - h, 1)}\" width=\"{Math.Max(1, Math.Round(slot * 0.7, 1))}\" height=\"{h}\" fill=\"#1f5fa8\"><title>{X(label)}</title></rect></g>");
            if (shown.Count <= 31 || i % (int)Math.Ceiling(shown.Count / 31.0) == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Math.Round(x + (slot * 0.35), 1)}\" y=\"{Top + plotHeight + 16}\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-45 {Math.Round(x + (slot * 0.35), 1)} {Top + plotHeight + 16})\" fill=\"#1a1a1a\" aria-hidden=\"true\">{X(period)}</text>");
            }
        }

        return svg.Append("</g></svg>").ToString();
    }

    private static double? Value(List<PaymentsReportRowResource> rows, string metric, string? currency)
    {
        long Sum(Func<PaymentsReportRowResource, long> f) => rows.Sum(f);
        double? Ratio(long a, long b) => b == 0 ? null : (double)a / b;
        long Amount(Func<ReportAmountsResource, long> f) => rows.SelectMany(r => r.Amounts).Where(a => a.Currency == currency).Sum(f);
        return metric switch
        {
            "attempted" => Sum(r => r.Attempted),
            "authorized" => Sum(r => r.Authorized),
            "declined" => Sum(r => r.Declined),
            "captured" => Sum(r => r.Captured),
            "refunds" => Sum(r => r.Refunds),
            "canceled" => Sum(r => r.Canceled),
            "threeds_challenged" => Sum(r => r.ThreeDsChallenged),
            "approval_rate" => Ratio(Sum(r => r.Authorized), Sum(r => r.Attempted)),
            "approval_rate_without_retries" => Ratio(Sum(r => r.AuthorizedUnique), Sum(r => r.AttemptedUnique)),
            "refund_rate" => Ratio(Sum(r => r.Refunds), Sum(r => r.Captured)),
            "disputes" => Sum(r => r.Disputes),
            "dispute_rate" => Ratio(Sum(r => r.Disputes), Sum(r => r.Captured)),
            "disputes_won" => Sum(r => r.DisputesWon),
            "disputes_lost" => Sum(r => r.DisputesLost),
            "disputes_accepted" => Sum(r => r.DisputesAccepted),
            "threeds_challenge_rate" => Ratio(Sum(r => r.ThreeDsChallenged), Sum(r => r.Attempted)),
            "threeds_success_rate" => Ratio(Sum(r => r.ThreeDsSucceeded), Sum(r => r.ThreeDsChallenged)),
            "latency_p50_ms" => rows.Count == 1 ? rows[0].Latency.P50Ms : rows.Max(r => r.Latency.P50Ms),
            "latency_p95_ms" => rows.Count == 1 ? rows[0].Latency.P95Ms : rows.Max(r => r.Latency.P95Ms),
            "authorized_amount" => Amount(a => a.Authorized),
            "captured_amount" => Amount(a => a.Captured),
            _ => Amount(a => a.Refunded),
        };
    }

    private static string Title(string metric) => char.ToUpperInvariant(metric[0]) + metric[1..].Replace('_', ' ');

    private static string Format(double value, bool decimals) =>
        value.ToString(decimals ? "#,0.##" : "#,0.#", CultureInfo.InvariantCulture);

    private static string X(string text) => SecurityElement.Escape(text) ?? string.Empty;
}
