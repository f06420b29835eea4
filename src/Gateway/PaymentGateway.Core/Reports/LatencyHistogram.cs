namespace PaymentGateway.Core.Reports;

/// <summary>
/// Provider answer times in fixed buckets, so histograms of any rows add up and percentiles can be read from the sum
/// (a percentile of percentiles would be wrong). A percentile is interpolated linearly inside its bucket, so it is
/// exact to the bucket's width; the last bucket (above 30 s) reports its lower bound.
/// </summary>
public static class LatencyHistogram
{
    /// <summary>Upper bounds (inclusive, milliseconds) of every bucket but the last, which is everything above.</summary>
    public static IReadOnlyList<int> UpperBoundsMs { get; } = [25, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 15000, 30000];

    public static int BucketCount => UpperBoundsMs.Count + 1;

    public static int BucketOf(int milliseconds)
    {
        for (var i = 0; i < UpperBoundsMs.Count; i++)
        {
            if (milliseconds <= UpperBoundsMs[i])
            {
                return i;
            }
        }

        return UpperBoundsMs.Count;
    }

    /// <summary>The <paramref name="quantile"/> (0–1) of the counts in <paramref name="buckets"/>, or null when empty.</summary>
    public static double? Percentile(ReadOnlySpan<long> buckets, double quantile)
    {
        long total = 0;
        foreach (var b in buckets)
        {
            total += b;
        }

        if (total == 0)
        {
            return null;
        }

        var rank = quantile * total;
        long seen = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            if (buckets[i] == 0)
            {
                continue;
            }

            if (seen + buckets[i] >= rank)
            {
                double lower = i == 0 ? 0 : UpperBoundsMs[i - 1];
                if (i >= UpperBoundsMs.Count)
                {
                    return lower;
                }

                double upper = UpperBoundsMs[i];
                var within = Math.Clamp((rank - seen) / buckets[i], 0, 1);
                return Math.Round(lower + ((upper - lower) * within), 1);
            }

            seen += buckets[i];
        }

        return UpperBoundsMs[^1];
    }
}
