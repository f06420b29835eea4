using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// Webhooks out. Events already carry the outbox (every commit writes its events); these methods fan events out to
/// endpoints, let any number of dispatchers claim due deliveries under a per-delivery lease, and record attempts.
/// </summary>
public interface IWebhookStore
{
    /// <summary>Creates the endpoint with <paramref name="audit"/> (the entry recording it, if any) in the same transaction.</summary>
    Task CreateWebhookEndpointAsync(WebhookEndpoint endpoint, AuditRecord? audit, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="endpoint"/> if the stored version still equals its <see cref="WebhookEndpoint.Version"/>
    /// (else <see cref="ConcurrencyConflictException"/>), with <paramref name="event"/> in the same transaction. A
    /// re-enabled endpoint starts a new failure streak. <paramref name="audit"/>, if any, is appended in the same
    /// transaction (null when the dispatcher disables a failing endpoint: the event records that).
    /// </summary>
    Task UpdateWebhookEndpointAsync(WebhookEndpoint endpoint, GatewayEvent? @event, AuditRecord? audit, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the endpoint and cancels its pending deliveries, with <paramref name="audit"/> in the same transaction.
    /// False when there was no such endpoint (and nothing is written).
    /// </summary>
    Task<bool> DeleteWebhookEndpointAsync(string merchantId, bool livemode, string id, DateTimeOffset now, AuditRecord? audit, CancellationToken cancellationToken);

    Task<WebhookEndpoint?> GetWebhookEndpointAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<WebhookEndpoint>> ListWebhookEndpointsAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="limit"/> events not yet fanned out and, in one transaction, creates a pending delivery
    /// (due at <paramref name="now"/>) for every enabled endpoint of the event's merchant and mode that accepts its type
    /// and existed when the event happened, then marks the events done. Returns how many events it took.
    /// </summary>
    Task<int> FanOutWebhookEventsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Claims due deliveries (pending, due, lease free or expired) for <see cref="WebhookClaimRequest.Holder"/> until
    /// <c>Now + LeaseDuration</c>; a delivery is held by one claimer at a time. Deliveries whose endpoint is gone or
    /// disabled are canceled instead of returned.
    /// </summary>
    Task<IReadOnlyList<ClaimedWebhookDelivery>> ClaimWebhookDeliveriesAsync(WebhookClaimRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Records an attempt, updates the endpoint's failure streak and, if the claimer still holds the lease, moves the
    /// delivery to its new state and frees it.
    /// </summary>
    Task<WebhookAttemptOutcome> CompleteWebhookAttemptAsync(WebhookAttemptCompletion completion, CancellationToken cancellationToken);

    Task<WebhookDelivery?> GetWebhookDeliveryAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<WebhookDelivery>> ListWebhookDeliveriesAsync(string merchantId, bool livemode, WebhookDeliveryListQuery query, CancellationToken cancellationToken);

    /// <summary>Attempts of one delivery, oldest first.</summary>
    Task<IReadOnlyList<WebhookDeliveryAttempt>> ListWebhookAttemptsAsync(string merchantId, bool livemode, string deliveryId, CancellationToken cancellationToken);

    /// <summary>
    /// Queues the event again, due now, for the given endpoint or for every enabled endpoint that accepts it, creating
    /// deliveries that did not exist and restarting the retry schedule of those that did. Returns the queued deliveries.
    /// </summary>
    Task<IReadOnlyList<WebhookDelivery>> RedeliverWebhookEventAsync(WebhookRedeliveryRequest request, CancellationToken cancellationToken);
}

public sealed record WebhookClaimRequest
{
    public required string Holder { get; init; }
    public required DateTimeOffset Now { get; init; }
    public required TimeSpan LeaseDuration { get; init; }
    public int Limit { get; init; } = 32;
}

/// <summary>A claimed delivery with what sending it needs.</summary>
public sealed record ClaimedWebhookDelivery
{
    public required WebhookDelivery Delivery { get; init; }
    public required GatewayEvent Event { get; init; }
    public required WebhookEndpoint Endpoint { get; init; }
}

public sealed record WebhookAttemptCompletion
{
    public required string Holder { get; init; }
    public required WebhookDeliveryAttempt Attempt { get; init; }

    /// <summary>The delivery's state after this attempt.</summary>
    public required WebhookDeliveryStatus Status { get; init; }

    /// <summary>When <see cref="Status"/> is pending: the next attempt.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
}

public sealed record WebhookAttemptOutcome
{
    /// <summary>False when the lease had expired and someone else took the delivery over; the attempt is still logged.</summary>
    public required bool LeaseHeld { get; init; }

    public required int FailureStreak { get; init; }

    public DateTimeOffset? FailingSince { get; init; }
}

public sealed record WebhookDeliveryListQuery : ListQuery
{
    public string? EventId { get; init; }
    public string? EndpointId { get; init; }
    public WebhookDeliveryStatus? Status { get; init; }
}

public sealed record WebhookRedeliveryRequest
{
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public required string EventId { get; init; }
    public string? EndpointId { get; init; }
    public required DateTimeOffset Now { get; init; }
}
