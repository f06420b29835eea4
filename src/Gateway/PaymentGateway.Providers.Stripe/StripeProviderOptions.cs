using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Stripe;

/// <summary>Timeouts and retries of the Stripe adapter's HTTP client, and its webhook tolerance.</summary>
public sealed class StripeProviderOptions : ProviderHttpOptions
{
    /// <summary>How far a webhook's signed timestamp may be from now (Stripe's libraries use 300 seconds).</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromSeconds(300);
}
