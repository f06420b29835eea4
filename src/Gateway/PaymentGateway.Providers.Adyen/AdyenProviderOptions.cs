using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Adyen;

/// <summary>Timeouts and retries of the Adyen adapter's HTTP client.</summary>
public sealed class AdyenProviderOptions : ProviderHttpOptions
{
}
