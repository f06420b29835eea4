using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>Accepting an invitation, or setting up the first owner: choose a name and password; the link is then used up.</summary>
[EnableRateLimiting(ConsoleHostExtensions.SignInRateLimit)]
public sealed class JoinModel(ConsoleTeamService team) : ConsolePageModel
{
    [BindProperty]
    public JoinInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    public ConsoleLink? Link { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadAsync();
        if (Link is null)
        {
            return Page();
        }

        if (!string.Equals(Input.Password, Input.ConfirmPassword, StringComparison.Ordinal))
        {
            AddFieldError(nameof(Input.ConfirmPassword), "The two passwords are not the same.");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var user = await team.AcceptAsync(Token, Input.Email, Input.Name, Input.Password, HttpContext.AuditContext(), HttpContext.RequestAborted);
        if (user is null)
        {
            Link = null;
            return Page();
        }

        await ConsoleSession.SignInAsync(HttpContext, user, "pwd");
        return LocalRedirect("/console");
    }

    public override async Task LoadAsync()
    {
        Link = await team.FindJoinLinkAsync(Token, HttpContext.RequestAborted);
        if (Link is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }
}

public sealed class JoinInput
{
    public string? Email { get; set; }

    public string? Name { get; set; }

    public string? Password { get; set; }

    public string? ConfirmPassword { get; set; }
}
