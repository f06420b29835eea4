using System.Text.Json.Serialization;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>The status of a webhook endpoint. Unknown values sent by a newer server are preserved in <see cref="Value"/>.</summary>
/// <remarks>
/// An extensible value: compare with the static members (<c>==</c>), and expect values this version of the SDK does
/// not list. <c>default</c> has an empty <see cref="Value"/>.
/// </remarks>
[JsonConverter(typeof(ExtensibleValueConverter<WebhookEndpointStatus>))]
public readonly record struct WebhookEndpointStatus : IExtensibleValue<WebhookEndpointStatus>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string, for example <c>"enabled"</c>.</param>
    public WebhookEndpointStatus(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Events are sent to the endpoint. Wire value <c>enabled</c>.</summary>
    public static WebhookEndpointStatus Enabled { get; } = new("enabled");

    /// <summary>Nothing is sent; see <see cref="WebhookEndpoint.DisabledReason"/>. Wire value <c>disabled</c>.</summary>
    public static WebhookEndpointStatus Disabled { get; } = new("disabled");

    /// <summary>The wire string of this value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator WebhookEndpointStatus(string value) => new(value);

    static WebhookEndpointStatus IExtensibleValue<WebhookEndpointStatus>.FromWire(string value) => new(value);

    /// <summary>Returns the wire string.</summary>
    /// <returns>The wire string.</returns>
    public override string ToString() => Value;
}
