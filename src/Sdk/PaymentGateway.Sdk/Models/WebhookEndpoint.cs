using System.Text;

namespace PaymentGateway.Sdk;

/// <summary>
/// A webhook endpoint (<c>we_…</c>): where the gateway sends signed events. <see cref="Secret"/> is set only on the
/// object returned by <see cref="WebhookEndpointsOperations.CreateAsync"/> and <see cref="WebhookEndpointsOperations.RotateSecretAsync"/>.
/// </summary>
/// <remarks><see cref="object.ToString"/> hides the secret.</remarks>
public sealed record WebhookEndpoint : PaymentGatewayObject
{
    /// <summary>Unique identifier, prefixed <c>we_</c>.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary>The URL the gateway POSTs events to.</summary>
    public required string Url { get; init; }

    /// <summary>The merchant's description of the endpoint.</summary>
    public string? Description { get; init; }

    /// <summary>The event types sent to this endpoint, or <see cref="EventType.All"/> (<c>*</c>) for every type.</summary>
    public required IReadOnlyList<EventType> EnabledEvents { get; init; }

    /// <summary><see cref="WebhookEndpointStatus.Enabled"/> or <see cref="WebhookEndpointStatus.Disabled"/>.</summary>
    public required WebhookEndpointStatus Status { get; init; }

    /// <summary>Why the endpoint was disabled: by the merchant, on <c>410 Gone</c>, or after a long failure streak.</summary>
    public string? DisabledReason { get; init; }

    /// <summary>When the endpoint was disabled (UTC).</summary>
    public DateTimeOffset? DisabledAt { get; init; }

    /// <summary>
    /// The signing secret (<c>whsec_…</c>), present only in the responses that create or rotate it: store it then,
    /// it cannot be read again.
    /// </summary>
    public string? Secret { get; init; }

    /// <summary>During a rotation overlap: when the previous secret stops signing (UTC).</summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; init; }

    /// <summary>When the endpoint was created (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>When the endpoint last changed (UTC).</summary>
    public required DateTimeOffset Updated { get; init; }

    /// <summary>Prints the members for <see cref="object.ToString"/>, with the secret as <c>***</c>.</summary>
    /// <param name="builder">The builder to append to.</param>
    /// <returns><see langword="true"/>: members were printed.</returns>
    protected override bool PrintMembers(StringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (base.PrintMembers(builder))
        {
            builder.Append(", ");
        }

        builder.Append("Id = ").Append(Id)
            .Append(", Livemode = ").Append(Livemode)
            .Append(", Url = ").Append(Url)
            .Append(", Description = ").Append(Description)
            .Append(", EnabledEvents = [").AppendJoin(", ", EnabledEvents ?? []).Append(']')
            .Append(", Status = ").Append(Status)
            .Append(", DisabledReason = ").Append(DisabledReason)
            .Append(", DisabledAt = ").Append(DisabledAt)
            .Append(", Secret = ").Append(Secret is null ? "null" : "***")
            .Append(", PreviousSecretExpiresAt = ").Append(PreviousSecretExpiresAt)
            .Append(", Created = ").Append(Created)
            .Append(", Updated = ").Append(Updated);
        return true;
    }
}

/// <summary>One event's delivery to one webhook endpoint, with its attempts.</summary>
public sealed record WebhookDelivery : PaymentGatewayObject
{
    /// <summary>Unique identifier of the delivery.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary>The delivered event (<c>evt_…</c>); also the <c>webhook-id</c> header of every attempt.</summary>
    public required string Event { get; init; }

    /// <summary>The type of the delivered event.</summary>
    public required EventType EventType { get; init; }

    /// <summary>The endpoint (<c>we_…</c>) the event is delivered to.</summary>
    public required string WebhookEndpoint { get; init; }

    /// <summary>Pending, succeeded, failed (retries exhausted) or canceled.</summary>
    public required WebhookDeliveryStatus Status { get; init; }

    /// <summary>How many attempts were made, over the delivery's whole life (redeliveries included).</summary>
    public required int AttemptCount { get; init; }

    /// <summary>When the next attempt is due, while <see cref="Status"/> is <see cref="WebhookDeliveryStatus.Pending"/> (UTC).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>When the last attempt was made (UTC).</summary>
    public DateTimeOffset? LastAttemptAt { get; init; }

    /// <summary>The HTTP status the receiver answered the last attempt with, if it answered.</summary>
    public int? LastResponseStatus { get; init; }

    /// <summary>Why the last attempt failed without an answer, for example <c>timeout</c> or <c>connection_failed: …</c>.</summary>
    public string? LastError { get; init; }

    /// <summary>The attempts, oldest first, when the delivery was listed with them; otherwise null.</summary>
    public IReadOnlyList<WebhookDeliveryAttempt>? Attempts { get; init; }

    /// <summary>When the delivery was created (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>When the delivery last changed (UTC).</summary>
    public required DateTimeOffset Updated { get; init; }
}

/// <summary>One HTTP attempt of a <see cref="WebhookDelivery"/>.</summary>
public sealed record WebhookDeliveryAttempt
{
    /// <summary>Unique identifier of the attempt.</summary>
    public required string Id { get; init; }

    /// <summary>The attempt's number within its delivery, from 1.</summary>
    public required int Number { get; init; }

    /// <summary><see langword="true"/> when the receiver answered <c>2xx</c> in time.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>The HTTP status the receiver answered with, if it answered.</summary>
    public int? ResponseStatus { get; init; }

    /// <summary>Why the attempt failed without an answer, for example <c>timeout</c>.</summary>
    public string? Error { get; init; }

    /// <summary>The first 256 characters of the receiver's answer.</summary>
    public string? ResponseSnippet { get; init; }

    /// <summary>How long the attempt took, in milliseconds.</summary>
    public required int DurationMs { get; init; }

    /// <summary>When the attempt started (UTC).</summary>
    public required DateTimeOffset Created { get; init; }
}

/// <summary>The answer to a delete: the id of the deleted object and its type.</summary>
public sealed record DeletedObject : PaymentGatewayObject
{
    /// <summary>The id of the deleted object.</summary>
    public required string Id { get; init; }

    /// <summary>The type of the deleted object, for example <c>webhook_endpoint</c>.</summary>
    public required string Object { get; init; }

    /// <summary>Always <see langword="true"/>.</summary>
    public required bool Deleted { get; init; }
}
