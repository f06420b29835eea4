using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PaymentGateway.Providers.Http;

/// <summary>Registers an HTTP adapter the same way for every provider.</summary>
public static class ProviderHttpServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TProvider"/> as an <see cref="IPaymentProvider"/>, its
    /// <typeparamref name="TTransport"/> and <see cref="ProviderHttpClient{TTransport}"/>, its options, and the
    /// provider's named HTTP client: one resilience pipeline (retries of idempotent requests, per-attempt timeout; see
    /// <see cref="ProviderResilience"/>) with the <see cref="ProviderAttemptLedgerHandler"/> inside the retry loop.
    /// </summary>
    public static IServiceCollection AddHttpProvider<TProvider, TTransport, TOptions>(this IServiceCollection services, Action<TOptions>? configure)
        where TProvider : class, IPaymentProvider
        where TTransport : ProviderHttpTransport, new()
        where TOptions : ProviderHttpOptions
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<TOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        var transport = new TTransport();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(transport);
        var client = services.AddHttpClient(transport.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        client.AddResilienceHandler(transport.ProviderId, (builder, context) =>
            ProviderResilience.Configure(builder, context.ServiceProvider.GetRequiredService<IOptionsMonitor<TOptions>>().CurrentValue, transport));

        // Added after the resilience handler, so it sits inside the retry loop and sees every attempt.
        client.AddHttpMessageHandler(() => new ProviderAttemptLedgerHandler(transport));
        services.TryAddSingleton<ProviderHttpClient<TTransport>>();
        services.TryAddSingleton<TProvider>();
        services.AddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<TProvider>());
        return services;
    }
}
