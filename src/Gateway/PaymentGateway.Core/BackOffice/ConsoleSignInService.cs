using Microsoft.Extensions.Options;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.BackOffice;

public enum SignInStatus
{
    /// <summary>Wrong email or password, unknown, locked or disabled account: one answer for all, so accounts cannot be told apart.</summary>
    Failed,

    /// <summary>The password was right; a second factor is needed before a session starts.</summary>
    TwoFactorRequired,

    Succeeded,
}

public sealed record SignInOutcome(SignInStatus Status, ConsoleUser? User = null);

/// <summary>
/// Signing in: password (with lockout after repeated failures), the second factor (TOTP or a recovery code), single
/// sign-on, and the check every request makes that the session's user is still active with the same security stamp.
/// Every attempt is audited, refused ones included, in the same transaction as the change it makes.
/// </summary>
public sealed class ConsoleSignInService(IConsoleStore store, IAuditStore audit, ConsoleTwoFactorService twoFactor, IOptions<ConsoleOptions> options, TimeProvider time)
{
    public const string GenericFailure = "The email or password is not right, or this account cannot sign in now. Try again, or reset your password.";

    public async Task<SignInOutcome> PasswordSignInAsync(string? email, string? password, AuditContext context, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var normalized = email?.Trim() ?? string.Empty;
        var user = normalized.Length is > 0 and <= 320 ? await store.FindUserByEmailAsync(normalized, ct).ConfigureAwait(false) : null;
        if (user is { IsExternal: true })
        {
            user = null; // single-sign-on accounts have no password here
        }

        // Verify even when there is no such user (against a decoy hash) so the answer takes as long either way.
        var passwordOk = ConsoleSecrets.VerifyPassword(user, password ?? string.Empty, out var rehash);
        if (user is null)
        {
            await audit.AppendAsync([ConsoleAudit.Record(now, ConsoleAudit.SignInFailed, AuditActor.Anonymous(Truncate(normalized)), context, null,
                after: new Dictionary<string, string?> { ["reason"] = "unknown_account" }, outcome: AuditOutcomes.Refused)], ct).ConfigureAwait(false);
            return new SignInOutcome(SignInStatus.Failed);
        }

        var changes = new ConsoleChanges();
        if (user.Status != ConsoleUserStatus.Active || user.LockedUntil > now)
        {
            changes.AuditRecords.Add(ConsoleAudit.Record(now, ConsoleAudit.SignInFailed, ConsoleAudit.Self(user), context, user,
                after: new Dictionary<string, string?> { ["reason"] = user.Status != ConsoleUserStatus.Active ? "account_" + user.Status.ToString().ToLowerInvariant() : "locked_out" },
                outcome: AuditOutcomes.Refused));
            await store.CommitAsync(changes, ct).ConfigureAwait(false);
            return new SignInOutcome(SignInStatus.Failed);
        }

        if (!passwordOk)
        {
            RecordFailure(user, now, context, changes, "wrong_password");
            await store.CommitAsync(changes, ct).ConfigureAwait(false);
            return new SignInOutcome(SignInStatus.Failed);
        }

        user.FailedSignIns = 0;
        user.LockedUntil = null;
        if (rehash && password is not null)
        {
            user.PasswordHash = ConsoleSecrets.HashPassword(user, password);
        }

        if (user.TwoFactorEnabled)
        {
            changes.UpdatedUsers.Add(user);
            await store.CommitAsync(changes, ct).ConfigureAwait(false);
            return new SignInOutcome(SignInStatus.TwoFactorRequired, user);
        }

        Succeed(user, now, context, changes, "password");
        await store.CommitAsync(changes, ct).ConfigureAwait(false);
        return new SignInOutcome(SignInStatus.Succeeded, user);
    }

    /// <summary>The second step: a TOTP code or, failing that, one of the recovery codes (used up).</summary>
    public async Task<SignInOutcome> TwoFactorSignInAsync(string userId, string? code, AuditContext context, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var user = await store.GetUserAsync(userId, ct).ConfigureAwait(false);
        if (user is null || !user.TwoFactorEnabled)
        {
            return new SignInOutcome(SignInStatus.Failed);
        }

        var changes = new ConsoleChanges();
        if (user.Status != ConsoleUserStatus.Active || user.LockedUntil > now)
        {
            changes.AuditRecords.Add(ConsoleAudit.Record(now, ConsoleAudit.SignInFailed, ConsoleAudit.Self(user), context, user,
                after: new Dictionary<string, string?> { ["reason"] = "locked_out", ["step"] = "two_factor" }, outcome: AuditOutcomes.Refused));
            await store.CommitAsync(changes, ct).ConfigureAwait(false);
            return new SignInOutcome(SignInStatus.Failed);
        }

        var method = twoFactor.TryConsume(user, code ?? string.Empty, now);
        if (method is null)
        {
            RecordFailure(user, now, context, changes, "wrong_code");
            await store.CommitAsync(changes, ct).ConfigureAwait(false);
            return new SignInOutcome(SignInStatus.Failed);
        }

        if (method == "recovery_code")
        {
            changes.AuditRecords.Add(ConsoleAudit.Record(now, ConsoleAudit.RecoveryCodeUsed, ConsoleAudit.Self(user), context, user,
                after: new Dictionary<string, string?> { ["recovery_codes_left"] = user.RecoveryCodeHashes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }

        user.FailedSignIns = 0;
        Succeed(user, now, context, changes, "password+" + method);
        await store.CommitAsync(changes, ct).ConfigureAwait(false);
        return new SignInOutcome(SignInStatus.Succeeded, user);
    }

    /// <summary>Records a sign-in through the OpenID provider for an account already matched or created by <see cref="ConsoleSsoService"/>.</summary>
    internal static void Succeed(ConsoleUser user, DateTimeOffset now, AuditContext context, ConsoleChanges changes, string method)
    {
        user.LastSignInAt = now;
        changes.UpdatedUsers.Add(user);
        changes.AuditRecords.Add(ConsoleAudit.Record(now, ConsoleAudit.SignIn, ConsoleAudit.Self(user), context, user,
            after: new Dictionary<string, string?> { ["method"] = method }));
    }

    /// <summary>The user behind a session, if it may go on: still active, same security stamp.</summary>
    public async Task<ConsoleUser?> FindSessionUserAsync(string userId, string securityStamp, CancellationToken ct)
    {
        var user = await store.GetUserAsync(userId, ct).ConfigureAwait(false);
        return user is { Status: ConsoleUserStatus.Active } && string.Equals(user.SecurityStamp, securityStamp, StringComparison.Ordinal) ? user : null;
    }

    public Task SignedOutAsync(ConsoleUser user, AuditContext context, CancellationToken ct)
    {
        var changes = new ConsoleChanges();
        changes.AuditRecords.Add(ConsoleAudit.Record(time.GetUtcNow(), ConsoleAudit.SignOut, ConsoleAudit.Self(user), context, user));
        return store.CommitAsync(changes, ct);
    }

    /// <summary>Ends every session of the user on every node (a new security stamp); the caller re-issues its own.</summary>
    public async Task<ConsoleUser> SignOutEverywhereAsync(string userId, AuditContext context, CancellationToken ct)
    {
        var user = await store.GetUserAsync(userId, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("user", userId);
        user.SecurityStamp = NewStamp();
        var changes = new ConsoleChanges();
        changes.UpdatedUsers.Add(user);
        changes.AuditRecords.Add(ConsoleAudit.Record(time.GetUtcNow(), ConsoleAudit.SignOutEverywhere, ConsoleAudit.Self(user), context, user));
        await store.CommitAsync(changes, ct).ConfigureAwait(false);
        user.Version++;
        return user;
    }

    public static string NewStamp() => ConsoleSecrets.NewToken();

    private void RecordFailure(ConsoleUser user, DateTimeOffset now, AuditContext context, ConsoleChanges changes, string reason)
    {
        user.FailedSignIns++;
        changes.UpdatedUsers.Add(user);
        changes.AuditRecords.Add(ConsoleAudit.Record(now, ConsoleAudit.SignInFailed, ConsoleAudit.Self(user), context, user,
            after: new Dictionary<string, string?> { ["reason"] = reason }, outcome: AuditOutcomes.Refused));
        if (user.FailedSignIns >= options.Value.MaxFailedSignIns)
        {
            user.FailedSignIns = 0;
            user.LockedUntil = now + options.Value.LockoutDuration;
            changes.AuditRecords.Add(ConsoleAudit.Record(now, ConsoleAudit.LockedOut, AuditActor.System, context, user,
                after: new Dictionary<string, string?> { ["locked_until"] = user.LockedUntil.Value.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) }));
        }
    }

    private static string Truncate(string value) => value.Length > 120 ? value[..120] : value;
}
