namespace PaymentGateway.Core.Api;

// Reports (docs/reporting.md): the analytics answers, exports and settlements. Serialized by ApiJsonContext like every resource.

/// <summary><c>GET /v1/reports/payments</c>: figures per period (and group), counts across currencies, amounts per currency.</summary>
public sealed record PaymentsReportResource
{
    public string Object => "payments_report";
    public required string Interval { get; init; }
    public required string TimeZone { get; init; }

    /// <summary>The first local date of the report.</summary>
    public required string From { get; init; }

    /// <summary>The local date after the last one.</summary>
    public required string To { get; init; }
    public required IReadOnlyList<string> GroupBy { get; init; }

    /// <summary>Events up to this time are counted (the rollup job's lag).</summary>
    public DateTimeOffset? DataAsOf { get; init; }
    public required IReadOnlyList<PaymentsReportRowResource> Data { get; init; }
}

public sealed record PaymentsReportRowResource
{
    /// <summary>The local period: <c>2026-03-29</c> (day), <c>2026-03</c> (month), <c>2026-03-29T02:00+01:00</c> (hour).</summary>
    public required string Period { get; init; }
    public required DateTimeOffset PeriodStart { get; init; }
    public required DateTimeOffset PeriodEnd { get; init; }

    /// <summary>The grouped dimensions' values (null: absent, e.g. no card brand for a bank transfer).</summary>
    public required IReadOnlyDictionary<string, string?> Group { get; init; }
    public required long Attempted { get; init; }
    public required long Authorized { get; init; }
    public required long Declined { get; init; }

    /// <summary>Authorized ÷ attempted, every payment counted (a customer's retries too). Null when nothing was attempted.</summary>
    public double? ApprovalRate { get; init; }
    public required long AttemptedUnique { get; init; }
    public required long AuthorizedUnique { get; init; }

    /// <summary>Authorized ÷ attempted with a checkout session's retries counted once.</summary>
    public double? ApprovalRateWithoutRetries { get; init; }
    public required long Captured { get; init; }
    public required long Refunds { get; init; }

    /// <summary>Refunds ÷ captured payments in the period.</summary>
    public double? RefundRate { get; init; }

    /// <summary>Disputes opened in the period (<c>dispute.created</c>); <see cref="DisputeRate"/> is disputes over captured payments.</summary>
    public required long Disputes { get; init; }
    public double? DisputeRate { get; init; }

    /// <summary>Disputes decided in the period (<c>dispute.closed</c>) as won, lost, or accepted by the merchant. A dispute decided again after a second round moves to its new outcome in the period of the new decision.</summary>
    public required long DisputesWon { get; init; }
    public required long DisputesLost { get; init; }
    public required long DisputesAccepted { get; init; }

    /// <summary>Won ÷ (won + lost) of the disputes decided in the period; null when none was.</summary>
    public double? DisputeWinRate { get; init; }
    public required long Canceled { get; init; }
    public required long ThreeDsChallenged { get; init; }
    public required long ThreeDsSucceeded { get; init; }

    /// <summary>Challenged ÷ attempted.</summary>
    public double? ThreeDsChallengeRate { get; init; }

    /// <summary>Authorized after a challenge ÷ challenged.</summary>
    public double? ThreeDsSuccessRate { get; init; }
    public required ReportLatencyResource Latency { get; init; }
    public required IReadOnlyList<ReportAmountsResource> Amounts { get; init; }
}

/// <summary>Provider answer times (authorization), from fixed histogram buckets.</summary>
public sealed record ReportLatencyResource
{
    public required long Count { get; init; }
    public double? MeanMs { get; init; }
    public double? P50Ms { get; init; }
    public double? P90Ms { get; init; }
    public double? P95Ms { get; init; }
    public double? P99Ms { get; init; }
}

/// <summary>Amounts of one currency, in its minor units.</summary>
public sealed record ReportAmountsResource
{
    public required string Currency { get; init; }
    public required long Authorized { get; init; }
    public required long Captured { get; init; }
    public required long Refunded { get; init; }
    public required long Disputed { get; init; }

    /// <summary>Amounts of the disputes decided won, lost and accepted in the period.</summary>
    public long DisputesWon { get; init; }
    public long DisputesLost { get; init; }
    public long DisputesAccepted { get; init; }
}

/// <summary><c>GET /v1/reports/decline_reasons</c>: decline codes, most frequent first.</summary>
public sealed record DeclineReasonsReportResource
{
    public string Object => "decline_reasons_report";
    public required string TimeZone { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public required long Total { get; init; }
    public required IReadOnlyList<DeclineReasonResource> Data { get; init; }
}

public sealed record DeclineReasonResource
{
    public required string Code { get; init; }
    public required long Count { get; init; }

    /// <summary>This code's share of all declines in the report.</summary>
    public required double Share { get; init; }
    public required IReadOnlyDictionary<string, string?> Group { get; init; }
}

/// <summary>The merchant's report settings.</summary>
public sealed record ReportSettingsResource
{
    public string Object => "report_settings";

    /// <summary>IANA time zone the reports' days, hours and months follow (DST included); UTC by default.</summary>
    public required string TimeZone { get; init; }
}

public sealed record UpdateReportSettingsRequest
{
    public string? TimeZone { get; init; }
}

/// <summary>An export job (<c>rpt_</c>) with its progress; <see cref="DownloadUrl"/> once it succeeded, until <see cref="ExpiresAt"/>.</summary>
public sealed record ExportResource
{
    public required string Id { get; init; }
    public string Object => "export";
    public required bool Livemode { get; init; }

    /// <summary><c>payments</c>, <c>refunds</c>, <c>events</c> or <c>settlements</c>.</summary>
    public required string Type { get; init; }
    public required string ColumnsVersion { get; init; }

    /// <summary><c>pending</c>, <c>running</c>, <c>succeeded</c>, <c>failed</c>, <c>expired</c> or <c>canceled</c>.</summary>
    public required string Status { get; init; }

    /// <summary><c>daily</c> or <c>weekly</c> for a scheduled report, else absent.</summary>
    public string? Schedule { get; init; }

    /// <summary>A scheduled report runs at or after this time (the end of its period).</summary>
    public DateTimeOffset? RunAfter { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public required IReadOnlyDictionary<string, string> Filters { get; init; }
    public required int ProgressPercent { get; init; }
    public required long Rows { get; init; }
    public long? TotalRows { get; init; }
    public required long Bytes { get; init; }
    public string? DownloadUrl { get; init; }
    public string? FailureMessage { get; init; }
    public required DateTimeOffset Created { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary><c>POST /v1/exports</c>.</summary>
public sealed record CreateExportRequest
{
    public string? Type { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }

    /// <summary>The column set; only <c>v1</c> exists.</summary>
    public string? ColumnsVersion { get; init; }
    public Dictionary<string, string>? Filters { get; init; }

    /// <summary>
    /// <c>daily</c> or <c>weekly</c>: a scheduled report. Each UTC day (or week from Monday) is exported once it ended,
    /// announced by a <c>report.ready</c> event, and the next period's export is queued; <c>from</c> (a period start)
    /// defaults to the current period, <c>to</c> is not given.
    /// </summary>
    public string? Schedule { get; init; }
}
