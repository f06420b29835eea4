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
    ILogger<BankTransferExpiryService> logger) : BackgroundService
{
    private readonly string _holder = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.BankTransfers;
        if (!settings.ExpiryEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.ExpiryInterval, time);
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

    /// <summary>One pass; returns how many payments it canceled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value.BankTransfers;
        if (!await leases.TryAcquireLeaseAsync("bank_transfer_expiry", _holder, settings.ExpiryInterval * 3, ct))
        {
            return 0;
        }

        var expired = 0;
        foreach (var payment in await bankTransferStore.ListExpiredBankTransfersAsync(time.GetUtcNow(), 100, ct))
        {
            try
            {
                if (await payments.ExpireAsync(payment, ct))
                {
                    expired++;
                    LogExpired(logger, payment.Id);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Bank transfer expiry pass failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
