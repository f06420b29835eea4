using PaymentGateway.Core.Audit;

namespace PaymentGateway.Core.BackOffice;

/// <summary>
/// The signed-in console user making a request: who they are and their grants as stored now (never as remembered in
/// the cookie), plus where the request came from for the audit trail. Console services take it as their first
/// argument and call <see cref="Demand"/> before they read or change anything.
/// </summary>
public sealed record ConsoleCaller
{
    public required string UserId { get; init; }

    public required string Email { get; init; }

    public required IReadOnlyList<ConsoleGrant> Grants { get; init; }

    public required AuditContext Context { get; init; }

    /// <summary>The most this user may refund in one go (minor units of the payment's currency) when refunding as support; null = no limit set.</summary>
    public long? RefundLimit { get; init; }

    public bool IsPlatformOwner => Grants.Any(g => g is { IsPlatform: true, Role: ConsoleRole.Owner });

    /// <summary>The grants that apply to <paramref name="merchantId"/> (platform grants apply to every merchant); null asks for platform-wide grants only.</summary>
    public IEnumerable<ConsoleGrant> GrantsFor(string? merchantId) =>
        Grants.Where(g => g.IsPlatform || (merchantId is not null && string.Equals(g.MerchantId, merchantId, StringComparison.Ordinal)));

    /// <summary>The role that allows <paramref name="permission"/> on <paramref name="merchantId"/>, or null.</summary>
    public ConsoleRole? RoleAllowing(ConsolePermission permission, string? merchantId) =>
        GrantsFor(merchantId).Where(g => g.Role.Allows(permission)).Select(g => (ConsoleRole?)g.Role).OrderBy(r => r).FirstOrDefault();

    public bool Can(ConsolePermission permission, string? merchantId) => RoleAllowing(permission, merchantId) is not null;

    /// <summary>True when some grant (on any merchant) allows <paramref name="permission"/>: what the navigation shows.</summary>
    public bool CanAnywhere(ConsolePermission permission) => Grants.Any(g => g.Role.Allows(permission));

    /// <summary>Throws 403 (<c>console_permission_denied</c>) unless a grant allows <paramref name="permission"/> on <paramref name="merchantId"/>.</summary>
    public ConsoleRole Demand(ConsolePermission permission, string? merchantId) =>
        RoleAllowing(permission, merchantId) ?? throw new GatewayException(ErrorKind.PermissionDenied, ErrorCodes.ConsolePermissionDenied,
            "Your role does not allow this.");

    /// <summary>
    /// The role allowing <paramref name="permission"/> on <paramref name="merchantId"/>; without one, runs
    /// <paramref name="auditRefusal"/> (the service's audit entry with outcome <c>refused</c>) and throws 403 as
    /// <see cref="Demand"/> does. Every console write that is refused for its role goes through here.
    /// </summary>
    public async Task<ConsoleRole> DemandAuditedAsync(ConsolePermission permission, string? merchantId, Func<Task> auditRefusal)
    {
        ArgumentNullException.ThrowIfNull(auditRefusal);
        if (RoleAllowing(permission, merchantId) is { } role)
        {
            return role;
        }

        await auditRefusal().ConfigureAwait(false);
        return Demand(permission, merchantId);
    }

    /// <summary>Throws 403 unless some grant allows <paramref name="permission"/> (lists scoped afterwards to what the caller may see).</summary>
    public ConsoleRole DemandAnywhere(ConsolePermission permission) =>
        Grants.Where(g => g.Role.Allows(permission)).Select(g => (ConsoleRole?)g.Role).OrderBy(r => r).FirstOrDefault()
        ?? throw new GatewayException(ErrorKind.PermissionDenied, ErrorCodes.ConsolePermissionDenied, "Your role does not allow this.");

    /// <summary>The merchants a permission reaches, or null for every merchant (a platform grant allows it).</summary>
    public IReadOnlySet<string>? MerchantsAllowing(ConsolePermission permission)
    {
        if (Grants.Any(g => g.IsPlatform && g.Role.Allows(permission)))
        {
            return null;
        }

        return Grants.Where(g => g.MerchantId is not null && g.Role.Allows(permission)).Select(g => g.MerchantId ?? string.Empty).ToHashSet(StringComparer.Ordinal);
    }

    public AuditActor Actor(ConsoleRole? role) => new() { Type = AuditActorType.User, Id = UserId, Email = Email, Role = role?.ToWire() };
}
