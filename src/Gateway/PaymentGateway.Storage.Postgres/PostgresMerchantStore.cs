using System.Text.Json;
using Npgsql;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// Merchants, API keys and settings on PostgreSQL (merchants and new keys are also written by
/// <see cref="PostgresPaymentStore.CommitAsync"/>); a key lifecycle change is one transaction: the version-checked key
/// writes and events, then the audit entries linked into the chain under its lock, then commit; a changed key is
/// announced to every node in the same transaction (<see cref="PostgresKeyChangeListener"/>).
/// </summary>
public sealed class PostgresMerchantStore(PostgresDatabase database) : IMerchantStore
{
    public Task<Merchant?> GetMerchantAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data FROM merchants WHERE id = $1;", [P(id)], ReadMerchant, cancellationToken);

    public Task<IReadOnlyList<Merchant>> ListMerchantsAsync(CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT data FROM merchants ORDER BY id;", [], ReadMerchant, cancellationToken);

    public Task<ApiKeyRecord?> FindApiKeyByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {ApiKeyColumns} FROM api_keys WHERE key_hash = $1;", [P(keyHash)], ReadApiKey, cancellationToken);

    public Task<ApiKeyRecord?> GetApiKeyAsync(string merchantId, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {ApiKeyColumns} FROM api_keys WHERE id = $1 AND merchant_id = $2;", [P(id), P(merchantId)], ReadApiKey, cancellationToken);

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string merchantId, CancellationToken cancellationToken) =>
        database.QueryListAsync($"SELECT {ApiKeyColumns} FROM api_keys WHERE merchant_id = $1 ORDER BY id DESC;", [P(merchantId)], ReadApiKey, cancellationToken);

    public async Task CommitApiKeysAsync(ApiKeyChanges changes, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var checks = new List<(NpgsqlBatchCommand Command, string Id)>();
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            foreach (var k in changes.NewKeys)
            {
                batch.BatchCommands.Add(Cmd("INSERT INTO api_keys (id, merchant_id, key_hash, data) VALUES ($1, $2, $3, $4);",
                    P(k.Id), P(k.MerchantId), P(k.KeyHash), Jsonb(JsonSerializer.Serialize(k, StorageJsonContext.Default.ApiKeyRecord))));
            }

            foreach (var k in changes.UpdatedKeys)
            {
                var command = Cmd("UPDATE api_keys SET data = $3, version = $2 + 1 WHERE id = $1 AND version = $2;",
                    P(k.Id), P(k.Version), Jsonb(JsonSerializer.Serialize(k, StorageJsonContext.Default.ApiKeyRecord)));
                batch.BatchCommands.Add(command);
                checks.Add((command, k.Id));
            }

            foreach (var k in changes.NewAdminKeys)
            {
                batch.BatchCommands.Add(Cmd("INSERT INTO admin_keys (id, key_hash, data) VALUES ($1, $2, $3);",
                    P(k.Id), P(k.KeyHash), Jsonb(JsonSerializer.Serialize(k, StorageJsonContext.Default.AdminKeyRecord))));
            }

            foreach (var k in changes.UpdatedAdminKeys)
            {
                var command = Cmd("UPDATE admin_keys SET data = $3, version = $2 + 1 WHERE id = $1 AND version = $2;",
                    P(k.Id), P(k.Version), Jsonb(JsonSerializer.Serialize(k, StorageJsonContext.Default.AdminKeyRecord)));
                batch.BatchCommands.Add(command);
                checks.Add((command, k.Id));
            }

            foreach (var e in changes.Events)
            {
                batch.BatchCommands.Add(PostgresRows.InsertEvent(e));
            }

            // Every node's cache forgets a changed key (revoked, rolled) at once: delivered only if this commits.
            foreach (var id in changes.UpdatedKeys.Select(k => k.Id).Concat(changes.UpdatedAdminKeys.Select(k => k.Id)))
            {
                batch.BatchCommands.Add(Cmd("SELECT pg_notify($1, $2);", P(PostgresKeyChangeListener.Channel), P(id)));
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                foreach (var (command, id) in checks)
                {
                    if (command.RecordsAffected != 1)
                    {
                        throw new ConcurrencyConflictException(id);
                    }
                }
            }
        }

        await PostgresAuditLog.AppendAsync(connection, transaction, changes.AuditRecords, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        changes.MarkCommitted();
    }

    public Task TouchApiKeyAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2);",
            cancellationToken, P(id), P(usedAt.ToUnixTimeMilliseconds()));

    public Task<AdminKeyRecord?> FindAdminKeyByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {ApiKeyColumns} FROM admin_keys WHERE key_hash = $1;", [P(keyHash)], ReadAdminKey, cancellationToken);

    public Task<AdminKeyRecord?> GetAdminKeyAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync($"SELECT {ApiKeyColumns} FROM admin_keys WHERE id = $1;", [P(id)], ReadAdminKey, cancellationToken);

    public Task<IReadOnlyList<AdminKeyRecord>> ListAdminKeysAsync(CancellationToken cancellationToken) =>
        database.QueryListAsync($"SELECT {ApiKeyColumns} FROM admin_keys ORDER BY id DESC;", [], ReadAdminKey, cancellationToken);

    public Task TouchAdminKeyAsync(string id, DateTimeOffset usedAt, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE admin_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2);",
            cancellationToken, P(id), P(usedAt.ToUnixTimeMilliseconds()));

    public Task<string?> GetSettingAsync(string name, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT value FROM settings WHERE name = $1;", [P(name)], r => r.GetString(0), cancellationToken);
}
