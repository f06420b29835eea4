using Microsoft.AspNetCore.Mvc;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Host.BackOffice.Pages.Payments;

/// <summary>
/// Capture, refund or cancel, behind a confirmation that states the amount: the form (amount, blank = all) → the review
/// ("Refund 12.50 EUR of …?") → confirm. The form carries a one-time token made when it was shown; the service derives
/// the action's idempotency key from it, so a double click or a resubmitted form moves money once.
/// </summary>
public sealed class ActionModel(ConsolePaymentService service) : ConsolePageModel
{
    private ConsolePaymentView? _view;

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string Kind { get; set; } = string.Empty;

    [BindProperty]
    public ActionInput Input { get; set; } = new();

    public ConsolePaymentView View => _view ?? throw new InvalidOperationException("The payment is not loaded.");

    public ConsolePaymentAction Action => Kind switch
    {
        "capture" => ConsolePaymentAction.Capture,
        "cancel" => ConsolePaymentAction.Cancel,
        _ => ConsolePaymentAction.Refund,
    };

    /// <summary>The amount under review (minor units), once the form was read.</summary>
    public long? ReviewAmount { get; private set; }

    public long Whole => ConsolePaymentService.WholeAmount(Action, View.Payment);

    public string Verb => Action switch
    {
        ConsolePaymentAction.Capture => "Capture",
        ConsolePaymentAction.Cancel => "Cancel",
        _ => "Refund",
    };

    public async Task OnGetAsync()
    {
        await LoadAsync();
        Input = new ActionInput { FormToken = ConsoleSecrets.NewToken() };
        if (Action == ConsolePaymentAction.Cancel)
        {
            ReviewAmount = Whole;
        }
    }

    /// <summary>Step two: the amount read back for confirmation (nothing moves yet).</summary>
    public async Task<IActionResult> OnPostReviewAsync()
    {
        await LoadAsync();
        ReviewAmount = ConsolePaymentService.ParseAmount(Input.Amount, View.Payment.Currency, Whole);
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync()
    {
        var ct = HttpContext.RequestAborted;
        var result = Action switch
        {
            ConsolePaymentAction.Capture => await service.CaptureAsync(Caller, Id, Input.Amount, Input.FormToken, ct),
            ConsolePaymentAction.Cancel => await service.CancelAsync(Caller, Id, Input.FormToken, ct),
            _ => await service.RefundAsync(Caller, Id, Input.Amount, Input.FormToken, ct),
        };
        return LocalRedirect($"/console/payments/{Uri.EscapeDataString(result.PaymentId)}?done={(result.Replayed ? "again" : Kind)}");
    }

    public override async Task LoadAsync()
    {
        if (Kind is not ("capture" or "refund" or "cancel"))
        {
            throw Core.GatewayException.NotFound("action", Kind);
        }

        _view = await service.GetForActionAsync(Caller, Id, Action, HttpContext.RequestAborted);
        if (Input.FormToken is null || ModelState.ErrorCount > 0)
        {
            // A refused form starts again with a new token: the refused attempt moved nothing.
            Input.FormToken = ConsoleSecrets.NewToken();
            ModelState.Remove("Input.FormToken");
        }
    }

    public string Money(long minor) => ConsolePaymentService.Display(minor, View.Payment.Currency);
}

public sealed class ActionInput
{
    public string? Amount { get; set; }

    public string? FormToken { get; set; }
}
