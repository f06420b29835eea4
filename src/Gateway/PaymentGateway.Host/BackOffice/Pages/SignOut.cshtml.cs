using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>Ends this session (a POST with the anti-forgery token, so no other site can sign a user out).</summary>
[AllowDuringEnrolment]
public sealed class SignOutModel(ConsoleSignInService signIn) : ConsolePageModel
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

        await HttpContext.SignOutAsync(ConsoleSession.Scheme);
        return LocalRedirect("/console/signin?signedOut=1");
    }
}
