using System.Text.Json.Serialization;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>The status of a payment. Unknown values sent by a newer server are preserved in <see cref="Value"/>.</summary>
/// <remarks>
/// An extensible value: compare with the static members (<c>==</c>), and expect values this version of the SDK does
/// not list. <c>default</c> has an empty <see cref="Value"/>.
/// </remarks>
[JsonConverter(typeof(ExtensibleValueConverter<PaymentStatus>))]
public readonly record struct PaymentStatus : IExtensibleValue<PaymentStatus>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string, for example <c>"requires_payment_method"</c>.</param>
    public PaymentStatus(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>The payment needs a payment method before it can be confirmed. Wire value <c>requires_payment_method</c>.</summary>
    public static PaymentStatus RequiresPaymentMethod { get; } = new("requires_payment_method");

    /// <summary>The payment has a payment method and waits for confirmation. Wire value <c>requires_confirmation</c>.</summary>
    public static PaymentStatus RequiresConfirmation { get; } = new("requires_confirmation");

    /// <summary>The customer must complete an action (for example 3-D Secure) at <c>next_action</c>. Wire value <c>requires_action</c>.</summary>
    public static PaymentStatus RequiresAction { get; } = new("requires_action");

    /// <summary>The provider is processing the payment; its outcome is not known yet. Wire value <c>processing</c>.</summary>
    public static PaymentStatus Processing { get; } = new("processing");

    /// <summary>The payment is authorized and waits for capture (manual capture). Wire value <c>requires_capture</c>.</summary>
    public static PaymentStatus RequiresCapture { get; } = new("requires_capture");

    /// <summary>The funds were captured. Wire value <c>succeeded</c>.</summary>
    public static PaymentStatus Succeeded { get; } = new("succeeded");

    /// <summary>The payment was canceled before capture. Wire value <c>canceled</c>.</summary>
    public static PaymentStatus Canceled { get; } = new("canceled");

    /// <summary>The payment failed. Wire value <c>failed</c>.</summary>
    public static PaymentStatus Failed { get; } = new("failed");

    /// <summary>The wire string of this value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator PaymentStatus(string value) => new(value);

    static PaymentStatus IExtensibleValue<PaymentStatus>.FromWire(string value) => new(value);

    /// <summary>Returns the wire string.</summary>
    /// <returns>The wire string.</returns>
    public override string ToString() => Value;
}
