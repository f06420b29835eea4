using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Diagnostics;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Background;

/// <summary>
/// Finishes payments whose provider outcome is unknown: under a database lease (so one node at a time does it),
/// asks the provider about payments left in <c>processing</c> and applies the answer, backing off exponentially (with
/// jitter) per payment while the provider keeps answering "pending" (<see cref="ReconcileSchedule.Backoff"/>,
/// schedule kept on the attempt in the payment's JSON). Also purges expired
/// idempotency keys.
/// </summary>
public sealed partial class ReconcilerService(
    IPaymentStore paymentStore, IIdempotencyStore idempotencyStore, ILeaseStore leases, IProviderBankTransferStore providerTransferStore,
    PaymentReconciliation payments,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<ReconcilerService> logger) : BackgroundService
{
    private readonly string _holder = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    public DateTimeOffset? LastRun { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Reconciler;
        if (!settings.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.Interval, time);
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

    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value.Reconciler;
        LastRun = time.GetUtcNow();
        if (!await leases.TryAcquireLeaseAsync("reconciler", _holder, settings.Interval * 3, ct))
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var stale = await paymentStore.ListStaleProcessingPaymentsAsync(now - settings.MinAge, 100, ct);
        GatewayTelemetry.SetReconcilerBacklog(stale.Count);
        foreach (var payment in stale)
        {
            if (ReconcileSchedule.IsBackingOff(payment, now, settings))
            {
                continue;
            }

            try
            {
                var after = await payments.ReconcileAsync(payment, ct);
                GatewayTelemetry.Reconciled.Add(1, new KeyValuePair<string, object?>("outcome", after.Status.ToWire()));
                LogReconciled(logger, payment.Id, after.Status.ToWire());
            }
            catch (GatewayException e)
            {
                LogSkipped(logger, payment.Id, e.Code);
            }
        }

        // Bank transfers collected by a provider: ask it about those still waiting (backing off per payment while open).
        foreach (var transfer in await providerTransferStore.ListProviderBankTransfersToSyncAsync(now - settings.MinAge, 100, ct))
        {
            try
            {
                var before = transfer.Status;
                var after = await payments.SyncProviderBankTransferAsync(transfer, ct);
                if (after.Status != before)
                {
                    LogReconciled(logger, transfer.Id, after.Status.ToWire());
                }
            }
            catch (GatewayException e)
            {
                LogSkipped(logger, transfer.Id, e.Code);
            }
        }

        if (now - _lastPurge > TimeSpan.FromMinutes(10))
        {
            _lastPurge = now;
            await idempotencyStore.PurgeIdempotencyKeysAsync(now - options.Value.IdempotencyRetention, ct);
        }

        return stale.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled payment {PaymentId}: now {Status}")]
    private static partial void LogReconciled(ILogger logger, string paymentId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciler skipped payment {PaymentId}: {Code}")]
    private static partial void LogSkipped(ILogger logger, string paymentId, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciler run failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
