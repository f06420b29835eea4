using System.Text.Json.Serialization;
using PaymentGateway.Providers;

namespace PaymentGateway.Core.Settlements;

/// <summary>One imported provider settlement line (<c>stl_</c>), matched to a payment or refund where it concerns one.</summary>
public sealed class SettlementLine
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public required string ProviderAccountId { get; init; }
    public required string Provider { get; init; }

    /// <summary>Unique per provider account: a second import of the same line is recognized by it.</summary>
    public required string LineKey { get; init; }
    public required SettlementLineType Type { get; init; }
    public required string ProviderType { get; init; }
    public required SettlementLineStatus Status { get; init; }
    public string? PaymentId { get; init; }
    public string? RefundId { get; init; }
    public string? ProviderReference { get; init; }
    public string? MerchantReference { get; init; }
    public required string Currency { get; init; }
    public required long Gross { get; init; }
    public required long Fee { get; init; }
    public required long Net { get; init; }
    public Dictionary<string, long> Fees { get; init; } = [];
    public string? PayoutId { get; init; }
    public DateOnly? PayoutDate { get; init; }
    public DateTimeOffset? BookedAt { get; init; }
    public DateTimeOffset Created { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<SettlementLineStatus>))]
public enum SettlementLineStatus
{
    /// <summary>Matched to a payment or refund of the merchant.</summary>
    [JsonStringEnumMemberName("matched")] Matched,

    /// <summary>Concerns a payment or refund the gateway does not know: needs a look.</summary>
    [JsonStringEnumMemberName("unmatched")] Unmatched,

    /// <summary>A fee, payout or adjustment line that concerns no single payment.</summary>
    [JsonStringEnumMemberName("not_applicable")] NotApplicable,
}

/// <summary>A provider payout as the imported lines describe it (<c>spo_</c>): reconciled when none of its lines is unmatched.</summary>
public sealed class SettlementPayout
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public required string ProviderAccountId { get; init; }
    public required string Provider { get; init; }
    public required string PayoutId { get; init; }
    public string Status { get; set; } = "open";
    public string? Currency { get; set; }
    public long Gross { get; set; }
    public long Fee { get; set; }
    public long Net { get; set; }

    /// <summary>The payout line's own amount (what reached the bank), when the provider lists it.</summary>
    public long? PaidOut { get; set; }
    public int LineCount { get; set; }
    public int UnmatchedCount { get; set; }
    public DateOnly? PayoutDate { get; set; }
    public DateTimeOffset? ReconciledAt { get; set; }
    public DateTimeOffset Created { get; init; }
    public long Version { get; set; }
}

public static class SettlementWire
{
    public static string ToWire(this SettlementLineStatus status) => status switch
    {
        SettlementLineStatus.Matched => "matched",
        SettlementLineStatus.Unmatched => "unmatched",
        _ => "not_applicable",
    };

    public static string ToWire(this SettlementLineType type) => type switch
    {
        SettlementLineType.Payment => "payment",
        SettlementLineType.Refund => "refund",
        SettlementLineType.Chargeback => "chargeback",
        SettlementLineType.Fee => "fee",
        SettlementLineType.Payout => "payout",
        _ => "adjustment",
    };
}
