using System.Text.Json;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>
/// Merchants, API keys and settings on SQLite (merchants and new keys are also written by
/// <see cref="SqlitePaymentStore.CommitAsync"/>); key lifecycle changes are one unit of the writer with their events
/// and audit entries.
/// </summary>
public sealed class SqliteMerchantStore(SqliteDatabase database) : IMerchantStore
{
    public Task<Merchant?> GetMerchantAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data FROM merchants WHERE id = $id;", c => c.Parameters.AddWithValue("$id", id), ReadMerchant, cancellationToken);

    public Task<IReadOnlyList<Merchant>> ListMerchantsAsync(CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT data FROM merchants ORDER BY id;", _ => { }, ReadMerchant, cancellationToken);

    public Task<ApiKeyRecord?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {ApiKeyColumns} FROM api_keys WHERE key_hash = $h;", c => c.Parameters.AddWithValue("$h", keyHash), ReadApiKey, cancellationToken);

    public Task<ApiKeyRecord?> GetApiKeyAsync(string merchantId, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {ApiKeyColumns} FROM api_keys WHERE id = $id AND merchant_id = $m;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); }, ReadApiKey, cancellationToken);

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string merchantId, CancellationToken cancellationToken) =>
        database.QueryListAsync($"SELECT {ApiKeyColumns} FROM api_keys WHERE merchant_id = $m ORDER BY id DESC;",
            c => c.Parameters.AddWithValue("$m", merchantId), ReadApiKey, cancellationToken);

    public async Task CommitApiKeysAsync(ApiKeyChanges changes, CancellationToken cancellationToken)
    {
        var inserted = changes.NewKeys.Select(k => (k, JsonSerializer.Serialize(k, StorageJsonContext.Default.ApiKeyRecord))).ToList();
        var updated = changes.UpdatedKeys.Select(k => (k, JsonSerializer.Serialize(k, StorageJsonContext.Default.ApiKeyRecord))).ToList();
        var insertedAdmin = changes.NewAdminKeys.Select(k => (k, JsonSerializer.Serialize(k, StorageJsonContext.Default.AdminKeyRecord))).ToList();
        var updatedAdmin = changes.UpdatedAdminKeys.Select(k => (k, JsonSerializer.Serialize(k, StorageJsonContext.Default.AdminKeyRecord))).ToList();
        var events = changes.Events.ToList();
        var records = changes.AuditRecords.ToList();
        await database.CommitChangesAsync(changes, ctx =>
        {
            foreach (var (k, json) in inserted)
            {
                var c = ctx.Command("INSERT INTO api_keys (id, merchant_id, key_hash, data) VALUES ($id, $m, $h, $d);");
                c.Parameters.AddWithValue("$id", k.Id);
                c.Parameters.AddWithValue("$m", k.MerchantId);
                c.Parameters.AddWithValue("$h", k.KeyHash);
                c.Parameters.AddWithValue("$d", json);
                c.ExecuteNonQuery();
            }

            foreach (var (k, json) in updated)
            {
                var c = ctx.Command("UPDATE api_keys SET data = $d, version = $v + 1 WHERE id = $id AND version = $v;");
                c.Parameters.AddWithValue("$id", k.Id);
                c.Parameters.AddWithValue("$v", k.Version);
                c.Parameters.AddWithValue("$d", json);
                SqliteRows.ExecuteVersioned(c, k.Id);
            }

            foreach (var (k, json) in insertedAdmin)
            {
                var c = ctx.Command("INSERT INTO admin_keys (id, key_hash, data) VALUES ($id, $h, $d);");
                c.Parameters.AddWithValue("$id", k.Id);
                c.Parameters.AddWithValue("$h", k.KeyHash);
                c.Parameters.AddWithValue("$d", json);
                c.ExecuteNonQuery();
            }

            foreach (var (k, json) in updatedAdmin)
            {
                var c = ctx.Command("UPDATE admin_keys SET data = $d, version = $v + 1 WHERE id = $id AND version = $v;");
                c.Parameters.AddWithValue("$id", k.Id);
                c.Parameters.AddWithValue("$v", k.Version);
                c.Parameters.AddWithValue("$d", json);
                SqliteRows.ExecuteVersioned(c, k.Id);
            }

            foreach (var e in events)
            {
                SqliteRows.InsertEvent(ctx, e);
            }

            SqliteAuditLog.Append(ctx, records);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task TouchApiKeyAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken) =>
        TouchAsync("api_keys", id, usedAt, cancellationToken);

    public Task<AdminKeyRecord?> FindAdminKeyByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {ApiKeyColumns} FROM admin_keys WHERE key_hash = $h;", c => c.Parameters.AddWithValue("$h", keyHash), ReadAdminKey, cancellationToken);

    public Task<AdminKeyRecord?> GetAdminKeyAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {ApiKeyColumns} FROM admin_keys WHERE id = $id;", c => c.Parameters.AddWithValue("$id", id), ReadAdminKey, cancellationToken);

    public Task<IReadOnlyList<AdminKeyRecord>> ListAdminKeysAsync(CancellationToken cancellationToken) =>
        database.QueryListAsync($"SELECT {ApiKeyColumns} FROM admin_keys ORDER BY id DESC;", _ => { }, ReadAdminKey, cancellationToken);

    public Task TouchAdminKeyAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken) =>
        TouchAsync("admin_keys", id, usedAt, cancellationToken);

    public Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT value FROM settings WHERE name = $n;", c => c.Parameters.AddWithValue("$n", name), r => r.GetString(0), cancellationToken);

    /// <summary>Moves a key's <c>last_used_at</c> forward, never back (<paramref name="table"/> is one of the two key tables, never input).</summary>
    private Task TouchAsync(string table, string id, DateTimeOffset usedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            var c = ctx.Command($"UPDATE {table} SET last_used_at = $t WHERE id = $id AND (last_used_at IS NULL OR last_used_at < $t);");
            c.Parameters.AddWithValue("$id", id);
            c.Parameters.AddWithValue("$t", usedAt.ToUnixTimeMilliseconds());
            return c.ExecuteNonQuery();
        }, cancellationToken);
}
