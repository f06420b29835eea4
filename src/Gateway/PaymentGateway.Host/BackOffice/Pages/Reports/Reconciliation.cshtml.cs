using System.Globalization;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Settlements;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.BackOffice.Pages.Reports;

/// <summary>
/// Reports → Reconciliation: did the money arrive, and what did it cost. A merchant's payouts (gross, fees, net in the
/// payout's currency, matched state), a chosen payout's lines with the payment or refund each matched, the unmatched
/// lines, and the payments captured but not settled after N days (N a field, the API's default). Read-only, through
/// <see cref="ConsoleReconciliationService"/> — the API's <see cref="SettlementService"/> reads — which checks the role
/// (owners and finance). A bad N is 400 with the message next to the field.
/// </summary>
public sealed class ReconciliationModel(ConsoleReconciliationService service) : ConsolePageModel
{
    public const int PageSize = 50;

    /// <summary>How many lines of one payout the page lists.</summary>
    public const int MaxPayoutLines = 100;

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public string? MerchantId { get; private set; }

    public bool Livemode { get; private set; }

    /// <summary>The provider's payout id whose lines are shown, or null.</summary>
    public string? PayoutId { get; private set; }

    public string DaysText { get; private set; } = SettlementService.DefaultUnsettledDays.ToString(CultureInfo.InvariantCulture);

    public int Days { get; private set; } = SettlementService.DefaultUnsettledDays;

    public string? DaysError { get; private set; }

    public ListResource<SettlementPayoutResource>? Payouts { get; private set; }

    public string? OlderPayouts { get; private set; }

    public ListResource<SettlementLineResource>? PayoutLines { get; private set; }

    public ListResource<SettlementLineResource>? Unmatched { get; private set; }

    public ListResource<PaymentResource>? Unsettled { get; private set; }

    public async Task OnGetAsync(string? merchant, string? mode, string? payout, string? days, string? after)
    {
        var ct = HttpContext.RequestAborted;
        Merchants = await service.MerchantsAsync(Caller, ct);
        MerchantId = merchant is { Length: > 0 } ? merchant : CurrentMerchantId is { } chosen && Merchants.Any(m => m.Id == chosen) ? chosen : Merchants.FirstOrDefault()?.Id;
        Livemode = mode == "live";
        PayoutId = payout is { Length: > 0 } ? payout : null;
        if (days is { Length: > 0 })
        {
            DaysText = days;
            if (int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 365)
            {
                Days = n;
            }
            else
            {
                DaysError = "Enter a whole number of days from 0 to 365.";
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
        }

        if (MerchantId is null)
        {
            return;
        }

        Payouts = await service.ListPayoutsAsync(Caller, MerchantId, Livemode, new ListQuery { Limit = PageSize, StartingAfter = after is { Length: > 0 } ? after : null }, ct);
        OlderPayouts = Payouts.HasMore && Payouts.Data.Count > 0 ? Payouts.Data[^1].Id : null;
        if (PayoutId is not null)
        {
            PayoutLines = await service.ListLinesAsync(Caller, MerchantId, Livemode, new SettlementLineListQuery { Limit = MaxPayoutLines, PayoutId = PayoutId }, ct);
        }

        Unmatched = await service.ListLinesAsync(Caller, MerchantId, Livemode, new SettlementLineListQuery { Limit = PageSize, Status = SettlementLineStatus.Unmatched }, ct);
        Unsettled = await service.ListUnsettledAsync(Caller, MerchantId, Livemode, Days, PageSize, ct);
    }

    /// <summary>This page with its merchant, mode and N, and optionally a payout whose lines to show.</summary>
    public string Link(string? payout = null, string? after = null) =>
        $"/console/reports/reconciliation?merchant={Uri.EscapeDataString(MerchantId ?? string.Empty)}&mode={(Livemode ? "live" : "test")}&days={Days}"
        + (payout is null ? null : "&payout=" + Uri.EscapeDataString(payout)) + (after is null ? null : "&after=" + Uri.EscapeDataString(after));

    public static string Money(long minor, string? currency) => currency is null ? minor.ToString(CultureInfo.InvariantCulture) : ConsolePaymentService.Display(minor, currency);

    /// <summary>The fees by type, as "interchange 0.07 EUR, markup 0.04 EUR", or "—" when the provider gives none.</summary>
    public static string FeeTypes(SettlementLineResource line) =>
        line.Fees.Count == 0 ? "—" : string.Join(", ", line.Fees.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key.Replace('_', ' ')} {Money(f.Value, line.Currency)}"));
}
