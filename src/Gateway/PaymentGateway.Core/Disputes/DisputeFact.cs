using System.Text.Json.Serialization;

namespace PaymentGateway.Core.Disputes;

/// <summary>
/// One thing known about a dispute: what a provider notification (or the provider's API, or the merchant's own answer
/// through the gateway) said. A dispute keeps the set of its facts, deduplicated by <see cref="Id"/>, and its state is
/// a pure function of that set (<see cref="DisputeFold"/>), so deliveries in any order, repeated or not, end in the same
/// state.
/// </summary>
public sealed record DisputeFact
{
    /// <summary>The identity of what was said: the same on a redelivery, a replay or a later poll of the same fact.</summary>
    public required string Id { get; init; }

    /// <summary>The stage it belongs to; facts are applied stage by stage.</summary>
    public required DisputeStage Stage { get; init; }

    /// <summary>The move it makes, if any (a funds movement alone makes none).</summary>
    public DisputeTrigger? Trigger { get; init; }

    /// <summary>Money moved, if this fact is a funds movement.</summary>
    public DisputeFundsKind? Funds { get; init; }

    /// <summary>The amount moved (positive) when <see cref="Funds"/> is set.</summary>
    public long FundsAmount { get; init; }

    /// <summary>The disputed amount stated, in <see cref="Currency"/>.</summary>
    public long? Amount { get; init; }

    public string? Currency { get; init; }

    public DisputeReason? Reason { get; init; }

    /// <summary>The provider's own reason code.</summary>
    public string? ReasonCode { get; init; }

    public DateTimeOffset? EvidenceDueBy { get; init; }

    /// <summary>When the provider (or the merchant) said it happened.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary><c>provider</c> (a webhook), <c>sync</c> (read from the provider's API), <c>gateway</c> (the merchant's answer through the API).</summary>
    public required string Source { get; init; }

    /// <summary>The provider's event code, for diagnostics.</summary>
    public string? EventCode { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<DisputeFundsKind>))]
public enum DisputeFundsKind
{
    [JsonStringEnumMemberName("withdrawn")] Withdrawn,
    [JsonStringEnumMemberName("reinstated")] Reinstated,
}

/// <summary>One movement of money for a dispute, as shown on it.</summary>
public sealed record DisputeFundsRecord
{
    public required DisputeFundsKind Kind { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required DateTimeOffset At { get; init; }
}
