using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Mollie;

/// <summary>Timeouts, retries and circuit breaker settings of the Mollie adapter's HTTP client.</summary>
public sealed class MollieProviderOptions : ProviderHttpOptions
{
}
