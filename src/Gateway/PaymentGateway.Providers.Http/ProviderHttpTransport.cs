using System.Text.Json;

namespace PaymentGateway.Providers.Http;

/// <summary>
/// An HTTP adapter's description of its provider's API, and all the adapter says about HTTP: its id and name, where to
/// send (the account's <c>base_url</c> or the default), how to authenticate, which header carries the idempotency key,
/// which statuses are worth repeating, and how to read an error answer. <see cref="ProviderHttpClient{TTransport}"/>
/// does the rest (building, sending, retries, timeouts, the attempt ledger, logging and the outcome of an error) the
/// same way for every provider. Hyperswitch's <c>ConnectorCommon</c> plays this part there.
/// </summary>
/// <param name="providerId">The provider id, lower case (<c>stripe</c>); names the HTTP client and its pipeline.</param>
/// <param name="displayName">The provider's name for messages and logs (<c>Checkout.com</c>).</param>
/// <param name="defaultBaseUrl">The API root used when the account sets no <c>base_url</c>.</param>
/// <param name="auth">How the account's API secret is sent.</param>
public abstract class ProviderHttpTransport(string providerId, string displayName, string defaultBaseUrl, ProviderHttpAuth auth)
{
    /// <summary>The provider id, lower case (<c>stripe</c>); names the HTTP client and its pipeline.</summary>
    public string ProviderId { get; } = providerId;

    /// <summary>The provider's name for messages and logs (<c>Checkout.com</c>).</summary>
    public string DisplayName { get; } = displayName;

    /// <summary>The API root used when the account sets no <c>base_url</c>.</summary>
    public string DefaultBaseUrl { get; } = defaultBaseUrl;

    /// <summary>How the account's API secret is sent.</summary>
    public ProviderHttpAuth Auth { get; } = auth;

    /// <summary>The header that carries the idempotency key; a write without it is never repeated.</summary>
    public virtual string IdempotencyHeader => "Idempotency-Key";

    /// <summary>The name of the HTTP client registered for this provider.</summary>
    public string HttpClientName => "PaymentGateway.Providers." + ProviderId;

    /// <summary>The idempotency key as the provider takes it (Adyen: at most 64 characters); the same on every attempt.</summary>
    public virtual string IdempotencyKey(string key) => key;

    /// <summary>
    /// HTTP statuses worth repeating with the same idempotency key: 429 and 5xx unless the provider documents more
    /// (a 409 for "the first request with this key is still running").
    /// </summary>
    public virtual bool IsRetryableStatus(int statusCode) => statusCode is 429 or >= 500;

    /// <summary>
    /// Reads an error answer (<paramref name="body"/> is <c>default</c> when there was none or it was not JSON): a
    /// summary for messages, what the provider documents this error to mean where that differs from
    /// <see cref="ProviderErrorPolicy.ForStatus"/>, and the declined result to return when the answer is a refusal.
    /// </summary>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="body">The parsed body.</param>
    /// <param name="reference">The provider's reference of the payment the call concerns, when known.</param>
    public abstract ProviderErrorReading ReadError(int statusCode, JsonElement body, string? reference);

    /// <summary>The provider's status of the object in a success answer, for the log line.</summary>
    public virtual string? RawStatus(JsonElement body) => body.String("status");

    /// <summary>
    /// True when an attempt answered with <paramref name="statusCode"/> was certainly not processed, judged by the
    /// status alone (the attempt ledger sees no body): what <see cref="ProviderErrorPolicy"/> and the provider's
    /// documented meaning of the status make of it.
    /// </summary>
    public bool IsNotProcessedStatus(int statusCode) =>
        statusCode >= 400
        && ProviderErrorPolicy.ForAnswer(statusCode, ReadError(statusCode, default, null).Documented, mayHaveProcessed: false) == ProviderErrorDisposition.Unavailable;
}
