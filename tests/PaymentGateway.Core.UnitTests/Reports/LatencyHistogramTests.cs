using PaymentGateway.Core.Reports;

namespace PaymentGateway.Core.UnitTests.Reports;

public sealed class LatencyHistogramTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(25, 0)]
    [InlineData(26, 1)]
    [InlineData(420, 8)]
    [InlineData(30000, 18)]
    [InlineData(30001, 19)]
    public void Times_fall_in_the_bucket_whose_upper_bound_holds_them(int ms, int bucket) => Assert.Equal(bucket, LatencyHistogram.BucketOf(ms));

    [Fact]
    public void The_rollup_columns_hold_the_histogram_then_the_dispute_outcomes_each_measure_once()
    {
        Assert.Equal(ReportMeasures.DisputesWon - ReportMeasures.LatencyBucket0, LatencyHistogram.BucketCount);
        Assert.Equal(ReportMeasures.Count, ReportMeasures.Columns.Count);
        Assert.Equal(ReportMeasures.Count, ReportMeasures.Columns.Distinct().Count());
        Assert.Equal("lat_19", ReportMeasures.Columns[ReportMeasures.DisputesWon - 1]);
        Assert.Equal("disputes_accepted_amount", ReportMeasures.Columns[ReportMeasures.DisputesAcceptedAmount]);
        Assert.True(ReportMeasures.IsAmount(ReportMeasures.DisputesLostAmount));
        Assert.False(ReportMeasures.IsAmount(ReportMeasures.DisputesLost));
    }

    [Fact]
    public void Percentiles_interpolate_inside_the_bucket_and_merge_by_adding_histograms()
    {
        var a = new long[LatencyHistogram.BucketCount];
        var b = new long[LatencyHistogram.BucketCount];
        a[LatencyHistogram.BucketOf(100)] = 50; // 75–100 ms
        b[LatencyHistogram.BucketOf(450)] = 50; // 400–500 ms
        var merged = a.Zip(b, (x, y) => x + y).ToArray();

        Assert.Equal(87.5, LatencyHistogram.Percentile(a, 0.5));
        Assert.Equal(100, LatencyHistogram.Percentile(merged, 0.5));
        Assert.Equal(480, LatencyHistogram.Percentile(merged, 0.9));
        Assert.Null(LatencyHistogram.Percentile(new long[LatencyHistogram.BucketCount], 0.5));
    }
}
