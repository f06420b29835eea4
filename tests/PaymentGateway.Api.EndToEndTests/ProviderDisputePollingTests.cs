using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Providers;
using PaymentGateway.Providers.ContractTests.CheckoutCom;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Mollie;
using WireMock.RequestBuilders;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>A gateway whose <c>dispute_sync</c> job polls every 200 ms and re-reads every open dispute not heard of for 100 ms.</summary>
public sealed class DisputePollingFixture() : SettingsGatewayFixture(new Dictionary<string, string?>
{
    ["PaymentGateway:Disputes:SyncInterval"] = "00:00:00.200",
    ["PaymentGateway:Disputes:RefreshOpenAfter"] = "00:00:00.100",
    ["PaymentGateway:Providers:CheckoutCom:AttemptTimeout"] = "00:00:04",
    ["PaymentGateway:Providers:Mollie:AttemptTimeout"] = "00:00:04",
});

/// <summary>
/// Lost notifications (issue 19): a dispute that exists only at the provider — no webhook ever arrived — is found by the
/// <c>dispute_sync</c> job through the provider's disputes API (WireMock playing Checkout.com's Disputes API and Mollie's
/// Chargebacks API), follows the provider to its outcome, and a webhook that arrives late changes nothing: each event once.
/// </summary>
public sealed class ProviderDisputePollingTests(DisputePollingFixture fixture) : IClassFixture<DisputePollingFixture>, IDisposable
{
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
    public async Task Checkout_com_dispute_known_only_to_its_Disputes_API_is_found_by_polling_and_won_once()
    {
        var (merchant, account, mock) = await MerchantAsync("checkoutcom");
        var api = Server.Client(merchant.LiveSecretKey);
        const string ckoPayment = "pay_ckopolling00000000000000000";
        var cko = JsonNode.Parse(CheckoutComScenarioFixture.Payment("Captured", Money.Of(4200, "EUR")))!.AsObject();
        cko["id"] = ckoPayment;
        mock.Server.Given(Request.Create().WithPath("/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201, cko.ToJsonString()));
        var paymentId = (await PayAsync(merchant, 4200)).Str("id")!;
        Assert.Equal("succeeded", (await api.GetAsync($"/v1/payments/{paymentId}")).Str("status"));

        var due = DateTimeOffset.UtcNow.AddDays(6);
        JsonObject Dispute(string status, DateTimeOffset lastUpdate) => new()
        {
            ["id"] = "dsp_polled",
            ["category"] = "product_service_not_received",
            ["status"] = status,
            ["amount"] = 4200,
            ["currency"] = "EUR",
            ["reason_code"] = "13.1",
            ["payment_id"] = ckoPayment,
            ["payment_method"] = "VISA",
            ["evidence_required_by"] = Iso(due),
            ["received_on"] = Iso(lastUpdate.AddMinutes(-1)),
            ["last_update"] = Iso(lastUpdate),
        };
        void Arrange(string status, DateTimeOffset lastUpdate)
        {
            var dispute = Dispute(status, lastUpdate);
            mock.Server.Given(Request.Create().WithPath("/disputes").UsingGet()).RespondWith(ProviderWireMock.Json(200, new JsonObject
            {
                ["limit"] = 100,
                ["skip"] = 0,
                ["total_count"] = 1,
                ["data"] = new JsonArray(dispute.DeepClone()),
            }.ToJsonString()));
            mock.Server.Given(Request.Create().WithPath("/disputes/dsp_polled").UsingGet()).RespondWith(ProviderWireMock.Json(200, dispute.ToJsonString()));
        }

        Arrange("evidence_required", DateTimeOffset.UtcNow.AddMinutes(-30));
        var opened = await WaitForDisputeAsync(api, paymentId, d => d.GetProperty("status").GetString() == "needs_response");
        var id = opened.GetProperty("id").GetString()!;
        Assert.Equal(("product_not_received", "product_service_not_received"), (opened.GetProperty("reason").GetString(), opened.GetProperty("provider_reason_code").GetString()));
        Assert.Equal(4200, opened.GetProperty("amount_withdrawn").GetInt64());
        Assert.Equal(4200, opened.GetProperty("amount_held").GetInt64());
        Assert.Equal("dsp_polled", opened.GetProperty("provider_dispute_id").GetString());
        Assert.Contains(mock.Requests, r => r.Path == "/disputes" && r.Method == "GET" && r.Url.Contains("from=", StringComparison.Ordinal) && r.Url.Contains("skip=0", StringComparison.Ordinal));

        Arrange("won", DateTimeOffset.UtcNow.AddMinutes(-5));
        var won = await WaitForDisputeAsync(api, paymentId, d => d.GetProperty("status").GetString() == "won");
        Assert.Equal(4200, won.GetProperty("amount_reinstated").GetInt64());
        Assert.Equal(0, (await api.GetAsync($"/v1/payments/{paymentId}")).Long("amount_disputed"));

        // The webhooks that were lost arrive late, twice; more passes read the same dispute again: nothing changes.
        foreach (var (type, eventId) in new[] { ("dispute_evidence_required", "evt_late_1"), ("dispute_won", "evt_late_2"), ("dispute_evidence_required", "evt_late_1") })
        {
            var (body, signature) = CheckoutComStoredCredentialAndDisputeTests.DisputeEvent(type, eventId, ckoPayment, paymentId, 4200,
                ProviderAccountSetup.CheckoutComWebhookSecret, "dsp_polled", Iso(due));
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/provider_webhooks/{account}") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("Cko-Signature", signature);
            using var response = await Server.Client(null).Http.SendAsync(request);
            Assert.Equal(200, (int)response.StatusCode);
        }

        await MorePassesAsync(mock, r => r.Path == "/disputes");
        var after = await WaitForDisputeAsync(api, paymentId, d => true);
        Assert.Equal(("won", 4200L, 4200L), (after.GetProperty("status").GetString(), after.GetProperty("amount_withdrawn").GetInt64(), after.GetProperty("amount_reinstated").GetInt64()));
        await AssertEachEventOnceAsync(merchant, id, reinstated: true);
    }

    [Fact]
    public async Task Mollie_chargeback_known_only_to_its_Chargebacks_API_is_found_by_polling_and_its_reversal_read_once()
    {
        var (merchant, account, mock) = await MerchantAsync("mollie");
        var api = Server.Client(merchant.LiveSecretKey);
        const string tr = "tr_pollingChb1";
        mock.Server.Given(Request.Create().WithPath("/v2/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201,
            MollieScenarioFixture.Payment("open", Money.Of(2500, "EUR"), manualCapture: false, id: tr, checkoutUrl: MollieScenarioFixture.CheckoutUrl)));
        var paymentId = (await PayAsync(merchant, 2500)).Str("id")!;
        mock.Server.Given(Request.Create().WithPath($"/v2/payments/{tr}").UsingGet()).RespondWith(ProviderWireMock.Json(200,
            MollieScenarioFixture.Payment("paid", Money.Of(2500, "EUR"), manualCapture: false, id: tr, gatewayPaymentId: paymentId)));
        Assert.Equal(200, (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", "id=" + tr, contentType: "application/x-www-form-urlencoded")).Status);
        Assert.Equal("succeeded", (await api.GetAsync($"/v1/payments/{paymentId}")).Str("status"));

        // Mollie's chargeback list (embedding the payment) and the chargeback under its payment; no webhook is sent.
        var created = DateTimeOffset.UtcNow.AddHours(-2);
        void Arrange(DateTimeOffset? reversedAt)
        {
            var chargeback = MollieChargeback(tr, paymentId, "chb_polled", created, reversedAt);
            mock.Server.Given(Request.Create().WithPath("/v2/chargebacks").UsingGet()).RespondWith(ProviderWireMock.Json(200, new JsonObject
            {
                ["count"] = 1,
                ["_embedded"] = new JsonObject { ["chargebacks"] = new JsonArray(chargeback.DeepClone()) },
                ["_links"] = new JsonObject { ["next"] = null },
            }.ToJsonString()));
            mock.Server.Given(Request.Create().WithPath($"/v2/payments/{tr}/chargebacks/chb_polled").UsingGet()).RespondWith(ProviderWireMock.Json(200, chargeback.ToJsonString()));
        }

        Arrange(null);
        var opened = await WaitForDisputeAsync(api, paymentId, d => d.GetProperty("status").GetString() == "needs_response");
        var id = opened.GetProperty("id").GetString()!;
        Assert.Equal(2500, opened.GetProperty("amount_withdrawn").GetInt64());
        Assert.Equal("fraudulent", opened.GetProperty("reason").GetString());
        Assert.Contains(mock.Requests, r => r.Path == "/v2/chargebacks" && r.Url.Contains("embed=payment", StringComparison.Ordinal));

        Arrange(DateTimeOffset.UtcNow.AddMinutes(-10));
        var won = await WaitForDisputeAsync(api, paymentId, d => d.GetProperty("status").GetString() == "won");
        Assert.Equal(2500, won.GetProperty("amount_reinstated").GetInt64());
        // Either pass may see the reversal first: the list (it carries reversedAt) or the read of the open chargeback under
        // its payment; which one wins the race does not matter, only that the dispute ends won once.

        // The payment webhook Mollie would have sent arrives late (twice): it reads the same chargeback, nothing changes.
        mock.Server.Given(Request.Create().WithPath($"/v2/payments/{tr}").UsingGet()).RespondWith(ProviderWireMock.Json(200, MollieChargebackTests.ChargedBackPayment(paymentId, tr)));
        mock.Server.Given(Request.Create().WithPath($"/v2/payments/{tr}/chargebacks").UsingGet()).RespondWith(ProviderWireMock.Json(200, new JsonObject
        {
            ["count"] = 1,
            ["_embedded"] = new JsonObject { ["chargebacks"] = new JsonArray(MollieChargeback(tr, paymentId, "chb_polled", created, DateTimeOffset.UtcNow.AddMinutes(-10))) },
        }.ToJsonString()));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(200, (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", "id=" + tr, contentType: "application/x-www-form-urlencoded")).Status);
        }

        await MorePassesAsync(mock, r => r.Path == "/v2/chargebacks");
        var after = await WaitForDisputeAsync(api, paymentId, d => true);
        Assert.Equal(("won", 2500L, 2500L), (after.GetProperty("status").GetString(), after.GetProperty("amount_withdrawn").GetInt64(), after.GetProperty("amount_reinstated").GetInt64()));
        await AssertEachEventOnceAsync(merchant, id, reinstated: true);
    }

    // ------------------------------------------------------------------ helpers

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject MollieChargeback(string tr, string gatewayPaymentId, string id, DateTimeOffset created, DateTimeOffset? reversedAt)
    {
        var payment = JsonNode.Parse(MollieChargebackTests.ChargedBackPayment(gatewayPaymentId, tr))!;
        return new JsonObject
        {
            ["resource"] = "chargeback",
            ["id"] = id,
            ["amount"] = new JsonObject { ["currency"] = "EUR", ["value"] = "25.00" },
            ["settlementAmount"] = new JsonObject { ["currency"] = "EUR", ["value"] = "-25.00" },
            ["reason"] = new JsonObject { ["code"] = "10.4", ["description"] = "Other Fraud - Card Absent Environment" },
            ["createdAt"] = created.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["reversedAt"] = reversedAt?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["paymentId"] = tr,
            ["_embedded"] = new JsonObject { ["payment"] = payment },
        };
    }

    private async Task AssertEachEventOnceAsync(TestMerchant merchant, string disputeId, bool reinstated)
    {
        var events = await Steps.EventTypesAsync(Server, new TestMerchant(merchant.Id, merchant.LiveSecretKey!, merchant.LivePublishableKey!, null, null), disputeId);
        Assert.Equal(1, events.Count(t => t == "dispute.created"));
        Assert.Equal(1, events.Count(t => t == "dispute.funds_withdrawn"));
        Assert.Equal(reinstated ? 1 : 0, events.Count(t => t == "dispute.funds_reinstated"));
        Assert.Equal(1, events.Count(t => t == "dispute.closed"));
    }

    /// <summary>Waits until the job has read the provider at least three more times.</summary>
    private static async Task MorePassesAsync(ProviderWireMock mock, Func<WireMock.IRequestMessage, bool> read)
    {
        var before = mock.Requests.Count(read);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (mock.Requests.Count(read) < before + 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(mock.Requests.Count(read) >= before + 3, "the dispute_sync job stopped polling");
    }

    private static async Task<JsonElement> WaitForDisputeAsync(GatewayClient api, string paymentId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var list = (await api.GetAsync($"/v1/disputes?payment={paymentId}")).EnsureStatus(200).Json.GetProperty("data");
            Assert.True(list.GetArrayLength() <= 1, "the same provider dispute became two disputes");
            if (list.GetArrayLength() == 1 && done(list[0]))
            {
                return list[0].Clone();
            }

            Assert.True(DateTime.UtcNow < deadline, "the poll did not find the dispute's state in time");
            await Task.Delay(100);
        }
    }

    private async Task<(TestMerchant Merchant, string Account, ProviderWireMock Mock)> MerchantAsync(string provider)
    {
        var merchant = await Server.CreateMerchantAsync($"{provider} dispute polling merchant", withLiveKeys: true);
        var mock = new ProviderWireMock();
        _mocks.Add(mock);
        var account = await ProviderAccountSetup.AddRoutedAccountAsync(Server, merchant.Id, provider, mock.BaseUrl);
        return (merchant, account, mock);
    }

    private async Task<ApiResponse> PayAsync(TestMerchant merchant, long amount)
    {
        var pm = (await Server.Client(merchant.LivePublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = TestCards.Visa, exp_month = 12, exp_year = DateTime.UtcNow.Year + 3, cvc = TestCards.CvcFor(TestCards.Visa) },
        })).EnsureStatus(200).Str("id")!;
        return (await Server.Client(merchant.LiveSecretKey).PostAsync("/v1/payments", new
        {
            amount,
            currency = "EUR",
            payment_method = pm,
            confirm = true,
            return_url = "https://shop.example/return",
        })).EnsureStatus(200);
    }
}
