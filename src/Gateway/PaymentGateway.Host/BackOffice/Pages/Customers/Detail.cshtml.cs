using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Customers;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Host.BackOffice.Pages.Customers;

/// <summary>
/// One customer: contact details, metadata and the saved cards (brand, last 4, expiry, usage, default), with a detach
/// button per card for the roles that may (owners and support; <see cref="ConsoleCustomerService"/> checks and audits).
/// </summary>
public sealed class DetailModel(ConsoleCustomerService service) : ConsolePageModel
{
    private ConsoleCustomerView? _view;

    [BindProperty(SupportsGet = true, Name = "merchant")]
    public string? MerchantId { get; set; }

    [BindProperty(SupportsGet = true, Name = "mode")]
    public string? Mode { get; set; }

    public ConsoleCustomerView View => _view ?? throw new InvalidOperationException("The customer is not loaded.");

    public Customer Customer => View.Customer;

    public bool Livemode => Mode == "live";

    public bool CanDetach => MerchantId is not null && Caller.Can(ConsolePermission.ManageCustomers, MerchantId) && Customer.DeletedAt is null;

    public async Task OnGetAsync(string id, string? done)
    {
        await LoadCustomerAsync(id);
        Notice = done == "detached" ? "The card was detached and erased: it can no longer be charged." : null;
    }

    /// <summary>Detaches one saved card, then shows the page again (a resubmitted form finds the card gone: 404, nothing changes).</summary>
    public async Task<IActionResult> OnPostDetachAsync(string id, string paymentMethod)
    {
        await service.DetachAsync(Caller, RequiredMerchant(), Livemode, id, paymentMethod, HttpContext.RequestAborted);
        return LocalRedirect($"/console/customers/{Uri.EscapeDataString(id)}?merchant={Uri.EscapeDataString(RequiredMerchant())}&mode={(Livemode ? "live" : "test")}&done=detached");
    }

    private async Task LoadCustomerAsync(string id) =>
        _view = await service.GetAsync(Caller, RequiredMerchant(), Livemode, id, HttpContext.RequestAborted) ?? throw GatewayException.NotFound("customer", id);

    private string RequiredMerchant() => MerchantId is { Length: > 0 } merchant ? merchant : CurrentMerchantId ?? throw GatewayException.NotFound("customer", "?");

    /// <summary>How a saved card is shown: brand, last 4 and expiry only.</summary>
    public static string Describe(StoredPaymentMethod method) =>
        method.Card is { } card ? $"{card.Brand} •••• {card.Last4}" : method.Type;

    public static string Expiry(StoredPaymentMethod method) => method.Card is { } card ? $"{card.ExpMonth:00}/{card.ExpYear}" : "—";
}
