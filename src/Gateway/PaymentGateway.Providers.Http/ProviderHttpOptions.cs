namespace PaymentGateway.Providers.Http;

/// <summary>Timeouts, retries and circuit breaker settings of a provider adapter's HTTP client.</summary>
public abstract class ProviderHttpOptions
{
    /// <summary>The longest one HTTP attempt may take. Past it the attempt's outcome is unknown.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many times a failed attempt is repeated. Every write carries the gateway's idempotency key, so a repeat
    /// replays the provider's first answer instead of charging twice; which statuses are repeated is the provider's
    /// <see cref="ProviderHttpPolicy.IsRetryableStatus"/>.
    /// </summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first backoff delay (exponential, with jitter). <c>Retry-After</c> wins when the provider sends it.</summary>
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

/// <summary>What differs between providers in the shared pipeline.</summary>
/// <param name="ProviderId">The provider id; names the pipeline's strategies.</param>
/// <param name="IdempotencyHeader">The header that carries the idempotency key (a write without it is never repeated).</param>
/// <param name="IsRetryableStatus">HTTP statuses worth repeating with the same key.</param>
/// <param name="IsNotProcessedStatus">HTTP statuses with which the provider says it did not process the request.</param>
public sealed record ProviderHttpPolicy(
    string ProviderId,
    string IdempotencyHeader,
    Func<int, bool> IsRetryableStatus,
    Func<int, bool> IsNotProcessedStatus);
