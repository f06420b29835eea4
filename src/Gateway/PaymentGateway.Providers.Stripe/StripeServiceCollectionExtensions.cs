using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Stripe;

/// <summary>Registers the Stripe adapter.</summary>
public static class StripeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="StripeProvider"/> as an <see cref="IPaymentProvider"/> with id <c>stripe</c> over the shared
    /// HTTP layer (<see cref="ProviderHttpServiceCollectionExtensions.AddHttpProvider{TProvider, TTransport, TOptions}"/>:
    /// retries of idempotent requests and a per-attempt timeout; see <see cref="StripeProviderOptions"/>).
    /// </summary>
    public static IServiceCollection AddStripeProvider(this IServiceCollection services, Action<StripeProviderOptions>? configure = null) =>
        services.AddHttpProvider<StripeProvider, StripeTransport, StripeProviderOptions>(configure);
}
