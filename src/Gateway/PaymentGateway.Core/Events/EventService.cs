using PaymentGateway.Core.Api;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Events;

/// <summary>
/// Reads the event log for the REST and gRPC APIs: one event, or a page of events newest first, paged like every other
/// list (<see cref="Paging"/>: one row more than asked to learn <c>has_more</c>, the extra row dropped from the far end
/// of the cursor).
/// </summary>
public sealed class EventService(IEventStore store)
{
    public async Task<EventResource> GetAsync(CallerContext caller, string id, CancellationToken ct)
    {
        var found = await store.GetEventAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false)
            ?? throw GatewayException.NotFound("event", id);
        return found.ToResource();
    }

    public Task<ListResource<EventResource>> ListAsync(CallerContext caller, EventListQuery query, CancellationToken ct) =>
        ListAsync(caller.MerchantId, caller.Livemode, query, ct);

    /// <summary>A page of one owner's events: a merchant's, or the gateway's own (<see cref="Merchants.AdminKeyService.EventScope"/>).</summary>
    public async Task<ListResource<EventResource>> ListAsync(string ownerId, bool livemode, EventListQuery query, CancellationToken ct)
    {
        var rows = await store.ListEventsAsync(ownerId, livemode, Paging.Probe(query), ct).ConfigureAwait(false);
        return Paging.ToList(rows, query, e => e.ToResource());
    }
}
