using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// SEPA Direct Debit collection files and settlement (docs/bank-transfers.md): the stored (encrypted) pain.008 files,
/// the export's single commit, mandate listing, and the settlement job's query.
/// </summary>
public interface IDirectDebitStore
{
    /// <summary>
    /// Writes one export atomically: the debits marked with the batch (version-checked), the mandates whose sequence
    /// changed (version-checked) and the batch with its encrypted file. Any version that moved throws
    /// <see cref="ConcurrencyConflictException"/> and nothing is written.
    /// </summary>
    Task CommitDirectDebitExportAsync(DirectDebitExportChanges changes, CancellationToken cancellationToken);

    /// <summary>A batch's metadata (without its file).</summary>
    Task<DirectDebitBatch?> GetDirectDebitBatchAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    /// <summary>A batch with <see cref="DirectDebitBatch.EncryptedFile"/> loaded.</summary>
    Task<DirectDebitBatch?> GetDirectDebitBatchWithFileAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    /// <summary>Batches without their files, newest first (by id).</summary>
    Task<IReadOnlyList<DirectDebitBatch>> ListDirectDebitBatchesAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken);

    /// <summary>Mandates, newest first (by id).</summary>
    Task<IReadOnlyList<Mandate>> ListMandatesAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Exported <c>sepa_debit</c> payments of every merchant still <c>processing</c> whose collection date
    /// (<see cref="DirectDebitDetails.CollectionDate"/>) is on or before <paramref name="collectedOnOrBefore"/>, earliest
    /// collection date first.
    /// </summary>
    Task<IReadOnlyList<Payment>> ListDirectDebitsCollectedByAsync(DateOnly collectedOnOrBefore, int limit, CancellationToken cancellationToken);
}

/// <summary>The writes of one direct-debit export.</summary>
public sealed class DirectDebitExportChanges : IChangeSet
{
    /// <summary>Written only if the stored version still equals <see cref="Payment.Version"/>.</summary>
    public List<Payment> UpdatedPayments { get; } = [];

    /// <summary>Written only if the stored version still equals <see cref="Mandate.Version"/>.</summary>
    public List<Mandate> UpdatedMandates { get; } = [];

    /// <summary>The batch, with <see cref="DirectDebitBatch.EncryptedFile"/> set.</summary>
    public DirectDebitBatch? NewBatch { get; set; }

    /// <summary>The object a conflict names when another export stored this batch first.</summary>
    public string ConflictObjectId => NewBatch?.Id ?? "direct_debit_batch";

    /// <summary>Called by the store once the export is committed: the updated copies are now at their stored versions.</summary>
    public void MarkCommitted()
    {
        UpdatedPayments.ForEach(p => p.MarkCommitted(updated: true));
        UpdatedMandates.ForEach(m => m.Version++);
    }
}
