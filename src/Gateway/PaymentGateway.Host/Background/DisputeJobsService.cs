using Microsoft.Extensions.Options;
using PaymentGateway.Core.Disputes;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Background;

/// <summary>
/// The dispute jobs, each under its own database lease so one node at a time runs it (any number of nodes is safe):
/// <c>dispute_deadline_alerts</c> writes <c>dispute.evidence_due_soon</c> (<see cref="DisputeDeadlineAlerts"/>) and
/// <c>dispute_sync</c> polls providers with a disputes API and the simulator (<see cref="DisputeSync"/>), so a lost
/// notification is found and the simulator's disputes arrive.
/// </summary>
public sealed partial class DisputeJobsService(
    ILeaseStore leases, DisputeDeadlineAlerts alerts, DisputeSync sync, IOptions<DisputeOptions> options, TimeProvider time, ILogger<DisputeJobsService> logger)
    : BackgroundService
{
    private readonly string _holder = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.JobsEnabled)
        {
            return Task.CompletedTask;
        }

        return Task.WhenAll(
            LoopAsync("dispute_deadline_alerts", settings.AlertInterval, RunAlertsOnceAsync, stoppingToken),
            LoopAsync("dispute_sync", settings.SyncInterval, RunSyncOnceAsync, stoppingToken));
    }

    /// <summary>One deadline pass under the lease; how many events it wrote (0 without the lease).</summary>
    public async Task<int> RunAlertsOnceAsync(CancellationToken ct) =>
        await leases.TryAcquireLeaseAsync("dispute_deadline_alerts", _holder, options.Value.AlertInterval * 3, ct) ? await alerts.RunOnceAsync(ct) : 0;

    /// <summary>One sync pass under the lease; how many disputes it changed (0 without the lease).</summary>
    public async Task<int> RunSyncOnceAsync(CancellationToken ct) =>
        await leases.TryAcquireLeaseAsync("dispute_sync", _holder, options.Value.SyncInterval * 3, ct) ? await sync.RunOnceAsync(ct) : 0;

    private async Task LoopAsync(string job, TimeSpan interval, Func<CancellationToken, Task<int>> run, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await run(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, e, job);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispute job {Job} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string job);
}
