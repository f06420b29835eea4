using System.Text.Json.Serialization;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>How a checkout session saves the card it is paid with for its customer (docs/saved-cards.md).</summary>
/// <remarks>
/// An extensible value: compare with the static members (<c>==</c>), and expect values this version of the SDK does
/// not list. <c>default</c> has an empty <see cref="Value"/>.
/// </remarks>
[JsonConverter(typeof(ExtensibleValueConverter<CheckoutSaveCard>))]
public readonly record struct CheckoutSaveCard : IExtensibleValue<CheckoutSaveCard>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string, for example <c>"offer"</c>.</param>
    public CheckoutSaveCard(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>The page shows a "save this card" checkbox (gateway.js: <c>pay({ saveCard: true })</c>). Wire value <c>offer</c>.</summary>
    public static CheckoutSaveCard Offer { get; } = new("offer");

    /// <summary>Paying saves the card; the page tells the customer so. Wire value <c>require</c>.</summary>
    public static CheckoutSaveCard Require { get; } = new("require");

    /// <summary>The wire string of this value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator CheckoutSaveCard(string value) => new(value);

    static CheckoutSaveCard IExtensibleValue<CheckoutSaveCard>.FromWire(string value) => new(value);

    /// <summary>Returns the wire string.</summary>
    /// <returns>The wire string.</returns>
    public override string ToString() => Value;
}
