using System.Net;
using System.Text.Json.Nodes;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Providers;
using PaymentGateway.Providers.ContractTests.Adyen;
using PaymentGateway.Providers.ContractTests.CheckoutCom;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Mollie;
using PaymentGateway.Providers.ContractTests.Stripe;
using PaymentGateway.Samples.Subscriptions;
using PaymentGateway.Sdk;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using SdkPaymentMethod = PaymentGateway.Sdk.PaymentMethod;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// The subscriptions sample (samples/Subscriptions) run as the merchant would, through the SDK against a real gateway on
/// loopback: against the simulator's saved-card test cards, bounded to a minute; each case checks what the sample's
/// three steps did (save on the first payment, charge monthly off session, bring the customer back when the issuer asks).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SubscriptionSampleTests(GatewayFixture fixture)
{
    private static readonly SubscriptionPlan Plan = new(1990, "EUR", "Monthly plan");
    private static readonly Uri ReturnUrl = new("https://shop.example/account/billing");

    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task Sample_on_the_simulator_saves_the_card_on_the_first_payment_and_charges_six_months_off_session_each_once()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var merchant = await Server.CreateMerchantAsync("Subscriptions sample");
        using var client = Client(merchant.SecretKey);
        using var customer = new SimulatorCustomer();
        var flow = new SubscriptionFlow(client, customer.AuthenticateAsync, ReturnUrl);
        var method = await TokenizeAsync(client, merchant, TestCards.MitApproved, bound.Token);

        var subscription = await flow.SubscribeAsync("monthly@shop.example", method.Id, Plan, bound.Token);
        var charges = await flow.ChargeMonthsAsync(subscription, Plan, 6, bound.Token);

        Assert.Equal(PaymentStatus.Succeeded, subscription.FirstPayment.Status);
        Assert.Equal((SetupFutureUsage.OffSession, false), (subscription.FirstPayment.SetupFutureUsage, subscription.FirstPayment.OffSession));
        var saved = await client.PaymentMethods.GetAsync(method.Id, cancellationToken: bound.Token);
        Assert.Equal((subscription.Customer, SetupFutureUsage.OffSession), (saved.Customer, saved.Usage));
        Assert.Equal([1, 2, 3, 4, 5, 6], charges.Select(c => c.Month));
        Assert.All(charges, c =>
        {
            Assert.Equal((ChargeOutcome.Paid, false), (c.Outcome, c.CustomerWasAsked));
            Assert.Equal((PaymentStatus.Succeeded, true, MitType.Recurring), (c.Payment.Status, c.Payment.OffSession, c.Payment.MitType));
            Assert.Equal((1990L, subscription.Customer, method.Id), (c.Payment.AmountReceived, c.Payment.Customer, c.Payment.PaymentMethod));
        });
        Assert.Equal(6, charges.Select(c => c.Payment.Id).Distinct().Count());

        // A billing run that crashed and runs month 3 again gets month 3's payment back: charged once.
        var again = await flow.ChargeMonthAsync(subscription, Plan, 3, bound.Token);
        Assert.Equal(charges[2].Payment.Id, again.Payment.Id);
        var listed = new List<string>();
        await foreach (var p in client.Payments.ListAutoPagingAsync(new ListPaymentsRequest { Limit = 100 }, cancellationToken: bound.Token))
        {
            listed.Add(p.Id);
        }

        Assert.Equal(7, listed.Count);
    }

    [Fact]
    public async Task Sample_on_the_simulator_brings_the_customer_back_on_session_when_the_issuer_requires_authentication_and_never_retries_off_session()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var merchant = await Server.CreateMerchantAsync("Subscriptions sample, authentication required");
        using var client = Client(merchant.SecretKey);
        using var customer = new CountingCustomer(new SimulatorCustomer());
        var flow = new SubscriptionFlow(client, customer.AuthenticateAsync, ReturnUrl);
        var method = await TokenizeAsync(client, merchant, TestCards.AuthenticationRequiredOffSession, bound.Token);

        var subscription = await flow.SubscribeAsync("authenticates@shop.example", method.Id, Plan, bound.Token);
        Assert.Equal(1, customer.Visits); // the first payment's own challenge, the customer being there
        Assert.Equal(PaymentStatus.Succeeded, subscription.FirstPayment.Status);

        var charges = await flow.ChargeMonthsAsync(subscription, Plan, 2, bound.Token);

        Assert.Equal(3, customer.Visits);
        Assert.All(charges, c =>
        {
            Assert.Equal((ChargeOutcome.Paid, true), (c.Outcome, c.CustomerWasAsked));
            Assert.Equal((PaymentStatus.Succeeded, false, 1990L), (c.Payment.Status, c.Payment.OffSession, c.Payment.AmountReceived));
            Assert.Equal(ReturnUrl.ToString(), c.Payment.ReturnUrl); // the on-session confirmation's return URL, where the customer lands
        });
        foreach (var charge in charges)
        {
            var events = await Steps.EventTypesAsync(Server, merchant, charge.Payment.Id);
            Assert.Equal(1, events.Count(t => t == "payment.authentication_required"));
            Assert.Equal(1, events.Count(t => t == "payment.succeeded"));
        }
    }

    [Fact]
    public async Task Sample_on_the_simulator_reports_a_card_expired_since_saving_as_failed_without_asking_the_customer()
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var merchant = await Server.CreateMerchantAsync("Subscriptions sample, expired card");
        using var client = Client(merchant.SecretKey);
        using var customer = new CountingCustomer(new SimulatorCustomer());
        var flow = new SubscriptionFlow(client, customer.AuthenticateAsync, ReturnUrl);
        var method = await TokenizeAsync(client, merchant, TestCards.ExpiredSinceSaving, bound.Token);
        var subscription = await flow.SubscribeAsync("expired@shop.example", method.Id, Plan, bound.Token);

        var charge = await flow.ChargeMonthAsync(subscription, Plan, 1, bound.Token);

        Assert.Equal((ChargeOutcome.Failed, false, 0), (charge.Outcome, charge.CustomerWasAsked, customer.Visits));
        Assert.Equal((PaymentStatus.Failed, "expired_card"), (charge.Payment.Status, charge.Payment.LastPaymentError?.DeclineCode));
    }

    internal static PaymentGatewayClient Client(string? key, Uri? baseAddress = null) => new(new PaymentGatewayClientOptions
    {
        BaseAddress = baseAddress,
        ApiKey = key,
        MaxRetries = 0,
    });

    private PaymentGatewayClient Client(string key) => Client(key, Server.BaseAddress);

    internal static Task<SdkPaymentMethod> TokenizeAsync(PaymentGatewayClient client, string publishableKey, string number, CancellationToken ct) =>
        client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Card = new CardDetailsRequest { Number = number, ExpMonth = 12, ExpYear = DateTime.UtcNow.Year + 3, Cvc = TestCards.CvcFor(number) } },
            new RequestOptions { ApiKey = publishableKey },
            ct);

    private static Task<SdkPaymentMethod> TokenizeAsync(PaymentGatewayClient client, TestMerchant merchant, string number, CancellationToken ct) =>
        TokenizeAsync(client, merchant.PublishableKey, number, ct);

    /// <summary>Counts how often the sample sent the customer to authenticate.</summary>
    private sealed class CountingCustomer(SimulatorCustomer inner) : IDisposable
    {
        public int Visits { get; private set; }

        public Task AuthenticateAsync(Payment payment, CancellationToken ct)
        {
            Visits++;
            return inner.AuthenticateAsync(payment, ct);
        }

        public void Dispose() => inner.Dispose();
    }
}

/// <summary>
/// The subscriptions sample against each provider's documented API (WireMock) through a real gateway whose live provider
/// account points at it: the sample saves the card on the first payment, charges three months off session and, when the
/// fourth is refused as authentication required, confirms it on session and brings the customer back through the
/// provider's redirect and the gateway's return endpoint. The assertions are on what each provider was sent: the
/// stored reference (Stripe customer + payment method, Adyen storedPaymentMethodId, Checkout.com source id + previous
/// payment id, Mollie customer + mandate) and the merchant-initiated recurring typing, with no card number or CVC.
/// </summary>
public sealed class SubscriptionSampleProviderTests(ProviderThreeDSecureFixture fixture) : IClassFixture<ProviderThreeDSecureFixture>, IDisposable
{
    private const int Months = 3;
    private const string AcsUrl = "https://acs.example/challenge/subscription";
    private const string StripeCustomer = "cus_SubscriptionSample";
    private const string StripePaymentMethod = "pm_SubscriptionSample";
    private const string StripeNti = "583921045112299";
    private const string AdyenToken = "8415718415172299";
    private const string AdyenNti = "MCC123456789099";
    private const string CkoSource = "src_subscriptionsample000000000";
    private const string CkoSchemeId = "489341065491699";
    private const string CkoFirst = "pay_subscriptionfirst0000000000";
    private const string CkoSession = "sid_subscriptionsampleback000000";
    private const string MollieCustomer = "cst_SubSample1";
    private const string MollieMandate = "mdt_SubSample1";
    private static readonly SubscriptionPlan Plan = new(1990, "EUR", "Monthly plan");

    private readonly List<ProviderWireMock> _mocks = [];
    private readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false });

    private GatewayServer Server => fixture.Server;

    public void Dispose()
    {
        foreach (var mock in _mocks)
        {
            mock.Dispose();
        }

        _browser.Dispose();
    }

    [Theory]
    [InlineData("stripe")]
    [InlineData("adyen")]
    [InlineData("checkoutcom")]
    [InlineData("mollie")]
    public async Task Sample_saves_on_the_first_payment_charges_monthly_off_session_with_the_stored_reference_and_brings_the_customer_back(string provider)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var merchant = await Server.CreateMerchantAsync($"{provider} subscriptions sample", withLiveKeys: true);
        var mock = new ProviderWireMock();
        _mocks.Add(mock);
        var account = await ProviderAccountSetup.AddRoutedAccountAsync(Server, merchant.Id, provider, mock.BaseUrl);
        Arrange(provider, mock);
        using var client = SubscriptionSampleTests.Client(merchant.LiveSecretKey, Server.BaseAddress);
        var visits = new List<string>();
        var flow = new SubscriptionFlow(client, async (payment, ct) =>
        {
            // The customer follows the provider's redirect, authenticates there, and the provider sends them to the
            // gateway's return endpoint for this payment and attempt, which reads the outcome from the provider.
            visits.Add(payment.Id);
            var attempt = payment.Routing?.Attempts[^1].Id ?? throw new InvalidOperationException("no attempt");
            var query = Completion(provider, mock, payment.Id, visits.Count);
            using var back = await _browser.GetAsync(new Uri(Server.BaseAddress, $"/provider_returns/{account}/{payment.Id}/{attempt}{query}"), ct);
            Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        }, new Uri("https://shop.example/account/billing"));

        var method = await SubscriptionSampleTests.TokenizeAsync(client, merchant.LivePublishableKey!, TestCards.Visa, bound.Token);
        var subscription = await flow.SubscribeAsync("subscriber@shop.example", method.Id, Plan, bound.Token);
        var charges = await flow.ChargeMonthsAsync(subscription, Plan, Months + 1, bound.Token);

        // Adyen captures asynchronously (a CAPTURE notification finishes the payments); the others answer captured.
        var charged = provider == "adyen" ? ChargeOutcome.Pending : ChargeOutcome.Paid;
        Assert.Equal(provider == "mollie" ? new List<string> { subscription.FirstPayment.Id, charges[^1].Payment.Id } : [charges[^1].Payment.Id], visits);
        Assert.All(charges.Take(Months), c => Assert.Equal((charged, false, true, MitType.Recurring), (c.Outcome, c.CustomerWasAsked, c.Payment.OffSession, c.Payment.MitType)));
        Assert.Equal((charged, true, false), (charges[^1].Outcome, charges[^1].CustomerWasAsked, charges[^1].Payment.OffSession));
        Assert.Equal(Months + 1, charges.Select(c => c.Payment.Id).Distinct().Count());

        var sent = Creates(provider, mock);
        Assert.Equal(Months + 3, sent.Count); // the first payment, the months, the refused month, its on-session confirmation
        var body = mock.Requests.Where(r => r.Method == "POST" && r.Path == CreatePath(provider)).Select(r => r.Body ?? string.Empty).ToList();
        Assert.All(body.Skip(1), b => Assert.DoesNotContain(TestCards.Visa, b, StringComparison.Ordinal));
        AssertFirst(provider, sent[0]);
        foreach (var mit in sent.Skip(1).Take(Months + 1))
        {
            AssertMerchantInitiated(provider, mit);
        }

        AssertOnSession(provider, sent[^1]);
        var refused = await client.Payments.GetAsync(charges[^1].Payment.Id, cancellationToken: bound.Token);
        Assert.Equal(2, refused.Routing?.Attempts.Count);
    }

    // ------------------------------------------------------------------ what each provider answers

    private static void Arrange(string provider, ProviderWireMock mock)
    {
        var create = Request.Create().WithPath(CreatePath(provider)).UsingPost();
        var answers = new List<IResponseBuilder>();
        switch (provider)
        {
            case "stripe":
                mock.Server.Given(Request.Create().WithPath("/v1/customers").UsingPost())
                    .RespondWith(ProviderWireMock.Json(200, new JsonObject { ["id"] = StripeCustomer, ["object"] = "customer" }.ToJsonString()));
                var first = StripeFixtures.PaymentIntent("pi_sub_first", "succeeded", 1990, "eur", capture: true);
                first["customer"] = StripeCustomer;
                first["payment_method"] = StripePaymentMethod;
                first["setup_future_usage"] = "off_session";
                var charge = StripeFixtures.Resource("charge");
                charge["payment_method_details"]!["card"]!["network_transaction_id"] = StripeNti;
                first["latest_charge"] = charge;
                answers.Add(ProviderWireMock.Json(200, first.ToJsonString()));
                for (var m = 1; m <= Months; m++)
                {
                    answers.Add(ProviderWireMock.Json(200, StripeFixtures.PaymentIntent($"pi_sub_month{m}", "succeeded", 1990, "eur", capture: true).ToJsonString()));
                }

                answers.Add(ProviderWireMock.Json(402, StripeFixtures.CardError("authentication_required", "authentication_required", "This transaction requires authentication.",
                    StripeFixtures.PaymentIntent("pi_sub_refused", "requires_payment_method", 1990, "eur", capture: true)).ToJsonString()));
                answers.Add(ProviderWireMock.Json(200, StripeFixtures.RequiresAction("pi_sub_back", 1990, "eur", AcsUrl).ToJsonString()));
                break;
            case "adyen":
                answers.Add(ProviderWireMock.Json(200, new JsonObject
                {
                    ["pspReference"] = AdyenScenarioFixture.PspReference,
                    ["resultCode"] = "Authorised",
                    ["additionalData"] = new JsonObject
                    {
                        ["tokenization.storedPaymentMethodId"] = AdyenToken,
                        ["networkTxReference"] = AdyenNti,
                    },
                }.ToJsonString()));
                for (var m = 1; m <= Months; m++)
                {
                    answers.Add(ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("Authorised")));
                }

                answers.Add(ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("Refused", "Authentication required", "38")));
                answers.Add(ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("RedirectShopper", actionUrl: AcsUrl)));
                break;
            case "checkoutcom":
                var stored = JsonNode.Parse(CheckoutComScenarioFixture.Payment("Captured", Money.Of(1990, "EUR")))!.AsObject();
                stored["id"] = CkoFirst;
                stored["source"] = new JsonObject { ["id"] = CkoSource, ["type"] = "card", ["last4"] = "4242" };
                stored["scheme_id"] = CkoSchemeId;
                answers.Add(ProviderWireMock.Json(201, stored.ToJsonString()));
                for (var m = 1; m <= Months; m++)
                {
                    var month = JsonNode.Parse(CheckoutComScenarioFixture.Payment("Captured", Money.Of(1990, "EUR")))!.AsObject();
                    month["id"] = $"pay_subscriptionmonth{m}".PadRight(31, '0');
                    answers.Add(ProviderWireMock.Json(201, month.ToJsonString()));
                }

                answers.Add(ProviderWireMock.Json(201, CheckoutComScenarioFixture.Payment("Declined", Money.Of(1990, "EUR"), "20154", "3D Secure authentication required")));
                answers.Add(ProviderWireMock.Json(202, CheckoutComScenarioFixture.Payment("Pending", Money.Of(1990, "EUR"), null, null, redirectUrl: AcsUrl)));
                break;
            default:
                mock.Server.Given(Request.Create().WithPath("/v2/customers").UsingPost())
                    .RespondWith(ProviderWireMock.Json(201, new JsonObject { ["resource"] = "customer", ["id"] = MollieCustomer }.ToJsonString()));
                answers.Add(ProviderWireMock.Json(201, Mollie("open", "tr_subFirst", "first", checkout: true)));
                for (var m = 1; m <= Months; m++)
                {
                    answers.Add(ProviderWireMock.Json(201, Mollie("paid", $"tr_subMonth{m}", "recurring")));
                }

                answers.Add(ProviderWireMock.Json(201, Mollie("failed", "tr_subRefused", "recurring", failureReason: "authentication_required")));
                answers.Add(ProviderWireMock.Json(201, Mollie("open", "tr_subBack", "oneoff", checkout: true)));
                break;
        }

        mock.RespondInSequence(create, [.. answers]);
    }

    /// <summary>Arranges the provider's read-back after the customer's visit number <paramref name="visit"/>; returns what the provider appends to the return URL.</summary>
    private static string Completion(string provider, ProviderWireMock mock, string paymentId, int visit)
    {
        switch (provider)
        {
            case "stripe":
                mock.Server.Given(Request.Create().WithPath("/v1/payment_intents/pi_sub_back").UsingGet())
                    .RespondWith(ProviderWireMock.Json(200, StripeFixtures.PaymentIntent("pi_sub_back", "succeeded", 1990, "eur", true, paymentId).ToJsonString()));
                return "?payment_intent=pi_sub_back&payment_intent_client_secret=pi_sub_back_secret_x&redirect_status=succeeded";
            case "adyen":
                mock.Server.Given(Request.Create().WithPath("/v71/payments/details").UsingPost())
                    .RespondWith(ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("Authorised")));
                return "?redirectResult=X6XtfGC3%2521Y...";
            case "checkoutcom":
                mock.Server.Given(Request.Create().WithPath($"/payments/{CkoSession}").UsingGet())
                    .RespondWith(ProviderWireMock.Json(200, CheckoutComScenarioFixture.Payment("Captured", Money.Of(1990, "EUR"), reference: paymentId)));
                return $"?cko-session-id={CkoSession}";
            default:
                var (id, sequence) = visit == 1 ? ("tr_subFirst", "first") : ("tr_subBack", "oneoff");
                mock.Server.Given(Request.Create().WithPath($"/v2/payments/{id}").UsingGet())
                    .RespondWith(ProviderWireMock.Json(200, Mollie("paid", id, sequence, gatewayPaymentId: paymentId, mandate: visit == 1)));
                return string.Empty;
        }
    }

    private static string Mollie(string status, string id, string sequence, bool checkout = false, string? failureReason = null, string gatewayPaymentId = "pay_scenario", bool mandate = true)
    {
        var payment = JsonNode.Parse(MollieScenarioFixture.Payment(status, Money.Of(1990, "EUR"), manualCapture: false, id: id,
            checkoutUrl: checkout ? MollieScenarioFixture.CheckoutUrl : null, failureReason: failureReason, gatewayPaymentId: gatewayPaymentId))!.AsObject();
        payment["customerId"] = MollieCustomer;
        payment["sequenceType"] = sequence;
        if (mandate && status == "paid")
        {
            payment["mandateId"] = MollieMandate;
        }

        return payment.ToJsonString();
    }

    // ------------------------------------------------------------------ what each provider was sent

    private static string CreatePath(string provider) => provider switch
    {
        "stripe" => "/v1/payment_intents",
        "adyen" => "/v71/payments",
        "mollie" => "/v2/payments",
        _ => "/payments",
    };

    /// <summary>The payment creates sent, oldest first: a form (Stripe) or a JSON body, as one JSON object.</summary>
    private static List<JsonObject> Creates(string provider, ProviderWireMock mock) =>
        [.. mock.Requests.Where(r => r.Method == "POST" && r.Path == CreatePath(provider)).Select(r => provider == "stripe"
            ? new JsonObject(ProviderWireMock.Form(r).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))))
            : JsonNode.Parse(r.Body!)!.AsObject())];

    private static string? Str(JsonNode? node) => node?.GetValue<string>();

    private static void AssertFirst(string provider, JsonObject first)
    {
        switch (provider)
        {
            case "stripe":
                Assert.Equal((StripeCustomer, "off_session"), (Str(first["customer"]), Str(first["setup_future_usage"])));
                break;
            case "adyen":
                Assert.True(first["storePaymentMethod"]?.GetValue<bool>());
                Assert.Equal(("Ecommerce", "UnscheduledCardOnFile"), (Str(first["shopperInteraction"]), Str(first["recurringProcessingModel"])));
                break;
            case "checkoutcom":
                Assert.True(first["source"]?["store_for_future_use"]?.GetValue<bool>());
                Assert.False(first["merchant_initiated"]?.GetValue<bool>());
                break;
            default:
                Assert.Equal((MollieCustomer, "first"), (Str(first["customerId"]), Str(first["sequenceType"])));
                break;
        }
    }

    private static void AssertMerchantInitiated(string provider, JsonObject mit)
    {
        switch (provider)
        {
            case "stripe":
                Assert.Equal((StripeCustomer, StripePaymentMethod, "true"), (Str(mit["customer"]), Str(mit["payment_method"]), Str(mit["off_session"])));
                Assert.DoesNotContain(mit, kv => kv.Key.StartsWith("payment_method_data", StringComparison.Ordinal));
                break;
            case "adyen":
                Assert.Equal(AdyenToken, Str(mit["paymentMethod"]?["storedPaymentMethodId"]));
                Assert.Null(mit["paymentMethod"]?["number"]);
                Assert.Equal(("ContAuth", "Subscription"), (Str(mit["shopperInteraction"]), Str(mit["recurringProcessingModel"])));
                Assert.NotNull(Str(mit["shopperReference"]));
                break;
            case "checkoutcom":
                Assert.Equal(new JsonObject { ["type"] = "id", ["id"] = CkoSource }.ToJsonString(), mit["source"]?.ToJsonString());
                Assert.Equal(("Recurring", true, CkoFirst), (Str(mit["payment_type"]), mit["merchant_initiated"]?.GetValue<bool>(), Str(mit["previous_payment_id"])));
                Assert.Null(mit["3ds"]);
                break;
            default:
                Assert.Equal((MollieCustomer, MollieMandate, "recurring"), (Str(mit["customerId"]), Str(mit["mandateId"]), Str(mit["sequenceType"])));
                Assert.Null(mit["redirectUrl"]);
                break;
        }
    }

    private static void AssertOnSession(string provider, JsonObject confirm)
    {
        switch (provider)
        {
            case "stripe":
                Assert.Equal((StripeCustomer, StripePaymentMethod), (Str(confirm["customer"]), Str(confirm["payment_method"])));
                Assert.Null(confirm["off_session"]);
                Assert.NotNull(Str(confirm["return_url"]));
                break;
            case "adyen":
                Assert.Equal(AdyenToken, Str(confirm["paymentMethod"]?["storedPaymentMethodId"]));
                Assert.Equal("Ecommerce", Str(confirm["shopperInteraction"]));
                Assert.NotNull(Str(confirm["returnUrl"]));
                break;
            case "checkoutcom":
                Assert.False(confirm["merchant_initiated"]?.GetValue<bool>() ?? false);
                Assert.NotNull(confirm["3ds"]);
                break;
            default:
                Assert.Equal(MollieCustomer, Str(confirm["customerId"]));
                Assert.NotEqual("recurring", Str(confirm["sequenceType"]));
                Assert.NotNull(Str(confirm["redirectUrl"]));
                break;
        }
    }
}
