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
    ILogger<ReconcilerService> logger) : LeasedPeriodicJob(leases, time, logger)
{
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    protected override string LeaseName => "reconciler";

    protected override bool Enabled => options.Value.Reconciler.Enabled;

    protected override TimeSpan Interval => options.Value.Reconciler.Interval;

    protected override async Task<int> RunPassAsync(CancellationToken ct)
    {
        var settings = options.Value.Reconciler;
        var now = Time.GetUtcNow();
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
                LogReconciled(Logger, payment.Id, after.Status.ToWire());
            }
            catch (GatewayException e)
            {
                LogSkipped(Logger, payment.Id, e.Code);
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
                    LogReconciled(Logger, transfer.Id, after.Status.ToWire());
                }
            }
            catch (GatewayException e)
            {
                LogSkipped(Logger, transfer.Id, e.Code);
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
}
