using OpenTelemetry.Metrics;
using PaymentGateway.Core.Diagnostics;

namespace PaymentGateway.Host.Observability;

/// <summary>
/// Histogram buckets in seconds for the gateway's own duration histograms (unit <c>s</c>). The SDK's default buckets
/// (0, 5, 10, 25 … 10000) are meant for milliseconds: with them every provider call lands in the first bucket and
/// p50/p99 are meaningless.
/// </summary>
public static class DurationBuckets
{
    public static readonly double[] Seconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    public static MeterProviderBuilder AddGatewayDurationBuckets(this MeterProviderBuilder metrics) =>
        metrics.AddView(instrument => instrument.Meter.Name == GatewayTelemetry.Name && instrument.Unit == "s"
            ? new ExplicitBucketHistogramConfiguration { Boundaries = Seconds }
            : null);
}
