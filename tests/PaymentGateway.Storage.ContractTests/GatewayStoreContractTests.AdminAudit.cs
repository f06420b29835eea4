using PaymentGateway.Core;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Storage;
using static PaymentGateway.Storage.ContractTests.TestData;

namespace PaymentGateway.Storage.ContractTests;

public abstract partial class GatewayStoreContractTests
{
    // ---------------------------------------------------------------- admin writes and their audit entries: one transaction

    private static AuditRecord AdminRecord(string action, string merchantId, string targetId) => new()
    {
        Created = T0,
        Action = action,
        Actor = AuditActor.AdminKey,
        MerchantId = merchantId,
        TargetType = action[..action.IndexOf('.', StringComparison.Ordinal)],
        TargetId = targetId,
        After = new Dictionary<string, string?> { ["name"] = "value" },
        Context = new AuditContext { Ip = "127.0.0.1", UserAgent = "contract", RequestId = "req_contract" },
    };

    private async Task<string[]> AuditIdsForAsync(string targetId) =>
        [.. (await Store.Audit.ListAsync(new AuditQuery { TargetId = targetId, Limit = 100 }, Ct)).Select(e => e.Id)];

    [StoreFact]
    public async Task Provider_account_writes_commit_with_their_audit_entry_or_not_at_all()
    {
        var merchant = NewMerchantId();
        var account = Account(merchant);
        var created = AdminRecord(AdminAudit.ProviderAccountCreated, merchant, account.Id);
        await Store.Routing.CreateProviderAccountAsync(account, created, Ct);
        Assert.Equal([created.Id], await AuditIdsForAsync(account.Id));

        var stored = await Store.Routing.GetProviderAccountAsync(account.Id, Ct);
        var stale = await Store.Routing.GetProviderAccountAsync(account.Id, Ct);
        var updated = AdminRecord(AdminAudit.ProviderAccountUpdated, merchant, account.Id);
        await Store.Routing.UpdateProviderAccountAsync(stored!, updated, Ct);
        var lost = AdminRecord(AdminAudit.ProviderAccountUpdated, merchant, account.Id);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.Routing.UpdateProviderAccountAsync(stale!, lost, Ct));
        Assert.Null(await Store.Audit.GetAsync(lost.Id, Ct));

        var wrongMerchant = AdminRecord(AdminAudit.ProviderAccountDeleted, merchant, account.Id);
        Assert.False(await Store.Routing.DeleteProviderAccountAsync(NewMerchantId(), account.Id, wrongMerchant, Ct));
        Assert.Null(await Store.Audit.GetAsync(wrongMerchant.Id, Ct));
        var deleted = AdminRecord(AdminAudit.ProviderAccountDeleted, merchant, account.Id);
        Assert.True(await Store.Routing.DeleteProviderAccountAsync(merchant, account.Id, deleted, Ct));

        Assert.Equal([deleted.Id, updated.Id, created.Id], await AuditIdsForAsync(account.Id));
    }

    [StoreFact]
    public async Task Routing_rule_writes_commit_with_their_audit_entry_or_not_at_all()
    {
        var merchant = NewMerchantId();
        var rule = Rule(merchant, 10, true, "pa_1");
        var created = AdminRecord(AdminAudit.RoutingRuleCreated, merchant, rule.Id);
        await Store.Routing.CreateRoutingRuleAsync(rule, created, Ct);

        var stale = await Store.Routing.GetRoutingRuleAsync(merchant, rule.Id, Ct);
        var updated = AdminRecord(AdminAudit.RoutingRuleUpdated, merchant, rule.Id);
        await Store.Routing.UpdateRoutingRuleAsync(rule, updated, Ct);
        var lost = AdminRecord(AdminAudit.RoutingRuleUpdated, merchant, rule.Id);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.Routing.UpdateRoutingRuleAsync(stale!, lost, Ct));

        var deleted = AdminRecord(AdminAudit.RoutingRuleDeleted, merchant, rule.Id);
        Assert.True(await Store.Routing.DeleteRoutingRuleAsync(merchant, rule.Id, deleted, Ct));
        var again = AdminRecord(AdminAudit.RoutingRuleDeleted, merchant, rule.Id);
        Assert.False(await Store.Routing.DeleteRoutingRuleAsync(merchant, rule.Id, again, Ct));

        Assert.Equal([deleted.Id, updated.Id, created.Id], await AuditIdsForAsync(rule.Id));
    }

    [StoreFact]
    public async Task Webhook_endpoint_writes_commit_with_their_audit_entry_or_not_at_all()
    {
        var merchant = NewMerchantId();
        var endpoint = Endpoint(merchant);
        var created = AdminRecord(AdminAudit.WebhookEndpointCreated, merchant, endpoint.Id);
        await Store.Webhooks.CreateWebhookEndpointAsync(endpoint, created, Ct);
        var duplicate = AdminRecord(AdminAudit.WebhookEndpointCreated, merchant, endpoint.Id);
        Assert.NotNull(await Outcome(Store.Webhooks.CreateWebhookEndpointAsync(Clone(endpoint), duplicate, Ct)));

        Assert.Null(await Store.Audit.GetAsync(duplicate.Id, Ct));

        var stale = await Store.Webhooks.GetWebhookEndpointAsync(merchant, false, endpoint.Id, Ct);
        var updated = AdminRecord(AdminAudit.WebhookEndpointUpdated, merchant, endpoint.Id);
        await Store.Webhooks.UpdateWebhookEndpointAsync(endpoint, null, updated, Ct);
        var lost = AdminRecord(AdminAudit.WebhookSecretRotated, merchant, endpoint.Id);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.Webhooks.UpdateWebhookEndpointAsync(stale!, null, lost, Ct));

        var otherMode = AdminRecord(AdminAudit.WebhookEndpointDeleted, merchant, endpoint.Id);
        Assert.False(await Store.Webhooks.DeleteWebhookEndpointAsync(merchant, true, endpoint.Id, DateTimeOffset.UtcNow, otherMode, Ct));
        var deleted = AdminRecord(AdminAudit.WebhookEndpointDeleted, merchant, endpoint.Id);
        Assert.True(await Store.Webhooks.DeleteWebhookEndpointAsync(merchant, false, endpoint.Id, DateTimeOffset.UtcNow, deleted, Ct));
        Assert.Null(await Store.Webhooks.GetWebhookEndpointAsync(merchant, false, endpoint.Id, Ct));

        Assert.Equal([deleted.Id, updated.Id, created.Id], await AuditIdsForAsync(endpoint.Id));
    }

    [StoreFact]
    public async Task A_commit_and_its_audit_records_are_written_together_or_not_at_all()
    {
        var merchant = Merchant();
        var key = ApiKey(merchant.Id);
        var merchantCreated = AdminRecord(AdminAudit.MerchantCreated, merchant.Id, merchant.Id);
        var keyCreated = AdminRecord(AdminAudit.ApiKeyCreated, merchant.Id, key.Id);
        await CommitAsync(c =>
        {
            c.NewMerchants.Add(merchant);
            c.NewApiKeys.Add(key);
            c.AuditRecords.AddRange([merchantCreated, keyCreated]);
        });
        Assert.Equal([merchantCreated.Id], await AuditIdsForAsync(merchant.Id));
        Assert.Equal([keyCreated.Id], await AuditIdsForAsync(key.Id));

        // The same merchant again: the insert fails, so its audit record is not written either.
        var duplicate = AdminRecord(AdminAudit.MerchantCreated, merchant.Id, merchant.Id);
        Assert.NotNull(await Outcome(CommitAsync(c =>
        {
            c.NewMerchants.Add(Merchant(merchant.Id));
            c.AuditRecords.Add(duplicate);
        })));
        Assert.Null(await Store.Audit.GetAsync(duplicate.Id, Ct));

        // An audit-only commit is not empty: it is written.
        var alone = AdminRecord(AdminAudit.MerchantCreated, merchant.Id, "target_alone");
        await CommitAsync(c => c.AuditRecords.Add(alone));
        Assert.Equal([alone.Id], await AuditIdsForAsync("target_alone"));
    }

    private static Core.Webhooks.WebhookEndpoint Clone(Core.Webhooks.WebhookEndpoint e) => new()
    {
        Id = e.Id,
        MerchantId = e.MerchantId,
        Livemode = e.Livemode,
        Url = e.Url,
        EnabledEvents = [.. e.EnabledEvents],
        Secrets = [.. e.Secrets],
        Created = e.Created,
        Updated = e.Updated,
    };
}
