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

/// <summary>An API key as stored: only a hash of the key and a short hint for display.</summary>
public sealed class ApiKeyRecord
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required ApiKeyKind Kind { get; init; }
    public required bool Livemode { get; init; }
    public required string KeyHash { get; init; }
    public required string Hint { get; init; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>A label chosen by its creator (what uses the key), at most 100 characters.</summary>
    public string? Name { get; init; }

    /// <summary>When the key stops working: set at creation, or by a roll to the end of its overlap.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>The key a roll made to replace this one.</summary>
    public string? ReplacedBy { get; set; }

    /// <summary>The key this one was rolled from.</summary>
    public string? RolledFrom { get; init; }

    /// <summary>When the key last authenticated a request, to the minute (its own column, written by <see cref="Storage.IMerchantStore.TouchApiKeyAsync"/>).</summary>
    [JsonIgnore]
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>The stored row's version (its own column): an update is written only if it is unchanged.</summary>
    [JsonIgnore]
    public long Version { get; set; }

    /// <summary>True while the key authenticates requests: not revoked and not past its expiry.</summary>
    public bool IsUsableAt(DateTimeOffset now) => KeyStatus.IsUsable(RevokedAt, ExpiresAt, now);

    /// <summary><c>active</c>, <c>expired</c> or <c>revoked</c> at <paramref name="now"/>.</summary>
    public string StatusAt(DateTimeOffset now) => KeyStatus.At(RevokedAt, ExpiresAt, now);
}

/// <summary>The one rule for a key's state (merchant API keys and admin keys): revoked, expired, or active.</summary>
public static class KeyStatus
{
    public static bool IsUsable(DateTimeOffset? revokedAt, DateTimeOffset? expiresAt, DateTimeOffset now) =>
        revokedAt is null && (expiresAt is not { } expires || expires > now);

    public static string At(DateTimeOffset? revokedAt, DateTimeOffset? expiresAt, DateTimeOffset now) =>
        revokedAt is not null ? "revoked" : IsUsable(revokedAt, expiresAt, now) ? "active" : "expired";
}
