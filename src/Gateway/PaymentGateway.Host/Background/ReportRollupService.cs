using Microsoft.Extensions.Options;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.Background;

/// <summary>
/// Runs <see cref="ReportRollupJob"/> every <see cref="ReportOptions.RollupInterval"/> under the database lease
/// <c>report_rollup</c> (one node at a time; any node takes over when the holder stops renewing), and export expiry.
/// A first pass over a large history can take several intervals, so the lease is held for five of them plus 30 s.
/// </summary>
public sealed class ReportRollupService(
    ILeaseStore leases, ReportRollupJob job, ExportRunner exports, IOptions<ReportOptions> options, TimeProvider time, ILogger<ReportRollupService> logger)
    : LeasedPeriodicJob(leases, time, logger)
{
    protected override string LeaseName => "report_rollup";

    protected override bool Enabled => options.Value.RollupEnabled;

    protected override TimeSpan Interval => options.Value.RollupInterval;

    protected override TimeSpan LeaseDuration => (Interval * 5) + TimeSpan.FromSeconds(30);

    /// <summary>Counts new events into the buckets and expires old exports; returns how many events it counted.</summary>
    protected override async Task<int> RunPassAsync(CancellationToken ct)
    {
        var counted = await job.RunOnceAsync(ct);
        await exports.ExpireAsync(ct);
        return counted;
    }
}
