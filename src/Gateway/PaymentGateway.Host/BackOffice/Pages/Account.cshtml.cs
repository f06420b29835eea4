using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>The signed-in user's own account: change password, new recovery codes, sign out everywhere.</summary>
public sealed class AccountModel(ConsolePasswordService passwords, ConsoleTwoFactorService twoFactor, ConsoleSignInService signIn, ConsoleSessionCache sessions,
    Core.Storage.IConsoleStore store) : ConsolePageModel
{
    [BindProperty]
    public AccountInput Input { get; set; } = new();

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public void OnGet(string? changed) => Notice = changed is not null ? "Your password was changed. Other sessions were signed out." : null;

    public async Task<IActionResult> OnPostChangePasswordAsync()
    {
        if (!string.Equals(Input.NewPassword, Input.ConfirmPassword, StringComparison.Ordinal))
        {
            AddFieldError(nameof(Input.ConfirmPassword), "The two new passwords are not the same.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await passwords.ChangePasswordAsync(Caller, Input.CurrentPassword, Input.NewPassword, HttpContext.RequestAborted);
        var user = CurrentUser ?? throw new InvalidOperationException("Signed-in page.");
        sessions.Invalidate(user.Id);
        if (await store.GetUserAsync(user.Id, HttpContext.RequestAborted) is { } updated)
        {
            await ConsoleSession.SignInAsync(HttpContext, updated, "pwd");
        }

        return LocalRedirect("/console/account?changed=1");
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        var user = CurrentUser ?? throw new InvalidOperationException("Signed-in page.");
        RecoveryCodes = await twoFactor.RegenerateRecoveryCodesAsync(user.Id, Input.Code, HttpContext.AuditContext(), HttpContext.RequestAborted);
        sessions.Invalidate(user.Id);
        if (RecoveryCodes is null)
        {
            AddFieldError(nameof(Input.Code), "That code is not right, or it was used already. Enter the code your app shows now.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostSignOutEverywhereAsync()
    {
        var user = CurrentUser ?? throw new InvalidOperationException("Signed-in page.");
        await signIn.SignOutEverywhereAsync(user.Id, HttpContext.AuditContext(), HttpContext.RequestAborted);
        sessions.Invalidate(user.Id);
        await HttpContext.SignOutAsync(ConsoleSession.Scheme);
        return LocalRedirect("/console/signin?signedOut=1");
    }
}

public sealed class AccountInput
{
    public string? CurrentPassword { get; set; }

    public string? NewPassword { get; set; }

    public string? ConfirmPassword { get; set; }

    public string? Code { get; set; }
}
