using PaymentGateway.Providers;

namespace PaymentGateway.Core.Disputes.Mapping;

/// <summary>
/// Notifications in the gateway's own words: <see cref="DisputeNotification.ProviderStatus"/> is a dispute status
/// (<c>needs_response</c>, <c>won</c>, …) and the event codes <c>dispute.funds_withdrawn</c> /
/// <c>dispute.funds_reinstated</c> move money. The simulator speaks it; so can a new adapter until it has a table.
/// </summary>
public static class GatewayDisputeMapping
{
    public const string FundsWithdrawn = "dispute.funds_withdrawn";
    public const string FundsReinstated = "dispute.funds_reinstated";

    public static DisputeMove? Move(string eventCode, string? status)
    {
        DisputeFundsKind? funds = eventCode switch
        {
            FundsWithdrawn => DisputeFundsKind.Withdrawn,
            FundsReinstated => DisputeFundsKind.Reinstated,
            _ => null,
        };
        if (status is null || !DisputeStatusNames.TryParse(status, out var parsed))
        {
            return new DisputeMove(DisputeStage.Chargeback, null, funds);
        }

        return new DisputeMove(parsed.StageOf(), TriggerInto(parsed), funds);
    }

    /// <summary>The trigger that moves a dispute into <paramref name="status"/> within its stage.</summary>
    public static DisputeTrigger TriggerInto(DisputeStatus status) => status switch
    {
        DisputeStatus.WarningNeedsResponse => DisputeTrigger.OpenInquiry,
        DisputeStatus.WarningUnderReview => DisputeTrigger.SubmitEvidence,
        DisputeStatus.WarningClosed => DisputeTrigger.CloseInquiry,
        DisputeStatus.NeedsResponse => DisputeTrigger.OpenChargeback,
        DisputeStatus.PreArbitrationNeedsResponse => DisputeTrigger.OpenPreArbitration,
        DisputeStatus.UnderReview or DisputeStatus.PreArbitrationUnderReview => DisputeTrigger.SubmitEvidence,
        DisputeStatus.Won => DisputeTrigger.Win,
        DisputeStatus.Lost => DisputeTrigger.Lose,
        _ => DisputeTrigger.Accept,
    };
}
