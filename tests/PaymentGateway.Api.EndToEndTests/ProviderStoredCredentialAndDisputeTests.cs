using System.Net.Http.Headers;
using System.Text;
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
/// Saved cards and disputes through real providers' documented APIs (WireMock), end to end on a gateway: a
/// subscription-style series (save on the first payment, charge off session, authentication required), and a provider's
/// signed dispute webhooks driving a dispute through evidence to its outcome, with the merchant's webhooks.
/// </summary>
public sealed class ProviderStoredCredentialAndDisputeTests(ProviderThreeDSecureFixture fixture) : IClassFixture<ProviderThreeDSecureFixture>, IDisposable
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
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
    public async Task Stripe_subscription_saves_on_the_first_payment_charges_off_session_on_the_saved_payment_method_and_stops_on_authentication_required()
    {
        var (merchant, _, mock) = await MerchantAsync("stripe");
        var api = Server.Client(merchant.LiveSecretKey);
        mock.Server.Given(Request.Create().WithPath("/v1/customers").UsingPost()).RespondWith(ProviderWireMock.Json(200, new JsonObject { ["id"] = "cus_StripeSeries", ["object"] = "customer" }.ToJsonString()));
        var first = StripeFixtures.PaymentIntent("pi_series_first", "succeeded", 1990, "eur", capture: true);
        first["customer"] = "cus_StripeSeries";
        first["payment_method"] = "pm_StripeSeries";
        first["setup_future_usage"] = "off_session";
        var charge = StripeFixtures.Resource("charge");
        charge["payment_method_details"]!["card"]!["network_transaction_id"] = "583921045112233";
        first["latest_charge"] = charge;
        var declined = StripeFixtures.PaymentIntent("pi_series_third", "requires_payment_method", 1990, "eur", capture: true);
        mock.RespondInSequence(Request.Create().WithPath("/v1/payment_intents").UsingPost(),
            ProviderWireMock.Json(200, first.ToJsonString()),
            ProviderWireMock.Json(200, StripeFixtures.PaymentIntent("pi_series_second", "succeeded", 1990, "eur", capture: true).ToJsonString()),
            ProviderWireMock.Json(402, StripeFixtures.CardError("authentication_required", "authentication_required", "This transaction requires authentication.", declined).ToJsonString()));

        var customer = (await api.PostAsync("/v1/customers", new { email = "subscriber@shop.example" })).EnsureStatus(200).Str("id")!;
        var pm = await TokenizeAsync(merchant);
        var saved = (await api.PostAsync("/v1/payments", new
        {
            amount = 1990,
            currency = "EUR",
            customer,
            payment_method = pm,
            setup_future_usage = "off_session",
            confirm = true,
            return_url = "https://shop.example/return",
        })).EnsureStatus(200);
        Assert.Equal("succeeded", saved.Str("status"));
        var creates = mock.Requests.Where(r => r.Path == "/v1/payment_intents").ToList();
        var firstForm = ProviderWireMock.Form(Assert.Single(creates));
        Assert.Equal("cus_StripeSeries", firstForm["customer"]);
        Assert.Equal("off_session", firstForm["setup_future_usage"]);
        Assert.Equal(customer, ProviderWireMock.Form(Assert.Single(mock.Requests, r => r.Path == "/v1/customers"))["metadata[gateway_customer_id]"]);

        // Month two: the merchant alone, on the saved card; Stripe gets its own customer and payment method, no card data.
        var second = (await OffSessionAsync(api, customer, pm)).EnsureStatus(200);
        Assert.Equal("succeeded", second.Str("status"));
        var mitForm = ProviderWireMock.Form(mock.Requests.Where(r => r.Path == "/v1/payment_intents").ToList()[1]);
        Assert.Equal(("cus_StripeSeries", "pm_StripeSeries", "true"), (mitForm["customer"], mitForm["payment_method"], mitForm["off_session"]));
        Assert.DoesNotContain(mitForm.Keys, k => k.StartsWith("payment_method_data", StringComparison.Ordinal));
        Assert.DoesNotContain(TestCards.Visa, mock.Requests.Where(r => r.Path == "/v1/payment_intents").ToList()[1].Body, StringComparison.Ordinal);

        // Month three: the issuer wants the customer back; the payment waits for them, nothing retries it.
        var third = await OffSessionAsync(api, customer, pm);
        Problem.Assert(third, 402, "card_authentication_required", "payment_method");
        var waiting = third.Json.GetProperty("payment");
        Assert.Equal("requires_confirmation", waiting.GetProperty("status").GetString());
        Assert.Equal("authentication_required", waiting.GetProperty("last_payment_error").GetProperty("decline_code").GetString());
        Assert.Contains("payment.authentication_required", await Steps.EventTypesAsync(Server, Live(merchant), waiting.GetProperty("id").GetString()!));
        Assert.Equal(3, mock.Requests.Count(r => r.Path == "/v1/payment_intents"));
    }

    [Fact]
    public async Task Stripe_signed_dispute_webhooks_open_the_dispute_take_evidence_to_Stripe_and_decide_it_once()
    {
        var (merchant, account, mock) = await MerchantAsync("stripe");
        var api = Server.Client(merchant.LiveSecretKey);
        await using var receiver = await WebhookReceiver.StartAsync();
        (await api.PostAsync("/v1/webhook_endpoints", new { url = receiver.Url, enabled_events = new[] { "dispute.created", "dispute.closed" } })).EnsureStatus(200);
        mock.Server.Given(Request.Create().WithPath("/v1/payment_intents").UsingPost())
            .RespondWith(ProviderWireMock.Json(200, StripeFixtures.PaymentIntent("pi_disputed_e2e", "succeeded", 5000, "eur", capture: true).ToJsonString()));
        var payment = await PayAsync(merchant, 5000);
        Assert.Equal("succeeded", payment.Str("status"));
        var paymentId = payment.Str("id")!;

        var due = DateTimeOffset.UtcNow.AddDays(7).ToUnixTimeSeconds();
        var opened = StripeDisputeTests.Dispute("needs_response", "pi_disputed_e2e", 5000, "product_not_received", due);
        Assert.Equal(200, (await PostStripeAsync(account, "charge.dispute.created", opened, "evt_e2e_created")).Status);

        var dispute = await SingleDisputeAsync(api, paymentId);
        var id = dispute.GetProperty("id").GetString()!;
        Assert.Equal("needs_response", dispute.GetProperty("status").GetString());
        Assert.Equal(5000, dispute.GetProperty("amount").GetInt64());
        Assert.Equal("EUR", dispute.GetProperty("currency").GetString());
        Assert.Equal("product_not_received", dispute.GetProperty("reason").GetString());
        Assert.Equal(StripeDisputeTests.DisputeId, dispute.GetProperty("provider_dispute_id").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(due), dispute.GetProperty("evidence_due_by").GetDateTimeOffset());
        var hook = Assert.Single(await receiver.WaitForAsync(r => r.Any(w => w.Type == "dispute.created"), what: "dispute.created"), w => w.Type == "dispute.created");
        Assert.Contains(id, hook.Body, StringComparison.Ordinal);

        // A replayed delivery changes nothing.
        Assert.Equal(200, (await PostStripeAsync(account, "charge.dispute.created", opened, "evt_e2e_created")).Status);
        Assert.Equal(dispute.GetProperty("updated").GetRawText(), (await SingleDisputeAsync(api, paymentId)).GetProperty("updated").GetRawText());

        var withdrawn = StripeDisputeTests.Dispute("needs_response", "pi_disputed_e2e", 5000, "product_not_received", due);
        withdrawn["balance_transactions"] = new JsonArray(StripeDisputeTests.BalanceTransaction("txn_e2e_withdrawn", -5000, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        Assert.Equal(200, (await PostStripeAsync(account, "charge.dispute.funds_withdrawn", withdrawn, "evt_e2e_withdrawn")).Status);
        Assert.Equal(5000, (await SingleDisputeAsync(api, paymentId)).GetProperty("amount_withdrawn").GetInt64());

        // The evidence goes to Stripe: the file through its Files API, then the fields and the file id with submit=true.
        mock.Server.Given(Request.Create().WithPath("/v1/files").UsingPost())
            .RespondWith(ProviderWireMock.Json(200, new JsonObject { ["id"] = "file_e2e_tracking", ["object"] = "file" }.ToJsonString()));
        mock.Server.Given(Request.Create().WithPath($"/v1/disputes/{StripeDisputeTests.DisputeId}").UsingPost())
            .RespondWith(ProviderWireMock.Json(200, StripeDisputeTests.Dispute("under_review", "pi_disputed_e2e", 5000, "product_not_received", due).ToJsonString()));
        var fileId = (await UploadAsync(merchant, id, Pdf)).EnsureStatus(200).Str("id")!;
        (await api.PostAsync($"/v1/disputes/{id}/evidence", new { shipping_tracking_number = "1Z999AA10123456784", shipping_documentation = fileId })).EnsureStatus(200);
        var submitted = (await api.PostAsync($"/v1/disputes/{id}/submit", null)).EnsureStatus(200);
        Assert.Equal("under_review", submitted.Str("status"));
        var upload = Assert.Single(mock.Requests, r => r.Path == "/v1/files");
        Assert.Contains("dispute_evidence", upload.Body, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string>
        {
            ["evidence[shipping_tracking_number]"] = "1Z999AA10123456784",
            ["evidence[shipping_documentation]"] = "file_e2e_tracking",
            ["submit"] = "true",
            ["metadata[gateway_dispute_id]"] = id,
        }, ProviderWireMock.Form(Assert.Single(mock.Requests, r => r.Path == $"/v1/disputes/{StripeDisputeTests.DisputeId}")));

        // Stripe decides: won, and the money comes back once however often the events arrive.
        var won = StripeDisputeTests.Dispute("won", "pi_disputed_e2e", 5000, "product_not_received", due);
        won["balance_transactions"] = new JsonArray(
            StripeDisputeTests.BalanceTransaction("txn_e2e_withdrawn", -5000, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 10),
            StripeDisputeTests.BalanceTransaction("txn_e2e_reinstated", 5000, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        foreach (var (type, eventId) in new[] { ("charge.dispute.funds_reinstated", "evt_e2e_reinstated"), ("charge.dispute.closed", "evt_e2e_closed"), ("charge.dispute.funds_reinstated", "evt_e2e_reinstated") })
        {
            Assert.Equal(200, (await PostStripeAsync(account, type, won, eventId)).Status);
        }

        var decided = await SingleDisputeAsync(api, paymentId);
        Assert.Equal("won", decided.GetProperty("status").GetString());
        Assert.Equal(5000, decided.GetProperty("amount_reinstated").GetInt64());
        Assert.Equal(0, decided.GetProperty("amount_held").GetInt64());
        await receiver.WaitForAsync(r => r.Any(w => w.Type == "dispute.closed"), what: "dispute.closed");
        var events = await Steps.EventTypesAsync(Server, Live(merchant), id);
        Assert.Equal(1, events.Count(t => t == "dispute.created"));
        Assert.Equal(1, events.Count(t => t == "dispute.closed"));
        Assert.Equal(1, events.Count(t => t == "dispute.funds_reinstated"));
    }

    [Fact]
    public async Task Stripe_dispute_accepted_through_the_gateway_closes_it_at_Stripe()
    {
        var (merchant, account, mock) = await MerchantAsync("stripe");
        var api = Server.Client(merchant.LiveSecretKey);
        mock.Server.Given(Request.Create().WithPath("/v1/payment_intents").UsingPost())
            .RespondWith(ProviderWireMock.Json(200, StripeFixtures.PaymentIntent("pi_accepted_e2e", "succeeded", 3000, "eur", capture: true).ToJsonString()));
        mock.Server.Given(Request.Create().WithPath("/v1/disputes/du_accepted_e2e/close").UsingPost())
            .RespondWith(ProviderWireMock.Json(200, StripeDisputeTests.Dispute("lost", "pi_accepted_e2e", 3000, id: "du_accepted_e2e").ToJsonString()));
        var paymentId = (await PayAsync(merchant, 3000)).Str("id")!;
        var due = DateTimeOffset.UtcNow.AddDays(7).ToUnixTimeSeconds();
        Assert.Equal(200, (await PostStripeAsync(account, "charge.dispute.created", StripeDisputeTests.Dispute("needs_response", "pi_accepted_e2e", 3000, "fraudulent", due, "du_accepted_e2e"), "evt_acc_created")).Status);
        var id = (await SingleDisputeAsync(api, paymentId)).GetProperty("id").GetString()!;

        var accepted = (await api.PostAsync($"/v1/disputes/{id}/accept", null)).EnsureStatus(200);

        Assert.Equal("accepted", accepted.Str("status"));
        var close = Assert.Single(mock.Requests, r => r.Path == "/v1/disputes/du_accepted_e2e/close");
        Assert.Equal($"{id}:accept:chargeback:1", ProviderWireMock.Header(close, "Idempotency-Key"));
        Problem.Assert(await api.PostAsync($"/v1/disputes/{id}/accept", null), 409, "dispute_already_submitted");
    }

    [Fact]
    public async Task Adyen_signed_chargeback_notifications_open_and_update_the_dispute_once_and_accept_calls_the_Disputes_API()
    {
        var (merchant, account, mock) = await MerchantAsync("adyen");
        var api = Server.Client(merchant.LiveSecretKey);
        await using var receiver = await WebhookReceiver.StartAsync();
        (await api.PostAsync("/v1/webhook_endpoints", new { url = receiver.Url, enabled_events = new[] { "dispute.created" } })).EnsureStatus(200);
        mock.Server.Given(Request.Create().WithPath("/v71/payments").UsingPost()).RespondWith(ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("Authorised")));
        mock.Server.Given(Request.Create().WithPath("/ca/services/DisputeService/v30/acceptDispute").UsingPost())
            .RespondWith(ProviderWireMock.Json(200, new JsonObject { ["disputeServiceResult"] = new JsonObject { ["success"] = true } }.ToJsonString()));
        var payment = await PayAsync(merchant, 4200);
        var paymentId = payment.Str("id")!;
        Assert.Equal("processing", payment.Str("status")); // Adyen captures asynchronously
        var capture = AdyenScenarioFixture.Notification("CAPTURE", "true", "CAPTUREPSP000001", AdyenScenarioFixture.PspReference, paymentId, Money.Of(4200, "EUR"), AdyenScenarioFixture.HmacKey);
        Assert.Equal("[accepted]", (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", capture)).Body);
        Assert.Equal("succeeded", (await api.GetAsync($"/v1/payments/{paymentId}")).Str("status"));

        var due = DateTimeOffset.UtcNow.AddDays(10);
        string Item(string code, string status) => AdyenDisputeTests.DisputeNotification(code, status, AdyenScenarioFixture.PspReference, paymentId, 4200,
            AdyenScenarioFixture.HmacKey, "DISPUTEPSPE2E001", due.ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("[accepted]", (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", Item("NOTIFICATION_OF_CHARGEBACK", "Undefended"))).Body);
        var opened = await SingleDisputeAsync(api, paymentId);
        Assert.Equal("needs_response", opened.GetProperty("status").GetString());
        Assert.Equal(4200, opened.GetProperty("amount").GetInt64());
        Assert.Equal("fraudulent", opened.GetProperty("reason").GetString()); // Visa 10.4
        Assert.Equal("10.4", opened.GetProperty("provider_reason_code").GetString());
        Assert.Equal(due.ToUnixTimeSeconds(), opened.GetProperty("evidence_due_by").GetDateTimeOffset().ToUnixTimeSeconds());
        await receiver.WaitForAsync(r => r.Any(w => w.Type == "dispute.created"), what: "dispute.created");

        var chargeback = Item("CHARGEBACK", "Undefended");
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("[accepted]", (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", chargeback)).Body);
        }

        var charged = await SingleDisputeAsync(api, paymentId);
        Assert.Equal(4200, charged.GetProperty("amount_withdrawn").GetInt64());
        Assert.Single(charged.GetProperty("funds_movements").EnumerateArray());
        var id = charged.GetProperty("id").GetString()!;

        Assert.Equal("accepted", (await api.PostAsync($"/v1/disputes/{id}/accept", null)).EnsureStatus(200).Str("status"));
        var accept = JsonNode.Parse(Assert.Single(mock.Requests, r => r.Path == "/ca/services/DisputeService/v30/acceptDispute").Body!)!;
        Assert.Equal("DISPUTEPSPE2E001", accept["disputePspReference"]!.GetValue<string>());
        Assert.Equal(AdyenScenarioFixture.MerchantAccountName, accept["merchantAccountCode"]!.GetValue<string>());
        Assert.Equal(1, (await Steps.EventTypesAsync(Server, Live(merchant), id)).Count(t => t == "dispute.funds_withdrawn"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Adyen_signed_chargeback_is_defended_through_the_Disputes_API_with_the_uploaded_file_and_the_outcome_decides_it_once(bool won)
    {
        var disputePsp = won ? "DISPUTEPSPDEFENDWON" : "DISPUTEPSPDEFENDLOST";
        const string disputes = "/ca/services/DisputeService/v30";
        var (merchant, account, mock) = await MerchantAsync("adyen");
        var api = Server.Client(merchant.LiveSecretKey);
        await using var receiver = await WebhookReceiver.StartAsync();
        (await api.PostAsync("/v1/webhook_endpoints", new { url = receiver.Url, enabled_events = new[] { "dispute.created", "dispute.closed" } })).EnsureStatus(200);
        mock.Server.Given(Request.Create().WithPath("/v71/payments").UsingPost()).RespondWith(ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("Authorised")));
        var success = new JsonObject { ["disputeServiceResult"] = new JsonObject { ["success"] = true } }.ToJsonString();
        mock.Server.Given(Request.Create().WithPath(disputes + "/retrieveApplicableDefenseReasons").UsingPost()).RespondWith(ProviderWireMock.Json(200, AdyenDisputeTests.DefenseReasons()));
        mock.Server.Given(Request.Create().WithPath(disputes + "/supplyDefenseDocument").UsingPost()).RespondWith(ProviderWireMock.Json(200, success));
        mock.Server.Given(Request.Create().WithPath(disputes + "/defendDispute").UsingPost()).RespondWith(ProviderWireMock.Json(200, success));
        var paymentId = (await PayAsync(merchant, 4200)).Str("id")!;
        var capture = AdyenScenarioFixture.Notification("CAPTURE", "true", "CAPTUREPSP000002", AdyenScenarioFixture.PspReference, paymentId, Money.Of(4200, "EUR"), AdyenScenarioFixture.HmacKey);
        Assert.Equal("[accepted]", (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", capture)).Body);
        Assert.Equal("succeeded", (await api.GetAsync($"/v1/payments/{paymentId}")).Str("status"));

        var due = DateTimeOffset.UtcNow.AddDays(10).ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
        var sent = 0;
        async Task NotifyTwiceAsync(string code, string status)
        {
            // Each notification a minute after the previous one, as Adyen dates them (eventDate is not signed).
            var item = JsonNode.Parse(AdyenDisputeTests.DisputeNotification(code, status, AdyenScenarioFixture.PspReference, paymentId, 4200, AdyenScenarioFixture.HmacKey, disputePsp, due))!;
            item["notificationItems"]![0]!["NotificationRequestItem"]!["eventDate"] = DateTimeOffset.UtcNow.AddHours(-1).AddMinutes(sent++)
                .ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
            var body = item.ToJsonString();
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal("[accepted]", (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", body)).Body);
            }
        }

        // Adyen announces the chargeback before it debits: the dispute opens awaiting an answer and holds the amount.
        await NotifyTwiceAsync("NOTIFICATION_OF_CHARGEBACK", "Undefended");
        var opened = await SingleDisputeAsync(api, paymentId);
        var id = opened.GetProperty("id").GetString()!;
        Assert.Equal(("needs_response", "chargeback", disputePsp), (opened.GetProperty("status").GetString(), opened.GetProperty("stage").GetString(), opened.GetProperty("provider_dispute_id").GetString()));
        Assert.Equal(0, opened.GetProperty("amount_withdrawn").GetInt64());
        Assert.Equal(4200, (await api.GetAsync($"/v1/payments/{paymentId}")).Long("amount_disputed"));
        await receiver.WaitForAsync(r => r.Any(w => w.Type == "dispute.created"), what: "dispute.created");

        // The merchant's file and fields; submitting sends the file to Adyen as a defense document, then defends.
        var fileId = (await UploadAsync(merchant, id, Pdf)).EnsureStatus(200).Str("id")!;
        (await api.PostAsync($"/v1/disputes/{id}/evidence", new { shipping_tracking_number = "1Z999AA10123456784", shipping_documentation = fileId })).EnsureStatus(200);
        var submitted = (await api.PostAsync($"/v1/disputes/{id}/submit", null)).EnsureStatus(200);
        Assert.Equal("under_review", submitted.Str("status"));
        Assert.Equal("1Z999AA10123456784", submitted.Json.GetProperty("evidence").GetProperty("shipping_tracking_number").GetString());
        var reasons = JsonNode.Parse(Assert.Single(mock.Requests, r => r.Path == disputes + "/retrieveApplicableDefenseReasons").Body!)!;
        Assert.Equal(new JsonObject { ["disputePspReference"] = disputePsp, ["merchantAccountCode"] = AdyenScenarioFixture.MerchantAccountName }.ToJsonString(), reasons.ToJsonString());
        var supply = Assert.Single(mock.Requests, r => r.Path == disputes + "/supplyDefenseDocument");
        Assert.Equal(new JsonObject
        {
            ["defenseDocuments"] = new JsonArray(new JsonObject
            {
                ["content"] = Convert.ToBase64String(Pdf),
                ["contentType"] = "application/pdf",
                ["defenseDocumentTypeCode"] = "ProofOfDelivery",
            }),
            ["disputePspReference"] = disputePsp,
            ["merchantAccountCode"] = AdyenScenarioFixture.MerchantAccountName,
        }.ToJsonString(), JsonNode.Parse(supply.Body!)!.ToJsonString());
        Assert.Equal($"{id}:evidence:chargeback:1:documents", ProviderWireMock.Header(supply, "Idempotency-Key"));
        var defend = Assert.Single(mock.Requests, r => r.Path == disputes + "/defendDispute");
        Assert.Equal(new JsonObject
        {
            ["defenseReasonCode"] = "GoodsOrServicesProvided",
            ["disputePspReference"] = disputePsp,
            ["merchantAccountCode"] = AdyenScenarioFixture.MerchantAccountName,
        }.ToJsonString(), JsonNode.Parse(defend.Body!)!.ToJsonString());
        Assert.Equal($"{id}:evidence:chargeback:1", ProviderWireMock.Header(defend, "Idempotency-Key"));
        Assert.True(supply.DateTime <= defend.DateTime, "the documents reach Adyen before the defense");
        Problem.Assert(await api.PostAsync($"/v1/disputes/{id}/submit", null), 409, "dispute_already_submitted");

        // Adyen debits the chargeback while it is defended (disputeStatus Pending): the answer stays under review.
        await NotifyTwiceAsync("CHARGEBACK", "Pending");
        var debited = await SingleDisputeAsync(api, paymentId);
        Assert.Equal("under_review", debited.GetProperty("status").GetString());
        Assert.Equal(4200, debited.GetProperty("amount_withdrawn").GetInt64());

        // The issuer decides: a reversal (won) gives the money back; the same CHARGEBACK code with Lost keeps it.
        if (won)
        {
            await NotifyTwiceAsync("CHARGEBACK_REVERSED", "Won");
        }
        else
        {
            await NotifyTwiceAsync("CHARGEBACK", "Lost");
        }

        var decided = await SingleDisputeAsync(api, paymentId);
        Assert.Equal(won ? "won" : "lost", decided.GetProperty("status").GetString());
        Assert.Equal(4200, decided.GetProperty("amount_withdrawn").GetInt64());
        Assert.Equal(won ? 4200 : 0, decided.GetProperty("amount_reinstated").GetInt64());
        Assert.Equal(won ? 0 : 4200, decided.GetProperty("amount_held").GetInt64());
        Assert.Equal(won ? ["withdrawn", "reinstated"] : ["withdrawn"],
            decided.GetProperty("funds_movements").EnumerateArray().Select(m => m.GetProperty("type").GetString()).ToArray());
        Assert.Equal(("evidence", "accepted"), (decided.GetProperty("response").GetProperty("type").GetString(), decided.GetProperty("response").GetProperty("status").GetString()));
        var payment = (await api.GetAsync($"/v1/payments/{paymentId}")).EnsureStatus(200);
        Assert.Equal((won ? 0 : 4200, 4200L), (payment.Long("amount_disputed"), payment.Long("amount_received")));
        await receiver.WaitForAsync(r => r.Any(w => w.Type == "dispute.closed"), what: "dispute.closed");
        var events = await Steps.EventTypesAsync(Server, Live(merchant), id);
        Assert.Equal(1, events.Count(t => t == "dispute.created"));
        Assert.Equal(1, events.Count(t => t == "dispute.funds_withdrawn"));
        Assert.Equal(won ? 1 : 0, events.Count(t => t == "dispute.funds_reinstated"));
        Assert.Equal(1, events.Count(t => t == "dispute.closed"));
        Assert.Single(mock.Requests, r => r.Path == disputes + "/defendDispute");
    }

    [Fact]
    public async Task Checkout_com_signed_dispute_webhooks_open_the_dispute_once_evidence_is_provided_and_submitted_and_the_outcome_closes_it()
    {
        var (merchant, account, mock) = await MerchantAsync("checkoutcom");
        var api = Server.Client(merchant.LiveSecretKey);
        var cko = JsonNode.Parse(CheckoutComScenarioFixture.Payment("Captured", Money.Of(6100, "EUR")))!.AsObject();
        cko["id"] = "pay_ckodisputede2e0000000000000";
        mock.Server.Given(Request.Create().WithPath("/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201, cko.ToJsonString()));
        mock.Server.Given(Request.Create().WithPath("/files").UsingPost()).RespondWith(ProviderWireMock.Json(200, new JsonObject { ["id"] = "file_ckoe2e" }.ToJsonString()));
        mock.Server.Given(Request.Create().WithPath("/disputes/dsp_ckoe2e/evidence").UsingPut()).RespondWith(ProviderWireMock.Json(204, "{}"));
        mock.Server.Given(Request.Create().WithPath("/disputes/dsp_ckoe2e/evidence").UsingPost()).RespondWith(ProviderWireMock.Json(204, "{}"));
        var paymentId = (await PayAsync(merchant, 6100)).Str("id")!;
        Assert.Equal("succeeded", (await api.GetAsync($"/v1/payments/{paymentId}")).Str("status"));

        var due = DateTimeOffset.UtcNow.AddDays(5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        async Task<int> SendAsync(string type, string eventId)
        {
            var (body, signature) = CheckoutComStoredCredentialAndDisputeTests.DisputeEvent(type, eventId, "pay_ckodisputede2e0000000000000", paymentId, 6100,
                ProviderAccountSetup.CheckoutComWebhookSecret, "dsp_ckoe2e", due);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/provider_webhooks/{account}") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TryAddWithoutValidation("Cko-Signature", signature);
            using var response = await Server.Client(null).Http.SendAsync(request);
            return (int)response.StatusCode;
        }

        Assert.Equal(200, await SendAsync("dispute_evidence_required", "evt_cko_e2e_1"));
        Assert.Equal(200, await SendAsync("dispute_evidence_required", "evt_cko_e2e_1"));
        var opened = await SingleDisputeAsync(api, paymentId);
        var id = opened.GetProperty("id").GetString()!;
        Assert.Equal("needs_response", opened.GetProperty("status").GetString());
        Assert.Equal(6100, opened.GetProperty("amount_withdrawn").GetInt64());
        Assert.Equal("fraudulent", opened.GetProperty("reason").GetString());
        Assert.Equal(1, (await Steps.EventTypesAsync(Server, Live(merchant), id)).Count(t => t == "dispute.created"));

        var fileId = (await UploadAsync(merchant, id, Pdf)).EnsureStatus(200).Str("id")!;
        (await api.PostAsync($"/v1/disputes/{id}/evidence", new { receipt = fileId, uncategorized_text = "Signed for by the cardholder." })).EnsureStatus(200);
        Assert.Equal("under_review", (await api.PostAsync($"/v1/disputes/{id}/submit", null)).EnsureStatus(200).Str("status"));
        var provided = JsonNode.Parse(Assert.Single(mock.Requests, r => r.Path == "/disputes/dsp_ckoe2e/evidence" && r.Method == "PUT").Body!)!;
        Assert.Equal("file_ckoe2e", provided["invoice_or_receipt_file"]!.GetValue<string>());
        Assert.Equal("uncategorized_text: Signed for by the cardholder.", provided["additional_evidence_text"]!.GetValue<string>());
        Assert.Single(mock.Requests, r => r.Path == "/disputes/dsp_ckoe2e/evidence" && r.Method == "POST");

        Assert.Equal(200, await SendAsync("dispute_won", "evt_cko_e2e_2"));
        var won = await SingleDisputeAsync(api, paymentId);
        Assert.Equal("won", won.GetProperty("status").GetString());
        Assert.Equal(6100, won.GetProperty("amount_reinstated").GetInt64());
    }

    [Fact]
    public async Task Mollie_payment_webhook_reads_the_chargebacks_into_a_dispute_once_and_its_reversal_wins_it_back()
    {
        var (merchant, account, mock) = await MerchantAsync("mollie");
        var api = Server.Client(merchant.LiveSecretKey);
        const string tr = "tr_chargedBack1";
        mock.Server.Given(Request.Create().WithPath("/v2/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201,
            MollieScenarioFixture.Payment("open", Money.Of(2500, "EUR"), manualCapture: false, id: tr, checkoutUrl: MollieScenarioFixture.CheckoutUrl)));
        var paymentId = (await PayAsync(merchant, 2500)).Str("id")!;
        var read = Request.Create().WithPath($"/v2/payments/{tr}").UsingGet();
        mock.Server.Given(read).RespondWith(ProviderWireMock.Json(200, MollieScenarioFixture.Payment("paid", Money.Of(2500, "EUR"), manualCapture: false, id: tr, gatewayPaymentId: paymentId)));
        Assert.Equal(200, (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", "id=" + tr, contentType: "application/x-www-form-urlencoded")).Status);
        Assert.Equal("succeeded", (await api.GetAsync($"/v1/payments/{paymentId}")).Str("status"));

        mock.Server.Given(read).RespondWith(ProviderWireMock.Json(200, MollieChargebackTests.ChargedBackPayment(paymentId, tr)));
        var chargebacks = Request.Create().WithPath($"/v2/payments/{tr}/chargebacks").UsingGet();
        mock.Server.Given(chargebacks).RespondWith(ProviderWireMock.Json(200, MollieChargebackTests.Chargebacks(tr, null, "chb_e2e")));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(200, (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", "id=" + tr, contentType: "application/x-www-form-urlencoded")).Status);
        }

        var opened = await SingleDisputeAsync(api, paymentId);
        var id = opened.GetProperty("id").GetString()!;
        Assert.Equal("needs_response", opened.GetProperty("status").GetString());
        Assert.Equal(2500, opened.GetProperty("amount_withdrawn").GetInt64());
        Assert.Equal("fraudulent", opened.GetProperty("reason").GetString());
        Problem.Assert(await api.PostAsync($"/v1/disputes/{id}/accept", null), 422, "dispute_response_unsupported");

        mock.Server.Given(chargebacks).RespondWith(ProviderWireMock.Json(200, MollieChargebackTests.Chargebacks(tr, "2026-01-20T09:00:00+00:00", "chb_e2e")));
        Assert.Equal(200, (await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", "id=" + tr, contentType: "application/x-www-form-urlencoded")).Status);
        var won = await SingleDisputeAsync(api, paymentId);
        Assert.Equal("won", won.GetProperty("status").GetString());
        Assert.Equal(2500, won.GetProperty("amount_reinstated").GetInt64());
        var events = await Steps.EventTypesAsync(Server, Live(merchant), id);
        Assert.Equal(1, events.Count(t => t == "dispute.created"));
        Assert.Equal(1, events.Count(t => t == "dispute.funds_withdrawn"));
    }

    // ------------------------------------------------------------------ helpers

    private static TestMerchant Live(TestMerchant merchant) => new(merchant.Id, merchant.LiveSecretKey!, merchant.LivePublishableKey!, null, null);

    private async Task<(TestMerchant Merchant, string Account, ProviderWireMock Mock)> MerchantAsync(string provider)
    {
        var merchant = await Server.CreateMerchantAsync($"{provider} stored credentials and disputes merchant", withLiveKeys: true);
        var mock = new ProviderWireMock();
        _mocks.Add(mock);
        var account = await ProviderAccountSetup.AddRoutedAccountAsync(Server, merchant.Id, provider, mock.BaseUrl);
        return (merchant, account, mock);
    }

    private async Task<string> TokenizeAsync(TestMerchant merchant) =>
        (await Server.Client(merchant.LivePublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = TestCards.Visa, exp_month = 12, exp_year = DateTime.UtcNow.Year + 3, cvc = TestCards.CvcFor(TestCards.Visa) },
        })).EnsureStatus(200).Str("id")!;

    private async Task<ApiResponse> PayAsync(TestMerchant merchant, long amount) =>
        (await Server.Client(merchant.LiveSecretKey).PostAsync("/v1/payments", new
        {
            amount,
            currency = "EUR",
            payment_method = await TokenizeAsync(merchant),
            confirm = true,
            return_url = "https://shop.example/return",
        })).EnsureStatus(200);

    private static Task<ApiResponse> OffSessionAsync(GatewayClient api, string customer, string pm) => api.PostAsync("/v1/payments", new
    {
        amount = 1990,
        currency = "EUR",
        customer,
        payment_method = pm,
        off_session = true,
        mit_type = "recurring",
        confirm = true,
    });

    private async Task<ApiResponse> PostStripeAsync(string account, string type, JsonObject dispute, string eventId)
    {
        var (body, signature) = StripeDisputeTests.SignedEvent(type, dispute.DeepClone().AsObject(), eventId, ProviderAccountSetup.StripeWebhookSecret);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/provider_webhooks/{account}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        using var response = await Server.Client(null).Http.SendAsync(request);
        return new ApiResponse(response.StatusCode, response.Headers, response.Content.Headers, await response.Content.ReadAsStringAsync());
    }

    private static async Task<System.Text.Json.JsonElement> SingleDisputeAsync(GatewayClient api, string paymentId)
    {
        var list = (await api.GetAsync($"/v1/disputes?payment={paymentId}")).EnsureStatus(200).Json.GetProperty("data");
        Assert.Equal(1, list.GetArrayLength());
        return list[0];
    }

    private async Task<ApiResponse> UploadAsync(TestMerchant merchant, string disputeId, byte[] bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/disputes/{disputeId}/evidence/files?filename=tracking.pdf");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", merchant.LiveSecretKey);
        request.Content = new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var response = await Server.Client(null).Http.SendAsync(request);
        return new ApiResponse(response.StatusCode, response.Headers, response.Content.Headers, await response.Content.ReadAsStringAsync());
    }
}
