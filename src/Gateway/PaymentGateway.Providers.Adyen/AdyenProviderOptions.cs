using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Adyen;

/// <summary>Timeouts, retries and circuit breaker settings of the Adyen adapter's HTTP client.</summary>
public sealed class AdyenProviderOptions : ProviderHttpOptions
{
}
