using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>The second step of sign-in: a TOTP code or a recovery code, for the user the password step named (a 5-minute cookie).</summary>
[EnableRateLimiting(ConsoleHostExtensions.SignInRateLimit)]
public sealed class SignInTwoFactorModel(ConsoleSignInService signIn) : ConsolePageModel
{
    [BindProperty]
    public TwoFactorInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await PendingUserIdAsync() is null ? LocalRedirect("/console/signin") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await PendingUserIdAsync() is not { } userId)
        {
            return LocalRedirect("/console/signin");
        }

        if (string.IsNullOrWhiteSpace(Input.Code))
        {
            AddFieldError(nameof(Input.Code), "Enter the code from your authenticator app.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var outcome = await signIn.TwoFactorSignInAsync(userId, Input.Code, HttpContext.AuditContext(), HttpContext.RequestAborted);
        if (outcome is { Status: SignInStatus.Succeeded, User: { } user })
        {
            await ConsoleSession.SignInAsync(HttpContext, user, "pwd+otp");
            return LocalRedirect(ConsoleRedirects.Local(ReturnUrl));
        }

        AddFieldError(nameof(Input.Code), "That code is not right, or it was used already. Wait for the next code and try again.");
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private async Task<string?> PendingUserIdAsync()
    {
        var result = await HttpContext.AuthenticateAsync(ConsoleSession.TwoFactorScheme);
        return result.Succeeded ? result.Principal?.FindFirst(ConsoleSession.UserIdClaim)?.Value : null;
    }
}

public sealed class TwoFactorInput
{
    public string? Code { get; set; }
}
