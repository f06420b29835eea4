using PaymentGateway.Core.BankTransfers;

namespace PaymentGateway.Core.Diagnostics;

public sealed partial class InstrumentedGatewayStore
{
    public Task InsertMandateAsync(Mandate mandate, CancellationToken cancellationToken) =>
        Run("InsertMandate", () => inner.InsertMandateAsync(mandate, cancellationToken));

    public Task<Mandate?> GetMandateAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        Run("GetMandate", () => inner.GetMandateAsync(merchantId, livemode, id, cancellationToken));

    public Task<IReadOnlyList<Payments.Payment>> ListUnexportedDirectDebitsAsync(string merchantId, bool livemode, int limit, CancellationToken cancellationToken) =>
        Run("ListUnexportedDirectDebits", () => inner.ListUnexportedDirectDebitsAsync(merchantId, livemode, limit, cancellationToken));
}
