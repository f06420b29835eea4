using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Merchants;

namespace PaymentGateway.Host.BackOffice.Pages;

/// <summary>
/// Choose the merchant to work on (users scoped to several merchants, and platform owners). The service checks the
/// choice against the user's grants; a forged id is refused 403 and audited.
/// </summary>
public sealed class MerchantModel(ConsoleMerchantSelection selection, ConsoleMerchantCookie cookie) : ConsolePageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Merchant { get; set; }

    public IReadOnlyList<Merchant> Choices { get; private set; } = [];

    public string? Current { get; private set; }

    public override async Task LoadAsync()
    {
        Choices = await selection.ChoicesAsync(Caller, HttpContext.RequestAborted);
        Current = HttpContext.ConsoleMerchantId();
    }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var merchant = await selection.SelectAsync(Caller, Merchant, HttpContext.RequestAborted);
        cookie.Write(HttpContext, merchant.Id);
        return LocalRedirect(ConsoleRedirects.Local(ReturnUrl));
    }
}
