using PaymentGateway.Api.EndToEndTests.Infrastructure;
using static PaymentGateway.Api.EndToEndTests.Infrastructure.SavedCardSteps;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// A card saved through one provider account, charged off session through another by routing or failover: the target
/// gets the series' network transaction id (the simulator accepts one from any account and checks it belongs to the
/// card). Two test-mode simulator accounts stand for two acquirers (docs/saved-cards.md, "Portability").
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SavedCardPortabilityTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    private GatewayClient Admin => Server.Client(Server.AdminKey);

    [Fact]
    public async Task CardSavedThroughAccountA_IsChargedOffSessionThroughAccountB_AfterTheRoutingChanges()
    {
        var merchant = await Server.CreateMerchantAsync("Portable");
        var a = await SimulatorAccountAsync(merchant.Id);
        var b = await SimulatorAccountAsync(merchant.Id);
        var rule = await RuleAsync(merchant.Id, a);
        var customer = await CustomerAsync(Server, merchant);
        var (saved, pm) = await SaveCardAsync(Server, merchant, customer, TestCards.MitApproved);
        Assert.Equal([a], AttemptAccounts(saved));

        (await Admin.PostAsync($"/v1/merchants/{merchant.Id}/routing_rules/{rule}", new { targets = new[] { new { provider_account = b, weight = 1 } } })).EnsureStatus(200);
        var first = (await ChargeOffSessionAsync(Server, merchant, customer, pm)).EnsureStatus(200);
        var second = (await ChargeOffSessionAsync(Server, merchant, customer, pm)).EnsureStatus(200);

        Assert.Equal("succeeded", first.Str("status"));
        Assert.Equal([b], AttemptAccounts(first));
        Assert.Equal("succeeded", second.Str("status"));
        Assert.Equal([b], AttemptAccounts(second));
    }

    [Fact]
    public async Task CardSavedThroughAccountA_FailsOverToAccountB_WhenAIsDown()
    {
        var merchant = await Server.CreateMerchantAsync("Failover");
        var a = await SimulatorAccountAsync(merchant.Id);
        var b = await SimulatorAccountAsync(merchant.Id);
        await RuleAsync(merchant.Id, a, b);
        var customer = await CustomerAsync(Server, merchant);
        var (saved, pm) = await SaveCardAsync(Server, merchant, customer, TestCards.MitApproved);
        Assert.Equal([a], AttemptAccounts(saved));

        (await Admin.PostAsync($"/v1/merchants/{merchant.Id}/provider_accounts/{a}", new { settings = new Dictionary<string, string> { ["outage"] = "true" } })).EnsureStatus(200);
        var charge = (await ChargeOffSessionAsync(Server, merchant, customer, pm)).EnsureStatus(200);

        Assert.Equal("succeeded", charge.Str("status"));
        Assert.Equal([a, b], AttemptAccounts(charge));
        Assert.Equal(["failed", "captured"], AttemptStatuses(charge));
    }

    private async Task<string> SimulatorAccountAsync(string merchantId) =>
        (await Admin.PostAsync($"/v1/merchants/{merchantId}/provider_accounts", new { provider = "simulator", livemode = false })).EnsureStatus(200).Str("id")!;

    /// <summary>One test-mode rule per account, in priority order, so the accounts are tried in this order; returns the first rule.</summary>
    private async Task<string> RuleAsync(string merchantId, params string[] accounts)
    {
        var ids = new List<string>();
        for (var i = 0; i < accounts.Length; i++)
        {
            ids.Add((await Admin.PostAsync($"/v1/merchants/{merchantId}/routing_rules", new
            {
                livemode = false,
                priority = i + 1,
                targets = new[] { new { provider_account = accounts[i], weight = 1 } },
            })).EnsureStatus(200).Str("id")!);
        }

        return ids[0];
    }

    private static string[] AttemptAccounts(ApiResponse payment) =>
        [.. payment.Json.GetProperty("routing").GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("provider_account").GetString()!)];

    private static string[] AttemptStatuses(ApiResponse payment) =>
        [.. payment.Json.GetProperty("routing").GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("status").GetString()!)];
}
