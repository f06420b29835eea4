using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PaymentGateway.Sdk;
using PaymentGateway.Sdk.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="PaymentGatewayClient"/> with dependency injection.</summary>
public static class PaymentGatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="PaymentGatewayClient"/> configured in code. The options are validated when the
    /// host starts (<c>ValidateOnStart</c>), so a missing API key fails the application at start, not at the first payment.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder of the named <see cref="HttpClient"/> behind the client, to add handlers (for example logging).</returns>
    public static IHttpClientBuilder AddPaymentGatewayClient(this IServiceCollection services, Action<PaymentGatewayClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PaymentGatewayClientOptions>().Configure(configure);
        return AddCore(services);
    }

    /// <summary>
    /// Registers a singleton <see cref="PaymentGatewayClient"/> bound to a configuration section, for example
    /// <c>builder.Configuration.GetSection("PaymentGateway")</c> with keys <c>BaseAddress</c>, <c>ApiKey</c>,
    /// <c>MaxRetries</c>, <c>Timeout</c>, <c>PerTryTimeout</c>. Validated when the host starts.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>The builder of the named <see cref="HttpClient"/> behind the client.</returns>
    public static IHttpClientBuilder AddPaymentGatewayClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PaymentGatewayClientOptions>().Bind(configuration);
        return AddCore(services);
    }

    private static IHttpClientBuilder AddCore(IServiceCollection services)
    {
        services.AddOptions<PaymentGatewayClientOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PaymentGatewayClientOptions>, PaymentGatewayClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        var builder = services.AddHttpClient(PaymentGatewayClient.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(PaymentGatewayClient.CreatePrimaryHandler);
        builder.AddResilienceHandler(PaymentGatewayResilience.PipelineName, (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<PaymentGatewayClientOptions>>().Value;
                var timeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
                PaymentGatewayResilience.Configure(pipeline, options, timeProvider);
            });

        // One long-lived client; its pooled connections are recycled by the primary handler, not by the factory.
        services.TryAddSingleton(sp => new PaymentGatewayClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(PaymentGatewayClient.HttpClientName),
            sp.GetRequiredService<IOptions<PaymentGatewayClientOptions>>().Value));
        return builder;
    }
}

/// <summary>Validates <see cref="PaymentGatewayClientOptions"/> for the options system (and so for <c>ValidateOnStart</c>).</summary>
internal sealed class PaymentGatewayClientOptionsValidator : IValidateOptions<PaymentGatewayClientOptions>
{
    public ValidateOptionsResult Validate(string? name, PaymentGatewayClientOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
