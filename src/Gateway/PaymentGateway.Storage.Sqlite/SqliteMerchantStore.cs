using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>Merchants, API keys and settings on SQLite (written by <see cref="SqlitePaymentStore.CommitAsync"/>).</summary>
public sealed class SqliteMerchantStore(SqliteDatabase database) : IMerchantStore
{
    public Task<Merchant?> GetMerchantAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data FROM merchants WHERE id = $id;", c => c.Parameters.AddWithValue("$id", id), ReadMerchant, cancellationToken);

    public Task<IReadOnlyList<Merchant>> ListMerchantsAsync(CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT data FROM merchants ORDER BY id;", _ => { }, ReadMerchant, cancellationToken);

    public Task<ApiKeyRecord?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data FROM api_keys WHERE key_hash = $h;", c => c.Parameters.AddWithValue("$h", keyHash), ReadApiKey, cancellationToken);

    public Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT value FROM settings WHERE name = $n;", c => c.Parameters.AddWithValue("$n", name), r => r.GetString(0), cancellationToken);
}
