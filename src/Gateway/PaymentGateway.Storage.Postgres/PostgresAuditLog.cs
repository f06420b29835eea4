using Npgsql;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// Appending to and reading the audit chain in PostgreSQL. An append takes a transaction-scoped advisory lock, reads
/// the chain head and links its entries after it, so writers on any number of nodes queue on the lock and make one
/// chain; the lock is held until the transaction (with the change the entries record) commits. A trigger refuses
/// UPDATE, DELETE and TRUNCATE.
/// </summary>
internal static class PostgresAuditLog
{
    /// <summary>Key of the advisory lock that serializes appends to the chain ("AuditLog").</summary>
    public const long LockKey = 0x4175_6469_744c_6f67;

    private const string Columns = "seq, prev_hash, hash, data";

    /// <summary>Links and inserts <paramref name="records"/> inside <paramref name="transaction"/>.</summary>
    public static async Task AppendAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<AuditRecord> records, CancellationToken ct)
    {
        if (records.Count == 0)
        {
            return;
        }

        long seq = 0;
        var previous = AuditChain.Genesis;
        await using (var head = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1); ", connection, transaction))
        {
            head.Parameters.Add(new NpgsqlParameter { Value = LockKey });
            await head.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var latest = DateTimeOffset.MinValue;
        await using (var head = new NpgsqlCommand("SELECT seq, hash, created_at FROM audit_entries ORDER BY seq DESC LIMIT 1;", connection, transaction))
        await using (var reader = await head.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                seq = reader.GetInt64(0);
                previous = reader.GetString(1);
                latest = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
            }
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var linked in records)
        {
            var record = AuditChain.NotBefore(linked, latest);
            latest = record.Created;
            var entry = AuditChain.Link(++seq, previous, record);
            var command = new NpgsqlBatchCommand("""
                INSERT INTO audit_entries (seq, id, created_at, action, actor_id, merchant_id, target_id, prev_hash, hash, data)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = entry.Sequence });
            command.Parameters.Add(new NpgsqlParameter { Value = record.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = record.Created.ToUnixTimeMilliseconds() });
            command.Parameters.Add(new NpgsqlParameter { Value = record.Action });
            command.Parameters.Add(Text(record.Actor.Id));
            command.Parameters.Add(Text(record.MerchantId));
            command.Parameters.Add(Text(record.TargetId));
            command.Parameters.Add(new NpgsqlParameter { Value = entry.PreviousHash });
            command.Parameters.Add(new NpgsqlParameter { Value = entry.Hash });
            command.Parameters.Add(new NpgsqlParameter { Value = entry.Canonical });
            batch.BatchCommands.Add(command);
            previous = entry.Hash;
        }

        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public static async Task<IReadOnlyList<AuditEntry>> ListAsync(NpgsqlDataSource dataSource, AuditQuery query, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand();
        var where = new List<string>();
        string Add(object value)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
            return "$" + command.Parameters.Count;
        }

        if (query.ActorId is { } actor)
        {
            where.Add("actor_id = " + Add(actor));
        }

        if (query.Action is { } action)
        {
            where.Add("action = " + Add(action));
        }

        if (query.TargetId is { } target)
        {
            where.Add("target_id = " + Add(target));
        }

        if (query.MerchantId is { } merchant)
        {
            where.Add("merchant_id = " + Add(merchant));
        }

        if (query.MerchantScope is { } scope)
        {
            where.Add("merchant_id = ANY(" + Add(scope.ToArray()) + ")");
        }

        // Times never decrease along the chain (AuditChain.NotBefore), so a time range is a range of positions, found
        // through the (created_at, seq) index in a few steps instead of scanning every entry newer than it.
        if (query.CreatedGte is { } gte)
        {
            var p = Add(gte.ToUnixTimeMilliseconds());
            where.Add($"created_at >= {p} AND seq > COALESCE((SELECT seq FROM audit_entries WHERE created_at < {p} ORDER BY created_at DESC, seq DESC LIMIT 1), 0)");
        }

        if (query.CreatedLt is { } lt)
        {
            var p = Add(lt.ToUnixTimeMilliseconds());
            where.Add($"created_at < {p} AND seq <= COALESCE((SELECT seq FROM audit_entries WHERE created_at < {p} ORDER BY created_at DESC, seq DESC LIMIT 1), 0)");
        }

        var ascending = query.EndingBefore is not null && query.StartingAfter is null;
        if (query.StartingAfter is { } after)
        {
            where.Add("seq < COALESCE((SELECT seq FROM audit_entries WHERE id = " + Add(after) + "), 0)");
        }
        else if (query.EndingBefore is { } before)
        {
            where.Add("seq > COALESCE((SELECT seq FROM audit_entries WHERE id = " + Add(before) + "), 9223372036854775807)");
        }

        var limit = Add(query.Limit);
        command.CommandText = $"SELECT {Columns} FROM audit_entries{(where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where))} ORDER BY seq {(ascending ? "ASC" : "DESC")} LIMIT {limit};";
        var entries = await ReadAsync(command, ct).ConfigureAwait(false);
        if (ascending)
        {
            entries.Reverse();
        }

        return entries;
    }

    public static async Task<AuditEntry?> GetAsync(NpgsqlDataSource dataSource, string id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM audit_entries WHERE id = $1;");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (await ReadAsync(command, ct).ConfigureAwait(false)).FirstOrDefault();
    }

    public static async Task<IReadOnlyList<AuditEntry>> ReadChainAsync(NpgsqlDataSource dataSource, long afterSequence, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM audit_entries WHERE seq > $1 ORDER BY seq LIMIT $2;");
        command.Parameters.Add(new NpgsqlParameter { Value = afterSequence });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadAsync(command, ct).ConfigureAwait(false);
    }

    internal static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    private static async Task<List<AuditEntry>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            entries.Add(AuditEntry.FromStored(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        return entries;
    }
}
