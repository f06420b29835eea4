using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;
using PaymentGateway.Storage.Postgres;

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

/// <summary>
/// Two gateway nodes on one PostgreSQL database: a key revoked (or rolled with no overlap) through one is refused by the
/// other on its very next request, well before the cache lifetime — the change's notification evicts it there
/// (<see cref="PostgresKeyChangeListener"/>) — also after the listener's connection was cut and came back.
/// </summary>
public sealed class ApiKeyRevocationAcrossNodesTests() : TwoPostgresNodes("pg_keys_")
{
    /// <summary>Far below <see cref="ApiKeyCache.Lifetime"/> (5 s): only the notification can make it.</summary>
    private static readonly TimeSpan Instant = TimeSpan.FromSeconds(1);

    [MultiNodePostgresFact]
    public async Task RevokeOnOneNode_IsRefusedByTheOtherNodeAtOnce()
    {
        var (merchant, keyId, secret) = await NewKeyAsync("Two-node keys");

        (await B.Client(secret).GetAsync("/v1/payments")).EnsureStatus(200); // node B has the key in its cache now
        (await A.Client(AdminKey).PostAsync($"/v1/merchants/{merchant}/api_keys/{keyId}/revoke", null)).EnsureStatus(200);
        Problem.Assert(await A.Client(secret).GetAsync("/v1/payments"), 401, "api_key_invalid"); // at once where revoked

        await AssertRefusedByBWithinAsync(secret, Instant);
        Assert.Equal("revoked", (await B.Client(AdminKey).GetAsync($"/v1/merchants/{merchant}/api_keys/{keyId}")).EnsureStatus(200).Json.GetProperty("status").GetString());
    }

    [MultiNodePostgresFact]
    public async Task RollWithoutOverlapOnOneNode_EndsTheOldKeyOnTheOtherNodeAtOnce()
    {
        var (merchant, keyId, secret) = await NewKeyAsync("Two-node roll");

        (await B.Client(secret).GetAsync("/v1/payments")).EnsureStatus(200);
        var rolled = (await A.Client(AdminKey).PostAsync($"/v1/merchants/{merchant}/api_keys/{keyId}/roll", new { overlap_seconds = 0 })).EnsureStatus(200);
        var replacement = rolled.Json.GetProperty("secret").GetString() ?? throw new InvalidOperationException();

        await AssertRefusedByBWithinAsync(secret, Instant);
        (await B.Client(replacement).GetAsync("/v1/payments")).EnsureStatus(200);
    }

    [MultiNodePostgresFact]
    public async Task AfterTheListenerLostItsConnection_ItReconnectsAndRevokesAreInstantAgain()
    {
        var (merchant, keyId, secret) = await NewKeyAsync("Two-node reconnect");
        (await B.Client(secret).GetAsync("/v1/payments")).EnsureStatus(200);

        // Cut both nodes' listener connections (as a failover or a network cut would), then wait until they are back.
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database;
        await using var sql = new NpgsqlConnection(ConnectionString);
        await sql.OpenAsync();
        async Task<long> ListenersAsync(string query)
        {
            await using var command = new NpgsqlCommand(query, sql);
            command.Parameters.AddWithValue("db", database ?? "");
            command.Parameters.AddWithValue("app", PostgresKeyChangeListener.ApplicationName);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(2, await ListenersAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = @db AND application_name = @app;"));
        var pidsBefore = await ListenersAsync("SELECT coalesce(sum(pid), 0) FROM pg_stat_activity WHERE datname = @db AND application_name = @app;");
        Assert.Equal(2, await ListenersAsync("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @db AND application_name = @app;"));
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        while (await ListenersAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = @db AND application_name = @app AND query LIKE 'LISTEN%';") < 2
            || await ListenersAsync("SELECT coalesce(sum(pid), 0) FROM pg_stat_activity WHERE datname = @db AND application_name = @app;") == pidsBefore)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the key listeners did not reconnect");
            await Task.Delay(100);
        }

        (await B.Client(secret).GetAsync("/v1/payments")).EnsureStatus(200); // cached again on B, after the reconnect
        (await A.Client(AdminKey).PostAsync($"/v1/merchants/{merchant}/api_keys/{keyId}/revoke", null)).EnsureStatus(200);
        await AssertRefusedByBWithinAsync(secret, Instant);
    }

    private async Task<(string Merchant, string KeyId, string Secret)> NewKeyAsync(string name)
    {
        var admin = A.Client(AdminKey);
        var merchant = (await admin.PostAsync("/v1/merchants", new { name })).EnsureStatus(200).Json.GetProperty("id").GetString() ?? "";
        var created = (await admin.PostAsync($"/v1/merchants/{merchant}/api_keys", new { type = "secret" })).EnsureStatus(200);
        return (merchant, created.Json.GetProperty("id").GetString() ?? "", created.Json.GetProperty("secret").GetString() ?? throw new InvalidOperationException());
    }

    /// <summary>Polls node B every 20 ms: the key must be refused (401) before <paramref name="within"/> has passed.</summary>
    private async Task AssertRefusedByBWithinAsync(string secret, TimeSpan within)
    {
        var changed = DateTimeOffset.UtcNow;
        while ((await B.Client(secret).GetAsync("/v1/payments")).Status == 200)
        {
            Assert.True(DateTimeOffset.UtcNow - changed < within, $"node B still accepts the key {within.TotalMilliseconds} ms after the change");
            await Task.Delay(20);
        }

        Assert.True(within < ApiKeyCache.Lifetime);
        Problem.Assert(await B.Client(secret).GetAsync("/v1/payments"), 401, "api_key_invalid");
    }
}
