using System.Text.Json.Serialization;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>When the funds of a payment are captured.</summary>
/// <remarks>
/// An extensible value: compare with the static members (<c>==</c>), and expect values this version of the SDK does
/// not list. <c>default</c> has an empty <see cref="Value"/>.
/// </remarks>
[JsonConverter(typeof(ExtensibleValueConverter<CaptureMethod>))]
public readonly record struct CaptureMethod : IExtensibleValue<CaptureMethod>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string, for example <c>"automatic"</c>.</param>
    public CaptureMethod(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Capture as soon as the payment is authorized. Wire value <c>automatic</c>.</summary>
    public static CaptureMethod Automatic { get; } = new("automatic");

    /// <summary>Authorize only; capture later with <c>CaptureAsync</c>. Wire value <c>manual</c>.</summary>
    public static CaptureMethod Manual { get; } = new("manual");

    /// <summary>The wire string of this value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator CaptureMethod(string value) => new(value);

    static CaptureMethod IExtensibleValue<CaptureMethod>.FromWire(string value) => new(value);

    /// <summary>Returns the wire string.</summary>
    /// <returns>The wire string.</returns>
    public override string ToString() => Value;
}
