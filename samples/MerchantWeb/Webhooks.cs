using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using PaymentGateway.Sdk;
using PaymentGateway.Sdk.Webhooks;

namespace PaymentGateway.Samples.MerchantWeb;

public sealed class WebhookOptions
{
    /// <summary>The endpoint's signing secret (<c>whsec_…</c>), returned once when the endpoint was created.</summary>
    [Required]
    public string Secret { get; set; } = "";
}

/// <summary>Receives the gateway's webhooks and verifies their Standard Webhooks signatures.</summary>
public static class Webhooks
{
    public static IServiceCollection AddWebhookVerifier(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<WebhookOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new WebhookVerifier(sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Secret));
        return services;
    }

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/payment-gateway", ReceiveAsync);
        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, WebhookVerifier verifier, ILoggerFactory loggers)
    {
        // Verify the raw body: parsing and re-serializing JSON would change the signed bytes.
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);

        Event evt;
        try
        {
            evt = verifier.VerifyEvent(
                body,
                request.Headers[WebhookVerifier.IdHeader],
                request.Headers[WebhookVerifier.TimestampHeader],
                request.Headers[WebhookVerifier.SignatureHeader]);
        }
        catch (WebhookVerificationException e)
        {
            loggers.CreateLogger("Webhooks").LogWarning("Rejected webhook: {Reason}", e.Message);
            return TypedResults.BadRequest();
        }

        // Deliveries can repeat: process each webhook-id once (a real shop records it in its database).
        if (evt.Type == EventType.PaymentSucceeded)
        {
            var paymentId = evt.Data.GetProperty("id").GetString();
            loggers.CreateLogger("Webhooks").LogInformation("Payment {PaymentId} succeeded: ship the order", paymentId);
        }

        return TypedResults.NoContent();
    }
}
