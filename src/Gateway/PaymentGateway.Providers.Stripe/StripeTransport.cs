using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Stripe;

/// <summary>
/// How to talk to Stripe: the account's <c>base_url</c> (default <c>https://api.stripe.com</c> for live and test alike:
/// the key's mode decides), Bearer <c>api_key</c>, the pinned <c>Stripe-Version</c> on every request, <c>Idempotency-Key</c>,
/// and Stripe's error object (<see cref="StripeErrorTransformers"/>). Retried with the same key: 409 (the first request
/// with this key is still running), 429 and 5xx; never 400, 401, 402 (declined), 403, 404.
/// </summary>
public sealed class StripeTransport()
    : ProviderHttpTransport(StripeProvider.ProviderId, "Stripe", "https://api.stripe.com", "https://api.stripe.com", ProviderHttpAuth.Bearer("api_key"))
{
    /// <summary>
    /// The Stripe API version every request is pinned to, so answers have the shapes the transformers read whatever the
    /// account's default version is (<c>latest_charge</c>, no expanded <c>charges</c>/<c>refunds</c> lists). Webhook
    /// endpoints must be created with the same version (docs/providers.md).
    /// </summary>
    public const string ApiVersion = "2025-09-30.clover";

    /// <inheritdoc />
    public override void AddHeaders(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.TryAddWithoutValidation("Stripe-Version", ApiVersion);
    }

    /// <inheritdoc />
    public override bool IsRetryableStatus(int statusCode) => statusCode == 409 || base.IsRetryableStatus(statusCode);

    /// <inheritdoc />
    public override ProviderErrorReading ReadError(int statusCode, JsonElement body, string? reference)
    {
        var error = StripeErrorTransformers.ParseError(body);
        return new ProviderErrorReading
        {
            Summary = $"{error?.Type ?? "unknown_error"}{(error?.Code is { } code ? "/" + code : string.Empty)}",
            Documented = StripeErrorTransformers.DocumentedDisposition(statusCode, error),
            Declined = StripeErrorTransformers.DeclinedFromError(statusCode, error, reference),
        };
    }
}
