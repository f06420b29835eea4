using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Reports;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// Analytics rollups built from the event log (docs/reporting.md): the rollup job's reads of the log, its one atomic
/// apply per page (marks, per-payment report state, rollup rows, cursor), the report queries over the rollups, and the
/// merchant's report time zone. Nothing here is written by the payment path.
/// </summary>
public interface IReportStore
{
    /// <summary>The id of the last event the forward pass has covered (null: none yet).</summary>
    Task<string?> GetReportCursorAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The next <paramref name="limit"/> events with <c>afterId &lt; id &lt; beforeId</c>, oldest first (the forward pass):
    /// those of the types reports count (<see cref="ReportFacts.CountedTypes"/>), and the last id looked at.
    /// </summary>
    Task<ReportEventPage> ListEventsForRollupAsync(string? afterId, string beforeId, int limit, CancellationToken cancellationToken);

    /// <summary>Events of the counted types with <c>fromId &lt;= id &lt;= toId</c> not yet rolled up, oldest first (the sweep that finds late commits).</summary>
    Task<IReadOnlyList<GatewayEvent>> ListUnrolledEventsAsync(string fromId, string toId, int limit, CancellationToken cancellationToken);

    /// <summary>The stored payments among <paramref name="paymentIds"/> with their card brands (by payment method id).</summary>
    Task<ReportPaymentContext> LoadReportContextAsync(IReadOnlyCollection<string> paymentIds, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: marks the batch's events as rolled up (an event already marked is left out), reads and locks
    /// the report state of <see cref="ReportRollupBatch.StateKeys"/>, asks <see cref="ReportRollupBatch.Decide"/> what the
    /// newly marked events add, writes that (rollup rows added to, decline counts, states) and moves the cursor forward.
    /// An event is therefore counted exactly once, whichever node or pass applies it.
    /// </summary>
    Task<int> ApplyReportRollupAsync(ReportRollupBatch batch, CancellationToken cancellationToken);

    /// <summary>Forgets the marks of events before <paramref name="beforeId"/> (they are behind the sweep window).</summary>
    Task<int> PruneReportMarksAsync(string beforeId, CancellationToken cancellationToken);

    /// <summary>
    /// Rollup rows of a merchant (or of several, <see cref="ReportRollupQuery.MerchantIds"/>) and mode in <c>[from, to)</c> that match the filters, summed in the database per
    /// report period (<see cref="ReportRollupQuery.PeriodStartsMs"/>), grouped dimensions and currency.
    /// </summary>
    Task<IReadOnlyList<ReportRollupRow>> QueryReportRollupsAsync(ReportRollupQuery query, CancellationToken cancellationToken);

    /// <summary>Decline counts in the range that match the filters, per decline code (and the grouped dimensions).</summary>
    Task<IReadOnlyList<ReportDeclineRow>> QueryReportDeclinesAsync(ReportRollupQuery query, CancellationToken cancellationToken);

    Task<string?> GetReportTimeZoneAsync(string merchantId, CancellationToken cancellationToken);

    Task SetReportTimeZoneAsync(string merchantId, string timeZone, CancellationToken cancellationToken);
}

/// <summary>What the rollup job knows about the payments of a page of events.</summary>
public sealed record ReportPaymentContext
{
    public required IReadOnlyDictionary<string, Payment> Payments { get; init; }

    /// <summary>Card brand by payment method id.</summary>
    public required IReadOnlyDictionary<string, string> CardBrands { get; init; }

    public static ReportPaymentContext Empty { get; } = new() { Payments = new Dictionary<string, Payment>(), CardBrands = new Dictionary<string, string>() };
}

/// <summary>One page for <see cref="IReportStore.ApplyReportRollupAsync"/>.</summary>
public sealed record ReportRollupBatch
{
    public required IReadOnlyList<GatewayEvent> Events { get; init; }

    /// <summary>The report-state keys the events may read or change (payment ids, retry groups).</summary>
    public required IReadOnlyCollection<string> StateKeys { get; init; }

    /// <summary>Called inside the transaction with the newly marked events (oldest first) and the current states.</summary>
    public required Func<IReadOnlyList<GatewayEvent>, IReadOnlyDictionary<string, ReportState>, ReportDelta> Decide { get; init; }

    /// <summary>Where the forward cursor moves (only ever forward); null leaves it.</summary>
    public string? AdvanceCursorTo { get; init; }
}

/// <summary>A filter and grouping for the report queries. Bucket bounds are Unix milliseconds.</summary>
public sealed record ReportRollupQuery
{
    /// <summary>One merchant's rows (a merchant's report); null for the report across merchants (<see cref="MerchantIds"/>).</summary>
    public string? MerchantId { get; init; }

    /// <summary>
    /// Across merchants (<see cref="MerchantId"/> null): only these merchants' rows (an empty list matches none); null
    /// for every merchant's. The rollups' key starts with the merchant, so a list is read as one range per merchant.
    /// </summary>
    public IReadOnlyList<string>? MerchantIds { get; init; }

    public required bool Livemode { get; init; }
    public required long FromMs { get; init; }
    public required long ToMs { get; init; }
    public IReadOnlyList<ReportDimension> GroupBy { get; init; } = [];

    /// <summary>Only rows whose dimension equals the value ("" matches absent).</summary>
    public IReadOnlyDictionary<ReportDimension, string> Filters { get; init; } = new Dictionary<ReportDimension, string>();

    /// <summary>
    /// The start (Unix milliseconds) of each report period, ascending, the first one at <see cref="FromMs"/>; each
    /// period ends where the next begins, the last at <see cref="ToMs"/>. The rows are summed per period in SQL
    /// (<see cref="ReportSql.PeriodIndex"/>). Empty: the whole range is one period (index 0).
    /// </summary>
    public IReadOnlyList<long> PeriodStartsMs { get; init; } = [];
}

/// <summary>A summed rollup row: the index of its period in <see cref="ReportRollupQuery.PeriodStartsMs"/>, the grouped dimension values, the currency and the measures.</summary>
public sealed record ReportRollupRow(int Period, IReadOnlyList<string> Group, string Currency, ReportCounters Counters);

/// <summary>Declines of one code (and group) in the range.</summary>
public sealed record ReportDeclineRow(IReadOnlyList<string> Group, string Code, long Count);

/// <summary>
/// A page of the rollup's forward pass: of the <see cref="Scanned"/> events looked at (oldest first, the last one
/// <see cref="LastId"/>), the <see cref="Events"/> of types reports count.
/// </summary>
public sealed record ReportEventPage(IReadOnlyList<GatewayEvent> Events, string? LastId, int Scanned)
{
    /// <summary>The page of rows read with <see cref="StorageRows.ReadRollupScanRow"/>.</summary>
    public static ReportEventPage From(IReadOnlyList<(string Id, GatewayEvent? Event)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new ReportEventPage(rows.Select(r => r.Event).OfType<GatewayEvent>().ToList(), rows.Count == 0 ? null : rows[^1].Id, rows.Count);
    }
}
