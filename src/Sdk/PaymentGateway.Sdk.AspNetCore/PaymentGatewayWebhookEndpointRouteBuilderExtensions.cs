using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Sdk;
using PaymentGateway.Sdk.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps an endpoint that receives the gateway's webhooks.</summary>
public static class PaymentGatewayWebhookEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c> to receive the gateway's webhooks: reads the raw body (at most
    /// <see cref="PaymentGatewayWebhookOptions.MaxBodySize"/>, else <c>413</c>), verifies the Standard Webhooks
    /// signature against the configured secrets and the timestamp against the tolerance (else <c>400</c>, and
    /// <paramref name="handler"/> does not run), reads the body as an <see cref="Event"/>, and runs
    /// <paramref name="handler"/>: <c>204</c> when it completes, <c>500</c> when it throws (so the gateway retries).
    /// </summary>
    /// <param name="endpoints">The route builder, for example the <c>WebApplication</c>.</param>
    /// <param name="pattern">The route, for example <c>/webhooks/payment-gateway</c>.</param>
    /// <param name="handler">
    /// Handles one verified event. The same event can arrive more than once (retries, redeliveries): make the handler
    /// idempotent on <see cref="Event.Id"/>, which is the <c>webhook-id</c>.
    /// </param>
    /// <returns>The endpoint's convention builder, for example to add authorization policies or a host restriction.</returns>
    /// <remarks>Requires <c>services.AddPaymentGatewayWebhooks(...)</c>.</remarks>
    public static IEndpointConventionBuilder MapPaymentGatewayWebhooks(
        this IEndpointRouteBuilder endpoints, string pattern, Func<Event, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return endpoints.MapPaymentGatewayWebhooks(pattern, (evt, _, ct) => handler(evt, ct));
    }

    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c> to receive the gateway's webhooks, with a handler that also gets the
    /// <see cref="HttpContext"/> (for scoped services through <see cref="HttpContext.RequestServices"/>, or the raw
    /// body, which is rewound before the handler runs). Otherwise as
    /// <see cref="MapPaymentGatewayWebhooks(IEndpointRouteBuilder, string, Func{Event, CancellationToken, Task})"/>.
    /// </summary>
    /// <param name="endpoints">The route builder, for example the <c>WebApplication</c>.</param>
    /// <param name="pattern">The route, for example <c>/webhooks/payment-gateway</c>.</param>
    /// <param name="handler">
    /// Handles one verified event. It may set its own <c>2xx</c> status; a status of <c>300</c> or more makes the
    /// gateway retry. Make it idempotent on <see cref="Event.Id"/> (the <c>webhook-id</c>).
    /// </param>
    /// <returns>The endpoint's convention builder.</returns>
    /// <remarks>Requires <c>services.AddPaymentGatewayWebhooks(...)</c>.</remarks>
    public static IEndpointConventionBuilder MapPaymentGatewayWebhooks(
        this IEndpointRouteBuilder endpoints, string pattern, Func<Event, HttpContext, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentNullException.ThrowIfNull(handler);
        if (endpoints.ServiceProvider.GetService<WebhookVerifierSource>() is null)
        {
            throw new InvalidOperationException(
                "MapPaymentGatewayWebhooks needs services.AddPaymentGatewayWebhooks(...) to configure the webhook secrets.");
        }

        return endpoints.MapPost(pattern, context => WebhookReceiver.ReceiveAsync(context, handler))
            .WithDisplayName($"PaymentGateway webhooks {pattern}");
    }
}
