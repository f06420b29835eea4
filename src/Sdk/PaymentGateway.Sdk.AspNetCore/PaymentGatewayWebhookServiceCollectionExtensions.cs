using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PaymentGateway.Sdk.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what <c>MapPaymentGatewayWebhooks</c> needs to verify incoming webhooks.</summary>
public static class PaymentGatewayWebhookServiceCollectionExtensions
{
    /// <summary>
    /// Registers webhook verification configured in code, for example
    /// <c>services.AddPaymentGatewayWebhooks(o => o.Secrets = ["whsec_…"])</c>. The options are validated when the host
    /// starts (<c>ValidateOnStart</c>): no secret, or one that is not <c>whsec_</c> + base64, fails the application at start.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddPaymentGatewayWebhooks(this IServiceCollection services, Action<PaymentGatewayWebhookOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PaymentGatewayWebhookOptions>().Configure(configure);
        return AddCore(services);
    }

    /// <summary>
    /// Registers webhook verification bound to a configuration section, for example
    /// <c>builder.Configuration.GetSection("PaymentGatewayWebhooks")</c> with keys <c>Secrets</c> (an array),
    /// <c>Tolerance</c> and <c>MaxBodySize</c>. Validated when the host starts; a reloaded section takes effect on the next webhook.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddPaymentGatewayWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PaymentGatewayWebhookOptions>().Bind(configuration);
        return AddCore(services);
    }

    private static IServiceCollection AddCore(IServiceCollection services)
    {
        services.AddOptions<PaymentGatewayWebhookOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PaymentGatewayWebhookOptions>, PaymentGatewayWebhookOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookVerifierSource>();
        return services;
    }
}
