using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using PaymentGateway.Core.Reports;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// The rollup SQL both engines run (named <c>@</c> parameters, which SQLite and Npgsql both take): the additive upserts
/// and the summing queries, generated from <see cref="ReportMeasures.Columns"/> so the engines cannot disagree on a
/// measure. Key parameters: <c>@merchant @livemode @bucket @currency @provider @account @method @brand @country</c>;
/// measures <c>@m0</c>…; query filters <c>@f0</c>… (the merchant or merchants first, then the dimensions); range
/// <c>@from @to</c>.
/// </summary>
public static class ReportSql
{
    private const string KeyColumns = "merchant_id, livemode, bucket, currency, provider, provider_account, payment_method_type, card_brand, country";
    private const string KeyValues = "@merchant, @livemode, @bucket, @currency, @provider, @account, @method, @brand, @country";

    public static string UpsertRollup { get; } = BuildUpsertRollup();

    /// <summary><see cref="ReportFacts.CountedTypes"/> as an SQL list of literals (<c>'payment.succeeded', …</c>); the names are checked to be plain.</summary>
    public static string CountedTypesList { get; } = string.Join(", ", ReportFacts.CountedTypes.Select(t =>
        t.All(c => c is (>= 'a' and <= 'z') or '.' or '_') ? $"'{t}'" : throw new InvalidOperationException($"event type {t} is not a plain name")));

    /// <summary>
    /// The forward pass's columns: <see cref="StorageRows.EventColumns"/> with <c>data</c> only for the counted types
    /// (NULL for the others, which are looked at for the cursor only); read with <see cref="StorageRows.ReadRollupScanRow"/>.
    /// </summary>
    public static string RollupScanColumns { get; } = $"id, merchant_id, livemode, type, object_id, created_at, CASE WHEN type IN ({CountedTypesList}) THEN data END";

    public static string UpsertDecline { get; } =
        $"INSERT INTO report_declines ({KeyColumns}, code, count) VALUES ({KeyValues}, @code, @count) " +
        $"ON CONFLICT ({KeyColumns}, code) DO UPDATE SET count = report_declines.count + excluded.count;";

    private static string BuildUpsertRollup()
    {
        var columns = ReportMeasures.Columns;
        var sql = new StringBuilder($"INSERT INTO report_rollups ({KeyColumns}, {string.Join(", ", columns)}) VALUES ({KeyValues}");
        for (var i = 0; i < columns.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $", @m{i}");
        }

        sql.Append($") ON CONFLICT ({KeyColumns}) DO UPDATE SET ");
        sql.AppendJoin(", ", columns.Select(c => $"{c} = report_rollups.{c} + excluded.{c}"));
        return sql.Append(';').ToString();
    }

    /// <summary>
    /// The rollups summed per report period: the period index (<see cref="PeriodIndex"/>), the grouped columns,
    /// currency, then every measure. The database returns one row per period, group and currency (90 rows for a
    /// 90-day report in one currency), not one per 15-minute bucket.
    /// </summary>
    public static string SelectRollups(ReportRollupQuery query, out IReadOnlyList<string> filterValues)
    {
        ArgumentNullException.ThrowIfNull(query);
        var groups = query.GroupBy.Select(ReportDimensionNames.ColumnOf).ToList();
        var select = new List<string> { "period" };
        select.AddRange(groups);
        select.Add("currency");
        select.AddRange(ReportMeasures.Columns.Select(c => $"CAST(SUM({c}) AS bigint)"));
        var inner = new List<string> { $"{PeriodIndex(query.PeriodStartsMs)} AS period" };
        inner.AddRange(groups.Append("currency").Distinct()); // grouping by currency selects it twice outside, once inside
        inner.AddRange(ReportMeasures.Columns);
        var groupBy = new List<string> { "period" };
        groupBy.AddRange(groups);
        groupBy.Add("currency");
        return $"SELECT {string.Join(", ", select)} FROM (SELECT {string.Join(", ", inner)} FROM report_rollups WHERE {Where(query, out filterValues)}) r " +
               $"GROUP BY {string.Join(", ", groupBy)};";
    }

    /// <summary>
    /// An SQL expression over <c>bucket</c> that is the index of the period containing it, given the periods' start
    /// instants (ascending; the query's range already bounds the first start and the last end): a balanced tree of
    /// <c>CASE WHEN bucket &lt; start THEN … ELSE … END</c>, so each row costs about log2(periods) comparisons. The
    /// starts are the local days, hours or months of the merchant's time zone computed by <see cref="ReportPeriods"/>
    /// (DST included: a 23- or 25-hour day, an autumn hour that happens twice as two periods), written as integer
    /// literals — they are computed, never user text. Plain SQL both engines run.
    /// </summary>
    public static string PeriodIndex(IReadOnlyList<long> starts)
    {
        ArgumentNullException.ThrowIfNull(starts);
        if (starts.Count <= 1)
        {
            return "0";
        }

        var sql = new StringBuilder(starts.Count * 40);
        Append(sql, starts, 0, starts.Count - 1);
        return sql.ToString();

        static void Append(StringBuilder sql, IReadOnlyList<long> starts, int lo, int hi)
        {
            if (lo == hi)
            {
                sql.Append(lo.ToString(CultureInfo.InvariantCulture));
                return;
            }

            // The periods lo..hi: those before starts[mid] are lo..mid-1, the others mid..hi.
            var mid = lo + ((hi - lo + 1) / 2);
            sql.Append(CultureInfo.InvariantCulture, $"CASE WHEN bucket < {starts[mid]} THEN ");
            Append(sql, starts, lo, mid - 1);
            sql.Append(" ELSE ");
            Append(sql, starts, mid, hi);
            sql.Append(" END");
        }
    }

    /// <summary>The grouped columns, code, then the summed count.</summary>
    public static string SelectDeclines(ReportRollupQuery query, out IReadOnlyList<string> filterValues)
    {
        ArgumentNullException.ThrowIfNull(query);
        var groups = query.GroupBy.Select(ReportDimensionNames.ColumnOf).ToList();
        var select = string.Join(", ", groups.Append("code").Append("CAST(SUM(count) AS bigint)"));
        return $"SELECT {select} FROM report_declines WHERE {Where(query, out filterValues)} GROUP BY {string.Join(", ", groups.Append("code"))};";
    }

    private static string Where(ReportRollupQuery query, out IReadOnlyList<string> filterValues)
    {
        var where = new StringBuilder();
        var values = new List<string>();
        if (query.MerchantId is { } merchant)
        {
            where.Append("merchant_id = @f0 AND ");
            values.Add(merchant);
        }
        else if (query.MerchantIds is { } merchants)
        {
            // One parameter per id (at most ReportRequest.MaxMerchants from the API; the console's own merchants).
            where.Append(merchants.Count == 0
                ? "1 = 0 AND "
                : $"merchant_id IN ({string.Join(", ", merchants.Select((_, i) => $"@f{i.ToString(CultureInfo.InvariantCulture)}"))}) AND ");
            values.AddRange(merchants);
        }

        where.Append("livemode = @livemode AND bucket >= @from AND bucket < @to");
        foreach (var (dimension, value) in query.Filters.OrderBy(f => f.Key))
        {
            where.Append(CultureInfo.InvariantCulture, $" AND {ReportDimensionNames.ColumnOf(dimension)} = @f{values.Count}");
            values.Add(value);
        }

        filterValues = values;
        return where.ToString();
    }

    public static ReportRollupRow ReadRollup(DbDataReader r, ReportRollupQuery query)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(query);
        var g = query.GroupBy.Count;
        var group = new string[g];
        for (var i = 0; i < g; i++)
        {
            group[i] = r.GetString(1 + i);
        }

        var counters = new ReportCounters();
        for (var i = 0; i < ReportMeasures.Count; i++)
        {
            counters.Values[i] = r.GetInt64(2 + g + i);
        }

        return new ReportRollupRow(Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), group, r.GetString(1 + g), counters);
    }

    public static ReportDeclineRow ReadDecline(DbDataReader r, ReportRollupQuery query)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(query);
        var g = query.GroupBy.Count;
        var group = new string[g];
        for (var i = 0; i < g; i++)
        {
            group[i] = r.GetString(i);
        }

        return new ReportDeclineRow(group, r.GetString(g), r.GetInt64(g + 1));
    }
}

/// <summary>Id lists passed to the engines as one JSON array parameter.</summary>
[JsonSerializable(typeof(IReadOnlyCollection<string>))]
[JsonSerializable(typeof(List<string>))]
public sealed partial class ReportStorageJson : JsonSerializerContext;
