using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.CheckoutCom;

/// <summary>Timeouts and retries of the Checkout.com adapter's HTTP client.</summary>
public sealed class CheckoutComProviderOptions : ProviderHttpOptions
{
}
