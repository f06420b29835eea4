using Npgsql;
using NpgsqlTypes;
using PaymentGateway.Core.Events;
using PaymentGateway.Core.Reports;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// Analytics rollups on PostgreSQL. A page is one transaction: the marks are inserted first (a page that another node
/// is applying at the same moment waits on their unique index and then finds them taken), the report states of the
/// page are locked, and the rollup rows are added to with upserts, so concurrent pages on any nodes add up exactly.
/// </summary>
public sealed class PostgresReportStore(PostgresDatabase database) : IReportStore
{
    private const string CursorName = "report_rollup";

    public Task<string?> GetReportCursorAsync(CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT position FROM report_cursors WHERE name = $1;", [P(CursorName)], r => r.GetString(0), cancellationToken);

    public async Task<ReportEventPage> ListEventsForRollupAsync(string? afterId, string beforeId, int limit, CancellationToken cancellationToken) =>
        ReportEventPage.From(await database.QueryListAsync($"SELECT {ReportSql.RollupScanColumns} FROM events WHERE id > $1 AND id < $2 ORDER BY id LIMIT $3;",
            [Text(afterId ?? string.Empty), Text(beforeId), P(limit)], ReadRollupScanRow, cancellationToken).ConfigureAwait(false));

    public Task<IReadOnlyList<GatewayEvent>> ListUnrolledEventsAsync(string fromId, string toId, int limit, CancellationToken cancellationToken) =>
        database.QueryListAsync($"""
            SELECT {EventColumns} FROM events WHERE id >= $1 AND id <= $2 AND type IN ({ReportSql.CountedTypesList})
            AND NOT EXISTS (SELECT 1 FROM report_marks m WHERE m.event_id = events.id) ORDER BY id LIMIT $3;
            """, [Text(fromId), Text(toId), P(limit)], ReadEvent, cancellationToken);

    public async Task<ReportPaymentContext> LoadReportContextAsync(IReadOnlyCollection<string> paymentIds, CancellationToken cancellationToken)
    {
        var payments = await database.QueryListAsync("SELECT data, version FROM payments WHERE id = ANY($1);",
            [new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = paymentIds.ToArray() }], ReadPayment, cancellationToken).ConfigureAwait(false);
        var methods = payments.Select(p => p.PaymentMethodId).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var brands = methods.Length == 0
            ? []
            : await database.QueryListAsync("SELECT id, data->'card'->>'brand' FROM payment_methods WHERE id = ANY($1) AND data->'card'->>'brand' IS NOT NULL;",
                [new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = methods }],
                r => new KeyValuePair<string, string>(r.GetString(0), r.GetString(1)), cancellationToken).ConfigureAwait(false);
        return new ReportPaymentContext
        {
            Payments = payments.ToDictionary(p => p.Id, StringComparer.Ordinal),
            CardBrands = brands.ToDictionary(b => b.Key, b => b.Value, StringComparer.Ordinal),
        };
    }

    public async Task<int> ApplyReportRollupAsync(ReportRollupBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var freshIds = new HashSet<string>(StringComparer.Ordinal);
        if (batch.Events.Count > 0)
        {
            await using var mark = new NpgsqlCommand(
                "INSERT INTO report_marks (event_id) SELECT unnest($1::text[]) ON CONFLICT (event_id) DO NOTHING RETURNING event_id;", connection, transaction);
            mark.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = batch.Events.Select(e => e.Id).ToArray() });
            await using var reader = await mark.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                freshIds.Add(reader.GetString(0));
            }
        }

        var fresh = batch.Events.Where(e => freshIds.Contains(e.Id)).ToList();
        if (fresh.Count > 0)
        {
            var states = new Dictionary<string, ReportState>(StringComparer.Ordinal);
            await using (var read = new NpgsqlCommand("SELECT key, flags, dimensions FROM report_states WHERE key = ANY($1) ORDER BY key FOR UPDATE;", connection, transaction))
            {
                read.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = batch.StateKeys.ToArray() });
                await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    states[reader.GetString(0)] = new ReportState { Key = reader.GetString(0), Flags = reader.GetInt32(1), Dimensions = reader.IsDBNull(2) ? null : reader.GetString(2) };
                }
            }

            var delta = batch.Decide(fresh, states);
            await using var write = new NpgsqlBatch(connection, transaction);
            foreach (var (key, counters) in delta.Rollups.Where(r => !r.Value.IsZero).OrderBy(r => r.Key.BucketStartMs))
            {
                var command = new NpgsqlBatchCommand(ReportSql.UpsertRollup);
                BindKey(command, key.MerchantId, key.Livemode, key.BucketStartMs, key.Dimensions);
                for (var i = 0; i < ReportMeasures.Count; i++)
                {
                    command.Parameters.AddWithValue("m" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), counters.Values[i]);
                }

                write.BatchCommands.Add(command);
            }

            foreach (var (key, count) in delta.Declines)
            {
                var command = new NpgsqlBatchCommand(ReportSql.UpsertDecline);
                BindKey(command, key.MerchantId, key.Livemode, key.BucketStartMs, key.Dimensions);
                command.Parameters.AddWithValue("code", key.Code);
                command.Parameters.AddWithValue("count", count);
                write.BatchCommands.Add(command);
            }

            foreach (var state in delta.States.Values)
            {
                write.BatchCommands.Add(Cmd("""
                    INSERT INTO report_states (key, flags, dimensions) VALUES ($1, $2, $3)
                    ON CONFLICT (key) DO UPDATE SET flags = excluded.flags, dimensions = excluded.dimensions;
                    """, P(state.Key), P(state.Flags), Text(state.Dimensions)));
            }

            if (write.BatchCommands.Count > 0)
            {
                await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (batch.AdvanceCursorTo is { } cursor)
        {
            await PostgresDatabase.ExecuteAsync(connection, transaction, """
                INSERT INTO report_cursors (name, position) VALUES ($1, $2)
                ON CONFLICT (name) DO UPDATE SET position = excluded.position WHERE excluded.position > report_cursors.position;
                """, cancellationToken, P(CursorName), Text(cursor)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return fresh.Count;
    }

    private static void BindKey(NpgsqlBatchCommand c, string merchantId, bool livemode, long bucket, ReportDimensions d)
    {
        c.Parameters.AddWithValue("merchant", merchantId);
        c.Parameters.AddWithValue("livemode", livemode);
        c.Parameters.AddWithValue("bucket", bucket);
        c.Parameters.AddWithValue("currency", d.Currency);
        c.Parameters.AddWithValue("provider", d.Provider);
        c.Parameters.AddWithValue("account", d.ProviderAccount);
        c.Parameters.AddWithValue("method", d.PaymentMethodType);
        c.Parameters.AddWithValue("brand", d.CardBrand);
        c.Parameters.AddWithValue("country", d.Country);
    }

    public Task<int> PruneReportMarksAsync(string beforeId, CancellationToken cancellationToken) =>
        database.ExecuteAsync("DELETE FROM report_marks WHERE event_id < $1;", cancellationToken, Text(beforeId));

    public Task<IReadOnlyList<ReportRollupRow>> QueryReportRollupsAsync(ReportRollupQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = ReportSql.SelectRollups(query, out var filters);
        return QueryAsync(sql, query, filters, r => ReportSql.ReadRollup(r, query), cancellationToken);
    }

    public Task<IReadOnlyList<ReportDeclineRow>> QueryReportDeclinesAsync(ReportRollupQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = ReportSql.SelectDeclines(query, out var filters);
        return QueryAsync(sql, query, filters, r => ReportSql.ReadDecline(r, query), cancellationToken);
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, ReportRollupQuery query, IReadOnlyList<string> filters, Func<NpgsqlDataReader, T> read,
        CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("livemode", query.Livemode);
        command.Parameters.AddWithValue("from", query.FromMs);
        command.Parameters.AddWithValue("to", query.ToMs);
        for (var i = 0; i < filters.Count; i++)
        {
            command.Parameters.AddWithValue("f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), filters[i]);
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public Task<string?> GetReportTimeZoneAsync(string merchantId, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT time_zone FROM report_settings WHERE merchant_id = $1;", [P(merchantId)], r => r.GetString(0), cancellationToken);

    public Task SetReportTimeZoneAsync(string merchantId, string timeZone, CancellationToken cancellationToken) =>
        database.ExecuteAsync("INSERT INTO report_settings (merchant_id, time_zone) VALUES ($1, $2) ON CONFLICT (merchant_id) DO UPDATE SET time_zone = excluded.time_zone;",
            cancellationToken, P(merchantId), P(timeZone));
}
