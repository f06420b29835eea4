namespace PaymentGateway.Core.Routing;

/// <summary>Per provider account circuit breaker and call timeout (<c>PaymentGateway:ProviderCircuits</c>).</summary>
public sealed class ProviderCircuitOptions
{
    public const string SectionName = "PaymentGateway:ProviderCircuits";

    /// <summary>Share of failed calls (unavailable or unknown outcome) in the sampling window that opens the circuit.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed in the window before the ratio counts.</summary>
    public int MinimumThroughput { get; set; } = 8;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whole-call timeout around the adapter (its own retries included); expiring is an unknown outcome.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(90);
}
