using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PaymentGateway.Providers.CheckoutCom;

/// <summary>Registers Checkout.com's financial actions parser (settlement reconciliation, docs/reporting.md).</summary>
public static class CheckoutComSettlementServiceCollectionExtensions
{
    /// <summary>Adds the parser as an <see cref=\"ISettlementSource\"/> (once, however often it is called).</summary>
    public static IServiceCollection AddCheckoutComFinancialActions(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISettlementSource, CheckoutComFinancialActions>());
        return services;
    }
}
