namespace PaymentGateway.Core.Disputes.Mapping;

/// <summary>
/// Checkout.com: one event type per step (<c>dispute_evidence_required</c> debits the merchant, <c>dispute_won</c> and
/// <c>dispute_canceled</c> credit it back), and the same words as the dispute's <c>status</c> when the gateway reads it
/// from the Disputes API. Reasons come as a <c>category</c>; the scheme's <c>reason_code</c> is the fallback.
/// </summary>
public static class CheckoutComDisputeMapping
{
    public static DisputeMove? Move(string eventCode, string? status) => eventCode switch
    {
        "dispute_evidence_required" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.OpenChargeback, DisputeFundsKind.Withdrawn),
        "dispute_evidence_submitted" or "dispute_evidence_acknowledged_by_scheme" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.SubmitEvidence),
        "dispute_won" or "dispute_canceled" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.Win, DisputeFundsKind.Reinstated),
        "dispute_resolved" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.Win),
        "dispute_lost" or "dispute_expired" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.Lose),
        "dispute_accepted" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.Accept),
        "dispute_arbitration_sent_to_scheme" => new DisputeMove(DisputeStage.PreArbitration, DisputeTrigger.OpenPreArbitration),
        "dispute_arbitration_evidence_submitted" => new DisputeMove(DisputeStage.PreArbitration, DisputeTrigger.SubmitEvidence),
        "dispute_arbitration_won" => new DisputeMove(DisputeStage.PreArbitration, DisputeTrigger.Win),
        "dispute_arbitration_lost" => new DisputeMove(DisputeStage.PreArbitration, DisputeTrigger.Lose),
        Providers.DisputeNotification.SnapshotEventCode => Snapshot(status),
        _ => null,
    };

    private static DisputeMove Snapshot(string? status) => status switch
    {
        "evidence_required" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.OpenChargeback),
        "evidence_under_review" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.SubmitEvidence),
        "won" or "canceled" or "resolved" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.Win),
        "lost" or "expired" or "closed" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.Lose),
        "accepted" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.Accept),
        "arbitration_under_review" => new DisputeMove(DisputeStage.PreArbitration, DisputeTrigger.SubmitEvidence),
        "arbitration_won" => new DisputeMove(DisputeStage.PreArbitration, DisputeTrigger.Win),
        "arbitration_lost" => new DisputeMove(DisputeStage.PreArbitration, DisputeTrigger.Lose),
        _ => new DisputeMove(DisputeStage.Chargeback, null),
    };

    public static DisputeReason Reason(string? category, string? scheme) => category switch
    {
        "fraudulent" => DisputeReason.Fraudulent,
        "unrecognized" => DisputeReason.Unrecognized,
        "canceled_recurring" => DisputeReason.SubscriptionCanceled,
        "product_service_not_received" => DisputeReason.ProductNotReceived,
        "not_as_described" => DisputeReason.ProductUnacceptable,
        "credit_not_issued" => DisputeReason.CreditNotProcessed,
        "duplicate" => DisputeReason.Duplicate,
        "incorrect_amount" or "general" or null => DisputeReason.General,
        _ => CardNetworkReasonCodes.Reason(scheme, category),
    };
}
