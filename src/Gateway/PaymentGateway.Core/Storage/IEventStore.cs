using PaymentGateway.Core.Events;

namespace PaymentGateway.Core.Storage;

/// <summary>The event log (the outbox that webhooks fan out from).</summary>
public interface IEventStore
{
    Task<GatewayEvent?> GetEventAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<GatewayEvent>> ListEventsAsync(string merchantId, bool livemode, EventListQuery query, CancellationToken cancellationToken);
}

public sealed record EventListQuery : ListQuery
{
    public string? Type { get; init; }
    public string? ObjectId { get; init; }
}
