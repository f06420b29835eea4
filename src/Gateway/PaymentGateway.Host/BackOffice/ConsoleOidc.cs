using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice;

/// <summary>
/// OpenID Connect single sign-on: authorization code flow with PKCE, the state and nonce in SameSite=Lax cookies, the
/// answer by query (so no cross-site form post is needed), and the ID token checked strictly — signature from the
/// provider's published keys, issuer exactly the configured authority, audience the client id, lifetime with one
/// minute of skew. The validated identity is then matched to a console user (<see cref="ConsoleSsoService"/>) and the
/// console's own session starts; a refusal of any kind is audited and ends on the sign-in page.
/// </summary>
public static partial class ConsoleOidc
{
    public const string CallbackPath = "/console/signin-oidc";

    /// <summary>Where the provider sends the browser back after ending its session (RP-initiated logout's post_logout_redirect_uri).</summary>
    public const string SignedOutCallbackPath = "/console/signout-oidc";

    /// <summary>The one token kept from the provider, in the encrypted session cookie: the ID token, sent back as id_token_hint at sign-out.</summary>
    public const string IdTokenName = "id_token";

    public static void Configure(OpenIdConnectOptions o, ConsoleSsoOptions sso, CookieSecurePolicy secure)
    {
        var authority = (sso.Authority ?? string.Empty).TrimEnd('/');
        o.Authority = authority;
        o.ClientId = sso.ClientId;
        o.ClientSecret = sso.ClientSecret;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.CallbackPath = CallbackPath;
        o.SignedOutCallbackPath = SignedOutCallbackPath;
        o.SignedOutRedirectUri = "/console/signin?signedOut=1";
        o.SignInScheme = ConsoleSession.Scheme;
        o.RequireHttpsMetadata = sso.RequireHttpsMetadata;
        o.MapInboundClaims = false;
        o.SaveTokens = false;
        o.GetClaimsFromUserInfoEndpoint = false;
        o.DisableTelemetry = true;
        o.Scope.Clear();
        foreach (var scope in sso.Scopes.Count == 0 ? ["openid", "profile", "email"] : sso.Scopes.Prepend("openid").Distinct(StringComparer.Ordinal))
        {
            o.Scope.Add(scope);
        }

        o.TokenValidationParameters.ValidateIssuer = true;
        o.TokenValidationParameters.ValidIssuers = [authority, authority + "/"];
        o.TokenValidationParameters.ValidateAudience = true;
        o.TokenValidationParameters.ValidAudience = sso.ClientId;
        o.TokenValidationParameters.ValidateLifetime = true;
        o.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(1);
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = secure;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = secure;
        o.Events.OnTokenValidated = TokenValidatedAsync;
        o.Events.OnRedirectToIdentityProviderForSignOut = context =>
        {
            // The session's ID token (read by the sign-out page before the cookie went) is the hint the provider needs
            // to end the right session without asking.
            context.ProtocolMessage.IdTokenHint ??= context.Properties?.GetParameter<string>(IdTokenName);
            return Task.CompletedTask;
        };
        o.Events.OnRemoteFailure = RemoteFailureAsync;
        o.Events.OnAuthenticationFailed = context =>
        {
            context.Fail(context.Exception);
            return Task.CompletedTask;
        };
    }

    private static async Task TokenValidatedAsync(TokenValidatedContext context)
    {
        var http = context.HttpContext;
        var principal = context.Principal ?? new ClaimsPrincipal();
        var settings = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConsoleOptions>>().Value.Sso;
        string? Claim(string type) => principal.FindFirst(type)?.Value;
        var identity = new SsoIdentity
        {
            Issuer = Claim("iss") ?? string.Empty,
            Subject = Claim("sub") ?? string.Empty,
            Email = Claim("email"),
            EmailVerified = string.Equals(Claim("email_verified"), "true", StringComparison.OrdinalIgnoreCase),
            Name = Claim("name"),
            RoleClaims = principal.FindAll(settings.RoleClaim).Select(c => c.Value).ToList(),
        };
        var user = identity.Subject.Length == 0
            ? null
            : await http.RequestServices.GetRequiredService<ConsoleSsoService>().SignInAsync(identity, http.AuditContext(), http.RequestAborted);
        if (user is null)
        {
            context.Fail("No console access for this identity.");
            return;
        }

        context.Principal = ConsoleSession.CreatePrincipal(user, "oidc", http.RequestServices.GetRequiredService<TimeProvider>());
        context.Properties ??= new AuthenticationProperties();
        context.Properties.IsPersistent = false;
        if (context.TokenEndpointResponse?.IdToken is { Length: > 0 } idToken)
        {
            context.Properties.StoreTokens([new AuthenticationToken { Name = IdTokenName, Value = idToken }]);
        }

        context.Properties.RedirectUri = ConsoleRedirects.Local(context.Properties.RedirectUri);
        http.RequestServices.GetRequiredService<ConsoleSessionCache>().Invalidate(user.Id);
    }

    private static async Task RemoteFailureAsync(RemoteFailureContext context)
    {
        var http = context.HttpContext;
        var reason = Classify(context.Failure);
        LogRefused(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PaymentGateway.Console.Sso"), reason);
        await http.RequestServices.GetRequiredService<Core.Storage.IAuditStore>().AppendAsync([new AuditRecord
        {
            Created = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(),
            Action = ConsoleAudit.SignInFailed,
            Outcome = AuditOutcomes.Refused,
            Actor = AuditActor.Anonymous(null),
            After = new Dictionary<string, string?> { ["method"] = "oidc", ["reason"] = reason },
            Context = http.AuditContext(),
        }], http.RequestAborted);
        context.Response.Redirect("/console/signin?sso=refused");
        context.HandleResponse();
    }

    /// <summary>A short, secret-free reason for the audit trail and the log.</summary>
    public static string Classify(Exception? failure)
    {
        var text = failure?.ToString() ?? string.Empty;
        return text switch
        {
            _ when text.Contains("IDX10205", StringComparison.Ordinal) || text.Contains("IDX10204", StringComparison.Ordinal) => "oidc_bad_issuer",
            _ when text.Contains("IDX10214", StringComparison.Ordinal) || text.Contains("IDX10206", StringComparison.Ordinal) => "oidc_wrong_audience",
            _ when text.Contains("IDX10223", StringComparison.Ordinal) || text.Contains("IDX10222", StringComparison.Ordinal) => "oidc_token_expired",
            _ when text.Contains("Correlation failed", StringComparison.Ordinal) || text.Contains("state", StringComparison.OrdinalIgnoreCase) => "oidc_state_invalid",
            _ when text.Contains("No console access", StringComparison.Ordinal) => "oidc_no_access",
            _ when text.Contains("IDX10511", StringComparison.Ordinal) || text.Contains("IDX10503", StringComparison.Ordinal) => "oidc_bad_signature",
            _ => "oidc_failed",
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, EventName = "ConsoleSsoRefused", Message = "Console single sign-on refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}

/// <summary>Where the console may send a browser after sign-in: only a path on this site under /console; anything else goes home.</summary>
public static class ConsoleRedirects
{
    public static string Local(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2000 || returnUrl[0] != '/' || returnUrl.StartsWith("//", StringComparison.Ordinal)
            || returnUrl.StartsWith("/\\", StringComparison.Ordinal) || returnUrl.Contains('\\', StringComparison.Ordinal)
            || returnUrl.Any(char.IsControl) || !returnUrl.StartsWith("/console", StringComparison.OrdinalIgnoreCase))
        {
            return "/console";
        }

        return returnUrl;
    }
}
