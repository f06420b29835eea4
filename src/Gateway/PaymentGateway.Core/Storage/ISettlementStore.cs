using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Settlements;

namespace PaymentGateway.Core.Storage;

/// <summary>Imported provider settlement lines and payouts (docs/reporting.md, "Settlement reconciliation").</summary>
public interface ISettlementStore
{
    /// <summary>
    /// One import in one transaction: the new lines, the payouts (new ones inserted, changed ones version-checked) and
    /// their events. A line key or payout stored by another import first, or a payout changed since it was read, throws
    /// <see cref="ConcurrencyConflictException"/> and nothing is written.
    /// </summary>
    Task CommitSettlementImportAsync(SettlementImportChanges changes, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="lineKeys"/> are already stored for the provider account.</summary>
    Task<IReadOnlySet<string>> FindExistingSettlementLineKeysAsync(string providerAccountId, IReadOnlyCollection<string> lineKeys, CancellationToken cancellationToken);

    Task<SettlementLine?> GetSettlementLineAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<SettlementLine>> ListSettlementLinesAsync(string merchantId, bool livemode, SettlementLineListQuery query, CancellationToken cancellationToken);

    /// <summary>Every stored line of a payout, oldest first.</summary>
    Task<IReadOnlyList<SettlementLine>> ListSettlementLinesOfPayoutAsync(string providerAccountId, string payoutId, CancellationToken cancellationToken);

    Task<SettlementPayout?> GetSettlementPayoutAsync(string providerAccountId, string payoutId, CancellationToken cancellationToken);

    Task<IReadOnlyList<SettlementPayout>> ListSettlementPayoutsAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Succeeded payments of the merchant and mode that went to a provider, last changed in <c>[updatedFrom, updatedBefore)</c>,
    /// with no settlement line: captured but not settled. Oldest first.
    /// </summary>
    Task<IReadOnlyList<Payment>> ListUnsettledPaymentsAsync(string merchantId, bool livemode, DateTimeOffset updatedFrom, DateTimeOffset updatedBefore, int limit,
        CancellationToken cancellationToken);
}

public sealed record SettlementLineListQuery : ListQuery
{
    public SettlementLineStatus? Status { get; init; }
    public string? PaymentId { get; init; }
    public string? PayoutId { get; init; }
}

/// <summary>What one settlement import writes.</summary>
public sealed class SettlementImportChanges : IChangeSet
{
    public List<SettlementLine> NewLines { get; } = [];

    public List<SettlementPayout> NewPayouts { get; } = [];

    /// <summary>Written only if the stored version still equals <see cref="SettlementPayout.Version"/>.</summary>
    public List<SettlementPayout> UpdatedPayouts { get; } = [];

    public List<GatewayEvent> Events { get; } = [];

    public string ConflictObjectId => NewLines.FirstOrDefault()?.Id ?? NewPayouts.FirstOrDefault()?.Id ?? "settlement";

    public void MarkCommitted() => UpdatedPayouts.ForEach(p => p.Version++);
}
