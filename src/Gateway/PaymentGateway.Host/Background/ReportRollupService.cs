using Microsoft.Extensions.Options;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Background;

/// <summary>
/// Runs <see cref="ReportRollupJob"/> every <see cref="ReportOptions.RollupInterval"/> under the database lease
/// <c>report_rollup</c> (one node at a time; any node takes over when the holder stops renewing), and export expiry.
/// </summary>
public sealed partial class ReportRollupService(
    ILeaseStore leases, ReportRollupJob job, ExportRunner exports, IOptions<ReportOptions> options, TimeProvider time, ILogger<ReportRollupService> logger) : BackgroundService
{
    private readonly string _holder = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.RollupEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.RollupInterval, time);
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

    /// <summary>One pass under the lease; returns how many events it counted (0 when another node holds the lease).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var settings = options.Value;
        if (!await leases.TryAcquireLeaseAsync("report_rollup", _holder, settings.RollupInterval * 5 + TimeSpan.FromSeconds(30), ct))
        {
            return 0;
        }

        var counted = await job.RunOnceAsync(ct);
        await exports.ExpireAsync(ct);
        return counted;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Report rollup pass failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
