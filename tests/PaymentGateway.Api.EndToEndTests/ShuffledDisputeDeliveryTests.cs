using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Providers;
using PaymentGateway.Providers.ContractTests.Adyen;
using PaymentGateway.Providers.ContractTests.CheckoutCom;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Mollie;
using PaymentGateway.Providers.ContractTests.Stripe;
using WireMock.RequestBuilders;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Out-of-order and repeated dispute notifications, per provider, through the real webhook endpoint (issue 19): each
/// provider's documented sequence for a dispute (opened → funds withdrawn → evidence → won / lost), every notification
/// delivered twice, in shuffled orders (fixed seeds, three orders per outcome), signed as the provider signs them. Each
/// order ends in the same state, with the same amounts withdrawn and reinstated, and each event written exactly once.
/// About 30 runs, each on a fresh merchant and WireMock; a few seconds in all.
/// </summary>
public sealed class ShuffledDisputeDeliveryTests(ProviderThreeDSecureFixture fixture) : IClassFixture<ProviderThreeDSecureFixture>, IDisposable
{
    private static readonly int[] Seeds = [19, 2026, 7];
    private readonly List<ProviderWireMock> _mocks = [];

    private GatewayServer Server => fixture.Server;

    public void Dispose()
    {
        foreach (var mock in _mocks)
        {
            mock.Dispose();
        }
    }

    // Closed is how many dispute.closed events: one per round that closed as the deliveries arrived. A dispute decided in two
    // rounds (Adyen: reversed, then a second chargeback lost) announces the first round's close only when the reversal
    // arrives before the second round's notifications, so its count depends on the order (1 or 2); every other count does not.
    private sealed record Expected(string Status, long Withdrawn, long Reinstated, long Held, int WithdrawnEvents, int ReinstatedEvents, int ClosedMin = 1, int ClosedMax = 1);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Stripe_dispute_events_in_any_order_and_twice_end_in_the_same_state_with_each_event_once(bool won)
    {
        foreach (var seed in Seeds)
        {
            var (merchant, account, mock) = await MerchantAsync("stripe");
            mock.Server.Given(Request.Create().WithPath("/v1/payment_intents").UsingPost())
                .RespondWith(ProviderWireMock.Json(200, StripeFixtures.PaymentIntent("pi_shuffled", "succeeded", 5000, "eur", capture: true).ToJsonString()));
            var paymentId = (await PayAsync(merchant, 5000)).Str("id")!;
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var due = DateTimeOffset.UtcNow.AddDays(7).ToUnixTimeSeconds();
            JsonObject Dispute(string status, params JsonObject[] transactions)
            {
                var dispute = StripeDisputeTests.Dispute(status, "pi_shuffled", 5000, "product_not_received", due, $"du_shuffled{seed}{won}");
                dispute["balance_transactions"] = new JsonArray(transactions.Select(t => (JsonNode)t).ToArray());
                return dispute;
            }

            JsonObject Withdrawal() => StripeDisputeTests.BalanceTransaction("txn_shuffled_w", -5000, now - 60);
            JsonObject Reinstatement() => StripeDisputeTests.BalanceTransaction("txn_shuffled_r", 5000, now);
            (string Type, JsonObject Dispute, string Id)[] events = won
                ?
                [
                    ("charge.dispute.created", Dispute("needs_response"), "evt_s_1"),
                    ("charge.dispute.funds_withdrawn", Dispute("needs_response", Withdrawal()), "evt_s_2"),
                    ("charge.dispute.updated", Dispute("under_review", Withdrawal()), "evt_s_3"),
                    ("charge.dispute.closed", Dispute("won", Withdrawal(), Reinstatement()), "evt_s_4"),
                    ("charge.dispute.funds_reinstated", Dispute("won", Withdrawal(), Reinstatement()), "evt_s_5"),
                ]
                :
                [
                    ("charge.dispute.created", Dispute("needs_response"), "evt_s_1"),
                    ("charge.dispute.funds_withdrawn", Dispute("needs_response", Withdrawal()), "evt_s_2"),
                    ("charge.dispute.updated", Dispute("under_review", Withdrawal()), "evt_s_3"),
                    ("charge.dispute.closed", Dispute("lost", Withdrawal()), "evt_s_4"),
                ];
            var deliveries = events.Select(e => (Func<Task>)(async () =>
            {
                var (body, signature) = StripeDisputeTests.SignedEvent(e.Type, (JsonObject)e.Dispute.DeepClone(), e.Id, ProviderAccountSetup.StripeWebhookSecret);
                Assert.Equal(200, await PostSignedAsync(account, body, "Stripe-Signature", signature));
            }));

            await DeliverShuffledAsync(deliveries, seed);
            await AssertOutcomeAsync(merchant, paymentId, seed, won
                ? new Expected("won", 5000, 5000, 0, 1, 1)
                : new Expected("lost", 5000, 0, 5000, 1, 0));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Adyen_dispute_notifications_in_any_order_and_twice_end_in_the_same_state_with_each_event_once(bool won)
    {
        foreach (var seed in Seeds)
        {
            var (merchant, account, mock) = await MerchantAsync("adyen");
            mock.Server.Given(Request.Create().WithPath("/v71/payments").UsingPost()).RespondWith(ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("Authorised")));
            var paymentId = (await PayAsync(merchant, 4200)).Str("id")!;
            var capture = AdyenScenarioFixture.Notification("CAPTURE", "true", "CAPTUREPSP000001", AdyenScenarioFixture.PspReference, paymentId, Money.Of(4200, "EUR"), AdyenScenarioFixture.HmacKey);
            Assert.Equal("[accepted]", (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", capture)).Body);
            var due = DateTimeOffset.UtcNow.AddDays(10).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
            string Item(string code, string status) => AdyenDisputeTests.DisputeNotification(code, status, AdyenScenarioFixture.PspReference, paymentId, 4200,
                AdyenScenarioFixture.HmacKey, $"DISPUTEPSPSHUFFLE{seed}{won}", due);

            // Won: the chargeback is reversed. Lost: reversed, then a second chargeback lost in pre-arbitration (debited twice, credited once).
            string[] items = won
                ? [Item("NOTIFICATION_OF_CHARGEBACK", "Undefended"), Item("CHARGEBACK", "Undefended"), Item("CHARGEBACK_REVERSED", "Won")]
                : [Item("NOTIFICATION_OF_CHARGEBACK", "Undefended"), Item("CHARGEBACK", "Undefended"), Item("CHARGEBACK_REVERSED", "Won"), Item("SECOND_CHARGEBACK", "Pending"),
                    Item("PREARBITRATION_LOST", "Lost")];
            var deliveries = items.Select(item => (Func<Task>)(async () =>
                Assert.Equal("[accepted]", (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", item)).Body)));

            await DeliverShuffledAsync(deliveries, seed);
            await AssertOutcomeAsync(merchant, paymentId, seed, won
                ? new Expected("won", 4200, 4200, 0, 1, 1)
                : new Expected("lost", 8400, 4200, 4200, 2, 1, ClosedMin: 1, ClosedMax: 2));
        }
    }

    [Fact]
    public async Task Adyen_CHARGEBACK_repeated_with_a_new_disputeStatus_moves_the_dispute_without_a_second_debit()
    {
        foreach (var seed in Seeds)
        {
            var (merchant, account, mock) = await MerchantAsync("adyen");
            mock.Server.Given(Request.Create().WithPath("/v71/payments").UsingPost()).RespondWith(ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("Authorised")));
            var paymentId = (await PayAsync(merchant, 4200)).Str("id")!;
            var capture = AdyenScenarioFixture.Notification("CAPTURE", "true", "CAPTUREPSP000001", AdyenScenarioFixture.PspReference, paymentId, Money.Of(4200, "EUR"), AdyenScenarioFixture.HmacKey);
            Assert.Equal("[accepted]", (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", capture)).Body);
            var due = DateTimeOffset.UtcNow.AddDays(10).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
            string Item(string code, string status) => AdyenDisputeTests.DisputeNotification(code, status, AdyenScenarioFixture.PspReference, paymentId, 4200,
                AdyenScenarioFixture.HmacKey, $"DISPUTEPSPSTATUS{seed}", due);

            // The chargeback, then the same CHARGEBACK code again when Adyen decides the dispute lost.
            string[] items = [Item("NOTIFICATION_OF_CHARGEBACK", "Undefended"), Item("CHARGEBACK", "Undefended"), Item("CHARGEBACK", "Lost")];
            var deliveries = items.Select(item => (Func<Task>)(async () =>
                Assert.Equal("[accepted]", (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", item)).Body)));

            await DeliverShuffledAsync(deliveries, seed);
            await AssertOutcomeAsync(merchant, paymentId, seed, new Expected("lost", 4200, 0, 4200, 1, 0));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Checkout_com_dispute_events_in_any_order_and_twice_end_in_the_same_state_with_each_event_once(bool won)
    {
        foreach (var seed in Seeds)
        {
            var (merchant, account, mock) = await MerchantAsync("checkoutcom");
            var cko = JsonNode.Parse(CheckoutComScenarioFixture.Payment("Captured", Money.Of(6100, "EUR")))!.AsObject();
            cko["id"] = "pay_ckoshuffled000000000000000";
            mock.Server.Given(Request.Create().WithPath("/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201, cko.ToJsonString()));
            var paymentId = (await PayAsync(merchant, 6100)).Str("id")!;
            var due = DateTimeOffset.UtcNow.AddDays(5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            string[] types = won
                ? ["dispute_evidence_required", "dispute_evidence_submitted", "dispute_evidence_acknowledged_by_scheme", "dispute_won"]
                : ["dispute_evidence_required", "dispute_evidence_submitted", "dispute_lost"];
            var deliveries = types.Select((type, i) => (Func<Task>)(async () =>
            {
                var (body, signature) = CheckoutComStoredCredentialAndDisputeTests.DisputeEvent(type, $"evt_cko_shuffled_{seed}{won}_{i}", "pay_ckoshuffled000000000000000", paymentId, 6100,
                    ProviderAccountSetup.CheckoutComWebhookSecret, $"dsp_shuffled{seed}{won}", due);
                Assert.Equal(200, await PostSignedAsync(account, body, "Cko-Signature", signature));
            }));

            await DeliverShuffledAsync(deliveries, seed);
            await AssertOutcomeAsync(merchant, paymentId, seed, won
                ? new Expected("won", 6100, 6100, 0, 1, 1)
                : new Expected("lost", 6100, 0, 6100, 1, 0));
        }
    }

    [Fact]
    public async Task Mollie_chargeback_reads_in_any_order_and_twice_end_won_with_each_event_once()
    {
        // Mollie sends no dispute events: each delivery is a payment webhook, answered with what Mollie shows at that
        // moment — the chargeback, or the chargeback reversed. A stale read after the reversal changes nothing.
        foreach (var seed in Seeds)
        {
            var (merchant, account, mock) = await MerchantAsync("mollie");
            const string tr = "tr_shuffledChb";
            mock.Server.Given(Request.Create().WithPath("/v2/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201,
                MollieScenarioFixture.Payment("open", Money.Of(2500, "EUR"), manualCapture: false, id: tr, checkoutUrl: MollieScenarioFixture.CheckoutUrl)));
            var paymentId = (await PayAsync(merchant, 2500)).Str("id")!;
            var read = Request.Create().WithPath($"/v2/payments/{tr}").UsingGet();
            mock.Server.Given(read).RespondWith(ProviderWireMock.Json(200, MollieScenarioFixture.Payment("paid", Money.Of(2500, "EUR"), manualCapture: false, id: tr, gatewayPaymentId: paymentId)));
            Assert.Equal(200, (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", "id=" + tr, contentType: "application/x-www-form-urlencoded")).Status);
            mock.Server.Given(read).RespondWith(ProviderWireMock.Json(200, MollieChargebackTests.ChargedBackPayment(paymentId, tr)));

            string?[] reads = [null, "2026-01-20T09:00:00+00:00"];
            var deliveries = reads.Select(reversedAt => (Func<Task>)(async () =>
            {
                mock.Server.Given(Request.Create().WithPath($"/v2/payments/{tr}/chargebacks").UsingGet())
                    .RespondWith(ProviderWireMock.Json(200, MollieChargebackTests.Chargebacks(tr, reversedAt, $"chb_shuffled{seed}")));
                Assert.Equal(200, (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", "id=" + tr, contentType: "application/x-www-form-urlencoded")).Status);
            }));

            await DeliverShuffledAsync(deliveries, seed);
            await AssertOutcomeAsync(merchant, paymentId, seed, new Expected("won", 2500, 2500, 0, 1, 1));
        }
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>Every delivery twice, in the order a seeded shuffle gives.</summary>
    private static async Task DeliverShuffledAsync(IEnumerable<Func<Task>> deliveries, int seed)
    {
        var random = new Random(seed);
        var all = deliveries.ToList();
        foreach (var delivery in all.Concat(all).OrderBy(_ => random.Next()).ToList())
        {
            await delivery();
        }
    }

    private async Task AssertOutcomeAsync(TestMerchant merchant, string paymentId, int seed, Expected expected)
    {
        var api = Server.Client(merchant.LiveSecretKey);
        var list = (await api.GetAsync($"/v1/disputes?payment={paymentId}")).EnsureStatus(200).Json.GetProperty("data");
        Assert.True(list.GetArrayLength() == 1, $"seed {seed}: {list.GetArrayLength()} disputes");
        var dispute = list[0];
        var id = dispute.GetProperty("id").GetString()!;
        Assert.Equal((seed, expected.Status, expected.Withdrawn, expected.Reinstated, expected.Held),
            (seed, dispute.GetProperty("status").GetString(), dispute.GetProperty("amount_withdrawn").GetInt64(), dispute.GetProperty("amount_reinstated").GetInt64(),
                dispute.GetProperty("amount_held").GetInt64()));
        Assert.Equal(expected.Held, (await api.GetAsync($"/v1/payments/{paymentId}")).Long("amount_disputed"));

        var events = await Steps.EventTypesAsync(Server, new TestMerchant(merchant.Id, merchant.LiveSecretKey!, merchant.LivePublishableKey!, null, null), id);
        Assert.Equal((seed, 1, expected.WithdrawnEvents, expected.ReinstatedEvents),
            (seed, events.Count(t => t == "dispute.created"), events.Count(t => t == "dispute.funds_withdrawn"), events.Count(t => t == "dispute.funds_reinstated")));
        Assert.InRange(events.Count(t => t == "dispute.closed"), expected.ClosedMin, expected.ClosedMax);
    }

    private async Task<int> PostSignedAsync(string account, byte[] body, string header, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/provider_webhooks/{account}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(header, signature);
        using var response = await Server.Client(null).Http.SendAsync(request);
        return (int)response.StatusCode;
    }

    private async Task<(TestMerchant Merchant, string Account, ProviderWireMock Mock)> MerchantAsync(string provider)
    {
        var merchant = await Server.CreateMerchantAsync($"{provider} shuffled disputes merchant", withLiveKeys: true);
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
