using System.Text.Json.Serialization;

namespace PaymentGateway.Core.Merchants;

/// <summary>
/// A named admin key as stored (table <c>admin_keys</c>): a hash of the key and a short hint, never the key. Admin keys
/// belong to no merchant; they authenticate the admin API like the configured bootstrap key
/// (<see cref="GatewayOptions.AdminKey"/>), and each can be rolled, revoked and given an expiry on its own.
/// </summary>
public sealed class AdminKeyRecord
{
    public required string Id { get; init; }
    public required string KeyHash { get; init; }
    public required string Hint { get; init; }

    /// <summary>Who or what uses the key, at most 100 characters.</summary>
    public required string Name { get; init; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>When the key stops working: set at creation, or by a roll to the end of its overlap.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The key a roll made to replace this one.</summary>
    public string? ReplacedBy { get; set; }

    /// <summary>The key this one was rolled from.</summary>
    public string? RolledFrom { get; init; }

    /// <summary>When the key last authenticated a request, to the minute (its own column).</summary>
    [JsonIgnore]
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>The stored row's version (its own column): an update is written only if it is unchanged.</summary>
    [JsonIgnore]
    public long Version { get; set; }

    public bool IsUsableAt(DateTimeOffset now) => KeyStatus.IsUsable(RevokedAt, ExpiresAt, now);

    public string StatusAt(DateTimeOffset now) => KeyStatus.At(RevokedAt, ExpiresAt, now);
}
