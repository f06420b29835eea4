using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// Console users, their links (invitations, password resets) and the shared data-protection key ring. Every change is
/// one <see cref="ConsoleChanges"/> committed atomically with the audit entries that record it.
/// </summary>
public interface IConsoleStore
{
    /// <summary>
    /// Applies the changes and appends <see cref="ConsoleChanges.AuditRecords"/> to the audit chain in one transaction.
    /// Throws <see cref="ConcurrencyConflictException"/> when a user or link changed since it was read.
    /// </summary>
    Task CommitAsync(ConsoleChanges changes, CancellationToken cancellationToken);

    Task<ConsoleUser?> GetUserAsync(string id, CancellationToken cancellationToken);

    Task<ConsoleUser?> FindUserByEmailAsync(string email, CancellationToken cancellationToken);

    Task<ConsoleUser?> FindUserByExternalIdAsync(string issuer, string subject, CancellationToken cancellationToken);

    /// <summary>
    /// Users in id order (oldest first) after <see cref="ConsoleUserQuery.StartingAfter"/>, filtered in the database;
    /// removed users are left out.
    /// </summary>
    Task<IReadOnlyList<ConsoleUser>> ListUsersAsync(ConsoleUserQuery query, CancellationToken cancellationToken);

    /// <summary>True when any user exists (first start creates none after that).</summary>
    Task<bool> AnyUserAsync(CancellationToken cancellationToken);

    Task<ConsoleLink?> GetLinkAsync(string id, CancellationToken cancellationToken);

    Task<ConsoleLink?> FindLinkByTokenHashAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Open (unused, unrevoked, unexpired at <paramref name="now"/>) links of one purpose, newest first.</summary>
    Task<IReadOnlyList<ConsoleLink>> ListOpenLinksAsync(ConsoleLinkPurpose purpose, DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The data-protection key ring (cookie and anti-forgery keys), shared by every node; values are vault-encrypted
    /// XML. ASP.NET Core's key repository is synchronous and waits for these; it reads once a day per node and writes
    /// rarely. They run synchronously on their own connection (never the SQLite writer's queue) and return a completed
    /// task, which keeps every seam method a task for the store instrumentation.
    /// </summary>
    Task<IReadOnlyList<string>> ListDataProtectionKeysAsync();

    /// <summary>Stores a key under a unique name; a second store of the same name keeps the first.</summary>
    Task StoreDataProtectionKeyAsync(string name, string value);
}

/// <summary>One atomic unit of console writes and the audit entries that record them.</summary>
public sealed class ConsoleChanges
{
    public List<ConsoleUser> NewUsers { get; } = [];

    /// <summary>Written only if the stored version still equals <see cref="ConsoleUser.Version"/>.</summary>
    public List<ConsoleUser> UpdatedUsers { get; } = [];

    public List<ConsoleLink> NewLinks { get; } = [];

    /// <summary>Written only if the stored version still equals <see cref="ConsoleLink.Version"/>.</summary>
    public List<ConsoleLink> UpdatedLinks { get; } = [];

    /// <summary>Appended to the audit chain in the same transaction.</summary>
    public List<AuditRecord> AuditRecords { get; } = [];

    public bool IsEmpty => NewUsers.Count == 0 && UpdatedUsers.Count == 0 && NewLinks.Count == 0 && UpdatedLinks.Count == 0 && AuditRecords.Count == 0;
}

/// <summary>
/// Filters of the team list, applied by the store (a grant must satisfy the merchant scope, merchant and role filters
/// together). Search matches a part of the email or the name, case-insensitively (ASCII letters on SQLite).
/// </summary>
public sealed record ConsoleUserQuery
{
    public string? StartingAfter { get; init; }

    public int Limit { get; init; } = 50;

    /// <summary>Only users with a grant on one of these merchants (a scoped owner); null = everyone.</summary>
    public IReadOnlyCollection<string>? MerchantScope { get; init; }

    /// <summary>Only users with a grant on this merchant.</summary>
    public string? MerchantId { get; init; }

    /// <summary>Only users with a grant of this role.</summary>
    public ConsoleRole? Role { get; init; }

    public ConsoleUserStatus? Status { get; init; }

    public string? Search { get; init; }
}
