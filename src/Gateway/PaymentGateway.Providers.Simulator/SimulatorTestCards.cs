using System.Collections.Frozen;

namespace PaymentGateway.Providers.Simulator;

/// <summary>What the simulator does for a card.</summary>
public enum SimulatorScenario
{
    Success,
    Decline,
    ThreeDSecure,
    Unknown,

    /// <summary>Succeeds, then is disputed as fraudulent (a chargeback) a set time later.</summary>
    DisputeFraudulent,

    /// <summary>Succeeds, then is disputed as product not received (a chargeback) a set time later; a tracking number wins it.</summary>
    DisputeProductNotReceived,

    /// <summary>Succeeds, then gets an inquiry a set time later, which becomes a chargeback unless answered.</summary>
    DisputeInquiry,
    /// <summary>Saved without a challenge; every later merchant-initiated payment is approved.</summary>
    MitApproved,

    /// <summary>Every customer-initiated payment needs 3-D Secure; a merchant-initiated one is declined <c>authentication_required</c>.</summary>
    AuthenticationRequiredOffSession,

    /// <summary>Saved fine; every later payment on the stored card (merchant- or customer-initiated) is declined <c>expired_card</c>.</summary>
    ExpiredSinceSaving,
}

/// <summary>One row of the test card table; <paramref name="Shortcut"/> names its test payment method <c>pm_card_{Shortcut}</c>.</summary>
public sealed record SimulatorTestCard(string Number, string Brand, SimulatorScenario Scenario, string? DeclineCode, string Description, string? Shortcut = null);

/// <summary>
/// The simulator's test cards. Any other valid card number succeeds. These numbers are public test numbers
/// (the same ones the major providers document, except the fraudulent-dispute card, whose documented number is taken
/// here by the lost-answer card); they never move real money. The dispute cards are docs/disputes.md's.
/// </summary>
public static class SimulatorTestCards
{
    public static IReadOnlyList<SimulatorTestCard> All { get; } =
    [
        new("4242424242424242", "visa", SimulatorScenario.Success, null, "Succeeds.", "visa"),
        new("5555555555554444", "mastercard", SimulatorScenario.Success, null, "Succeeds.", "mastercard"),
        new("378282246310005", "amex", SimulatorScenario.Success, null, "Succeeds.", "amex"),
        new("4000000000000002", "visa", SimulatorScenario.Decline, DeclineCodes.GenericDecline, "Declined: generic decline.", "declined"),
        new("4000000000009995", "visa", SimulatorScenario.Decline, DeclineCodes.InsufficientFunds, "Declined: insufficient funds.", "insufficient_funds"),
        new("4000000000000127", "visa", SimulatorScenario.Decline, DeclineCodes.IncorrectCvc, "Declined: incorrect CVC.", "incorrect_cvc"),
        new("4000000000000069", "visa", SimulatorScenario.Decline, DeclineCodes.ExpiredCard, "Declined: expired card.", "expired"),
        new("4000000000000119", "visa", SimulatorScenario.Decline, DeclineCodes.ProcessingError, "Declined: processing error.", "processing_error"),
        new("4000000000003220", "visa", SimulatorScenario.ThreeDSecure, null, "Requires 3-D Secure; the challenge page can pass or fail.", "3ds"),
        new("4000000000000259", "visa", SimulatorScenario.Unknown, null, "The provider's answer is lost (timeout): the payment stays processing until the reconciler learns it succeeded.", "lost_answer"),
        new("4000000000005258", "visa", SimulatorScenario.DisputeFraudulent, null, "Succeeds, then is disputed as fraudulent (chargeback, funds withdrawn) after the dispute delay.", "dispute_fraudulent"),
        new("4000000000002685", "visa", SimulatorScenario.DisputeProductNotReceived, null, "Succeeds, then is disputed as product not received (chargeback, funds withdrawn) after the dispute delay.", "dispute_product_not_received"),
        new("4000000000001976", "visa", SimulatorScenario.DisputeInquiry, null, "Succeeds, then gets an inquiry after the dispute delay; unanswered, it becomes a chargeback after the escalation delay.", "dispute_inquiry"),
        new("4000000000003089", "visa", SimulatorScenario.MitApproved, null, "Saved cards: saved without a challenge; every off-session (merchant-initiated) payment is approved.", "mit_approved"),
        new("4000002760003184", "visa", SimulatorScenario.AuthenticationRequiredOffSession, DeclineCodes.AuthenticationRequired,
            "Saved cards: every on-session payment needs 3-D Secure; off-session payments are declined authentication_required (bring the customer back).", "authentication_required"),
        new("4000000000003097", "visa", SimulatorScenario.ExpiredSinceSaving, DeclineCodes.ExpiredCard,
            "Saved cards: saved fine; every later payment on the saved card is declined expired_card (the card expired since it was saved).", "expired_since_saving"),
    ];

    private static readonly FrozenDictionary<string, SimulatorTestCard> ByNumber = All.ToFrozenDictionary(c => c.Number, StringComparer.Ordinal);

    public static SimulatorTestCard? Find(string number) => ByNumber.GetValueOrDefault(number);
}

/// <summary>The test payment method shortcuts: <c>pm_card_{shortcut}</c> for every simulator test card that has one.</summary>
public sealed class SimulatorTestPaymentMethods : ITestPaymentMethods
{
    private readonly FrozenDictionary<string, TestPaymentMethod> _byId;

    public SimulatorTestPaymentMethods()
    {
        All = SimulatorTestCards.All.Where(c => c.Shortcut is not null)
            .Select(c => new TestPaymentMethod(TestPaymentMethod.Prefix + c.Shortcut, c.Number, c.Brand, c.Description)).ToList();
        _byId = All.ToFrozenDictionary(m => m.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<TestPaymentMethod> All { get; }

    public TestPaymentMethod? Find(string paymentMethodId) => _byId.GetValueOrDefault(paymentMethodId);
}
