using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Disputes;
using PaymentGateway.Core.Merchants;

namespace PaymentGateway.Host.BackOffice.Pages.Disputes;

/// <summary>
/// The dispute queue: a merchant's disputes by evidence deadline, soonest first (those without one last), filtered by
/// mode and status. Every role that reads payments reads it; the service checks the merchant.
/// </summary>
public sealed class IndexModel(ConsolePaymentService payments, ConsoleDisputeService disputes, TimeProvider time) : ConsolePageModel
{
    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public string? MerchantId { get; private set; }

    public bool Livemode { get; private set; }

    public DisputeStatus? Status { get; private set; }

    public string? StatusError { get; private set; }

    public IReadOnlyList<Dispute> Disputes { get; private set; } = [];

    public DateTimeOffset Now { get; } = time.GetUtcNow();

    public async Task OnGetAsync(string? merchant, string? mode, string? status)
    {
        var ct = HttpContext.RequestAborted;
        Merchants = await payments.MerchantsAsync(Caller, ct);
        MerchantId = Merchants.Any(m => m.Id == merchant) ? merchant : Merchants.FirstOrDefault()?.Id;
        Livemode = mode == "live";
        if (status is { Length: > 0 })
        {
            if (DisputeStatusNames.TryParse(status, out var parsed))
            {
                Status = parsed;
            }
            else
            {
                StatusError = "Choose a status from the list.";
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
        }

        if (MerchantId is not null)
        {
            Disputes = await disputes.QueueAsync(Caller, MerchantId, Livemode, Status, ct);
        }
    }

    /// <summary>How the deadline reads in the queue: overdue, or the days and hours left.</summary>
    public string Due(Dispute dispute)
    {
        if (dispute.EvidenceDueBy is not { } due)
        {
            return "no deadline";
        }

        var left = due - Now;
        var when = due.UtcDateTime.ToString("yyyy-MM-dd HH:mm");
        return left <= TimeSpan.Zero ? $"{when} (passed)" : $"{when} ({(int)left.TotalDays} d {left.Hours} h left)";
    }

    public static string Money(long minor, string currency) => ConsolePaymentService.Display(minor, currency);
}
