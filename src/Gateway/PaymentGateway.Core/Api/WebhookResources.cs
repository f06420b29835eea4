using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Core.Api;

/// <summary>A webhook endpoint. <see cref="Secret"/> is present only in the responses that create or rotate it.</summary>
public sealed record WebhookEndpointResource
{
    public required string Id { get; init; }
    public string Object => "webhook_endpoint";
    public required bool Livemode { get; init; }
    public required string Url { get; init; }
    public string? Description { get; init; }
    public required IReadOnlyList<string> EnabledEvents { get; init; }

    /// <summary><c>enabled</c> or <c>disabled</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Why the endpoint was disabled (by the merchant, on 410 Gone, or after a long failure streak).</summary>
    public string? DisabledReason { get; init; }

    public DateTimeOffset? DisabledAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Secret { get; init; }

    /// <summary>During a rotation overlap: when the previous secret stops signing.</summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }

    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; init; }
}

/// <summary>One event's delivery to one endpoint, with its attempts when retrieved per event or endpoint.</summary>
public sealed record WebhookDeliveryResource
{
    public required string Id { get; init; }
    public string Object => "webhook_delivery";
    public required bool Livemode { get; init; }
    public required string Event { get; init; }
    public required string EventType { get; init; }
    public required string WebhookEndpoint { get; init; }

    /// <summary><c>pending</c>, <c>succeeded</c>, <c>failed</c> or <c>canceled</c>.</summary>
    public required string Status { get; init; }

    public required int AttemptCount { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public int? LastResponseStatus { get; init; }
    public string? LastError { get; init; }
    public IReadOnlyList<WebhookAttemptResource>? Attempts { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; init; }
}

public sealed record WebhookAttemptResource
{
    public required string Id { get; init; }
    public required int Number { get; init; }
    public required bool Succeeded { get; init; }
    public int? ResponseStatus { get; init; }
    public string? Error { get; init; }
    public string? ResponseSnippet { get; init; }
    public required int DurationMs { get; init; }
    public required DateTimeOffset Created { get; init; }
}

public sealed record DeletedResource
{
    public required string Id { get; init; }
    public required string Object { get; init; }
    public bool Deleted => true;
}

public sealed record CreateWebhookEndpointRequest
{
    [Required]
    public string? Url { get; init; }

    /// <summary>Event types to send, or <c>["*"]</c> for all.</summary>
    [Required]
    public List<string>? EnabledEvents { get; init; }

    public string? Description { get; init; }
}

public sealed record UpdateWebhookEndpointRequest
{
    public string? Url { get; init; }
    public List<string>? EnabledEvents { get; init; }
    public string? Description { get; init; }

    /// <summary><c>true</c> disables the endpoint; <c>false</c> enables it again.</summary>
    public bool? Disabled { get; init; }
}

public sealed record RotateWebhookSecretRequest
{
    /// <summary>How long the current secret keeps signing beside the new one (default 24 h, at most 7 days; 0 ends it now).</summary>
    public long? OverlapSeconds { get; init; }
}

public sealed record RedeliverEventRequest
{
    /// <summary>Only this endpoint; by default every enabled endpoint that receives the event's type.</summary>
    public string? WebhookEndpoint { get; init; }
}

public static class WebhookResourceMapper
{
    public static WebhookEndpointResource ToResource(this WebhookEndpoint e, DateTimeOffset now, string? secret = null) => new()
    {
        Id = e.Id,
        Livemode = e.Livemode,
        Url = e.Url,
        Description = e.Description,
        EnabledEvents = e.EnabledEvents,
        Status = e.Status.ToWire(),
        DisabledReason = e.DisabledReason,
        DisabledAt = e.DisabledAt,
        Secret = secret,
        PreviousSecretExpiresAt = e.ActiveSecrets(now).Skip(1).Select(s => s.ExpiresAt).Max(),
        Created = e.Created,
        Updated = e.Updated,
    };

    public static WebhookDeliveryResource ToResource(this WebhookDelivery d, IReadOnlyList<WebhookDeliveryAttempt>? attempts = null) => new()
    {
        Id = d.Id,
        Livemode = d.Livemode,
        Event = d.EventId,
        EventType = d.EventType,
        WebhookEndpoint = d.EndpointId,
        Status = d.Status.ToWire(),
        AttemptCount = d.AttemptCount,
        NextAttemptAt = d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null,
        LastAttemptAt = d.LastAttemptAt,
        LastResponseStatus = d.LastResponseStatus,
        LastError = d.LastError,
        Attempts = attempts?.Select(a => new WebhookAttemptResource
        {
            Id = a.Id,
            Number = a.Number,
            Succeeded = a.Succeeded,
            ResponseStatus = a.ResponseStatus,
            Error = a.Error,
            ResponseSnippet = a.ResponseSnippet,
            DurationMs = a.DurationMs,
            Created = a.StartedAt,
        }).ToList(),
        Created = d.Created,
        Updated = d.Updated,
    };
}
