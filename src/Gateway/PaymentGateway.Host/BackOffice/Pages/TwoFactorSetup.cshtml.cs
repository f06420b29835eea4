using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>TOTP enrolment: a QR code (drawn by the gateway) and the key, then a code from the app confirms it and the recovery codes are shown once.</summary>
[AllowDuringEnrolment]
public sealed class TwoFactorSetupModel(ConsoleTwoFactorService twoFactor, ConsoleSessionCache sessions) : ConsolePageModel
{
    [BindProperty]
    public TwoFactorInput Input { get; set; } = new();

    public string? ManualKey { get; private set; }

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public bool AlreadyEnabled => CurrentUser?.TwoFactorEnabled == true;

    public bool Required => CurrentUser?.TwoFactorRequired == true;

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = CurrentUser ?? throw new InvalidOperationException("Signed-in page.");
        var codes = await twoFactor.ConfirmEnrolmentAsync(user.Id, Input.Code, HttpContext.AuditContext(), HttpContext.RequestAborted);
        if (codes is null)
        {
            AddFieldError(nameof(Input.Code), "That code is not right. Check the time on your phone and enter the code the app shows now.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync();
            return Page();
        }

        sessions.Invalidate(user.Id);
        RecoveryCodes = codes;
        return Page();
    }

    public override async Task LoadAsync()
    {
        if (CurrentUser is { TwoFactorEnabled: false } user)
        {
            ManualKey = (await twoFactor.BeginEnrolmentAsync(user.Id, HttpContext.RequestAborted)).ManualKey;
        }
    }
}
