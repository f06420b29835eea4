using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Routing;

namespace PaymentGateway.Host.BackOffice.Pages.Settings;

/// <summary>
/// Settings → Routing: a merchant's routing rules of a mode in the order the router tries them (ascending priority), each
/// with its conditions and its targets' shares; links to add and edit a rule and to the tester; delete behind a
/// confirmation. <see cref="ConsoleSettingsService"/> checks the owner role; the API's service audits.
/// </summary>
public sealed class RoutingModel(ConsoleSettingsService service) : ConsolePageModel
{
    [BindProperty(SupportsGet = true, Name = "merchant")]
    public string? MerchantId { get; set; }

    [BindProperty(SupportsGet = true, Name = "mode")]
    public string? Mode { get; set; }

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public IReadOnlyList<RoutingRuleResource> Rules { get; private set; } = [];

    public RoutingRuleResource? PendingDelete { get; private set; }

    public bool Livemode => Mode == "live";

    public string Merchant => MerchantId ?? string.Empty;

    public async Task OnGetAsync(string? done, string? id)
    {
        Notice = done switch
        {
            "created" => $"The routing rule {id} was added.",
            "saved" => $"The routing rule {id} was saved.",
            "deleted" => $"The routing rule {id} was deleted.",
            _ => null,
        };
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id)
    {
        await ChooseMerchantAsync();
        var rule = await service.GetRuleAsync(Caller, Merchant, id, HttpContext.RequestAborted);
        await LoadAsync();
        PendingDelete = rule;
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteConfirmedAsync(string id)
    {
        await ChooseMerchantAsync();
        await service.DeleteRuleAsync(Caller, Merchant, id, HttpContext.RequestAborted);
        return LocalRedirect(Link("deleted", id));
    }

    public override async Task LoadAsync()
    {
        await ChooseMerchantAsync(forDisplay: true);
        Rules = Merchant.Length == 0 ? [] : await service.ListRulesAsync(Caller, Merchant, Livemode, HttpContext.RequestAborted);
    }

    public string Query => $"merchant={Uri.EscapeDataString(Merchant)}&mode={(Livemode ? "live" : "test")}";

    public string Link(string? done = null, string? id = null) =>
        $"/console/settings/routing?{Query}{(done is null ? null : "&done=" + done + "&id=" + Uri.EscapeDataString(id ?? string.Empty))}";

    public string RuleLink(string id) => $"/console/settings/routing/{Uri.EscapeDataString(id)}?{Query}";

    /// <summary>The rule's conditions in words; "every payment (default route)" when it sets none.</summary>
    public static string Conditions(RoutingConditions c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var parts = new List<string>();
        if (c.Currencies is { } currencies)
        {
            parts.Add("currency " + string.Join(" or ", currencies));
        }

        if (c.AmountGte is { } gte)
        {
            parts.Add("amount ≥ " + gte.ToString(CultureInfo.InvariantCulture));
        }

        if (c.AmountLte is { } lte)
        {
            parts.Add("amount ≤ " + lte.ToString(CultureInfo.InvariantCulture));
        }

        if (c.CardBrands is { } brands)
        {
            parts.Add("card brand " + string.Join(" or ", brands));
        }

        if (c.PaymentMethodTypes is { } types)
        {
            parts.Add("method " + string.Join(" or ", types));
        }

        if (c.Countries is { } countries)
        {
            parts.Add("country " + string.Join(" or ", countries));
        }

        return parts.Count == 0 ? "every card payment (default route)" : string.Join("; ", parts);
    }

    /// <summary>Each target with its weight and share of the rule's traffic.</summary>
    public static string Targets(IReadOnlyList<RoutingTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var total = targets.Sum(t => (long)t.EffectiveWeight);
        return string.Join(", ", targets.Select(t => $"{t.ProviderAccount} (weight {t.EffectiveWeight}, {100.0 * t.EffectiveWeight / Math.Max(1, total):0.#}%)"));
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
            Merchants = await service.MerchantsAsync(Caller, ConsolePermission.ManageRouting, HttpContext.RequestAborted);
        }

        MerchantId ??= CurrentMerchantId is { } chosen && Merchants.Any(m => m.Id == chosen) ? chosen : Merchants.FirstOrDefault()?.Id;
    }
}
