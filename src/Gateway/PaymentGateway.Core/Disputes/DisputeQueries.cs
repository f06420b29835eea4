using PaymentGateway.Core.Api;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Disputes;

/// <summary>Reading disputes: one, or a page newest first (filters: status, payment).</summary>
public sealed class DisputeQueries(IDisputeStore store)
{
    public async Task<DisputeResource> GetAsync(CallerContext caller, string id, CancellationToken ct) =>
        (await LoadAsync(store, caller, id, ct).ConfigureAwait(false)).ToResource();

    public async Task<ListResource<DisputeResource>> ListAsync(CallerContext caller, DisputeListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var rows = await store.ListDisputesAsync(caller.MerchantId, caller.Livemode, Paging.Probe(query), ct).ConfigureAwait(false);
        return Paging.ToList(rows, query, d => d.ToResource());
    }

    /// <summary>A dispute of the caller's merchant and mode, or 404.</summary>
    internal static async Task<Dispute> LoadAsync(IDisputeStore store, CallerContext caller, string id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return await store.GetDisputeAsync(caller.MerchantId, caller.Livemode, id, ct).ConfigureAwait(false)
            ?? throw GatewayException.NotFound("dispute", id);
    }
}
