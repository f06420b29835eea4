namespace PaymentGateway.Core.Disputes.Mapping;

/// <summary>
/// Adyen: the <c>eventCode</c> says the stage and the money movement; <c>additionalData.disputeStatus</c> (passed as
/// <see cref="Providers.DisputeNotification.ProviderStatus"/>) refines where the dispute stands within it. Reasons are
/// card-scheme codes (<see cref="CardNetworkReasonCodes"/>). <c>NOTIFICATION_OF_FRAUD</c> is a fraud report, not a
/// dispute: ignored.
/// </summary>
public static class AdyenDisputeMapping
{
    public static DisputeMove? Move(string eventCode, string? disputeStatus) => eventCode switch
    {
        "REQUEST_FOR_INFORMATION" => new DisputeMove(DisputeStage.Inquiry, disputeStatus switch
        {
            "Responded" => DisputeTrigger.SubmitEvidence,
            "Expired" => DisputeTrigger.CloseInquiry,
            _ => DisputeTrigger.OpenInquiry,
        }),
        "INFORMATION_SUPPLIED" => new DisputeMove(DisputeStage.Inquiry, DisputeTrigger.SubmitEvidence),
        "NOTIFICATION_OF_CHARGEBACK" => new DisputeMove(DisputeStage.Chargeback, WithinChargeback(disputeStatus)),
        "CHARGEBACK" => new DisputeMove(DisputeStage.Chargeback, WithinChargeback(disputeStatus), DisputeFundsKind.Withdrawn),
        "CHARGEBACK_REVERSED" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.Win, DisputeFundsKind.Reinstated),
        "ISSUER_RESPONSE_TIMEFRAME_EXPIRED" => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.Win),
        "DISPUTE_DEFENSE_PERIOD_ENDED" or "ISSUER_COMMENTS" => new DisputeMove(DisputeStage.Chargeback, null),
        "SECOND_CHARGEBACK" => new DisputeMove(DisputeStage.PreArbitration,
            disputeStatus == "Lost" ? DisputeTrigger.Lose : DisputeTrigger.OpenPreArbitration, DisputeFundsKind.Withdrawn),
        "PREARBITRATION_OPEN" => new DisputeMove(DisputeStage.PreArbitration, DisputeTrigger.OpenPreArbitration),
        "PREARBITRATION_WON" => new DisputeMove(DisputeStage.PreArbitration, DisputeTrigger.Win),
        "PREARBITRATION_LOST" => new DisputeMove(DisputeStage.PreArbitration, DisputeTrigger.Lose),
        _ => null,
    };

    private static DisputeTrigger WithinChargeback(string? disputeStatus) => disputeStatus switch
    {
        "Pending" or "Responded" => DisputeTrigger.SubmitEvidence,
        "Accepted" => DisputeTrigger.Accept,
        "Lost" or "Expired" => DisputeTrigger.Lose,
        "Won" => DisputeTrigger.Win,
        _ => DisputeTrigger.OpenChargeback,
    };
}
