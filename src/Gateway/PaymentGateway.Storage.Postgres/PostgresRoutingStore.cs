using System.Text.Json;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>Provider accounts, routing rules and inbound provider webhook deduplication on PostgreSQL.</summary>
public sealed class PostgresRoutingStore(PostgresDatabase database) : IRoutingStore
{
    public Task CreateProviderAccountAsync(ProviderAccountRecord account, CancellationToken cancellationToken) =>
        database.ExecuteAsync("INSERT INTO provider_accounts (id, merchant_id, livemode, provider, created_at, version, data) VALUES ($1, $2, $3, $4, $5, $6, $7);",
            cancellationToken, P(account.Id), P(account.MerchantId), P(account.Livemode), P(account.ProviderId), P(account.Created.ToUnixTimeMilliseconds()),
            P(account.Version), Jsonb(JsonSerializer.Serialize(account, RoutingStorageJsonContext.Default.ProviderAccountRecord)));

    public async Task UpdateProviderAccountAsync(ProviderAccountRecord account, CancellationToken cancellationToken)
    {
        var rows = await database.ExecuteAsync("UPDATE provider_accounts SET data = $3, version = $2 + 1 WHERE id = $1 AND version = $2;", cancellationToken,
            P(account.Id), P(account.Version), Jsonb(JsonSerializer.Serialize(account, RoutingStorageJsonContext.Default.ProviderAccountRecord))).ConfigureAwait(false);
        if (rows != 1)
        {
            throw new ConcurrencyConflictException(account.Id);
        }

        account.Version++;
    }

    public async Task<bool> DeleteProviderAccountAsync(string merchantId, string id, CancellationToken cancellationToken) =>
        await database.ExecuteAsync("DELETE FROM provider_accounts WHERE id = $1 AND merchant_id = $2;", cancellationToken, P(id), P(merchantId)).ConfigureAwait(false) == 1;

    public Task<ProviderAccountRecord?> GetProviderAccountAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM provider_accounts WHERE id = $1;", [P(id)], ReadProviderAccount, cancellationToken);

    public Task<IReadOnlyList<ProviderAccountRecord>> ListProviderAccountsAsync(string merchantId, CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT data, version FROM provider_accounts WHERE merchant_id = $1 ORDER BY id;", [P(merchantId)], ReadProviderAccount, cancellationToken);

    public Task CreateRoutingRuleAsync(RoutingRule rule, CancellationToken cancellationToken) =>
        database.ExecuteAsync("INSERT INTO routing_rules (id, merchant_id, livemode, priority, version, data) VALUES ($1, $2, $3, $4, $5, $6);",
            cancellationToken, P(rule.Id), P(rule.MerchantId), P(rule.Livemode), P(rule.Priority), P(rule.Version),
            Jsonb(JsonSerializer.Serialize(rule, RoutingStorageJsonContext.Default.RoutingRule)));

    public async Task UpdateRoutingRuleAsync(RoutingRule rule, CancellationToken cancellationToken)
    {
        var rows = await database.ExecuteAsync("UPDATE routing_rules SET priority = $3, data = $4, version = $2 + 1 WHERE id = $1 AND version = $2;", cancellationToken,
            P(rule.Id), P(rule.Version), P(rule.Priority), Jsonb(JsonSerializer.Serialize(rule, RoutingStorageJsonContext.Default.RoutingRule))).ConfigureAwait(false);
        if (rows != 1)
        {
            throw new ConcurrencyConflictException(rule.Id);
        }

        rule.Version++;
    }

    public async Task<bool> DeleteRoutingRuleAsync(string merchantId, string id, CancellationToken cancellationToken) =>
        await database.ExecuteAsync("DELETE FROM routing_rules WHERE id = $1 AND merchant_id = $2;", cancellationToken, P(id), P(merchantId)).ConfigureAwait(false) == 1;

    public Task<RoutingRule?> GetRoutingRuleAsync(string merchantId, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM routing_rules WHERE id = $1 AND merchant_id = $2;", [P(id), P(merchantId)], ReadRoutingRule, cancellationToken);

    public Task<IReadOnlyList<RoutingRule>> ListRoutingRulesAsync(string merchantId, bool livemode, CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT data, version FROM routing_rules WHERE merchant_id = $1 AND livemode = $2 ORDER BY priority, id;", [P(merchantId), P(livemode)],
            ReadRoutingRule, cancellationToken);

    public async Task<bool> RecordProviderWebhookEventAsync(string providerAccountId, string eventId, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        await database.ExecuteAsync("INSERT INTO provider_webhook_events (provider_account_id, event_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING;",
            cancellationToken, P(providerAccountId), P(eventId), P(receivedAt.ToUnixTimeMilliseconds())).ConfigureAwait(false) == 1;
}
