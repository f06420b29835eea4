using System.Collections.Frozen;
using System.Text;

namespace PaymentGateway.Core.Payments;

/// <summary>What happened to a payment. Each trigger moves it along one row of <see cref="PaymentStateMachine.Transitions"/>.</summary>
public enum PaymentTrigger
{
    AttachPaymentMethod,
    StartAttempt,
    CompleteAction,
    ProviderRequiresAction,
    ProviderAuthorized,
    ProviderCaptured,
    ProviderDeclined,
    Capture,
    Cancel,
    ReconcileFailed,
    ProviderUnavailable,
    AwaitBankTransfer,
    BankTransferReceived,
    BankTransferExpired,
    SubmitDirectDebit,
    DirectDebitReturned,
    DirectDebitSettled,
    ProviderRequiresAuthentication,
}

public sealed record PaymentTransition(PaymentStatus From, PaymentTrigger Trigger, PaymentStatus To);

/// <summary>The payment lifecycle as one declarative table. Everything that changes a payment's status goes through <see cref="Next"/>.</summary>
public static class PaymentStateMachine
{
    private const PaymentStatus Rpm = PaymentStatus.RequiresPaymentMethod;
    private const PaymentStatus Rc = PaymentStatus.RequiresConfirmation;
    private const PaymentStatus Ra = PaymentStatus.RequiresAction;
    private const PaymentStatus Proc = PaymentStatus.Processing;
    private const PaymentStatus Rcap = PaymentStatus.RequiresCapture;

    public static IReadOnlyList<PaymentTransition> Transitions { get; } =
    [
        new(Rpm, PaymentTrigger.AttachPaymentMethod, Rc),
        new(Rc, PaymentTrigger.AttachPaymentMethod, Rc),
        new(Rc, PaymentTrigger.StartAttempt, Proc),
        new(Proc, PaymentTrigger.ProviderRequiresAction, Ra),
        new(Proc, PaymentTrigger.ProviderAuthorized, Rcap),
        new(Proc, PaymentTrigger.ProviderCaptured, PaymentStatus.Succeeded),
        new(Proc, PaymentTrigger.ProviderDeclined, PaymentStatus.Failed),
        new(Proc, PaymentTrigger.ReconcileFailed, PaymentStatus.Failed),
        new(Proc, PaymentTrigger.ProviderUnavailable, Rc),
        new(Ra, PaymentTrigger.CompleteAction, Proc),
        new(Ra, PaymentTrigger.ProviderAuthorized, Rcap),
        new(Ra, PaymentTrigger.ProviderCaptured, PaymentStatus.Succeeded),
        new(Ra, PaymentTrigger.ProviderDeclined, PaymentStatus.Failed),
        new(Rcap, PaymentTrigger.Capture, PaymentStatus.Succeeded),
        new(Rpm, PaymentTrigger.Cancel, PaymentStatus.Canceled),
        new(Rc, PaymentTrigger.Cancel, PaymentStatus.Canceled),
        new(Ra, PaymentTrigger.Cancel, PaymentStatus.Canceled),
        new(Rcap, PaymentTrigger.Cancel, PaymentStatus.Canceled),
        new(Rpm, PaymentTrigger.AwaitBankTransfer, Ra),
        new(Ra, PaymentTrigger.BankTransferReceived, PaymentStatus.Succeeded),
        new(Ra, PaymentTrigger.BankTransferExpired, PaymentStatus.Canceled),
        new(Rpm, PaymentTrigger.SubmitDirectDebit, Proc),
        new(Proc, PaymentTrigger.DirectDebitReturned, PaymentStatus.Failed),
        new(Proc, PaymentTrigger.DirectDebitSettled, PaymentStatus.Succeeded),
        new(Proc, PaymentTrigger.ProviderRequiresAuthentication, Rc),
    ];

    private static readonly FrozenDictionary<(PaymentStatus, PaymentTrigger), PaymentStatus> Table =
        Transitions.ToFrozenDictionary(t => (t.From, t.Trigger), t => t.To);

    public static bool CanApply(PaymentStatus from, PaymentTrigger trigger) => Table.ContainsKey((from, trigger));

    /// <summary>The status after <paramref name="trigger"/>, or a 409 <c>payment_state_conflict</c>.</summary>
    public static PaymentStatus Next(PaymentStatus from, PaymentTrigger trigger) =>
        Table.TryGetValue((from, trigger), out var to)
            ? to
            : throw GatewayException.StateConflict($"A payment in status '{from.ToWire()}' cannot {Describe(trigger)}.");

    public static bool IsTerminal(PaymentStatus status) => Transitions.All(t => t.From != status);

    /// <summary>The table as a Mermaid state diagram (the docs and README embed this output).</summary>
    public static string ToMermaid()
    {
        var sb = new StringBuilder("stateDiagram-v2\n");
        sb.Append("    [*] --> requires_payment_method\n");
        sb.Append("    [*] --> requires_confirmation: created with payment_method\n");
        foreach (var group in Transitions.Where(t => t.From != t.To).GroupBy(t => (t.From, t.To)))
        {
            var label = string.Join(", ", group.Select(t => Snake(t.Trigger.ToString())));
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"    {group.Key.From.ToWire()} --> {group.Key.To.ToWire()}: {label}\n");
        }

        foreach (var terminal in Enum.GetValues<PaymentStatus>().Where(IsTerminal))
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"    {terminal.ToWire()} --> [*]\n");
        }

        return sb.ToString();
    }

    private static string Describe(PaymentTrigger trigger) => trigger switch
    {
        PaymentTrigger.AttachPaymentMethod => "take a new payment method",
        PaymentTrigger.StartAttempt => "be confirmed",
        PaymentTrigger.Capture => "be captured",
        PaymentTrigger.Cancel => "be canceled",
        PaymentTrigger.CompleteAction => "complete a customer action",
        _ => $"apply '{Snake(trigger.ToString())}'",
    };

    private static string Snake(string pascal)
    {
        var sb = new StringBuilder();
        foreach (var ch in pascal)
        {
            if (char.IsUpper(ch) && sb.Length > 0)
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(ch));
        }

        return sb.ToString();
    }
}
