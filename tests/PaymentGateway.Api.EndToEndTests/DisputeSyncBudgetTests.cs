using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.Disputes;
using PaymentGateway.Providers;
using PaymentGateway.Providers.ContractTests.CheckoutCom;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using WireMock.RequestBuilders;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// A gateway whose <c>dispute_sync</c> job does not run (the test runs the passes itself, so it knows which pass found
/// what) and whose accounts have one second of provider time per pass.
/// </summary>
public sealed class DisputeSyncBudgetFixture() : SettingsGatewayFixture(new Dictionary<string, string?>
{
    ["PaymentGateway:Disputes:JobsEnabled"] = "false",
    ["PaymentGateway:Disputes:SyncAccountBudget"] = "00:00:01",
});

/// <summary>
/// The dispute sync's time budget per provider account (issue 19): the pass asks the accounts one after another, so an
/// account whose disputes API hangs is left for the next pass once its budget is used, and the accounts after it are
/// still asked in the same pass (WireMock playing two Checkout.com accounts' Disputes API, one answering after 20 s).
/// </summary>
public sealed class DisputeSyncBudgetTests(DisputeSyncBudgetFixture fixture) : IClassFixture<DisputeSyncBudgetFixture>, IDisposable
{
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(20);
    private readonly List<ProviderWireMock> _mocks = [];

    private GatewayServer Server => fixture.Server;

    public void Dispose()
    {
        foreach (var mock in _mocks)
        {
            mock.Dispose();
        }
    }

    [Fact]
    public async Task An_account_whose_disputes_API_hangs_uses_its_budget_and_the_next_accounts_dispute_is_found_in_the_same_pass()
    {
        // Merchants are polled in id order: the slow one is asked first.
        var (_, slowAccount, slow) = await MerchantAsync("slow");
        var (merchant, fastAccount, fast) = await MerchantAsync("fast");
        var disputesList = Request.Create().WithPath("/disputes").UsingGet();
        var empty = new JsonObject { ["limit"] = 100, ["skip"] = 0, ["total_count"] = 0, ["data"] = new JsonArray() }.ToJsonString();
        slow.Server.Given(disputesList).RespondWith(ProviderWireMock.Json(200, empty).WithDelay(SlowAnswer));

        const string ckoPayment = "pay_ckobudget0000000000000000";
        var cko = JsonNode.Parse(CheckoutComScenarioFixture.Payment("Captured", Money.Of(3100, "EUR")))!.AsObject();
        cko["id"] = ckoPayment;
        fast.Server.Given(Request.Create().WithPath("/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201, cko.ToJsonString()));
        var paymentId = (await PayAsync(merchant, 3100)).Str("id")!;
        var now = DateTimeOffset.UtcNow;
        fast.Server.Given(disputesList).RespondWith(ProviderWireMock.Json(200, new JsonObject
        {
            ["limit"] = 100,
            ["skip"] = 0,
            ["total_count"] = 1,
            ["data"] = new JsonArray(new JsonObject
            {
                ["id"] = "dsp_budget",
                ["category"] = "fraudulent",
                ["status"] = "evidence_required",
                ["amount"] = 3100,
                ["currency"] = "EUR",
                ["reason_code"] = "10.4",
                ["payment_id"] = ckoPayment,
                ["payment_method"] = "VISA",
                ["evidence_required_by"] = Iso(now.AddDays(6)),
                ["received_on"] = Iso(now.AddMinutes(-2)),
                ["last_update"] = Iso(now.AddMinutes(-1)),
            }),
        }.ToJsonString()));

        var sync = Server.Services.GetRequiredService<DisputeSync>();
        var clock = Stopwatch.StartNew();
        var changed = await sync.RunOnceAsync(CancellationToken.None);
        clock.Stop();

        // One pass: the slow account had its second, and the fast account after it was asked and its dispute applied.
        Assert.True(clock.Elapsed < SlowAnswer / 2, $"the pass took {clock.Elapsed}: it waited for the slow account");
        Assert.True(changed >= 1);
        var api = Server.Client(merchant.LiveSecretKey);
        var list = (await api.GetAsync($"/v1/disputes?payment={paymentId}")).EnsureStatus(200).Json.GetProperty("data");
        var dispute = Assert.Single(list.EnumerateArray());
        Assert.Equal(("needs_response", "dsp_budget", 3100L), (dispute.GetProperty("status").GetString(), dispute.GetProperty("provider_dispute_id").GetString(), dispute.GetProperty("amount_withdrawn").GetInt64()));
        Assert.Single(fast.Requests, r => r.Path == "/disputes");

        // Noted per account, without its credentials: a metric and a warning naming the account.
        var exceeded = (await Server.Client(null).GetAsync("/metrics")).EnsureStatus(200).Body.Split('\n')
            .Where(l => l.StartsWith("paymentgateway_disputes_sync_budget_exceeded_total{", StringComparison.Ordinal)).ToList();
        var noted = Assert.Single(exceeded, l => l.Contains($"provider_account=\"{slowAccount}\"", StringComparison.Ordinal));
        Assert.Contains("provider=\"checkoutcom\"", noted, StringComparison.Ordinal);
        Assert.Contains("phase=\"list\"", noted, StringComparison.Ordinal);
        Assert.EndsWith(" 1", noted, StringComparison.Ordinal);
        Assert.DoesNotContain(exceeded, l => l.Contains(fastAccount, StringComparison.Ordinal));
        var warning = Assert.Single(await File.ReadAllLinesAsync(Server.LogFile), l => l.Contains("used its time budget", StringComparison.Ordinal));
        Assert.Contains($"Dispute sync with checkoutcom for {slowAccount} used its time budget of 00:00:01 (list)", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderAccountSetup.CheckoutComSecretKey, warning, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderAccountSetup.CheckoutComWebhookSecret, warning, StringComparison.Ordinal);

        // The next pass asks the slow account again (its cursor did not move): answering in time now, it is not noted again.
        slow.Server.Given(disputesList).RespondWith(ProviderWireMock.Json(200, empty));
        await sync.RunOnceAsync(CancellationToken.None);
        Assert.Contains(slow.Requests, r => r.Path == "/disputes" && r.Url.Contains("from=", StringComparison.Ordinal));
        Assert.Single(await File.ReadAllLinesAsync(Server.LogFile), l => l.Contains("used its time budget", StringComparison.Ordinal));
        var again = (await api.GetAsync($"/v1/disputes?payment={paymentId}")).EnsureStatus(200).Json.GetProperty("data");
        Assert.Equal(dispute.GetProperty("updated").GetRawText(), Assert.Single(again.EnumerateArray()).GetProperty("updated").GetRawText());
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private async Task<(TestMerchant Merchant, string Account, ProviderWireMock Mock)> MerchantAsync(string name)
    {
        var merchant = await Server.CreateMerchantAsync($"{name} dispute sync merchant", withLiveKeys: true);
        var mock = new ProviderWireMock();
        _mocks.Add(mock);
        var account = await ProviderAccountSetup.AddRoutedAccountAsync(Server, merchant.Id, "checkoutcom", mock.BaseUrl);
        return (merchant, account, mock);
    }

    private async Task<ApiResponse> PayAsync(TestMerchant merchant, long amount)
    {
        var pm = (await Server.Client(merchant.LivePublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = TestCards.Visa, exp_month = 12, exp_year = DateTime.UtcNow.Year + 3, cvc = TestCards.CvcFor(TestCards.Visa) },
        })).EnsureStatus(200);
        return (await Server.Client(merchant.LiveSecretKey).PostAsync("/v1/payments", new
        {
            amount,
            currency = "EUR",
            payment_method = pm.Str("id"),
            confirm = true,
            return_url = "https://shop.example/return",
        })).EnsureStatus(200);
    }
}
