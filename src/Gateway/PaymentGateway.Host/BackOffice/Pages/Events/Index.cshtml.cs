using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.BackOffice.Pages.Events;

/// <summary>
/// The events browser: a merchant's events in a mode, newest first, filtered by type and by creation day (UTC, both
/// ends included), with cursor paging; each links to its page (payload and deliveries). Every role reads events; the
/// service checks the merchant. A bad filter is refused beside its field (400) and nothing is listed.
/// </summary>
public sealed class IndexModel(ConsoleWebhookService service) : ConsolePageModel
{
    public const int PageSize = 50;

    /// <summary>The query-string names the page keeps across paging.</summary>
    public static readonly IReadOnlyList<string> FilterNames = ["merchant", "mode", "type", "from", "to"];

    [BindProperty(SupportsGet = true, Name = "merchant")]
    public string? MerchantId { get; set; }

    [BindProperty(SupportsGet = true, Name = "mode")]
    public string? Mode { get; set; }

    [BindProperty(SupportsGet = true, Name = "type")]
    public string? Type { get; set; }

    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public IReadOnlyList<GatewayEvent> Events { get; private set; } = [];

    public Dictionary<string, string> Errors { get; } = [];

    public string? OlderCursor { get; private set; }

    public string? NewerCursor { get; private set; }

    public bool Livemode => Mode == "live";

    public async Task OnGetAsync(string? after, string? before)
    {
        var ct = HttpContext.RequestAborted;
        Merchants = await service.MerchantsAsync(Caller, ConsolePermission.ViewEvents, ct);
        MerchantId = MerchantId is { Length: > 0 } ? MerchantId : CurrentMerchantId is { } chosen && Merchants.Any(m => m.Id == chosen) ? chosen : Merchants.FirstOrDefault()?.Id;
        if (MerchantId is null)
        {
            return;
        }

        var type = Type is { Length: > 0 } ? Type.Trim() : null;
        if (type is not null && !ConsoleWebhookService.EventTypes.Contains(type, StringComparer.Ordinal))
        {
            Errors["type"] = "Choose an event type from the list.";
        }

        var from = Day("from", From);
        var to = Day("to", To);
        if (from is not null && to is not null && to < from)
        {
            Errors["to"] = "The last day must be on or after the first day.";
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        after = after is { Length: > 0 } ? after : null;
        before = after is null && before is { Length: > 0 } ? before : null;
        var rows = await service.ListEventsAsync(Caller, MerchantId, Livemode, new EventListQuery
        {
            Type = type,
            CreatedGte = from,
            CreatedLt = to?.AddDays(1),
            StartingAfter = after,
            EndingBefore = before,
            Limit = PageSize + 1,
        }, ct);
        var more = rows.Count > PageSize;
        var upwards = before is not null;
        Events = (upwards && more ? rows.Skip(1) : rows.Take(PageSize)).ToList();
        OlderCursor = Events.Count > 0 && (more || upwards) ? Events[^1].Id : null;
        NewerCursor = Events.Count > 0 && (after is not null || (upwards && more)) ? Events[0].Id : null;
    }

    public string? Error(string field) => Errors.GetValueOrDefault(field);

    /// <summary>This page's filters plus a cursor, as a query string.</summary>
    public string Query(string? name = null, string? cursor = null)
    {
        var query = new QueryBuilder();
        foreach (var (key, value) in new[] { ("merchant", MerchantId), ("mode", Livemode ? "live" : "test"), ("type", Type), ("from", From), ("to", To) })
        {
            if (value is { Length: > 0 })
            {
                query.Add(key, value);
            }
        }

        if (name is not null && cursor is not null)
        {
            query.Add(name, cursor);
        }

        return query.ToString();
    }

    /// <summary>An event's page (its merchant and mode in the query).</summary>
    public static string Link(GatewayEvent e) =>
        $"/console/events/{Uri.EscapeDataString(e.Id)}?merchant={Uri.EscapeDataString(e.MerchantId)}&mode={(e.Livemode ? "live" : "test")}";

    private DateTimeOffset? Day(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        Errors[field] = "Enter a date as YYYY-MM-DD.";
        return null;
    }
}
