using System.ComponentModel.DataAnnotations;

namespace PaymentGateway.Core.BackOffice;

/// <summary>The console's settings (<c>PaymentGateway:Console</c>): sessions, lockout, links and single sign-on.</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "PaymentGateway:Console";

    /// <summary>Serve the console at /console (default on).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A session ends after this long without a request.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after sign-in, however active.</summary>
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How long a node trusts a user's stored status and security stamp before reading them again.</summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in, two-factor and password-reset posts allowed per client address per minute (on each node).</summary>
    [Range(1, 10_000)]
    public int SignInRequestsPerMinute { get; set; } = 10;

    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan OwnerSetupLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Cookies only over HTTPS. On by default; off only for plain-HTTP development on loopback.</summary>
    public bool? SecureCookies { get; set; }

    public ConsoleSsoOptions Sso { get; set; } = new();

    public ConsoleMailOptions Mail { get; set; } = new();
}

/// <summary>OpenID Connect single sign-on (<c>PaymentGateway:Console:Sso</c>); off unless <see cref="Authority"/> is set.</summary>
public sealed class ConsoleSsoOptions
{
    /// <summary>The issuer URL (…/.well-known/openid-configuration is read from it). Tokens must carry exactly this issuer.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The label of the sign-in button.</summary>
    public string DisplayName { get; set; } = "Single sign-on";

    /// <summary>The claim that carries roles or groups (Keycloak <c>roles</c>, Entra ID <c>roles</c>, Okta <c>groups</c>).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>
    /// Claim value → grant, written <c>role</c> (every merchant) or <c>role@mer_…</c> (one merchant). A user whose claims
    /// map to no grant is refused.
    /// </summary>
    public Dictionary<string, string> RoleMap { get; set; } = [];

    /// <summary>Create an account at first sign-in (just-in-time); off = only users invited beforehand (matched by email) may sign in.</summary>
    public bool JustInTimeAccounts { get; set; }

    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Scopes to ask for; empty means <c>openid profile email</c> (add the one that carries roles: Keycloak <c>roles</c>, Okta <c>groups</c>).</summary>
    public List<string> Scopes { get; set; } = [];

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}

/// <summary>Where invitation and password-reset mail goes (<c>PaymentGateway:Console:Mail</c>).</summary>
public sealed class ConsoleMailOptions
{
    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    public bool SmtpSsl { get; set; } = true;

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "PaymentGateway <no-reply@localhost>";

    /// <summary>Write each message as an .eml file here instead of sending it (development and tests).</summary>
    public string? PickupDirectory { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(SmtpHost) || !string.IsNullOrWhiteSpace(PickupDirectory);
}
