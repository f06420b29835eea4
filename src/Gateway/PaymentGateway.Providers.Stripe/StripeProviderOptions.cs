using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Stripe;

/// <summary>Timeouts, retries and circuit breaker settings of the Stripe adapter's HTTP client.</summary>
public sealed class StripeProviderOptions : ProviderHttpOptions
{
    /// <summary>How far a webhook's signed timestamp may be from now (Stripe's libraries use 300 seconds).</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromSeconds(300);
}
