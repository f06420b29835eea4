using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Merchants;

namespace PaymentGateway.Host.BackOffice.Pages.Settings;

/// <summary>
/// Settings → Provider accounts: a merchant's accounts (provider, mode, status, circuit on this node, credentials as
/// masked hints only), disable (behind a confirmation), enable, delete (behind a confirmation), and the start of an add
/// (provider and mode; the account page takes the rest). <see cref="ConsoleSettingsService"/> checks the owner role,
/// and the API's service audits every change.
/// </summary>
public sealed class ProviderAccountsModel(ConsoleSettingsService service) : ConsolePageModel
{
    [BindProperty(SupportsGet = true, Name = "merchant")]
    public string? MerchantId { get; set; }

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public IReadOnlyList<ConsoleProviderAccount> Accounts { get; private set; } = [];

    public IReadOnlyList<ConsoleProviderSchema> Providers => service.Providers();

    /// <summary>A disable or delete waiting for its confirmation.</summary>
    public (string Action, ConsoleProviderAccount Account)? Pending { get; private set; }

    public string Merchant => MerchantId ?? string.Empty;

    public async Task OnGetAsync(string? done, string? id)
    {
        Notice = done switch
        {
            "created" => $"The provider account {id} was added.",
            "saved" => $"The provider account {id} was saved.",
            "disabled" => $"The provider account {id} was disabled: no payment is routed to it now; its payments are still served.",
            "enabled" => $"The provider account {id} was enabled: rules route payments to it again.",
            "deleted" => $"The provider account {id} was deleted.",
            _ => null,
        };
        await LoadAsync();
    }

    public Task<IActionResult> OnPostDisableAsync(string id) => ConfirmAsync("disable", id);

    public async Task<IActionResult> OnPostDisableConfirmedAsync(string id)
    {
        await ChooseMerchantAsync();
        await service.SetAccountDisabledAsync(Caller, Merchant, id, disabled: true, HttpContext.RequestAborted);
        return LocalRedirect(Link("disabled", id));
    }

    public async Task<IActionResult> OnPostEnableAsync(string id)
    {
        await ChooseMerchantAsync();
        await service.SetAccountDisabledAsync(Caller, Merchant, id, disabled: false, HttpContext.RequestAborted);
        return LocalRedirect(Link("enabled", id));
    }

    public Task<IActionResult> OnPostDeleteAsync(string id) => ConfirmAsync("delete", id);

    public async Task<IActionResult> OnPostDeleteConfirmedAsync(string id)
    {
        await ChooseMerchantAsync();
        await service.DeleteAccountAsync(Caller, Merchant, id, HttpContext.RequestAborted);
        return LocalRedirect(Link("deleted", id));
    }

    public override async Task LoadAsync()
    {
        await ChooseMerchantAsync(forDisplay: true);
        Accounts = Merchant.Length == 0 ? [] : await service.ListAccountsAsync(Caller, Merchant, HttpContext.RequestAborted);
    }

    public string Link(string? done = null, string? id = null) =>
        $"/console/settings/provider-accounts?merchant={Uri.EscapeDataString(Merchant)}{(done is null ? null : "&done=" + done + "&id=" + Uri.EscapeDataString(id ?? string.Empty))}";

    public string AccountLink(string id) => $"/console/settings/provider-accounts/{Uri.EscapeDataString(id)}?merchant={Uri.EscapeDataString(Merchant)}";

    /// <summary>The credential hints as the page shows them: each name with "set" and at most its last 4 characters.</summary>
    public static string Credentials(IReadOnlyDictionary<string, string> hints) =>
        hints.Count == 0 ? "none" : string.Join(", ", hints.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}: set {h.Value}".TrimEnd()));

    private async Task<IActionResult> ConfirmAsync(string action, string id)
    {
        await ChooseMerchantAsync();
        var account = await service.GetAccountAsync(Caller, Merchant, id, HttpContext.RequestAborted);
        await LoadAsync();
        Pending = (action, account);
        return Page();
    }

    /// <summary>
    /// The merchant to act on: the one in the address, else the chosen or first one the caller may manage. A change
    /// names its merchant, so the role check (and its audit entry) is the service's, not this list's.
    /// </summary>
    private async Task ChooseMerchantAsync(bool forDisplay = false)
    {
        if (MerchantId is not null && !forDisplay)
        {
            return;
        }

        if (Merchants.Count == 0)
        {
            Merchants = await service.MerchantsAsync(Caller, ConsolePermission.ManageProviderAccounts, HttpContext.RequestAborted);
        }

        MerchantId ??= CurrentMerchantId is { } chosen && Merchants.Any(m => m.Id == chosen) ? chosen : Merchants.FirstOrDefault()?.Id;
    }
}
