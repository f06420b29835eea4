using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace PaymentGateway.Core.Disputes;

/// <summary>What happened to a dispute. Each trigger moves it along one row of <see cref="DisputeStateMachine.Transitions"/>.</summary>
public enum DisputeTrigger
{
    /// <summary>The issuer asked for information (an inquiry, a retrieval request): no money moved yet.</summary>
    OpenInquiry,

    /// <summary>The inquiry ended without a chargeback.</summary>
    CloseInquiry,

    /// <summary>A chargeback: the merchant must answer by the deadline.</summary>
    OpenChargeback,

    /// <summary>Evidence went to the issuer (through the gateway, or as the provider reports).</summary>
    SubmitEvidence,

    /// <summary>Decided for the merchant.</summary>
    Win,

    /// <summary>Decided for the cardholder (or the deadline passed unanswered).</summary>
    Lose,

    /// <summary>The merchant conceded.</summary>
    Accept,

    /// <summary>A second round after a decision: the issuer's pre-arbitration or second chargeback (Adyen), the merchant's arbitration (Checkout.com).</summary>
    OpenPreArbitration,
}

public sealed record DisputeTransition(DisputeStatus From, DisputeTrigger Trigger, DisputeStatus To);

/// <summary>
/// The dispute lifecycle as one declarative table (like <see cref="Payments.PaymentStateMachine"/>). A dispute starts in
/// the open status of the stage its first fact belongs to (<see cref="OpenStatus"/>) and every fact after that moves it
/// along a row; <see cref="DisputeFold"/> applies facts in a fixed order and treats a trigger without a row as stale.
/// </summary>
public static class DisputeStateMachine
{
    private const DisputeStatus Wnr = DisputeStatus.WarningNeedsResponse;
    private const DisputeStatus Wur = DisputeStatus.WarningUnderReview;
    private const DisputeStatus Wc = DisputeStatus.WarningClosed;
    private const DisputeStatus Nr = DisputeStatus.NeedsResponse;
    private const DisputeStatus Ur = DisputeStatus.UnderReview;
    private const DisputeStatus Pnr = DisputeStatus.PreArbitrationNeedsResponse;
    private const DisputeStatus Pur = DisputeStatus.PreArbitrationUnderReview;

    public static IReadOnlyList<DisputeTransition> Transitions { get; } =
    [
        new(Wnr, DisputeTrigger.SubmitEvidence, Wur),
        new(Wnr, DisputeTrigger.CloseInquiry, Wc),
        new(Wur, DisputeTrigger.CloseInquiry, Wc),
        new(Wnr, DisputeTrigger.Accept, DisputeStatus.Accepted),
        new(Wnr, DisputeTrigger.OpenChargeback, Nr),
        new(Wur, DisputeTrigger.OpenChargeback, Nr),
        new(Wc, DisputeTrigger.OpenChargeback, Nr),
        new(Nr, DisputeTrigger.SubmitEvidence, Ur),
        new(Nr, DisputeTrigger.Accept, DisputeStatus.Accepted),
        new(Nr, DisputeTrigger.Win, DisputeStatus.Won),
        new(Nr, DisputeTrigger.Lose, DisputeStatus.Lost),
        new(Ur, DisputeTrigger.Win, DisputeStatus.Won),
        new(Ur, DisputeTrigger.Lose, DisputeStatus.Lost),
        new(Nr, DisputeTrigger.OpenPreArbitration, Pnr),
        new(Ur, DisputeTrigger.OpenPreArbitration, Pnr),
        new(DisputeStatus.Won, DisputeTrigger.OpenPreArbitration, Pnr),
        new(DisputeStatus.Lost, DisputeTrigger.OpenPreArbitration, Pnr),
        new(Pnr, DisputeTrigger.SubmitEvidence, Pur),
        new(Pnr, DisputeTrigger.Accept, DisputeStatus.Accepted),
        new(Pnr, DisputeTrigger.Win, DisputeStatus.Won),
        new(Pnr, DisputeTrigger.Lose, DisputeStatus.Lost),
        new(Pur, DisputeTrigger.Win, DisputeStatus.Won),
        new(Pur, DisputeTrigger.Lose, DisputeStatus.Lost),
    ];

    private static readonly FrozenDictionary<(DisputeStatus, DisputeTrigger), DisputeStatus> Table =
        Transitions.ToFrozenDictionary(t => (t.From, t.Trigger), t => t.To);

    /// <summary>The status a dispute starts in when the first fact known about it belongs to <paramref name="stage"/>.</summary>
    public static DisputeStatus OpenStatus(DisputeStage stage) => stage switch
    {
        DisputeStage.Inquiry => Wnr,
        DisputeStage.PreArbitration => Pnr,
        _ => Nr,
    };

    public static bool CanApply(DisputeStatus from, DisputeTrigger trigger) => Table.ContainsKey((from, trigger));

    /// <summary>The status after <paramref name="trigger"/>, or null when the table has no such row.</summary>
    public static DisputeStatus? TryNext(DisputeStatus from, DisputeTrigger trigger) =>
        Table.TryGetValue((from, trigger), out var to) ? to : null;

    /// <summary>The status after <paramref name="trigger"/>, or a 409 <c>dispute_state_conflict</c>.</summary>
    public static DisputeStatus Next(DisputeStatus from, DisputeTrigger trigger) =>
        TryNext(from, trigger) ?? throw new GatewayException(ErrorKind.Conflict, ErrorCodes.DisputeStateConflict,
            $"A dispute in status '{from.ToWire()}' cannot {Describe(trigger)}.");

    /// <summary>No row leaves it.</summary>
    public static bool IsTerminal(DisputeStatus status) => Transitions.All(t => t.From != status);

    /// <summary>The table as a Mermaid state diagram (docs/disputes.md embeds this output; <c>/docs/dispute-state-diagram.mmd</c> serves it).</summary>
    public static string ToMermaid()
    {
        var sb = new StringBuilder("stateDiagram-v2\n");
        foreach (var stage in Enum.GetValues<DisputeStage>())
        {
            sb.Append(CultureInfo.InvariantCulture, $"    [*] --> {OpenStatus(stage).ToWire()}: {stage.ToWire()}\n");
        }

        foreach (var group in Transitions.GroupBy(t => (t.From, t.To)))
        {
            var label = string.Join(", ", group.Select(t => Snake(t.Trigger.ToString())));
            sb.Append(CultureInfo.InvariantCulture, $"    {group.Key.From.ToWire()} --> {group.Key.To.ToWire()}: {label}\n");
        }

        foreach (var terminal in Enum.GetValues<DisputeStatus>().Where(IsTerminal))
        {
            sb.Append(CultureInfo.InvariantCulture, $"    {terminal.ToWire()} --> [*]\n");
        }

        return sb.ToString();
    }

    private static string Describe(DisputeTrigger trigger) => trigger switch
    {
        DisputeTrigger.SubmitEvidence => "take evidence",
        DisputeTrigger.Accept => "be accepted",
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
