using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// Bank transfers: the creditor reference of each open transfer payment, imported statements and their entries.
/// Everything a statement import or a manual match changes is written by <see cref="CommitBankTransfersAsync"/> in one
/// transaction, with the payments it moves and their events.
/// </summary>
public interface IBankTransferStore
{
    /// <summary>
    /// Applies <paramref name="changes"/> atomically. Payment updates are version-checked; a statement key, entry key or
    /// reference that already exists, or an entry changed since it was read, throws <see cref="ConcurrencyConflictException"/>
    /// and nothing is written.
    /// </summary>
    Task CommitBankTransfersAsync(BankTransferChanges changes, CancellationToken cancellationToken);

    /// <summary>The payment a normalized creditor reference belongs to, within the merchant and mode.</summary>
    Task<string?> FindPaymentIdByBankReferenceAsync(string merchantId, bool livemode, string reference, CancellationToken cancellationToken);

    /// <summary>
    /// Statements come back with <see cref="BankStatement.MatchedCount"/> and <see cref="BankStatement.UnmatchedCount"/>
    /// computed from their entries' current status (by <see cref="GetBankStatementAsync"/>,
    /// <see cref="FindBankStatementByKeyAsync"/> and <see cref="ListBankStatementsAsync"/>).
    /// </summary>
    Task<BankStatement?> GetBankStatementAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    Task<BankStatement?> FindBankStatementByKeyAsync(string merchantId, bool livemode, string statementKey, CancellationToken cancellationToken);

    Task<IReadOnlyList<BankStatement>> ListBankStatementsAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken);

    Task<BankStatementEntry?> GetBankStatementEntryAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<BankStatementEntry>> ListBankStatementEntriesAsync(string merchantId, bool livemode, BankStatementEntryListQuery query, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="entryKeys"/> are already stored for the merchant and mode.</summary>
    Task<IReadOnlySet<string>> FindExistingBankEntryKeysAsync(string merchantId, bool livemode, IReadOnlyCollection<string> entryKeys, CancellationToken cancellationToken);

    /// <summary>Transfer payments whose reference is still open and expired before <paramref name="now"/>, soonest expiry first.</summary>
    Task<IReadOnlyList<Payment>> ListExpiredBankTransfersAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);
}

/// <summary>SQL shared by both engines for reading statements.</summary>
public static class BankStatementSql
{
    /// <summary>
    /// The columns a statement is read with: its JSON, then its matched and unmatched counts computed from the entries'
    /// current status (so a manual match shows without rewriting the statement). Reads from <c>bank_statements</c>.
    /// </summary>
    public const string Columns = "data, "
        + "(SELECT COUNT(*) FROM bank_statement_entries e WHERE e.statement_id = bank_statements.id AND e.status IN ('matched', 'refund_required', 'returned')), "
        + "(SELECT COUNT(*) FROM bank_statement_entries e WHERE e.statement_id = bank_statements.id AND e.status = 'unmatched')";
}

/// <summary>One atomic unit of bank-transfer writes.</summary>
public sealed class BankTransferChanges : IChangeSet
{
    public List<Payment> NewPayments { get; } = [];

    /// <summary>Written only if the stored version still equals <see cref="Payment.Version"/>.</summary>
    public List<Payment> UpdatedPayments { get; } = [];

    public List<BankTransferReferenceRecord> NewReferences { get; } = [];

    /// <summary>References whose payment left <c>requires_action</c>: no longer considered for expiry.</summary>
    public List<string> ClosedReferences { get; } = [];

    public List<BankStatement> NewStatements { get; } = [];

    public List<BankStatementEntry> NewEntries { get; } = [];

    /// <summary>Written only if the stored version still equals <see cref="BankStatementEntry.Version"/>.</summary>
    public List<BankStatementEntry> UpdatedEntries { get; } = [];

    public List<GatewayEvent> Events { get; } = [];

    /// <summary>Audit entries recording these changes (a console user's manual match), appended in the same transaction.</summary>
    public List<Audit.AuditRecord> AuditRecords { get; } = [];

    /// <summary>The object a conflict names when another writer stored one of these statements, entries or references first.</summary>
    public string ConflictObjectId => NewStatements.FirstOrDefault()?.Id ?? NewEntries.FirstOrDefault()?.Id ?? "bank_transfer";

    /// <summary>Called by the store once the changes are committed: the updated copies are now at their stored versions.</summary>
    public void MarkCommitted()
    {
        NewPayments.ForEach(p => p.MarkCommitted(updated: false));
        UpdatedPayments.ForEach(p => p.MarkCommitted(updated: true));
        UpdatedEntries.ForEach(e => e.Version++);
    }
}

public sealed record BankTransferReferenceRecord
{
    public required string Reference { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public required string PaymentId { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}

public sealed record BankStatementEntryListQuery : ListQuery
{
    public BankEntryStatus? Status { get; init; }
    public string? StatementId { get; init; }
}
