using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary>
/// Every admin-API write (merchants, API keys, provider accounts, routing rules) and every webhook-endpoint write is
/// audited in the same transaction as the change: one entry per successful change with the actor, the request's origin
/// and a before/after summary without secrets; a refused change writes none. (That the entry and the change commit
/// together or not at all on both engines is the storage contract's <c>…_commit_with_their_audit_entry_or_not_at_all</c>.)
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class AdminAuditTests(ConsoleFixture fixture)
{
    private const string StripeKey = "sk_test_51AuditedAccountSecretValue";
    private const string RotatedStripeKey = "sk_test_51AuditedAccountRotatedValue";
    private const string StripeWebhookSecret = "whsec_AuditedProviderWebhookSecret";

    private GatewayServer Server => fixture.Server;

    private IAuditStore Audit => Server.Services.GetRequiredService<IAuditStore>();

    private GatewayClient Admin()
    {
        var admin = Server.Client(Server.AdminKey);
        admin.Http.DefaultRequestHeaders.UserAgent.ParseAdd("admin-audit-test/1.0");
        return admin;
    }

    private async Task<List<AuditEntry>> EntriesAsync(string merchantId) =>
        [.. await Audit.ListAsync(new AuditQuery { MerchantId = merchantId, Limit = 100 }, default)];

    private static AuditEntry Single(IEnumerable<AuditEntry> entries, string action, string targetId) =>
        Assert.Single(entries, e => e.Record.Action == action && e.Record.TargetId == targetId);

    [Fact]
    public async Task AdminApiWrites_EachWriteOneEntryWithActorOriginAndSummary_RefusedWritesNone_NoSecretInAnyEntry()
    {
        var admin = Admin();
        var created = await admin.PostAsync("/v1/merchants", new { name = "Audited Shop" });
        created.EnsureStatus(200);
        var merchantId = created.Str("id") ?? string.Empty;
        var merchantEntry = Single(await EntriesAsync(merchantId), AdminAudit.MerchantCreated, merchantId).Record;
        Assert.Equal(AuditActorType.AdminKey, merchantEntry.Actor.Type);
        Assert.Equal("admin", merchantEntry.Actor.Role);
        Assert.Equal("127.0.0.1", merchantEntry.Context.Ip);
        Assert.Equal("admin-audit-test/1.0", merchantEntry.Context.UserAgent);
        Assert.Equal(created.Header("Request-Id"), merchantEntry.Context.RequestId);
        Assert.Equal("Audited Shop", merchantEntry.After?["name"]);

        var key = await admin.PostAsync($"/v1/merchants/{merchantId}/api_keys", new { type = "secret", livemode = false });
        key.EnsureStatus(200);
        var secretKey = key.Str("secret") ?? string.Empty;
        Assert.Equal("secret", Single(await EntriesAsync(merchantId), AdminAudit.ApiKeyCreated, key.Str("id") ?? string.Empty).Record.After?["type"]);

        // A refused change (a credential that is not a Stripe key) is answered 400 and writes no entry.
        var before = (await EntriesAsync(merchantId)).Count;
        (await admin.PostAsync($"/v1/merchants/{merchantId}/provider_accounts", new
        {
            provider = "stripe",
            livemode = false,
            credentials = new { api_key = "not_a_stripe_key" },
        })).EnsureStatus(400);
        Assert.Equal(before, (await EntriesAsync(merchantId)).Count);

        var account = await admin.PostAsync($"/v1/merchants/{merchantId}/provider_accounts", new
        {
            provider = "stripe",
            livemode = false,
            credentials = new { api_key = StripeKey, webhook_secret = StripeWebhookSecret },
            settings = new Dictionary<string, string> { ["base_url"] = "http://127.0.0.1:9", ["raw_card_data_enabled"] = "true" },
        });
        account.EnsureStatus(200);
        var accountId = account.Str("id") ?? string.Empty;
        var accountCreated = Single(await EntriesAsync(merchantId), AdminAudit.ProviderAccountCreated, accountId).Record;
        Assert.Null(accountCreated.Before);
        Assert.Equal("api_key, webhook_secret", accountCreated.After?["credentials"]);
        Assert.Equal("http://127.0.0.1:9", accountCreated.After?["settings.base_url"]);

        (await admin.PostAsync($"/v1/merchants/{merchantId}/provider_accounts/{accountId}", new { credentials = new { api_key = RotatedStripeKey }, disabled = true }))
            .EnsureStatus(200);
        var accountUpdated = Single(await EntriesAsync(merchantId), AdminAudit.ProviderAccountUpdated, accountId).Record;
        Assert.Equal("enabled", accountUpdated.Before?["status"]);
        Assert.Equal("disabled", accountUpdated.After?["status"]);
        Assert.Equal("api_key", accountUpdated.After?["credentials_replaced"]);

        (await admin.PostAsync($"/v1/merchants/{merchantId}/provider_accounts/{accountId}", new { disabled = false })).EnsureStatus(200);
        var rule = await admin.PostAsync($"/v1/merchants/{merchantId}/routing_rules", new
        {
            livemode = false,
            priority = 5,
            conditions = new { currencies = new[] { "EUR" } },
            targets = new[] { new { provider_account = accountId, weight = 3 } },
        });
        rule.EnsureStatus(200);
        var ruleId = rule.Str("id") ?? string.Empty;
        (await admin.PostAsync($"/v1/merchants/{merchantId}/routing_rules/{ruleId}", new { priority = 7 })).EnsureStatus(200);
        (await admin.PostAsync($"/v1/merchants/{merchantId}/routing_rules/{ruleId}", new { priority = -1 })).EnsureStatus(400);
        (await admin.SendAsync(HttpMethod.Delete, $"/v1/merchants/{merchantId}/provider_accounts/{accountId}", null, null)).EnsureStatus(400); // a rule uses it
        (await admin.SendAsync(HttpMethod.Delete, $"/v1/merchants/{merchantId}/routing_rules/{ruleId}", null, null)).EnsureStatus(200);
        (await admin.SendAsync(HttpMethod.Delete, $"/v1/merchants/{merchantId}/routing_rules/{ruleId}", null, null)).EnsureStatus(404);
        (await admin.SendAsync(HttpMethod.Delete, $"/v1/merchants/{merchantId}/provider_accounts/{accountId}", null, null)).EnsureStatus(200);

        var entries = await EntriesAsync(merchantId);
        Assert.Equal("EUR", Single(entries, AdminAudit.RoutingRuleCreated, ruleId).Record.After?["conditions.currencies"]);
        Assert.Equal($"{accountId}:3", Single(entries, AdminAudit.RoutingRuleCreated, ruleId).Record.After?["targets"]);
        var ruleUpdated = Single(entries, AdminAudit.RoutingRuleUpdated, ruleId).Record;
        Assert.Equal(("5", "7"), (ruleUpdated.Before?["priority"], ruleUpdated.After?["priority"]));
        Assert.Equal("7", Single(entries, AdminAudit.RoutingRuleDeleted, ruleId).Record.Before?["priority"]);
        Assert.Equal(2, entries.Count(e => e.Record.Action == AdminAudit.ProviderAccountUpdated));
        Assert.Equal("api_key, webhook_secret", Single(entries, AdminAudit.ProviderAccountDeleted, accountId).Record.Before?["credentials"]);

        // Webhook endpoints, with the merchant's own secret key: the actor is that key (by id), never the key itself.
        var merchant = Server.Client(secretKey);
        var endpoint = await merchant.PostAsync("/v1/webhook_endpoints", new { url = "https://hooks.example.com/in?token=abc", enabled_events = new[] { "*" } });
        endpoint.EnsureStatus(200);
        var endpointId = endpoint.Str("id") ?? string.Empty;
        var webhookSecret = endpoint.Str("secret") ?? string.Empty;
        var rotated = await merchant.PostAsync($"/v1/webhook_endpoints/{endpointId}/rotate_secret", new { overlap_seconds = 60 });
        rotated.EnsureStatus(200);
        (await merchant.PostAsync($"/v1/webhook_endpoints/{endpointId}", new { disabled = true })).EnsureStatus(200);
        (await merchant.SendAsync(HttpMethod.Delete, $"/v1/webhook_endpoints/{endpointId}", null, null)).EnsureStatus(200);

        entries = await EntriesAsync(merchantId);
        var endpointCreated = Single(entries, AdminAudit.WebhookEndpointCreated, endpointId).Record;
        Assert.Equal(AuditActorType.ApiKey, endpointCreated.Actor.Type);
        Assert.Equal(key.Str("id"), endpointCreated.Actor.Id);
        Assert.Equal("https://hooks.example.com/in", endpointCreated.After?["url"]);
        Assert.Equal("rotated", Single(entries, AdminAudit.WebhookSecretRotated, endpointId).Record.After?["secret"]);
        Assert.Equal("disabled", Single(entries, AdminAudit.WebhookEndpointUpdated, endpointId).Record.After?["status"]);
        Single(entries, AdminAudit.WebhookEndpointDeleted, endpointId);

        var secrets = new[] { StripeKey, RotatedStripeKey, StripeWebhookSecret, secretKey, webhookSecret, rotated.Str("secret") ?? string.Empty, Server.AdminKey, "token=abc" };
        Assert.Equal(13, entries.Count);
        foreach (var entry in entries)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, entry.Canonical, StringComparison.Ordinal);
                Assert.DoesNotContain(secret[^8..], entry.Canonical, StringComparison.Ordinal);
            }
        }
    }
}
