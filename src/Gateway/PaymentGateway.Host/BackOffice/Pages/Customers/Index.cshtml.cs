using Microsoft.AspNetCore.Http.Extensions;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Merchants;

namespace PaymentGateway.Host.BackOffice.Pages.Customers;

/// <summary>
/// Customers: a merchant's customers in a mode, newest first, found by e-mail (trimmed, ignoring case), cursor paging.
/// Every role that reads payments reads customers; the service checks the merchant.
/// </summary>
public sealed class IndexModel(ConsoleCustomerService service, ConsolePaymentService payments) : ConsolePageModel
{
    public const int PageSize = 50;

    public IReadOnlyList<Merchant> Merchants { get; private set; } = [];

    public string? MerchantId { get; private set; }

    public bool Livemode { get; private set; }

    public string? Email { get; private set; }

    public IReadOnlyList<Customer> Customers { get; private set; } = [];

    public string? OlderCursor { get; private set; }

    public async Task OnGetAsync(string? merchant, string? mode, string? email, string? after)
    {
        var ct = HttpContext.RequestAborted;
        Merchants = await payments.MerchantsAsync(Caller, ct);
        MerchantId = merchant is { Length: > 0 } ? merchant : CurrentMerchantId is { } chosen && Merchants.Any(m => m.Id == chosen) ? chosen : Merchants.FirstOrDefault()?.Id;
        Livemode = mode == "live";
        Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        if (MerchantId is null)
        {
            return;
        }

        var rows = await service.SearchAsync(Caller, MerchantId, Livemode, Email, after is { Length: > 0 } ? after : null, PageSize + 1, ct);
        Customers = rows.Take(PageSize).ToList();
        OlderCursor = rows.Count > PageSize ? Customers[^1].Id : null;
    }

    /// <summary>This page's query with the cursor set.</summary>
    public string Query(string? after)
    {
        var query = new QueryBuilder { { "merchant", MerchantId ?? string.Empty }, { "mode", Livemode ? "live" : "test" } };
        if (Email is not null)
        {
            query.Add("email", Email);
        }

        if (after is not null)
        {
            query.Add("after", after);
        }

        return query.ToString();
    }

    /// <summary>The customer page's link (its merchant and mode in the query).</summary>
    public static string Link(Customer customer) =>
        $"/console/customers/{Uri.EscapeDataString(customer.Id)}?merchant={Uri.EscapeDataString(customer.MerchantId)}&mode={(customer.Livemode ? "live" : "test")}";
}
