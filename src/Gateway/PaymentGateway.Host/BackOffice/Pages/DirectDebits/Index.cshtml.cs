using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Merchants;

namespace PaymentGateway.Host.BackOffice.Pages.DirectDebits;

/// <summary>
/// Direct-debit batches: a merchant's exported SEPA collection files (pain.008), newest first, with their debit count,
/// first collections, control sum and collection date; each opens its debits. Every role that reads payments reads
/// them; the service checks the merchant.
/// </summary>
public sealed class IndexModel(ConsolePaymentService payments, ConsoleBankService bank) : ConsolePageModel
{
    public const int PageSize = 50;

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public string? MerchantId { get; private set; }

    public bool Livemode { get; private set; }

    public IReadOnlyList<DirectDebitBatch> Batches { get; private set; } = [];

    public string? OlderCursor { get; private set; }

    public string? NewerCursor { get; private set; }

    public async Task OnGetAsync(string? merchant, string? mode, string? after, string? before)
    {
        var ct = HttpContext.RequestAborted;
        Merchants = await payments.MerchantsAsync(Caller, ct);
        MerchantId = merchant is { Length: > 0 } ? merchant : CurrentMerchantId is { } chosen && Merchants.Any(m => m.Id == chosen) ? chosen : Merchants.FirstOrDefault()?.Id;
        Livemode = mode == "live";
        if (MerchantId is null)
        {
            return;
        }

        after = after is { Length: > 0 } ? after : null;
        before = before is { Length: > 0 } && after is null ? before : null;
        var rows = await bank.ListBatchesAsync(Caller, MerchantId, Livemode, after, before, PageSize + 1, ct);
        var more = rows.Count > PageSize;
        var upwards = before is not null;
        Batches = (upwards && more ? rows.Skip(1) : rows.Take(PageSize)).ToList();
        OlderCursor = Batches.Count > 0 && (more || upwards) ? Batches[^1].Id : null;
        NewerCursor = Batches.Count > 0 && (after is not null || (upwards && more)) ? Batches[0].Id : null;
    }

    public string Query(string name, string cursor) =>
        $"?merchant={Uri.EscapeDataString(MerchantId ?? string.Empty)}&mode={(Livemode ? "live" : "test")}&{name}={Uri.EscapeDataString(cursor)}";

    public static string Link(DirectDebitBatch batch) =>
        $"/console/direct-debits/{Uri.EscapeDataString(batch.Id)}?merchant={Uri.EscapeDataString(batch.MerchantId)}&mode={(batch.Livemode ? "live" : "test")}";

    /// <summary>Collection files are in euro (SEPA).</summary>
    public static string Money(long minor) => ConsolePaymentService.Display(minor, "EUR");
}
