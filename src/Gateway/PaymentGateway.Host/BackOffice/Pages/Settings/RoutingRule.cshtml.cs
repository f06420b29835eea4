using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.BackOffice;

namespace PaymentGateway.Host.BackOffice.Pages.Settings;

/// <summary>
/// A routing rule's editor: add one (<c>/console/settings/routing/new</c>) or change one — priority, description, the
/// conditions (lists separated by commas, amounts in minor units) and the target accounts with their weights. The API's
/// rules decide what is valid; a refused field is shown beside it and nothing is written.
/// </summary>
public sealed class RoutingRuleModel(ConsoleSettingsService service) : ConsolePageModel
{
    [BindProperty(SupportsGet = true, Name = "merchant")]
    public string? MerchantId { get; set; }

    [BindProperty(SupportsGet = true, Name = "mode")]
    public string? Mode { get; set; }

    [BindProperty(SupportsGet = true, Name = "id")]
    public string Id { get; set; } = string.Empty;

    [BindProperty]
    public ConsoleRoutingRuleForm Input { get; set; } = new();

    public bool IsNew => Id == "new";

    public RoutingRuleResource? Rule { get; private set; }

    /// <summary>The provider accounts of the rule's mode, for the target rows.</summary>
    public IReadOnlyList<ProviderAccountResource> Choices { get; private set; } = [];

    public bool Livemode => Mode == "live";

    public string Merchant => MerchantId ?? string.Empty;

    public async Task OnGetAsync()
    {
        await LoadAsync();
        Input = ConsoleSettingsService.FormOf(Rule);
    }

    public async Task<IActionResult> OnPostSaveAsync()
    {
        await ChooseMerchantAsync();
        ConsoleSettingsService.PadTargets(Input);
        if (IsNew)
        {
            var created = await service.CreateRuleAsync(Caller, Merchant, Livemode, Input, HttpContext.RequestAborted);
            return LocalRedirect(ListLink("created", created.Id));
        }

        var saved = await service.UpdateRuleAsync(Caller, Merchant, Id, Input, HttpContext.RequestAborted);
        return LocalRedirect(ListLink("saved", saved.Id));
    }

    public override async Task LoadAsync()
    {
        await ChooseMerchantAsync();
        if (!IsNew)
        {
            Rule = await service.GetRuleAsync(Caller, Merchant, Id, HttpContext.RequestAborted);
            Mode = Rule.Livemode ? "live" : "test";
        }

        Choices = await service.TargetChoicesAsync(Caller, Merchant, Livemode, HttpContext.RequestAborted);
        ConsoleSettingsService.PadTargets(Input);
    }

    public string ListLink(string? done = null, string? id = null) =>
        $"/console/settings/routing?merchant={Uri.EscapeDataString(Merchant)}&mode={(Livemode ? "live" : "test")}{(done is null ? null : "&done=" + done + "&id=" + Uri.EscapeDataString(id ?? string.Empty))}";

    /// <summary>The error of a target row's field, if the form was refused there.</summary>
    public string? ErrorOf(string field) =>
        ModelState.TryGetValue(InputPrefix + "." + field, out var entry) && entry.Errors.Count > 0 ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage)) : null;

    private async Task ChooseMerchantAsync()
    {
        if (MerchantId is null)
        {
            var merchants = await service.MerchantsAsync(Caller, ConsolePermission.ManageRouting, HttpContext.RequestAborted);
            MerchantId = CurrentMerchantId is { } chosen && merchants.Any(m => m.Id == chosen) ? chosen : merchants.FirstOrDefault()?.Id ?? string.Empty;
        }
    }
}
