using System.Text.Json.Serialization;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>The status of a refund. Unknown values sent by a newer server are preserved in <see cref="Value"/>.</summary>
/// <remarks>
/// An extensible value: compare with the static members (<c>==</c>), and expect values this version of the SDK does
/// not list. <c>default</c> has an empty <see cref="Value"/>.
/// </remarks>
[JsonConverter(typeof(ExtensibleValueConverter<RefundStatus>))]
public readonly record struct RefundStatus : IExtensibleValue<RefundStatus>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string, for example <c>"pending"</c>.</param>
    public RefundStatus(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>The refund was accepted and is being processed. Wire value <c>pending</c>.</summary>
    public static RefundStatus Pending { get; } = new("pending");

    /// <summary>The refund was completed. Wire value <c>succeeded</c>.</summary>
    public static RefundStatus Succeeded { get; } = new("succeeded");

    /// <summary>The refund failed; see <c>failure_reason</c>. Wire value <c>failed</c>.</summary>
    public static RefundStatus Failed { get; } = new("failed");

    /// <summary>The wire string of this value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator RefundStatus(string value) => new(value);

    static RefundStatus IExtensibleValue<RefundStatus>.FromWire(string value) => new(value);

    /// <summary>Returns the wire string.</summary>
    /// <returns>The wire string.</returns>
    public override string ToString() => Value;
}
