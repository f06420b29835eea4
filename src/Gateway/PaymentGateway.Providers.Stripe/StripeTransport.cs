using System.Net.Http.Headers;
using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Stripe;

/// <summary>
/// How to talk to Stripe: the account's <c>base_url</c> (default <c>https://api.stripe.com</c>), Bearer <c>api_key</c>,
/// <c>Idempotency-Key</c>, and Stripe's error object (<see cref="StripeErrorTransformers"/>). Retried with the same key:
/// 409 (the first request with this key is still running), 429 and 5xx; never 400, 401, 402 (declined), 403, 404.
/// </summary>
public sealed class StripeTransport : ProviderHttpTransport
{
    /// <inheritdoc />
    public override string ProviderId => StripeProvider.ProviderId;

    /// <inheritdoc />
    public override string DisplayName => "Stripe";

    /// <inheritdoc />
    public override string DefaultBaseUrl => "https://api.stripe.com";

    /// <inheritdoc />
    public override string AccountRequirement => "an api_key credential";

    /// <inheritdoc />
    public override bool IsRetryableStatus(int statusCode) => statusCode == 409 || base.IsRetryableStatus(statusCode);

    /// <inheritdoc />
    public override void Authenticate(HttpRequestMessage request, ProviderAccount account)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(account);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Credential("api_key").Reveal());
    }

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
