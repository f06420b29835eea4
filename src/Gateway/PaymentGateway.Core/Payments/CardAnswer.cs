using PaymentGateway.Core.Api;
using PaymentGateway.Core.Idempotency;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Payments;

/// <summary>
/// What a card payment request (create, confirm) answers once its payment is saved: the payment, or, when the card was
/// declined, a 402 <c>card_declined</c> carrying it. One definition for the answer itself and for the response the
/// request's last commit stores for replays (<see cref="IdempotencyScope"/>).
/// </summary>
public static class CardAnswer
{
    /// <summary>The decline to answer with, or null when the answer is the payment itself.</summary>
    public static GatewayException? Decline(Payment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return payment.LastPaymentError is { } error
            && (payment.Status == PaymentStatus.Failed || (payment.Status == PaymentStatus.RequiresConfirmation && error.Code == ErrorCodes.CardAuthenticationRequired))
            ? new GatewayException(ErrorKind.CardDeclined, error.Code, error.Message, "payment_method")
            {
                DeclineCode = error.DeclineCode,
                Resource = payment.ToResource(),
            }
            : null;
    }

    /// <summary>
    /// The answer for <paramref name="payment"/> as the transport will send it, from the commit that also writes
    /// <paramref name="events"/>. The payment's last event of that commit usually snapshots the very state answered (the
    /// transition the provider's word made, or the creation): when its resource equals the answer's, field by field
    /// (the records' own equality, so a field added later is compared too), its JSON is reused, so the payment is
    /// serialized once for the event, the stored answer and the response.
    /// </summary>
    public static IdempotentResponse Render(IPaymentAnswerRenderer renderer, Payment payment, IReadOnlyList<Events.GatewayEvent> events)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(events);
        if (Decline(payment) is { } decline)
        {
            return renderer.Render(decline);
        }

        var resource = payment.ToResource();
        for (var i = events.Count - 1; i >= 0; i--)
        {
            if (events[i].ObjectId == payment.Id && events[i].Snapshot is PaymentResource snapshot)
            {
                return renderer.Render(resource, snapshot == resource ? events[i].DataJson : null);
            }
        }

        return renderer.Render(resource, null);
    }
}
