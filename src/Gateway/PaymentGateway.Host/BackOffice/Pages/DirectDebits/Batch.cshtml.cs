using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Host.BackOffice.Pages.DirectDebits;

/// <summary>
/// One direct-debit batch: its collection file's metadata and its debits (payment, amount, status, mandate reference,
/// sequence type, a return if one came), 100 a page. Every role that reads payments reads it; the service checks the merchant.
/// </summary>
public sealed class BatchModel(ConsoleBankService bank) : ConsolePageModel
{
    public const int PageSize = 100;

    public DirectDebitBatch? Batch { get; private set; }

    public IReadOnlyList<Payment> Debits { get; private set; } = [];

    public string? OlderCursor { get; private set; }

    public bool Livemode { get; private set; }

    public async Task OnGetAsync(string id, string? merchant, string? mode, string? after)
    {
        Livemode = mode == "live";
        var merchantId = merchant is { Length: > 0 } ? merchant : CurrentMerchantId ?? throw Core.GatewayException.NotFound("direct_debit_batch", id);
        var (batch, rows) = await bank.GetBatchAsync(Caller, merchantId, Livemode, id, after is { Length: > 0 } ? after : null, PageSize + 1, HttpContext.RequestAborted);
        Batch = batch;
        Debits = rows.Take(PageSize).ToList();
        OlderCursor = rows.Count > PageSize ? Debits[^1].Id : null;
    }

    public static string Money(long minor, string currency) => ConsolePaymentService.Display(minor, currency);
}
