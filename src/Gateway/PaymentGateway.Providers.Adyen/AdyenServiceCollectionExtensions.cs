using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Adyen;

/// <summary>Registers the Adyen adapter.</summary>
public static class AdyenServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AdyenProvider"/> as an <see cref="IPaymentProvider"/> with id <c>adyen</c>, and its named
    /// HTTP client with one resilience pipeline (retry of idempotent requests, one circuit breaker for Adyen,
    /// per-attempt timeout; see <see cref="AdyenProviderOptions"/>).
    /// </summary>
    public static IServiceCollection AddAdyenProvider(this IServiceCollection services, Action<AdyenProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<AdyenProviderOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.AddLogging();
        var client = services.AddHttpClient(AdyenProvider.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        client.AddResilienceHandler("adyen", (builder, context) =>
            ProviderResilience.Configure(builder, context.ServiceProvider.GetRequiredService<IOptionsMonitor<AdyenProviderOptions>>().CurrentValue, AdyenResilience.Policy));

        // Added after the resilience handler, so it sits inside the retry loop and sees every attempt.
        client.AddHttpMessageHandler(() => new ProviderAttemptLedgerHandler(AdyenResilience.Policy));
        services.TryAddSingleton<AdyenProvider>();
        services.AddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<AdyenProvider>());
        return services;
    }
}
