using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Adyen;

/// <summary>Registers the Adyen adapter.</summary>
public static class AdyenServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AdyenProvider"/> as an <see cref="IPaymentProvider"/> with id <c>adyen</c> over the shared
    /// HTTP layer (<see cref="ProviderHttpServiceCollectionExtensions.AddHttpProvider{TProvider, TTransport, TOptions}"/>;
    /// see <see cref="AdyenProviderOptions"/>).
    /// </summary>
    public static IServiceCollection AddAdyenProvider(this IServiceCollection services, Action<AdyenProviderOptions>? configure = null) =>
        services.AddHttpProvider<AdyenProvider, AdyenTransport, AdyenProviderOptions>(configure);
}
