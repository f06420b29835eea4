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
