using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Adyen;

/// <summary>
/// How to talk to Adyen Checkout v71: the account's <c>base_url</c> (default the test endpoint), <c>X-API-Key</c>,
/// <c>Idempotency-Key</c> of at most 64 characters (<see cref="AdyenTransformers.IdempotencyKey"/>), and Adyen's
/// <c>ServiceError</c>. Retried with the same key: 429 and 5xx; never a 4xx (Adyen answers a refusal with 200 and a
/// <c>resultCode</c>).
/// </summary>
public sealed class AdyenTransport : ProviderHttpTransport
{
    /// <inheritdoc />
    public override string ProviderId => AdyenProvider.ProviderId;

    /// <inheritdoc />
    public override string DisplayName => "Adyen";

    /// <inheritdoc />
    public override string DefaultBaseUrl => "https://checkout-test.adyen.com/v71";

    /// <inheritdoc />
    public override string AccountRequirement => "an api_key credential and a merchant_account setting";

    /// <inheritdoc />
    public override void Authenticate(HttpRequestMessage request, ProviderAccount account)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(account);
        request.Headers.TryAddWithoutValidation("X-API-Key", account.Credential("api_key").Reveal());
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
