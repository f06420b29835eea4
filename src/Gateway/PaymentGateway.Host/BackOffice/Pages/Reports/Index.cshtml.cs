using System.Globalization;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Reports;

namespace PaymentGateway.Host.BackOffice.Pages.Reports;

/// <summary>
/// Reports: the payments report of a merchant as the API answers it (the same parameters, parsed by
/// <see cref="ReportRequest.Parse"/>, and the same <see cref="ReportQueries"/> through <see cref="ConsoleReportService"/>,
/// which checks the role: owners and finance), drawn as a server-side SVG chart with the figures as a table beside it.
/// "All my merchants" (<c>merchant=all</c>) is the report across the merchants the user may read reports of, grouped by
/// merchant, as <c>/v1/admin/reports/payments</c> answers it (the service limits it to the user's merchants).
/// Bad parameters are 400 with the message next to the field.
/// </summary>
public sealed class IndexModel(ConsoleReportService reports, TimeProvider time) : ConsolePageModel
{
    /// <summary>The merchant picker's value for the report across the user's merchants.</summary>
    public const string AllMerchantsValue = "all";

    public static IReadOnlyList<string> Metrics => ReportChart.Metrics;

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public string? MerchantId { get; private set; }

    /// <summary>The report across the user's merchants, grouped by merchant, rather than one merchant's.</summary>
    public bool AllMerchants { get; private set; }

    /// <summary>"All my merchants" is offered to a user who may read the reports of more than one merchant.</summary>
    public bool OffersAllMerchants => Merchants.Count > 1 || AllMerchants;

    public bool Livemode { get; private set; }

    public string From { get; private set; } = string.Empty;

    public string To { get; private set; } = string.Empty;

    public string Interval { get; private set; } = "day";

    public string? TimeZone { get; private set; }

    public string GroupBy { get; private set; } = string.Empty;

    public string? Currency { get; private set; }

    public string Metric { get; private set; } = "captured";

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public PaymentsReportResource? Report { get; private set; }

    public DeclineReasonsReportResource? Declines { get; private set; }

    /// <summary>The chart's SVG markup (drawn by <see cref="ReportChart"/>: escaped text, no script or style).</summary>
    public string? ChartSvg { get; private set; }

    public async Task OnGetAsync(string? merchant, string? mode)
    {
        var ct = HttpContext.RequestAborted;
        Caller.DemandAnywhere(ConsolePermission.ViewReports);
        Merchants = await reports.MerchantsAsync(Caller, ct);
        AllMerchants = merchant == AllMerchantsValue;
        MerchantId = AllMerchants ? null : Merchants.Any(m => m.Id == merchant) ? merchant : Merchants.FirstOrDefault()?.Id;
        Livemode = mode == "live";
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var q = Request.Query;
        From = q["from"].ToString() is { Length: > 0 } f ? f : today.AddDays(-6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        To = q["to"].ToString() is { Length: > 0 } t ? t : today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Interval = q["interval"].ToString() is { Length: > 0 } i ? i : "day";
        TimeZone = q["time_zone"].ToString() is { Length: > 0 } z ? z : null;
        GroupBy = q["group_by"].ToString();
        Currency = q["currency"].ToString() is { Length: > 0 } c ? c.ToUpperInvariant() : null;
        Metric = q["metric"].ToString() is { Length: > 0 } m ? m : "captured";
        if (!ReportChart.Metrics.Contains(Metric, StringComparer.Ordinal))
        {
            Errors["metric"] = "Choose a figure from the list.";
        }
        else if (Metric.EndsWith("_amount", StringComparison.Ordinal) && Currency is null)
        {
            Errors["currency"] = "An amount chart needs a currency: amounts are never added across currencies.";
        }

        ReportRequest? request = null;
        try
        {
            request = ReportRequest.Parse(name => name switch
            {
                "from" => From,
                "to" => To,
                "interval" => Interval,
                "time_zone" => TimeZone,
                "group_by" => GroupBy,
                "currency" => Currency,
                _ => q[name].ToString() is { Length: > 0 } v ? v : null,
            });
        }
        catch (GatewayException e) when (e.Param is not null)
        {
            Errors[e.Param] = e.Message;
        }

        if (Errors.Count > 0 || request is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (AllMerchants)
        {
            Report = await reports.PaymentsByMerchantAsync(Caller, Livemode, request, ct);
            Declines = await reports.DeclineReasonsByMerchantAsync(Caller, Livemode, request, ct);
            ChartSvg = ReportChart.Render(Report, Metric, Currency);
        }
        else if (MerchantId is not null)
        {
            Report = await reports.PaymentsAsync(Caller, MerchantId, Livemode, request, ct);
            Declines = await reports.DeclineReasonsAsync(Caller, MerchantId, Livemode, request, ct);
            ChartSvg = ReportChart.Render(Report, Metric, Currency);
        }
    }

    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var message) ? message : null;

    public static string Rate(double? rate) => rate is { } r ? (r * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %" : "–";

    public static string Money(long minor, string currency) => ConsolePaymentService.Display(minor, currency);

    /// <summary>A row's group as text; a merchant by its name and id.</summary>
    public string GroupText(IReadOnlyDictionary<string, string?> group) =>
        group.Count == 0 ? "all" : string.Join(", ", group.Select(g => g.Key == "merchant" && g.Value is { } id ? MerchantName(id) : $"{g.Key} {g.Value ?? "none"}"));

    public string MerchantName(string id) => Merchants.FirstOrDefault(m => m.Id == id) is { } m ? $"{m.Name} ({m.Id})" : id;
}
