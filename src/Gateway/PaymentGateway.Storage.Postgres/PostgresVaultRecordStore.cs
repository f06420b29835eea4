using PaymentGateway.Core.Storage;
using PaymentGateway.Core.Vault;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>The rows holding vault ciphertexts on PostgreSQL (see <see cref="IVaultRecordStore"/>); JSON columns are <c>jsonb</c>, compared and written as such.</summary>
internal sealed class PostgresVaultRecordStore(PostgresDatabase database) : IVaultRecordStore
{
    private const string CursorSetting = "vault_rewrap_cursor";

    public Task<IReadOnlyList<VaultRecordRow>> ListAsync(VaultColumn column, IReadOnlyList<string>? after, int limit, CancellationToken cancellationToken)
    {
        var keys = string.Join(", ", column.KeyColumns);
        var count = column.KeyColumns.Count;
        var position = after is null ? string.Empty : $" AND ({keys}) > ({string.Join(", ", column.KeyColumns.Select((_, i) => $"${i + 2}"))})";
        var value = column.Shape == VaultColumnShape.Json ? $"{column.Column}::text" : column.Column;
        List<Npgsql.NpgsqlParameter> parameters = [P(limit), .. (after ?? []).Select(Text)];
        return database.QueryListAsync(
            $"SELECT {keys}, {value} FROM {column.Table} WHERE {column.Column} IS NOT NULL{position} ORDER BY {keys} LIMIT $1;",
            parameters,
            r => new VaultRecordRow([.. Enumerable.Range(0, count).Select(r.GetString)], r.GetString(count)),
            cancellationToken);
    }

    public async Task<bool> ReplaceAsync(VaultColumn column, IReadOnlyList<string> key, string expected, string replacement, CancellationToken cancellationToken)
    {
        var cast = column.Shape == VaultColumnShape.Json ? "::jsonb" : string.Empty;
        var match = string.Join(" AND ", column.KeyColumns.Select((k, i) => $"{k} = ${i + 3}"));
        return await database.ExecuteAsync(
            $"UPDATE {column.Table} SET {column.Column} = $1{cast} WHERE {match} AND {column.Column} = $2{cast};",
            cancellationToken, [Text(replacement), Text(expected), .. key.Select(Text)]).ConfigureAwait(false) == 1;
    }

    public Task<IReadOnlyList<string>> ListKeyIdsAsync(VaultColumn column, CancellationToken cancellationToken) =>
        database.QueryListAsync(
            $"SELECT DISTINCT split_part({column.Column}, ':', 2) FROM {column.Table} WHERE {column.Column} LIKE 'v1:%';",
            [], r => r.GetString(0), cancellationToken);

    public Task<string?> GetRewrapCursorAsync(CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT value FROM settings WHERE name = $1;", [P(CursorSetting)], r => r.GetString(0), cancellationToken);

    public Task SaveRewrapCursorAsync(string cursor, CancellationToken cancellationToken) =>
        database.ExecuteAsync("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value;",
            cancellationToken, P(CursorSetting), P(cursor));
}
