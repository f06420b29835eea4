using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Background;

/// <summary>
/// Cancels bank-transfer payments nobody paid before their expiry (<c>canceled</c>, reason <c>expired</c>, event
/// <c>payment.canceled</c>). Runs under the database lease <c>bank_transfer_expiry</c>, so one node at a time does it.
/// A credit that arrives later is flagged for refund by the statement import, never accepted.
/// </summary>
public sealed partial class BankTransferExpiryService(
    ILeaseStore leases, IBankTransferStore bankTransferStore,
    BankTransferPayments payments,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<BankTransferExpiryService> logger) : LeasedPeriodicJob(leases, time, logger)
{
    protected override string LeaseName => "bank_transfer_expiry";

    protected override bool Enabled => options.Value.BankTransfers.ExpiryEnabled;

    protected override TimeSpan Interval => options.Value.BankTransfers.ExpiryInterval;

    /// <summary>One pass; returns how many payments it canceled.</summary>
    protected override async Task<int> RunPassAsync(CancellationToken ct)
    {
        var expired = 0;
        foreach (var payment in await bankTransferStore.ListExpiredBankTransfersAsync(Time.GetUtcNow(), 100, ct))
        {
            try
            {
                if (await payments.ExpireAsync(payment, ct))
                {
                    expired++;
                    LogExpired(Logger, payment.Id);
                }
            }
            catch (ConcurrencyConflictException)
            {
                // Paid or canceled at this very moment; the next pass sees its new state.
            }
        }

        return expired;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bank transfer {PaymentId} expired unpaid; canceled")]
    private static partial void LogExpired(ILogger logger, string paymentId);
}
