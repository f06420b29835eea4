using PaymentGateway.Core.Customers;
using PaymentGateway.Host.Background;

namespace PaymentGateway.Host.Infrastructure;

/// <summary>Composition of customers and saved cards (docs/saved-cards.md): the services, their options and the expiring-card job.</summary>
public static class CustomerServiceCollectionExtensions
{
    public static IServiceCollection AddPaymentGatewayCustomers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CustomerOptions>().Bind(configuration.GetSection(CustomerOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SavedCards>();
        services.AddSingleton<CustomerService>();
        services.AddSingleton<CustomerPaymentMethods>();
        services.AddSingleton<ExpiringCardNotices>();
        services.AddSingleton<ExpiringCardNoticeService>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpiringCardNoticeService>());
        return services;
    }
}
