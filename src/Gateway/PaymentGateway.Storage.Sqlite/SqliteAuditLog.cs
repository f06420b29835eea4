using Microsoft.Data.Sqlite;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>
/// Appending to and reading the audit chain in SQLite. Appends run inside a unit of the single writer, so they are
/// serialized with every other write (and, across processes, by SQLite's write lock): each reads the chain head and
/// links its entries after it, in the same transaction as the change they record. Triggers refuse UPDATE and DELETE.
/// </summary>
internal static class SqliteAuditLog
{
    private const string Columns = "seq, prev_hash, hash, data";

    /// <summary>Links <paramref name="records"/> after the current head and inserts them (call inside a writer unit).</summary>
    public static void Append(WriterContext ctx, IReadOnlyList<AuditRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        long seq = 0;
        var previous = AuditChain.Genesis;
        var latest = DateTimeOffset.MinValue;
        using (var reader = ctx.Command("SELECT seq, hash, created_at FROM audit_entries ORDER BY seq DESC LIMIT 1;").ExecuteReader())
        {
            if (reader.Read())
            {
                seq = reader.GetInt64(0);
                previous = reader.GetString(1);
                latest = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
            }
        }

        foreach (var linked in records)
        {
            var record = AuditChain.NotBefore(linked, latest);
            latest = record.Created;
            var entry = AuditChain.Link(++seq, previous, record);
            var c = ctx.Command("""
                INSERT INTO audit_entries (seq, id, created_at, action, actor_id, merchant_id, target_id, prev_hash, hash, data)
                VALUES ($seq, $id, $c, $a, $actor, $m, $t, $p, $h, $d);
                """);
            c.Parameters.AddWithValue("$seq", entry.Sequence);
            c.Parameters.AddWithValue("$id", record.Id);
            c.Parameters.AddWithValue("$c", record.Created.ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("$a", record.Action);
            c.Parameters.AddWithValue("$actor", (object?)record.Actor.Id ?? DBNull.Value);
            c.Parameters.AddWithValue("$m", (object?)record.MerchantId ?? DBNull.Value);
            c.Parameters.AddWithValue("$t", (object?)record.TargetId ?? DBNull.Value);
            c.Parameters.AddWithValue("$p", entry.PreviousHash);
            c.Parameters.AddWithValue("$h", entry.Hash);
            c.Parameters.AddWithValue("$d", entry.Canonical);
            c.ExecuteNonQuery();
            previous = entry.Hash;
        }
    }

    public static async Task<IReadOnlyList<AuditEntry>> ListAsync(string connectionString, AuditQuery query, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = new List<string>();
        void Filter(string column, string? value)
        {
            if (value is not null)
            {
                where.Add($"{column} = ${column}");
                command.Parameters.AddWithValue("$" + column, value);
            }
        }

        Filter("actor_id", query.ActorId);
        Filter("action", query.Action);
        Filter("target_id", query.TargetId);
        Filter("merchant_id", query.MerchantId);
        if (query.MerchantScope is { } scope)
        {
            var names = scope.Select((m, i) => "$scope" + i).ToList();
            where.Add(names.Count == 0 ? "0 = 1" : $"merchant_id IN ({string.Join(", ", names)})");
            foreach (var (m, i) in scope.Select((m, i) => (m, i)))
            {
                command.Parameters.AddWithValue("$scope" + i, m);
            }
        }

        // Times never decrease along the chain (AuditChain.NotBefore), so a time range is a range of positions, found
        // through the (created_at, seq) index in a few steps instead of scanning every entry newer than it.
        if (query.CreatedGte is { } gte)
        {
            where.Add("created_at >= $gte AND seq > COALESCE((SELECT seq FROM audit_entries WHERE created_at < $gte ORDER BY created_at DESC, seq DESC LIMIT 1), 0)");
            command.Parameters.AddWithValue("$gte", gte.ToUnixTimeMilliseconds());
        }

        if (query.CreatedLt is { } lt)
        {
            where.Add("created_at < $lt AND seq <= COALESCE((SELECT seq FROM audit_entries WHERE created_at < $lt ORDER BY created_at DESC, seq DESC LIMIT 1), 0)");
            command.Parameters.AddWithValue("$lt", lt.ToUnixTimeMilliseconds());
        }

        var ascending = query.EndingBefore is not null && query.StartingAfter is null;
        if (query.StartingAfter is { } after)
        {
            where.Add("seq < COALESCE((SELECT seq FROM audit_entries WHERE id = $after), 0)");
            command.Parameters.AddWithValue("$after", after);
        }
        else if (query.EndingBefore is { } before)
        {
            where.Add("seq > COALESCE((SELECT seq FROM audit_entries WHERE id = $before), 9223372036854775807)");
            command.Parameters.AddWithValue("$before", before);
        }

        command.CommandText = $"SELECT {Columns} FROM audit_entries{(where.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", where))} ORDER BY seq {(ascending ? "ASC" : "DESC")} LIMIT $limit;";
        command.Parameters.AddWithValue("$limit", query.Limit);
        var entries = await ReadAsync(command, ct).ConfigureAwait(false);
        if (ascending)
        {
            entries.Reverse();
        }

        return entries;
    }

    public static async Task<AuditEntry?> GetAsync(string connectionString, string id, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM audit_entries WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return (await ReadAsync(command, ct).ConfigureAwait(false)).FirstOrDefault();
    }

    public static async Task<IReadOnlyList<AuditEntry>> ReadChainAsync(string connectionString, long afterSequence, int limit, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM audit_entries WHERE seq > $after ORDER BY seq LIMIT $limit;";
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$limit", limit);
        return await ReadAsync(command, ct).ConfigureAwait(false);
    }

    private static async Task<List<AuditEntry>> ReadAsync(SqliteCommand command, CancellationToken ct)
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
