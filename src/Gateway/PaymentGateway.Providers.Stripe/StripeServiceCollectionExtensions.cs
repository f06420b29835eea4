using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Stripe;

/// <summary>Registers the Stripe adapter.</summary>
public static class StripeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="StripeProvider"/> as an <see cref="IPaymentProvider"/> with id <c>stripe</c>, and its named
    /// HTTP client with one resilience pipeline (retry of idempotent requests, one circuit breaker for Stripe,
    /// per-attempt timeout; see <see cref="StripeProviderOptions"/>).
    /// </summary>
    public static IServiceCollection AddStripeProvider(this IServiceCollection services, Action<StripeProviderOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<StripeProviderOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        var client = services.AddHttpClient(StripeProvider.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        client.AddResilienceHandler("stripe", (builder, context) =>
            ProviderResilience.Configure(builder, context.ServiceProvider.GetRequiredService<IOptionsMonitor<StripeProviderOptions>>().CurrentValue, StripeResilience.Policy));

        // Added after the resilience handler, so it sits inside the retry loop and sees every attempt.
        client.AddHttpMessageHandler(() => new ProviderAttemptLedgerHandler(StripeResilience.Policy));
        services.TryAddSingleton<StripeProvider>();
        services.AddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<StripeProvider>());
        return services;
    }
}
