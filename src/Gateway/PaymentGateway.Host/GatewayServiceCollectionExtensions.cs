using Microsoft.Extensions.Options;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Checkout;
using PaymentGateway.Core.Routing;
using PaymentGateway.Host.Background;
using PaymentGateway.Providers.Adyen;
using PaymentGateway.Providers.CheckoutCom;
using PaymentGateway.Providers.Http;
using PaymentGateway.Providers.Mollie;
using PaymentGateway.Providers.Stripe;

namespace PaymentGateway.Host;

/// <summary>
/// The service registrations of the gateway's areas, called by <see cref="GatewayHostExtensions.AddPaymentGateway"/>.
/// Endpoint files map routes and register nothing.
/// </summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>Registers the Stripe, Adyen, Checkout.com and Mollie adapters (options under <c>PaymentGateway:Providers:{Stripe|Adyen|CheckoutCom|Mollie}</c>) and routing.</summary>
    public static IServiceCollection AddProviderRouting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStripeProvider(o => Configure(o, configuration.GetSection("PaymentGateway:Providers:Stripe")));
        services.AddAdyenProvider(o => Configure(o, configuration.GetSection("PaymentGateway:Providers:Adyen")));
        services.AddCheckoutComProvider(o => Configure(o, configuration.GetSection("PaymentGateway:Providers:CheckoutCom")));
        services.AddMollieProvider(o => Configure(o, configuration.GetSection("PaymentGateway:Providers:Mollie")));
        services.AddOptions<ProviderCircuitOptions>().Bind(configuration.GetSection(ProviderCircuitOptions.SectionName));
        services.AddSingleton<ProviderCircuits>();
        services.AddSingleton<ProviderAccountService>();
        services.AddSingleton<RoutingRuleService>();
        services.AddSingleton<ProviderRouting>();
        services.AddSingleton<ProviderWebhookService>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(RoutingApiJsonContext.Api));
        return services;
    }

    private static void Configure(ProviderHttpOptions options, IConfigurationSection section) => section.Bind(options);

    /// <summary>Registers hosted checkout (options under <c>PaymentGateway:Checkout</c>).</summary>
    public static IServiceCollection AddPaymentGatewayCheckout(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CheckoutOptions>().Bind(configuration.GetSection(CheckoutOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CheckoutService>();
        return services;
    }

    /// <summary>Registers statement import, mandates, direct-debit export and the expiry and settlement jobs (docs/bank-transfers.md).</summary>
    public static IServiceCollection AddPaymentGatewayBankTransfers(this IServiceCollection services)
    {
        services.AddSingleton<BankStatementService>();
        services.AddSingleton<MandateService>();
        services.AddSingleton<DirectDebitExportService>();
        services.AddSingleton<BankTransferExpiryService>();
        services.AddHostedService(sp => sp.GetRequiredService<BankTransferExpiryService>());
        services.AddOptions<GatewayOptions>()
            .Validate(o => o.BankTransfers.SettlementInterval > TimeSpan.Zero, "PaymentGateway:BankTransfers:SettlementInterval must be positive.")
            .Validate(o => o.BankTransfers.SettlementBusinessDays is >= 0 and <= 60, "PaymentGateway:BankTransfers:SettlementBusinessDays must be between 0 and 60.");
        services.AddSingleton<DirectDebitSettlementService>();
        services.AddHostedService(sp => sp.GetRequiredService<DirectDebitSettlementService>());
        return services;
    }
}
