using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Host.Infrastructure;

namespace PaymentGateway.Host.BackOffice;

/// <summary>
/// The console's session: an encrypted, HttpOnly, SameSite=Lax cookie holding the user id, the security stamp at sign-in,
/// a fresh random session id and the sign-in time. Every request re-reads the user (cached for a few seconds): a
/// removed or disabled user, a changed stamp (sign-out everywhere, password reset) or a session past its absolute
/// lifetime ends there, on every node. Idle expiry is the cookie's sliding lifetime.
/// </summary>
public static class ConsoleSession
{
    public const string Scheme = "Console";

    /// <summary>A short-lived cookie between the password step and the second factor; it grants nothing else.</summary>
    public const string TwoFactorScheme = "Console.TwoFactor";

    public const string OidcScheme = "Console.Oidc";

    public const string UserIdClaim = "uid";
    public const string StampClaim = "stamp";
    public const string SessionIdClaim = "sid";
    public const string SignedInAtClaim = "auth_time";
    public const string MethodClaim = "amr";

    private const string UserItem = "PaymentGateway.ConsoleUser";

    public static ClaimsPrincipal CreatePrincipal(ConsoleUser user, string method, TimeProvider time) =>
        new(new ClaimsIdentity(
            [
                new Claim(UserIdClaim, user.Id),
                new Claim(StampClaim, user.SecurityStamp),
                new Claim(SessionIdClaim, Core.BackOffice.ConsoleSecrets.NewToken()),
                new Claim(SignedInAtClaim, time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)),
                new Claim(MethodClaim, method),
            ], Scheme, UserIdClaim, null));

    /// <summary>Starts a new session (a new cookie and session id, whatever cookie came in: no fixation).</summary>
    public static async Task SignInAsync(HttpContext http, ConsoleUser user, string method)
    {
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        await http.SignOutAsync(TwoFactorScheme);
        await http.SignOutAsync(Scheme);
        await http.SignInAsync(Scheme, CreatePrincipal(user, method, time), new AuthenticationProperties { IsPersistent = false });
        http.RequestServices.GetRequiredService<ConsoleSessionCache>().Invalidate(user.Id);
    }

    /// <summary>The signed-in user, as validated for this request, or null.</summary>
    public static ConsoleUser? ConsoleUser(this HttpContext http) => http.Items[UserItem] as ConsoleUser;

    /// <summary>Who is acting, for the services: the stored grants (none while two-factor enrolment is pending) and where the request came from.</summary>
    public static ConsoleCaller ConsoleCaller(this HttpContext http)
    {
        var user = http.ConsoleUser() ?? throw new InvalidOperationException("No console user on this request.");
        return new ConsoleCaller
        {
            UserId = user.Id,
            Email = user.Email,
            Grants = NeedsEnrolment(user) ? [] : user.Grants,
            RefundLimit = user.RefundLimit,
            Context = http.AuditContext(),
        };
    }

    public static AuditContext AuditContext(this HttpContext http)
    {
        var agent = http.Request.Headers.UserAgent.ToString();
        return new AuditContext
        {
            Ip = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = agent.Length > 300 ? agent[..300] : agent,
            RequestId = http.GetRequestId(),
        };
    }

    public static bool NeedsEnrolment(ConsoleUser user) => user.TwoFactorRequired && !user.TwoFactorEnabled;

    /// <summary>The cookie's per-request check (wired as <see cref="CookieAuthenticationEvents.OnValidatePrincipal"/>).</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var http = context.HttpContext;
        var principal = context.Principal;
        var userId = principal?.FindFirst(UserIdClaim)?.Value;
        var stamp = principal?.FindFirst(StampClaim)?.Value;
        var options = http.RequestServices.GetRequiredService<IOptions<ConsoleOptions>>().Value;
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        var signedInAt = long.TryParse(principal?.FindFirst(SignedInAtClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.MinValue;
        var user = userId is null || stamp is null || time.GetUtcNow() - signedInAt > options.AbsoluteTimeout
            ? null
            : await http.RequestServices.GetRequiredService<ConsoleSessionCache>().FindAsync(userId, stamp, http.RequestAborted);
        if (user is null)
        {
            context.RejectPrincipal();
            await http.SignOutAsync(Scheme);
            return;
        }

        http.Items[UserItem] = user;
    }
}
