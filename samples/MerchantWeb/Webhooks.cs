using System.Collections.Concurrent;
using PaymentGateway.Sdk;

namespace PaymentGateway.Samples.MerchantWeb;

/// <summary>Receives the gateway's webhooks with PaymentGateway.Sdk.AspNetCore, which verifies them before the handler runs.</summary>
public static class Webhooks
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        // Bad signature, stale timestamp or missing headers: 400 and HandleAsync never runs. HandleAsync throws: 500, the gateway retries.
        app.MapPaymentGatewayWebhooks("/webhooks/payment-gateway", HandleAsync);
        return app;
    }

    private static Task HandleAsync(Event evt, HttpContext context, CancellationToken cancellationToken)
    {
        var log = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Webhooks");

        // Deliveries can repeat (retries, redeliveries) with the same webhook-id = evt.Id: process each once.
        // A real shop records the id in its database, in the same transaction as the effect.
        var processed = context.RequestServices.GetRequiredService<ProcessedWebhooks>();
        if (!processed.TryAdd(evt.Id))
        {
            log.LogInformation("Webhook {EventId} already processed", evt.Id);
            return Task.CompletedTask;
        }

        if (evt.Type == EventType.PaymentSucceeded)
        {
            var paymentId = evt.Data.GetProperty("id").GetString();
            log.LogInformation("Payment {PaymentId} succeeded: ship the order", paymentId);
        }

        return Task.CompletedTask;
    }
}

/// <summary>The ids of processed webhooks. In memory for the sample; use a table with a unique key in a real shop.</summary>
public sealed class ProcessedWebhooks
{
    private readonly ConcurrentDictionary<string, byte> _ids = new();

    public bool TryAdd(string eventId) => _ids.TryAdd(eventId, 0);
}
