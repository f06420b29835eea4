using System.Text.Json.Serialization;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>What a saved card may be used for.</summary>
/// <remarks>
/// An extensible value: compare with the static members (<c>==</c>), and expect values this version of the SDK does
/// not list. <c>default</c> has an empty <see cref="Value"/>.
/// </remarks>
[JsonConverter(typeof(ExtensibleValueConverter<SetupFutureUsage>))]
public readonly record struct SetupFutureUsage : IExtensibleValue<SetupFutureUsage>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string, for example <c>"off_session"</c>.</param>
    public SetupFutureUsage(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Only with the customer present (one-click checkout). Wire value <c>on_session</c>.</summary>
    public static SetupFutureUsage OnSession { get; } = new("on_session");

    /// <summary>Also without the customer: subscriptions, instalments, unscheduled charges. Wire value <c>off_session</c>.</summary>
    public static SetupFutureUsage OffSession { get; } = new("off_session");

    /// <summary>The wire string of this value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator SetupFutureUsage(string value) => new(value);

    static SetupFutureUsage IExtensibleValue<SetupFutureUsage>.FromWire(string value) => new(value);

    /// <summary>Returns the wire string.</summary>
    /// <returns>The wire string.</returns>
    public override string ToString() => Value;
}
