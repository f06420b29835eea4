using System.Text.Json;

namespace PaymentGateway.Providers.Http;

/// <summary>
/// An HTTP adapter's description of its provider's API, and all the adapter says about HTTP: its id and name, where to
/// send (the account's <c>base_url</c>, else the provider's live or test endpoint by the account's mode), how to
/// authenticate, which headers every request carries (an API version), which header carries the idempotency key, which
/// statuses are worth repeating, and how to read an error answer. <see cref="ProviderHttpClient{TTransport}"/>
/// does the rest (building, sending, retries, timeouts, the attempt ledger, logging and the outcome of an error) the
/// same way for every provider. Hyperswitch's <c>ConnectorCommon</c> plays this part there.
/// </summary>
/// <param name="providerId">The provider id, lower case (<c>stripe</c>); names the HTTP client and its pipeline.</param>
/// <param name="displayName">The provider's name for messages and logs (<c>Checkout.com</c>).</param>
/// <param name="testBaseUrl">The API root of the provider's test (sandbox) environment.</param>
/// <param name="liveBaseUrl">The API root of the provider's live environment (null when it is per account: <see cref="LiveBaseUrl"/>).</param>
/// <param name="auth">How the account's API secret is sent.</param>
public abstract class ProviderHttpTransport(string providerId, string displayName, string testBaseUrl, string? liveBaseUrl, ProviderHttpAuth auth)
{
    /// <summary>The provider id, lower case (<c>stripe</c>); names the HTTP client and its pipeline.</summary>
    public string ProviderId { get; } = providerId;

    /// <summary>The provider's name for messages and logs (<c>Checkout.com</c>).</summary>
    public string DisplayName { get; } = displayName;

    /// <summary>The API root of the provider's test (sandbox) environment.</summary>
    public string TestBaseUrl { get; } = testBaseUrl;

    /// <summary>How the account's API secret is sent.</summary>
    public ProviderHttpAuth Auth { get; } = auth;

    /// <summary>
    /// Where an account's calls go: its <c>base_url</c> setting when it has one (a proxy, or a test double), else
    /// <see cref="LiveBaseUrl"/> for a live account and <see cref="TestBaseUrlFor"/> for a test one. No trailing slash.
    /// </summary>
    public string BaseUrl(ProviderAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return (account.Setting("base_url") ?? (account.Livemode ? LiveBaseUrl(account) : TestBaseUrlFor(account))).TrimEnd('/');
    }

    /// <summary>The test API root for <paramref name="account"/>: <see cref="TestBaseUrl"/> unless the provider gives each merchant its own.</summary>
    public virtual string TestBaseUrlFor(ProviderAccount account) => TestBaseUrl;

    /// <summary>
    /// The live API root for <paramref name="account"/>: the provider's one live endpoint, unless the provider gives each
    /// merchant its own (Adyen's <c>{prefix}-checkout-live</c>), which the adapter builds from the account's settings.
    /// </summary>
    public virtual string LiveBaseUrl(ProviderAccount account) =>
        liveBaseUrl ?? throw new InvalidOperationException($"{DisplayName} has no live endpoint of its own; the adapter must build it from the account.");

    /// <summary>Adds what every request to the provider carries besides credentials and the idempotency key (Stripe's pinned <c>Stripe-Version</c>).</summary>
    public virtual void AddHeaders(HttpRequestMessage request)
    {
    }

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
    /// True when an attempt answered with <paramref name="statusCode"/> is the provider's refusal of the request, judged
    /// by the status alone (the attempt ledger sees no body): what <see cref="ProviderErrorPolicy"/> and the provider's
    /// documented meaning of the status make of it. Every other answer (5xx, 409, …) may have been processed.
    /// </summary>
    public bool IsRefusalStatus(int statusCode) =>
        statusCode >= 400
        && ProviderErrorPolicy.ForAnswer(statusCode, ReadError(statusCode, default, null).Documented, mayHaveProcessed: false) == ProviderErrorDisposition.Declined;
}
