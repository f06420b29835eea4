using Microsoft.Extensions.Options;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.BackOffice;

/// <summary>A form field's error: the field's name and the message shown next to it. Nothing was changed.</summary>
public class ConsoleValidationException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Passwords: change (with the current one), and reset by a single-use link that expires. A reset request answers the
/// same whether or not the account exists; the mail goes out in the background.
/// </summary>
public sealed class ConsolePasswordService(IConsoleStore store, IConsoleMailer mailer, IOptions<ConsoleOptions> options, TimeProvider time)
{
    public async Task ChangePasswordAsync(ConsoleCaller caller, string? currentPassword, string? newPassword, CancellationToken ct)
    {
        var user = await store.GetUserAsync(caller.UserId, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("user", caller.UserId);
        if (user.IsExternal)
        {
            throw new ConsoleValidationException("CurrentPassword", "This account signs in through single sign-on; its password is managed there.");
        }

        if (!ConsoleSecrets.VerifyPassword(user, currentPassword ?? string.Empty, out _))
        {
            throw new ConsoleValidationException("CurrentPassword", "The current password is not right.");
        }

        if (PasswordPolicy.Check(newPassword, user.Email) is { } problem)
        {
            throw new ConsoleValidationException("NewPassword", problem);
        }

        user.PasswordHash = ConsoleSecrets.HashPassword(user, newPassword ?? string.Empty);
        user.SecurityStamp = ConsoleSignInService.NewStamp(); // other sessions end; the caller re-issues its own
        var changes = new ConsoleChanges();
        changes.UpdatedUsers.Add(user);
        changes.AuditRecords.Add(ConsoleAudit.Record(time.GetUtcNow(), ConsoleAudit.PasswordChanged, ConsoleAudit.Self(user), caller.Context, user));
        await store.CommitAsync(changes, ct).ConfigureAwait(false);
    }

    /// <summary>Mails a reset link when an active local account has this email; otherwise does the same work and sends nothing.</summary>
    public async Task RequestResetAsync(string? email, string linkBaseUrl, AuditContext context, CancellationToken ct)
    {
        var normalized = email?.Trim() ?? string.Empty;
        if (normalized.Length is 0 or > 320 || !normalized.Contains('@', StringComparison.Ordinal))
        {
            throw new ConsoleValidationException("Email", "Enter the email address you sign in with.");
        }

        var now = time.GetUtcNow();
        var user = await store.FindUserByEmailAsync(normalized, ct).ConfigureAwait(false);
        var token = ConsoleSecrets.NewToken();
        var changes = new ConsoleChanges();
        if (user is { Status: ConsoleUserStatus.Active, IsExternal: false })
        {
            var link = NewLink(ConsoleLinkPurpose.PasswordReset, token, user, null, now, options.Value.PasswordResetLifetime);
            changes.NewLinks.Add(link);
            changes.AuditRecords.Add(ConsoleAudit.Record(now, ConsoleAudit.PasswordResetRequested, AuditActor.Anonymous(user.Email), context, user,
                after: new Dictionary<string, string?> { ["link"] = link.Id }));
            await store.CommitAsync(changes, ct).ConfigureAwait(false);
            mailer.Enqueue(new ConsoleMail(user.Email, "Reset your PaymentGateway password",
                $"Someone asked to reset the password of your PaymentGateway console account.\n\nSet a new password (the link works once, for {options.Value.PasswordResetLifetime.TotalMinutes:0} minutes):\n{linkBaseUrl}?token={token}\n\nIf it was not you, ignore this message."));
        }
        else
        {
            changes.AuditRecords.Add(ConsoleAudit.Record(now, ConsoleAudit.PasswordResetRequested, AuditActor.Anonymous(normalized.Length > 120 ? normalized[..120] : normalized),
                context, null, after: new Dictionary<string, string?> { ["reason"] = "no_local_account" }, outcome: AuditOutcomes.Refused));
            await store.CommitAsync(changes, ct).ConfigureAwait(false);
        }
    }

    /// <summary>An owner makes a reset link for a team member to hand over (when no mail is configured); shown once.</summary>
    public async Task<string> CreateResetLinkAsync(ConsoleCaller caller, string userId, CancellationToken ct)
    {
        var user = await store.GetUserAsync(userId, ct).ConfigureAwait(false) ?? throw GatewayException.NotFound("user", userId);
        var role = ConsoleTeamService.DemandOver(caller, user);
        if (user.IsExternal || user.Status == ConsoleUserStatus.Removed)
        {
            throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "This account has no password to reset here.");
        }

        var now = time.GetUtcNow();
        var token = ConsoleSecrets.NewToken();
        var link = NewLink(ConsoleLinkPurpose.PasswordReset, token, user, caller.UserId, now, options.Value.PasswordResetLifetime);
        var changes = new ConsoleChanges();
        changes.NewLinks.Add(link);
        changes.AuditRecords.Add(ConsoleAudit.Record(now, ConsoleAudit.PasswordResetLinkCreated, caller.Actor(role), caller.Context, user,
            after: new Dictionary<string, string?> { ["link"] = link.Id }, merchantId: ConsoleAudit.MerchantOf(user.Grants)));
        await store.CommitAsync(changes, ct).ConfigureAwait(false);
        return token;
    }

    /// <summary>The open reset link for a token, or null (unknown, used, revoked or expired).</summary>
    public async Task<ConsoleLink?> FindResetLinkAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var link = await store.FindLinkByTokenHashAsync(ConsoleSecrets.HashToken(token), ct).ConfigureAwait(false);
        return link is { Purpose: ConsoleLinkPurpose.PasswordReset } && link.IsOpen(time.GetUtcNow()) ? link : null;
    }

    /// <summary>Sets the new password, uses up the link, unlocks the account and ends every session.</summary>
    public async Task<bool> CompleteResetAsync(string? token, string? newPassword, AuditContext context, CancellationToken ct)
    {
        var link = await FindResetLinkAsync(token, ct).ConfigureAwait(false);
        var user = link?.UserId is { } id ? await store.GetUserAsync(id, ct).ConfigureAwait(false) : null;
        if (link is null || user is not { Status: ConsoleUserStatus.Active })
        {
            return false;
        }

        if (PasswordPolicy.Check(newPassword, user.Email) is { } problem)
        {
            throw new ConsoleValidationException("NewPassword", problem);
        }

        var now = time.GetUtcNow();
        user.PasswordHash = ConsoleSecrets.HashPassword(user, newPassword ?? string.Empty);
        user.SecurityStamp = ConsoleSignInService.NewStamp();
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        link.UsedAt = now;
        var changes = new ConsoleChanges();
        changes.UpdatedUsers.Add(user);
        changes.UpdatedLinks.Add(link);
        changes.AuditRecords.Add(ConsoleAudit.Record(now, ConsoleAudit.PasswordReset, AuditActor.Anonymous(user.Email), context, user,
            after: new Dictionary<string, string?> { ["link"] = link.Id }));
        await store.CommitAsync(changes, ct).ConfigureAwait(false);
        return true;
    }

    internal static ConsoleLink NewLink(ConsoleLinkPurpose purpose, string token, ConsoleUser? user, string? createdBy, DateTimeOffset now, TimeSpan lifetime,
        string? email = null, List<ConsoleGrant>? grants = null) => new()
        {
            Id = Ids.New(Ids.ConsoleLink),
            Purpose = purpose,
            TokenHash = ConsoleSecrets.HashToken(token),
            Email = user?.Email ?? email,
            UserId = user?.Id,
            Grants = grants ?? [],
            CreatedBy = createdBy,
            Created = now,
            ExpiresAt = now + lifetime,
        };
}
