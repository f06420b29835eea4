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
/// measures <c>@m0</c>…; query filters <c>@f0</c>…; range <c>@from @to</c>.
/// </summary>
public static class ReportSql
{
    private const string KeyColumns = "merchant_id, livemode, bucket, currency, provider, provider_account, payment_method_type, card_brand, country";
    private const string KeyValues = "@merchant, @livemode, @bucket, @currency, @provider, @account, @method, @brand, @country";

    public static string UpsertRollup { get; } = BuildUpsertRollup();

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

    /// <summary>The summed rollups: bucket (or <c>@from</c>), the grouped columns, currency, then every measure.</summary>
    public static string SelectRollups(ReportRollupQuery query, out IReadOnlyList<string> filterValues)
    {
        ArgumentNullException.ThrowIfNull(query);
        var groups = query.GroupBy.Select(ReportDimensionNames.ColumnOf).ToList();
        var select = new List<string> { query.ByBucket ? "bucket" : "CAST(@from AS bigint)" };
        select.AddRange(groups);
        select.Add("currency");
        select.AddRange(ReportMeasures.Columns.Select(c => $"CAST(SUM({c}) AS bigint)"));
        var groupBy = new List<string>();
        if (query.ByBucket)
        {
            groupBy.Add("bucket");
        }

        groupBy.AddRange(groups);
        groupBy.Add("currency");
        return $"SELECT {string.Join(", ", select)} FROM report_rollups WHERE {Where(query, out filterValues)} GROUP BY {string.Join(", ", groupBy)};";
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
        var where = new StringBuilder("merchant_id = @merchant AND livemode = @livemode AND bucket >= @from AND bucket < @to");
        var values = new List<string>();
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

        return new ReportRollupRow(r.GetInt64(0), group, r.GetString(1 + g), counters);
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
