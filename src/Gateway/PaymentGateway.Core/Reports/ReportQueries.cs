using PaymentGateway.Core.Api;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Core.Reports;

/// <summary>
/// Answers the reports from the rollups (never from the payments table): the database sums the 15-minute buckets into
/// the local periods of the merchant's time zone (<see cref="ReportSql.PeriodIndex"/>); this adds the currencies of a
/// period and group into its counts, computes the rates and reads the latency percentiles from the summed histogram.
/// Amounts stay per currency; counts and rates are across currencies. A report reads one merchant's rows, or several
/// merchants' (the report across merchants, grouped by <see cref="ReportDimension.Merchant"/> if asked).
/// </summary>
public sealed class ReportQueries(IReportStore store, ReportRollupJob job)
{
    public const string DefaultTimeZone = "UTC";

    /// <summary>A merchant's payments report (the caller's key gives the merchant and mode; the time zone defaults to the merchant's setting).</summary>
    public async Task<PaymentsReportResource> PaymentsAsync(CallerContext caller, ReportRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var zone = await ZoneAsync(caller, request, ct).ConfigureAwait(false);
        return await PaymentsAsync(new Scope(caller.MerchantId, null, caller.Livemode), zone, request, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The payments report across merchants (<c>GET /v1/admin/reports/payments</c>, the console's "All my merchants"):
    /// the rows of the merchants in <see cref="ReportRequest.Merchants"/> (all when null) that are also in
    /// <paramref name="allowed"/> (null: every merchant, for the admin key), in <see cref="ReportRequest.Livemode"/>'s
    /// mode. One time zone for all of them: <see cref="ReportRequest.TimeZone"/>, else UTC, never a merchant's setting
    /// (docs/decisions.md, x23m), so a merchant's row equals its own report in the same zone.
    /// </summary>
    public Task<PaymentsReportResource> PaymentsAcrossMerchantsAsync(IReadOnlySet<string>? allowed, ReportRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PaymentsAsync(AcrossMerchants(allowed, request), PlatformZone(request), request, ct);
    }

    private async Task<PaymentsReportResource> PaymentsAsync(Scope scope, (string Id, TimeZoneInfo Zone) zone, ReportRequest request, CancellationToken ct)
    {
        var periods = ReportPeriods.For(request.Interval, request.From, request.To, zone.Zone);
        var rows = await store.QueryReportRollupsAsync(Query(scope, request, periods, perPeriod: true), ct).ConfigureAwait(false);

        var folded = new Dictionary<(int Period, string Group), (IReadOnlyList<string> Group, ReportCounters Total, SortedDictionary<string, ReportCounters> ByCurrency)>();
        foreach (var row in rows)
        {
            var index = row.Period;
            if (index < 0 || index >= periods.Count)
            {
                continue;
            }

            var key = (index, string.Join('\u001f', row.Group));
            if (!folded.TryGetValue(key, out var entry))
            {
                folded[key] = entry = (row.Group, new ReportCounters(), new SortedDictionary<string, ReportCounters>(StringComparer.Ordinal));
            }

            entry.Total.Add(row.Counters);
            if (!entry.ByCurrency.TryGetValue(row.Currency, out var currency))
            {
                entry.ByCurrency[row.Currency] = currency = new ReportCounters();
            }

            currency.Add(row.Counters);
        }

        var data = folded.OrderBy(f => f.Key.Period).ThenBy(f => f.Key.Group, StringComparer.Ordinal)
            .Select(f => Row(periods[f.Key.Period], request.GroupBy, f.Value.Group, f.Value.Total, f.Value.ByCurrency))
            .ToList();
        return new PaymentsReportResource
        {
            Interval = request.Interval.ToString().ToLowerInvariant(),
            TimeZone = zone.Id,
            From = Date(request.From),
            To = Date(request.To),
            GroupBy = [.. request.GroupBy.Select(ReportDimensionNames.NameOf)],
            DataAsOf = job.CoveredUntil,
            Data = data,
        };
    }

    /// <summary>A merchant's decline reasons.</summary>
    public async Task<DeclineReasonsReportResource> DeclineReasonsAsync(CallerContext caller, ReportRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var zone = await ZoneAsync(caller, request, ct).ConfigureAwait(false);
        return await DeclineReasonsAsync(new Scope(caller.MerchantId, null, caller.Livemode), zone, request, ct).ConfigureAwait(false);
    }

    /// <summary>The decline reasons across merchants: the scope and time zone of <see cref="PaymentsAcrossMerchantsAsync"/>.</summary>
    public Task<DeclineReasonsReportResource> DeclineReasonsAcrossMerchantsAsync(IReadOnlySet<string>? allowed, ReportRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return DeclineReasonsAsync(AcrossMerchants(allowed, request), PlatformZone(request), request, ct);
    }

    private async Task<DeclineReasonsReportResource> DeclineReasonsAsync(Scope scope, (string Id, TimeZoneInfo Zone) zone, ReportRequest request, CancellationToken ct)
    {
        var periods = ReportPeriods.For(ReportInterval.Day, request.From, request.To, zone.Zone);
        var rows = await store.QueryReportDeclinesAsync(Query(scope, request, periods, perPeriod: false), ct).ConfigureAwait(false);
        var total = rows.Sum(r => r.Count);
        return new DeclineReasonsReportResource
        {
            TimeZone = zone.Id,
            From = Date(request.From),
            To = Date(request.To),
            Total = total,
            Data = [.. rows.OrderByDescending(r => r.Count).ThenBy(r => r.Code, StringComparer.Ordinal).ThenBy(r => string.Join('\u001f', r.Group), StringComparer.Ordinal)
                .Select(r => new DeclineReasonResource { Code = r.Code, Count = r.Count, Share = Rate(r.Count, total) ?? 0, Group = Group(request.GroupBy, r.Group) })],
        };
    }

    public async Task<ReportSettingsResource> GetSettingsAsync(CallerContext caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new ReportSettingsResource { TimeZone = await store.GetReportTimeZoneAsync(caller.MerchantId, ct).ConfigureAwait(false) ?? DefaultTimeZone };
    }

    public async Task<ReportSettingsResource> UpdateSettingsAsync(CallerContext caller, UpdateReportSettingsRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var id = request.TimeZone is { Length: > 0 } zone ? zone : throw GatewayException.Missing("time_zone");
        _ = ReportRequest.ResolveTimeZone(id);
        await store.SetReportTimeZoneAsync(caller.MerchantId, id, ct).ConfigureAwait(false);
        return new ReportSettingsResource { TimeZone = id };
    }

    private async Task<(string Id, TimeZoneInfo Zone)> ZoneAsync(CallerContext caller, ReportRequest request, CancellationToken ct)
    {
        var id = request.TimeZone ?? await store.GetReportTimeZoneAsync(caller.MerchantId, ct).ConfigureAwait(false) ?? DefaultTimeZone;
        return (id, ReportRequest.ResolveTimeZone(id));
    }

    private static (string Id, TimeZoneInfo Zone) PlatformZone(ReportRequest request)
    {
        var id = request.TimeZone ?? DefaultTimeZone;
        return (id, ReportRequest.ResolveTimeZone(id));
    }

    /// <summary>The merchants asked for that the caller may see: null (every merchant) only when both are unrestricted.</summary>
    private static Scope AcrossMerchants(IReadOnlySet<string>? allowed, ReportRequest request)
    {
        IReadOnlyList<string>? merchants = (request.Merchants, allowed) switch
        {
            (null, null) => null,
            (null, { } mine) => [.. mine.Order(StringComparer.Ordinal)],
            ({ } asked, null) => asked,
            ({ } asked, { } mine) => [.. asked.Where(mine.Contains)],
        };
        return new Scope(null, merchants, request.Livemode);
    }

    /// <summary>Whose rows a report reads: one merchant, a list of merchants, or (both null) every merchant; and the mode.</summary>
    private sealed record Scope(string? MerchantId, IReadOnlyList<string>? MerchantIds, bool Livemode);

    private static ReportRollupQuery Query(Scope scope, ReportRequest request, IReadOnlyList<ReportPeriod> periods, bool perPeriod) => new()
    {
        MerchantId = scope.MerchantId,
        MerchantIds = scope.MerchantIds,
        Livemode = scope.Livemode,
        FromMs = periods.Count == 0 ? 0 : periods[0].Start.ToUnixTimeMilliseconds(),
        ToMs = periods.Count == 0 ? 0 : periods[^1].End.ToUnixTimeMilliseconds(),
        GroupBy = request.GroupBy,
        Filters = request.Filters,
        PeriodStartsMs = perPeriod ? [.. periods.Select(p => p.Start.ToUnixTimeMilliseconds())] : [],
    };

    private static PaymentsReportRowResource Row(ReportPeriod period, IReadOnlyList<ReportDimension> groupBy, IReadOnlyList<string> group, ReportCounters c,
        SortedDictionary<string, ReportCounters> byCurrency)
    {
        var histogram = c.Values.AsSpan(ReportMeasures.LatencyBucket0, LatencyHistogram.BucketCount);
        var latencyCount = c[ReportMeasures.LatencyCount];
        return new PaymentsReportRowResource
        {
            Period = period.Label,
            PeriodStart = period.Start,
            PeriodEnd = period.End,
            Group = Group(groupBy, group),
            Attempted = c[ReportMeasures.Attempted],
            Authorized = c[ReportMeasures.Authorized],
            Declined = c[ReportMeasures.Declined],
            ApprovalRate = Rate(c[ReportMeasures.Authorized], c[ReportMeasures.Attempted]),
            AttemptedUnique = c[ReportMeasures.AttemptedUnique],
            AuthorizedUnique = c[ReportMeasures.AuthorizedUnique],
            ApprovalRateWithoutRetries = Rate(c[ReportMeasures.AuthorizedUnique], c[ReportMeasures.AttemptedUnique]),
            Captured = c[ReportMeasures.Captured],
            Refunds = c[ReportMeasures.Refunds],
            RefundRate = Rate(c[ReportMeasures.Refunds], c[ReportMeasures.Captured]),
            Disputes = c[ReportMeasures.Disputes],
            DisputeRate = Rate(c[ReportMeasures.Disputes], c[ReportMeasures.Captured]),
            DisputesWon = c[ReportMeasures.DisputesWon],
            DisputesLost = c[ReportMeasures.DisputesLost],
            DisputesAccepted = c[ReportMeasures.DisputesAccepted],
            DisputeWinRate = Rate(c[ReportMeasures.DisputesWon], checked(c[ReportMeasures.DisputesWon] + c[ReportMeasures.DisputesLost])),
            Canceled = c[ReportMeasures.Canceled],
            ThreeDsChallenged = c[ReportMeasures.ThreeDsChallenged],
            ThreeDsSucceeded = c[ReportMeasures.ThreeDsSucceeded],
            ThreeDsChallengeRate = Rate(c[ReportMeasures.ThreeDsChallenged], c[ReportMeasures.Attempted]),
            ThreeDsSuccessRate = Rate(c[ReportMeasures.ThreeDsSucceeded], c[ReportMeasures.ThreeDsChallenged]),
            Latency = new ReportLatencyResource
            {
                Count = latencyCount,
                MeanMs = latencyCount == 0 ? null : Math.Round((double)c[ReportMeasures.LatencySumMs] / latencyCount, 1),
                P50Ms = LatencyHistogram.Percentile(histogram, 0.50),
                P90Ms = LatencyHistogram.Percentile(histogram, 0.90),
                P95Ms = LatencyHistogram.Percentile(histogram, 0.95),
                P99Ms = LatencyHistogram.Percentile(histogram, 0.99),
            },
            Amounts = [.. byCurrency.Select(kv => new ReportAmountsResource
            {
                Currency = kv.Key,
                Authorized = kv.Value[ReportMeasures.AuthorizedAmount],
                Captured = kv.Value[ReportMeasures.CapturedAmount],
                Refunded = kv.Value[ReportMeasures.RefundedAmount],
                Disputed = kv.Value[ReportMeasures.DisputedAmount],
                DisputesWon = kv.Value[ReportMeasures.DisputesWonAmount],
                DisputesLost = kv.Value[ReportMeasures.DisputesLostAmount],
                DisputesAccepted = kv.Value[ReportMeasures.DisputesAcceptedAmount],
            })],
        };
    }

    private static Dictionary<string, string?> Group(IReadOnlyList<ReportDimension> groupBy, IReadOnlyList<string> values)
    {
        var group = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < groupBy.Count; i++)
        {
            group[ReportDimensionNames.NameOf(groupBy[i])] = i < values.Count && values[i].Length > 0 ? values[i] : null;
        }

        return group;
    }

    private static double? Rate(long part, long whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
