using System.Text.Json;

namespace PaymentGateway.Sdk;

/// <summary>A change recorded by the gateway (<c>evt_…</c>); also the body of outbound webhooks.</summary>
public sealed record Event : PaymentGatewayObject
{
    /// <summary>Unique identifier, prefixed <c>evt_</c>.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary>The type, for example <see cref="EventType.PaymentSucceeded"/>.</summary>
    public required EventType Type { get; init; }

    /// <summary>The object as of the event, as its API JSON (a payment or a refund, by <see cref="Type"/>).</summary>
    public required JsonElement Data { get; init; }

    /// <summary>When the event happened (UTC).</summary>
    public required DateTimeOffset Created { get; init; }
}
