using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice.Pages.Settings;

/// <summary>
/// A provider account's form: add one (<c>/console/settings/provider-accounts/new?provider=…&amp;mode=…</c>) or edit one.
/// Credentials are write-only: their fields are always empty, a blank one keeps the stored value, and a value typed is
/// never shown again (not even when the form is refused). Settings are plain values, shown as stored. The
/// <see cref="ConsoleSettingsService"/> checks the owner role and the API's rules; the API's service audits.
/// </summary>
public sealed class ProviderAccountModel(ConsoleSettingsService service) : ConsolePageModel
{
    [BindProperty(SupportsGet = true, Name = "merchant")]
    public string? MerchantId { get; set; }

    [BindProperty(SupportsGet = true, Name = "id")]
    public string Id { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true, Name = "provider")]
    public string? Provider { get; set; }

    [BindProperty(SupportsGet = true, Name = "mode")]
    public string? Mode { get; set; }

    [BindProperty]
    public ConsoleProviderAccountForm Input { get; set; } = new();

    public bool IsNew => Id == "new";

    /// <summary>The account being edited (credentials as hints only); null when adding.</summary>
    public ConsoleProviderAccount? Account { get; private set; }

    public ConsoleProviderSchema? Schema { get; private set; }

    public string Merchant => MerchantId ?? string.Empty;

    public async Task OnGetAsync()
    {
        await LoadAsync();
        if (Account is { } existing)
        {
            Input.Description = existing.Account.Description;
            foreach (var (name, value) in existing.Account.Settings)
            {
                Input.Settings[name] = value;
            }
        }
    }

    public async Task<IActionResult> OnPostSaveAsync()
    {
        await ChooseMerchantAsync();
        if (IsNew)
        {
            Input.Provider = Provider;
            Input.Mode = Mode;
            var created = await service.CreateAccountAsync(Caller, Merchant, Input, HttpContext.RequestAborted);
            return LocalRedirect(ListLink("created", created.Id));
        }

        var saved = await service.UpdateAccountAsync(Caller, Merchant, Id, Input, HttpContext.RequestAborted);
        return LocalRedirect(ListLink("saved", saved.Id));
    }

    public override async Task LoadAsync()
    {
        await ChooseMerchantAsync();
        if (IsNew)
        {
            // Only an owner is offered the form; the service checks again when it is sent.
            Caller.Demand(ConsolePermission.ManageProviderAccounts, Merchant);
            Schema = service.Schema(Provider);
            return;
        }

        Account = await service.GetAccountAsync(Caller, Merchant, Id, HttpContext.RequestAborted);
        Schema = service.Schema(Account.Account.Provider);
        Provider = Account.Account.Provider;
        Mode = Account.Account.Livemode ? "live" : "test";
    }

    public string ListLink(string? done = null, string? id = null) =>
        $"/console/settings/provider-accounts?merchant={Uri.EscapeDataString(Merchant)}{(done is null ? null : "&done=" + done + "&id=" + Uri.EscapeDataString(id ?? string.Empty))}";

    /// <summary>What the page says of a stored credential: "set" and its masked last 4, or "not set".</summary>
    public string CredentialState(string name) =>
        Account?.Account.Credentials.TryGetValue(name, out var hint) == true ? $"Set ({hint}). Leave blank to keep it; type a new value to replace it." : "Not set.";

    public string? SettingValue(string name) =>
        Input.Settings.TryGetValue(name, out var value) ? value : null;

    private async Task ChooseMerchantAsync()
    {
        if (MerchantId is null)
        {
            var merchants = await service.MerchantsAsync(Caller, ConsolePermission.ManageProviderAccounts, HttpContext.RequestAborted);
            MerchantId = CurrentMerchantId is { } chosen && merchants.Any(m => m.Id == chosen) ? chosen : merchants.FirstOrDefault()?.Id ?? string.Empty;
        }
    }
}
