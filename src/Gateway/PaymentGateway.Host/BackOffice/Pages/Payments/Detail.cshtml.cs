using PaymentGateway.Core.BackOffice;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Host.BackOffice.Pages.Payments;

/// <summary>One payment: amounts and state (its place in the state diagram), timeline, provider attempts, refunds, webhook deliveries, and the actions the caller's role allows.</summary>
public sealed class DetailModel(ConsolePaymentService service, ConsoleDisputeService disputes) : ConsolePageModel
{
    /// <summary>The usual path through the states, in order; canceled and failed are the other ends.</summary>
    public static IReadOnlyList<PaymentStatus> MainPath { get; } =
    [
        PaymentStatus.RequiresPaymentMethod, PaymentStatus.RequiresConfirmation, PaymentStatus.RequiresAction, PaymentStatus.Processing,
        PaymentStatus.RequiresCapture, PaymentStatus.Succeeded,
    ];

    private ConsolePaymentView? _view;

    public ConsolePaymentView View => _view ?? throw new InvalidOperationException("The payment is not loaded.");

    public Payment Payment => View.Payment;

    /// <summary>The payment's disputes, oldest first.</summary>
    public IReadOnlyList<Core.Disputes.Dispute> Disputes { get; private set; } = [];

    public async Task OnGetAsync(string id, string? done)
    {
        _view = await service.GetAsync(Caller, id, HttpContext.RequestAborted);
        Disputes = await disputes.ForPaymentAsync(Caller, _view.Payment, HttpContext.RequestAborted);
        Notice = done switch
        {
            "refund" => "The refund was made.",
            "capture" => "The payment was captured.",
            "cancel" => "The payment was canceled.",
            "again" => "This form was already sent; nothing more was done.",
            _ => null,
        };
    }

    /// <summary>The statuses this payment can move to from where it is, and what moves it (from the state machine's table).</summary>
    public IEnumerable<string> NextSteps() =>
        PaymentStateMachine.Transitions.Where(t => t.From == Payment.Status && t.To != t.From)
            .Select(t => $"{t.To.ToWire()} (on {t.Trigger})").Distinct();

    public bool Allows(ConsolePaymentAction action) => Caller.Can(ConsolePaymentService.PermissionFor(action), Payment.MerchantId)
        && action switch
        {
            ConsolePaymentAction.Capture => Payment.Status == PaymentStatus.RequiresCapture,
            ConsolePaymentAction.Cancel => PaymentStateMachine.Transitions.Any(t => t.From == Payment.Status && t.Trigger == PaymentTrigger.Cancel),
            _ => Payment.Status == PaymentStatus.Succeeded && ConsolePaymentService.WholeAmount(action, Payment) > 0,
        };

    public string Money(long minor) => ConsolePaymentService.Display(minor, Payment.Currency);

    /// <summary>A provider's code as shown: letters, digits, dot, dash and underscore only, at most 40 characters.</summary>
    public static string? Redacted(string? code) =>
        code is null ? null : new string(code.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.').Take(40).ToArray());
}
