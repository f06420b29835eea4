using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>Merchants, API keys and settings on PostgreSQL (written by <see cref="PostgresPaymentStore.CommitAsync"/>).</summary>
public sealed class PostgresMerchantStore(PostgresDatabase database) : IMerchantStore
{
    public Task<Merchant?> GetMerchantAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data FROM merchants WHERE id = $1;", [P(id)], ReadMerchant, cancellationToken);

    public Task<IReadOnlyList<Merchant>> ListMerchantsAsync(CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT data FROM merchants ORDER BY id;", [], ReadMerchant, cancellationToken);

    public Task<ApiKeyRecord?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data FROM api_keys WHERE key_hash = $1;", [P(keyHash)], ReadApiKey, cancellationToken);

    public Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT value FROM settings WHERE name = $1;", [P(name)], r => r.GetString(0), cancellationToken);
}
