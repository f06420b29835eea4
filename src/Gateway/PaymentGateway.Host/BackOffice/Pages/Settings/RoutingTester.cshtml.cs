using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Routing;

namespace PaymentGateway.Host.BackOffice.Pages.Settings;

/// <summary>
/// "Which account would this payment go to, and why": a payment described in a form (amount, currency, method type,
/// card brand, country, requested provider, the id the weighted pick hashes) routed by the router's own code over the
/// merchant's rules and accounts as stored now (<see cref="ConsoleSettingsService.TestRouteAsync"/>). A GET form: it
/// writes nothing, and the answer's address can be shared.
/// </summary>
public sealed class RoutingTesterModel(ConsoleSettingsService service) : ConsolePageModel
{
    [BindProperty(SupportsGet = true, Name = "merchant")]
    public string? MerchantId { get; set; }

    [BindProperty(SupportsGet = true, Name = "mode")]
    public string? Mode { get; set; }

    [BindProperty(SupportsGet = true)]
    public ConsoleRouteTestForm Input { get; set; } = new();

    /// <summary>Set when the form was sent (<c>run=1</c>).</summary>
    [BindProperty(SupportsGet = true, Name = "run")]
    public string? Run { get; set; }

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public IReadOnlyList<ConsoleProviderSchema> Providers => service.Providers();

    public ConsoleRouteTest? Result { get; private set; }

    public bool Livemode => Mode == "live";

    public string Merchant => MerchantId ?? string.Empty;

    public async Task OnGetAsync()
    {
        await LoadAsync();
        if (Run is not null && Merchant.Length > 0)
        {
            Result = await service.TestRouteAsync(Caller, Merchant, Livemode, Input, HttpContext.RequestAborted);
        }
    }

    public override async Task LoadAsync()
    {
        if (Merchants.Count == 0)
        {
            Merchants = await service.MerchantsAsync(Caller, ConsolePermission.ManageRouting, HttpContext.RequestAborted);
        }

        MerchantId ??= CurrentMerchantId is { } chosen && Merchants.Any(m => m.Id == chosen) ? chosen : Merchants.FirstOrDefault()?.Id;
        if (MerchantId is not null)
        {
            Caller.Demand(ConsolePermission.ManageRouting, MerchantId);
        }
    }

    public string RulesLink => $"/console/settings/routing?merchant={Uri.EscapeDataString(Merchant)}&mode={(Livemode ? "live" : "test")}";

    /// <summary>Why the router passed a rule by, in words.</summary>
    public static string UnmetText(string unmet) => unmet switch
    {
        "currencies" => "the currency is not one of the rule's",
        "amount_gte" => "the amount is below the rule's minimum",
        "amount_lte" => "the amount is above the rule's maximum",
        "card_brands" => "the card brand is not one of the rule's (or none was given)",
        "payment_method_types" => "the payment method type is not one of the rule's",
        "countries" => "metadata.country is not one of the rule's countries (or none was given)",
        RoutingTrace.CardRouteOnly => "the rule names no payment method type, so it routes cards only",
        _ => unmet,
    };

    /// <summary>Why the router skipped a target of a matching rule, in words.</summary>
    public static string SkippedText(string skipped) => skipped switch
    {
        RoutingTrace.Disabled => "skipped: the account is disabled",
        RoutingTrace.AccountMissing => "skipped: the account no longer exists",
        RoutingTrace.OtherMode => "skipped: the account is of the other mode",
        RoutingTrace.NotRequestedProvider => "skipped: the payment asks for another provider",
        RoutingTrace.AdapterMissing => "skipped: this gateway has no adapter for its provider",
        RoutingTrace.CurrencyUnsupported => "skipped: its provider does not take this currency",
        RoutingTrace.MethodUnsupported => "skipped: its provider does not take this payment method type",
        _ => "skipped: " + skipped,
    };

    public string Circuit(string accountId) => Result?.Circuits.GetValueOrDefault(accountId) ?? "closed";

    public string ProviderOf(string accountId) => Result?.Accounts.TryGetValue(accountId, out var a) == true ? a.ProviderId : "?";
}
