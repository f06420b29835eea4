using System.Text.Json;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;
using static PaymentGateway.Storage.Postgres.PostgresSql;

namespace PaymentGateway.Storage.Postgres;

/// <summary>
/// Provider accounts, routing rules and inbound provider webhook deduplication on PostgreSQL. A write and its audit
/// entry are one transaction (<see cref="CheckedBatch.Audit"/>); a delete that finds no row writes nothing.
/// </summary>
public sealed class PostgresRoutingStore(PostgresDatabase database) : IRoutingStore
{
    public Task CreateProviderAccountAsync(ProviderAccountRecord account, AuditRecord? audit, CancellationToken cancellationToken) =>
        ExecuteAsync(Cmd("INSERT INTO provider_accounts (id, merchant_id, livemode, provider, created_at, version, data) VALUES ($1, $2, $3, $4, $5, $6, $7);",
            P(account.Id), P(account.MerchantId), P(account.Livemode), P(account.ProviderId), P(account.Created.ToUnixTimeMilliseconds()),
            P(account.Version), Jsonb(JsonSerializer.Serialize(account, RoutingStorageJsonContext.Default.ProviderAccountRecord))), null, audit, cancellationToken);

    public async Task UpdateProviderAccountAsync(ProviderAccountRecord account, AuditRecord? audit, CancellationToken cancellationToken)
    {
        await ExecuteAsync(Cmd("UPDATE provider_accounts SET data = $3, version = $2 + 1 WHERE id = $1 AND version = $2;",
            P(account.Id), P(account.Version), Jsonb(JsonSerializer.Serialize(account, RoutingStorageJsonContext.Default.ProviderAccountRecord))), account.Id, audit,
            cancellationToken).ConfigureAwait(false);
        account.Version++;
    }

    public Task<bool> DeleteProviderAccountAsync(string merchantId, string id, AuditRecord? audit, CancellationToken cancellationToken) =>
        DeleteAsync(Cmd("DELETE FROM provider_accounts WHERE id = $1 AND merchant_id = $2;", P(id), P(merchantId)), id, audit, cancellationToken);

    public Task<ProviderAccountRecord?> GetProviderAccountAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM provider_accounts WHERE id = $1;", [P(id)], ReadProviderAccount, cancellationToken);

    public Task<IReadOnlyList<ProviderAccountRecord>> ListProviderAccountsAsync(string merchantId, CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT data, version FROM provider_accounts WHERE merchant_id = $1 ORDER BY id;", [P(merchantId)], ReadProviderAccount, cancellationToken);

    public Task CreateRoutingRuleAsync(RoutingRule rule, AuditRecord? audit, CancellationToken cancellationToken) =>
        ExecuteAsync(Cmd("INSERT INTO routing_rules (id, merchant_id, livemode, priority, version, data) VALUES ($1, $2, $3, $4, $5, $6);",
            P(rule.Id), P(rule.MerchantId), P(rule.Livemode), P(rule.Priority), P(rule.Version),
            Jsonb(JsonSerializer.Serialize(rule, RoutingStorageJsonContext.Default.RoutingRule))), null, audit, cancellationToken);

    public async Task UpdateRoutingRuleAsync(RoutingRule rule, AuditRecord? audit, CancellationToken cancellationToken)
    {
        await ExecuteAsync(Cmd("UPDATE routing_rules SET priority = $3, data = $4, version = $2 + 1 WHERE id = $1 AND version = $2;",
            P(rule.Id), P(rule.Version), P(rule.Priority), Jsonb(JsonSerializer.Serialize(rule, RoutingStorageJsonContext.Default.RoutingRule))), rule.Id, audit,
            cancellationToken).ConfigureAwait(false);
        rule.Version++;
    }

    public Task<bool> DeleteRoutingRuleAsync(string merchantId, string id, AuditRecord? audit, CancellationToken cancellationToken) =>
        DeleteAsync(Cmd("DELETE FROM routing_rules WHERE id = $1 AND merchant_id = $2;", P(id), P(merchantId)), id, audit, cancellationToken);

    public Task<RoutingRule?> GetRoutingRuleAsync(string merchantId, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM routing_rules WHERE id = $1 AND merchant_id = $2;", [P(id), P(merchantId)], ReadRoutingRule, cancellationToken);

    public Task<IReadOnlyList<RoutingRule>> ListRoutingRulesAsync(string merchantId, bool livemode, CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT data, version FROM routing_rules WHERE merchant_id = $1 AND livemode = $2 ORDER BY priority, id;", [P(merchantId), P(livemode)],
            ReadRoutingRule, cancellationToken);

    public async Task<bool> RecordProviderWebhookEventAsync(string providerAccountId, string eventId, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        await database.ExecuteAsync("INSERT INTO provider_webhook_events (provider_account_id, event_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING;",
            cancellationToken, P(providerAccountId), P(eventId), P(receivedAt.ToUnixTimeMilliseconds())).ConfigureAwait(false) == 1;

    /// <summary>One write (version-checked when <paramref name="checkedId"/> is given) and its audit entry, in one transaction.</summary>
    private Task ExecuteAsync(Npgsql.NpgsqlBatchCommand command, string? checkedId, AuditRecord? audit, CancellationToken cancellationToken)
    {
        var batch = new CheckedBatch();
        if (checkedId is null)
        {
            batch.Add(command);
        }
        else
        {
            batch.AddVersionChecked(command, checkedId);
        }

        if (audit is not null)
        {
            batch.Audit.Add(audit);
        }

        return database.ExecuteAsync(batch, _ => null, cancellationToken);
    }

    /// <summary>A delete that must find its row (else false, and the audit entry is not written either).</summary>
    private async Task<bool> DeleteAsync(Npgsql.NpgsqlBatchCommand command, string id, AuditRecord? audit, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(command, id, audit, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }
}
