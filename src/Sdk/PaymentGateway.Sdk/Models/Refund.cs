namespace PaymentGateway.Sdk;

/// <summary>A full or partial refund of a captured payment (<c>re_…</c>).</summary>
public sealed record Refund : PaymentGatewayObject
{
    /// <summary>Unique identifier, prefixed <c>re_</c>.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary>The refunded payment (<c>pay_…</c>).</summary>
    public required string Payment { get; init; }

    /// <summary>The refunded amount in minor units.</summary>
    public required long Amount { get; init; }

    /// <summary>ISO 4217 currency code, upper case.</summary>
    public required string Currency { get; init; }

    /// <summary>The status; compare with the members of <see cref="RefundStatus"/>.</summary>
    public required RefundStatus Status { get; init; }

    /// <summary>The reason given when the refund was created.</summary>
    public string? Reason { get; init; }

    /// <summary>Why the refund failed, when <see cref="Status"/> is <see cref="RefundStatus.Failed"/>.</summary>
    public string? FailureReason { get; init; }

    /// <summary>The merchant's key-value metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>When the refund was created (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>When the refund last changed (UTC).</summary>
    public required DateTimeOffset Updated { get; init; }
}
