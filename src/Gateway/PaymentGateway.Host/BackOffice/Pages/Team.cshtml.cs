using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>The team: people with their roles, two-factor state and last sign-in; open invitations; inviting. Owners only (the service checks).</summary>
public sealed class TeamModel(ConsoleTeamService team, IMerchantStore merchants) : ConsolePageModel
{
    private const int PageSize = 50;

    [BindProperty]
    public InviteInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "after")]
    public string? After { get; set; }

    /// <summary>The list's filters (a GET form; the store applies them): part of the email or name, role, status, merchant.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "role")]
    public string? RoleFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? StatusFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "merchant")]
    public string? MerchantFilter { get; set; }

    public IReadOnlyList<ConsoleUser> Users { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public IReadOnlyList<ConsoleLink> Invitations { get; private set; } = [];

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public bool CanGrantPlatform => Caller.Can(ConsolePermission.ManageUsers, null);

    public InvitationCreated? Created { get; private set; }

    public string? CreatedUrl => Created is null ? null : ConsoleLinks.Base(HttpContext) + "/console/join?token=" + Created.Token;

    public async Task OnGetAsync(string? revoked, string? removed)
    {
        Notice = revoked is not null ? "The invitation was withdrawn." : removed is not null ? "The person was removed; their sessions have ended." : null;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostInviteAsync()
    {
        Created = await team.InviteAsync(Caller, Input.Email, Input.Role, Input.Merchant, ConsoleLinks.Base(HttpContext) + "/console/join", HttpContext.RequestAborted);
        Input = new InviteInput();
        ModelState.Clear();
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string id)
    {
        await team.RevokeInvitationAsync(Caller, id, HttpContext.RequestAborted);
        return LocalRedirect("/console/team?revoked=1");
    }

    public override async Task LoadAsync()
    {
        var filter = new ConsoleUserQuery
        {
            StartingAfter = After,
            Limit = PageSize + 1,
            Search = Search,
            Role = ConsoleRoles.All.Cast<ConsoleRole?>().FirstOrDefault(r => r?.ToWire() == RoleFilter),
            Status = Enum.GetValues<ConsoleUserStatus>().Cast<ConsoleUserStatus?>().FirstOrDefault(s => s?.ToString().Equals(StatusFilter, StringComparison.OrdinalIgnoreCase) == true),
            MerchantId = string.IsNullOrEmpty(MerchantFilter) ? null : MerchantFilter,
        };
        var users = await team.ListUsersAsync(Caller, filter, HttpContext.RequestAborted);
        Users = users.Take(PageSize).ToList();
        NextCursor = users.Count > PageSize ? Users[^1].Id : null;
        Invitations = await team.ListInvitationsAsync(Caller, HttpContext.RequestAborted);
        var scope = Caller.MerchantsAllowing(ConsolePermission.ManageUsers);
        Merchants = (await merchants.ListMerchantsAsync(HttpContext.RequestAborted)).Where(m => scope is null || scope.Contains(m.Id)).ToList();
    }

    /// <summary>The next page's link, keeping the filters.</summary>
    public string NextPageUrl => QueryHelpers.AddQueryString("/console/team", new Dictionary<string, string?>
    {
        ["q"] = Search,
        ["role"] = RoleFilter,
        ["status"] = StatusFilter,
        ["merchant"] = MerchantFilter,
        ["after"] = NextCursor,
    }.Where(p => !string.IsNullOrEmpty(p.Value)));

    public static string Roles(ConsoleUser user) => string.Join(", ", user.Grants.Select(g => g.Role.ToWire() + " · " + (g.MerchantId ?? "all merchants")));
}

public sealed class InviteInput
{
    public string? Email { get; set; }

    public string? Role { get; set; } = "viewer";

    public string? Merchant { get; set; }
}
