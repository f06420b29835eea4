using OtpNet;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Core.BackOffice;

/// <summary>A TOTP enrolment in progress: what the QR code and the manual-entry field show.</summary>
public sealed record TotpEnrolment(string OtpAuthUri, string ManualKey);

/// <summary>
/// Two-factor sign-in: TOTP (RFC 6238, 30-second steps, six digits, one step of clock drift either way, each code
/// accepted once) enrolled with a QR code, plus ten one-time recovery codes stored as hashes. The TOTP key is
/// encrypted by the vault. Owners, developers and support staff must enrol before they can do anything else.
/// </summary>
public sealed class ConsoleTwoFactorService(IConsoleStore store, CardVault vault, TimeProvider time)
{
    public const string Issuer = "PaymentGateway";

    /// <summary>Starts (or resumes) enrolment: a new key kept pending until a code from it is confirmed.</summary>
    public async Task<TotpEnrolment> BeginEnrolmentAsync(string userId, CancellationToken ct)
    {
        var user = await ActiveUserAsync(userId, ct).ConfigureAwait(false);
        if (user.PendingTotpSecret is null)
        {
            user.PendingTotpSecret = vault.Encrypt(VaultContext(user), Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20)));
            var changes = new ConsoleChanges();
            changes.UpdatedUsers.Add(user);
            await store.CommitAsync(changes, ct).ConfigureAwait(false);
        }

        return Describe(user, vault.Decrypt(VaultContext(user), user.PendingTotpSecret));
    }

    /// <summary>The pending enrolment for the QR code image, or null.</summary>
    public async Task<TotpEnrolment?> FindPendingAsync(string userId, CancellationToken ct)
    {
        var user = await store.GetUserAsync(userId, ct).ConfigureAwait(false);
        return user?.PendingTotpSecret is { } pending ? Describe(user, vault.Decrypt(VaultContext(user), pending)) : null;
    }

    /// <summary>Confirms enrolment with a code from the app; returns the recovery codes (shown once), or null when the code is wrong.</summary>
    public async Task<IReadOnlyList<string>?> ConfirmEnrolmentAsync(string userId, string? code, AuditContext context, CancellationToken ct)
    {
        var user = await ActiveUserAsync(userId, ct).ConfigureAwait(false);
        if (user.PendingTotpSecret is null)
        {
            return null;
        }

        var secret = vault.Decrypt(VaultContext(user), user.PendingTotpSecret);
        if (Verify(secret, code, time.GetUtcNow(), user.TotpLastStep) is not { } step)
        {
            return null;
        }

        var codes = ConsoleSecrets.NewRecoveryCodes();
        user.TotpSecret = user.PendingTotpSecret;
        user.PendingTotpSecret = null;
        user.TotpLastStep = step;
        user.RecoveryCodeHashes = codes.Select(c => ConsoleSecrets.HashToken(ConsoleSecrets.NormalizeRecoveryCode(c))).ToList();
        var changes = new ConsoleChanges();
        changes.UpdatedUsers.Add(user);
        changes.AuditRecords.Add(ConsoleAudit.Record(time.GetUtcNow(), ConsoleAudit.TwoFactorEnabled, ConsoleAudit.Self(user), context, user,
            after: new Dictionary<string, string?> { ["method"] = "totp", ["recovery_codes"] = codes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        await store.CommitAsync(changes, ct).ConfigureAwait(false);
        return codes;
    }

    /// <summary>New recovery codes replace the old ones; needs a current TOTP code.</summary>
    public async Task<IReadOnlyList<string>?> RegenerateRecoveryCodesAsync(string userId, string? code, AuditContext context, CancellationToken ct)
    {
        var user = await ActiveUserAsync(userId, ct).ConfigureAwait(false);
        if (user.TotpSecret is null || Verify(vault.Decrypt(VaultContext(user), user.TotpSecret), code, time.GetUtcNow(), user.TotpLastStep) is not { } step)
        {
            return null;
        }

        var codes = ConsoleSecrets.NewRecoveryCodes();
        user.TotpLastStep = step;
        user.RecoveryCodeHashes = codes.Select(c => ConsoleSecrets.HashToken(ConsoleSecrets.NormalizeRecoveryCode(c))).ToList();
        var changes = new ConsoleChanges();
        changes.UpdatedUsers.Add(user);
        changes.AuditRecords.Add(ConsoleAudit.Record(time.GetUtcNow(), ConsoleAudit.RecoveryCodesRegenerated, ConsoleAudit.Self(user), context, user));
        await store.CommitAsync(changes, ct).ConfigureAwait(false);
        return codes;
    }

    /// <summary>
    /// Checks a TOTP code (then a recovery code) against the user and updates the user in memory (the last step, or
    /// the used recovery code removed). Returns <c>totp</c>, <c>recovery_code</c>, or null when neither matched.
    /// </summary>
    internal string? TryConsume(ConsoleUser user, string code, DateTimeOffset now)
    {
        if (user.TotpSecret is null)
        {
            return null;
        }

        if (Verify(vault.Decrypt(VaultContext(user), user.TotpSecret), code, now, user.TotpLastStep) is { } step)
        {
            user.TotpLastStep = step;
            return "totp";
        }

        var hash = ConsoleSecrets.HashToken(ConsoleSecrets.NormalizeRecoveryCode(code));
        return code.Length is > 0 and < 40 && user.RecoveryCodeHashes.Remove(hash) ? "recovery_code" : null;
    }

    /// <summary>The matched time step, or null. A step at or before <paramref name="lastStep"/> was used already.</summary>
    internal static long? Verify(string base32Secret, string? code, DateTimeOffset now, long lastStep)
    {
        var digits = code?.Replace(" ", string.Empty, StringComparison.Ordinal).Trim();
        if (digits is not { Length: 6 } || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }

        var totp = new Totp(Base32Encoding.ToBytes(base32Secret));
        return totp.VerifyTotp(now.UtcDateTime, digits, out var step, new VerificationWindow(previous: 1, future: 1)) && step > lastStep ? step : null;
    }

    private static TotpEnrolment Describe(ConsoleUser user, string base32Secret)
    {
        var label = Uri.EscapeDataString(Issuer + ":" + user.Email);
        var uri = $"otpauth://totp/{label}?secret={base32Secret}&issuer={Uri.EscapeDataString(Issuer)}&algorithm=SHA1&digits=6&period=30";
        var manual = string.Join(' ', Enumerable.Range(0, (base32Secret.Length + 3) / 4).Select(i => base32Secret.Substring(i * 4, Math.Min(4, base32Secret.Length - (i * 4)))));
        return new TotpEnrolment(uri, manual);
    }

    private async Task<ConsoleUser> ActiveUserAsync(string userId, CancellationToken ct)
    {
        var user = await store.GetUserAsync(userId, ct).ConfigureAwait(false);
        return user is { Status: ConsoleUserStatus.Active } ? user : throw GatewayException.NotFound("user", userId);
    }

    internal static string VaultContext(ConsoleUser user) => "totp:" + user.Id;
}
