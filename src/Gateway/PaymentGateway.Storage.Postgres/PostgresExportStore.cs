using System.Text.Json;
using Npgsql;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Payments;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Settlements;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// Export jobs and the keyset pages exports stream from, on PostgreSQL. Claiming takes the oldest open job whose lease
/// ran out with <c>FOR UPDATE SKIP LOCKED</c>, so workers on every node take different jobs.
/// </summary>
public sealed class PostgresExportStore(PostgresDatabase database) : IExportStore
{
    public Task CreateExportAsync(ExportJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return database.ExecuteAsync("INSERT INTO exports (id, merchant_id, livemode, status, created_at, updated_at, locked_until, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8);",
            cancellationToken, P(job.Id), P(job.MerchantId), P(job.Livemode), P(job.Status.ToWire()), P(job.Created.ToUnixTimeMilliseconds()),
            P(job.Updated.ToUnixTimeMilliseconds()), P(job.RunAfter?.ToUnixTimeMilliseconds() ?? 0L), Jsonb(JsonSerializer.Serialize(job, ReportStorageJsonContext.Default.ExportJob)));
    }

    public async Task<bool> CancelExportAsync(ExportJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var rows = await database.ExecuteAsync("""
            UPDATE exports SET status = $1, updated_at = $2, data = $3
            WHERE id = $4 AND merchant_id = $5 AND livemode = $6 AND status = 'pending' AND lease_holder IS NULL;
            """, cancellationToken, P(job.Status.ToWire()), P(job.Updated.ToUnixTimeMilliseconds()), Jsonb(JsonSerializer.Serialize(job, ReportStorageJsonContext.Default.ExportJob)),
            P(job.Id), P(job.MerchantId), P(job.Livemode)).ConfigureAwait(false);
        return rows == 1;
    }

    public Task<ExportJob?> GetExportAsync(string merchantId, bool livemode, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data FROM exports WHERE id = $1 AND merchant_id = $2 AND livemode = $3;", [P(id), P(merchantId), P(livemode)], ReadExport, cancellationToken);

    public Task<IReadOnlyList<ExportJob>> ListExportsAsync(string merchantId, bool livemode, ListQuery query, CancellationToken cancellationToken) =>
        database.ListAsync("exports", "data", SqlFilter.Scope(merchantId, livemode), query, ReadExport, cancellationToken);

    public Task<ExportJob?> ClaimExportAsync(string holder, DateTimeOffset now, DateTimeOffset lockedUntil, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("""
            UPDATE exports SET locked_until = $2, lease_holder = $3
            WHERE id = (SELECT id FROM exports WHERE status IN ('pending', 'running') AND locked_until <= $1 ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            AND locked_until <= $1
            RETURNING data;
            """, [P(now.ToUnixTimeMilliseconds()), P(lockedUntil.ToUnixTimeMilliseconds()), P(holder)], ReadExport, cancellationToken);

    public async Task<bool> UpdateExportAsync(ExportJob job, string holder, DateTimeOffset lockedUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return await database.ExecuteAsync("""
            UPDATE exports SET status = $1, updated_at = $2, expires_at = $3, data = $4, locked_until = $5 WHERE id = $6 AND lease_holder = $7;
            """, cancellationToken, P(job.Status.ToWire()), P(job.Updated.ToUnixTimeMilliseconds()), Long(job.ExpiresAt?.ToUnixTimeMilliseconds()),
            Jsonb(JsonSerializer.Serialize(job, ReportStorageJsonContext.Default.ExportJob)), P(lockedUntil.ToUnixTimeMilliseconds()), P(job.Id), P(holder)).ConfigureAwait(false) == 1;
    }

    public async Task<IReadOnlyList<ExportJob>> ExpireExportsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var jobs = await database.QueryListAsync("""
            UPDATE exports SET status = 'expired', data = jsonb_set(data, '{status}', '"expired"')
            WHERE id IN (SELECT id FROM exports WHERE status = 'succeeded' AND expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING data;
            """, [P(now.ToUnixTimeMilliseconds()), P(limit)], ReadExport, cancellationToken).ConfigureAwait(false);
        return jobs;
    }

    public async Task<long> CountExportRowsAsync(ExportRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var (table, filter) = Filter(range, null);
        await using var command = database.DataSource.CreateCommand($"SELECT COUNT(*) FROM {table} WHERE {filter.Where};");
        command.Parameters.AddRange(filter.Parameters.ToArray());
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
    }

    public Task<IReadOnlyList<string?[]>> ListPaymentRowsForExportAsync(ExportRange range, string? afterId, int limit, CancellationToken cancellationToken) =>
        Page(range, "data", afterId, limit, static r => PaymentExportRow.FromUtf8(r.GetFieldValue<byte[]>(0)), cancellationToken);

    public Task<IReadOnlyList<Refund>> ListRefundsForExportAsync(ExportRange range, string? afterId, int limit, CancellationToken cancellationToken) =>
        Page(range, "data, version", afterId, limit, ReadRefund, cancellationToken);

    public Task<IReadOnlyList<GatewayEvent>> ListEventsForExportAsync(ExportRange range, string? afterId, int limit, CancellationToken cancellationToken) =>
        Page(range, EventColumns, afterId, limit, ReadEvent, cancellationToken);

    public Task<IReadOnlyList<SettlementLine>> ListSettlementLinesForExportAsync(ExportRange range, string? afterId, int limit, CancellationToken cancellationToken) =>
        Page(range, "data", afterId, limit, PostgresSettlementStore.ReadLine, cancellationToken);

    private Task<IReadOnlyList<T>> Page<T>(ExportRange range, string columns, string? afterId, int limit, Func<NpgsqlDataReader, T> read, CancellationToken ct)
    {
        var (table, filter) = Filter(range, afterId);
        var n = filter.Parameter(P(limit));
        return database.QueryListAsync($"SELECT {columns} FROM {table} WHERE {filter.Where} ORDER BY id LIMIT {n};", filter.Parameters, read, ct);
    }

    private static (string Table, SqlFilter Filter) Filter(ExportRange range, string? afterId)
    {
        var prefix = ExportIdBounds.PrefixOf(range.Type);
        var table = range.Type switch
        {
            "payments" => "payments",
            "refunds" => "refunds",
            "events" => "events",
            _ => "settlement_lines",
        };
        var filter = SqlFilter.Scope(range.MerchantId, range.Livemode);
        filter.Add("id >= {0}", Text(ExportIdBounds.Lower(prefix, range.FromMs)));
        filter.Add("id < {0}", Text(ExportIdBounds.Upper(prefix, range.ToMs)));
        filter.Add("created_at >= {0}", P(range.FromMs));
        filter.Add("created_at < {0}", P(range.ToMs));
        if (afterId is not null)
        {
            filter.Add("id > {0}", Text(afterId));
        }

        if (range.Status is not null && range.Type != "events")
        {
            filter.Add("status = {0}", P(range.Status));
        }

        if (range.Currency is not null && range.Type != "events")
        {
            filter.Add("data->>'currency' = {0}", P(range.Currency));
        }

        if (range.EventType is not null && range.Type == "events")
        {
            filter.Add("type = {0}", P(range.EventType));
        }

        return (table, filter);
    }

    private static ExportJob ReadExport(NpgsqlDataReader r) =>
        JsonSerializer.Deserialize(r.GetString(0), ReportStorageJsonContext.Default.ExportJob) ?? throw new InvalidDataException("Empty export row.");
}
