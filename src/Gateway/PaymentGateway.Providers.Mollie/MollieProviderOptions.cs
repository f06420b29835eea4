namespace PaymentGateway.Providers.Mollie;

/// <summary>Timeouts, retries and circuit breaker settings of the Mollie adapter's HTTP client.</summary>
public sealed class MollieProviderOptions
{
    /// <summary>The longest one HTTP attempt may take. Past it the attempt's outcome is unknown.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many times a failed attempt is repeated. Every Mollie write (POST, DELETE) carries the gateway's idempotency key, so a
    /// repeat replays the first answer instead of charging twice; only connection failures, attempt timeouts, 429 and
    /// 5xx are repeated.
    /// </summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first backoff delay (exponential, with jitter). <c>Retry-After</c> wins when Mollie sends it.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Failure ratio over <see cref="CircuitBreakerSamplingDuration"/> that opens the breaker.</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Minimum number of attempts in the sampling window before the breaker may open.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 20;

    /// <summary>The breaker's sampling window.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the breaker stays open.</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
