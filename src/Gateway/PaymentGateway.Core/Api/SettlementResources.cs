using PaymentGateway.Core.Settlements;

namespace PaymentGateway.Core.Api;

/// <summary>A settlement line: what the provider paid out (or deducted) for a payment or refund, and what it kept.</summary>
public sealed record SettlementLineResource
{
    public required string Id { get; init; }
    public string Object => "settlement_line";
    public required bool Livemode { get; init; }
    public required string ProviderAccount { get; init; }
    public required string Provider { get; init; }

    /// <summary><c>payment</c>, <c>refund</c>, <c>chargeback</c>, <c>fee</c>, <c>adjustment</c>, <c>payout</c>.</summary>
    public required string Type { get; init; }
    public required string ProviderType { get; init; }

    /// <summary><c>matched</c>, <c>unmatched</c> or <c>not_applicable</c> (fees, payouts).</summary>
    public required string Status { get; init; }
    public string? Payment { get; init; }
    public string? Refund { get; init; }
    public string? ProviderReference { get; init; }
    public required string Currency { get; init; }
    public required long Gross { get; init; }
    public required long Fee { get; init; }
    public required long Net { get; init; }

    /// <summary>Fees by type where the provider gives them (minor units).</summary>
    public required IReadOnlyDictionary<string, long> Fees { get; init; }
    public string? PayoutId { get; init; }
    public string? PayoutDate { get; init; }
    public required DateTimeOffset Created { get; init; }
}

/// <summary>A provider payout and how far it is reconciled.</summary>
public sealed record SettlementPayoutResource
{
    public required string Id { get; init; }
    public string Object => "settlement_payout";
    public required bool Livemode { get; init; }
    public required string ProviderAccount { get; init; }
    public required string Provider { get; init; }
    public required string PayoutId { get; init; }

    /// <summary><c>open</c> while any line is unmatched, then <c>reconciled</c> (event <c>payout.reconciled</c>).</summary>
    public required string Status { get; init; }
    public string? Currency { get; init; }
    public required long Gross { get; init; }
    public required long Fee { get; init; }
    public required long Net { get; init; }
    public long? PaidOut { get; init; }
    public required int LineCount { get; init; }
    public required int UnmatchedCount { get; init; }
    public string? PayoutDate { get; init; }
    public DateTimeOffset? ReconciledAt { get; init; }
    public required DateTimeOffset Created { get; init; }
}

/// <summary>The answer to an import: how many lines were new, and how they matched.</summary>
public sealed record SettlementImportResource
{
    public string Object => "settlement_import";
    public required string ProviderAccount { get; init; }
    public required int Lines { get; init; }
    public required int NewLines { get; init; }
    public required int DuplicateLines { get; init; }
    public required int Matched { get; init; }
    public required int Unmatched { get; init; }
    public required IReadOnlyList<SettlementPayoutResource> Payouts { get; init; }
}

/// <summary><c>POST /v1/settlements/fetch</c>: read a payout (or recent payouts) from a provider's API (Stripe).</summary>
public sealed record FetchSettlementsRequest
{
    public string? ProviderAccount { get; init; }
    public string? Payout { get; init; }
    public DateTimeOffset? Since { get; init; }
}

public static class SettlementResourceMapper
{
    public static SettlementLineResource ToResource(this SettlementLine l) => new()
    {
        Id = l.Id,
        Livemode = l.Livemode,
        ProviderAccount = l.ProviderAccountId,
        Provider = l.Provider,
        Type = l.Type.ToWire(),
        ProviderType = l.ProviderType,
        Status = l.Status.ToWire(),
        Payment = l.PaymentId,
        Refund = l.RefundId,
        ProviderReference = l.ProviderReference,
        Currency = l.Currency,
        Gross = l.Gross,
        Fee = l.Fee,
        Net = l.Net,
        Fees = l.Fees,
        PayoutId = l.PayoutId,
        PayoutDate = l.PayoutDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        Created = l.Created,
    };

    public static SettlementPayoutResource ToResource(this SettlementPayout p) => new()
    {
        Id = p.Id,
        Livemode = p.Livemode,
        ProviderAccount = p.ProviderAccountId,
        Provider = p.Provider,
        PayoutId = p.PayoutId,
        Status = p.Status,
        Currency = p.Currency,
        Gross = p.Gross,
        Fee = p.Fee,
        Net = p.Net,
        PaidOut = p.PaidOut,
        LineCount = p.LineCount,
        UnmatchedCount = p.UnmatchedCount,
        PayoutDate = p.PayoutDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ReconciledAt = p.ReconciledAt,
        Created = p.Created,
    };
}
