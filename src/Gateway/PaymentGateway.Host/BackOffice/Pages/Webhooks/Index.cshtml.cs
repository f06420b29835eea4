using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Merchants;

namespace PaymentGateway.Host.BackOffice.Pages.Webhooks;

/// <summary>
/// Developers → Webhooks: a merchant's endpoints in a mode (URL, events, status), create one (the signing secret shown
/// once), disable (behind a confirmation), enable, rotate the secret with a chosen overlap (the new secret shown once).
/// Everyone who reads events sees the list; <see cref="ConsoleWebhookService"/> lets owners and developers change it,
/// and the API's service writes the audit entry.
/// </summary>
public sealed class IndexModel(ConsoleWebhookService service) : ConsolePageModel
{
    /// <summary>The overlaps a rotation offers, in seconds, with their labels.</summary>
    public static readonly IReadOnlyList<(long Seconds, string Label)> Overlaps =
    [
        (0, "none: the old secret stops now"), (3600, "1 hour"), (86400, "24 hours"), (604800, "7 days"),
    ];

    [BindProperty(SupportsGet = true, Name = "merchant")]
    public string? MerchantId { get; set; }

    [BindProperty(SupportsGet = true, Name = "mode")]
    public string? Mode { get; set; }

    [BindProperty]
    public WebhookEndpointInput Input { get; set; } = new();

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public IReadOnlyList<WebhookEndpointResource> Endpoints { get; private set; } = [];

    /// <summary>The endpoint just created or whose secret was just rotated: its secret is shown on this response only.</summary>
    public WebhookEndpointResource? Revealed { get; private set; }

    /// <summary>A disable or rotation waiting for its confirmation.</summary>
    public (string Action, WebhookEndpointResource Endpoint)? Pending { get; private set; }

    public bool Livemode => Mode == "live";

    public string Merchant => MerchantId ?? string.Empty;

    public bool CanManage => MerchantId is not null && Caller.Can(ConsolePermission.ManageWebhooks, MerchantId);

    public async Task OnGetAsync(string? done)
    {
        Notice = done switch
        {
            "disabled" => "The endpoint was disabled: nothing more is sent to it, and its waiting deliveries are canceled.",
            "enabled" => "The endpoint was enabled: new events are sent to it again.",
            _ => null,
        };
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostCreateAsync()
    {
        await ChooseMerchantAsync();
        Revealed = await service.CreateEndpointAsync(Caller, Merchant, Livemode, Input.Url, Input.Events, Input.Description, HttpContext.RequestAborted);
        Notice = "The endpoint was created. Copy its signing secret now: it is not shown again.";
        Input = new WebhookEndpointInput();
        ModelState.Clear();
        await LoadAsync();
        return Page();
    }

    /// <summary>Disable, first step: asks to confirm.</summary>
    public Task<IActionResult> OnPostDisableAsync(string id) => ConfirmAsync("disable", id);

    public async Task<IActionResult> OnPostDisableConfirmedAsync(string id)
    {
        await ChooseMerchantAsync();
        await service.SetDisabledAsync(Caller, Merchant, Livemode, id, disabled: true, HttpContext.RequestAborted);
        return LocalRedirect(Link("disabled"));
    }

    public async Task<IActionResult> OnPostEnableAsync(string id)
    {
        await ChooseMerchantAsync();
        await service.SetDisabledAsync(Caller, Merchant, Livemode, id, disabled: false, HttpContext.RequestAborted);
        return LocalRedirect(Link("enabled"));
    }

    /// <summary>Rotate, first step: asks to confirm, with the overlap to choose.</summary>
    public Task<IActionResult> OnPostRotateAsync(string id) => ConfirmAsync("rotate", id);

    public async Task<IActionResult> OnPostRotateConfirmedAsync(string id)
    {
        await ChooseMerchantAsync();
        Revealed = await service.RotateSecretAsync(Caller, Merchant, Livemode, id, Input.Overlap, HttpContext.RequestAborted);
        Notice = "The secret was rotated. Copy the new secret now: it is not shown again. The old one keeps signing until the end of the overlap.";
        ModelState.Clear();
        await LoadAsync();
        return Page();
    }

    public override async Task LoadAsync()
    {
        await ChooseMerchantAsync();
        Endpoints = Merchant.Length == 0 ? [] : await service.ListEndpointsAsync(Caller, Merchant, Livemode, HttpContext.RequestAborted);
    }

    /// <summary>The deliveries page of an endpoint.</summary>
    public string DeliveriesLink(WebhookEndpointResource endpoint) =>
        $"/console/developers/webhooks/{Uri.EscapeDataString(endpoint.Id)}?merchant={Uri.EscapeDataString(Merchant)}&mode={(Livemode ? "live" : "test")}";

    public string Link(string? done = null) =>
        $"/console/developers/webhooks?merchant={Uri.EscapeDataString(Merchant)}&mode={(Livemode ? "live" : "test")}{(done is null ? null : "&done=" + done)}";

    public static string Describe(IReadOnlyList<string> events) => events.Count == 1 && events[0] == "*" ? "every event" : string.Join(", ", events);

    private async Task<IActionResult> ConfirmAsync(string action, string id)
    {
        await ChooseMerchantAsync();
        if (action == "disable" || action == "rotate")
        {
            // The confirmation is only offered to those who may do it; the service checks again when it is confirmed.
            Caller.Demand(ConsolePermission.ManageWebhooks, Merchant);
        }

        var endpoint = await service.GetEndpointAsync(Caller, Merchant, Livemode, id, HttpContext.RequestAborted);
        await LoadAsync();
        Pending = (action, endpoint);
        return Page();
    }

    /// <summary>The merchants whose events the user reads; the chosen one (or the one they work on, or the first), which the service checks again.</summary>
    private async Task ChooseMerchantAsync()
    {
        if (Merchants.Count == 0)
        {
            Merchants = await service.MerchantsAsync(Caller, ConsolePermission.ViewEvents, HttpContext.RequestAborted);
        }

        MerchantId ??= CurrentMerchantId is { } chosen && Merchants.Any(m => m.Id == chosen) ? chosen : Merchants.FirstOrDefault()?.Id;
    }
}

public sealed class WebhookEndpointInput
{
    public string? Url { get; set; }

    public string? Events { get; set; } = "*";

    public string? Description { get; set; }

    public long Overlap { get; set; } = 86400;
}
