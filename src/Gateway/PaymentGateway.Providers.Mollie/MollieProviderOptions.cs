using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Mollie;

/// <summary>Timeouts and retries of the Mollie adapter's HTTP client.</summary>
public sealed class MollieProviderOptions : ProviderHttpOptions
{
}
