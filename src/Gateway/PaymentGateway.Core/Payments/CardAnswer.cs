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

    /// <summary>The answer for <paramref name="payment"/> as the transport will send it.</summary>
    public static IdempotentResponse Render(IPaymentAnswerRenderer renderer, Payment payment)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        return Decline(payment) is { } decline ? renderer.Render(decline) : renderer.Render(payment.ToResource());
    }
}
