using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Diagnostics;

public sealed partial class InstrumentedGatewayStore
{
    public Task CommitDirectDebitExportAsync(DirectDebitExportChanges changes, CancellationToken cancellationToken) =>
        Run("CommitDirectDebitExport", () => inner.CommitDirectDebitExportAsync(changes, cancellationToken));

    public Task<DirectDebitBatch?> GetDirectDebitBatchAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        Run("GetDirectDebitBatch", () => inner.GetDirectDebitBatchAsync(merchantId, livemode, id, cancellationToken));

    public Task<DirectDebitBatch?> GetDirectDebitBatchWithFileAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        Run("GetDirectDebitBatchWithFile", () => inner.GetDirectDebitBatchWithFileAsync(merchantId, livemode, id, cancellationToken));

    public Task<IReadOnlyList<DirectDebitBatch>> ListDirectDebitBatchesAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken) =>
        Run("ListDirectDebitBatches", () => inner.ListDirectDebitBatchesAsync(merchantId, livemode, query, cancellationToken));

    public Task<IReadOnlyList<Mandate>> ListMandatesAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken) =>
        Run("ListMandates", () => inner.ListMandatesAsync(merchantId, livemode, query, cancellationToken));

    public Task<IReadOnlyList<Payments.Payment>> ListDirectDebitsCollectedByAsync(DateOnly collectedOnOrBefore, int limit, CancellationToken cancellationToken) =>
        Run("ListDirectDebitsCollectedBy", () => inner.ListDirectDebitsCollectedByAsync(collectedOnOrBefore, limit, cancellationToken));
}
