using PaymentGateway.Core.Audit;

namespace PaymentGateway.Core.BackOffice;

/// <summary>The console's audit action names, and small builders for their records.</summary>
public static class ConsoleAudit
{
    public const string SignIn = "console.sign_in";
    public const string SignInFailed = "console.sign_in_failed";
    public const string LockedOut = "console.user.locked_out";
    public const string SignOut = "console.sign_out";
    public const string SignOutEverywhere = "console.sign_out_everywhere";
    public const string TwoFactorEnabled = "console.two_factor.enabled";
    public const string TwoFactorReset = "console.two_factor.reset";
    public const string RecoveryCodesRegenerated = "console.two_factor.recovery_codes_regenerated";
    public const string RecoveryCodeUsed = "console.two_factor.recovery_code_used";
    public const string PasswordChanged = "console.password.changed";
    public const string PasswordResetRequested = "console.password.reset_requested";
    public const string PasswordResetLinkCreated = "console.password.reset_link_created";
    public const string PasswordReset = "console.password.reset";
    public const string InvitationCreated = "console.invitation.created";
    public const string InvitationRevoked = "console.invitation.revoked";
    public const string InvitationAccepted = "console.invitation.accepted";
    public const string OwnerSetupCreated = "console.owner_setup.created";
    public const string UserCreated = "console.user.created";
    public const string UserRoleChanged = "console.user.role_changed";
    public const string UserDisabled = "console.user.disabled";
    public const string UserEnabled = "console.user.enabled";
    public const string UserRemoved = "console.user.removed";
    public const string UserRefundLimitChanged = "console.user.refund_limit_changed";
    public const string AuditExported = "console.audit.exported";

    public const string UserTarget = "console_user";
    public const string LinkTarget = "console_link";

    internal static AuditRecord Record(DateTimeOffset now, string action, AuditActor actor, AuditContext context, ConsoleUser? target,
        IReadOnlyDictionary<string, string?>? before = null, IReadOnlyDictionary<string, string?>? after = null, string? merchantId = null,
        string outcome = AuditOutcomes.Succeeded) => new()
        {
            Created = now,
            Action = action,
            Outcome = outcome,
            Actor = actor,
            MerchantId = merchantId,
            TargetType = target is null ? null : UserTarget,
            TargetId = target?.Id,
            Before = before,
            After = after,
            Context = context,
        };

    /// <summary>A record about an invitation or owner-setup link (its merchant is the one its grants name).</summary>
    internal static AuditRecord LinkRecord(DateTimeOffset now, string action, AuditActor actor, AuditContext context, ConsoleLink link,
        IReadOnlyDictionary<string, string?>? before = null, IReadOnlyDictionary<string, string?>? after = null) => new()
        {
            Created = now,
            Action = action,
            Actor = actor,
            MerchantId = MerchantOf(link.Grants),
            TargetType = LinkTarget,
            TargetId = link.Id,
            Before = before,
            After = after,
            Context = context,
        };

    internal static AuditActor Self(ConsoleUser user, string? role = null) => new() { Type = AuditActorType.User, Id = user.Id, Email = user.Email, Role = role };

    /// <summary>Grants as audit text: <c>owner@*, viewer@mer_…</c>.</summary>
    internal static string Describe(IEnumerable<ConsoleGrant> grants) => string.Join(", ", grants.Select(g => g.ToString()));

    /// <summary>The merchant an entry about these grants belongs to: the one merchant they name, else none (platform-wide).</summary>
    internal static string? MerchantOf(IEnumerable<ConsoleGrant> grants)
    {
        var merchants = grants.Select(g => g.MerchantId).Distinct().ToList();
        return merchants.Count == 1 ? merchants[0] : null;
    }
}
