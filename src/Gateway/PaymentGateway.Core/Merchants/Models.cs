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
}
