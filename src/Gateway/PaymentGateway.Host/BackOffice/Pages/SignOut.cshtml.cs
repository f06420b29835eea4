using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>
/// Ends this session (a POST with the anti-forgery token, so no other site can sign a user out). A session that began
/// with single sign-on also ends the provider's session: RP-initiated logout to its end_session_endpoint with the
/// session's ID token as id_token_hint and <see cref="ConsoleOidc.SignedOutCallbackPath"/> as post_logout_redirect_uri.
/// </summary>
[AllowDuringEnrolment]
public sealed class SignOutModel(ConsoleSignInService signIn, IOptions<ConsoleOptions> options) : ConsolePageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (CurrentUser is { } user)
        {
            await signIn.SignedOutAsync(user, HttpContext.AuditContext(), HttpContext.RequestAborted);
        }

        var session = await HttpContext.AuthenticateAsync(ConsoleSession.Scheme);
        var idToken = session.Properties?.GetTokenValue(ConsoleOidc.IdTokenName);
        var bySso = session.Principal?.FindFirst(ConsoleSession.MethodClaim)?.Value == "oidc";
        await HttpContext.SignOutAsync(ConsoleSession.Scheme);
        if (bySso && options.Value.Sso.IsEnabled && idToken is not null)
        {
            var properties = new AuthenticationProperties { RedirectUri = "/console/signin?signedOut=1" };
            properties.SetParameter(ConsoleOidc.IdTokenName, idToken);
            return SignOut(properties, ConsoleSession.OidcScheme);
        }

        return LocalRedirect("/console/signin?signedOut=1");
    }
}
