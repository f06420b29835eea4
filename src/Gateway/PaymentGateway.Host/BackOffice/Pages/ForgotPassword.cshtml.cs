using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>Asks for a reset link. The answer is the same whether or not the account exists; the mail goes out in the background.</summary>
[EnableRateLimiting(ConsoleHostExtensions.SignInRateLimit)]
public sealed class ForgotPasswordModel(ConsolePasswordService passwords) : ConsolePageModel
{
    [BindProperty]
    public SignInInput Input { get; set; } = new();

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await passwords.RequestResetAsync(Input.Email, ConsoleLinks.Base(HttpContext) + "/console/password/reset", HttpContext.AuditContext(), HttpContext.RequestAborted);
        Sent = true;
        return Page();
    }
}
