namespace PaymentGateway.Sdk;

/// <summary>The body of <c>POST /v1/mandates</c>.</summary>
public sealed record CreateMandateRequest
{
    /// <summary>A <c>sepa_debit</c> payment method (<c>pm_…</c>): the debtor's account.</summary>
    public required string PaymentMethod { get; init; }

    /// <summary>The date the debtor signed; not in the future.</summary>
    public required DateOnly SignatureDate { get; init; }

    /// <summary>The Unique Mandate Reference (1–35 SEPA characters, unique per merchant ignoring case); generated when null.</summary>
    public string? Reference { get; init; }
}

/// <summary>Cursors of <c>GET /v1/mandates</c> and <c>GET /v1/direct_debit_batches</c>.</summary>
public sealed record ListDirectDebitObjectsRequest
{
    /// <summary>How many objects per page, 1–100.</summary>
    public int? Limit { get; init; }

    /// <summary>An id: list the objects after it (older ones).</summary>
    public string? StartingAfter { get; init; }

    /// <summary>An id: list the objects before it (newer ones).</summary>
    public string? EndingBefore { get; init; }
}
