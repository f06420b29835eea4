namespace PaymentGateway.Sdk;

/// <summary>
/// The payments report (<c>GET /v1/reports/payments</c>): figures per local period of the merchant's time zone (and per
/// group), counts across currencies, amounts per currency (docs/reporting.md).
/// </summary>
public sealed record PaymentsReport : PaymentGatewayObject
{
    /// <summary><c>hour</c>, <c>day</c> or <c>month</c>.</summary>
    public required string Interval { get; init; }

    /// <summary>The IANA time zone the periods follow.</summary>
    public required string TimeZone { get; init; }

    /// <summary>The first local date (<c>YYYY-MM-DD</c>).</summary>
    public required string From { get; init; }

    /// <summary>The local date after the last one.</summary>
    public required string To { get; init; }

    /// <summary>The dimensions the rows are grouped by.</summary>
    public required IReadOnlyList<string> GroupBy { get; init; }

    /// <summary>Events up to this time are counted (the rollup job's lag).</summary>
    public DateTimeOffset? DataAsOf { get; init; }

    /// <summary>One row per period and group that has data, oldest period first.</summary>
    public required IReadOnlyList<PaymentsReportRow> Data { get; init; }
}

/// <summary>The figures of one period (and group) of a <see cref="PaymentsReport"/>.</summary>
public sealed record PaymentsReportRow
{
    /// <summary>The local period: <c>2026-03-29</c>, <c>2026-03</c> or <c>2026-03-29T02:00+01:00</c>.</summary>
    public required string Period { get; init; }

    /// <summary>The period's start (UTC).</summary>
    public required DateTimeOffset PeriodStart { get; init; }

    /// <summary>The period's end (UTC, exclusive).</summary>
    public required DateTimeOffset PeriodEnd { get; init; }

    /// <summary>The grouped dimensions' values (null: absent).</summary>
    public required IReadOnlyDictionary<string, string?> Group { get; init; }

    /// <summary>Payments with a first outcome in the period.</summary>
    public required long Attempted { get; init; }

    /// <summary>Payments authorized.</summary>
    public required long Authorized { get; init; }

    /// <summary>Payments declined.</summary>
    public required long Declined { get; init; }

    /// <summary>Authorized ÷ attempted (retries counted); null when nothing was attempted.</summary>
    public double? ApprovalRate { get; init; }

    /// <summary>Attempted, a checkout session's retries counted once.</summary>
    public required long AttemptedUnique { get; init; }

    /// <summary>Authorized, a checkout session's retries counted once.</summary>
    public required long AuthorizedUnique { get; init; }

    /// <summary>Authorized ÷ attempted without retries.</summary>
    public double? ApprovalRateWithoutRetries { get; init; }

    /// <summary>Payments captured.</summary>
    public required long Captured { get; init; }

    /// <summary>Refunds that succeeded.</summary>
    public required long Refunds { get; init; }

    /// <summary>Refunds ÷ captured.</summary>
    public double? RefundRate { get; init; }

    /// <summary>Disputes opened.</summary>
    public required long Disputes { get; init; }

    /// <summary>Disputes ÷ captured.</summary>
    public double? DisputeRate { get; init; }

    /// <summary>Disputes decided won in the period (a re-decided dispute moves to its new outcome).</summary>
    public long DisputesWon { get; init; }

    /// <summary>Disputes decided lost in the period.</summary>
    public long DisputesLost { get; init; }

    /// <summary>Disputes accepted in the period.</summary>
    public long DisputesAccepted { get; init; }

    /// <summary>Won ÷ (won + lost); null when none was decided.</summary>
    public double? DisputeWinRate { get; init; }

    /// <summary>Payments canceled.</summary>
    public required long Canceled { get; init; }

    /// <summary>Payments challenged by 3-D Secure.</summary>
    public required long ThreeDsChallenged { get; init; }

    /// <summary>Challenged payments authorized.</summary>
    public required long ThreeDsSucceeded { get; init; }

    /// <summary>Challenged ÷ attempted.</summary>
    public double? ThreeDsChallengeRate { get; init; }

    /// <summary>Succeeded ÷ challenged.</summary>
    public double? ThreeDsSuccessRate { get; init; }

    /// <summary>Provider answer times.</summary>
    public required ReportLatency Latency { get; init; }

    /// <summary>Amounts, one entry per currency (never added across currencies).</summary>
    public required IReadOnlyList<ReportAmounts> Amounts { get; init; }
}

/// <summary>Provider answer times (authorization) of a report row, from fixed histogram buckets.</summary>
public sealed record ReportLatency
{
    /// <summary>How many answers were timed.</summary>
    public required long Count { get; init; }

    /// <summary>Mean in milliseconds.</summary>
    public double? MeanMs { get; init; }

    /// <summary>Median in milliseconds.</summary>
    public double? P50Ms { get; init; }

    /// <summary>90th percentile in milliseconds.</summary>
    public double? P90Ms { get; init; }

    /// <summary>95th percentile in milliseconds.</summary>
    public double? P95Ms { get; init; }

    /// <summary>99th percentile in milliseconds.</summary>
    public double? P99Ms { get; init; }
}

/// <summary>The amounts of one currency in a report row, in its minor units.</summary>
public sealed record ReportAmounts
{
    /// <summary>ISO 4217 code.</summary>
    public required string Currency { get; init; }

    /// <summary>Amount authorized.</summary>
    public required long Authorized { get; init; }

    /// <summary>Amount captured.</summary>
    public required long Captured { get; init; }

    /// <summary>Amount refunded.</summary>
    public required long Refunded { get; init; }

    /// <summary>Amount disputed (disputes opened).</summary>
    public required long Disputed { get; init; }

    /// <summary>Amount of the disputes decided won.</summary>
    public long DisputesWon { get; init; }

    /// <summary>Amount of the disputes decided lost.</summary>
    public long DisputesLost { get; init; }

    /// <summary>Amount of the disputes accepted.</summary>
    public long DisputesAccepted { get; init; }
}

/// <summary>Decline codes ranked (<c>GET /v1/reports/decline_reasons</c>).</summary>
public sealed record DeclineReasonsReport : PaymentGatewayObject
{
    /// <summary>The IANA time zone of the range.</summary>
    public required string TimeZone { get; init; }

    /// <summary>The first local date.</summary>
    public required string From { get; init; }

    /// <summary>The local date after the last one.</summary>
    public required string To { get; init; }

    /// <summary>All declines in the range.</summary>
    public required long Total { get; init; }

    /// <summary>The codes, most frequent first.</summary>
    public required IReadOnlyList<DeclineReason> Data { get; init; }
}

/// <summary>One decline code of a <see cref="DeclineReasonsReport"/>.</summary>
public sealed record DeclineReason
{
    /// <summary>The decline code (or error code).</summary>
    public required string Code { get; init; }

    /// <summary>How many declines had it.</summary>
    public required long Count { get; init; }

    /// <summary>Its share of all declines (0–1).</summary>
    public required double Share { get; init; }

    /// <summary>The grouped dimensions' values.</summary>
    public required IReadOnlyDictionary<string, string?> Group { get; init; }
}

/// <summary>The merchant's report settings.</summary>
public sealed record ReportSettings : PaymentGatewayObject
{
    /// <summary>The IANA time zone reports follow by default.</summary>
    public required string TimeZone { get; init; }
}

/// <summary>A CSV export job (<c>rpt_…</c>): follow <see cref="ProgressPercent"/>, then download it.</summary>
public sealed record Export : PaymentGatewayObject
{
    /// <summary>Unique identifier, prefixed <c>rpt_</c>.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary><c>payments</c>, <c>refunds</c>, <c>events</c> or <c>settlements</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The column set's version (<c>v1</c>).</summary>
    public required string ColumnsVersion { get; init; }

    /// <summary><c>pending</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c>, <c>canceled</c> or <c>expired</c>.</summary>
    public required string Status { get; init; }

    /// <summary><c>daily</c> or <c>weekly</c> for a scheduled report.</summary>
    public string? Schedule { get; init; }

    /// <summary>No worker starts it before this time (a scheduled period's end).</summary>
    public DateTimeOffset? RunAfter { get; init; }

    /// <summary>Objects created at or after this time.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Objects created before this time.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>The filters applied.</summary>
    public required IReadOnlyDictionary<string, string> Filters { get; init; }

    /// <summary>0–100.</summary>
    public required int ProgressPercent { get; init; }

    /// <summary>Rows written so far.</summary>
    public required long Rows { get; init; }

    /// <summary>Rows to write, once counted.</summary>
    public long? TotalRows { get; init; }

    /// <summary>Bytes written.</summary>
    public required long Bytes { get; init; }

    /// <summary>Where to download it once it succeeded (<see cref="ExportsOperations.DownloadAsync"/>).</summary>
    public string? DownloadUrl { get; init; }

    /// <summary>Why it failed.</summary>
    public string? FailureMessage { get; init; }

    /// <summary>When it was requested.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>After this time the file is deleted.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>An imported provider settlement line (<c>stl_…</c>) matched to a payment or refund, or not.</summary>
public sealed record SettlementLine : PaymentGatewayObject
{
    /// <summary>Unique identifier, prefixed <c>stl_</c>.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary>The provider account (<c>pa_…</c>) it was imported for.</summary>
    public required string ProviderAccount { get; init; }

    /// <summary>The provider.</summary>
    public required string Provider { get; init; }

    /// <summary>The gateway's line type (for example <c>payment</c>, <c>refund</c>, <c>fee</c>, <c>payout</c>).</summary>
    public required string Type { get; init; }

    /// <summary>The provider's own line type.</summary>
    public required string ProviderType { get; init; }

    /// <summary><c>matched</c>, <c>unmatched</c> or <c>not_applicable</c>.</summary>
    public required string Status { get; init; }

    /// <summary>The matched payment (<c>pay_…</c>).</summary>
    public string? Payment { get; init; }

    /// <summary>The matched refund (<c>re_…</c>).</summary>
    public string? Refund { get; init; }

    /// <summary>The provider's reference of the line.</summary>
    public string? ProviderReference { get; init; }

    /// <summary>ISO 4217 code.</summary>
    public required string Currency { get; init; }

    /// <summary>Gross amount in minor units.</summary>
    public required long Gross { get; init; }

    /// <summary>Fees in minor units.</summary>
    public required long Fee { get; init; }

    /// <summary>Net amount in minor units.</summary>
    public required long Net { get; init; }

    /// <summary>Fees by type, in minor units.</summary>
    public required IReadOnlyDictionary<string, long> Fees { get; init; }

    /// <summary>The provider's payout id.</summary>
    public string? PayoutId { get; init; }

    /// <summary>The payout date (<c>YYYY-MM-DD</c>).</summary>
    public string? PayoutDate { get; init; }

    /// <summary>When it was imported.</summary>
    public required DateTimeOffset Created { get; init; }
}

/// <summary>A provider payout with its totals and reconciliation status.</summary>
public sealed record SettlementPayout : PaymentGatewayObject
{
    /// <summary>Unique identifier.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary>The provider account (<c>pa_…</c>).</summary>
    public required string ProviderAccount { get; init; }

    /// <summary>The provider.</summary>
    public required string Provider { get; init; }

    /// <summary>The provider's payout id.</summary>
    public required string PayoutId { get; init; }

    /// <summary><c>open</c> or <c>reconciled</c>.</summary>
    public required string Status { get; init; }

    /// <summary>ISO 4217 code.</summary>
    public string? Currency { get; init; }

    /// <summary>Gross in minor units.</summary>
    public required long Gross { get; init; }

    /// <summary>Fees in minor units.</summary>
    public required long Fee { get; init; }

    /// <summary>Net in minor units.</summary>
    public required long Net { get; init; }

    /// <summary>What the provider says it paid out, when it says.</summary>
    public long? PaidOut { get; init; }

    /// <summary>Lines in the payout.</summary>
    public required int LineCount { get; init; }

    /// <summary>Lines not matched to a payment or refund.</summary>
    public required int UnmatchedCount { get; init; }

    /// <summary>The payout date (<c>YYYY-MM-DD</c>).</summary>
    public string? PayoutDate { get; init; }

    /// <summary>When every line was matched.</summary>
    public DateTimeOffset? ReconciledAt { get; init; }

    /// <summary>When it was first imported.</summary>
    public required DateTimeOffset Created { get; init; }
}

/// <summary>What a settlement import did.</summary>
public sealed record SettlementImport : PaymentGatewayObject
{
    /// <summary>The provider account (<c>pa_…</c>).</summary>
    public required string ProviderAccount { get; init; }

    /// <summary>Lines in the file.</summary>
    public required int Lines { get; init; }

    /// <summary>Lines not seen before.</summary>
    public required int NewLines { get; init; }

    /// <summary>Lines already imported (nothing added).</summary>
    public required int DuplicateLines { get; init; }

    /// <summary>New lines matched.</summary>
    public required int Matched { get; init; }

    /// <summary>New lines not matched.</summary>
    public required int Unmatched { get; init; }

    /// <summary>The payouts the lines belong to.</summary>
    public required IReadOnlyList<SettlementPayout> Payouts { get; init; }
}
