using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// API keys through the admin API (issue 21): list (hints only), roll with an overlap, revoke, expiry, last use,
/// the <c>api_key.*</c> events and the audit entries, on the shared SQLite gateway.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ApiKeyLifecycleTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    private GatewayClient Admin => Server.Client(Server.AdminKey);

    internal static async Task<JsonElement> KeyOfAsync(GatewayClient admin, string merchantId, string hintSuffix)
    {
        var list = (await admin.GetAsync($"/v1/merchants/{merchantId}/api_keys")).EnsureStatus(200);
        return list.Json.GetProperty("data").EnumerateArray().Single(k => k.GetProperty("hint").GetString()?.EndsWith(hintSuffix, StringComparison.Ordinal) == true);
    }

    private static async Task<bool> WorksAsync(GatewayServer server, string key) =>
        (await server.Client(key).GetAsync("/v1/payments?limit=1")).Status == 200;

    [Fact]
    public async Task ListApiKeys_ShowsHintsStatusAndName_NeverASecret()
    {
        var merchant = await Server.CreateMerchantAsync();
        var named = (await Admin.PostAsync($"/v1/merchants/{merchant.Id}/api_keys", new { type = "secret", name = "order service" })).EnsureStatus(200);
        var namedSecret = named.Json.GetProperty("secret").GetString() ?? throw new InvalidOperationException();

        var list = (await Admin.GetAsync($"/v1/merchants/{merchant.Id}/api_keys")).EnsureStatus(200);
        var keys = list.Json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(3, keys.Count);
        Assert.Equal(named.Json.GetProperty("id").GetString(), keys[0].GetProperty("id").GetString()); // newest first
        Assert.Equal("order service", keys[0].GetProperty("name").GetString());
        Assert.All(keys, k => Assert.Equal(JsonValueKind.Null, k.GetProperty("secret").ValueKind));
        Assert.All(keys, k => Assert.Equal("active", k.GetProperty("status").GetString()));
        Assert.Equal("sk_test_…" + namedSecret[^4..], keys[0].GetProperty("hint").GetString());
        foreach (var secret in new[] { merchant.SecretKey, merchant.PublishableKey, namedSecret })
        {
            Assert.DoesNotContain(secret, list.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(secret[8..], list.Body, StringComparison.Ordinal);
        }

        Problem.Assert(await Admin.GetAsync("/v1/merchants/mer_unknown/api_keys"), 404, "resource_missing");
        Problem.Assert(await Server.Client(merchant.SecretKey).GetAsync($"/v1/merchants/{merchant.Id}/api_keys"), 403, "admin_key_required");
    }

    [Fact]
    public async Task RollApiKey_BothKeysWorkDuringTheOverlap_ThenTheOldOneExpires()
    {
        var merchant = await Server.CreateMerchantAsync();
        var old = await KeyOfAsync(Admin, merchant.Id, merchant.SecretKey[^4..]);
        var oldId = old.GetProperty("id").GetString();

        var rolled = (await Admin.PostAsync($"/v1/merchants/{merchant.Id}/api_keys/{oldId}/roll", new { overlap_seconds = 3 })).EnsureStatus(200);
        var newSecret = rolled.Json.GetProperty("secret").GetString() ?? throw new InvalidOperationException();
        Assert.StartsWith("sk_test_", newSecret, StringComparison.Ordinal);
        Assert.Equal(oldId, rolled.Json.GetProperty("rolled_from").GetString());

        Assert.True(await WorksAsync(Server, newSecret));
        Assert.True(await WorksAsync(Server, merchant.SecretKey), "the old key works during the overlap");
        var during = await KeyOfAsync(Admin, merchant.Id, merchant.SecretKey[^4..]);
        Assert.Equal(rolled.Json.GetProperty("id").GetString(), during.GetProperty("replaced_by").GetString());
        Assert.Equal("active", during.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, during.GetProperty("expires_at").ValueKind);

        await Task.Delay(TimeSpan.FromSeconds(3.5));
        Problem.Assert(await Server.Client(merchant.SecretKey).GetAsync("/v1/payments"), 401, "api_key_invalid");
        Assert.True(await WorksAsync(Server, newSecret));
        Assert.Equal("expired", (await KeyOfAsync(Admin, merchant.Id, merchant.SecretKey[^4..])).GetProperty("status").GetString());

        // An expired key cannot be rolled again, and the overlap is bounded.
        Problem.Assert(await Admin.PostAsync($"/v1/merchants/{merchant.Id}/api_keys/{oldId}/roll", new { overlap_seconds = 0 }), 409, "api_key_revoked");
        var newId = rolled.Json.GetProperty("id").GetString();
        Problem.Assert(await Admin.PostAsync($"/v1/merchants/{merchant.Id}/api_keys/{newId}/roll", new { overlap_seconds = 604801 }), 400, "parameter_invalid");
    }

    [Fact]
    public async Task RevokeApiKey_IsRefusedAtOnce_WritesTheEventAndTheAuditEntry_AndIsIdempotent()
    {
        var merchant = await Server.CreateMerchantAsync();
        Assert.True(await WorksAsync(Server, merchant.SecretKey)); // cached on this node now
        var key = await KeyOfAsync(Admin, merchant.Id, merchant.SecretKey[^4..]);
        var keyId = key.GetProperty("id").GetString() ?? throw new InvalidOperationException();

        var revoked = (await Admin.PostAsync($"/v1/merchants/{merchant.Id}/api_keys/{keyId}/revoke", null)).EnsureStatus(200);
        Assert.Equal("revoked", revoked.Json.GetProperty("status").GetString());
        Problem.Assert(await Server.Client(merchant.SecretKey).GetAsync("/v1/payments"), 401, "api_key_invalid");

        var again = (await Admin.PostAsync($"/v1/merchants/{merchant.Id}/api_keys/{keyId}/revoke", null)).EnsureStatus(200);
        Assert.Equal(revoked.Json.GetProperty("revoked_at").GetString(), again.Json.GetProperty("revoked_at").GetString());
        Problem.Assert(await Admin.PostAsync($"/v1/merchants/{merchant.Id}/api_keys/{keyId}/roll", new { }), 409, "api_key_revoked");
        Problem.Assert(await Admin.PostAsync($"/v1/merchants/{merchant.Id}/api_keys/key_unknown/revoke", null), 404, "resource_missing");

        // The merchant sees the key's events (created, revoked once) through another key; they carry the hint only.
        var fresh = (await Admin.PostAsync($"/v1/merchants/{merchant.Id}/api_keys", new { type = "secret" })).EnsureStatus(200);
        var events = (await Server.Client(fresh.Json.GetProperty("secret").GetString()).GetAsync("/v1/events?limit=100")).EnsureStatus(200);
        var types = events.Json.GetProperty("data").EnumerateArray()
            .Where(e => e.GetProperty("data").TryGetProperty("id", out var id) && id.GetString() == keyId)
            .Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["api_key.revoked", "api_key.created"], types); // newest first; the second revoke wrote none
        Assert.DoesNotContain(merchant.SecretKey, events.Body, StringComparison.Ordinal);

        var audit = await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { TargetId = keyId }, CancellationToken.None);
        var entry = Assert.Single(audit, a => a.Record.Action == ApiKeyService.RevokedAction);
        Assert.Equal("admin_key", entry.Record.Actor.Id);
        Assert.Equal(merchant.Id, entry.Record.MerchantId);
        Assert.Equal("revoked", entry.Record.After?["status"]);
        Assert.DoesNotContain(merchant.SecretKey, entry.Canonical, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateApiKey_WithExpiry_StopsWorkingThen_AndAPastExpiryIsRefused()
    {
        var merchant = await Server.CreateMerchantAsync();
        Problem.Assert(await Admin.PostAsync($"/v1/merchants/{merchant.Id}/api_keys", new { type = "secret", expires_at = DateTimeOffset.UtcNow.AddMinutes(-1) }), 400, "parameter_invalid");
        var expiring = (await Admin.PostAsync($"/v1/merchants/{merchant.Id}/api_keys", new { type = "secret", expires_at = DateTimeOffset.UtcNow.AddSeconds(2) })).EnsureStatus(200);
        var secret = expiring.Json.GetProperty("secret").GetString() ?? throw new InvalidOperationException();
        Assert.True(await WorksAsync(Server, secret));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Problem.Assert(await Server.Client(secret).GetAsync("/v1/payments"), 401, "api_key_invalid");
    }

    [Fact]
    public async Task LastUsed_IsRecordedOnFirstUse_AndNotRewrittenByEveryRequest()
    {
        var merchant = await Server.CreateMerchantAsync();
        Assert.Equal(JsonValueKind.Null, (await KeyOfAsync(Admin, merchant.Id, merchant.SecretKey[^4..])).GetProperty("last_used_at").ValueKind);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        Assert.True(await WorksAsync(Server, merchant.SecretKey));
        var first = (await KeyOfAsync(Admin, merchant.Id, merchant.SecretKey[^4..])).GetProperty("last_used_at").GetDateTimeOffset();
        Assert.InRange(first, before, DateTimeOffset.UtcNow.AddSeconds(1));

        await Task.Delay(TimeSpan.FromSeconds(1.1));
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await WorksAsync(Server, merchant.SecretKey));
        }

        // Written at most once a minute per key and node: five more requests a second later left it as it was.
        Assert.Equal(first, (await KeyOfAsync(Admin, merchant.Id, merchant.SecretKey[^4..])).GetProperty("last_used_at").GetDateTimeOffset());
        Assert.Equal(TimeSpan.FromMinutes(1), ApiKeyCache.LastUsedResolution);
    }
}

/// <summary>Two gateway nodes on one PostgreSQL database: a key revoked through one is refused by the other within seconds.</summary>
public sealed class ApiKeyRevocationAcrossNodesTests() : TwoPostgresNodes("pg_keys_")
{
    [MultiNodePostgresFact]
    public async Task RevokeOnOneNode_IsRefusedByTheOtherNodeWithinTheCacheLifetime()
    {
        var (a, b) = (A, B);
        var admin = a.Client(AdminKey);
        var merchant = (await admin.PostAsync("/v1/merchants", new { name = "Two-node keys" })).EnsureStatus(200).Json.GetProperty("id").GetString() ?? "";
        var created = (await admin.PostAsync($"/v1/merchants/{merchant}/api_keys", new { type = "secret" })).EnsureStatus(200);
        var secret = created.Json.GetProperty("secret").GetString() ?? throw new InvalidOperationException();
        var keyId = created.Json.GetProperty("id").GetString();

        (await b.Client(secret).GetAsync("/v1/payments")).EnsureStatus(200); // node B has the key in its cache now
        (await admin.PostAsync($"/v1/merchants/{merchant}/api_keys/{keyId}/revoke", null)).EnsureStatus(200);
        Problem.Assert(await a.Client(secret).GetAsync("/v1/payments"), 401, "api_key_invalid"); // at once where revoked

        var revokedAt = DateTimeOffset.UtcNow;
        while ((await b.Client(secret).GetAsync("/v1/payments")).Status == 200)
        {
            Assert.True(DateTimeOffset.UtcNow - revokedAt < ApiKeyCache.Lifetime + TimeSpan.FromSeconds(2), "node B still accepts the revoked key");
            await Task.Delay(200);
        }

        Problem.Assert(await b.Client(secret).GetAsync("/v1/payments"), 401, "api_key_invalid");
        Assert.Equal("revoked", (await b.Client(AdminKey).GetAsync($"/v1/merchants/{merchant}/api_keys/{keyId}")).EnsureStatus(200).Json.GetProperty("status").GetString());
    }
}
