namespace PaymentGateway.Core.Reports;

/// <summary>
/// What the rollup job remembers per payment (and per retry group) so that each figure is counted once: whether its
/// outcome and authorization were counted, whether it was challenged, and the dimensions it was first counted under.
/// </summary>
public sealed class ReportState
{
    public const int OutcomeCounted = 1;
    public const int Challenged = 2;
    public const int AuthorizedCounted = 4;
    public const int GroupAttempted = 8;
    public const int GroupAuthorized = 16;

    /// <summary>A dispute's counted outcome (its key is the dispute id; <see cref="Dimensions"/> then holds the counted amount).</summary>
    public const int DisputeWon = 32;
    public const int DisputeLost = 64;
    public const int DisputeAccepted = 128;
    public const int DisputeOutcomes = DisputeWon | DisputeLost | DisputeAccepted;

    /// <summary>A payment id, or a retry group key (a checkout session id).</summary>
    public required string Key { get; init; }

    public int Flags { get; set; }

    /// <summary><see cref="ReportDimensions.Encode"/> as first counted; null for groups; for a dispute, the amount its outcome was counted with.</summary>
    public string? Dimensions { get; set; }

    /// <summary>True when the store has no row for it yet.</summary>
    public bool IsNew { get; init; }

    public bool Has(int flag) => (Flags & flag) != 0;

    /// <summary>Sets <paramref name="flag"/>; true when it was not set before.</summary>
    public bool Set(int flag)
    {
        if (Has(flag))
        {
            return false;
        }

        Flags |= flag;
        return true;
    }
}

/// <summary>What one page of events adds: rollup rows, decline counts, and the report states it changed.</summary>
public sealed class ReportDelta
{
    public Dictionary<RollupKey, ReportCounters> Rollups { get; } = [];

    public Dictionary<DeclineKey, long> Declines { get; } = [];

    public Dictionary<string, ReportState> States { get; } = new(StringComparer.Ordinal);

    public ReportCounters RollupFor(RollupKey key)
    {
        if (!Rollups.TryGetValue(key, out var counters))
        {
            Rollups[key] = counters = new ReportCounters();
        }

        return counters;
    }
}

public sealed record RollupKey(string MerchantId, bool Livemode, long BucketStartMs, ReportDimensions Dimensions);

public sealed record DeclineKey(string MerchantId, bool Livemode, long BucketStartMs, ReportDimensions Dimensions, string Code);
