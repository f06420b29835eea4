namespace PaymentGateway.Core.Reports;

/// <summary>
/// The counters kept per rollup row, in one fixed order: the storage engines generate their column lists from
/// <see cref="Columns"/> (so adding a measure is one line here and one migration), and <see cref="ReportCounters"/>
/// holds them as an array in the same order. Amount measures (<see cref="IsAmount"/>) are minor units of the row's
/// currency and are never added across currencies.
/// </summary>
public static class ReportMeasures
{
    public const int Attempted = 0;
    public const int Authorized = 1;
    public const int AuthorizedAmount = 2;
    public const int Declined = 3;
    public const int AttemptedUnique = 4;
    public const int AuthorizedUnique = 5;
    public const int Captured = 6;
    public const int CapturedAmount = 7;
    public const int Refunds = 8;
    public const int RefundedAmount = 9;

    /// <summary>Disputes opened (<c>dispute.created</c>), in the bucket they were opened.</summary>
    public const int Disputes = 10;
    public const int DisputedAmount = 11;
    public const int ThreeDsChallenged = 12;
    public const int ThreeDsSucceeded = 13;
    public const int Canceled = 14;
    public const int LatencyCount = 15;
    public const int LatencySumMs = 16;

    /// <summary>The first of the <see cref="LatencyHistogram.BucketCount"/> latency bucket counters.</summary>
    public const int LatencyBucket0 = 17;

    /// <summary>Disputes decided won (<c>dispute.closed</c> with status <c>won</c>), in the bucket of the decision (migration 14).</summary>
    /// <remarks>After the 20 latency buckets (<see cref="LatencyHistogram.BucketCount"/>; a unit test holds them equal).</remarks>
    public const int DisputesWon = LatencyBucket0 + 20;
    public const int DisputesWonAmount = DisputesWon + 1;

    /// <summary>Disputes decided lost.</summary>
    public const int DisputesLost = DisputesWon + 2;
    public const int DisputesLostAmount = DisputesWon + 3;

    /// <summary>Disputes the merchant accepted.</summary>
    public const int DisputesAccepted = DisputesWon + 4;
    public const int DisputesAcceptedAmount = DisputesWon + 5;

    public static int Count => DisputesAcceptedAmount + 1;

    /// <summary>The column of each measure, in order (<c>lat_00</c>…<c>lat_19</c> for the latency buckets, then the dispute outcomes).</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "attempted", "authorized", "authorized_amount", "declined", "attempted_unique", "authorized_unique", "captured", "captured_amount",
        "refunds", "refunded_amount", "disputes", "disputed_amount", "threeds_challenged", "threeds_succeeded", "canceled",
        "latency_count", "latency_sum_ms",
        .. Enumerable.Range(0, LatencyHistogram.BucketCount).Select(i => $"lat_{i:00}"),
        "disputes_won", "disputes_won_amount", "disputes_lost", "disputes_lost_amount", "disputes_accepted", "disputes_accepted_amount",
    ];

    public static bool IsAmount(int measure) =>
        measure is AuthorizedAmount or CapturedAmount or RefundedAmount or DisputedAmount or DisputesWonAmount or DisputesLostAmount or DisputesAcceptedAmount;
}

/// <summary>One row's measures, indexed by the <see cref="ReportMeasures"/> constants.</summary>
public sealed class ReportCounters
{
    public long[] Values { get; } = new long[ReportMeasures.Count];

    public long this[int measure] => Values[measure];

    public void Add(int measure, long value) => Values[measure] = checked(Values[measure] + value);

    public void Add(ReportCounters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < Values.Length; i++)
        {
            Values[i] = checked(Values[i] + other.Values[i]);
        }
    }

    /// <summary>Counts one provider answer time in the histogram, its count and its sum.</summary>
    public void AddLatency(int milliseconds)
    {
        Add(ReportMeasures.LatencyCount, 1);
        Add(ReportMeasures.LatencySumMs, Math.Max(0, milliseconds));
        Add(ReportMeasures.LatencyBucket0 + LatencyHistogram.BucketOf(milliseconds), 1);
    }

    public bool IsZero => Values.All(v => v == 0);
}
