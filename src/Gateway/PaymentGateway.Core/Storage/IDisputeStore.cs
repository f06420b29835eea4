using PaymentGateway.Core.Disputes;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// Disputes, their evidence files (encrypted), the simulator's scheduled dispute notices, and the payment lookups the
/// dispute flows need. A dispute change is written by <see cref="CommitDisputesAsync"/> in one transaction with the
/// payment it holds money on and its events; every update is version-checked.
/// </summary>
public interface IDisputeStore
{
    /// <summary>
    /// Applies <paramref name="changes"/> atomically. A dispute or payment changed since it was read, or a new dispute
    /// whose provider dispute id another writer stored first, throws <see cref="ConcurrencyConflictException"/> and
    /// nothing is written.
    /// </summary>
    Task CommitDisputesAsync(DisputeChanges changes, CancellationToken cancellationToken);

    Task<Dispute?> GetDisputeAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    /// <summary>A dispute by id alone; for background work, never for API callers.</summary>
    Task<Dispute?> GetDisputeByIdAsync(string id, CancellationToken cancellationToken);

    /// <summary>The dispute a provider knows by <paramref name="providerDisputeId"/>, whatever its merchant (callers check it).</summary>
    Task<Dispute?> FindDisputeByProviderIdAsync(string provider, string providerDisputeId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Dispute>> ListDisputesAsync(string merchantId, bool livemode, DisputeListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The console's dispute queue: a merchant's disputes (of one status, when given) by evidence deadline, soonest first,
    /// those without a deadline last (then by id); at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<Dispute>> ListDisputeQueueAsync(string merchantId, bool livemode, DisputeStatus? status, int limit, CancellationToken cancellationToken);

    /// <summary>Disputes awaiting the merchant's answer whose evidence is due before <paramref name="dueBefore"/>, soonest first.</summary>
    Task<IReadOnlyList<Dispute>> ListDisputesDueBeforeAsync(DateTimeOffset dueBefore, int limit, CancellationToken cancellationToken);

    /// <summary>Open disputes (not closed) of <paramref name="provider"/> not changed since <paramref name="updatedBefore"/>, oldest change first.</summary>
    Task<IReadOnlyList<Dispute>> ListOpenDisputesAsync(string provider, DateTimeOffset updatedBefore, int limit, CancellationToken cancellationToken);

    /// <summary>An evidence file's stored bytes (encrypted), when it belongs to the dispute.</summary>
    Task<StoredDisputeFile?> GetDisputeFileAsync(string disputeId, string fileId, CancellationToken cancellationToken);

    /// <summary>
    /// The payment whose provider reference is <paramref name="providerReference"/> within the merchant and mode (a
    /// dispute notification that names the provider's payment, not the gateway's).
    /// </summary>
    Task<string?> FindPaymentIdByProviderReferenceAsync(string merchantId, bool livemode, string providerReference, CancellationToken cancellationToken);

    /// <summary>Stores notices the simulated provider will send later; an id already stored is kept as it was.</summary>
    Task ScheduleSimulatorDisputeNoticesAsync(IReadOnlyList<SimulatorDisputeNoticeRow> notices, CancellationToken cancellationToken);

    /// <summary>Notices due in (<paramref name="after"/>, <paramref name="upTo"/>], by due time then id.</summary>
    Task<IReadOnlyList<SimulatorDisputeNoticeRow>> ListSimulatorDisputeNoticesAsync(DateTimeOffset after, DateTimeOffset upTo, int limit, CancellationToken cancellationToken);
}

public sealed record DisputeListQuery : ListQuery
{
    public DisputeStatus? Status { get; init; }
    public string? PaymentId { get; init; }
}

/// <summary>A stored simulator notice: opaque JSON the simulator wrote, due at a time.</summary>
public sealed record SimulatorDisputeNoticeRow(string Id, DateTimeOffset DueAt, string Json);

/// <summary>One atomic unit of dispute writes.</summary>
public sealed class DisputeChanges : IChangeSet
{
    public List<Dispute> NewDisputes { get; } = [];

    /// <summary>Written only if the stored version still equals <see cref="Dispute.Version"/>.</summary>
    public List<Dispute> UpdatedDisputes { get; } = [];

    /// <summary>Written only if the stored version still equals <see cref="Payment.Version"/>.</summary>
    public List<Payment> UpdatedPayments { get; } = [];

    public List<StoredDisputeFile> NewFiles { get; } = [];

    public List<GatewayEvent> Events { get; } = [];

    /// <summary>The console's audit entries of this change, appended to the audit chain in the same transaction.</summary>
    public List<Audit.AuditRecord> AuditRecords { get; } = [];

    public bool IsEmpty => NewDisputes.Count == 0 && UpdatedDisputes.Count == 0 && UpdatedPayments.Count == 0 && NewFiles.Count == 0 && Events.Count == 0
        && AuditRecords.Count == 0;

    /// <summary>The object a unique-key conflict names.</summary>
    public string ConflictObjectId => NewDisputes.FirstOrDefault()?.Id ?? NewFiles.FirstOrDefault()?.Id ?? UpdatedDisputes.FirstOrDefault()?.Id ?? "dispute";

    /// <summary>Called by the store once committed: the updated copies are now at their stored versions.</summary>
    public void MarkCommitted()
    {
        UpdatedDisputes.ForEach(d => d.Version++);
        UpdatedPayments.ForEach(p => p.MarkCommitted(updated: true));
    }
}
