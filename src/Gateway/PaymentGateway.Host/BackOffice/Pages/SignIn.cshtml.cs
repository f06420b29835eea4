using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>
/// Sign-in with email and password. Every failure reads the same (unknown account, wrong password, locked, disabled),
/// takes as long, and is audited; after the password, users with a second factor go to its step. <c>returnUrl</c> may
/// only point inside the console.
/// </summary>
[EnableRateLimiting(ConsoleHostExtensions.SignInRateLimit)]
public sealed class SignInModel(ConsoleSignInService signIn, IOptions<ConsoleOptions> options) : ConsolePageModel
{
    [BindProperty]
    public SignInInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? SsoName => options.Value.Sso.IsEnabled ? options.Value.Sso.DisplayName : null;

    public IActionResult OnGet(string? sso, string? reset, string? signedOut)
    {
        if (CurrentUser is not null)
        {
            return LocalRedirect(ConsoleRedirects.Local(ReturnUrl));
        }

        Notice = sso == "refused" ? "Single sign-on did not let you in. Ask an owner for access, or sign in with your password."
            : reset is not null ? "Your password was changed. Sign in with the new one."
            : signedOut is not null ? "You are signed out." : null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Input.Email))
        {
            AddFieldError(nameof(Input.Email), "Enter your email address.");
        }

        if (string.IsNullOrEmpty(Input.Password))
        {
            AddFieldError(nameof(Input.Password), "Enter your password.");
        }

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var outcome = await signIn.PasswordSignInAsync(Input.Email, Input.Password, HttpContext.AuditContext(), HttpContext.RequestAborted);
        switch (outcome)
        {
            case { Status: SignInStatus.Succeeded, User: { } user }:
                await ConsoleSession.SignInAsync(HttpContext, user, "pwd");
                return LocalRedirect(ConsoleRedirects.Local(ReturnUrl));
            case { Status: SignInStatus.TwoFactorRequired, User: { } pending }:
                await HttpContext.SignOutAsync(ConsoleSession.Scheme);
                await HttpContext.SignInAsync(ConsoleSession.TwoFactorScheme,
                    new ClaimsPrincipal(new ClaimsIdentity([new Claim(ConsoleSession.UserIdClaim, pending.Id)], ConsoleSession.TwoFactorScheme)));
                return LocalRedirect("/console/signin/two-factor?returnUrl=" + Uri.EscapeDataString(ConsoleRedirects.Local(ReturnUrl)));
            default:
                AddFieldError(nameof(Input.Password), ConsoleSignInService.GenericFailure);
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
        }
    }
}

public sealed class SignInInput
{
    public string? Email { get; set; }

    public string? Password { get; set; }
}
