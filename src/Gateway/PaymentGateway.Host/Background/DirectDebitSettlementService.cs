using System.Globalization;
using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Background;

/// <summary>
/// Settles SEPA Direct Debits: an exported debit still <c>processing</c> succeeds (row <c>direct_debit_settled</c>, event
/// <c>payment.succeeded</c>) once <c>SettlementBusinessDays</c> TARGET2 business days have passed after its collection
/// date without a return (<see cref="Target2Calendar.SettlementDate"/>). Runs under the database lease
/// <c>direct_debit_settlement</c>, so one node at a time does it; each payment is written version-checked, so a return
/// imported at the same moment either wins (the payment fails) or loses (it is flagged as returned after settlement).
/// </summary>
public sealed partial class DirectDebitSettlementService(
    ILeaseStore leases, IDirectDebitStore directDebitStore,
    DirectDebitPayments payments,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<DirectDebitSettlementService> logger) : LeasedPeriodicJob(leases, time, logger)
{
    public const int PageSize = 200;

    protected override string LeaseName => "direct_debit_settlement";

    protected override bool Enabled => options.Value.BankTransfers.SettlementEnabled;

    protected override TimeSpan Interval => options.Value.BankTransfers.SettlementInterval;

    /// <summary>One pass; returns how many debits it settled.</summary>
    protected override async Task<int> RunPassAsync(CancellationToken ct)
    {
        var settings = options.Value.BankTransfers;
        var today = DateOnly.FromDateTime(Time.GetUtcNow().UtcDateTime);
        var days = Math.Max(0, settings.SettlementBusinessDays);
        // Business days are at least calendar days, so no debit collected after today - days can be due yet; the exact
        // TARGET2 date is checked per debit. Candidates come earliest collection date first and the settlement date
        // only grows with the collection date, so the first one not due ends the page.
        var settled = 0;
        while (true)
        {
            var page = await directDebitStore.ListDirectDebitsCollectedByAsync(today.AddDays(-days), PageSize, ct);
            var settledInPage = 0;
            foreach (var payment in page)
            {
                if (payment.DirectDebit?.CollectionDate is not { } text
                    || !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var collected))
                {
                    continue;
                }

                if (Target2Calendar.SettlementDate(collected, days) > today)
                {
                    break;
                }

                try
                {
                    if (await payments.SettleAsync(payment, ct))
                    {
                        settledInPage++;
                        LogSettled(Logger, payment.Id);
                    }
                }
                catch (ConcurrencyConflictException)
                {
                    // Returned (or otherwise changed) at this very moment; the next pass sees its new state.
                }
            }

            settled += settledInPage;
            if (page.Count < PageSize || settledInPage == 0)
            {
                break;
            }
        }

        return settled;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Direct debit {PaymentId} settled without a return; succeeded")]
    private static partial void LogSettled(ILogger logger, string paymentId);
}
