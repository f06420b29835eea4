using System.Text.Json.Serialization;

namespace PaymentGateway.Core.Reports;

/// <summary>
/// A CSV export (<c>rpt_</c>): <c>pending</c> → <c>running</c> → <c>succeeded</c> | <c>failed</c>, then <c>expired</c> when
/// its download time is over; a pending export no worker has claimed can be <c>canceled</c>.
/// </summary>
public sealed class ExportJob
{
    public required string Id { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }

    /// <summary><c>payments</c>, <c>refunds</c>, <c>events</c> or <c>settlements</c> (<see cref="ExportColumns"/>).</summary>
    public required string Type { get; init; }

    /// <summary>The column set (<c>v1</c>); its columns never change.</summary>
    public required string ColumnsVersion { get; init; }
    public required ExportStatus Status { get; set; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }

    /// <summary>Optional filters: <c>status</c>, <c>currency</c> (payments, refunds), <c>type</c> (events).</summary>
    public Dictionary<string, string> Filters { get; init; } = [];
    public long Rows { get; set; }

    /// <summary>How many rows the export will have, counted when it starts (for the progress percentage).</summary>
    public long? TotalRows { get; set; }
    public long Bytes { get; set; }

    /// <summary>The file's random name in the export directory (never in the API).</summary>
    public string? FileName { get; set; }
    public string? FailureMessage { get; set; }

    /// <summary>The schedule that made it (a scheduled report delivered as <c>report.ready</c>), if any.</summary>
    public string? Schedule { get; init; }

    /// <summary>No worker claims it before this time (a scheduled report waits for the end of its period).</summary>
    public DateTimeOffset? RunAfter { get; init; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }

    [JsonIgnore]
    public int ProgressPercent => Status == ExportStatus.Succeeded ? 100
        : TotalRows is > 0 and var total ? (int)Math.Min(99, Rows * 100 / total) : 0;
}

[JsonConverter(typeof(JsonStringEnumConverter<ExportStatus>))]
public enum ExportStatus
{
    [JsonStringEnumMemberName("pending")] Pending,
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("succeeded")] Succeeded,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("expired")] Expired,
    [JsonStringEnumMemberName("canceled")] Canceled,
}

public static class ExportStatusWire
{
    public static string ToWire(this ExportStatus status) => status switch
    {
        ExportStatus.Pending => "pending",
        ExportStatus.Running => "running",
        ExportStatus.Succeeded => "succeeded",
        ExportStatus.Failed => "failed",
        ExportStatus.Canceled => "canceled",
        _ => "expired",
    };
}
