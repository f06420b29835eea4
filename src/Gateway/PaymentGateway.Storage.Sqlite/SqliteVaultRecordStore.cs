using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>The rows holding vault ciphertexts on SQLite (see <see cref="IVaultRecordStore"/>); writes go through the single writer.</summary>
internal sealed class SqliteVaultRecordStore(SqliteDatabase database) : IVaultRecordStore
{
    private const string CursorSetting = "vault_rewrap_cursor";

    public Task<IReadOnlyList<VaultRecordRow>> ListAsync(VaultColumn column, IReadOnlyList<string>? after, int limit, CancellationToken cancellationToken)
    {
        var keys = string.Join(", ", column.KeyColumns);
        var position = after is null ? string.Empty : $" AND ({keys}) > ({string.Join(", ", column.KeyColumns.Select((_, i) => $"$a{i}"))})";
        return database.QueryListAsync(
            $"SELECT {keys}, {column.Column} FROM {column.Table} WHERE {column.Column} IS NOT NULL{position} ORDER BY {keys} LIMIT $limit;",
            c =>
            {
                for (var i = 0; after is not null && i < after.Count; i++)
                {
                    c.Parameters.AddWithValue($"$a{i}", after[i]);
                }

                c.Parameters.AddWithValue("$limit", limit);
            },
            r => new VaultRecordRow([.. Enumerable.Range(0, column.KeyColumns.Count).Select(r.GetString)], r.GetString(column.KeyColumns.Count)),
            cancellationToken);
    }

    public Task<bool> ReplaceAsync(VaultColumn column, IReadOnlyList<string> key, string expected, string replacement, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            var match = string.Join(" AND ", column.KeyColumns.Select((k, i) => $"{k} = $k{i}"));
            var command = ctx.Command($"UPDATE {column.Table} SET {column.Column} = $new WHERE {match} AND {column.Column} = $old;");
            for (var i = 0; i < key.Count; i++)
            {
                command.Parameters.AddWithValue($"$k{i}", key[i]);
            }

            command.Parameters.AddWithValue("$new", replacement);
            command.Parameters.AddWithValue("$old", expected);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<string>> ListKeyIdsAsync(VaultColumn column, CancellationToken cancellationToken) =>
        database.QueryListAsync(
            $"SELECT DISTINCT substr({column.Column}, 4, instr(substr({column.Column}, 4), ':') - 1) FROM {column.Table} WHERE {column.Column} LIKE 'v1:%';",
            _ => { }, r => r.GetString(0), cancellationToken);

    public Task<string?> GetRewrapCursorAsync(CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT value FROM settings WHERE name = $n;", c => c.Parameters.AddWithValue("$n", CursorSetting), r => r.GetString(0), cancellationToken);

    public Task SaveRewrapCursorAsync(string cursor, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            var command = ctx.Command("INSERT INTO settings (name, value) VALUES ($n, $v) ON CONFLICT (name) DO UPDATE SET value = excluded.value;");
            command.Parameters.AddWithValue("$n", CursorSetting);
            command.Parameters.AddWithValue("$v", cursor);
            return command.ExecuteNonQuery();
        }, cancellationToken);
}
