namespace PaymentGateway.Providers;

/// <summary>
/// One merchant's account at a provider: its credentials (decrypted only for the call) and settings. Passed on every
/// request so one adapter instance serves any number of merchants. The simulator needs none.
/// </summary>
public sealed record ProviderAccount
{
    /// <summary>The gateway's id for this account (<c>pa_…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The provider id this account belongs to.</summary>
    public required string ProviderId { get; init; }

    /// <summary>Live or test credentials.</summary>
    public required bool Livemode { get; init; }

    /// <summary>Secrets by name, e.g. <c>api_key</c>, <c>webhook_secret</c>, <c>hmac_key</c>.</summary>
    public IReadOnlyDictionary<string, Secret> Credentials { get; init; } = new Dictionary<string, Secret>();

    /// <summary>Non-secret settings by name, e.g. <c>merchant_account</c>, <c>base_url</c>, <c>processing_channel_id</c>.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The named credential, or an exception naming what is missing (never its value).</summary>
    public Secret Credential(string name) =>
        Credentials.TryGetValue(name, out var value)
            ? value
            : throw new InvalidOperationException($"Provider account {Id} has no credential '{name}'.");

    /// <summary>The named setting, or <paramref name="fallback"/>.</summary>
    public string? Setting(string name, string? fallback = null) => Settings.TryGetValue(name, out var value) ? value : fallback;
}

/// <summary>An inbound webhook from a provider, exactly as received.</summary>
public sealed record ProviderWebhookRequest
{
    /// <summary>The account the webhook URL belongs to (<c>/v1/provider_webhooks/{provider_account_id}</c>).</summary>
    public required ProviderAccount Account { get; init; }

    /// <summary>Request headers (case-insensitive names).</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>The raw body bytes (signatures are computed over these).</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }
}

/// <summary>What a provider's webhook said, normalized. An adapter that must fetch the object to learn its state (thin webhooks) does so before returning.</summary>
public sealed record ProviderNotification
{
    /// <summary>What the notification is about.</summary>
    public required ProviderNotificationKind Kind { get; init; }

    /// <summary>The normalized outcome; an unknown provider status is <see cref="ProviderOutcome.Pending"/>, never success.</summary>
    public required ProviderOutcome Outcome { get; init; }

    /// <summary>The provider's reference for the payment (or refund, for refund notifications).</summary>
    public string? ProviderReference { get; init; }

    /// <summary>The gateway's own id the provider echoes back (payment or refund id), when it does.</summary>
    public string? MerchantReference { get; init; }

    /// <summary>The amount the notification concerns, when stated.</summary>
    public Money? Amount { get; init; }

    /// <summary>A normalized decline code when declined.</summary>
    public string? DeclineCode { get; init; }

    /// <summary>The provider's own event type, for diagnostics.</summary>
    public string? RawEventType { get; init; }

    /// <summary>
    /// The provider's own identity of this event, the same on every redelivery (Stripe's and Checkout.com's event id,
    /// Adyen's <c>pspReference:eventCode:success</c>, Mollie's object id and status), when it has one. The gateway
    /// deduplicates on it; without it, on a hash of the normalized fields.
    /// </summary>
    public string? EventId { get; init; }

    /// <summary>
    /// For a bank transfer collected by the provider (<see cref="IBankTransferProvider"/>): the transfer's state as the
    /// provider reported it; null for every other payment.
    /// </summary>
    public ProviderTransferStatus? BankTransferStatus { get; init; }
}

/// <summary>The kinds of provider notification the gateway acts on.</summary>
public enum ProviderNotificationKind
{
    /// <summary>Authorization (or payment) result.</summary>
    Authorization,
    /// <summary>Capture result.</summary>
    Capture,
    /// <summary>Cancellation / void result.</summary>
    Cancellation,
    /// <summary>Refund result.</summary>
    Refund,
    /// <summary>Anything else (disputes, reports): acknowledged, not acted on.</summary>
    Other,
}

/// <summary>The verified, parsed webhook and the response the provider expects.</summary>
public sealed record ProviderWebhookResult
{
    /// <summary>The notifications in the webhook (Adyen batches several).</summary>
    public required IReadOnlyList<ProviderNotification> Notifications { get; init; }

    /// <summary>The HTTP status to answer with.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>The body the provider expects (Adyen: <c>[accepted]</c>), or null for none.</summary>
    public string? ResponseBody { get; init; }

    /// <summary>The dispute notifications in the webhook (Stripe <c>charge.dispute.*</c>, Adyen chargeback event codes, …); applied like <see cref="Notifications"/>.</summary>
    public IReadOnlyList<DisputeNotification> Disputes { get; init; } = [];
}

/// <summary>Inbound webhook flow: verify with the provider's own scheme, then normalize.</summary>
public interface IWebhookFlow
{
    /// <summary>Verifies and parses a webhook. Throws <see cref="ProviderWebhookRejectedException"/> when it is not authentic.</summary>
    Task<ProviderWebhookResult> HandleWebhookAsync(ProviderWebhookRequest request, CancellationToken cancellationToken);
}

/// <summary>The webhook failed verification (signature, timestamp) or could not be parsed. Answer 400; act on nothing.</summary>
public sealed class ProviderWebhookRejectedException(string providerId, string reason) : Exception(reason)
{
    /// <summary>The provider id.</summary>
    public string ProviderId { get; } = providerId;
}
