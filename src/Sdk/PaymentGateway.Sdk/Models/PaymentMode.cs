using System.Text.Json.Serialization;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>What a card payment does: charge an amount, or verify and save the card (docs/saved-cards.md).</summary>
/// <remarks>
/// An extensible value: compare with the static members (<c>==</c>), and expect values this version of the SDK does
/// not list. <c>default</c> has an empty <see cref="Value"/>.
/// </remarks>
[JsonConverter(typeof(ExtensibleValueConverter<PaymentMode>))]
public readonly record struct PaymentMode : IExtensibleValue<PaymentMode>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string, for example <c>"payment"</c>.</param>
    public PaymentMode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Charge the amount. Wire value <c>payment</c>.</summary>
    public static PaymentMode Payment { get; } = new("payment");

    /// <summary>Verify the card without charging it (amount 0) and save it for the customer; the equivalent of a setup intent. Wire value <c>setup</c>.</summary>
    public static PaymentMode Setup { get; } = new("setup");

    /// <summary>The wire string of this value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator PaymentMode(string value) => new(value);

    static PaymentMode IExtensibleValue<PaymentMode>.FromWire(string value) => new(value);

    /// <summary>Returns the wire string.</summary>
    /// <returns>The wire string.</returns>
    public override string ToString() => Value;
}
