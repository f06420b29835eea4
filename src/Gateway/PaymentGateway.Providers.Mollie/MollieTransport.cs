using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Mollie;

/// <summary>
/// How to talk to Mollie's API v2: the account's <c>base_url</c> (default <c>https://api.mollie.com</c>; test or live
/// is chosen by the key, whose mode account validation matches to the account's), Bearer <c>api_key</c>,
/// <c>Idempotency-Key</c> on every POST, and its
/// <c>application/hal+json</c> error body. Retried with the same key: 429 and 5xx; never another 4xx (Mollie reports a
/// failed card payment as a payment with <c>status: failed</c>, not as an error).
/// </summary>
public sealed class MollieTransport()
    : ProviderHttpTransport(MollieProvider.ProviderId, "Mollie", "https://api.mollie.com", "https://api.mollie.com", ProviderHttpAuth.Bearer("api_key"))
{
    /// <inheritdoc />
    public override ProviderErrorReading ReadError(int statusCode, JsonElement body, string? reference)
    {
        var error = MollieTransformers.ParseError(body);
        return new ProviderErrorReading
        {
            Summary = (error?.Title ?? "unknown") + (error?.Field is { } field ? $" ({field})" : string.Empty),
            Documented = MollieTransformers.DocumentedDisposition(statusCode),
            Declined = MollieTransformers.DeclinedFromError(statusCode, error, reference),
        };
    }
}
