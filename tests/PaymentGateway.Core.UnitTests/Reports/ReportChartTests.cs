using System.Xml.Linq;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Reports;

namespace PaymentGateway.Core.UnitTests.Reports;

public sealed class ReportChartTests
{
    private static PaymentsReportRowResource Row(string period, long attempted, long authorized, long capturedEur) => new()
    {
        Period = period,
        PeriodStart = DateTimeOffset.Parse(period + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        PeriodEnd = DateTimeOffset.Parse(period + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).AddDays(1),
        Group = new Dictionary<string, string?>(),
        Attempted = attempted,
        Authorized = authorized,
        Declined = attempted - authorized,
        AttemptedUnique = attempted,
        AuthorizedUnique = authorized,
        Captured = authorized,
        Refunds = 0,
        Disputes = 0,
        DisputesWon = 0,
        DisputesLost = 0,
        DisputesAccepted = 0,
        Canceled = 0,
        ThreeDsChallenged = 0,
        ThreeDsSucceeded = 0,
        Latency = new ReportLatencyResource { Count = 0 },
        Amounts = [new ReportAmountsResource { Currency = "EUR", Authorized = capturedEur, Captured = capturedEur, Refunded = 0, Disputed = 0 },
            new ReportAmountsResource { Currency = "USD", Authorized = 99_999, Captured = 99_999, Refunded = 0, Disputed = 0 }],
    };

    private static readonly PaymentsReportResource Report = new()
    {
        Interval = "day",
        TimeZone = "Europe/Amsterdam",
        From = "2026-03-28",
        To = "2026-03-30",
        GroupBy = [],
        Data = [Row("2026-03-28", 10, 8, 12_345), Row("2026-03-29", 4, 1, 500)],
    };

    [Fact]
    public void The_chart_is_an_accessible_svg_whose_bar_labels_carry_the_reports_numbers()
    {
        var svg = XDocument.Parse(ReportChart.Render(Report, "approval_rate", null));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var root = svg.Root ?? throw new InvalidOperationException();
        Assert.Equal("img", (string?)root.Attribute("role"));
        Assert.Equal("chart-title chart-desc", (string?)root.Attribute("aria-labelledby"));
        Assert.Contains("Approval rate %", root.Element(ns + "title")?.Value);
        Assert.Contains("highest 80 % on 2026-03-28", root.Element(ns + "desc")?.Value);
        var items = root.Descendants(ns + "g").Where(g => (string?)g.Attribute("role") == "listitem").Select(g => (string?)g.Attribute("aria-label")).ToList();
        Assert.Equal(["2026-03-28: 80 %", "2026-03-29: 25 %"], items);
        Assert.DoesNotContain("script", svg.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_range_without_data_draws_an_empty_chart_that_says_so()
    {
        var svg = XDocument.Parse(ReportChart.Render(Report with { Data = [] }, "captured", null));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var root = svg.Root ?? throw new InvalidOperationException();
        Assert.Equal("No data from 2026-03-28 to 2026-03-30.", root.Element(ns + "desc")?.Value);
        Assert.DoesNotContain(root.Descendants(ns + "g"), g => (string?)g.Attribute("role") == "listitem");
    }

    [Fact]
    public void An_amount_chart_draws_one_currency_in_major_units()
    {
        var svg = ReportChart.Render(Report, "captured_amount", "EUR");
        Assert.Contains("aria-label=\"2026-03-28: 123.45 EUR\"", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("999.99", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void An_amount_chart_without_a_currency_or_an_unknown_metric_is_refused()
    {
        Assert.Equal("currency", Assert.Throws<GatewayException>(() => ReportChart.Render(Report, "captured_amount", null)).Param);
        Assert.Equal("metric", Assert.Throws<GatewayException>(() => ReportChart.Render(Report, "volume<script>", null)).Param);
    }
}
