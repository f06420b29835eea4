using System.Text.Json;
using Microsoft.Data.Sqlite;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Settlements;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>Export jobs and the keyset pages exports stream from, on SQLite.</summary>
public sealed class SqliteExportStore(SqliteDatabase database) : IExportStore
{
    public Task CreateExportAsync(ExportJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var json = JsonSerializer.Serialize(job, ReportStorageJsonContext.Default.ExportJob);
        return database.WriteAsync(ctx =>
        {
            var c = ctx.Command("INSERT INTO exports (id, merchant_id, livemode, status, created_at, updated_at, expires_at, locked_until, data) VALUES ($id, $m, $l, $s, $c, $u, NULL, $r, $d);");
            c.Parameters.AddWithValue("$r", job.RunAfter?.ToUnixTimeMilliseconds() ?? 0L);
            c.Parameters.AddWithValue("$id", job.Id);
            c.Parameters.AddWithValue("$m", job.MerchantId);
            c.Parameters.AddWithValue("$l", job.Livemode ? 1 : 0);
            c.Parameters.AddWithValue("$s", job.Status.ToWire());
            c.Parameters.AddWithValue("$c", job.Created.ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("$u", job.Updated.ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("$d", json);
            return c.ExecuteNonQuery();
        }, cancellationToken);
    }

    public Task<bool> CancelExportAsync(ExportJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var json = JsonSerializer.Serialize(job, ReportStorageJsonContext.Default.ExportJob);
        return database.WriteAsync(ctx =>
        {
            var c = ctx.Command("UPDATE exports SET status = $s, updated_at = $u, data = $d WHERE id = $id AND merchant_id = $m AND livemode = $l AND status = 'pending' AND lease_holder IS NULL;");
            c.Parameters.AddWithValue("$s", job.Status.ToWire());
            c.Parameters.AddWithValue("$u", job.Updated.ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("$d", json);
            c.Parameters.AddWithValue("$id", job.Id);
            c.Parameters.AddWithValue("$m", job.MerchantId);
            c.Parameters.AddWithValue("$l", job.Livemode ? 1 : 0);
            return c.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    public Task<ExportJob?> GetExportAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data FROM exports WHERE id = $id AND merchant_id = $m AND livemode = $l;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
            ReadExport, cancellationToken);

    public Task<IReadOnlyList<ExportJob>> ListExportsAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken) =>
        database.ListAsync("exports", "data", ["merchant_id = $m", "livemode = $l"], query, c =>
        {
            c.Parameters.AddWithValue("$m", merchantId);
            c.Parameters.AddWithValue("$l", livemode ? 1 : 0);
        }, ReadExport, cancellationToken);

    public Task<ExportJob?> ClaimExportAsync(string holder, DateTimeOffset now, DateTimeOffset lockedUntil, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            var find = ctx.Command("SELECT id, data FROM exports WHERE status IN ('pending', 'running') AND locked_until <= $now ORDER BY created_at LIMIT 1;");
            find.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            string id;
            ExportJob job;
            using (var reader = find.ExecuteReader())
            {
                if (!reader.Read())
                {
                    return null;
                }

                id = reader.GetString(0);
                job = JsonSerializer.Deserialize(reader.GetString(1), ReportStorageJsonContext.Default.ExportJob) ?? throw new InvalidDataException("Empty export row.");
            }

            var claim = ctx.Command("UPDATE exports SET locked_until = $until, lease_holder = $h WHERE id = $id;");
            claim.Parameters.AddWithValue("$until", lockedUntil.ToUnixTimeMilliseconds());
            claim.Parameters.AddWithValue("$h", holder);
            claim.Parameters.AddWithValue("$id", id);
            claim.ExecuteNonQuery();
            return (ExportJob?)job;
        }, cancellationToken);

    public Task<bool> UpdateExportAsync(ExportJob job, string holder, DateTimeOffset lockedUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var json = JsonSerializer.Serialize(job, ReportStorageJsonContext.Default.ExportJob);
        return database.WriteAsync(ctx =>
        {
            var c = ctx.Command("""
                UPDATE exports SET status = $s, updated_at = $u, expires_at = $e, data = $d, locked_until = $until
                WHERE id = $id AND lease_holder = $h;
                """);
            c.Parameters.AddWithValue("$s", job.Status.ToWire());
            c.Parameters.AddWithValue("$u", job.Updated.ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("$e", (object?)job.ExpiresAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            c.Parameters.AddWithValue("$d", json);
            c.Parameters.AddWithValue("$until", lockedUntil.ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("$id", job.Id);
            c.Parameters.AddWithValue("$h", holder);
            return c.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<ExportJob>> ExpireExportsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<ExportJob>>(ctx =>
        {
            var find = ctx.Command("SELECT data FROM exports WHERE status = 'succeeded' AND expires_at <= $now ORDER BY expires_at LIMIT $n;");
            find.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            find.Parameters.AddWithValue("$n", limit);
            var jobs = new List<ExportJob>();
            using (var reader = find.ExecuteReader())
            {
                while (reader.Read())
                {
                    jobs.Add(ReadExport(reader));
                }
            }

            foreach (var job in jobs)
            {
                job.Status = ExportStatus.Expired;
                var c = ctx.Command("UPDATE exports SET status = 'expired', data = $d WHERE id = $id;");
                c.Parameters.AddWithValue("$d", JsonSerializer.Serialize(job, ReportStorageJsonContext.Default.ExportJob));
                c.Parameters.AddWithValue("$id", job.Id);
                c.ExecuteNonQuery();
            }

            return jobs;
        }, cancellationToken);

    public async Task<long> CountExportRowsAsync(ExportRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var (table, where) = Filter(range);
        var count = await database.QuerySingleAsync($"SELECT COUNT(*) FROM {table} WHERE {where};", c => Bind(c, range, null),
            r => (object)r.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return count is long n ? n : 0;
    }

    public Task<IReadOnlyList<string?[]>> ListPaymentRowsForExportAsync(ExportRange range, string? afterId, int limit, CancellationToken cancellationToken) =>
        Page(range, "data", afterId, limit, static r => PaymentExportRow.FromUtf8(r.GetFieldValue<byte[]>(0)), cancellationToken);

    public Task<IReadOnlyList<Refund>> ListRefundsForExportAsync(ExportRange range, string? afterId, int limit, CancellationToken cancellationToken) =>
        Page(range, "data, version", afterId, limit, ReadRefund, cancellationToken);

    public Task<IReadOnlyList<GatewayEvent>> ListEventsForExportAsync(ExportRange range, string? afterId, int limit, CancellationToken cancellationToken) =>
        Page(range, EventColumns, afterId, limit, ReadEvent, cancellationToken);

    public Task<IReadOnlyList<SettlementLine>> ListSettlementLinesForExportAsync(ExportRange range, string? afterId, int limit, CancellationToken cancellationToken) =>
        Page(range, "data", afterId, limit, SqliteSettlementStore.ReadLine, cancellationToken);

    private Task<IReadOnlyList<T>> Page<T>(ExportRange range, string columns, string? afterId, int limit, Func<SqliteDataReader, T> read, CancellationToken ct)
    {
        var (table, where) = Filter(range);
        return database.QueryListAsync($"SELECT {columns} FROM {table} WHERE {where} AND id > $after ORDER BY id LIMIT $n;",
            c =>
            {
                Bind(c, range, afterId);
                c.Parameters.AddWithValue("$n", limit);
            }, read, ct);
    }

    private static (string Table, string Where) Filter(ExportRange range)
    {
        var table = range.Type switch
        {
            "payments" => "payments",
            "refunds" => "refunds",
            "events" => "events",
            _ => "settlement_lines",
        };
        var where = "merchant_id = $m AND livemode = $l AND id >= $lo AND id < $hi AND created_at >= $from AND created_at < $to";
        if (range.Status is not null && range.Type != "events")
        {
            where += " AND status = $status";
        }

        if (range.Currency is not null && range.Type != "events")
        {
            where += " AND json_extract(data, '$.currency') = $currency";
        }

        if (range.EventType is not null && range.Type == "events")
        {
            where += " AND type = $type";
        }

        return (table, where);
    }

    private static void Bind(SqliteCommand c, ExportRange range, string? afterId)
    {
        var prefix = ExportIdBounds.PrefixOf(range.Type);
        c.Parameters.AddWithValue("$m", range.MerchantId);
        c.Parameters.AddWithValue("$l", range.Livemode ? 1 : 0);
        c.Parameters.AddWithValue("$lo", ExportIdBounds.Lower(prefix, range.FromMs));
        c.Parameters.AddWithValue("$hi", ExportIdBounds.Upper(prefix, range.ToMs));
        c.Parameters.AddWithValue("$from", range.FromMs);
        c.Parameters.AddWithValue("$to", range.ToMs);
        c.Parameters.AddWithValue("$after", afterId ?? string.Empty);
        c.Parameters.AddWithValue("$status", (object?)range.Status ?? DBNull.Value);
        c.Parameters.AddWithValue("$currency", (object?)range.Currency ?? DBNull.Value);
        c.Parameters.AddWithValue("$type", (object?)range.EventType ?? DBNull.Value);
    }

    private static ExportJob ReadExport(SqliteDataReader r) =>
        JsonSerializer.Deserialize(r.GetString(0), ReportStorageJsonContext.Default.ExportJob) ?? throw new InvalidDataException("Empty export row.");
}
