using Microsoft.Extensions.Options;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.BackOffice;

/// <summary>What the OpenID provider vouched for, after the token was validated (issuer, audience, lifetime, signature, nonce).</summary>
public sealed record SsoIdentity
{
    public required string Issuer { get; init; }
    public required string Subject { get; init; }
    public string? Email { get; init; }
    public bool EmailVerified { get; init; }
    public string? Name { get; init; }
    public IReadOnlyList<string> RoleClaims { get; init; } = [];
}

/// <summary>
/// Single sign-on accounts: an identity is matched by issuer and subject, or — once — by a verified email to an invited
/// account; with just-in-time accounts on, a new one is created. Grants come from the role claim through the role map at
/// every sign-in, so the provider stays the source of truth; no mapped role means no access.
/// </summary>
public sealed class ConsoleSsoService(IConsoleStore store, IAuditStore audit, IOptions<ConsoleOptions> options, TimeProvider time)
{
    /// <summary>The signed-in user, or null with the refusal audited.</summary>
    public async Task<ConsoleUser?> SignInAsync(SsoIdentity identity, AuditContext context, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var sso = options.Value.Sso;
        var grants = MapGrants(identity.RoleClaims, sso.RoleMap);
        var user = await store.FindUserByExternalIdAsync(identity.Issuer, identity.Subject, ct).ConfigureAwait(false);
        var created = false;
        if (user is null && identity is { EmailVerified: true, Email: { Length: > 0 } email }
            && await store.FindUserByEmailAsync(email, ct).ConfigureAwait(false) is { ExternalSubject: null, Status: ConsoleUserStatus.Active } local)
        {
            user = local; // an invited or local account claims its provider identity once, by verified email
            user.ExternalIssuer = identity.Issuer;
            user.ExternalSubject = identity.Subject;
            user.PasswordHash = null;
            user.TotpSecret = null;
            user.RecoveryCodeHashes = [];
        }

        if (user is null && sso.JustInTimeAccounts && grants.Count > 0 && identity.Email is { Length: > 0 } newEmail
            && await store.FindUserByEmailAsync(newEmail, ct).ConfigureAwait(false) is null)
        {
            user = new ConsoleUser
            {
                Id = Ids.New(Ids.ConsoleUser),
                Email = newEmail,
                Name = identity.Name ?? newEmail,
                ExternalIssuer = identity.Issuer,
                ExternalSubject = identity.Subject,
                SecurityStamp = ConsoleSignInService.NewStamp(),
                Created = now,
            };
            created = true;
        }

        string? refusal = user switch
        {
            null => "no_account",
            { Status: not ConsoleUserStatus.Active } => "account_" + user.Status.ToString().ToLowerInvariant(),
            _ when grants.Count == 0 => "no_mapped_role",
            _ => null,
        };
        if (refusal is not null || user is null)
        {
            await audit.AppendAsync([ConsoleAudit.Record(now, ConsoleAudit.SignInFailed, AuditActor.Anonymous(identity.Email), context, user,
                after: new Dictionary<string, string?> { ["method"] = "oidc", ["reason"] = refusal, ["subject"] = identity.Subject }, outcome: AuditOutcomes.Refused)], ct).ConfigureAwait(false);
            return null;
        }

        var changes = new ConsoleChanges();
        var before = ConsoleAudit.Describe(user.Grants);
        user.Grants = grants;
        if (identity.Name is { Length: > 0 } name)
        {
            user.Name = name.Length > 100 ? name[..100] : name;
        }

        if (created)
        {
            changes.NewUsers.Add(user);
            changes.AuditRecords.Add(ConsoleAudit.Record(now, ConsoleAudit.UserCreated, ConsoleAudit.Self(user), context, user,
                after: new Dictionary<string, string?> { ["email"] = user.Email, ["grants"] = ConsoleAudit.Describe(grants), ["method"] = "oidc_just_in_time" }));
            user.LastSignInAt = now;
            changes.AuditRecords.Add(ConsoleAudit.Record(now, ConsoleAudit.SignIn, ConsoleAudit.Self(user), context, user, after: new Dictionary<string, string?> { ["method"] = "oidc" }));
        }
        else
        {
            if (!string.Equals(before, ConsoleAudit.Describe(grants), StringComparison.Ordinal))
            {
                changes.AuditRecords.Add(ConsoleAudit.Record(now, ConsoleAudit.UserRoleChanged, AuditActor.System, context, user,
                    new Dictionary<string, string?> { ["grants"] = before }, new Dictionary<string, string?> { ["grants"] = ConsoleAudit.Describe(grants), ["source"] = "oidc_role_claim" }));
            }

            ConsoleSignInService.Succeed(user, now, context, changes, "oidc");
        }

        await store.CommitAsync(changes, ct).ConfigureAwait(false);
        return user;
    }

    /// <summary>Maps claim values through the role map (<c>value → role</c> or <c>role@mer_…</c>); unknown values are ignored.</summary>
    public static List<ConsoleGrant> MapGrants(IEnumerable<string> claimValues, IReadOnlyDictionary<string, string> roleMap)
    {
        var grants = new List<ConsoleGrant>();
        foreach (var value in claimValues)
        {
            if (!roleMap.TryGetValue(value, out var mapped))
            {
                continue;
            }

            var parts = mapped.Split('@', 2);
            if (!ConsoleRoles.TryParse(parts[0], out var role))
            {
                continue;
            }

            var merchant = parts.Length == 2 && parts[1] is { Length: > 0 } m && m != "*" ? m : null;
            if (!grants.Any(g => g.MerchantId == merchant && g.Role <= role))
            {
                grants.RemoveAll(g => g.MerchantId == merchant);
                grants.Add(new ConsoleGrant { MerchantId = merchant, Role = role });
            }
        }

        return grants;
    }
}
