using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Host.BackOffice.Pages.Payments;

/// <summary>
/// Payments: search by pasted id (straight to the payment), filter by status, dates, amount, currency, card brand and
/// last 4, customer, a metadata value and provider account, cursor paging, CSV export. Every role reads payments; the
/// service checks the merchant.
/// </summary>
public sealed class IndexModel(ConsolePaymentService service) : ConsolePageModel
{
    public const int PageSize = 50;

    public PaymentFilter Filter { get; private set; } = new(null, false, null, new PaymentListQuery());

    public Dictionary<string, string> Errors { get; private set; } = [];

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public string? MerchantId { get; private set; }

    public IReadOnlyList<Payment> Payments { get; private set; } = [];

    public string? OlderCursor { get; private set; }

    public string? NewerCursor { get; private set; }

    public bool CanExport => MerchantId is not null && Caller.Can(ConsolePermission.ExportData, MerchantId);

    public async Task<IActionResult> OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Filter = PaymentFilters.Parse(Request.Query, out var errors);
        Errors = errors;
        Merchants = await service.MerchantsAsync(Caller, ct);
        MerchantId = Filter.MerchantId ?? Merchants.FirstOrDefault()?.Id;
        if (MerchantId is null)
        {
            return Page();
        }

        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        if (Filter.Id is { } id)
        {
            if (id.StartsWith("pm_", StringComparison.Ordinal))
            {
                return LocalRedirect("/console/payments" + Query(("payment_method", id), ("q", null)));
            }

            if (await service.ResolvePaymentIdAsync(Caller, MerchantId, Filter.Livemode, id, ct) is { } paymentId)
            {
                return LocalRedirect("/console/payments/" + Uri.EscapeDataString(paymentId));
            }

            Errors["q"] = "Nothing with this id in this merchant and mode.";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        var rows = await service.SearchAsync(Caller, MerchantId, Filter.Livemode, Filter.Query with { Limit = PageSize + 1 }, ct);
        var more = rows.Count > PageSize;
        var upwards = Filter.Query.EndingBefore is not null && Filter.Query.StartingAfter is null;
        Payments = (upwards && more ? rows.Skip(1) : rows.Take(PageSize)).ToList();
        OlderCursor = Payments.Count > 0 && (more || upwards) ? Payments[^1].Id : null;
        NewerCursor = Payments.Count > 0 && (Filter.Query.StartingAfter is not null || (upwards && more)) ? Payments[0].Id : null;
        return Page();
    }

    /// <summary>This page's filters with some names replaced (null removes), as a query string.</summary>
    public string Query(params (string Name, string? Value)[] changes)
    {
        var query = new QueryBuilder();
        foreach (var name in PaymentFilters.Names)
        {
            var change = changes.FirstOrDefault(c => c.Name == name);
            var value = change.Name is null ? (name == "merchant" ? MerchantId : Request.Query[name].ToString()) : change.Value;
            if (value is { Length: > 0 })
            {
                query.Add(name, value);
            }
        }

        foreach (var (name, value) in changes.Where(c => !PaymentFilters.Names.Contains(c.Name) && c.Value is not null))
        {
            query.Add(name, value ?? string.Empty);
        }

        return query.ToString();
    }

    public string? Error(string field) => Errors.GetValueOrDefault(field);
}
