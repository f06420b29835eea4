using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Mollie;

/// <summary>Registers the Mollie adapter.</summary>
public static class MollieServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MollieProvider"/> as an <see cref="IPaymentProvider"/> with id <c>mollie</c>, and its named
    /// HTTP client with one resilience pipeline (retry of idempotent requests, one circuit breaker for Mollie,
    /// per-attempt timeout; see <see cref="MollieProviderOptions"/>).
    /// </summary>
    public static IServiceCollection AddMollieProvider(this IServiceCollection services, Action<MollieProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<MollieProviderOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.AddLogging();
        var client = services.AddHttpClient(MollieProvider.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        client.AddResilienceHandler("mollie", (builder, context) =>
            ProviderResilience.Configure(builder, context.ServiceProvider.GetRequiredService<IOptionsMonitor<MollieProviderOptions>>().CurrentValue, MollieResilience.Policy));

        // Added after the resilience handler, so it sits inside the retry loop and sees every attempt.
        client.AddHttpMessageHandler(() => new ProviderAttemptLedgerHandler(MollieResilience.Policy));
        services.TryAddSingleton<MollieProvider>();
        services.AddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<MollieProvider>());
        return services;
    }
}
