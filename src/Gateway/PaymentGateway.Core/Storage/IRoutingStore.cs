using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Routing;

namespace PaymentGateway.Core.Storage;

/// <summary>
/// Provider accounts, routing rules and inbound provider webhook deduplication. Each write takes the audit entry that
/// records it (null only for the gateway's own bookkeeping) and appends it in the same transaction: both or neither.
/// </summary>
public interface IRoutingStore
{
    Task CreateProviderAccountAsync(ProviderAccountRecord account, AuditRecord? audit, CancellationToken cancellationToken);

    /// <summary>Writes the account if its stored version equals <see cref="ProviderAccountRecord.Version"/>, else <see cref="ConcurrencyConflictException"/>.</summary>
    Task UpdateProviderAccountAsync(ProviderAccountRecord account, AuditRecord? audit, CancellationToken cancellationToken);

    /// <summary>False when the merchant has no such account (and nothing, not the audit entry, is written).</summary>
    Task<bool> DeleteProviderAccountAsync(string merchantId, string id, AuditRecord? audit, CancellationToken cancellationToken);

    /// <summary>An account by id whatever its merchant (inbound webhooks); callers check the merchant.</summary>
    Task<ProviderAccountRecord?> GetProviderAccountAsync(string id, CancellationToken cancellationToken);

    /// <summary>A merchant's accounts, oldest first.</summary>
    Task<IReadOnlyList<ProviderAccountRecord>> ListProviderAccountsAsync(string merchantId, CancellationToken cancellationToken);

    Task CreateRoutingRuleAsync(RoutingRule rule, AuditRecord? audit, CancellationToken cancellationToken);

    /// <summary>Writes the rule if its stored version equals <see cref="RoutingRule.Version"/>, else <see cref="ConcurrencyConflictException"/>.</summary>
    Task UpdateRoutingRuleAsync(RoutingRule rule, AuditRecord? audit, CancellationToken cancellationToken);

    Task<bool> DeleteRoutingRuleAsync(string merchantId, string id, AuditRecord? audit, CancellationToken cancellationToken);

    Task<RoutingRule?> GetRoutingRuleAsync(string merchantId, string id, CancellationToken cancellationToken);

    /// <summary>A merchant's rules for one mode, by ascending priority then id.</summary>
    Task<IReadOnlyList<RoutingRule>> ListRoutingRulesAsync(string merchantId, bool livemode, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the provider event <paramref name="eventId"/> arrived for the account. True the first time; false
    /// when it was already recorded (a replay). Atomic across nodes (primary key).
    /// </summary>
    Task<bool> RecordProviderWebhookEventAsync(string providerAccountId, string eventId, DateTimeOffset receivedAt, CancellationToken cancellationToken);
}
