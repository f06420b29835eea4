namespace PaymentGateway.Core.Disputes.Mapping;

/// <summary>
/// Stripe: every <c>charge.dispute.*</c> event carries the whole dispute, so its <c>status</c> says where it is;
/// <c>funds_withdrawn</c>/<c>funds_reinstated</c> also move money (the adapter passes the balance transaction with its
/// <c>txn_</c> id when it can). Reasons are Stripe's own names.
/// </summary>
public static class StripeDisputeMapping
{
    public static DisputeMove? Move(string eventCode, string? status)
    {
        DisputeFundsKind? funds = eventCode switch
        {
            "charge.dispute.funds_withdrawn" => DisputeFundsKind.Withdrawn,
            "charge.dispute.funds_reinstated" => DisputeFundsKind.Reinstated,
            _ => null,
        };
        if (eventCode is not ("charge.dispute.created" or "charge.dispute.updated" or "charge.dispute.closed"
            or "charge.dispute.funds_withdrawn" or "charge.dispute.funds_reinstated" or Providers.DisputeNotification.SnapshotEventCode))
        {
            return null;
        }

        return status switch
        {
            "warning_needs_response" => new DisputeMove(DisputeStage.Inquiry, DisputeTrigger.OpenInquiry, funds),
            "warning_under_review" => new DisputeMove(DisputeStage.Inquiry, DisputeTrigger.SubmitEvidence, funds),
            "warning_closed" => new DisputeMove(DisputeStage.Inquiry, DisputeTrigger.CloseInquiry, funds),
            "needs_response" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.OpenChargeback, funds),
            "under_review" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.SubmitEvidence, funds),
            "won" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.Win, funds),
            "lost" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.Lose, funds),
            _ => new DisputeMove(DisputeStage.Chargeback, null, funds),
        };
    }

    public static DisputeReason Reason(string? reason) => reason switch
    {
        "fraudulent" or "debit_not_authorized" => DisputeReason.Fraudulent,
        "duplicate" => DisputeReason.Duplicate,
        "product_not_received" => DisputeReason.ProductNotReceived,
        "product_unacceptable" => DisputeReason.ProductUnacceptable,
        "subscription_canceled" => DisputeReason.SubscriptionCanceled,
        "credit_not_processed" => DisputeReason.CreditNotProcessed,
        "unrecognized" => DisputeReason.Unrecognized,
        _ => DisputeReason.General,
    };
}
