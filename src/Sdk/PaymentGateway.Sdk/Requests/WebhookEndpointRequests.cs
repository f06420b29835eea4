namespace PaymentGateway.Sdk;

/// <summary>The body of <c>POST /v1/webhook_endpoints</c>.</summary>
public sealed record CreateWebhookEndpointRequest
{
    /// <summary>
    /// The <c>https://</c> (or <c>http://</c>) URL to POST events to. It must resolve to a public address unless the
    /// gateway allows private networks (development).
    /// </summary>
    public required string Url { get; init; }

    /// <summary>The event types to send, for example <see cref="EventType.PaymentSucceeded"/>, or <c>[EventType.All]</c> for every type.</summary>
    public required IReadOnlyList<EventType> EnabledEvents { get; init; }

    /// <summary>A description for your own reference.</summary>
    public string? Description { get; init; }
}

/// <summary>The body of <c>POST /v1/webhook_endpoints/{id}</c>: only the fields that are set change.</summary>
public sealed record UpdateWebhookEndpointRequest
{
    /// <summary>A new URL.</summary>
    public string? Url { get; init; }

    /// <summary>A new list of event types (replaces the old one).</summary>
    public IReadOnlyList<EventType>? EnabledEvents { get; init; }

    /// <summary>A new description.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// <see langword="true"/> disables the endpoint (nothing is sent, pending deliveries are canceled);
    /// <see langword="false"/> enables it again (what was canceled is not resent: use <see cref="EventsOperations.RedeliverAsync"/>).
    /// </summary>
    public bool? Disabled { get; init; }
}

/// <summary>The body of <c>POST /v1/webhook_endpoints/{id}/rotate_secret</c>.</summary>
public sealed record RotateWebhookSecretRequest
{
    /// <summary>
    /// How many seconds the current secret keeps signing beside the new one, so receivers can switch without
    /// rejecting webhooks: default 86400 (24 hours), at most 604800 (7 days); 0 stops it at once.
    /// </summary>
    public long? OverlapSeconds { get; init; }
}

/// <summary>Cursors of <c>GET /v1/webhook_endpoints</c>.</summary>
public sealed record ListWebhookEndpointsRequest
{
    /// <summary>How many endpoints per page, 1–100.</summary>
    public int? Limit { get; init; }

    /// <summary>An endpoint id: list the endpoints after it (older ones).</summary>
    public string? StartingAfter { get; init; }

    /// <summary>An endpoint id: list the endpoints before it (newer ones).</summary>
    public string? EndingBefore { get; init; }
}

/// <summary>Filters and cursors of the delivery logs (<c>GET /v1/webhook_endpoints/{id}/deliveries</c>, <c>GET /v1/events/{id}/deliveries</c>).</summary>
public sealed record ListWebhookDeliveriesRequest
{
    /// <summary>Only deliveries with this status, for example <see cref="WebhookDeliveryStatus.Failed"/>.</summary>
    public WebhookDeliveryStatus? Status { get; init; }

    /// <summary>How many deliveries per page, 1–100.</summary>
    public int? Limit { get; init; }

    /// <summary>A delivery id: list the deliveries after it (older ones).</summary>
    public string? StartingAfter { get; init; }

    /// <summary>A delivery id: list the deliveries before it (newer ones).</summary>
    public string? EndingBefore { get; init; }
}

/// <summary>The body of <c>POST /v1/events/{id}/redeliver</c>.</summary>
public sealed record RedeliverEventRequest
{
    /// <summary>Only this endpoint (<c>we_…</c>); by default every enabled endpoint that receives the event's type.</summary>
    public string? WebhookEndpoint { get; init; }
}
