using System.Text.Json;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.Audit;
using PaymentGateway.Core.BackOffice;
using PaymentGateway.Host.Commands;

namespace PaymentGateway.Api.EndToEndTests.Console;

/// <summary><c>GET /v1/audit_entries</c> (admin key only, filters, cursor paging) and the <c>host</c> commands.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AuditApiTests(ConsoleFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task AuditEntries_AdminKeyListsNewestFirstWithCursorPaging_OthersAreRefused()
    {
        var viewer = await ConsoleUsers.CreateAsync(Server, ConsoleRole.Viewer, fixture.MerchantId);
        using (await ConsoleUsers.SignedInAsync(Server, viewer))
        {
        }

        using (await ConsoleUsers.SignedInAsync(Server, viewer))
        {
        }

        var admin = Server.Client(Server.AdminKey);
        var first = await admin.GetAsync($"/v1/audit_entries?actor={viewer.Id}&action=console.sign_in&limit=1");
        first.EnsureStatus(200);
        var data = first.Json.GetProperty("data");
        Assert.Equal(1, data.GetArrayLength());
        Assert.True(first.Json.GetProperty("has_more").GetBoolean());
        var entry = data[0];
        Assert.Equal("audit_entry", entry.GetProperty("object").GetString());
        Assert.Equal("console.sign_in", entry.GetProperty("action").GetString());
        Assert.Equal(viewer.Id, entry.GetProperty("actor").GetProperty("id").GetString());
        Assert.Equal(64, entry.GetProperty("hash").GetString()?.Length);
        var second = await admin.GetAsync($"/v1/audit_entries?actor={viewer.Id}&action=console.sign_in&limit=1&starting_after={entry.GetProperty("id").GetString()}");
        second.EnsureStatus(200);
        Assert.True(second.Json.GetProperty("data")[0].GetProperty("sequence").GetInt64() < entry.GetProperty("sequence").GetInt64());

        var merchant = await Server.CreateMerchantAsync();
        (await Server.Client(merchant.SecretKey).GetAsync("/v1/audit_entries")).EnsureStatus(403);
        (await Server.Client(null).GetAsync("/v1/audit_entries")).EnsureStatus(401);
        var bad = await admin.GetAsync("/v1/audit_entries?starting_after=pay_nope");
        bad.EnsureStatus(400);
        Assert.Equal("starting_after", bad.Str("param"));
    }

    [Fact]
    public async Task HostCommands_CreateOwnerPrintsAWorkingOneTimeLink_AndAuditVerifyChecksTheChain()
    {
        await using var server = await GatewayServer.StartAsync();
        var settings = new[] { $"--PaymentGateway:DataDirectory={server.DataDirectory}", $"--PaymentGateway:PublicBaseUrl={server.BaseAddress.ToString().TrimEnd('/')}", "--PaymentGateway:GrpcUrl=" };
        var output = new StringWriter();

        var created = await HostCommands.RunAsync(["host", "create-owner", "--email", "boss@example.com", .. settings], output);
        var verify = new StringWriter();
        var verified = await HostCommands.RunAsync(["host", "audit", "verify", .. settings], verify);
        var usage = await HostCommands.RunAsync(["host", "create-owner"], new StringWriter());

        Assert.Equal(0, created);
        var link = System.Text.RegularExpressions.Regex.Match(output.ToString(), "(/console/join\\?token=[A-Za-z0-9_-]+)").Value;
        using var client = new ConsoleClient(server.BaseAddress);
        var join = await client.GetAsync(link);
        Assert.Equal(200, join.Status);
        Assert.Contains("boss@example.com", join.Body, StringComparison.Ordinal);
        Assert.Contains("owner of every merchant", join.Body, StringComparison.Ordinal);
        Assert.Equal(0, verified);
        Assert.Matches("audit chain valid: [1-9][0-9]* entries", verify.ToString());
        Assert.Equal(2, usage);
    }
}
