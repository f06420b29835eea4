namespace PaymentGateway.Core.Audit;

public enum AuditActorType
{
    /// <summary>A console user.</summary>
    User,

    /// <summary>An admin API key: the configured one (id <c>admin_key</c>) or a named one (its id).</summary>
    AdminKey,

    /// <summary>The gateway itself (first start, a command).</summary>
    System,

    /// <summary>Nobody signed in yet (a failed sign-in, a reset request).</summary>
    Anonymous,

    /// <summary>A merchant's secret API key (its id).</summary>
    ApiKey,
}

/// <summary>Who did it.</summary>
public sealed record AuditActor
{
    public required AuditActorType Type { get; init; }

    public string? Id { get; init; }

    public string? Email { get; init; }

    /// <summary>The role the action was allowed by (wire name), when one applies.</summary>
    public string? Role { get; init; }

    public static AuditActor System { get; } = new() { Type = AuditActorType.System, Id = "system" };

    /// <summary>The configured (bootstrap) admin key.</summary>
    public static AuditActor AdminKey { get; } = new() { Type = AuditActorType.AdminKey, Id = "admin_key", Role = "admin" };

    /// <summary>A named admin key, by its id (<c>adk_…</c>), never the key.</summary>
    public static AuditActor NamedAdminKey(string keyId) => new() { Type = AuditActorType.AdminKey, Id = keyId, Role = "admin" };

    public static AuditActor Anonymous(string? email) => new() { Type = AuditActorType.Anonymous, Email = email };

    /// <summary>A merchant's secret key (by its id, never the key), acting with the role <c>secret_key</c>.</summary>
    public static AuditActor ApiKey(string? keyId) => new() { Type = AuditActorType.ApiKey, Id = keyId ?? "api_key", Role = "secret_key" };
}

/// <summary>
/// Who makes a change and where the request came from: what an admin-API or console write hands its service so the
/// service can write the audit entry in the same transaction as the change.
/// </summary>
public sealed record AuditSource(AuditActor Actor, AuditContext Context)
{
    /// <summary>The gateway itself (first start, a command).</summary>
    public static AuditSource System { get; } = new(AuditActor.System, AuditContext.None);
}

/// <summary>Where a request came from: recorded with every entry.</summary>
public sealed record AuditContext
{
    public string? Ip { get; init; }

    public string? UserAgent { get; init; }

    public string? RequestId { get; init; }

    public static AuditContext None { get; } = new();
}

/// <summary>
/// One entry of the audit trail as a service writes it: what happened, to what, by whom, and a before/after summary
/// of plain values (never a secret, a password hash, a token or a card number). The store gives it its place in the
/// hash chain (<see cref="AuditEntry"/>) in the same transaction as the change it records.
/// </summary>
public sealed record AuditRecord
{
    public string Id { get; init; } = Ids.New(Ids.AuditEntry);

    public required DateTimeOffset Created { get; init; }

    /// <summary>Dotted, stable name: <c>console.sign_in</c>, <c>console.user.role_changed</c>, …</summary>
    public required string Action { get; init; }

    /// <summary><c>succeeded</c>, or <c>refused</c> for an attempt that was turned down.</summary>
    public string Outcome { get; init; } = AuditOutcomes.Succeeded;

    public required AuditActor Actor { get; init; }

    public string? MerchantId { get; init; }

    public string? TargetType { get; init; }

    public string? TargetId { get; init; }

    public IReadOnlyDictionary<string, string?>? Before { get; init; }

    public IReadOnlyDictionary<string, string?>? After { get; init; }

    public required AuditContext Context { get; init; }
}

public static class AuditOutcomes
{
    public const string Succeeded = "succeeded";
    public const string Refused = "refused";
}

/// <summary>A stored entry: the record, its position in the chain, the previous entry's hash and its own.</summary>
public sealed record AuditEntry
{
    public required long Sequence { get; init; }

    public required AuditRecord Record { get; init; }

    public required string PreviousHash { get; init; }

    public required string Hash { get; init; }

    /// <summary>The exact text the hash covers (<see cref="AuditChain.Canonical"/>), as stored.</summary>
    public required string Canonical { get; init; }

    public string Id => Record.Id;

    /// <summary>An entry as read back from a store's row: the record is parsed from the canonical text the hash covers.</summary>
    public static AuditEntry FromStored(long sequence, string previousHash, string hash, string canonical) => new()
    {
        Sequence = sequence,
        PreviousHash = previousHash,
        Hash = hash,
        Canonical = canonical,
        Record = AuditChain.Parse(canonical),
    };
}
