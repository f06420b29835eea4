namespace PaymentGateway.Sdk;

/// <summary>The body of <c>POST /v1/refunds</c>.</summary>
public sealed record CreateRefundRequest
{
    /// <summary>The payment (<c>pay_…</c>) to refund.</summary>
    public required string Payment { get; init; }

    /// <summary>The amount to refund in minor units; omit to refund everything still refundable.</summary>
    public long? Amount { get; init; }

    /// <summary>Why the refund is made, for example <c>requested_by_customer</c>.</summary>
    public string? Reason { get; init; }

    /// <summary>The merchant's key-value metadata.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary>Filters and cursors of <c>GET /v1/refunds</c>.</summary>
public sealed record ListRefundsRequest
{
    /// <summary>Only the refunds of this payment (<c>pay_…</c>).</summary>
    public string? Payment { get; init; }

    /// <summary>How many refunds per page, 1–100.</summary>
    public int? Limit { get; init; }

    /// <summary>A refund id: list the refunds after it (older ones).</summary>
    public string? StartingAfter { get; init; }

    /// <summary>A refund id: list the refunds before it (newer ones).</summary>
    public string? EndingBefore { get; init; }
}
