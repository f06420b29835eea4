using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Mollie;

/// <summary>Registers the Mollie adapter.</summary>
public static class MollieServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MollieProvider"/> as an <see cref="IPaymentProvider"/> with id <c>mollie</c> over the shared
    /// HTTP layer (<see cref="ProviderHttpServiceCollectionExtensions.AddHttpProvider{TProvider, TTransport, TOptions}"/>;
    /// see <see cref="MollieProviderOptions"/>).
    /// </summary>
    public static IServiceCollection AddMollieProvider(this IServiceCollection services, Action<MollieProviderOptions>? configure = null) =>
        services.AddHttpProvider<MollieProvider, MollieTransport, MollieProviderOptions>(configure);
}
