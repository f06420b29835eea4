using System.Text.Json.Serialization;

namespace PaymentGateway.Core.BackOffice;

[JsonConverter(typeof(JsonStringEnumConverter<ConsoleUserStatus>))]
public enum ConsoleUserStatus
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("disabled")] Disabled,
    [JsonStringEnumMemberName("removed")] Removed,
}

/// <summary>
/// A console user (<c>usr_…</c>) as stored. Secrets are never held in clear: the password as an Identity v3 hash
/// (PBKDF2), the TOTP key encrypted by the vault, recovery codes as SHA-256 hashes. The security stamp changes whenever
/// every live session must end (removed, disabled, password reset, sign-out everywhere, 2FA reset).
/// </summary>
public sealed class ConsoleUser
{
    public required string Id { get; init; }

    public required string Email { get; set; }

    public string Name { get; set; } = string.Empty;

    public ConsoleUserStatus Status { get; set; } = ConsoleUserStatus.Active;

    public string? PasswordHash { get; set; }

    public List<ConsoleGrant> Grants { get; set; } = [];

    /// <summary>The TOTP key, vault-encrypted; null until enrolment is confirmed.</summary>
    public string? TotpSecret { get; set; }

    /// <summary>A TOTP key shown in an enrolment that is not confirmed yet, vault-encrypted.</summary>
    public string? PendingTotpSecret { get; set; }

    /// <summary>The last TOTP time step accepted, so a code works once.</summary>
    public long TotpLastStep { get; set; }

    public List<string> RecoveryCodeHashes { get; set; } = [];

    public int FailedSignIns { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public required string SecurityStamp { get; set; }

    /// <summary>The OpenID provider's issuer and subject for a single-sign-on account.</summary>
    public string? ExternalIssuer { get; set; }

    public string? ExternalSubject { get; set; }

    /// <summary>Refunds this user may make in one go, in the payment currency's minor units (support role); null = no limit set.</summary>
    public long? RefundLimit { get; set; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset? LastSignInAt { get; set; }

    public long Version { get; set; }

    [JsonIgnore]
    public bool TwoFactorEnabled => TotpSecret is not null;

    /// <summary>A role on some grant can move money, manage keys or users, and the account signs in locally.</summary>
    [JsonIgnore]
    public bool TwoFactorRequired => ExternalSubject is null && Grants.Any(g => g.Role.RequiresTwoFactor());

    [JsonIgnore]
    public bool IsExternal => ExternalSubject is not null;

    /// <summary>Lower-case email, the unique lookup key.</summary>
    public static string EmailKey(string email) => email.Trim().ToLowerInvariant();
}

[JsonConverter(typeof(JsonStringEnumConverter<ConsoleLinkPurpose>))]
public enum ConsoleLinkPurpose
{
    /// <summary>Join the team with the grants on the link.</summary>
    [JsonStringEnumMemberName("invitation")] Invitation,

    /// <summary>Set a new password.</summary>
    [JsonStringEnumMemberName("password_reset")] PasswordReset,

    /// <summary>The first owner's account (first start in development, or <c>host create-owner</c>).</summary>
    [JsonStringEnumMemberName("owner_setup")] OwnerSetup,
}

/// <summary>
/// A link sent to a person (invitation, password reset, first owner): single use, expiring, and stored only as the
/// SHA-256 hash of its random token.
/// </summary>
public sealed class ConsoleLink
{
    public required string Id { get; init; }

    public required ConsoleLinkPurpose Purpose { get; init; }

    public required string TokenHash { get; init; }

    public string? Email { get; init; }

    public string? UserId { get; init; }

    public List<ConsoleGrant> Grants { get; init; } = [];

    public string? CreatedBy { get; init; }

    public DateTimeOffset Created { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? UsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public long Version { get; set; }

    public bool IsOpen(DateTimeOffset now) => UsedAt is null && RevokedAt is null && ExpiresAt > now;
}
