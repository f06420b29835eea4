using System.Globalization;
using System.Net.Mail;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.BackOffice;

/// <summary>An invitation link made for a person: the link (shown once to the owner) and whether it was mailed.</summary>
public sealed record InvitationCreated(ConsoleLink Link, string Token, bool Mailed);

/// <summary>
/// The team: users and their grants, invitations, disabling and removing, resetting another user's second factor, the
/// first owner. Owners manage users on the merchants they own; a platform owner manages everyone. Nobody changes their
/// own grants, and the last platform owner cannot be removed, disabled or demoted.
/// </summary>
public sealed class ConsoleTeamService(IConsoleStore store, IAuditStore audit, IConsoleMailer mailer, IOptions<ConsoleOptions> options, TimeProvider time)
{
    /// <summary>
    /// Users the caller may manage (every user for a platform owner), in id order, cursor-paged, filtered by the store:
    /// the caller's merchant scope always applies; <paramref name="filter"/> narrows it (merchant, role, status, search).
    /// </summary>
    public async Task<IReadOnlyList<ConsoleUser>> ListUsersAsync(ConsoleCaller caller, ConsoleUserQuery filter, CancellationToken ct)
    {
        caller.DemandAnywhere(ConsolePermission.ManageUsers);
        var scope = caller.MerchantsAllowing(ConsolePermission.ManageUsers);
        var search = filter.Search?.Trim();
        if (search?.Length > 200)
        {
            throw new ConsoleValidationException("Search", "Search for at most 200 characters.");
        }

        return await store.ListUsersAsync(filter with
        {
            MerchantScope = scope,
            Search = string.IsNullOrEmpty(search) ? null : search,
            Limit = Math.Clamp(filter.Limit, 1, 200),
        }, ct).ConfigureAwait(false);
    }

    public async Task<ConsoleUser> GetUserAsync(ConsoleCaller caller, string userId, CancellationToken ct)
    {
        caller.DemandAnywhere(ConsolePermission.ManageUsers);
        var user = await store.GetUserAsync(userId, ct).ConfigureAwait(false);
        if (user is null || user.Status == ConsoleUserStatus.Removed || !CanSee(caller, user))
        {
            throw GatewayException.NotFound("user", userId);
        }

        return user;
    }

    /// <summary>Sign-ins and refused sign-ins of a user, newest first (from the audit trail).</summary>
    public async Task<IReadOnlyList<AuditEntry>> SignInHistoryAsync(ConsoleCaller caller, string userId, int limit, CancellationToken ct)
    {
        _ = await GetUserAsync(caller, userId, ct).ConfigureAwait(false);
        var entries = new List<AuditEntry>();
        string? cursor = null;
        for (var pages = 0; pages < 10 && entries.Count < limit; pages++)
        {
            var page = await audit.ListAsync(new AuditQuery { TargetId = userId, Limit = 100, StartingAfter = cursor }, ct).ConfigureAwait(false);
            entries.AddRange(page.Where(e => e.Record.Action is ConsoleAudit.SignIn or ConsoleAudit.SignInFailed or ConsoleAudit.LockedOut).Take(limit - entries.Count));
            if (page.Count < 100)
            {
                break;
            }

            cursor = page[^1].Id;
        }

        return entries;
    }

    public async Task<IReadOnlyList<ConsoleLink>> ListInvitationsAsync(ConsoleCaller caller, CancellationToken ct)
    {
        caller.DemandAnywhere(ConsolePermission.ManageUsers);
        var links = await store.ListOpenLinksAsync(ConsoleLinkPurpose.Invitation, time.GetUtcNow(), 200, ct).ConfigureAwait(false);
        return links.Where(l => l.Grants.All(g => caller.Can(ConsolePermission.ManageUsers, g.MerchantId))).ToList();
    }

    /// <summary>Invites a person by email with one grant. Refuses an email that already has an account.</summary>
    public async Task<InvitationCreated> InviteAsync(ConsoleCaller caller, string? email, string? role, string? merchantId, string linkBaseUrl, CancellationToken ct)
    {
        var address = ValidEmail(email, "Email");
        if (!ConsoleRoles.TryParse(role, out var parsedRole))
        {
            throw new ConsoleValidationException("Role", "Choose a role.");
        }

        var merchant = string.IsNullOrWhiteSpace(merchantId) || merchantId == "*" ? null : merchantId.Trim();
        var callerRole = caller.Demand(ConsolePermission.ManageUsers, merchant);
        if (await store.FindUserByEmailAsync(address, ct).ConfigureAwait(false) is { Status: not ConsoleUserStatus.Removed })
        {
            throw new ConsoleValidationException("Email", "This person already has an account; change their role on their page.");
        }

        var now = time.GetUtcNow();
        var token = ConsoleSecrets.NewToken();
        var grants = new List<ConsoleGrant> { new() { MerchantId = merchant, Role = parsedRole } };
        var link = ConsolePasswordService.NewLink(ConsoleLinkPurpose.Invitation, token, null, caller.UserId, now, options.Value.InvitationLifetime, address, grants);
        var changes = new ConsoleChanges();
        changes.NewLinks.Add(link);
        changes.AuditRecords.Add(ConsoleAudit.LinkRecord(now, ConsoleAudit.InvitationCreated, caller.Actor(callerRole), caller.Context, link,
            after: new Dictionary<string, string?> { ["email"] = address, ["grants"] = ConsoleAudit.Describe(grants), ["expires_at"] = Iso(link.ExpiresAt) }));
        await store.CommitAsync(changes, ct).ConfigureAwait(false);
        var mailed = mailer.Enqueue(new ConsoleMail(address, "You are invited to the PaymentGateway console",
            $"You are invited to the PaymentGateway console as {parsedRole.ToWire()}.\n\nAccept (the link works once, until {Iso(link.ExpiresAt)}):\n{linkBaseUrl}?token={token}\n"));
        return new InvitationCreated(link, token, mailed);
    }

    public async Task RevokeInvitationAsync(ConsoleCaller caller, string linkId, CancellationToken ct)
    {
        var link = await store.GetLinkAsync(linkId, ct).ConfigureAwait(false);
        if (link is not { Purpose: ConsoleLinkPurpose.Invitation } || !link.Grants.All(g => caller.Can(ConsolePermission.ManageUsers, g.MerchantId)))
        {
            caller.DemandAnywhere(ConsolePermission.ManageUsers);
            throw GatewayException.NotFound("invitation", linkId);
        }

        var role = caller.Demand(ConsolePermission.ManageUsers, ConsoleAudit.MerchantOf(link.Grants));
        if (link.IsOpen(time.GetUtcNow()))
        {
            var now = time.GetUtcNow();
            link.RevokedAt = now;
            var changes = new ConsoleChanges();
            changes.UpdatedLinks.Add(link);
            changes.AuditRecords.Add(ConsoleAudit.LinkRecord(now, ConsoleAudit.InvitationRevoked, caller.Actor(role), caller.Context, link,
                before: new Dictionary<string, string?> { ["email"] = link.Email, ["grants"] = ConsoleAudit.Describe(link.Grants) }));
            await store.CommitAsync(changes, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The open invitation or owner-setup link for a token, or null.</summary>
    public async Task<ConsoleLink?> FindJoinLinkAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var link = await store.FindLinkByTokenHashAsync(ConsoleSecrets.HashToken(token), ct).ConfigureAwait(false);
        return link is { Purpose: ConsoleLinkPurpose.Invitation or ConsoleLinkPurpose.OwnerSetup } && link.IsOpen(time.GetUtcNow()) ? link : null;
    }

    /// <summary>Accepts an invitation (or sets up the first owner): creates the account with the link's grants and uses up the link.</summary>
    public async Task<ConsoleUser?> AcceptAsync(string? token, string? email, string? name, string? password, AuditContext context, CancellationToken ct)
    {
        var link = await FindJoinLinkAsync(token, ct).ConfigureAwait(false);
        if (link is null)
        {
            return null;
        }

        var address = link.Email ?? ValidEmail(email, "Email");
        var trimmedName = name?.Trim() ?? string.Empty;
        if (trimmedName.Length is 0 or > 100)
        {
            throw new ConsoleValidationException("Name", "Enter your name (up to 100 characters).");
        }

        if (PasswordPolicy.Check(password, address) is { } problem)
        {
            throw new ConsoleValidationException("Password", problem);
        }

        var existing = await store.FindUserByEmailAsync(address, ct).ConfigureAwait(false);
        if (existing is { Status: not ConsoleUserStatus.Removed })
        {
            throw new ConsoleValidationException("Email", "An account with this email exists already; sign in instead.");
        }

        var now = time.GetUtcNow();
        var changes = new ConsoleChanges();

        // A removed account with this email comes back as a new start (its history stays under the same id).
        var user = existing ?? new ConsoleUser { Id = Ids.New(Ids.ConsoleUser), Email = address, SecurityStamp = string.Empty, Created = now };
        user.Email = address;
        user.Name = trimmedName;
        user.Status = ConsoleUserStatus.Active;
        user.Grants = [.. link.Grants];
        user.SecurityStamp = ConsoleSignInService.NewStamp();
        user.TotpSecret = null;
        user.PendingTotpSecret = null;
        user.RecoveryCodeHashes = [];
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        user.ExternalIssuer = null;
        user.ExternalSubject = null;
        user.RefundLimit = null;
        user.PasswordHash = ConsoleSecrets.HashPassword(user, password ?? string.Empty);
        link.UsedAt = now;
        (existing is null ? changes.NewUsers : changes.UpdatedUsers).Add(user);
        changes.UpdatedLinks.Add(link);
        changes.AuditRecords.Add(ConsoleAudit.Record(now, link.Purpose == ConsoleLinkPurpose.OwnerSetup ? ConsoleAudit.UserCreated : ConsoleAudit.InvitationAccepted,
            ConsoleAudit.Self(user), context, user,
            after: new Dictionary<string, string?> { ["email"] = address, ["name"] = trimmedName, ["grants"] = ConsoleAudit.Describe(user.Grants), ["link"] = link.Id },
            merchantId: ConsoleAudit.MerchantOf(user.Grants)));
        await store.CommitAsync(changes, ct).ConfigureAwait(false);
        return user;
    }

    /// <summary>
    /// A one-time link that sets up a platform owner (first start in development, <c>host create-owner</c> in
    /// production). The gateway never creates the account itself: the person opening the link chooses the password.
    /// </summary>
    public async Task<(ConsoleLink Link, string Token)> CreateOwnerSetupLinkAsync(string? email, AuditActor actor, CancellationToken ct)
    {
        var address = email is null ? null : ValidEmail(email, "email");
        var now = time.GetUtcNow();
        var token = ConsoleSecrets.NewToken();
        var grants = new List<ConsoleGrant> { new() { MerchantId = null, Role = ConsoleRole.Owner } };
        var link = ConsolePasswordService.NewLink(ConsoleLinkPurpose.OwnerSetup, token, null, null, now, options.Value.OwnerSetupLifetime, address, grants);
        var changes = new ConsoleChanges();
        changes.NewLinks.Add(link);
        changes.AuditRecords.Add(ConsoleAudit.LinkRecord(now, ConsoleAudit.OwnerSetupCreated, actor, AuditContext.None, link,
            after: new Dictionary<string, string?> { ["email"] = address, ["grants"] = ConsoleAudit.Describe(grants), ["expires_at"] = Iso(link.ExpiresAt) }));
        await store.CommitAsync(changes, ct).ConfigureAwait(false);
        return (link, token);
    }

    public Task<bool> AnyUserAsync(CancellationToken ct) => store.AnyUserAsync(ct);

    /// <summary>Gives the user <paramref name="role"/> on <paramref name="merchantId"/> (null/"*" = every merchant), or takes that grant away when <paramref name="role"/> is "none".</summary>
    public async Task SetGrantAsync(ConsoleCaller caller, string userId, string? merchantId, string? role, CancellationToken ct)
    {
        var user = await GetUserAsync(caller, userId, ct).ConfigureAwait(false);
        var merchant = string.IsNullOrWhiteSpace(merchantId) || merchantId == "*" ? null : merchantId.Trim();
        var callerRole = caller.Demand(ConsolePermission.ManageUsers, merchant);
        RefuseSelf(caller, user);
        ConsoleRole? parsed = null;
        if (!string.Equals(role, "none", StringComparison.Ordinal))
        {
            if (!ConsoleRoles.TryParse(role, out var r))
            {
                throw new ConsoleValidationException("Role", "Choose a role.");
            }

            parsed = r;
        }

        var before = ConsoleAudit.Describe(user.Grants);
        var grants = user.Grants.Where(g => !string.Equals(g.MerchantId, merchant, StringComparison.Ordinal)).ToList();
        if (parsed is { } newRole)
        {
            grants.Add(new ConsoleGrant { MerchantId = merchant, Role = newRole });
        }

        if (grants.Count == 0)
        {
            throw new ConsoleValidationException("Role", "A user keeps at least one role; remove the user instead.");
        }

        await RefuseLosingLastPlatformOwnerAsync(user, grants, ct).ConfigureAwait(false);
        var wasRequired = user.TwoFactorRequired;
        user.Grants = grants;
        if (!wasRequired && user.TwoFactorRequired)
        {
            user.SecurityStamp = ConsoleSignInService.NewStamp(); // sign in again, then enrol
        }

        await CommitUserAsync(caller, callerRole, user, ConsoleAudit.UserRoleChanged, merchant,
            new Dictionary<string, string?> { ["grants"] = before }, new Dictionary<string, string?> { ["grants"] = ConsoleAudit.Describe(grants) }, ct).ConfigureAwait(false);
    }

    public Task DisableAsync(ConsoleCaller caller, string userId, CancellationToken ct) => SetStatusAsync(caller, userId, ConsoleUserStatus.Disabled, ConsoleAudit.UserDisabled, ct);

    public Task EnableAsync(ConsoleCaller caller, string userId, CancellationToken ct) => SetStatusAsync(caller, userId, ConsoleUserStatus.Active, ConsoleAudit.UserEnabled, ct);

    /// <summary>Removes the user: their sessions end at their next request on every node; the record stays for the audit trail.</summary>
    public Task RemoveAsync(ConsoleCaller caller, string userId, CancellationToken ct) => SetStatusAsync(caller, userId, ConsoleUserStatus.Removed, ConsoleAudit.UserRemoved, ct);

    /// <summary>Clears another user's authenticator and recovery codes (a lost phone); they enrol again at next sign-in.</summary>
    public async Task ResetTwoFactorAsync(ConsoleCaller caller, string userId, CancellationToken ct)
    {
        var user = await GetUserAsync(caller, userId, ct).ConfigureAwait(false);
        var role = DemandOver(caller, user);
        RefuseSelf(caller, user);
        var before = user.TwoFactorEnabled ? "totp" : "none";
        user.TotpSecret = null;
        user.PendingTotpSecret = null;
        user.RecoveryCodeHashes = [];
        user.SecurityStamp = ConsoleSignInService.NewStamp();
        await CommitUserAsync(caller, role, user, ConsoleAudit.TwoFactorReset, ConsoleAudit.MerchantOf(user.Grants),
            new Dictionary<string, string?> { ["two_factor"] = before }, new Dictionary<string, string?> { ["two_factor"] = "none" }, ct).ConfigureAwait(false);
    }

    public async Task SetRefundLimitAsync(ConsoleCaller caller, string userId, string? limit, CancellationToken ct)
    {
        var user = await GetUserAsync(caller, userId, ct).ConfigureAwait(false);
        var role = DemandOver(caller, user);
        long? parsed = null;
        if (!string.IsNullOrWhiteSpace(limit))
        {
            if (!long.TryParse(limit.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                throw new ConsoleValidationException("RefundLimit", "Enter a whole number of minor units (cents) above zero, or leave it empty for no limit.");
            }

            parsed = value;
        }

        var before = user.RefundLimit?.ToString(CultureInfo.InvariantCulture);
        user.RefundLimit = parsed;
        await CommitUserAsync(caller, role, user, ConsoleAudit.UserRefundLimitChanged, ConsoleAudit.MerchantOf(user.Grants),
            new Dictionary<string, string?> { ["refund_limit"] = before }, new Dictionary<string, string?> { ["refund_limit"] = parsed?.ToString(CultureInfo.InvariantCulture) }, ct).ConfigureAwait(false);
    }

    /// <summary>The caller must manage users on every merchant the target has a grant on (a platform grant needs a platform owner).</summary>
    internal static ConsoleRole DemandOver(ConsoleCaller caller, ConsoleUser user)
    {
        ConsoleRole role = ConsoleRole.Owner;
        foreach (var grant in user.Grants.DefaultIfEmpty(new ConsoleGrant { MerchantId = null, Role = ConsoleRole.Viewer }))
        {
            role = caller.Demand(ConsolePermission.ManageUsers, grant.MerchantId);
        }

        return role;
    }

    private async Task SetStatusAsync(ConsoleCaller caller, string userId, ConsoleUserStatus status, string action, CancellationToken ct)
    {
        var user = await GetUserAsync(caller, userId, ct).ConfigureAwait(false);
        var role = DemandOver(caller, user);
        RefuseSelf(caller, user);
        if (status != ConsoleUserStatus.Active)
        {
            await RefuseLosingLastPlatformOwnerAsync(user, [], ct).ConfigureAwait(false);
        }

        var before = user.Status;
        user.Status = status;
        user.SecurityStamp = ConsoleSignInService.NewStamp();
        await CommitUserAsync(caller, role, user, action, ConsoleAudit.MerchantOf(user.Grants),
            new Dictionary<string, string?> { ["status"] = Wire(before) }, new Dictionary<string, string?> { ["status"] = Wire(status) }, ct).ConfigureAwait(false);
    }

    private async Task CommitUserAsync(ConsoleCaller caller, ConsoleRole role, ConsoleUser user, string action, string? merchantId,
        Dictionary<string, string?> before, Dictionary<string, string?> after, CancellationToken ct)
    {
        var changes = new ConsoleChanges();
        changes.UpdatedUsers.Add(user);
        changes.AuditRecords.Add(ConsoleAudit.Record(time.GetUtcNow(), action, caller.Actor(role), caller.Context, user, before, after, merchantId));
        await store.CommitAsync(changes, ct).ConfigureAwait(false);
    }

    private static void RefuseSelf(ConsoleCaller caller, ConsoleUser user)
    {
        if (string.Equals(caller.UserId, user.Id, StringComparison.Ordinal))
        {
            throw new ConsoleValidationException("Role", "You cannot change your own access; ask another owner.");
        }
    }

    private async Task RefuseLosingLastPlatformOwnerAsync(ConsoleUser user, List<ConsoleGrant> newGrants, CancellationToken ct)
    {
        static bool IsPlatformOwner(IEnumerable<ConsoleGrant> grants) => grants.Any(g => g is { IsPlatform: true, Role: ConsoleRole.Owner });
        if (!IsPlatformOwner(user.Grants) || IsPlatformOwner(newGrants))
        {
            return;
        }

        string? cursor = null;
        while (true)
        {
            var page = await store.ListUsersAsync(new ConsoleUserQuery { StartingAfter = cursor, Limit = 200, Role = ConsoleRole.Owner }, ct).ConfigureAwait(false);
            if (page.Any(u => u.Id != user.Id && u.Status == ConsoleUserStatus.Active && IsPlatformOwner(u.Grants)))
            {
                return;
            }

            if (page.Count < 200)
            {
                throw new ConsoleValidationException("Role", "This is the last platform owner; make someone else a platform owner first.");
            }

            cursor = page[^1].Id;
        }
    }

    private static bool CanSee(ConsoleCaller caller, ConsoleUser user)
    {
        var scope = caller.MerchantsAllowing(ConsolePermission.ManageUsers);
        return scope is null || user.Grants.Any(g => g.MerchantId is { } m && scope.Contains(m));
    }

    internal static string ValidEmail(string? email, string field)
    {
        var trimmed = email?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > 254 || !MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed || !trimmed.Contains('.', StringComparison.Ordinal))
        {
            throw new ConsoleValidationException(field, "Enter an email address like name@example.com.");
        }

        return trimmed;
    }

    private static string Wire(ConsoleUserStatus status) => status.ToString().ToLowerInvariant();

    private static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
