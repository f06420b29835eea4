namespace PaymentGateway.Sdk;

/// <summary>The parameters of <c>GET /v1/reports/payments</c> and <c>GET /v1/reports/decline_reasons</c>.</summary>
public sealed record ReportQuery
{
    /// <summary>The first local date.</summary>
    public required DateOnly From { get; init; }

    /// <summary>The local date after the last one (exclusive).</summary>
    public required DateOnly To { get; init; }

    /// <summary><c>hour</c> (up to 31 days), <c>day</c> (the default) or <c>month</c>; ignored by the decline reasons.</summary>
    public string? Interval { get; init; }

    /// <summary>An IANA time zone; null: the merchant's setting, else UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>
    /// Dimensions to group by: <c>currency</c>, <c>provider</c>, <c>provider_account</c>, <c>payment_method_type</c>,
    /// <c>card_brand</c>, <c>country</c>; and <c>merchant</c> in a report across merchants.
    /// </summary>
    public IReadOnlyList<string>? GroupBy { get; init; }

    /// <summary>Only this currency (ISO 4217).</summary>
    public string? Currency { get; init; }

    /// <summary>Only this provider.</summary>
    public string? Provider { get; init; }

    /// <summary>Only this provider account (<c>pa_…</c>).</summary>
    public string? ProviderAccount { get; init; }

    /// <summary>Only this payment method type.</summary>
    public string? PaymentMethodType { get; init; }

    /// <summary>Only this card brand.</summary>
    public string? CardBrand { get; init; }

    /// <summary>Only this country (ISO 3166-1 alpha-2).</summary>
    public string? Country { get; init; }
}

/// <summary>The parameters of <c>GET /v1/admin/reports/payments</c> and <c>GET /v1/admin/reports/decline_reasons</c> (admin key).</summary>
public sealed record AcrossMerchantsReportQuery
{
    /// <summary>The range, interval, time zone (null: UTC, not a merchant's setting), grouping (<c>merchant</c> too) and filters.</summary>
    public required ReportQuery Report { get; init; }

    /// <summary>Only these merchants (<c>mer_…</c>, at most 100); null for every merchant. An unknown id matches nothing.</summary>
    public IReadOnlyList<string>? Merchants { get; init; }

    /// <summary>Live (true) or test (false, the gateway's default) mode.</summary>
    public bool? Livemode { get; init; }
}

/// <summary>The body of <c>POST /v1/exports</c>.</summary>
public sealed record CreateExportRequest
{
    /// <summary><c>payments</c>, <c>refunds</c>, <c>events</c> or <c>settlements</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Objects created at or after this time (a scheduled report: its first period's start).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Objects created before this time (not for a scheduled report).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The column set (<c>v1</c>, the default).</summary>
    public string? ColumnsVersion { get; init; }

    /// <summary>Filters: payments and refunds <c>status</c>, <c>currency</c>; events <c>type</c>; settlements <c>status</c>, <c>currency</c>.</summary>
    public IReadOnlyDictionary<string, string>? Filters { get; init; }

    /// <summary><c>daily</c> or <c>weekly</c>: a scheduled report, announced by a <c>report.ready</c> event per period.</summary>
    public string? Schedule { get; init; }
}

/// <summary>Cursors of <c>GET /v1/exports</c> and <c>GET /v1/settlements/payouts</c>.</summary>
public sealed record ListReportObjectsRequest
{
    /// <summary>How many objects per page, 1–100.</summary>
    public int? Limit { get; init; }

    /// <summary>An id: list the objects after it (older ones).</summary>
    public string? StartingAfter { get; init; }

    /// <summary>An id: list the objects before it (newer ones).</summary>
    public string? EndingBefore { get; init; }
}

/// <summary>Filters and cursors of <c>GET /v1/settlements</c>.</summary>
public sealed record ListSettlementLinesRequest
{
    /// <summary>How many lines per page, 1–100.</summary>
    public int? Limit { get; init; }

    /// <summary>A line id: list the lines after it (older ones).</summary>
    public string? StartingAfter { get; init; }

    /// <summary>A line id: list the lines before it (newer ones).</summary>
    public string? EndingBefore { get; init; }

    /// <summary><c>matched</c>, <c>unmatched</c> or <c>not_applicable</c>.</summary>
    public string? Status { get; init; }

    /// <summary>Only the lines of this payment (<c>pay_…</c>).</summary>
    public string? Payment { get; init; }

    /// <summary>Only the lines of this payout (the provider's payout id).</summary>
    public string? Payout { get; init; }
}
