using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.BackOffice.Pages.Reports;

/// <summary>
/// Reports → Exports: a merchant's CSV export jobs (type, range, status, progress and rows, created, expires) with a
/// form to start one and, for a pending one, a cancel; a finished one downloads through
/// <see cref="ConsoleExportEndpoints"/>. While a job is pending or running the list region is marked for console.js to
/// read again every two seconds. Everything goes through <see cref="ConsoleExportService"/>, which checks the role
/// (owners and finance) and audits.
/// </summary>
public sealed class ExportsModel(ConsoleExportService service, TimeProvider time) : ConsolePageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "merchant")]
    public string? MerchantId { get; set; }

    [BindProperty(SupportsGet = true, Name = "mode")]
    public string? Mode { get; set; }

    [BindProperty]
    public ExportInput Input { get; set; } = new();

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public IReadOnlyList<ExportResource> Exports { get; private set; } = [];

    /// <summary>The cursor of the next (older) page, when there is one.</summary>
    public string? OlderCursor { get; private set; }

    public bool Livemode => Mode == "live";

    public string Merchant => MerchantId ?? string.Empty;

    /// <summary>True while some listed export waits for or is being written by a worker: the page keeps itself up to date.</summary>
    public bool AnyRunning => Exports.Any(e => e.Status is "pending" or "running" && e.Schedule is null);

    public async Task OnGetAsync(string? done, string? export)
    {
        Notice = done switch
        {
            "created" => $"Export {export} was started. Its progress shows below; download it once it succeeded.",
            "canceled" => $"Export {export} was canceled.",
            _ => null,
        };
        await LoadAsync();
        FreshForm();
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        // No merchant list first: the service checks (and audits a refusal) on the merchant named.
        MerchantId ??= CurrentMerchantId;
        var created = await service.CreateAsync(Caller, Merchant, Livemode, new ConsoleExportForm
        {
            Type = Input.Type,
            From = Input.From,
            To = Input.To,
            Status = Input.Status,
            Currency = Input.Currency,
            EventType = Input.EventType,
            FormToken = Input.FormToken,
            Issued = Input.Issued,
        }, HttpContext.RequestAborted);
        return LocalRedirect(Link("created", created.Id));
    }

    public async Task<IActionResult> OnPostCancelAsync(string id)
    {
        MerchantId ??= CurrentMerchantId;
        await service.CancelAsync(Caller, Merchant, Livemode, id, HttpContext.RequestAborted);
        return LocalRedirect(Link("canceled", id));
    }

    public override async Task LoadAsync()
    {
        await ChooseMerchantAsync();
        if (Merchant.Length == 0)
        {
            return;
        }

        var after = Request.Query["after"].ToString() is { Length: > 0 } a ? a : null;
        var page = await service.ListAsync(Caller, Merchant, Livemode, new ListQuery { Limit = PageSize, StartingAfter = after }, HttpContext.RequestAborted);
        Exports = page.Data;
        OlderCursor = page.HasMore && Exports.Count > 0 ? Exports[^1].Id : null;
    }

    public string Link(string? done = null, string? export = null) =>
        $"/console/reports/exports?merchant={Uri.EscapeDataString(Merchant)}&mode={(Livemode ? "live" : "test")}"
        + (done is null ? null : "&done=" + done) + (export is null ? null : "&export=" + Uri.EscapeDataString(export));

    public string DownloadLink(ExportResource export) =>
        $"/console/reports/exports/{Uri.EscapeDataString(export.Id)}/download?merchant={Uri.EscapeDataString(Merchant)}&mode={(Livemode ? "live" : "test")}";

    /// <summary>An export's [from, to) as its UTC days, both included, the way the form asks for them.</summary>
    public static string Range(ExportResource export)
    {
        var first = export.From.UtcDateTime;
        var last = export.To.UtcDateTime.AddTicks(-1);
        var whole = first.TimeOfDay == TimeSpan.Zero && export.To.UtcDateTime.TimeOfDay == TimeSpan.Zero;
        return whole
            ? first.Date == last.Date ? first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : $"{first:yyyy-MM-dd} to {last:yyyy-MM-dd}"
            : $"{first:yyyy-MM-dd HH:mm} to {export.To.UtcDateTime:yyyy-MM-dd HH:mm} (not included)";
    }

    public static string Filters(ExportResource export) =>
        export.Filters.Count == 0 ? "none" : string.Join(", ", export.Filters.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} {f.Value}"));

    public static string When(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "—";

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A new form: this month so far in UTC days, a new one-time token.</summary>
    private void FreshForm()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        Input = new ExportInput
        {
            Type = "payments",
            From = new DateOnly(today.Year, today.Month, 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            To = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            FormToken = ConsoleSecrets.NewToken(),
            Issued = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
    }

    /// <summary>The merchants whose data the user may export; the chosen one (or the one they work on, or the first), which the service checks again.</summary>
    private async Task ChooseMerchantAsync()
    {
        if (Merchants.Count == 0)
        {
            Merchants = await service.MerchantsAsync(Caller, HttpContext.RequestAborted);
        }

        MerchantId ??= CurrentMerchantId is { } chosen && Merchants.Any(m => m.Id == chosen) ? chosen : Merchants.FirstOrDefault()?.Id;
    }
}

public sealed class ExportInput
{
    public string? Type { get; set; }

    public string? From { get; set; }

    public string? To { get; set; }

    public string? Status { get; set; }

    public string? Currency { get; set; }

    public string? EventType { get; set; }

    public string? FormToken { get; set; }

    public long Issued { get; set; }
}
