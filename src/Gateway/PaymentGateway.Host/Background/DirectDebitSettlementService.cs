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
    ILogger<DirectDebitSettlementService> logger) : BackgroundService
{
    public const int PageSize = 200;

    private readonly string _holder = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.BankTransfers;
        if (!settings.SettlementEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.SettlementInterval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass; returns how many debits it settled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value.BankTransfers;
        if (!await leases.TryAcquireLeaseAsync("direct_debit_settlement", _holder, settings.SettlementInterval * 3, ct))
        {
            return 0;
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
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
                        LogSettled(logger, payment.Id);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Direct debit settlement pass failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
