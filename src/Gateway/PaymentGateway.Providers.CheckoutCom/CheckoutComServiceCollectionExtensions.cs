using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.CheckoutCom;

/// <summary>Registers the Checkout.com adapter.</summary>
public static class CheckoutComServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="CheckoutComProvider"/> as an <see cref="IPaymentProvider"/> with id <c>checkoutcom</c>, and its named
    /// HTTP client with one resilience pipeline (retry of idempotent requests, one circuit breaker for Checkout.com,
    /// per-attempt timeout; see <see cref="CheckoutComProviderOptions"/>).
    /// </summary>
    public static IServiceCollection AddCheckoutComProvider(this IServiceCollection services, Action<CheckoutComProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<CheckoutComProviderOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.AddLogging();
        var client = services.AddHttpClient(CheckoutComProvider.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        client.AddResilienceHandler("checkoutcom", (builder, context) =>
            ProviderResilience.Configure(builder, context.ServiceProvider.GetRequiredService<IOptionsMonitor<CheckoutComProviderOptions>>().CurrentValue, CheckoutComResilience.Policy));

        // Added after the resilience handler, so it sits inside the retry loop and sees every attempt.
        client.AddHttpMessageHandler(() => new ProviderAttemptLedgerHandler(CheckoutComResilience.Policy));
        services.TryAddSingleton<CheckoutComProvider>();
        services.AddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<CheckoutComProvider>());
        return services;
    }
}
