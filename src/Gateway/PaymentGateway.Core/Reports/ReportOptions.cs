using System.ComponentModel.DataAnnotations;

namespace PaymentGateway.Core.Reports;

/// <summary>Configuration section <c>PaymentGateway:Reports</c>: the rollup job, exports and settlement reconciliation.</summary>
public sealed class ReportOptions
{
    public const string SectionName = "PaymentGateway:Reports";

    /// <summary>Run the rollup job on this node (it takes the lease <c>report_rollup</c>, so any number of nodes may).</summary>
    public bool RollupEnabled { get; set; } = true;

    /// <summary>How often the rollup job looks for new events.</summary>
    public TimeSpan RollupInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Events younger than this are left for the next pass: a transaction that made an event just before may not have
    /// committed yet. Reports therefore lag the event log by this plus <see cref="RollupInterval"/> (7 s by default).
    /// </summary>
    public TimeSpan SealLag { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How far behind the cursor the sweep looks for events that committed after the cursor passed their id (a
    /// transaction slower than <see cref="SealLag"/>). An event that commits later than this after it was made is missed.
    /// </summary>
    public TimeSpan SweepWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the sweep runs.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Events per transaction.</summary>
    [Range(1, 100_000)]
    public int RollupPageSize { get; set; } = 2000;

    /// <summary>Where export files are written (a random name each); relative to the data directory. Several nodes must share it.</summary>
    public string ExportDirectory { get; set; } = "exports";

    /// <summary>How long a finished export can be downloaded; then it expires and its file is deleted.</summary>
    public TimeSpan ExportRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Run export jobs on this node (each job is leased, so any number of nodes may).</summary>
    public bool ExportsEnabled { get; set; } = true;

    /// <summary>How often export workers look for pending jobs.</summary>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an export job's lease lasts; the worker renews it while it writes.</summary>
    public TimeSpan ExportLease { get; set; } = TimeSpan.FromMinutes(2);
}
