using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PaymentGateway.Providers.Adyen;

/// <summary>Registers Adyen's settlement report parser (settlement reconciliation, docs/reporting.md).</summary>
public static class AdyenSettlementServiceCollectionExtensions
{
    /// <summary>Adds the parser as an <see cref=\"ISettlementSource\"/> (once, however often it is called).</summary>
    public static IServiceCollection AddAdyenSettlementReport(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISettlementSource, AdyenSettlementReport>());
        return services;
    }
}
