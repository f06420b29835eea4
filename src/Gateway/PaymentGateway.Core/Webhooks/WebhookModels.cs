using System.Text.Json.Serialization;

namespace PaymentGateway.Core.Webhooks;

/// <summary>Id prefixes for webhook objects (endpoints use <see cref="Ids.WebhookEndpoint"/>).</summary>
public static class WebhookIds
{
    public const string Delivery = "wd";
    public const string Attempt = "wa";
    public const string Secret = "wsk";
}

public enum WebhookEndpointStatus
{
    Enabled,
    Disabled,
}

/// <summary>A merchant's webhook endpoint. Signing secrets are kept only encrypted by the vault.</summary>
public sealed class WebhookEndpoint
{
    public const string AllEvents = "*";

    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public required string Url { get; set; }
    public string? Description { get; set; }

    /// <summary>Event types this endpoint receives; <c>*</c> means all (see <see cref="WebhookFanOut.Accepts"/>).</summary>
    public required List<string> EnabledEvents { get; set; }

    public WebhookEndpointStatus Status { get; set; } = WebhookEndpointStatus.Enabled;
    public string? DisabledReason { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>The current secret first; older ones stay until their <see cref="WebhookSecret.ExpiresAt"/> (rotation overlap).</summary>
    public required List<WebhookSecret> Secrets { get; set; }

    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; set; }

    /// <summary>Optimistic-concurrency version; kept by the store, not in the JSON.</summary>
    [JsonIgnore]
    public long Version { get; set; }

    /// <summary>Consecutive failed attempts (kept by the store beside the row, not in the JSON).</summary>
    [JsonIgnore]
    public int FailureStreak { get; set; }

    /// <summary>When the current failure streak began.</summary>
    [JsonIgnore]
    public DateTimeOffset? FailingSince { get; set; }

    /// <summary>The secrets that still sign at <paramref name="now"/>, current first.</summary>
    public IEnumerable<WebhookSecret> ActiveSecrets(DateTimeOffset now) => Secrets.Where(s => s.ExpiresAt is null || s.ExpiresAt > now);
}

/// <summary>One signing secret: <see cref="Encrypted"/> is the vault ciphertext of the <c>whsec_…</c> string, bound to <see cref="VaultRecordId"/>.</summary>
public sealed class WebhookSecret
{
    public required string Id { get; init; }
    public required string Encrypted { get; init; }
    public required DateTimeOffset Created { get; init; }
    public DateTimeOffset? ExpiresAt { get; set; }

    public static string VaultRecordId(string endpointId, string secretId) => endpointId + "/" + secretId;
}

public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its next attempt.</summary>
    Pending,
    /// <summary>The endpoint answered 2xx.</summary>
    Succeeded,
    /// <summary>Retries exhausted, or the endpoint answered 410.</summary>
    Failed,
    /// <summary>The endpoint was disabled or deleted before delivery.</summary>
    Canceled,
}

/// <summary>One event for one endpoint. Its id is internal; the <c>webhook-id</c> header is the event id.</summary>
public sealed record WebhookDelivery
{
    public required string Id { get; init; }
    public required string EventId { get; init; }
    public required string EndpointId { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public required string EventType { get; init; }
    public required WebhookDeliveryStatus Status { get; init; }

    /// <summary>Attempts made so far, over the delivery's whole life (manual redeliveries included).</summary>
    public required int AttemptCount { get; init; }

    /// <summary>Failed attempts since the delivery was last queued; indexes the retry schedule.</summary>
    public required int RetryCount { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public int? LastResponseStatus { get; init; }
    public string? LastError { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; init; }
}

/// <summary>One HTTP attempt of a delivery: the log a merchant reads to debug failures.</summary>
public sealed record WebhookDeliveryAttempt
{
    public required string Id { get; init; }
    public required string DeliveryId { get; init; }
    public required string EventId { get; init; }
    public required string EndpointId { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public required int Number { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required int DurationMs { get; init; }
    public int? ResponseStatus { get; init; }
    public string? Error { get; init; }

    /// <summary>The start of the response body (at most 256 characters); never our own headers or secrets.</summary>
    public string? ResponseSnippet { get; init; }

    public required bool Succeeded { get; init; }
}

public static class WebhookWire
{
    public static string ToWire(this WebhookEndpointStatus status) => status switch
    {
        WebhookEndpointStatus.Enabled => "enabled",
        _ => "disabled",
    };

    public static string ToWire(this WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Pending => "pending",
        WebhookDeliveryStatus.Succeeded => "succeeded",
        WebhookDeliveryStatus.Failed => "failed",
        _ => "canceled",
    };

    public static WebhookDeliveryStatus? ParseDeliveryStatus(string value) => value switch
    {
        "pending" => WebhookDeliveryStatus.Pending,
        "succeeded" => WebhookDeliveryStatus.Succeeded,
        "failed" => WebhookDeliveryStatus.Failed,
        "canceled" => WebhookDeliveryStatus.Canceled,
        _ => null,
    };
}
