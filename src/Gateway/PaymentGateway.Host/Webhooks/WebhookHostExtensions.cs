using Microsoft.Extensions.Options;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Host.Webhooks;

public static class WebhookHostExtensions
{
    /// <summary>Webhook endpoints, the SSRF guard, the HTTP sender and the background dispatcher.</summary>
    public static IServiceCollection AddPaymentGatewayWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.LeaseDuration > o.AttemptTimeout, "PaymentGateway:Webhooks:LeaseDuration must exceed AttemptTimeout.")
            .Validate(o => o.RetrySchedule is null || o.RetrySchedule.All(d => d >= TimeSpan.Zero), "PaymentGateway:Webhooks:RetrySchedule delays must not be negative.")
            .ValidateOnStart();
        services.AddSingleton<IWebhookHostResolver, DnsWebhookHostResolver>();
        services.AddSingleton(sp => new WebhookUrlGuard(sp.GetRequiredService<IWebhookHostResolver>(),
            sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks));
        services.AddSingleton<IWebhookSender, HttpWebhookSender>();
        services.AddSingleton<WebhookEndpointService>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<WebhookDispatcherService>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcherService>());
        return services;
    }
}
