using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Providers;
using PaymentGateway.Providers.ContractTests.Adyen;
using PaymentGateway.Providers.ContractTests.CheckoutCom;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Mollie;
using PaymentGateway.Providers.ContractTests.Stripe;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// A gateway on Kestrel whose reconciler runs every 100 ms, with each adapter retrying once; live-mode merchants whose
/// provider accounts point at WireMock servers playing Stripe, Adyen, Checkout.com and Mollie.
/// </summary>
public sealed class ProviderMoneySafetyFixture : IAsyncLifetime
{
    public GatewayServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["PaymentGateway:Reconciler:Interval"] = "00:00:00.100",
            ["PaymentGateway:Reconciler:MinAge"] = "00:00:00.200",
            ["PaymentGateway:Reconciler:BackoffCap"] = "00:00:00.800",
            ["PaymentGateway:ProviderCircuits:MinimumThroughput"] = "1000",
        };
        foreach (var provider in new[] { "Stripe", "Adyen", "CheckoutCom", "Mollie" })
        {
            settings[$"PaymentGateway:Providers:{provider}:AttemptTimeout"] = "00:00:02";
            settings[$"PaymentGateway:Providers:{provider}:MaxRetries"] = "1";
            settings[$"PaymentGateway:Providers:{provider}:RetryDelay"] = "00:00:00.010";
        }

        Server = await GatewayServer.StartAsync(settings);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// Never charge twice, never lose a payment, per adapter, through the real gateway: an answer after sending (500, 502,
/// 503) is never failed over to the second account and is settled later with the same idempotency key; a refused
/// connection (nothing sent) is; a failed status lookup (400, 404) leaves the payment processing until the provider's
/// own word settles it.
/// </summary>
public sealed class ProviderMoneySafetyTests(ProviderMoneySafetyFixture fixture) : IClassFixture<ProviderMoneySafetyFixture>, IDisposable
{
    private const string ReturnUrl = "https://shop.example/return";
    private readonly List<ProviderWireMock> _mocks = [];

    private GatewayServer Server => fixture.Server;

    private GatewayClient Admin => Server.Client(Server.AdminKey);

    public void Dispose()
    {
        foreach (var mock in _mocks)
        {
            mock.Dispose();
        }
    }

    // ------------------------------------------------------------------ 5xx after sending

    [Theory]
    [InlineData("stripe", 500)]
    [InlineData("stripe", 502)]
    [InlineData("stripe", 503)]
    [InlineData("checkoutcom", 500)]
    [InlineData("checkoutcom", 502)]
    [InlineData("checkoutcom", 503)]
    [InlineData("mollie", 500)]
    [InlineData("mollie", 502)]
    [InlineData("mollie", 503)]
    public async Task A_5xx_after_sending_never_reaches_the_second_account_and_the_reconciler_settles_it_with_the_same_key(string provider, int status)
    {
        var (merchant, mockA, mockB) = await TwoAccountsAsync(provider);
        mockA.Server.Given(Create(provider)).RespondWith(ServerError(provider, status));

        var payment = await PayAsync(merchant);
        var id = payment.Str("id")!;
        Assert.Equal("processing", payment.Str("status"));
        Assert.Empty(mockB.Requests);
        var attempt = Assert.Single(Attempts(payment));
        var key = $"{id}:{attempt.GetProperty("id").GetString()}";

        // Every create the first account received (the adapter's retry included) carried the attempt's one key.
        var creates = Creates(mockA, provider);
        Assert.Equal(2, creates.Count);
        Assert.All(creates, r => Assert.Equal(key, ProviderWireMock.Header(r, IdempotencyHeader(provider))));

        // The provider knows the payment by that key: the reconciler finds it (a decoy from another attempt is ignored).
        ArrangeFoundByKey(provider, mockA, id, key);
        var settled = await Steps.PollPaymentAsync(Server.Client(merchant.LiveSecretKey), id, p => p.Str("status") != "processing", TimeSpan.FromSeconds(20));
        Assert.Equal(provider == "mollie" ? "requires_action" : "requires_capture", settled.Str("status"));
        Assert.Empty(mockB.Requests);
        if (provider == "mollie")
        {
            // The customer is sent to the checkout of the payment found by the key, not the decoy's.
            Assert.EndsWith("/found", settled.Json.GetProperty("next_action").GetProperty("redirect_to_url").GetProperty("url").GetString(), StringComparison.Ordinal);
        }
        else
        {
            // The payment adopted the provider object found by the key: capture goes to it, at the first account.
            var capturePath = provider == "stripe" ? $"/v1/payment_intents/{FoundReference(provider)}/capture" : $"/payments/{FoundReference(provider)}/captures";
            mockA.Server.Given(Request.Create().WithPath(capturePath).UsingPost()).RespondWith(provider == "stripe"
                ? ProviderWireMock.Json(200, StripeFixtures.PaymentIntent(FoundReference(provider), "succeeded", 1000, "eur", false, id).ToJsonString())
                : ProviderWireMock.Json(202, CheckoutComScenarioFixture.Action("act_capture_found", id)));
            (await Server.Client(merchant.LiveSecretKey).PostAsync($"/v1/payments/{id}/capture", new { })).EnsureStatus(200);
            Assert.Single(mockA.Requests, r => r.Method == "POST" && r.Path == capturePath);
        }

        Assert.Equal(2, Creates(mockA, provider).Count); // the reconciler only looked it up; nothing was created again
        if (provider == "stripe")
        {
            // Stripe's lookup carries the key itself: a search on the metadata the create stored.
            Assert.Contains(mockA.Requests, r => r.Path == "/v1/payment_intents/search"
                && (r.Query?["query"].FirstOrDefault() ?? string.Empty).Contains(key, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Adyen_5xx_after_sending_never_reaches_the_second_account_and_its_notification_settles_it(int status)
    {
        // Adyen's Checkout API has no status lookup: the reconciler keeps the payment processing (it never declines
        // it) and the AUTHORISATION notification, which Adyen sends for the request it processed, settles it.
        var (merchant, mockA, mockB) = await TwoAccountsAsync("adyen");
        mockA.Server.Given(Create("adyen")).RespondWith(ServerError("adyen", status));

        var payment = await PayAsync(merchant);
        var id = payment.Str("id")!;
        Assert.Equal("processing", payment.Str("status"));
        Assert.Empty(mockB.Requests);
        var key = $"{id}:{Assert.Single(Attempts(payment)).GetProperty("id").GetString()}";
        var creates = Creates(mockA, "adyen");
        Assert.Equal(2, creates.Count);

        // Adyen takes keys of at most 64 characters: longer ones go as their SHA-256, the same on every attempt.
        Assert.All(creates, r => Assert.Equal(PaymentGateway.Providers.Adyen.AdyenTransformers.IdempotencyKey(key), ProviderWireMock.Header(r, "Idempotency-Key")));

        await Task.Delay(700); // several reconciler rounds: nothing is sent and nothing changes
        var api = Server.Client(merchant.LiveSecretKey);
        Assert.Equal("processing", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));
        Assert.Equal(2, mockA.Requests.Count);

        var account = Assert.Single(Attempts(payment)).GetProperty("provider_account").GetString()!;
        var notified = await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}",
            AdyenScenarioFixture.Notification("AUTHORISATION", "true", "PSP5XX0000000001", null, id, Money.Of(1000, "EUR"), AdyenScenarioFixture.HmacKey));
        Assert.Equal("[accepted]", notified.Body);
        Assert.Equal("requires_capture", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));
        Assert.Empty(mockB.Requests);
    }

    // ------------------------------------------------------------------ connection refused: nothing sent

    [Theory]
    [InlineData("stripe")]
    [InlineData("adyen")]
    [InlineData("checkoutcom")]
    [InlineData("mollie")]
    public async Task A_refused_connection_on_the_first_account_still_fails_over_to_the_second(string provider)
    {
        var merchant = await Server.CreateMerchantAsync($"{provider} refused merchant", withLiveKeys: true);
        var mockB = Mock();
        mockB.Server.Given(Create(provider)).RespondWith(Approved(provider));
        var a = await AccountAsync(merchant.Id, provider, $"http://127.0.0.1:{ClosedPort()}");
        var b = await AccountAsync(merchant.Id, provider, BaseUrl(provider, mockB));
        await RulesAsync(merchant.Id, a, b);

        var payment = await PayAsync(merchant);

        Assert.Equal(provider == "mollie" ? "requires_action" : "requires_capture", payment.Str("status"));
        Assert.Equal([a, b], Attempts(payment).Select(x => x.GetProperty("provider_account").GetString()));
        Assert.Equal(["failed", provider == "mollie" ? "requires_action" : "authorized"], Attempts(payment).Select(x => x.GetProperty("status").GetString()));
        Assert.Single(Creates(mockB, provider));
    }

    // ------------------------------------------------------------------ a failed lookup is not a decline

    [Theory]
    [InlineData("stripe")]
    [InlineData("checkoutcom")]
    [InlineData("mollie")]
    public async Task A_400_or_404_on_sync_leaves_the_payment_processing_and_a_later_good_answer_settles_it(string provider)
    {
        var merchant = await Server.CreateMerchantAsync($"{provider} sync merchant", withLiveKeys: true);
        var mock = Mock();
        var account = await AccountAsync(merchant.Id, provider, BaseUrl(provider, mock));
        await Admin.PostAsync($"/v1/merchants/{merchant.Id}/routing_rules", new { livemode = true, priority = 1, targets = new[] { new { provider_account = account, weight = 1 } } });

        // The provider accepted the payment but has no answer yet: processing, with its reference.
        mock.Server.Given(Create(provider)).RespondWith(PendingAnswer(provider));
        var payment = await PayAsync(merchant);
        var id = payment.Str("id")!;
        Assert.Equal("processing", payment.Str("status"));
        var api = Server.Client(merchant.LiveSecretKey);

        foreach (var status in new[] { 400, 404 })
        {
            mock.Server.ResetMappings();
            var before = Lookups(mock, provider);
            mock.Server.Given(Lookup(provider)).RespondWith(LookupError(provider, status));
            // A condition wait: it returns as soon as the reconciler asks again; the bound only matters on a starved machine.
            await WaitAsync(() => Lookups(mock, provider) > before, TimeSpan.FromSeconds(30));
            Assert.True(Lookups(mock, provider) > before, $"the reconciler never asked {provider} again");
            await Task.Delay(150);
            Assert.Equal("processing", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));
        }

        mock.Server.ResetMappings();
        mock.Server.Given(Lookup(provider)).RespondWith(AuthorizedAnswer(provider, id));
        var settled = await Steps.PollPaymentAsync(api, id, p => p.Str("status") != "processing", TimeSpan.FromSeconds(20));
        Assert.Equal("requires_capture", settled.Str("status"));
        var live = new TestMerchant(merchant.Id, merchant.LiveSecretKey!, merchant.LivePublishableKey!, null, null);
        Assert.DoesNotContain("payment.failed", await Steps.EventTypesAsync(Server, live, id));
    }

    // ------------------------------------------------------------------ Adyen: Authorised under automatic capture

    [Fact]
    public async Task Adyen_authorised_under_automatic_capture_is_processing_until_the_capture_notification()
    {
        var merchant = await Server.CreateMerchantAsync("Adyen auto-capture merchant", withLiveKeys: true);
        var mock = Mock();
        var account = await AccountAsync(merchant.Id, "adyen", BaseUrl("adyen", mock));
        await Admin.PostAsync($"/v1/merchants/{merchant.Id}/routing_rules", new { livemode = true, priority = 1, targets = new[] { new { provider_account = account, weight = 1 } } });
        mock.Server.Given(Create("adyen")).RespondWith(ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("Authorised")));

        var payment = await PayAsync(merchant, captureMethod: "automatic");
        var id = payment.Str("id")!;
        Assert.Equal("processing", payment.Str("status"));
        var api = Server.Client(merchant.LiveSecretKey);
        Task<ApiResponse> NotifyAsync(string eventCode, string psp, string? original) => Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}",
            AdyenScenarioFixture.Notification(eventCode, "true", psp, original, id, Money.Of(1000, "EUR"), AdyenScenarioFixture.HmacKey));

        // The AUTHORISATION notification is not the end of an automatically captured payment.
        await NotifyAsync("AUTHORISATION", AdyenScenarioFixture.PspReference, null);
        Assert.Equal("processing", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));

        await NotifyAsync("CAPTURE", "CAPT00000000AUTO", AdyenScenarioFixture.PspReference);
        var captured = await api.GetAsync($"/v1/payments/{id}");
        Assert.Equal("succeeded", captured.Str("status"));
        Assert.Equal(1000, captured.Long("amount_received"));
    }

    // ------------------------------------------------------------------ helpers

    private ProviderWireMock Mock()
    {
        var mock = new ProviderWireMock();
        _mocks.Add(mock);
        return mock;
    }

    private async Task<(TestMerchant Merchant, ProviderWireMock A, ProviderWireMock B)> TwoAccountsAsync(string provider)
    {
        var merchant = await Server.CreateMerchantAsync($"{provider} two accounts merchant", withLiveKeys: true);
        var mockA = Mock();
        var mockB = Mock();
        mockB.Server.Given(Create(provider)).RespondWith(Approved(provider));
        var a = await AccountAsync(merchant.Id, provider, BaseUrl(provider, mockA));
        var b = await AccountAsync(merchant.Id, provider, BaseUrl(provider, mockB));
        await RulesAsync(merchant.Id, a, b);
        return (merchant, mockA, mockB);
    }

    /// <summary>A primary rule to <paramref name="a"/> and a default route to <paramref name="b"/>: candidates are [a, b].</summary>
    private async Task RulesAsync(string merchantId, string a, string b)
    {
        (await Admin.PostAsync($"/v1/merchants/{merchantId}/routing_rules", new
        {
            livemode = true,
            priority = 1,
            conditions = new { payment_method_types = new[] { "card" } },
            targets = new[] { new { provider_account = a, weight = 1 } },
        })).EnsureStatus(200);
        (await Admin.PostAsync($"/v1/merchants/{merchantId}/routing_rules", new { livemode = true, priority = 100, targets = new[] { new { provider_account = b, weight = 1 } } }))
            .EnsureStatus(200);
    }

    private async Task<string> AccountAsync(string merchantId, string provider, string baseUrl)
    {
        object body = provider switch
        {
            "stripe" => new
            {
                provider,
                livemode = true,
                credentials = new { api_key = "sk_live_51MoneySafetyAccountSecret" },
                settings = new Dictionary<string, string> { ["base_url"] = baseUrl, ["raw_card_data_enabled"] = "true", ["return_url"] = ReturnUrl },
            },
            "adyen" => new
            {
                provider,
                livemode = true,
                credentials = new { api_key = AdyenScenarioFixture.ApiKey, hmac_key = AdyenScenarioFixture.HmacKey },
                settings = new Dictionary<string, string> { ["base_url"] = baseUrl, ["merchant_account"] = AdyenScenarioFixture.MerchantAccountName, ["return_url"] = ReturnUrl },
            },
            "checkoutcom" => new
            {
                provider,
                livemode = true,
                credentials = new { secret_key = "sk_moneysafetylivesecretkey01" },
                settings = new Dictionary<string, string> { ["base_url"] = baseUrl, ["processing_channel_id"] = "pc_" + "moneysafety".PadRight(26, '0'), ["return_url"] = ReturnUrl },
            },
            _ => new
            {
                provider,
                livemode = true,
                credentials = new { api_key = "live_MoneySafetyMollieAccountKey01" },
                settings = new Dictionary<string, string> { ["base_url"] = baseUrl, ["return_url"] = ReturnUrl },
            },
        };
        return (await Admin.PostAsync($"/v1/merchants/{merchantId}/provider_accounts", body)).EnsureStatus(200).Str("id")!;
    }

    private async Task<ApiResponse> PayAsync(TestMerchant merchant, string captureMethod = "manual")
    {
        var token = (await Server.Client(merchant.LivePublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = TestCards.Visa, exp_month = 12, exp_year = DateTime.UtcNow.Year + 3, cvc = TestCards.CvcFor(TestCards.Visa) },
        })).EnsureStatus(200).Str("id")!;
        return (await Server.Client(merchant.LiveSecretKey).PostAsync("/v1/payments", new
        {
            amount = 1000,
            currency = "EUR",
            payment_method = token,
            confirm = true,
            capture_method = captureMethod,
        })).EnsureStatus(200);
    }

    private static List<JsonElement> Attempts(ApiResponse payment) => [.. payment.Json.GetProperty("routing").GetProperty("attempts").EnumerateArray()];

    private static string BaseUrl(string provider, ProviderWireMock mock) => provider == "adyen" ? mock.BaseUrl + "/v71" : mock.BaseUrl;

    private static string CreatePath(string provider) => provider switch
    {
        "stripe" => "/v1/payment_intents",
        "adyen" => "/v71/payments",
        "checkoutcom" => "/payments",
        _ => "/v2/payments",
    };

    private static IRequestBuilder Create(string provider) => Request.Create().WithPath(CreatePath(provider)).UsingPost();

    private static List<IRequestMessage> Creates(ProviderWireMock mock, string provider) =>
        [.. mock.Requests.Where(r => r.Method == "POST" && r.Path == CreatePath(provider))];

    private static string IdempotencyHeader(string provider) => provider == "checkoutcom" ? "Cko-Idempotency-Key" : "Idempotency-Key";

    private static IResponseBuilder Approved(string provider)
    {
        var amount = Money.Of(1000, "EUR");
        return provider switch
        {
            "stripe" => ProviderWireMock.Json(200, StripeFixtures.PaymentIntent("pi_second_account", "requires_capture", 1000, "eur", false).ToJsonString()),
            "adyen" => ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("Authorised")),
            "checkoutcom" => ProviderWireMock.Json(201, CheckoutComScenarioFixture.Payment("Authorized", amount)),
            _ => ProviderWireMock.Json(201, MollieScenarioFixture.Payment("open", amount, checkoutUrl: "https://www.mollie.com/checkout/select-method/second")),
        };
    }

    private static IResponseBuilder ServerError(string provider, int status) => provider switch
    {
        "stripe" => ProviderWireMock.Json(status, StripeFixtures.Error("api_error", null, "An error occurred with our connection to Stripe.").ToJsonString()),
        "adyen" => ProviderWireMock.Json(status, AdyenScenarioFixture.ServiceError(status, "000", "internal", "Internal error")),
        "checkoutcom" => Response.Create().WithStatusCode(status).WithBody(status == 500 ? "Internal Server Error" : "Bad Gateway"),
        _ => ProviderWireMock.Json(status, MollieScenarioFixture.Error(status, "Server Error", "Something went wrong.")),
    };

    private static string FoundReference(string provider) => provider switch
    {
        "stripe" => "pi_found_by_key",
        "checkoutcom" => CheckoutComScenarioFixture.PaymentReference,
        _ => "tr_FoundByKey01",
    };

    /// <summary>The provider's lookup without a reference finds the payment the create made under <paramref name="key"/>.</summary>
    private static void ArrangeFoundByKey(string provider, ProviderWireMock mock, string paymentId, string key)
    {
        var amount = Money.Of(1000, "EUR");
        switch (provider)
        {
            case "stripe":
                var pi = StripeFixtures.PaymentIntent(FoundReference(provider), "requires_capture", 1000, "eur", false, paymentId);
                mock.Server.Given(Request.Create().WithPath("/v1/payment_intents/search").UsingGet()).AtPriority(1)
                    .RespondWith(ProviderWireMock.Json(200, new JsonObject { ["object"] = "search_result", ["data"] = new JsonArray(pi), ["has_more"] = false }.ToJsonString()));
                break;
            case "checkoutcom":
                var found = JsonNode.Parse(CheckoutComScenarioFixture.Payment("Authorized", amount, reference: paymentId))!.AsObject();
                found["metadata"] = new JsonObject { ["gateway_idempotency_key"] = key };
                var decoy = JsonNode.Parse(CheckoutComScenarioFixture.Payment("Declined", amount, "20051", "Insufficient Funds", reference: paymentId))!.AsObject();
                decoy["id"] = "pay_decoyofanotherattempt00000";
                decoy["metadata"] = new JsonObject { ["gateway_idempotency_key"] = paymentId + ":att_other" };
                mock.Server.Given(Request.Create().WithPath("/payments").WithParam("reference", paymentId).UsingGet()).AtPriority(1)
                    .RespondWith(ProviderWireMock.Json(200, new JsonObject { ["limit"] = 10, ["skip"] = 0, ["total_count"] = 2, ["data"] = new JsonArray(decoy, found) }.ToJsonString()));
                break;
            default:
                var payment = JsonNode.Parse(MollieScenarioFixture.Payment("open", amount, id: FoundReference(provider), checkoutUrl: "https://www.mollie.com/checkout/select-method/found",
                    gatewayPaymentId: paymentId, idempotencyKey: key))!;
                var other = JsonNode.Parse(MollieScenarioFixture.Payment("canceled", amount, id: "tr_DecoyPayment1", gatewayPaymentId: paymentId, idempotencyKey: paymentId + ":att_other"))!;
                mock.Server.Given(Request.Create().WithPath("/v2/payments").UsingGet()).AtPriority(1)
                    .RespondWith(ProviderWireMock.Json(200, new JsonObject { ["count"] = 2, ["_embedded"] = new JsonObject { ["payments"] = new JsonArray(other, payment) } }.ToJsonString()));
                break;
        }
    }

    private const string SyncReference = "ref_sync_lookup";

    private static IResponseBuilder PendingAnswer(string provider) => provider switch
    {
        "stripe" => ProviderWireMock.Json(200, StripeFixtures.PaymentIntent("pi_sync_lookup", "processing", 1000, "eur", false).ToJsonString()),
        "checkoutcom" => ProviderWireMock.Json(202, JsonNode.Parse(CheckoutComScenarioFixture.Payment("Pending", Money.Of(1000, "EUR"), null, null))!.AsObject()
            .Also(p => p["id"] = "pay_synclookup00000000000000000").ToJsonString()),
        _ => ProviderWireMock.Json(201, MollieScenarioFixture.Payment("pending", Money.Of(1000, "EUR"), id: "tr_SyncLookup01")),
    };

    private static string LookupPath(string provider) => provider switch
    {
        "stripe" => "/v1/payment_intents/pi_sync_lookup",
        "checkoutcom" => "/payments/pay_synclookup00000000000000000",
        _ => "/v2/payments/tr_SyncLookup01",
    };

    private static IRequestBuilder Lookup(string provider) => Request.Create().WithPath(LookupPath(provider)).UsingGet();

    private static int Lookups(ProviderWireMock mock, string provider) => mock.Requests.Count(r => r.Method == "GET" && r.Path == LookupPath(provider));

    private static IResponseBuilder LookupError(string provider, int status) => provider switch
    {
        "stripe" => ProviderWireMock.Json(status, StripeFixtures.Error("invalid_request_error", status == 404 ? "resource_missing" : null, "No such payment_intent").ToJsonString()),
        "checkoutcom" => ProviderWireMock.Json(status, CheckoutComScenarioFixture.Error("request_invalid", "payment_not_found")),
        _ => ProviderWireMock.Json(status, MollieScenarioFixture.Error(status, status == 404 ? "Not Found" : "Bad Request", "No payment exists with this id.")),
    };

    private static IResponseBuilder AuthorizedAnswer(string provider, string paymentId) => provider switch
    {
        "stripe" => ProviderWireMock.Json(200, StripeFixtures.PaymentIntent("pi_sync_lookup", "requires_capture", 1000, "eur", false, paymentId).ToJsonString()),
        "checkoutcom" => ProviderWireMock.Json(200, JsonNode.Parse(CheckoutComScenarioFixture.Payment("Authorized", Money.Of(1000, "EUR"), reference: paymentId))!.AsObject()
            .Also(p => p["id"] = "pay_synclookup00000000000000000").ToJsonString()),
        _ => ProviderWireMock.Json(200, MollieScenarioFixture.Payment("authorized", Money.Of(1000, "EUR"), id: "tr_SyncLookup01", gatewayPaymentId: paymentId)),
    };

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }
}

internal static class JsonObjectExtensions
{
    /// <summary>Applies <paramref name="change"/> and returns the object (for one-expression fixtures).</summary>
    public static JsonObject Also(this JsonObject obj, Action<JsonObject> change)
    {
        change(obj);
        return obj;
    }
}
