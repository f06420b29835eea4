using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Adyen;

/// <summary>
/// How to talk to Adyen Checkout v71: the account's <c>base_url</c>, else the test endpoint for a test account and the
/// account's own live endpoint (<c>https://{live_url_prefix}-checkout-live.adyenpayments.com/checkout/v71</c>) for a live
/// one, <c>X-API-Key</c>,
/// <c>Idempotency-Key</c> of at most 64 characters (<see cref="AdyenTransformers.IdempotencyKey"/>), and Adyen's
/// <c>ServiceError</c>. Retried with the same key: 429 and 5xx; never a 4xx (Adyen answers a refusal with 200 and a
/// <c>resultCode</c>).
/// </summary>
public sealed class AdyenTransport()
    : ProviderHttpTransport(AdyenProvider.ProviderId, "Adyen", "https://checkout-test.adyen.com/v71", liveBaseUrl: null, ProviderHttpAuth.InHeader("X-API-Key", "api_key"))
{
    /// <inheritdoc />
    /// <remarks>Adyen gives each company its own live prefix (Customer Area → Developers → API URLs); the account's <c>live_url_prefix</c>.</remarks>
    public override string LiveBaseUrl(ProviderAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var prefix = account.Setting(AdyenProvider.LiveUrlPrefixSetting)
            ?? throw new InvalidOperationException($"Live Adyen account {account.Id} has no setting '{AdyenProvider.LiveUrlPrefixSetting}'.");
        return $"https://{prefix}-checkout-live.adyenpayments.com/checkout/v71";
    }

    /// <inheritdoc />
    public override string IdempotencyKey(string key) => AdyenTransformers.IdempotencyKey(key);

    /// <inheritdoc />
    public override ProviderErrorReading ReadError(int statusCode, JsonElement body, string? reference)
    {
        var error = AdyenTransformers.ParseError(body);
        return new ProviderErrorReading
        {
            Summary = $"{error?.ErrorType ?? "unknown"}/{error?.ErrorCode ?? "-"}",
            Documented = AdyenTransformers.DocumentedDisposition(error),
            Declined = AdyenTransformers.DeclinedFromError(error, reference),
        };
    }

    /// <inheritdoc />
    public override string? RawStatus(JsonElement body) => body.String("resultCode") ?? body.String("status");
}
