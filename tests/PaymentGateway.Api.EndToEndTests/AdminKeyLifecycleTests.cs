using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Storage;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Named admin keys through the admin API (issue 21): create (the key once), list (hints only), roll with an overlap,
/// revoke, expiry, last use, the <c>admin_key.*</c> events and the audit entries naming the key that acted, on the
/// shared SQLite gateway; and a gateway that accepts named admin keys only.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class AdminKeyLifecycleTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    private GatewayClient Admin => Server.Client(Server.AdminKey);

    internal static async Task<(string Id, string Secret)> CreateAdminKeyAsync(GatewayClient admin, string name, object? extra = null)
    {
        var created = (await admin.PostAsync("/v1/admin_keys", extra ?? new { name })).EnsureStatus(200);
        return (Text(created, "id"), Text(created, "secret"));
    }

    internal static string Text(ApiResponse response, string property) =>
        response.Str(property) ?? throw new InvalidOperationException($"no {property} in {response.Body}");

    private static async Task<bool> WorksAsync(GatewayServer server, string key) =>
        (await server.Client(key).GetAsync("/v1/merchants")).Status == 200;

    private static async Task<JsonElement> AdminKeyAsync(GatewayClient admin, string id) =>
        (await admin.GetAsync($"/v1/admin_keys/{id}")).EnsureStatus(200).Json;

    [Fact]
    public async Task CreateAdminKey_AuthenticatesTheAdminApi_ListShowsHintsOnly_AndTheAuditNamesTheKey()
    {
        var created = (await Admin.PostAsync("/v1/admin_keys", new { name = "deploy pipeline" })).EnsureStatus(200);
        var secret = Text(created, "secret");
        var id = Text(created, "id");
        Assert.StartsWith("adk_", id, StringComparison.Ordinal);
        Assert.StartsWith(AdminKeyService.SecretPrefix, secret, StringComparison.Ordinal);
        Assert.Equal("admin_key", Text(created, "object"));
        Assert.Equal("active", Text(created, "status"));
        Assert.Equal("adm_…" + secret[^4..], Text(created, "hint"));

        // The named key is an admin key: it creates a merchant, and the audit entry names it (by id, never the key).
        var named = Server.Client(secret);
        var merchant = (await named.PostAsync("/v1/merchants", new { name = "Made by a named admin key" })).EnsureStatus(200).Str("id");
        var audit = await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { TargetId = merchant }, CancellationToken.None);
        Assert.Equal(id, Assert.Single(audit).Record.Actor.Id);
        Assert.DoesNotContain(secret, Assert.Single(audit).Canonical, StringComparison.Ordinal);

        // It is not a merchant key, and a merchant key is not an admin key.
        Problem.Assert(await named.GetAsync("/v1/payments"), 401, "api_key_invalid");
        var merchantKeys = await Server.CreateMerchantAsync();
        Problem.Assert(await Server.Client(merchantKeys.SecretKey).GetAsync("/v1/admin_keys"), 403, "admin_key_required");

        // The list (newest first) and one key: hints, status, name and last use; never the key or a part of it.
        var list = (await named.GetAsync("/v1/admin_keys")).EnsureStatus(200);
        var listed = list.Json.GetProperty("data").EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.Equal("deploy pipeline", listed.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("secret").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("last_used_at").ValueKind);
        Assert.DoesNotContain(secret, list.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[8..], list.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[8..], (await named.GetAsync($"/v1/admin_keys/{id}")).EnsureStatus(200).Body, StringComparison.Ordinal);

        Problem.Assert(await Admin.PostAsync("/v1/admin_keys", new { }), 400, "parameter_missing");
        Problem.Assert(await Admin.PostAsync("/v1/admin_keys", new { name = new string('n', 101) }), 400, "parameter_invalid");
        Problem.Assert(await Admin.GetAsync("/v1/admin_keys/adk_unknown"), 404, "resource_missing");
        Problem.Assert(await Server.Client(null).GetAsync("/v1/admin_keys"), 401, "authentication_required");
    }

    [Fact]
    public async Task RollAdminKey_BothKeysWorkDuringTheOverlap_ThenTheOldOneExpires()
    {
        var (oldId, oldSecret) = await CreateAdminKeyAsync(Admin, "on-call");
        Assert.True(await WorksAsync(Server, oldSecret)); // cached on this node now

        // A named key may roll itself.
        var rolled = (await Server.Client(oldSecret).PostAsync($"/v1/admin_keys/{oldId}/roll", new { overlap_seconds = 3 })).EnsureStatus(200);
        var newSecret = Text(rolled, "secret");
        Assert.Equal(oldId, Text(rolled, "rolled_from"));
        Assert.Equal("on-call", Text(rolled, "name"));
        Assert.True(await WorksAsync(Server, newSecret));
        Assert.True(await WorksAsync(Server, oldSecret), "the old key works during the overlap");
        var during = await AdminKeyAsync(Admin, oldId);
        Assert.Equal(Text(rolled, "id"), during.GetProperty("replaced_by").GetString());
        Assert.Equal("active", during.GetProperty("status").GetString());

        await Task.Delay(TimeSpan.FromSeconds(3.5));
        Problem.Assert(await Server.Client(oldSecret).GetAsync("/v1/merchants"), 401, "api_key_invalid");
        Assert.True(await WorksAsync(Server, newSecret));
        Assert.Equal("expired", (await AdminKeyAsync(Admin, oldId)).GetProperty("status").GetString());
        Problem.Assert(await Admin.PostAsync($"/v1/admin_keys/{oldId}/roll", new { overlap_seconds = 0 }), 409, "api_key_revoked");
        Problem.Assert(await Admin.PostAsync($"/v1/admin_keys/{Text(rolled, "id")}/roll", new { overlap_seconds = 604801 }), 400, "parameter_invalid");
    }

    [Fact]
    public async Task RevokeAdminKey_IsRefusedAtOnce_WritesTheEventsAndTheAuditEntry_AndIsIdempotent()
    {
        var (id, secret) = await CreateAdminKeyAsync(Admin, "leaked laptop");
        Assert.True(await WorksAsync(Server, secret)); // cached on this node now

        var revoked = (await Admin.PostAsync($"/v1/admin_keys/{id}/revoke", null)).EnsureStatus(200);
        Assert.Equal("revoked", Text(revoked, "status"));
        Problem.Assert(await Server.Client(secret).GetAsync("/v1/merchants"), 401, "api_key_invalid");
        var again = (await Admin.PostAsync($"/v1/admin_keys/{id}/revoke", null)).EnsureStatus(200);
        Assert.Equal(Text(revoked, "revoked_at"), Text(again, "revoked_at"));
        Problem.Assert(await Admin.PostAsync($"/v1/admin_keys/{id}/roll", new { }), 409, "api_key_revoked");
        Problem.Assert(await Admin.PostAsync("/v1/admin_keys/adk_unknown/revoke", null), 404, "resource_missing");

        // The events (created, revoked once), newest first, hint only; no merchant sees them.
        var events = (await Admin.GetAsync($"/v1/admin_keys/events?object_id={id}")).EnsureStatus(200);
        Assert.Equal(["admin_key.revoked", "admin_key.created"],
            events.Json.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.DoesNotContain(secret, events.Body, StringComparison.Ordinal);
        var merchant = await Server.CreateMerchantAsync();
        var merchantEvents = (await Server.Client(merchant.SecretKey).GetAsync("/v1/events?limit=100")).EnsureStatus(200);
        Assert.DoesNotContain(id, merchantEvents.Body, StringComparison.Ordinal);
        Problem.Assert(await Server.Client(merchant.SecretKey).PostAsync("/v1/webhook_endpoints",
            new { url = "http://127.0.0.1:9/hook", enabled_events = new[] { "admin_key.revoked" } }), 400, "event_type_unknown");

        // The audit entries: created and revoked by the configured key, with before/after, never the key.
        var audit = await Server.Services.GetRequiredService<IAuditStore>().ListAsync(new AuditQuery { TargetId = id }, CancellationToken.None);
        Assert.Equal([AdminKeyService.RevokedAction, AdminKeyService.CreatedAction], audit.Select(a => a.Record.Action));
        var entry = audit[0];
        Assert.Equal("admin_key", entry.Record.Actor.Id);
        Assert.Equal("active", entry.Record.Before?["status"]);
        Assert.Equal("revoked", entry.Record.After?["status"]);
        Assert.All(audit, a => Assert.DoesNotContain(secret[4..], a.Canonical, StringComparison.Ordinal));
    }

    /// <summary>
    /// The runbook's key commands (docs/operations.md, "API keys and the admin key"), run as written by bash and curl
    /// against this gateway: only <c>$ADMIN</c>, <c>$GW</c>, <c>$M</c> and the <c>key_…</c> / <c>adk_…</c> placeholders are
    /// filled in. <c>curl -f</c> fails on any 4xx or 5xx.
    /// </summary>
    [ToolFact("curl", "bash")]
    public async Task Runbook_KeyCommands_RunAsWrittenAgainstTheGateway()
    {
        var merchant = await Server.CreateMerchantAsync();
        var keyId = (await ApiKeyLifecycleTests.KeyOfAsync(Admin, merchant.Id, merchant.SecretKey[^4..])).GetProperty("id").GetString() ?? "";
        var (adminKeyId, _) = await CreateAdminKeyAsync(Admin, "runbook");
        var commands = RunbookKeyCommands();
        Assert.Equal(9, commands.Count);
        Assert.Contains(commands, c => c.Contains("/v1/admin_keys/adk_…/revoke", StringComparison.Ordinal));
        var environment = new Dictionary<string, string>
        {
            ["ADMIN"] = "Authorization: Bearer " + Server.AdminKey,
            ["GW"] = Server.BaseAddress.ToString().TrimEnd('/'),
            ["M"] = merchant.Id,
        };
        var log = Path.Combine(Server.DataDirectory, "runbook-curl.log");
        foreach (var command in commands)
        {
            var filled = command.Replace("key_…", keyId, StringComparison.Ordinal).Replace("adk_…", adminKeyId, StringComparison.Ordinal);
            var (exit, output) = await ExternalProcess.RunAsync("bash", ["-c", filled], log, environment);
            Assert.True(exit == 0, $"{filled}\n{output}");
        }

        Assert.Equal("revoked", (await AdminKeyAsync(Admin, adminKeyId)).GetProperty("status").GetString());
        Assert.Equal("revoked", (await ApiKeyLifecycleTests.KeyOfAsync(Admin, merchant.Id, merchant.SecretKey[^4..])).GetProperty("status").GetString());
    }

    /// <summary>The <c>curl</c> lines of the runbook's keys section, continuation lines joined.</summary>
    private static List<string> RunbookKeyCommands()
    {
        var text = File.ReadAllText(RepositoryFiles.RootPath("docs/operations.md"));
        var start = text.IndexOf("## API keys and the admin key", StringComparison.Ordinal);
        var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return text[start..end].Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
            .Select(l => l.Trim()).Where(l => l.StartsWith("curl ", StringComparison.Ordinal)).ToList();
    }

    [Fact]
    public async Task CreateAdminKey_WithExpiry_IsRefusedAfterIt_AndAPastExpiryIsRefused()
    {
        Problem.Assert(await Admin.PostAsync("/v1/admin_keys", new { name = "past", expires_at = DateTimeOffset.UtcNow.AddMinutes(-1) }), 400, "parameter_invalid");
        var (id, secret) = await CreateAdminKeyAsync(Admin, "contractor", new { name = "contractor", expires_at = DateTimeOffset.UtcNow.AddSeconds(2) });
        Assert.True(await WorksAsync(Server, secret));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Problem.Assert(await Server.Client(secret).GetAsync("/v1/merchants"), 401, "api_key_invalid");
        Assert.Equal("expired", (await AdminKeyAsync(Admin, id)).GetProperty("status").GetString());
    }
}

/// <summary>Moving off the configured admin key: with <c>NamedAdminKeysOnly</c> the configured key is refused and a named one works.</summary>
public sealed class NamedAdminKeysOnlyTests
{
    [Fact]
    public async Task NamedAdminKeysOnly_RefusesTheConfiguredKey_AndAcceptsANamedOne()
    {
        string dataDirectory;
        string configured;
        string named;
        await using (var first = await GatewayServer.StartAsync())
        {
            (_, named) = await AdminKeyLifecycleTests.CreateAdminKeyAsync(first.Client(first.AdminKey), "operator");
            dataDirectory = first.DataDirectory;
            configured = first.AdminKey;
        }

        await using var second = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["PaymentGateway:DataDirectory"] = dataDirectory,
            ["PaymentGateway:AdminKey"] = configured, // still in the environment, and refused
            ["PaymentGateway:NamedAdminKeysOnly"] = "true",
        });
        Problem.Assert(await second.Client(configured).GetAsync("/v1/merchants"), 401, "api_key_invalid");
        (await second.Client(named).GetAsync("/v1/merchants")).EnsureStatus(200);
    }
}

/// <summary>Two gateway nodes on one PostgreSQL database: an admin key revoked through one is refused by the other at once (its notification, well before the cache lifetime).</summary>
public sealed class AdminKeyRevocationAcrossNodesTests() : TwoPostgresNodes("pg_admkeys_")
{
    [MultiNodePostgresFact]
    public async Task RevokeAdminKeyOnOneNode_IsRefusedByTheOtherNodeAtOnce_AndARollOverlapsOnBoth()
    {
        var (a, b) = (A, B);
        var (id, secret) = await AdminKeyLifecycleTests.CreateAdminKeyAsync(a.Client(AdminKey), "ops team");
        (await b.Client(secret).GetAsync("/v1/merchants")).EnsureStatus(200); // node B has the key in its cache now

        // Roll on A with an overlap: both keys work on both nodes.
        var rolled = (await a.Client(secret).PostAsync($"/v1/admin_keys/{id}/roll", new { overlap_seconds = 600 })).EnsureStatus(200);
        var replacement = AdminKeyLifecycleTests.Text(rolled, "secret");
        foreach (var node in new[] { a, b })
        {
            (await node.Client(secret).GetAsync("/v1/merchants")).EnsureStatus(200);
            (await node.Client(replacement).GetAsync("/v1/merchants")).EnsureStatus(200);
        }

        // Revoke the old key on A: refused there at once, on B within a second (the cache lifetime is 5 s).
        (await a.Client(replacement).PostAsync($"/v1/admin_keys/{id}/revoke", null)).EnsureStatus(200);
        Problem.Assert(await a.Client(secret).GetAsync("/v1/merchants"), 401, "api_key_invalid");
        var revokedAt = DateTimeOffset.UtcNow;
        while ((await b.Client(secret).GetAsync("/v1/merchants")).Status == 200)
        {
            Assert.True(DateTimeOffset.UtcNow - revokedAt < TimeSpan.FromSeconds(1), "node B still accepts the revoked admin key");
            await Task.Delay(20);
        }

        Problem.Assert(await b.Client(secret).GetAsync("/v1/merchants"), 401, "api_key_invalid");
        (await b.Client(replacement).GetAsync("/v1/merchants")).EnsureStatus(200);
        Assert.Equal("revoked", (await b.Client(replacement).GetAsync($"/v1/admin_keys/{id}")).EnsureStatus(200).Json.GetProperty("status").GetString());
    }
}
