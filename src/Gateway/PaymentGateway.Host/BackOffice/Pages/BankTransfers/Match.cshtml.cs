using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Host.BackOffice.Pages.BankTransfers;

/// <summary>
/// The manual match of an unmatched statement entry: the payment (its id or RF reference, or one of the open transfers
/// in the entry's currency) → the review ("Credit 50.00 EUR from … to pay_…?") → confirm. The form carries a one-time
/// token made when it was shown; <see cref="ConsoleBankService"/> derives the match's idempotency key from it, checks the
/// role (owners and finance), and audits the match or its refusal.
/// </summary>
public sealed class MatchModel(ConsoleBankService service) : ConsolePageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true, Name = "merchant")]
    public string? MerchantId { get; set; }

    [BindProperty(SupportsGet = true, Name = "mode")]
    public string? Mode { get; set; }

    [BindProperty]
    public MatchInput Input { get; set; } = new();

    public bool Livemode => Mode == "live";

    public BankStatementEntry? Entry { get; private set; }

    public IReadOnlyList<Payment> Candidates { get; private set; } = [];

    /// <summary>The payment under review, once the form was read.</summary>
    public Payment? Review { get; private set; }

    public async Task OnGetAsync(string? payment)
    {
        await LoadAsync();
        Input = new MatchInput { Payment = payment, FormToken = ConsoleSecrets.NewToken() };
    }

    /// <summary>Step two: the entry and the payment read back for confirmation (nothing changes yet).</summary>
    public async Task<IActionResult> OnPostReviewAsync()
    {
        await LoadAsync();
        Review = (await service.PreviewAsync(Caller, RequiredMerchant(), Livemode, Id, Input.Payment, HttpContext.RequestAborted)).Payment;
        Input.Payment = Review.Id;
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync()
    {
        var result = await service.MatchAsync(Caller, RequiredMerchant(), Livemode, Id, Input.Payment, Input.FormToken, HttpContext.RequestAborted);
        return LocalRedirect($"/console/bank-transfers?merchant={Uri.EscapeDataString(RequiredMerchant())}&mode={(Livemode ? "live" : "test")}&status=any"
                             + (result.Replayed ? "&done=again" : $"&done=matched&payment={Uri.EscapeDataString(result.PaymentId ?? string.Empty)}"));
    }

    public override async Task LoadAsync()
    {
        (Entry, Candidates) = await service.GetForMatchAsync(Caller, RequiredMerchant(), Livemode, Id, HttpContext.RequestAborted);
        if (Input.FormToken is null || ModelState.ErrorCount > 0)
        {
            // A refused form starts again with a new token: the refused attempt changed nothing.
            Input.FormToken = ConsoleSecrets.NewToken();
            ModelState.Remove("Input.FormToken");
        }
    }

    private string RequiredMerchant() => MerchantId is { Length: > 0 } merchant ? merchant : CurrentMerchantId ?? throw Core.GatewayException.NotFound("bank_statement_entry", Id);

    public static string Money(long minor, string currency) => ConsolePaymentService.Display(minor, currency);

    /// <summary>This page with a payment chosen from the list (the form is filled in with it).</summary>
    public string ChooseLink(Payment payment) =>
        $"/console/bank-transfers/{Uri.EscapeDataString(Id)}?merchant={Uri.EscapeDataString(RequiredMerchant())}&mode={(Livemode ? "live" : "test")}&payment={Uri.EscapeDataString(payment.Id)}#Input_Payment";
}

public sealed class MatchInput
{
    public string? Payment { get; set; }

    public string? FormToken { get; set; }
}
