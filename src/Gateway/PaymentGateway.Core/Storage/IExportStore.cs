using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Settlements;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// Export jobs (leased per row, like webhook deliveries, so workers on any number of nodes share them) and the keyset
/// pages an export streams its rows from.
/// </summary>
public interface IExportStore
{
    /// <summary>Inserts a pending job; no worker claims it before its <see cref="ExportJob.RunAfter"/>.</summary>
    Task CreateExportAsync(ExportJob job, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="job"/> (status <c>canceled</c>) only while its row is pending and no worker ever claimed it;
    /// false otherwise (it started, finished or was canceled).
    /// </summary>
    Task<bool> CancelExportAsync(ExportJob job, CancellationToken cancellationToken);

    Task<ExportJob?> GetExportAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<ExportJob>> ListExportsAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the oldest export that is pending, or running under a lease that ran out (its worker died), for
    /// <paramref name="holder"/> until <paramref name="lockedUntil"/>; null when there is none.
    /// </summary>
    Task<ExportJob?> ClaimExportAsync(string holder, DateTimeOffset now, DateTimeOffset lockedUntil, CancellationToken cancellationToken);

    /// <summary>Writes the job's progress or outcome and renews the lease, only while <paramref name="holder"/> holds it; false when it lost it.</summary>
    Task<bool> UpdateExportAsync(ExportJob job, string holder, DateTimeOffset lockedUntil, CancellationToken cancellationToken);

    /// <summary>Marks succeeded exports whose download time ended as expired and returns them (their files are then deleted).</summary>
    Task<IReadOnlyList<ExportJob>> ExpireExportsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>How many rows of <paramref name="range"/>'s type an export will write.</summary>
    Task<long> CountExportRowsAsync(ExportRange range, CancellationToken cancellationToken);

    /// <summary>
    /// The v1 CSV rows (<see cref="PaymentExportRow"/>, cell 0 the id) of the payments created in the range, by id after
    /// <paramref name="afterId"/>: read from the stored document without building the whole payment.
    /// </summary>
    Task<IReadOnlyList<string?[]>> ListPaymentRowsForExportAsync(ExportRange range, string? afterId, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<Refund>> ListRefundsForExportAsync(ExportRange range, string? afterId, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<GatewayEvent>> ListEventsForExportAsync(ExportRange range, string? afterId, int limit, CancellationToken cancellationToken);

    /// <summary>Settlement lines imported in the range (by their payout date when they have one).</summary>
    Task<IReadOnlyList<SettlementLine>> ListSettlementLinesForExportAsync(ExportRange range, string? afterId, int limit, CancellationToken cancellationToken);
}

/// <summary>What an export reads: a merchant and mode, a creation range (Unix ms, <c>[from, to)</c>) and optional filters.</summary>
public sealed record ExportRange
{
    public required string Type { get; init; }
    public required string MerchantId { get; init; }
    public required bool Livemode { get; init; }
    public required long FromMs { get; init; }
    public required long ToMs { get; init; }

    /// <summary>The status of the payment, refund or settlement line.</summary>
    public string? Status { get; init; }
    public string? Currency { get; init; }

    /// <summary>The event type (events only).</summary>
    public string? EventType { get; init; }
}

/// <summary>Id bounds that let an export's range scan use the id indexes (ids sort by creation time; docs in <see cref="Ids"/>).</summary>
public static class ExportIdBounds
{
    /// <summary>An object created on a retry of an idempotent request keeps the id made at its first try (up to a day earlier).</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromHours(25);

    /// <summary>A string at or below every id of <paramref name="prefix"/> made at or after <paramref name="fromMs"/> (less the retry slack).</summary>
    public static string Lower(string prefix, long fromMs) => Floor(prefix, DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(0, fromMs)) - Slack);

    /// <summary>A string above every id of <paramref name="prefix"/> made before <paramref name="toMs"/>.</summary>
    public static string Upper(string prefix, long toMs) => Floor(prefix, DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(toMs, 253402300799000 - 8) + 8));

    /// <summary>The id's time part truncated to 45 bits: sorts at or before every id made at or after <paramref name="at"/> less 8 ms.</summary>
    public static string Floor(string prefix, DateTimeOffset at) =>
        Ids.New(prefix, at < DateTimeOffset.UnixEpoch ? DateTimeOffset.UnixEpoch : at)[..(prefix.Length + 1 + 9)];

    /// <summary>The id prefix of an export type's rows.</summary>
    public static string PrefixOf(string type) => type switch
    {
        "payments" => Ids.Payment,
        "refunds" => Ids.Refund,
        "events" => Ids.Event,
        _ => Ids.SettlementLine,
    };
}
