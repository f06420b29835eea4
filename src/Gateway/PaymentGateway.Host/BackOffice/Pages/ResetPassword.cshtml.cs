using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>Sets a new password from a single-use reset link; every session of the account ends.</summary>
[EnableRateLimiting(ConsoleHostExtensions.SignInRateLimit)]
public sealed class ResetPasswordModel(ConsolePasswordService passwords) : ConsolePageModel
{
    [BindProperty]
    public AccountInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public bool LinkValid { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadAsync();
        if (!LinkValid)
        {
            return Page();
        }

        if (!string.Equals(Input.NewPassword, Input.ConfirmPassword, StringComparison.Ordinal))
        {
            AddFieldError(nameof(Input.ConfirmPassword), "The two passwords are not the same.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return await passwords.CompleteResetAsync(Token, Input.NewPassword, HttpContext.AuditContext(), HttpContext.RequestAborted)
            ? LocalRedirect("/console/signin?reset=1")
            : Page();
    }

    public override async Task LoadAsync()
    {
        LinkValid = await passwords.FindResetLinkAsync(Token, HttpContext.RequestAborted) is not null;
        if (!LinkValid)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }
}
