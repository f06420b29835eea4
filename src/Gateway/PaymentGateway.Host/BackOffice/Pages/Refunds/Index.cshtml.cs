using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.BackOffice.Pages.Refunds;

/// <summary>
/// Refunds: a merchant's refunds in a mode, newest first, filtered by status, created dates and currency (all in the
/// database), cursor paging both ways; each links to its payment. Every role that reads payments reads refunds; the
/// service checks the merchant.
/// </summary>
public sealed class IndexModel(ConsolePaymentService service) : ConsolePageModel
{
    public const int PageSize = 50;

    /// <summary>The query-string names kept across paging.</summary>
    public static IReadOnlyList<string> Names { get; } = ["merchant", "mode", "status", "from", "to", "currency"];

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public string? MerchantId { get; private set; }

    public bool Livemode { get; private set; }

    public RefundListQuery Filter { get; private set; } = new();

    public Dictionary<string, string> Errors { get; } = [];

    public IReadOnlyList<Refund> Refunds { get; private set; } = [];

    public string? OlderCursor { get; private set; }

    public string? NewerCursor { get; private set; }

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Merchants = await service.MerchantsAsync(Caller, ct);
        MerchantId = Text("merchant") ?? (CurrentMerchantId is { } chosen && Merchants.Any(m => m.Id == chosen) ? chosen : Merchants.FirstOrDefault()?.Id);
        Livemode = Text("mode") == "live";
        Filter = Parse();
        if (MerchantId is null)
        {
            return;
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var rows = await service.SearchRefundsAsync(Caller, MerchantId, Livemode, Filter with { Limit = PageSize + 1 }, ct);
        var more = rows.Count > PageSize;
        var upwards = Filter.EndingBefore is not null && Filter.StartingAfter is null;
        Refunds = (upwards && more ? rows.Skip(1) : rows.Take(PageSize)).ToList();
        OlderCursor = Refunds.Count > 0 && (more || upwards) ? Refunds[^1].Id : null;
        NewerCursor = Refunds.Count > 0 && (Filter.StartingAfter is not null || (upwards && more)) ? Refunds[0].Id : null;
    }

    private string? Text(string name)
    {
        var value = Request.Query[name].ToString().Trim();
        return value.Length == 0 ? null : value.Length > 200 ? value[..200] : value;
    }

    /// <summary>Reads the filters; a bad one gets a message for its field and nothing is listed.</summary>
    private RefundListQuery Parse()
    {
        DateTimeOffset? Date(string name)
        {
            if (Text(name) is not { } value)
            {
                return null;
            }

            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            }

            Errors[name] = "Enter a date as YYYY-MM-DD.";
            return null;
        }

        RefundStatus? status = null;
        if (Text("status") is { } statusText)
        {
            var match = Enum.GetValues<RefundStatus>().Where(s => s.ToWire() == statusText).Select(s => (RefundStatus?)s).FirstOrDefault();
            if (match is null)
            {
                Errors["status"] = "Choose a status from the list.";
            }

            status = match;
        }

        var from = Date("from");
        var to = Date("to");
        if (from is not null && to is not null && to < from)
        {
            Errors["to"] = "The end date must be on or after the start date.";
        }

        string? currency = null;
        if (Text("currency") is { } code)
        {
            if (PaymentGateway.Providers.Currency.TryFind(code, out var known))
            {
                currency = known.Code;
            }
            else
            {
                Errors["currency"] = "Enter a three-letter currency code, like EUR.";
            }
        }

        return new RefundListQuery
        {
            Status = status,
            Currency = currency,
            CreatedGte = from,
            CreatedLt = to?.AddDays(1),
            StartingAfter = Text("after"),
            EndingBefore = Text("before"),
        };
    }

    /// <summary>This page's filters with a cursor, as a query string.</summary>
    public string Query(string? name = null, string? cursor = null)
    {
        var query = new QueryBuilder();
        foreach (var field in Names)
        {
            var value = field == "merchant" ? MerchantId : Text(field);
            if (value is { Length: > 0 })
            {
                query.Add(field, value);
            }
        }

        if (name is not null && cursor is not null)
        {
            query.Add(name, cursor);
        }

        return query.ToString();
    }

    public string? Error(string field) => Errors.GetValueOrDefault(field);

    public static string Money(long minor, string currency) => ConsolePaymentService.Display(minor, currency);
}
