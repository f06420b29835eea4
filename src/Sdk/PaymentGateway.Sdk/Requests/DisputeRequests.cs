namespace PaymentGateway.Sdk;

/// <summary>Filters and cursors of <c>GET /v1/disputes</c>.</summary>
public sealed record ListDisputesRequest
{
    /// <summary>Only disputes with this status.</summary>
    public DisputeStatus? Status { get; init; }

    /// <summary>Only the disputes of this payment (<c>pay_…</c>).</summary>
    public string? Payment { get; init; }

    /// <summary>How many disputes per page, 1–100.</summary>
    public int? Limit { get; init; }

    /// <summary>A dispute id: list the disputes after it (older ones).</summary>
    public string? StartingAfter { get; init; }

    /// <summary>A dispute id: list the disputes before it (newer ones).</summary>
    public string? EndingBefore { get; init; }
}

/// <summary>The evidence fields to set with <c>POST /v1/disputes/{id}/evidence</c>: a field left null is unchanged, an empty string clears it.</summary>
public sealed record UpdateDisputeEvidenceRequest
{
    /// <summary>The fields to set.</summary>
    public required DisputeEvidence Evidence { get; init; }
}
