using PaymentGateway.Core.Routing;

namespace PaymentGateway.Core.Diagnostics;

public sealed partial class InstrumentedGatewayStore
{
    public Task CreateProviderAccountAsync(ProviderAccountRecord account, CancellationToken cancellationToken) =>
        Run("CreateProviderAccount", () => inner.CreateProviderAccountAsync(account, cancellationToken));

    public Task UpdateProviderAccountAsync(ProviderAccountRecord account, CancellationToken cancellationToken) =>
        Run("UpdateProviderAccount", () => inner.UpdateProviderAccountAsync(account, cancellationToken));

    public Task<bool> DeleteProviderAccountAsync(string merchantId, string id, CancellationToken cancellationToken) =>
        Run("DeleteProviderAccount", () => inner.DeleteProviderAccountAsync(merchantId, id, cancellationToken));

    public Task<ProviderAccountRecord?> GetProviderAccountAsync(string id, CancellationToken cancellationToken) =>
        Run("GetProviderAccount", () => inner.GetProviderAccountAsync(id, cancellationToken));

    public Task<IReadOnlyList<ProviderAccountRecord>> ListProviderAccountsAsync(string merchantId, CancellationToken cancellationToken) =>
        Run("ListProviderAccounts", () => inner.ListProviderAccountsAsync(merchantId, cancellationToken));

    public Task CreateRoutingRuleAsync(RoutingRule rule, CancellationToken cancellationToken) =>
        Run("CreateRoutingRule", () => inner.CreateRoutingRuleAsync(rule, cancellationToken));

    public Task UpdateRoutingRuleAsync(RoutingRule rule, CancellationToken cancellationToken) =>
        Run("UpdateRoutingRule", () => inner.UpdateRoutingRuleAsync(rule, cancellationToken));

    public Task<bool> DeleteRoutingRuleAsync(string merchantId, string id, CancellationToken cancellationToken) =>
        Run("DeleteRoutingRule", () => inner.DeleteRoutingRuleAsync(merchantId, id, cancellationToken));

    public Task<RoutingRule?> GetRoutingRuleAsync(string merchantId, string id, CancellationToken cancellationToken) =>
        Run("GetRoutingRule", () => inner.GetRoutingRuleAsync(merchantId, id, cancellationToken));

    public Task<IReadOnlyList<RoutingRule>> ListRoutingRulesAsync(string merchantId, bool livemode, CancellationToken cancellationToken) =>
        Run("ListRoutingRules", () => inner.ListRoutingRulesAsync(merchantId, livemode, cancellationToken));

    public Task<bool> RecordProviderWebhookEventAsync(string providerAccountId, string eventId, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        Run("RecordProviderWebhookEvent", () => inner.RecordProviderWebhookEventAsync(providerAccountId, eventId, receivedAt, cancellationToken));
}
