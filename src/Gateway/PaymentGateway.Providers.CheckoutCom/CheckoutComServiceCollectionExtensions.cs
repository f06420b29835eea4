using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.CheckoutCom;

/// <summary>Registers the Checkout.com adapter.</summary>
public static class CheckoutComServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="CheckoutComProvider"/> as an <see cref="IPaymentProvider"/> with id <c>checkoutcom</c> over
    /// the shared HTTP layer (<see cref="ProviderHttpServiceCollectionExtensions.AddHttpProvider{TProvider, TTransport, TOptions}"/>;
    /// see <see cref="CheckoutComProviderOptions"/>).
    /// </summary>
    public static IServiceCollection AddCheckoutComProvider(this IServiceCollection services, Action<CheckoutComProviderOptions>? configure = null) =>
        services.AddHttpProvider<CheckoutComProvider, CheckoutComTransport, CheckoutComProviderOptions>(configure);
}
