using System.Text.Json;
using Microsoft.Data.Sqlite;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>Analytics rollups on SQLite: each page of the rollup job is one unit of the writer's group commit.</summary>
public sealed class SqliteReportStore(SqliteDatabase database) : IReportStore
{
    private const string CursorName = "report_rollup";

    public Task<string?> GetReportCursorAsync(CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT position FROM report_cursors WHERE name = $n;", c => c.Parameters.AddWithValue("$n", CursorName), r => r.GetString(0), cancellationToken);

    public async Task<ReportEventPage> ListEventsForRollupAsync(string? afterId, string beforeId, int limit, CancellationToken cancellationToken) =>
        ReportEventPage.From(await database.QueryListAsync($"SELECT {ReportSql.RollupScanColumns} FROM events WHERE id > $a AND id < $b ORDER BY id LIMIT $n;", c =>
        {
            c.Parameters.AddWithValue("$a", afterId ?? string.Empty);
            c.Parameters.AddWithValue("$b", beforeId);
            c.Parameters.AddWithValue("$n", limit);
        }, ReadRollupScanRow, cancellationToken).ConfigureAwait(false));

    public Task<IReadOnlyList<GatewayEvent>> ListUnrolledEventsAsync(string fromId, string toId, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync($"""
            SELECT {EventColumns} FROM events WHERE id >= $f AND id <= $t AND type IN ({ReportSql.CountedTypesList})
            AND NOT EXISTS (SELECT 1 FROM report_marks m WHERE m.event_id = events.id) ORDER BY id LIMIT $n;
            """, c =>
        {
            c.Parameters.AddWithValue("$f", fromId);
            c.Parameters.AddWithValue("$t", toId);
            c.Parameters.AddWithValue("$n", limit);
        }, ReadEvent, cancellationToken);

    public async Task<ReportPaymentContext> LoadReportContextAsync(IReadOnlyCollection<string> paymentIds, CancellationToken cancellationToken)
    {
        var ids = JsonSerializer.Serialize(paymentIds, ReportStorageJson.Default.IReadOnlyCollectionString);
        var payments = await database.QueryListAsync("SELECT data, version FROM payments WHERE id IN (SELECT value FROM json_each($ids));",
            c => c.Parameters.AddWithValue("$ids", ids), ReadPayment, cancellationToken).ConfigureAwait(false);
        var methods = payments.Select(p => p.PaymentMethodId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var brands = methods.Count == 0
            ? []
            : await database.QueryListAsync("""
                SELECT id, json_extract(data, '$.card.brand') FROM payment_methods
                WHERE id IN (SELECT value FROM json_each($ids)) AND json_extract(data, '$.card.brand') IS NOT NULL;
                """, c => c.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(methods, ReportStorageJson.Default.ListString)),
                r => new KeyValuePair<string, string>(r.GetString(0), r.GetString(1)), cancellationToken).ConfigureAwait(false);
        return new ReportPaymentContext
        {
            Payments = payments.ToDictionary(p => p.Id, StringComparer.Ordinal),
            CardBrands = brands.ToDictionary(b => b.Key, b => b.Value, StringComparer.Ordinal),
        };
    }

    public Task<int> ApplyReportRollupAsync(ReportRollupBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var keys = JsonSerializer.Serialize(batch.StateKeys, ReportStorageJson.Default.IReadOnlyCollectionString);
        return database.WriteAsync(ctx =>
        {
            var fresh = new List<GatewayEvent>(batch.Events.Count);
            foreach (var e in batch.Events)
            {
                var mark = ctx.Command("INSERT INTO report_marks (event_id) VALUES ($id) ON CONFLICT (event_id) DO NOTHING;");
                mark.Parameters.AddWithValue("$id", e.Id);
                if (mark.ExecuteNonQuery() == 1)
                {
                    fresh.Add(e);
                }
            }

            if (fresh.Count > 0)
            {
                var states = new Dictionary<string, ReportState>(StringComparer.Ordinal);
                var read = ctx.Command("SELECT key, flags, dimensions FROM report_states WHERE key IN (SELECT value FROM json_each($keys));");
                read.Parameters.AddWithValue("$keys", keys);
                using (var reader = read.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        states[reader.GetString(0)] = new ReportState { Key = reader.GetString(0), Flags = reader.GetInt32(1), Dimensions = reader.IsDBNull(2) ? null : reader.GetString(2) };
                    }
                }

                Write(ctx, batch.Decide(fresh, states));
            }

            if (batch.AdvanceCursorTo is { } cursor)
            {
                var c = ctx.Command("""
                    INSERT INTO report_cursors (name, position) VALUES ($n, $p)
                    ON CONFLICT (name) DO UPDATE SET position = excluded.position WHERE excluded.position > report_cursors.position;
                    """);
                c.Parameters.AddWithValue("$n", CursorName);
                c.Parameters.AddWithValue("$p", cursor);
                c.ExecuteNonQuery();
            }

            return fresh.Count;
        }, cancellationToken);
    }

    private static void Write(WriterContext ctx, ReportDelta delta)
    {
        foreach (var (key, counters) in delta.Rollups)
        {
            if (counters.IsZero)
            {
                continue;
            }

            var c = ctx.Command(ReportSql.UpsertRollup);
            BindKey(c, key.MerchantId, key.Livemode, key.BucketStartMs, key.Dimensions);
            for (var i = 0; i < ReportMeasures.Count; i++)
            {
                c.Parameters.AddWithValue("@m" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), counters.Values[i]);
            }

            c.ExecuteNonQuery();
        }

        foreach (var (key, count) in delta.Declines)
        {
            var c = ctx.Command(ReportSql.UpsertDecline);
            BindKey(c, key.MerchantId, key.Livemode, key.BucketStartMs, key.Dimensions);
            c.Parameters.AddWithValue("@code", key.Code);
            c.Parameters.AddWithValue("@count", count);
            c.ExecuteNonQuery();
        }

        foreach (var state in delta.States.Values)
        {
            var c = ctx.Command("""
                INSERT INTO report_states (key, flags, dimensions) VALUES ($k, $f, $d)
                ON CONFLICT (key) DO UPDATE SET flags = excluded.flags, dimensions = excluded.dimensions;
                """);
            c.Parameters.AddWithValue("$k", state.Key);
            c.Parameters.AddWithValue("$f", state.Flags);
            c.Parameters.AddWithValue("$d", (object?)state.Dimensions ?? DBNull.Value);
            c.ExecuteNonQuery();
        }
    }

    private static void BindKey(SqliteCommand c, string merchantId, bool livemode, long bucket, ReportDimensions d)
    {
        c.Parameters.AddWithValue("@merchant", merchantId);
        c.Parameters.AddWithValue("@livemode", livemode ? 1 : 0);
        c.Parameters.AddWithValue("@bucket", bucket);
        c.Parameters.AddWithValue("@currency", d.Currency);
        c.Parameters.AddWithValue("@provider", d.Provider);
        c.Parameters.AddWithValue("@account", d.ProviderAccount);
        c.Parameters.AddWithValue("@method", d.PaymentMethodType);
        c.Parameters.AddWithValue("@brand", d.CardBrand);
        c.Parameters.AddWithValue("@country", d.Country);
    }

    public Task<int> PruneReportMarksAsync(string beforeId, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            var c = ctx.Command("DELETE FROM report_marks WHERE event_id < $b;");
            c.Parameters.AddWithValue("$b", beforeId);
            return c.ExecuteNonQuery();
        }, cancellationToken);

    public Task<IReadOnlyList<ReportRollupRow>> QueryReportRollupsAsync(ReportRollupQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = ReportSql.SelectRollups(query, out var filterValues);
        return database.QueryListAsync(sql, c => BindQuery(c, query, filterValues), r => ReportSql.ReadRollup(r, query), cancellationToken);
    }

    public Task<IReadOnlyList<ReportDeclineRow>> QueryReportDeclinesAsync(ReportRollupQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = ReportSql.SelectDeclines(query, out var filterValues);
        return database.QueryListAsync(sql, c => BindQuery(c, query, filterValues), r => ReportSql.ReadDecline(r, query), cancellationToken);
    }

    private static void BindQuery(SqliteCommand c, ReportRollupQuery query, IReadOnlyList<string> filterValues)
    {
        c.Parameters.AddWithValue("@livemode", query.Livemode ? 1 : 0);
        c.Parameters.AddWithValue("@from", query.FromMs);
        c.Parameters.AddWithValue("@to", query.ToMs);
        for (var i = 0; i < filterValues.Count; i++)
        {
            c.Parameters.AddWithValue("@f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), filterValues[i]);
        }
    }

    public Task<string?> GetReportTimeZoneAsync(string merchantId, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT time_zone FROM report_settings WHERE merchant_id = $m;", c => c.Parameters.AddWithValue("$m", merchantId), r => r.GetString(0), cancellationToken);

    public Task SetReportTimeZoneAsync(string merchantId, string timeZone, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            var c = ctx.Command("INSERT INTO report_settings (merchant_id, time_zone) VALUES ($m, $z) ON CONFLICT (merchant_id) DO UPDATE SET time_zone = excluded.time_zone;");
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$z", timeZone);
            return c.ExecuteNonQuery();
        }, cancellationToken);
}
