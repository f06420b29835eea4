using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>
/// Developers → API keys: a merchant's keys (hints only), create (the secret shown once), roll with a chosen overlap and
/// revoke, each change behind a confirmation step. Developers and owners of the merchant; <see cref="ApiKeyService"/>
/// checks the role and writes the audit entry.
/// </summary>
public sealed class ApiKeysModel(ApiKeyService keys, IMerchantStore merchants) : ConsolePageModel
{
    /// <summary>The overlaps a roll offers, in seconds, with their labels.</summary>
    public static readonly IReadOnlyList<(long Seconds, string Label)> Overlaps =
    [
        (0, "none: the old key stops now"), (3600, "1 hour"), (86400, "24 hours"), (604800, "7 days"),
    ];

    [BindProperty(SupportsGet = true, Name = "merchant")]
    public string? MerchantId { get; set; }

    [BindProperty]
    public ApiKeyInput Input { get; set; } = new();

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public IReadOnlyList<ApiKeyResource> Keys { get; private set; } = [];

    /// <summary>The key just created or made by a roll: its secret is shown on this response only.</summary>
    public ApiKeyResource? Revealed { get; private set; }

    /// <summary>A roll or revoke waiting for its confirmation.</summary>
    public (string Action, ApiKeyResource Key)? Pending { get; private set; }

    public string Merchant => MerchantId ?? string.Empty;

    public async Task OnGetAsync(string? revoked)
    {
        Notice = revoked is not null ? "The key was revoked: it is refused on every node within seconds." : null;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        await ChooseMerchantAsync();
        Revealed = await keys.CreateAsync(Caller, Merchant, new CreateApiKeyRequest
        {
            Type = Input.Type,
            Livemode = Input.Mode == "live",
            Name = Input.Name,
        }, HttpContext.RequestAborted);
        Notice = "The key was created. Copy it now: it is not shown again.";
        Input = new ApiKeyInput();
        ModelState.Clear();
        await LoadAsync();
        return Page();
    }

    /// <summary>Roll, first step: asks to confirm, naming the key and the overlap.</summary>
    public Task<IActionResult> OnPostRollAsync(string id) => ConfirmAsync("roll", id);

    public async Task<IActionResult> OnPostRollConfirmedAsync(string id)
    {
        await ChooseMerchantAsync();
        Revealed = await keys.RollAsync(Caller, Merchant, id, new RollApiKeyRequest { OverlapSeconds = Input.Overlap }, HttpContext.RequestAborted);
        Notice = "The key was rolled. Copy the new key now: it is not shown again. The old key works until the end of the overlap.";
        ModelState.Clear();
        await LoadAsync();
        return Page();
    }

    /// <summary>Revoke, first step: asks to confirm.</summary>
    public Task<IActionResult> OnPostRevokeAsync(string id) => ConfirmAsync("revoke", id);

    public async Task<IActionResult> OnPostRevokeConfirmedAsync(string id)
    {
        await ChooseMerchantAsync();
        await keys.RevokeAsync(Caller, Merchant, id, HttpContext.RequestAborted);
        return LocalRedirect($"/console/developers/api-keys?merchant={Uri.EscapeDataString(Merchant)}&revoked=1");
    }

    public override async Task LoadAsync()
    {
        await ChooseMerchantAsync();
        if (Merchant.Length == 0)
        {
            Caller.DemandAnywhere(ConsolePermission.ManageApiKeys); // no merchant to show: refused unless some grant allows it
            Keys = [];
            return;
        }

        Keys = (await keys.ListAsync(Caller, Merchant, HttpContext.RequestAborted)).Data;
    }

    public static string Describe(long seconds) => Overlaps.FirstOrDefault(o => o.Seconds == seconds).Label ?? $"{seconds} seconds";

    private async Task<IActionResult> ConfirmAsync(string action, string id)
    {
        await LoadAsync();
        var key = Keys.FirstOrDefault(k => k.Id == id) ?? (await keys.ListAsync(Caller, Merchant, HttpContext.RequestAborted)).Data.FirstOrDefault(k => k.Id == id);
        if (key is null)
        {
            return NotFound();
        }

        Pending = (action, key);
        return Page();
    }

    /// <summary>The merchants whose keys the user may manage; the chosen one (or the first), which the service checks again.</summary>
    private async Task ChooseMerchantAsync()
    {
        if (Merchants.Count == 0)
        {
            var scope = Caller.MerchantsAllowing(ConsolePermission.ManageApiKeys);
            Merchants = (await merchants.ListMerchantsAsync(HttpContext.RequestAborted)).Where(m => scope is null || scope.Contains(m.Id)).ToList();
        }

        MerchantId ??= Merchants.FirstOrDefault()?.Id;
    }
}

public sealed class ApiKeyInput
{
    public string? Type { get; set; } = "secret";

    public string? Mode { get; set; } = "test";

    public string? Name { get; set; }

    public long Overlap { get; set; } = 86400;
}
