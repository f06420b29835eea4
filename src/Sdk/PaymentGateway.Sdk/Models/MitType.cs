using System.Text.Json.Serialization;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>Why a merchant charges a saved card without the customer (the card schemes' merchant-initiated types).</summary>
/// <remarks>
/// An extensible value: compare with the static members (<c>==</c>), and expect values this version of the SDK does
/// not list. <c>default</c> has an empty <see cref="Value"/>.
/// </remarks>
[JsonConverter(typeof(ExtensibleValueConverter<MitType>))]
public readonly record struct MitType : IExtensibleValue<MitType>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string, for example <c>"recurring"</c>.</param>
    public MitType(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>A subscription: an agreed amount or schedule. Wire value <c>recurring</c>.</summary>
    public static MitType Recurring { get; } = new("recurring");

    /// <summary>Charges at no fixed schedule (top-ups, charge when the order ships); the default. Wire value <c>unscheduled</c>.</summary>
    public static MitType Unscheduled { get; } = new("unscheduled");

    /// <summary>One of an agreed number of instalments of one purchase. Wire value <c>instalment</c>.</summary>
    public static MitType Instalment { get; } = new("instalment");

    /// <summary>The wire string of this value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator MitType(string value) => new(value);

    static MitType IExtensibleValue<MitType>.FromWire(string value) => new(value);

    /// <summary>Returns the wire string.</summary>
    /// <returns>The wire string.</returns>
    public override string ToString() => Value;
}
