using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Webhooks;

namespace PaymentGateway.Host.BackOffice.Pages.Webhooks;

/// <summary>
/// An endpoint's deliveries, newest first: status, attempts, each attempt's response code and the start of its response
/// body (truncated, shown as text); a status filter and cursor paging. **Resend** sends one delivery again; **Resend
/// failed** takes a date range, states how many failed deliveries it holds and, once confirmed, queues them again.
/// Both carry a one-time form token, so a double click queues once. Roles and audit: <see cref="ConsoleWebhookService"/>.
/// </summary>
public sealed class EndpointModel(ConsoleWebhookService service) : ConsolePageModel
{
    public const int PageSize = 25;

    /// <summary>How much of a response body the page shows.</summary>
    public const int SnippetLength = 120;

    private WebhookEndpointResource? _endpoint;

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true, Name = "merchant")]
    public string? MerchantId { get; set; }

    [BindProperty(SupportsGet = true, Name = "mode")]
    public string? Mode { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty]
    public ResendInput Input { get; set; } = new();

    public WebhookEndpointResource Endpoint => _endpoint ?? throw new InvalidOperationException("The endpoint is not loaded.");

    public IReadOnlyList<WebhookDeliveryResource> Deliveries { get; private set; } = [];

    public string? OlderCursor { get; private set; }

    public string? NewerCursor { get; private set; }

    /// <summary>The failed deliveries of a range under review: what the confirmation states.</summary>
    public ConsoleResendRange? Review { get; private set; }

    public bool Livemode => Mode == "live";

    public string Merchant => MerchantId ?? string.Empty;

    public bool CanResend => Caller.Can(ConsolePermission.ResendWebhooks, Merchant);

    public string? StatusError { get; private set; }

    public async Task OnGetAsync(string? after, string? before, string? done, int? count)
    {
        Notice = done switch
        {
            "resent" => "The delivery was queued again: it is sent within seconds.",
            "resent_failed" => $"{count ?? 0} failed deliveries were queued again: they are sent within seconds.",
            "again" => "This form was already sent; nothing more was done.",
            _ => null,
        };
        await LoadAsync(after is { Length: > 0 } ? after : null, before is { Length: > 0 } ? before : null);
    }

    public async Task<IActionResult> OnPostResendAsync(string delivery)
    {
        var result = await service.ResendAsync(Caller, Merchant, Livemode, delivery, Input.FormToken, HttpContext.RequestAborted);
        return LocalRedirect(Link(result.Replayed ? "done=again" : "done=resent"));
    }

    /// <summary>Resend failed, first step: counts what the range holds and asks to confirm (nothing is queued yet).</summary>
    public async Task<IActionResult> OnPostReviewAsync()
    {
        Review = await service.FailedInRangeAsync(Caller, Merchant, Livemode, Id, Input.From, Input.To, HttpContext.RequestAborted);
        Input.FormToken = ConsoleSecrets.NewToken();
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostResendFailedAsync()
    {
        var result = await service.ResendFailedAsync(Caller, Merchant, Livemode, Id, Input.From, Input.To, Input.FormToken, HttpContext.RequestAborted);
        return LocalRedirect(Link(result.Replayed ? "done=again" : "done=resent_failed&count=" + result.Count.ToString(CultureInfo.InvariantCulture)));
    }

    public override Task LoadAsync() => LoadAsync(null, null);

    private async Task LoadAsync(string? after, string? before)
    {
        var ct = HttpContext.RequestAborted;
        _endpoint = await service.GetEndpointAsync(Caller, Merchant, Livemode, Id, ct);
        WebhookDeliveryStatus? status = null;
        if (Status is { Length: > 0 })
        {
            status = WebhookWire.ParseDeliveryStatus(Status);
            if (status is null)
            {
                StatusError = "Choose a status from the list.";
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
        }

        var page = await service.ListDeliveriesAsync(Caller, Merchant, Livemode, new WebhookDeliveryListQuery
        {
            EndpointId = Id,
            Status = status,
            Limit = PageSize,
            StartingAfter = after,
            EndingBefore = after is null ? before : null,
        }, ct);
        Deliveries = page.Data;
        var upwards = after is null && before is not null;
        OlderCursor = Deliveries.Count > 0 && (page.HasMore || upwards) ? Deliveries[^1].Id : null;
        NewerCursor = Deliveries.Count > 0 && (after is not null || (upwards && page.HasMore)) ? Deliveries[0].Id : null;
    }

    /// <summary>This page with its merchant, mode and status, plus <paramref name="extra"/> (<c>name=value&amp;…</c>).</summary>
    public string Link(string? extra = null)
    {
        var query = new QueryBuilder { { "merchant", Merchant }, { "mode", Livemode ? "live" : "test" } };
        if (Status is { Length: > 0 })
        {
            query.Add("status", Status);
        }

        var path = $"/console/developers/webhooks/{Uri.EscapeDataString(Id)}{query}";
        return extra is null ? path : path + "&" + extra;
    }

    /// <summary>The start of a response body as the page shows it: control characters dropped, at most <see cref="SnippetLength"/> characters (Razor escapes it).</summary>
    public static string? Snippet(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }

        var text = new string(body.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
        return text.Length > SnippetLength ? text[..SnippetLength] + "…" : text;
    }

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The events page of a delivery's event.</summary>
    public string EventLink(string eventId) =>
        $"/console/events/{Uri.EscapeDataString(eventId)}?merchant={Uri.EscapeDataString(Merchant)}&mode={(Livemode ? "live" : "test")}";
}

public sealed class ResendInput
{
    public string? From { get; set; }

    public string? To { get; set; }

    public string? FormToken { get; set; }
}
