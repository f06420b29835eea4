using System.Text.Json.Serialization;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>Why a cardholder disputed, normalized across providers (the provider's own code is on the dispute). Unknown values sent by a newer server are preserved in <see cref="Value"/>.</summary>
/// <remarks>
/// An extensible value: compare with the static members (<c>==</c>), and expect values this version of the SDK does
/// not list. <c>default</c> has an empty <see cref="Value"/>.
/// </remarks>
[JsonConverter(typeof(ExtensibleValueConverter<DisputeReason>))]
public readonly record struct DisputeReason : IExtensibleValue<DisputeReason>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string, for example <c>"fraudulent"</c>.</param>
    public DisputeReason(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Another reason, or one the provider did not map. Wire value <c>general</c>.</summary>
    public static DisputeReason General { get; } = new("general");

    /// <summary>The cardholder says they did not make the payment. Wire value <c>fraudulent</c>.</summary>
    public static DisputeReason Fraudulent { get; } = new("fraudulent");

    /// <summary>The cardholder says they were charged twice. Wire value <c>duplicate</c>.</summary>
    public static DisputeReason Duplicate { get; } = new("duplicate");

    /// <summary>The goods or service did not arrive. Wire value <c>product_not_received</c>.</summary>
    public static DisputeReason ProductNotReceived { get; } = new("product_not_received");

    /// <summary>The goods or service were defective or not as described. Wire value <c>product_unacceptable</c>.</summary>
    public static DisputeReason ProductUnacceptable { get; } = new("product_unacceptable");

    /// <summary>A recurring payment after the subscription was canceled. Wire value <c>subscription_canceled</c>.</summary>
    public static DisputeReason SubscriptionCanceled { get; } = new("subscription_canceled");

    /// <summary>A refund or credit that was promised did not arrive. Wire value <c>credit_not_processed</c>.</summary>
    public static DisputeReason CreditNotProcessed { get; } = new("credit_not_processed");

    /// <summary>The cardholder does not recognize the payment. Wire value <c>unrecognized</c>.</summary>
    public static DisputeReason Unrecognized { get; } = new("unrecognized");

    /// <summary>The wire string of this value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator DisputeReason(string value) => new(value);

    static DisputeReason IExtensibleValue<DisputeReason>.FromWire(string value) => new(value);

    /// <summary>Returns the wire string.</summary>
    /// <returns>The wire string.</returns>
    public override string ToString() => Value;
}
