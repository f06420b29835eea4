using System.Text.Json.Serialization;
using PaymentGateway.Sdk.Internal;

namespace PaymentGateway.Sdk;

/// <summary>The status of a dispute. Unknown values sent by a newer server are preserved in <see cref="Value"/>.</summary>
/// <remarks>
/// An extensible value: compare with the static members (<c>==</c>), and expect values this version of the SDK does
/// not list. <c>default</c> has an empty <see cref="Value"/>.
/// </remarks>
[JsonConverter(typeof(ExtensibleValueConverter<DisputeStatus>))]
public readonly record struct DisputeStatus : IExtensibleValue<DisputeStatus>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string, for example <c>"needs_response"</c>.</param>
    public DisputeStatus(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>An inquiry awaits the merchant's answer; no money moved yet. Wire value <c>warning_needs_response</c>.</summary>
    public static DisputeStatus WarningNeedsResponse { get; } = new("warning_needs_response");

    /// <summary>The answer to an inquiry is with the issuer. Wire value <c>warning_under_review</c>.</summary>
    public static DisputeStatus WarningUnderReview { get; } = new("warning_under_review");

    /// <summary>The inquiry ended without a chargeback. Wire value <c>warning_closed</c>.</summary>
    public static DisputeStatus WarningClosed { get; } = new("warning_closed");

    /// <summary>A chargeback awaits the merchant's evidence (see the dispute's evidence due date). Wire value <c>needs_response</c>.</summary>
    public static DisputeStatus NeedsResponse { get; } = new("needs_response");

    /// <summary>The evidence is with the issuer. Wire value <c>under_review</c>.</summary>
    public static DisputeStatus UnderReview { get; } = new("under_review");

    /// <summary>A second round (pre-arbitration, second chargeback, arbitration) awaits an answer. Wire value <c>prearbitration_needs_response</c>.</summary>
    public static DisputeStatus PreArbitrationNeedsResponse { get; } = new("prearbitration_needs_response");

    /// <summary>The second round's answer is with the issuer or scheme. Wire value <c>prearbitration_under_review</c>.</summary>
    public static DisputeStatus PreArbitrationUnderReview { get; } = new("prearbitration_under_review");

    /// <summary>Decided for the merchant. Wire value <c>won</c>.</summary>
    public static DisputeStatus Won { get; } = new("won");

    /// <summary>Decided for the cardholder. Wire value <c>lost</c>.</summary>
    public static DisputeStatus Lost { get; } = new("lost");

    /// <summary>The merchant conceded. Wire value <c>accepted</c>.</summary>
    public static DisputeStatus Accepted { get; } = new("accepted");

    /// <summary>The wire string of this value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator DisputeStatus(string value) => new(value);

    static DisputeStatus IExtensibleValue<DisputeStatus>.FromWire(string value) => new(value);

    /// <summary>Returns the wire string.</summary>
    /// <returns>The wire string.</returns>
    public override string ToString() => Value;
}
