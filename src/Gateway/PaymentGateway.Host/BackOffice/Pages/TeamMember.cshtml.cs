using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>One team member: roles per merchant, refund limit, reset link, two-factor reset, disable, remove, sign-in history. Owners only (the service checks).</summary>
public sealed class TeamMemberModel(ConsoleTeamService team, ConsolePasswordService passwords, IMerchantStore merchants, ConsoleSessionCache sessions) : ConsolePageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    [BindProperty]
    public MemberInput Input { get; set; } = new();

    public ConsoleUser? Member { get; private set; }

    public IReadOnlyList<AuditEntry> History { get; private set; } = [];

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public bool CanGrantPlatform => Caller.Can(ConsolePermission.ManageUsers, null);

    public string? ResetUrl { get; private set; }

    public async Task OnGetAsync(string? done)
    {
        Notice = done switch
        {
            "role" => "The role was saved.",
            "limit" => "The refund limit was saved.",
            "two-factor" => "Two-factor sign-in was reset; they set it up again at their next sign-in.",
            "disabled" => "The account is disabled; its sessions have ended.",
            "enabled" => "The account is enabled.",
            _ => null,
        };
        await LoadAsync();
    }

    public Task<IActionResult> OnPostGrantAsync() => ChangeAsync(() => team.SetGrantAsync(Caller, Id, Input.Merchant, Input.Role, HttpContext.RequestAborted), "role");

    public Task<IActionResult> OnPostRefundLimitAsync() => ChangeAsync(() => team.SetRefundLimitAsync(Caller, Id, Input.RefundLimit, HttpContext.RequestAborted), "limit");

    public Task<IActionResult> OnPostResetTwoFactorAsync() => ChangeAsync(() => team.ResetTwoFactorAsync(Caller, Id, HttpContext.RequestAborted), "two-factor");

    public Task<IActionResult> OnPostDisableAsync() => ChangeAsync(() => team.DisableAsync(Caller, Id, HttpContext.RequestAborted), "disabled");

    public Task<IActionResult> OnPostEnableAsync() => ChangeAsync(() => team.EnableAsync(Caller, Id, HttpContext.RequestAborted), "enabled");

    public async Task<IActionResult> OnPostRemoveAsync()
    {
        await team.RemoveAsync(Caller, Id, HttpContext.RequestAborted);
        sessions.Invalidate(Id);
        return LocalRedirect("/console/team?removed=1");
    }

    public async Task<IActionResult> OnPostResetLinkAsync()
    {
        var token = await passwords.CreateResetLinkAsync(Caller, Id, HttpContext.RequestAborted);
        ResetUrl = ConsoleLinks.Base(HttpContext) + "/console/password/reset?token=" + token;
        await LoadAsync();
        return Page();
    }

    public override async Task LoadAsync()
    {
        Member = await team.GetUserAsync(Caller, Id, HttpContext.RequestAborted);
        History = await team.SignInHistoryAsync(Caller, Id, 20, HttpContext.RequestAborted);
        var scope = Caller.MerchantsAllowing(ConsolePermission.ManageUsers);
        Merchants = (await merchants.ListMerchantsAsync(HttpContext.RequestAborted)).Where(m => scope is null || scope.Contains(m.Id)).ToList();
    }

    private async Task<IActionResult> ChangeAsync(Func<Task> change, string done)
    {
        await change();
        sessions.Invalidate(Id);
        return LocalRedirect($"/console/team/{Uri.EscapeDataString(Id)}?done={done}");
    }
}

public sealed class MemberInput
{
    public string? Merchant { get; set; }

    public string? Role { get; set; }

    public string? RefundLimit { get; set; }
}
