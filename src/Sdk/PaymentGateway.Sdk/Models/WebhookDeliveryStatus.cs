using System.Text.Json.Serialization;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>The status of a webhook delivery. Unknown values sent by a newer server are preserved in <see cref="Value"/>.</summary>
/// <remarks>
/// An extensible value: compare with the static members (<c>==</c>), and expect values this version of the SDK does
/// not list. <c>default</c> has an empty <see cref="Value"/>.
/// </remarks>
[JsonConverter(typeof(ExtensibleValueConverter<WebhookDeliveryStatus>))]
public readonly record struct WebhookDeliveryStatus : IExtensibleValue<WebhookDeliveryStatus>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string, for example <c>"pending"</c>.</param>
    public WebhookDeliveryStatus(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Not yet delivered; an attempt is due at <see cref="WebhookDelivery.NextAttemptAt"/>. Wire value <c>pending</c>.</summary>
    public static WebhookDeliveryStatus Pending { get; } = new("pending");

    /// <summary>The receiver answered <c>2xx</c>. Wire value <c>succeeded</c>.</summary>
    public static WebhookDeliveryStatus Succeeded { get; } = new("succeeded");

    /// <summary>Every retry failed; <see cref="EventsOperations.RedeliverAsync"/> sends it again. Wire value <c>failed</c>.</summary>
    public static WebhookDeliveryStatus Failed { get; } = new("failed");

    /// <summary>The endpoint was disabled or deleted before the delivery succeeded. Wire value <c>canceled</c>.</summary>
    public static WebhookDeliveryStatus Canceled { get; } = new("canceled");

    /// <summary>The wire string of this value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator WebhookDeliveryStatus(string value) => new(value);

    static WebhookDeliveryStatus IExtensibleValue<WebhookDeliveryStatus>.FromWire(string value) => new(value);

    /// <summary>Returns the wire string.</summary>
    /// <returns>The wire string.</returns>
    public override string ToString() => Value;
}
