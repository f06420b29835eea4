namespace PaymentGateway.Providers;

/// <summary>
/// The test-mode payment method shortcuts (<c>pm_card_visa</c>, <c>pm_card_declined</c>, ...): a server-side test
/// names a behaviour instead of tokenizing a test card with the publishable key first. The simulator owns the table
/// (its test cards); the gateway turns a shortcut into a fresh payment method of the caller's merchant, in test mode only.
/// </summary>
public interface ITestPaymentMethods
{
    /// <summary>Every shortcut id (<c>pm_card_...</c>) with what it does, in the documented order.</summary>
    IReadOnlyList<TestPaymentMethod> All { get; }

    /// <summary>The shortcut named <paramref name="paymentMethodId"/>, or null when it is not one.</summary>
    TestPaymentMethod? Find(string paymentMethodId);
}

/// <summary>One shortcut: its id, the test card behind it (never shown) and what the simulator does with it.</summary>
public sealed record TestPaymentMethod(string Id, string CardNumber, string Brand, string Description)
{
    /// <summary>The prefix every shortcut id starts with.</summary>
    public const string Prefix = "pm_card_";

    /// <summary>The card's 4-digit CVC for American Express, otherwise 3 digits (any value passes the simulator).</summary>
    public string Cvc => Brand == "amex" ? "1234" : "123";

    /// <summary>The id only: the card behind it is never printed.</summary>
    public override string ToString() => Id;
}
