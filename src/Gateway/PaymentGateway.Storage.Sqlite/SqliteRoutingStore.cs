using System.Collections.Concurrent;
using System.Text.Json;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Routing;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Core.Storage.StorageRows;

namespace PaymentGateway.Storage.Sqlite;

/// <summary>
/// Provider accounts, routing rules and inbound provider webhook deduplication on SQLite; each write and its audit entry
/// are one writer unit. A merchant's rules (read by every card payment) are kept in memory between rule writes: the
/// database file has one gateway process, and every rule write goes through this store (see <see cref="RuleRows"/>).
/// </summary>
public sealed class SqliteRoutingStore(SqliteDatabase database) : IRoutingStore
{
    private readonly RuleRows _rules = new();

    public Task CreateProviderAccountAsync(ProviderAccountRecord account, AuditRecord? audit, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(account, RoutingStorageJsonContext.Default.ProviderAccountRecord);
        return database.WriteAsync(ctx =>
        {
            var c = ctx.Command("INSERT INTO provider_accounts (id, merchant_id, livemode, provider, created_at, version, data) VALUES ($id, $m, $l, $p, $c, $v, $d);");
            c.Parameters.AddWithValue("$id", account.Id);
            c.Parameters.AddWithValue("$m", account.MerchantId);
            c.Parameters.AddWithValue("$l", account.Livemode ? 1 : 0);
            c.Parameters.AddWithValue("$p", account.ProviderId);
            c.Parameters.AddWithValue("$c", account.Created.ToUnixTimeMilliseconds());
            c.Parameters.AddWithValue("$v", account.Version);
            c.Parameters.AddWithValue("$d", json);
            c.ExecuteNonQuery();
            return Audit(ctx, audit);
        }, cancellationToken);
    }

    public async Task UpdateProviderAccountAsync(ProviderAccountRecord account, AuditRecord? audit, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(account, RoutingStorageJsonContext.Default.ProviderAccountRecord);
        await database.WriteAsync(ctx =>
        {
            var c = ctx.Command("UPDATE provider_accounts SET data = $d, version = $v + 1 WHERE id = $id AND version = $v;");
            c.Parameters.AddWithValue("$id", account.Id);
            c.Parameters.AddWithValue("$v", account.Version);
            c.Parameters.AddWithValue("$d", json);
            return c.ExecuteNonQuery() == 1 ? Audit(ctx, audit) : throw new ConcurrencyConflictException(account.Id);
        }, cancellationToken).ConfigureAwait(false);
        account.Version++;
    }

    public Task<bool> DeleteProviderAccountAsync(string merchantId, string id, AuditRecord? audit, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            var c = ctx.Command("DELETE FROM provider_accounts WHERE id = $id AND merchant_id = $m;");
            c.Parameters.AddWithValue("$id", id);
            c.Parameters.AddWithValue("$m", merchantId);
            return c.ExecuteNonQuery() == 1 && Audit(ctx, audit);
        }, cancellationToken);

    public Task<ProviderAccountRecord?> GetProviderAccountAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM provider_accounts WHERE id = $id;", c => c.Parameters.AddWithValue("$id", id), ReadProviderAccount, cancellationToken);

    public Task<IReadOnlyList<ProviderAccountRecord>> ListProviderAccountsAsync(string merchantId, CancellationToken cancellationToken) =>
        database.QueryListAsync("SELECT data, version FROM provider_accounts WHERE merchant_id = $m ORDER BY id;", c => c.Parameters.AddWithValue("$m", merchantId),
            ReadProviderAccount, cancellationToken);

    public Task CreateRoutingRuleAsync(RoutingRule rule, AuditRecord? audit, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(rule, RoutingStorageJsonContext.Default.RoutingRule);
        return _rules.ChangingAsync(database.WriteAsync(ctx =>
        {
            var c = ctx.Command("INSERT INTO routing_rules (id, merchant_id, livemode, priority, version, data) VALUES ($id, $m, $l, $p, $v, $d);");
            c.Parameters.AddWithValue("$id", rule.Id);
            c.Parameters.AddWithValue("$m", rule.MerchantId);
            c.Parameters.AddWithValue("$l", rule.Livemode ? 1 : 0);
            c.Parameters.AddWithValue("$p", rule.Priority);
            c.Parameters.AddWithValue("$v", rule.Version);
            c.Parameters.AddWithValue("$d", json);
            c.ExecuteNonQuery();
            return Audit(ctx, audit);
        }, cancellationToken));
    }

    public async Task UpdateRoutingRuleAsync(RoutingRule rule, AuditRecord? audit, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(rule, RoutingStorageJsonContext.Default.RoutingRule);
        await _rules.ChangingAsync(database.WriteAsync(ctx =>
        {
            var c = ctx.Command("UPDATE routing_rules SET priority = $p, data = $d, version = $v + 1 WHERE id = $id AND version = $v;");
            c.Parameters.AddWithValue("$id", rule.Id);
            c.Parameters.AddWithValue("$p", rule.Priority);
            c.Parameters.AddWithValue("$v", rule.Version);
            c.Parameters.AddWithValue("$d", json);
            return c.ExecuteNonQuery() == 1 ? Audit(ctx, audit) : throw new ConcurrencyConflictException(rule.Id);
        }, cancellationToken)).ConfigureAwait(false);
        rule.Version++;
    }

    public Task<bool> DeleteRoutingRuleAsync(string merchantId, string id, AuditRecord? audit, CancellationToken cancellationToken) =>
        _rules.ChangingAsync(database.WriteAsync(ctx =>
        {
            var c = ctx.Command("DELETE FROM routing_rules WHERE id = $id AND merchant_id = $m;");
            c.Parameters.AddWithValue("$id", id);
            c.Parameters.AddWithValue("$m", merchantId);
            return c.ExecuteNonQuery() == 1 && Audit(ctx, audit);
        }, cancellationToken));

    public Task<RoutingRule?> GetRoutingRuleAsync(string merchantId, string id, CancellationToken cancellationToken) =>
        database.QuerySingleAsync("SELECT data, version FROM routing_rules WHERE id = $id AND merchant_id = $m;",
            c => { c.Parameters.AddWithValue("$id", id); c.Parameters.AddWithValue("$m", merchantId); }, ReadRoutingRule, cancellationToken);

    public async Task<IReadOnlyList<RoutingRule>> ListRoutingRulesAsync(string merchantId, bool livemode, CancellationToken cancellationToken)
    {
        if (_rules.Find(merchantId, livemode) is not { } rows)
        {
            var generation = _rules.Generation;
            rows = await database.QueryListAsync("SELECT data, version FROM routing_rules WHERE merchant_id = $m AND livemode = $l ORDER BY priority, id;",
                c => { c.Parameters.AddWithValue("$m", merchantId); c.Parameters.AddWithValue("$l", livemode ? 1 : 0); },
                static r => (r.GetString(0), r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
            _rules.Keep(merchantId, livemode, rows, generation);
        }

        // Fresh objects on every call: callers may change what they get (an edit, then an update with its version).
        if (rows.Count == 0)
        {
            return [];
        }

        var rules = new RoutingRule[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            rules[i] = JsonSerializer.Deserialize(rows[i].Json, RoutingStorageJsonContext.Default.RoutingRule)
                ?? throw new InvalidDataException("Empty routing rule row.");
            rules[i].Version = rows[i].Version;
        }

        return rules;
    }

    public Task<bool> RecordProviderWebhookEventAsync(string providerAccountId, string eventId, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(ctx =>
        {
            var c = ctx.Command("INSERT INTO provider_webhook_events (provider_account_id, event_id, received_at) VALUES ($a, $e, $r) ON CONFLICT DO NOTHING;");
            c.Parameters.AddWithValue("$a", providerAccountId);
            c.Parameters.AddWithValue("$e", eventId);
            c.Parameters.AddWithValue("$r", receivedAt.ToUnixTimeMilliseconds());
            return c.ExecuteNonQuery() == 1;
        }, cancellationToken);

    /// <summary>Appends the change's audit entry in the same writer unit; true, to end a unit that wrote.</summary>
    private static bool Audit(WriterContext ctx, AuditRecord? audit)
    {
        if (audit is not null)
        {
            SqliteAuditLog.Append(ctx, [audit]);
        }

        return true;
    }

    /// <summary>
    /// The rows of each merchant's rules per mode as last read, valid while no rule was written since. A rule write
    /// moves <see cref="Generation"/> once it is committed (or failed), which drops every kept list; a list read while a
    /// write was under way is kept only if no write ended between the start of its read and its end, so a list read
    /// before a commit is never kept after it.
    /// </summary>
    private sealed class RuleRows
    {
        private readonly ConcurrentDictionary<(string MerchantId, bool Livemode), Entry> _entries = new();
        private long _generation;

        public long Generation => Interlocked.Read(ref _generation);

        public IReadOnlyList<(string Json, long Version)>? Find(string merchantId, bool livemode) =>
            _entries.TryGetValue((merchantId, livemode), out var entry) && entry.Generation == Generation ? entry.Rows : null;

        public void Keep(string merchantId, bool livemode, IReadOnlyList<(string Json, long Version)> rows, long generation)
        {
            if (generation == Generation)
            {
                _entries[(merchantId, livemode)] = new Entry(rows, generation);
            }
        }

        /// <summary>Awaits a rule write, then moves the generation whatever its outcome.</summary>
        public async Task<T> ChangingAsync<T>(Task<T> write)
        {
            try
            {
                return await write.ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Increment(ref _generation);
                _entries.Clear();
            }
        }

        private sealed record Entry(IReadOnlyList<(string Json, long Version)> Rows, long Generation);
    }
}
