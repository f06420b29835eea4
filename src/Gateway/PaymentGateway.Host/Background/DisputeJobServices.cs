using Microsoft.Extensions.Options;
using PaymentGateway.Core.Disputes;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Background;

/// <summary>
/// <c>dispute_deadline_alerts</c>: writes <c>dispute.evidence_due_soon</c> (<see cref="DisputeDeadlineAlerts"/>) every
/// <see cref="DisputeOptions.AlertInterval"/>, one node at a time.
/// </summary>
public sealed class DisputeDeadlineAlertService(
    ILeaseStore leases, DisputeDeadlineAlerts alerts, IOptions<DisputeOptions> options, TimeProvider time, ILogger<DisputeDeadlineAlertService> logger)
    : LeasedPeriodicJob(leases, time, logger)
{
    protected override string LeaseName => "dispute_deadline_alerts";

    protected override bool Enabled => options.Value.JobsEnabled;

    protected override TimeSpan Interval => options.Value.AlertInterval;

    /// <summary>How many events the pass wrote.</summary>
    protected override Task<int> RunPassAsync(CancellationToken ct) => alerts.RunOnceAsync(ct);
}

/// <summary>
/// <c>dispute_sync</c>: polls providers with a disputes API and the simulator (<see cref="DisputeSync"/>) every
/// <see cref="DisputeOptions.SyncInterval"/>, one node at a time, so a lost notification is found and the simulator's
/// disputes arrive.
/// </summary>
public sealed class DisputeSyncService(
    ILeaseStore leases, DisputeSync sync, IOptions<DisputeOptions> options, TimeProvider time, ILogger<DisputeSyncService> logger)
    : LeasedPeriodicJob(leases, time, logger)
{
    protected override string LeaseName => "dispute_sync";

    protected override bool Enabled => options.Value.JobsEnabled;

    protected override TimeSpan Interval => options.Value.SyncInterval;

    /// <summary>How many disputes the pass changed.</summary>
    protected override Task<int> RunPassAsync(CancellationToken ct) => sync.RunOnceAsync(ct);
}
