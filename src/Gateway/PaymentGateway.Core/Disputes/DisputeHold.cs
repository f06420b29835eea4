namespace PaymentGateway.Core.Disputes;

/// <summary>
/// How much of a payment a dispute keeps from refunds (docs/disputes.md, "Refunds and disputes"). From the chargeback
/// on, the disputed amount is held while the dispute is open and stays held when it is lost or accepted (the provider
/// keeps that money); a won dispute, and an inquiry that never became a chargeback, hold nothing. What a dispute holds
/// is capped by what the payment still has: received, minus refunded, minus what its other disputes hold, so
/// refunded + held never exceeds received whatever the order of refunds and notifications.
/// </summary>
public static class DisputeHold
{
    /// <summary>What a dispute in <paramref name="status"/> that reached <paramref name="stage"/> should hold, before the cap.</summary>
    public static long Desired(DisputeStatus status, DisputeStage stage, long amount)
    {
        if (stage == DisputeStage.Inquiry || status is DisputeStatus.Won or DisputeStatus.WarningClosed)
        {
            return 0;
        }

        return Math.Max(0, amount);
    }

    /// <summary>
    /// What the dispute holds after the change: <paramref name="desired"/> capped by the room on the payment
    /// (received − refunded − the payment's disputed amount without this dispute's current hold).
    /// </summary>
    public static long Capped(long desired, long currentHold, long amountReceived, long amountRefunded, long amountDisputed)
    {
        var room = checked(amountReceived - amountRefunded - (amountDisputed - currentHold));
        return Math.Clamp(desired, 0, Math.Max(0, room));
    }
}
