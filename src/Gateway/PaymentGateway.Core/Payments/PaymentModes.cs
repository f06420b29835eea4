namespace PaymentGateway.Core.Payments;

/// <summary>What a card payment does: charge an amount (the default), or verify the card and save it (docs/saved-cards.md).</summary>
public static class PaymentModes
{
    public const string Payment = "payment";

    /// <summary>A zero-amount verification through the provider's verify flow that saves the card for the customer.</summary>
    public const string Setup = "setup";
}
