using System.Text.Json.Serialization;

namespace PaymentGateway.Core.Merchants;

public sealed class Merchant
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public DateTimeOffset Created { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ApiKeyKind>))]
public enum ApiKeyKind
{
    [JsonStringEnumMemberName("secret")] Secret,
    [JsonStringEnumMemberName("publishable")] Publishable,
}

/// <summary>
/// What every stored key has, a merchant's (<see cref="ApiKeyRecord"/>) or an admin key (<see cref="AdminKeyRecord"/>):
/// a hash of the key and a short hint, never the key; its expiry, revocation and roll; its last use and row version.
/// </summary>
public abstract class KeyRecord
{
    public required string Id { get; init; }
    public required string KeyHash { get; init; }
    public required string Hint { get; init; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>When the key stops working: set at creation, or by a roll to the end of its overlap.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The key a roll made to replace this one.</summary>
    public string? ReplacedBy { get; set; }

    /// <summary>The key this one was rolled from.</summary>
    public string? RolledFrom { get; init; }

    /// <summary>When the key last authenticated a request, to the minute (its own column, written by a touch, never with the key's JSON).</summary>
    [JsonIgnore]
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>The stored row's version (its own column): an update is written only if it is unchanged.</summary>
    [JsonIgnore]
    public long Version { get; set; }

    /// <summary>True while the key authenticates requests: not revoked and not past its expiry.</summary>
    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } expires || expires > now);

    /// <summary><c>active</c>, <c>expired</c> or <c>revoked</c> at <paramref name="now"/>.</summary>
    public string StatusAt(DateTimeOffset now) => RevokedAt is not null ? "revoked" : IsUsableAt(now) ? "active" : "expired";

    /// <summary>A roll: <paramref name="replacementId"/> replaces this key, which works until <paramref name="overlapEnds"/> (never later than it would have anyway).</summary>
    public void ReplaceBy(string replacementId, DateTimeOffset overlapEnds)
    {
        ExpiresAt = ExpiresAt is { } expires && expires < overlapEnds ? expires : overlapEnds;
        ReplacedBy = replacementId;
    }
}

/// <summary>A merchant's API key as stored.</summary>
public sealed class ApiKeyRecord : KeyRecord
{
    public required string MerchantId { get; init; }
    public required ApiKeyKind Kind { get; init; }
    public required bool Livemode { get; init; }

    /// <summary>A label chosen by its creator (what uses the key), at most 100 characters.</summary>
    public string? Name { get; init; }
}
