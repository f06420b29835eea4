using PaymentGateway.Core.Api;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Payments;

/// <summary>Reading payments: one by id, or a page of the caller's payments (newest first, optionally by status).</summary>
public sealed class PaymentQueries(IPaymentStore store, PaymentWriter writer)
{
    public async Task<PaymentResource> GetAsync(CallerContext caller, string id, CancellationToken ct) =>
        (await writer.LoadAsync(caller, id, ct).ConfigureAwait(false)).ToResource();

    public async Task<ListResource<PaymentResource>> ListAsync(CallerContext caller, PaymentListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var rows = await store.ListPaymentsAsync(caller.MerchantId, caller.Livemode, Paging.Probe(query), ct).ConfigureAwait(false);
        return Paging.ToList(rows, query, p => p.ToResource());
    }
}
