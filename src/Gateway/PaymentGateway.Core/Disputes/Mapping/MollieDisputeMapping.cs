namespace PaymentGateway.Core.Disputes.Mapping;

/// <summary>
/// Mollie has no dispute events: its webhook only names the payment, and the adapter reads the payment's chargebacks
/// (<c>GET /v2/payments/{id}/chargebacks</c>). Each chargeback becomes <c>chargeback</c> (money withdrawn) and, once
/// Mollie sets <c>reversedAt</c>, also <c>chargeback_reversed</c> (money back, won). Mollie takes no evidence through
/// its API, so its disputes are answered in Mollie's dashboard. SEPA return codes and card codes map to reasons.
/// </summary>
public static class MollieDisputeMapping
{
    public const string Chargeback = "chargeback";
    public const string ChargebackReversed = "chargeback_reversed";

    public static DisputeMove? Move(string eventCode, string? status) => eventCode switch
    {
        Chargeback => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.OpenChargeback, DisputeFundsKind.Withdrawn),
        ChargebackReversed => new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.Win, DisputeFundsKind.Reinstated),
        Providers.DisputeNotification.SnapshotEventCode => status == "reversed"
            ? new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.Win)
            : new DisputeMove(DisputeStage.Chargeback, DisputeTrigger.OpenChargeback),
        _ => null,
    };

    public static DisputeReason Reason(string? code, string? scheme) => code switch
    {
        "MD01" => DisputeReason.Fraudulent, // no mandate: the debit was not authorized
        "AM05" => DisputeReason.Duplicate,
        "MD06" or "MS02" or "MS03" or "AC01" or "AC04" or "AC06" or "AM04" or "SL01" or null => DisputeReason.General,
        _ => CardNetworkReasonCodes.Reason(scheme, code),
    };
}
