using PaymentGateway.Core.Audit;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// The append-only audit trail. There is no update or delete: entries are appended (alone here, or with the change
/// they record through a commit that carries them) and read. Appends are serialized per chain — the single writer on
/// SQLite, an advisory lock held to commit on PostgreSQL — so concurrent writers on many nodes make one valid chain.
/// </summary>
public interface IAuditStore
{
    /// <summary>Appends records that accompany no other change (a refused sign-in, a command).</summary>
    Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    /// <summary>Newest first, filtered, cursor-paged by chain position.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken cancellationToken);

    Task<AuditEntry?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Entries in chain order after <paramref name="afterSequence"/>, up to <paramref name="limit"/>, for verification.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadChainAsync(long afterSequence, int limit, CancellationToken cancellationToken);
}

/// <summary>Filters for the audit list. Cursors are entry ids; each filter has an index with the chain position.</summary>
public sealed record AuditQuery
{
    public int Limit { get; init; } = 50;

    /// <summary>Older entries than this one.</summary>
    public string? StartingAfter { get; init; }

    /// <summary>Newer entries than this one.</summary>
    public string? EndingBefore { get; init; }

    public string? ActorId { get; init; }

    public string? Action { get; init; }

    public string? TargetId { get; init; }

    /// <summary>One merchant's entries.</summary>
    public string? MerchantId { get; init; }

    /// <summary>Only entries of these merchants (a scoped viewer); null = no restriction.</summary>
    public IReadOnlyCollection<string>? MerchantScope { get; init; }

    public DateTimeOffset? CreatedGte { get; init; }

    public DateTimeOffset? CreatedLt { get; init; }
}
