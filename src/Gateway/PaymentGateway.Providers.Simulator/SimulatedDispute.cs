using System.Text.Json.Serialization;

namespace PaymentGateway.Providers.Simulator;

/// <summary>What the simulated provider knows about one of its disputes (kept in the <see cref="ISimulatorLedger"/>).</summary>
public sealed record SimulatedDispute
{
    public required string ProviderDisputeId { get; init; }
    public required string PaymentId { get; init; }
    public required string ProviderReference { get; init; }
    public required SimulatorScenario Scenario { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }

    /// <summary>When the first notice is sent; null while the payment is only authorized.</summary>
    public DateTimeOffset? OpensAt { get; init; }

    /// <summary>For an inquiry: when it becomes a chargeback unless answered.</summary>
    public DateTimeOffset? EscalatesAt { get; init; }

    /// <summary>The merchant answered (or accepted): an inquiry no longer escalates, a second answer is refused.</summary>
    public bool Answered { get; init; }
}

/// <summary>A notice the simulated provider sends when it is due: a dispute's new status, or money it moved.</summary>
public sealed record SimulatedDisputeNotice
{
    public required string Id { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required string ProviderDisputeId { get; init; }
    public required string PaymentId { get; init; }
    public required string ProviderReference { get; init; }

    /// <summary>The gateway's own status name (the simulator speaks the gateway's dispute vocabulary).</summary>
    public required string Status { get; init; }

    public required string EventCode { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public string? Reason { get; init; }
    public DateTimeOffset? EvidenceDueBy { get; init; }

    /// <summary>Set on a money movement.</summary>
    public DisputeFundsDirection? Funds { get; init; }

    /// <summary>Not sent when the merchant answered the dispute before it was due (an inquiry's escalation).</summary>
    public bool SkipIfAnswered { get; init; }
}

/// <summary>How the host's ledger stores the simulator's records.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SimulatedDispute))]
[JsonSerializable(typeof(SimulatedDisputeNotice))]
public sealed partial class SimulatorJsonContext : JsonSerializerContext;
