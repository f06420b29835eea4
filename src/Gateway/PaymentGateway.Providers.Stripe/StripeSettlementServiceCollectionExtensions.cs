using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PaymentGateway.Providers.Stripe;

/// <summary>Registers Stripe's settlement source (balance transactions and payouts through its API; docs/reporting.md).</summary>
public static class StripeSettlementServiceCollectionExtensions
{
    /// <summary>Needs <see cref="StripeServiceCollectionExtensions.AddStripeProvider"/> (it shares the Stripe HTTP transport).</summary>
    public static IServiceCollection AddStripeSettlementSource(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISettlementSource, StripeSettlementSource>());
        return services;
    }
}
