using System.Globalization;

namespace PaymentGateway.Core.Disputes;

/// <summary>Configuration section <c>PaymentGateway:Disputes</c> (docs/disputes.md, "Configuration").</summary>
public sealed class DisputeOptions
{
    public const string SectionName = "PaymentGateway:Disputes";

    /// <summary>Runs the dispute jobs (deadline alerts, provider polling) on this node; they take leases, so many nodes are safe.</summary>
    public bool JobsEnabled { get; set; } = true;

    /// <summary>
    /// How long before <c>evidence_due_by</c> a <c>dispute.evidence_due_soon</c> event is written, once per dispute and
    /// threshold: durations separated by <c>;</c> or <c>,</c> (<c>3.00:00:00;1.00:00:00</c>).
    /// </summary>
    public string EvidenceDueSoon { get; set; } = "3.00:00:00;1.00:00:00";

    /// <summary>How often the deadline job looks.</summary>
    public TimeSpan AlertInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often providers with a disputes API (and the simulator) are polled for disputes.</summary>
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The provider time one account (or the simulator) may take in one pass, its list and its open disputes' reads
    /// together; past it the account is left for the next pass and the pass goes on to the next account.
    /// </summary>
    public TimeSpan SyncAccountBudget { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How far back the first poll of a provider account reaches.</summary>
    public TimeSpan SyncLookback { get; set; } = TimeSpan.FromDays(30);

    /// <summary>An open dispute not heard of for this long is read again from its provider (a lost status change is found).</summary>
    public TimeSpan RefreshOpenAfter { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The largest evidence file accepted, in bytes.</summary>
    public int MaxEvidenceFileBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>The most evidence files one dispute keeps.</summary>
    public int MaxEvidenceFiles { get; set; } = 20;

    /// <summary><see cref="EvidenceDueSoon"/> parsed, longest first; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public IReadOnlyList<TimeSpan> DueSoonThresholds()
    {
        var thresholds = new List<TimeSpan>();
        foreach (var part in EvidenceDueSoon.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!TimeSpan.TryParse(part, CultureInfo.InvariantCulture, out var threshold) || threshold <= TimeSpan.Zero)
            {
                throw new FormatException($"{SectionName}:EvidenceDueSoon: '{part}' is not a positive duration (d.hh:mm:ss).");
            }

            thresholds.Add(threshold);
        }

        return thresholds.Distinct().OrderDescending().ToList();
    }
}
