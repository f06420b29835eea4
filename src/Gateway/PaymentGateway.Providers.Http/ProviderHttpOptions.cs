namespace PaymentGateway.Providers.Http;

/// <summary>
/// Timeouts and retries of a provider adapter's HTTP client (<c>PaymentGateway:Providers:{Name}</c>). There is no
/// breaker here: the gateway keeps one per provider account around the whole call (<c>ProviderCircuits</c>), so one
/// merchant's broken account never opens the circuit for every merchant of that provider.
/// </summary>
public abstract class ProviderHttpOptions
{
    /// <summary>The longest one HTTP attempt may take. Past it the attempt's outcome is unknown.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many times a failed attempt is repeated. Every write carries the gateway's idempotency key, so a repeat
    /// replays the provider's first answer instead of charging twice; which statuses are repeated is the provider's
    /// <see cref="ProviderHttpTransport.IsRetryableStatus"/>.
    /// </summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first backoff delay (exponential, with jitter). <c>Retry-After</c> wins when the provider sends it.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}
