using System.Text.Json.Serialization;

namespace PaymentGateway.Core.BackOffice;

/// <summary>A console role. What each may do is the one table in <see cref="ConsolePermissions"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsoleRole>))]
public enum ConsoleRole
{
    /// <summary>Everything, including users.</summary>
    [JsonStringEnumMemberName("owner")]
    Owner,

    /// <summary>API keys, webhooks, events, logs; never moves money.</summary>
    [JsonStringEnumMemberName("developer")]
    Developer,

    /// <summary>Payments, refunds up to a per-user limit, webhook resend.</summary>
    [JsonStringEnumMemberName("support")]
    Support,

    /// <summary>Reads everything; reports and exports.</summary>
    [JsonStringEnumMemberName("finance")]
    Finance,

    /// <summary>Reads payments and events.</summary>
    [JsonStringEnumMemberName("viewer")]
    Viewer,
}

public static class ConsoleRoles
{
    public static IReadOnlyList<ConsoleRole> All { get; } = [ConsoleRole.Owner, ConsoleRole.Developer, ConsoleRole.Support, ConsoleRole.Finance, ConsoleRole.Viewer];

    public static string ToWire(this ConsoleRole role) => role switch
    {
        ConsoleRole.Owner => "owner",
        ConsoleRole.Developer => "developer",
        ConsoleRole.Support => "support",
        ConsoleRole.Finance => "finance",
        _ => "viewer",
    };

    public static bool TryParse(string? value, out ConsoleRole role)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToWire(), value?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                role = candidate;
                return true;
            }
        }

        role = ConsoleRole.Viewer;
        return false;
    }

    /// <summary>Roles that can move money, manage keys or manage users must sign in with a second factor.</summary>
    public static bool RequiresTwoFactor(this ConsoleRole role) => role is ConsoleRole.Owner or ConsoleRole.Developer or ConsoleRole.Support;
}

/// <summary>A role on one merchant, or on every merchant when <see cref="MerchantId"/> is null (a platform grant).</summary>
public sealed record ConsoleGrant
{
    public string? MerchantId { get; init; }

    public required ConsoleRole Role { get; init; }

    public bool IsPlatform => MerchantId is null;

    public override string ToString() => $"{Role.ToWire()}@{MerchantId ?? "*"}";
}
