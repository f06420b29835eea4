using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PaymentGateway.Providers.Mollie;

/// <summary>Registers Mollie's settlements parser (settlement reconciliation, docs/reporting.md).</summary>
public static class MollieSettlementServiceCollectionExtensions
{
    /// <summary>Adds the parser as an <see cref=\"ISettlementSource\"/> (once, however often it is called).</summary>
    public static IServiceCollection AddMollieSettlements(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISettlementSource, MollieSettlements>());
        return services;
    }
}
