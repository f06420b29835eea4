using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.Routing;
using PaymentGateway.Providers;
using PaymentGateway.Providers.ContractTests.Adyen;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Stripe;
using PaymentGateway.Providers.Stripe;
using Polly.CircuitBreaker;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Routing, failover and reconciliation through the real gateway on Kestrel, with a live-mode merchant whose provider
/// accounts point at WireMock servers playing Stripe's and Adyen's documented APIs.
/// </summary>
public sealed class ProviderRoutingFixture() : SettingsGatewayFixture(new Dictionary<string, string?>
{
    ["PaymentGateway:Providers:Stripe:AttemptTimeout"] = "00:00:01.500",
    ["PaymentGateway:Providers:Stripe:MaxRetries"] = "1",
    ["PaymentGateway:Providers:Stripe:RetryDelay"] = "00:00:00.010",
    ["PaymentGateway:Providers:Adyen:AttemptTimeout"] = "00:00:01.500",
    ["PaymentGateway:Providers:Adyen:MaxRetries"] = "0",
    ["PaymentGateway:ProviderCircuits:MinimumThroughput"] = "2",
    ["PaymentGateway:ProviderCircuits:FailureRatio"] = "0.5",
    ["PaymentGateway:ProviderCircuits:BreakDuration"] = "00:05:00",
    ["PaymentGateway:Reconciler:MinAge"] = "00:00:00.300",
});

public sealed class ProviderRoutingTests(ProviderRoutingFixture fixture) : IClassFixture<ProviderRoutingFixture>, IDisposable
{
    private const string StripeKeyA = "sk_live_51RoutingAccountAlphaSecret";
    private const string StripeKeyB = "sk_live_51RoutingAccountBravoSecret";
    private const string StripeWebhookSecret = "whsec_routing_webhook_secret_value";

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

    // ------------------------------------------------------------------ helpers

    private ProviderWireMock Stripe(string answer = "approved")
    {
        var mock = new ProviderWireMock();
        _mocks.Add(mock);
        ArrangeStripe(mock, answer);
        return mock;
    }

    private static void ArrangeStripe(ProviderWireMock mock, string answer)
    {
        mock.Server.Reset();
        var create = Request.Create().WithPath("/v1/payment_intents").UsingPost();
        switch (answer)
        {
            case "approved":
                mock.Server.Given(create).RespondWith(ProviderWireMock.Json(200, StripeFixtures.PaymentIntent("pi_routed", "requires_capture", 1000, "eur", false).ToJsonString()));
                break;
            case "declined":
                mock.Server.Given(create).RespondWith(ProviderWireMock.Json(402, StripeFixtures.CardError("card_declined", "insufficient_funds", "Your card has insufficient funds.",
                    StripeFixtures.PaymentIntent("pi_declined", "requires_payment_method", 1000, "eur", false)).ToJsonString()));
                break;
            case "unavailable":
                mock.Server.Given(create).RespondWith(ProviderWireMock.Json(503, StripeFixtures.Error("api_error", null, "Stripe is temporarily unavailable.").ToJsonString()));
                break;
            case "timeout":
                mock.Server.Given(create).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                    .WithBody(StripeFixtures.PaymentIntent("pi_slow", "requires_capture", 1000, "eur", false).ToJsonString()).WithDelay(TimeSpan.FromSeconds(4)));
                mock.Server.Given(Request.Create().WithPath("/v1/payment_intents/search").UsingGet()).AtPriority(10)
                    .RespondWith(ProviderWireMock.Json(200, """{"object":"search_result","data":[],"has_more":false}"""));
                break;
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed: connections are refused
    }

    private async Task<string> StripeAccountAsync(string merchantId, string baseUrl, string key = StripeKeyA)
    {
        var response = await Admin.PostAsync($"/v1/merchants/{merchantId}/provider_accounts", new
        {
            provider = "stripe",
            livemode = true,
            credentials = new Dictionary<string, string> { ["api_key"] = key, ["webhook_secret"] = StripeWebhookSecret },
            settings = new Dictionary<string, string> { ["base_url"] = baseUrl, ["raw_card_data_enabled"] = "true" },
        });
        response.EnsureStatus(200);
        return response.Str("id")!;
    }

    private async Task<string> RuleAsync(string merchantId, int priority, object? conditions, params (string Account, int Weight)[] targets)
    {
        var response = await Admin.PostAsync($"/v1/merchants/{merchantId}/routing_rules", new
        {
            livemode = true,
            priority,
            conditions,
            targets = targets.Select(t => new { provider_account = t.Account, weight = t.Weight }).ToArray(),
        });
        response.EnsureStatus(200);
        return response.Str("id")!;
    }

    private async Task<string> LiveTokenAsync(TestMerchant merchant, string number = TestCards.Visa)
    {
        var response = await Server.Client(merchant.LivePublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number, exp_month = 12, exp_year = DateTime.UtcNow.Year + 3, cvc = TestCards.CvcFor(number) },
        });
        response.EnsureStatus(200);
        return response.Str("id")!;
    }

    private async Task<ApiResponse> PayAsync(TestMerchant merchant, long amount = 1000, string currency = "EUR", string number = TestCards.Visa,
        string captureMethod = "manual", Dictionary<string, string>? metadata = null)
    {
        var pm = await LiveTokenAsync(merchant, number);
        return await Server.Client(merchant.LiveSecretKey).PostAsync("/v1/payments", new Dictionary<string, object?>
        {
            ["amount"] = amount,
            ["currency"] = currency,
            ["payment_method"] = pm,
            ["confirm"] = true,
            ["capture_method"] = captureMethod,
            ["metadata"] = metadata,
        }.Where(p => p.Value is not null).ToDictionary());
    }

    private static int Posts(ProviderWireMock mock, string path = "/v1/payment_intents") =>
        mock.Requests.Count(r => r.Method == "POST" && r.Path == path);

    private static JsonElement Routing(ApiResponse payment) => payment.Json.GetProperty("routing");

    private static string[] AttemptAccounts(ApiResponse payment) =>
        [.. Routing(payment).GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("provider_account").GetString()!)];

    private static string[] AttemptStatuses(ApiResponse payment) =>
        [.. Routing(payment).GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("status").GetString()!)];

    private async Task<(TestMerchant Merchant, string A, string B, ProviderWireMock MockA, ProviderWireMock MockB)> TwoAccountsAsync(string answerA, string answerB)
    {
        var merchant = await Server.CreateMerchantAsync("Routed merchant", withLiveKeys: true);
        var mockA = Stripe(answerA);
        var mockB = Stripe(answerB);
        var a = await StripeAccountAsync(merchant.Id, mockA.BaseUrl, StripeKeyA);
        var b = await StripeAccountAsync(merchant.Id, mockB.BaseUrl, StripeKeyB);
        await PrimaryThenBackupAsync(merchant.Id, a, b);
        return (merchant, a, b, mockA, mockB);
    }

    /// <summary>A primary rule to <paramref name="a"/> and a default route to <paramref name="b"/>: candidates are [a, b], deterministically.</summary>
    private async Task PrimaryThenBackupAsync(string merchantId, string a, string b)
    {
        await RuleAsync(merchantId, 1, new { payment_method_types = new[] { "card" } }, (a, 1));
        await RuleAsync(merchantId, 100, null, (b, 1));
    }

    // ------------------------------------------------------------------ provider accounts API

    [Fact]
    public async Task ProviderAccount_credentials_are_validated_masked_and_never_stored_in_clear()
    {
        var merchant = await Server.CreateMerchantAsync("Accounts merchant", withLiveKeys: true);
        var path = $"/v1/merchants/{merchant.Id}/provider_accounts";

        Problem.Assert(await Admin.PostAsync(path, new { provider = "paypal", livemode = true }), 400, "parameter_invalid", "provider");
        Problem.Assert(await Admin.PostAsync(path, new { provider = "stripe", livemode = true }), 400, "parameter_missing", "credentials[api_key]");
        Problem.Assert(await Admin.PostAsync(path, new { provider = "stripe", livemode = true, credentials = new { api_key = "pk_live_wrongkind" } }),
            400, "parameter_invalid", "credentials[api_key]");
        Problem.Assert(await Admin.PostAsync(path, new { provider = "stripe", livemode = true, credentials = new { api_key = StripeKeyA, password = "x" } }),
            400, "parameter_invalid", "credentials[password]");
        Problem.Assert(await Admin.PostAsync(path, new { provider = "adyen", livemode = true, credentials = new { api_key = "AQEkey" } }),
            400, "parameter_missing", "settings[merchant_account]");
        Problem.Assert(await Admin.PostAsync(path, new
        {
            provider = "adyen",
            livemode = true,
            credentials = new { api_key = "AQEkey", hmac_key = "not-hex" },
            settings = new { merchant_account = "M" }
        }), 400, "parameter_invalid", "credentials[hmac_key]");
        Problem.Assert(await Admin.PostAsync(path, new { provider = "stripe", livemode = true, credentials = new { api_key = StripeKeyA }, settings = new { base_url = "ftp://x" } }),
            400, "parameter_invalid", "settings[base_url]");
        Problem.Assert(await Admin.PostAsync(path, new { provider = "simulator", livemode = true }), 400, "parameter_invalid", "livemode");

        // The adapters' own rules: Stripe must be told whether raw card data is enabled, and a key's mode is the
        // account's; a live Adyen account needs its live URL prefix; a Checkout.com processing channel has its format.
        var missingRaw = await Admin.PostAsync(path, new { provider = "stripe", livemode = true, credentials = new { api_key = StripeKeyA } });
        Problem.Assert(missingRaw, 400, "parameter_missing", "settings[raw_card_data_enabled]");
        Assert.Contains("raw card data", missingRaw.Body, StringComparison.Ordinal);
        Problem.Assert(await Admin.PostAsync(path, new { provider = "stripe", livemode = true, credentials = new { api_key = "sk_test_51WrongModeForLive" }, settings = new { raw_card_data_enabled = "true" } }),
            400, "parameter_invalid", "credentials[api_key]");
        Problem.Assert(await Admin.PostAsync(path, new { provider = "adyen", livemode = true, credentials = new { api_key = "AQEkey" }, settings = new { merchant_account = "M" } }),
            400, "parameter_missing", "settings[live_url_prefix]");
        Problem.Assert(await Admin.PostAsync(path, new { provider = "adyen", livemode = true, credentials = new { api_key = "AQEkey" }, settings = new { merchant_account = "M", live_url_prefix = "https://evil.example/x" } }),
            400, "parameter_invalid", "settings[live_url_prefix]");
        Problem.Assert(await Admin.PostAsync(path, new { provider = "checkoutcom", livemode = true, credentials = new { secret_key = "sk_sbox_sandboxkeyonlive" } }),
            400, "parameter_invalid", "credentials[secret_key]");
        Problem.Assert(await Admin.PostAsync(path, new { provider = "checkoutcom", livemode = true, credentials = new { secret_key = "sk_livekey" }, settings = new { processing_channel_id = "channel-1" } }),
            400, "parameter_invalid", "settings[processing_channel_id]");
        Problem.Assert(await Admin.PostAsync(path, new { provider = "mollie", livemode = true, credentials = new { api_key = "test_mollieKeyOnALiveAccount" } }),
            400, "parameter_invalid", "credentials[api_key]");
        (await Admin.PostAsync(path, new
        {
            provider = "adyen",
            livemode = true,
            credentials = new { api_key = "AQEkey" },
            settings = new { merchant_account = "M", live_url_prefix = "1797a841fbb37ca7-AdyenDemo" },
        })).EnsureStatus(200);
        Problem.Assert(await Server.Client(merchant.LiveSecretKey).PostAsync(path, new { provider = "stripe", livemode = true, credentials = new { api_key = StripeKeyA } }),
            403, "admin_key_required");
        Problem.Assert(await Admin.PostAsync("/v1/merchants/mer_nope/provider_accounts", new { provider = "stripe", livemode = true, credentials = new { api_key = StripeKeyA } }),
            404, "resource_missing");
        Assert.Single(Steps.Ids(await Admin.GetAsync(path))); // the Adyen account above

        var created = await Admin.PostAsync(path, new
        {
            provider = "stripe",
            livemode = true,
            credentials = new { api_key = StripeKeyA, webhook_secret = StripeWebhookSecret },
            settings = new { base_url = "https://api.stripe.com", raw_card_data_enabled = "true" },
        });
        created.EnsureStatus(200);
        var id = created.Str("id")!;
        Assert.StartsWith("pa_", id, StringComparison.Ordinal);
        Assert.Equal("••••cret", created.Json.GetProperty("credentials").GetProperty("api_key").GetString());
        Assert.Equal($"/v1/provider_webhooks/{id}", created.Str("webhook_path"));
        foreach (var response in new[] { created, await Admin.GetAsync($"{path}/{id}"), await Admin.GetAsync(path) })
        {
            Assert.DoesNotContain(StripeKeyA, response.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(StripeWebhookSecret, response.Body, StringComparison.Ordinal);
        }

        // Rotation replaces the credential; disabling is reported; neither the old nor the new value is ever shown.
        var rotated = await Admin.PostAsync($"{path}/{id}", new { credentials = new { api_key = StripeKeyB }, disabled = true });
        rotated.EnsureStatus(200);
        Assert.Equal("disabled", rotated.Str("status"));
        Assert.DoesNotContain(StripeKeyB, rotated.Body, StringComparison.Ordinal);

        // The raw row holds vault ciphertext only.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(Server.DataDirectory, "gateway.db")};Mode=ReadOnly;Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT data FROM provider_accounts WHERE id = $id;";
            command.Parameters.AddWithValue("$id", id);
            var raw = (string)(await command.ExecuteScalarAsync())!;
            Assert.DoesNotContain(StripeKeyA, raw, StringComparison.Ordinal);
            Assert.DoesNotContain(StripeKeyB, raw, StringComparison.Ordinal);
            Assert.DoesNotContain(StripeWebhookSecret, raw, StringComparison.Ordinal);
            Assert.Contains("\"v1:", raw, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(StripeKeyA, await File.ReadAllTextAsync(Server.LogFile), StringComparison.Ordinal);
        Problem.Assert(await Admin.PostAsync($"/v1/merchants/{merchant.Id}/routing_rules", new { livemode = false, priority = 1, targets = new[] { new { provider_account = id } } }),
            400, "parameter_invalid", "targets[0]");
        (await Admin.SendAsync(HttpMethod.Delete, $"{path}/{id}", null, null)).EnsureStatus(200);
        Problem.Assert(await Admin.GetAsync($"{path}/{id}"), 404, "resource_missing");
    }

    // ------------------------------------------------------------------ routing

    [Fact]
    public async Task Routes_by_currency_amount_and_brand_and_records_the_rule_and_candidates()
    {
        var merchant = await Server.CreateMerchantAsync("Rules merchant", withLiveKeys: true);
        var mockA = Stripe();
        var mockB = Stripe();
        var a = await StripeAccountAsync(merchant.Id, mockA.BaseUrl, StripeKeyA);
        var b = await StripeAccountAsync(merchant.Id, mockB.BaseUrl, StripeKeyB);
        var usd = await RuleAsync(merchant.Id, 1, new { currencies = new[] { "USD" } }, (b, 1));
        var large = await RuleAsync(merchant.Id, 2, new { amount_gte = 100_000 }, (b, 1));
        var mastercard = await RuleAsync(merchant.Id, 3, new { card_brands = new[] { "mastercard" } }, (b, 1));
        var dutch = await RuleAsync(merchant.Id, 4, new { countries = new[] { "NL" } }, (b, 1));
        var fallback = await RuleAsync(merchant.Id, 100, null, (a, 1));

        async Task Expect(ApiResponse payment, string rule, string account)
        {
            payment.EnsureStatus(200);
            Assert.Equal("requires_capture", payment.Str("status"));
            Assert.Equal("stripe", payment.Str("provider"));
            Assert.Equal(rule, Routing(payment).GetProperty("rule_id").GetString());
            Assert.Equal(account, Routing(payment).GetProperty("provider_account").GetString());
            Assert.Equal([account], AttemptAccounts(payment));
            var retrieved = await Server.Client(merchant.LiveSecretKey).GetAsync($"/v1/payments/{payment.Str("id")}");
            Assert.Equal(rule, Routing(retrieved).GetProperty("rule_id").GetString());
        }

        await Expect(await PayAsync(merchant, currency: "USD"), usd, b);
        await Expect(await PayAsync(merchant, amount: 150_000), large, b);
        await Expect(await PayAsync(merchant, number: TestCards.Mastercard), mastercard, b);
        await Expect(await PayAsync(merchant, metadata: new() { ["country"] = "nl" }), dutch, b);
        var other = await PayAsync(merchant);
        await Expect(other, fallback, a);

        // The fallback rule is the only one that matches the plain payment; every routed call carried that account's key.
        Assert.Equal([a], Routing(other).GetProperty("candidates").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(1, Posts(mockA));
        Assert.Equal(4, Posts(mockB));
        Assert.All(mockA.Requests, r => Assert.Equal($"Bearer {StripeKeyA}", ProviderWireMock.Header(r, "Authorization")));
        Assert.All(mockB.Requests, r => Assert.Equal($"Bearer {StripeKeyB}", ProviderWireMock.Header(r, "Authorization")));
    }

    [Fact]
    public async Task Weighted_split_is_deterministic_per_payment_and_near_its_weights()
    {
        var merchant = await Server.CreateMerchantAsync("Split merchant", withLiveKeys: true);
        var mockA = Stripe();
        var mockB = Stripe();
        var a = await StripeAccountAsync(merchant.Id, mockA.BaseUrl, StripeKeyA);
        var b = await StripeAccountAsync(merchant.Id, mockB.BaseUrl, StripeKeyB);
        await RuleAsync(merchant.Id, 1, null, (a, 3), (b, 1));

        const int n = 60;
        var chosen = new List<string>();
        var ids = new List<string>();
        for (var i = 0; i < n; i++)
        {
            var payment = await PayAsync(merchant);
            payment.EnsureStatus(200);
            ids.Add(payment.Str("id")!);
            chosen.Add(Routing(payment).GetProperty("provider_account").GetString()!);
            var candidates = Routing(payment).GetProperty("candidates").EnumerateArray().Select(c => c.GetString()).ToList();
            Assert.Equal(2, candidates.Count);
            Assert.Equal(chosen[^1], candidates[0]);
        }

        // Binomial(60, 0.75): 45 expected, sd ~3.4; [33, 57] is > 3.5 sd either way.
        var toA = chosen.Count(c => c == a);
        Assert.InRange(toA, 33, 57);
        Assert.Equal(toA, Posts(mockA));
        Assert.Equal(n - toA, Posts(mockB));

        // The pick is a function of the payment id alone: any node, any retry of the payment, chooses the same account.
        var targets = new List<RoutingTarget> { new() { ProviderAccount = a, Weight = 3 }, new() { ProviderAccount = b, Weight = 1 } };
        Assert.Equal(chosen, ids.Select(id => PaymentRouter.WeightedPick(targets, id).ProviderAccount));
    }

    [Fact]
    public async Task Routing_rules_are_read_once_per_request_that_confirms()
    {
        var merchant = await Server.CreateMerchantAsync("Rule reads merchant", withLiveKeys: true);
        var mock = Stripe();
        var account = await StripeAccountAsync(merchant.Id, mock.BaseUrl);
        await RuleAsync(merchant.Id, 1, null, (account, 1));
        var api = Server.Client(merchant.LiveSecretKey);

        // Create and confirm in one request: one read decides both "routed?" and the plan.
        var pm = await LiveTokenAsync(merchant);
        var (oneShot, oneShotReads) = await CountRuleReadsAsync(() =>
            api.PostAsync("/v1/payments", new { amount = 1000, currency = "EUR", payment_method = pm, confirm = true, capture_method = "manual" }));
        Assert.Equal("requires_capture", oneShot.EnsureStatus(200).Str("status"));
        Assert.Equal(1, oneShotReads);

        // Create, then confirm: one read each.
        var later = await LiveTokenAsync(merchant);
        var (created, createReads) = await CountRuleReadsAsync(() =>
            api.PostAsync("/v1/payments", new { amount = 1000, currency = "EUR", payment_method = later, capture_method = "manual" }));
        Assert.Equal(1, createReads);
        var (confirmed, confirmReads) = await CountRuleReadsAsync(() => api.PostAsync($"/v1/payments/{created.EnsureStatus(200).Str("id")}/confirm", new { }));
        Assert.Equal("requires_capture", confirmed.EnsureStatus(200).Str("status"));
        Assert.Equal(1, confirmReads);
        Assert.Equal(2, Posts(mock));
    }

    /// <summary>Runs one request under a fresh trace and counts the routing-rule reads (<c>store ListRoutingRules</c> spans) it made.</summary>
    private static async Task<(ApiResponse Response, int RuleReads)> CountRuleReadsAsync(Func<Task<ApiResponse>> request)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var reads = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "PaymentGateway" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TraceId == traceId && a.OperationName == "store ListRoutingRules")
                {
                    Interlocked.Increment(ref reads);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        ApiResponse response;
        using (new Activity("test-caller").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            response = await request();
        }

        return (response, Volatile.Read(ref reads));
    }

    [Fact]
    public async Task A_payment_created_under_rules_and_confirmed_after_they_are_deleted_is_not_sent_anywhere()
    {
        var merchant = await Server.CreateMerchantAsync("Rules removed merchant", withLiveKeys: true);
        var mock = Stripe();
        var account = await StripeAccountAsync(merchant.Id, mock.BaseUrl);
        var rule = await RuleAsync(merchant.Id, 1, null, (account, 1));
        var api = Server.Client(merchant.LiveSecretKey);
        var created = (await api.PostAsync("/v1/payments", new { amount = 1000, currency = "EUR", payment_method = await LiveTokenAsync(merchant) })).EnsureStatus(200);
        Assert.Null(created.Str("provider"));
        (await Admin.SendAsync(HttpMethod.Delete, $"/v1/merchants/{merchant.Id}/routing_rules/{rule}", null, null)).EnsureStatus(200);

        Problem.Assert(await api.PostAsync($"/v1/payments/{created.Str("id")}/confirm", new { }), 422, "provider_not_configured", "provider");
        Assert.Empty(mock.Requests);
        Assert.Equal("requires_confirmation", (await api.GetAsync($"/v1/payments/{created.Str("id")}")).Str("status"));
    }

    // ------------------------------------------------------------------ failover

    [Fact]
    public async Task Never_fails_over_after_a_503_answer_because_the_request_was_sent()
    {
        // A 503 is an answer: the request reached the provider, which may have acted on it (ProviderMoneySafetyTests
        // plays 500/502/503 for every adapter, with the reconciler settling them under the same key).
        var (merchant, a, _, mockA, mockB) = await TwoAccountsAsync("unavailable", "approved");
        var payment = await PayAndGetAsync(merchant);

        Assert.Equal("processing", payment.Str("status"));
        Assert.Equal([a], AttemptAccounts(payment));
        Assert.Single(mockA.Requests.Where(r => r.Method == "POST").Select(r => ProviderWireMock.Header(r, "Idempotency-Key")).Distinct());
        Assert.Empty(mockB.Requests);
    }

    [Fact]
    public async Task Fails_over_when_the_first_candidate_refuses_the_connection()
    {
        var merchant = await Server.CreateMerchantAsync("Refused merchant", withLiveKeys: true);
        var mockB = Stripe();
        var a = await StripeAccountAsync(merchant.Id, $"http://127.0.0.1:{ClosedPort()}", StripeKeyA);
        var b = await StripeAccountAsync(merchant.Id, mockB.BaseUrl, StripeKeyB);
        await PrimaryThenBackupAsync(merchant.Id, a, b);

        var payment = await PayAndGetAsync(merchant);

        Assert.Equal("requires_capture", payment.Str("status"));
        Assert.Equal([a, b], AttemptAccounts(payment));
        Assert.Equal(["failed", "authorized"], AttemptStatuses(payment));
        Assert.Equal(1, Posts(mockB));
    }

    [Fact]
    public async Task Open_circuit_skips_the_account_without_sending_and_fails_over()
    {
        var merchant = await Server.CreateMerchantAsync("Circuit merchant", withLiveKeys: true);
        var mockA = Stripe("unavailable");
        var mockB = Stripe();
        var a = await StripeAccountAsync(merchant.Id, mockA.BaseUrl, StripeKeyA);
        var b = await StripeAccountAsync(merchant.Id, mockB.BaseUrl, StripeKeyB);
        await PrimaryThenBackupAsync(merchant.Id, a, b);
        var circuits = Server.Services.GetRequiredService<ProviderCircuits>();

        // Two unknown outcomes (503 answers; minimum throughput 2, ratio 0.5) open A's circuit. Those payments stay
        // processing at A; once the circuit is open nothing is sent to A, so the next payment may go to B.
        var opened = 0;
        for (var i = 0; i < 10 && circuits.StateOf(a) != CircuitState.Open; i++)
        {
            var payment = await PayAsync(merchant);
            payment.EnsureStatus(200);
            opened++;
        }

        Assert.Equal(CircuitState.Open, circuits.StateOf(a));
        Assert.Equal(CircuitState.Closed, circuits.StateOf(b));
        var sentToA = Posts(mockA);
        var paidAtB = Posts(mockB);

        var afterOpen = await PayAndGetAsync(merchant);
        Assert.Equal("requires_capture", afterOpen.Str("status"));
        Assert.Equal([a, b], AttemptAccounts(afterOpen));
        Assert.Equal(["failed", "authorized"], AttemptStatuses(afterOpen));
        Assert.Equal(sentToA, Posts(mockA)); // nothing was sent to A while its circuit is open
        Assert.True(Posts(mockB) > paidAtB);
        Assert.True(opened >= 1);

        var metrics = await Server.Client(null).GetAsync("/metrics");
        Assert.Contains("paymentgateway_provider_circuit_breaker_state", metrics.Body, StringComparison.Ordinal);
        Assert.Contains($"provider_account=\"{a}\"", metrics.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_decline_is_an_answer_and_is_never_failed_over()
    {
        var (merchant, a, _, _, mockB) = await TwoAccountsAsync("declined", "approved");

        var response = await PayAsync(merchant);

        Problem.Assert(response, 402, "card_declined");
        var stored = await LatestAsync(merchant);
        Assert.Equal("failed", stored.Str("status"));
        Assert.Equal([a], AttemptAccounts(stored));
        Assert.Equal(["declined"], AttemptStatuses(stored));
        Assert.Equal("insufficient_funds", stored.Json.GetProperty("last_payment_error").GetProperty("decline_code").GetString());
        Assert.Empty(mockB.Requests);
    }

    [Fact]
    public async Task A_timeout_is_never_failed_over_and_the_reconciler_settles_it_once_without_a_second_charge()
    {
        var merchant = await Server.CreateMerchantAsync("Timeout merchant", withLiveKeys: true);
        var mockA = Stripe("timeout");
        var mockB = Stripe();
        var a = await StripeAccountAsync(merchant.Id, mockA.BaseUrl, StripeKeyA);
        var b = await StripeAccountAsync(merchant.Id, mockB.BaseUrl, StripeKeyB);
        await PrimaryThenBackupAsync(merchant.Id, a, b);

        var payment = await PayAndGetAsync(merchant);
        var id = payment.Str("id")!;
        Assert.Equal("processing", payment.Str("status"));
        Assert.Equal([a], AttemptAccounts(payment));
        Assert.Equal(0, Posts(mockB));

        // Every authorization request carried one idempotency key (retries included): one charge at most.
        await WaitAsync(() => Posts(mockA) >= 1);
        var keys = mockA.Requests.Where(r => r.Method == "POST").Select(r => ProviderWireMock.Header(r, "Idempotency-Key")).Distinct().ToList();
        Assert.Single(keys);

        // The provider now reports the PaymentIntent (found by the attempt's idempotency key) as authorized.
        mockA.Server.Given(Request.Create().WithPath("/v1/payment_intents/search").UsingGet()).AtPriority(1)
            .RespondWith(ProviderWireMock.Json(200, new System.Text.Json.Nodes.JsonObject
            {
                ["object"] = "search_result",
                ["data"] = new System.Text.Json.Nodes.JsonArray(StripeFixtures.PaymentIntent("pi_slow", "requires_capture", 1000, "eur", false, id)),
                ["has_more"] = false,
            }.ToJsonString()));
        var settled = await Steps.PollPaymentAsync(Server.Client(merchant.LiveSecretKey), id, p => p.Str("status") != "processing", TimeSpan.FromSeconds(20));
        Assert.Equal("requires_capture", settled.Str("status"));
        Assert.Equal(["authorized"], AttemptStatuses(settled));

        await Task.Delay(1000); // further reconciler rounds must not change or re-emit anything
        var types = await Steps.EventTypesAsync(Server, new TestMerchant(merchant.Id, merchant.LiveSecretKey!, merchant.LivePublishableKey!, null, null), id);
        Assert.Equal(1, types.Count(t => t == "payment.authorized"));
        // WireMock logs a delayed request when its response ends: wait for the adapter's retry (MaxRetries 1) to show up.
        await WaitAsync(() => Posts(mockA) >= 2);
        Assert.Equal(2, Posts(mockA)); // the first send and one retry with the same key; the reconciler only searched
        Assert.Single(mockA.Requests.Where(r => r.Method == "POST").Select(r => ProviderWireMock.Header(r, "Idempotency-Key")).Distinct());
        Assert.Equal(0, Posts(mockB));

        // Capture goes to the account that authorized.
        mockA.Server.Given(Request.Create().WithPath("/v1/payment_intents/pi_slow/capture").UsingPost())
            .RespondWith(ProviderWireMock.Json(200, StripeFixtures.PaymentIntent("pi_slow", "succeeded", 1000, "eur", false, id).ToJsonString()));
        (await Server.Client(merchant.LiveSecretKey).PostAsync($"/v1/payments/{id}/capture", new { })).EnsureStatus(200);
        Assert.Equal(1, Posts(mockA, "/v1/payment_intents/pi_slow/capture"));
        Assert.Equal(0, mockB.Requests.Count(r => r.Path.Contains("capture", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_reconciler_backs_off_exponentially_while_the_provider_answers_pending_and_still_settles_once()
    {
        // Its own gateway: a fast reconciler (every 50 ms), MinAge 100 ms, so without backoff it would search ~every 150 ms.
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["PaymentGateway:Providers:Stripe:AttemptTimeout"] = "00:00:00.500",
            ["PaymentGateway:Providers:Stripe:MaxRetries"] = "0",
            ["PaymentGateway:Reconciler:Interval"] = "00:00:00.050",
            ["PaymentGateway:Reconciler:MinAge"] = "00:00:00.100",
            ["PaymentGateway:Reconciler:BackoffCap"] = "00:00:10",
        });
        var merchant = await server.CreateMerchantAsync("Backoff merchant", withLiveKeys: true);
        var mock = Stripe("timeout");
        var admin = server.Client(server.AdminKey);
        var account = (await admin.PostAsync($"/v1/merchants/{merchant.Id}/provider_accounts", new
        {
            provider = "stripe",
            livemode = true,
            credentials = new Dictionary<string, string> { ["api_key"] = StripeKeyA },
            settings = new Dictionary<string, string> { ["base_url"] = mock.BaseUrl, ["raw_card_data_enabled"] = "true" },
        })).EnsureStatus(200).Str("id")!;
        (await admin.PostAsync($"/v1/merchants/{merchant.Id}/routing_rules", new
        {
            livemode = true,
            priority = 1,
            targets = new[] { new { provider_account = account, weight = 1 } },
        })).EnsureStatus(200);
        var token = (await server.Client(merchant.LivePublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = TestCards.Visa, exp_month = 12, exp_year = DateTime.UtcNow.Year + 3, cvc = TestCards.CvcFor(TestCards.Visa) },
        })).EnsureStatus(200).Str("id")!;
        var api = server.Client(merchant.LiveSecretKey);
        var id = (await api.PostAsync("/v1/payments", new { amount = 1000, currency = "EUR", payment_method = token, confirm = true, capture_method = "manual" }))
            .EnsureStatus(200).Str("id")!;
        Assert.Equal("processing", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));

        int Searches() => mock.Requests.Count(r => r.Method == "GET" && r.Path == "/v1/payment_intents/search");
        await WaitAsync(() => Searches() >= 1);
        Assert.True(Searches() >= 1, "the reconciler never asked the provider");

        // 4 s of "still pending": delays 0.1, 0.2, 0.4, 0.8, 1.6, 3.2 s (+ up to 25 %) allow at most 6 more searches,
        // where a fixed schedule would have made more than 20.
        var first = Searches();
        await Task.Delay(TimeSpan.FromSeconds(4));
        var during = Searches() - first;
        Assert.InRange(during, 3, 6);
        Assert.Equal("processing", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));

        // The provider finally knows the PaymentIntent: the next due search settles the payment, once.
        mock.Server.Given(Request.Create().WithPath("/v1/payment_intents/search").UsingGet()).AtPriority(1)
            .RespondWith(ProviderWireMock.Json(200, new System.Text.Json.Nodes.JsonObject
            {
                ["object"] = "search_result",
                ["data"] = new System.Text.Json.Nodes.JsonArray(StripeFixtures.PaymentIntent("pi_slow", "requires_capture", 1000, "eur", false, id)),
                ["has_more"] = false,
            }.ToJsonString()));
        var settled = await Steps.PollPaymentAsync(api, id, p => p.Str("status") != "processing", TimeSpan.FromSeconds(15));
        Assert.Equal("requires_capture", settled.Str("status"));
        await Task.Delay(500);
        var live = new TestMerchant(merchant.Id, merchant.LiveSecretKey!, merchant.LivePublishableKey!, null, null);
        Assert.Equal(1, (await Steps.EventTypesAsync(server, live, id)).Count(t => t == "payment.authorized"));
        Assert.Equal(1, Posts(mock)); // one authorization request; the reconciler only searched
    }

    // ------------------------------------------------------------------ inbound webhooks

    [Fact]
    public async Task Stripe_webhook_is_verified_deduplicated_and_applied_once()
    {
        var merchant = await Server.CreateMerchantAsync("Stripe hooks merchant", withLiveKeys: true);
        var mock = Stripe("timeout");
        var account = await StripeAccountAsync(merchant.Id, mock.BaseUrl, StripeKeyA);
        await RuleAsync(merchant.Id, 1, null, (account, 1));
        var payment = await PayAsync(merchant);
        var id = payment.Str("id")!;
        Assert.Equal("processing", payment.Str("status"));

        var pi = StripeFixtures.PaymentIntent("pi_hooked", "requires_capture", 1000, "eur", capture: false, id);
        var body = Encoding.UTF8.GetBytes(StripeFixtures.Event("payment_intent.amount_capturable_updated", pi).ToJsonString());
        async Task<HttpResponseMessage> SendAsync(string secret)
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/provider_webhooks/{account}") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.TryAddWithoutValidation("Stripe-Signature", $"t={timestamp},v1={StripeWebhookTransformers.ComputeSignature(timestamp, body, secret)}");
            return await Server.Client(null).Http.SendAsync(request);
        }

        var forged = await SendAsync("whsec_someone_else");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("processing", (await Server.Client(merchant.LiveSecretKey).GetAsync($"/v1/payments/{id}")).Str("status"));

        var genuine = await SendAsync(StripeWebhookSecret);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        var applied = await Server.Client(merchant.LiveSecretKey).GetAsync($"/v1/payments/{id}");
        Assert.Equal("requires_capture", applied.Str("status"));

        var replay = await SendAsync(StripeWebhookSecret);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var live = new TestMerchant(merchant.Id, merchant.LiveSecretKey!, merchant.LivePublishableKey!, null, null);
        Assert.Equal(1, (await Steps.EventTypesAsync(Server, live, id)).Count(t => t == "payment.authorized"));
        Problem.Assert(await Server.Client(null).PostRawAsync("/v1/provider_webhooks/pa_unknown", "{}"), 404, "resource_missing");
    }

    [Fact]
    public async Task Adyen_notification_is_hmac_verified_answered_accepted_deduplicated_and_applied_once()
    {
        var merchant = await Server.CreateMerchantAsync("Adyen hooks merchant", withLiveKeys: true);
        var mock = new ProviderWireMock();
        _mocks.Add(mock);
        mock.Server.Given(Request.Create().WithPath("/v71/payments").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("{}").WithDelay(TimeSpan.FromSeconds(4)));
        var created = await Admin.PostAsync($"/v1/merchants/{merchant.Id}/provider_accounts", new
        {
            provider = "adyen",
            livemode = true,
            credentials = new { api_key = AdyenScenarioFixture.ApiKey, hmac_key = AdyenScenarioFixture.HmacKey },
            settings = new { merchant_account = AdyenScenarioFixture.MerchantAccountName, base_url = mock.BaseUrl + "/v71", return_url = "https://shop.example/return" },
        });
        created.EnsureStatus(200);
        var account = created.Str("id")!;
        await RuleAsync(merchant.Id, 1, new { currencies = new[] { "EUR" } }, (account, 1));
        var payment = await PayAsync(merchant);
        var id = payment.Str("id")!;
        Assert.Equal("processing", payment.Str("status"));
        Assert.Equal("adyen", payment.Str("provider"));

        var amount = Money.Of(1000, "EUR");
        var forged = AdyenScenarioFixture.Notification("AUTHORISATION", "true", "PSP0000000000001", null, id, amount, "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF");
        var genuine = AdyenScenarioFixture.Notification("AUTHORISATION", "true", "PSP0000000000001", null, id, amount, AdyenScenarioFixture.HmacKey);

        Problem.Assert(await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", forged), 400, "parameter_invalid");
        Assert.Equal("processing", (await Server.Client(merchant.LiveSecretKey).GetAsync($"/v1/payments/{id}")).Str("status"));

        var first = await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", genuine);
        Assert.Equal(200, first.Status);
        Assert.Equal("[accepted]", first.Body);
        Assert.Equal("requires_capture", (await Server.Client(merchant.LiveSecretKey).GetAsync($"/v1/payments/{id}")).Str("status"));

        var again = await Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", genuine);
        Assert.Equal("[accepted]", again.Body);
        var live = new TestMerchant(merchant.Id, merchant.LiveSecretKey!, merchant.LivePublishableKey!, null, null);
        Assert.Equal(1, (await Steps.EventTypesAsync(Server, live, id)).Count(t => t == "payment.authorized"));
    }

    // ------------------------------------------------------------------ modification notifications (refund, capture, cancel)

    private async Task<(TestMerchant Merchant, string Account, ProviderWireMock Mock)> AdyenMerchantAsync(string name)
    {
        var merchant = await Server.CreateMerchantAsync(name, withLiveKeys: true);
        var mock = new ProviderWireMock();
        _mocks.Add(mock);
        var created = await Admin.PostAsync($"/v1/merchants/{merchant.Id}/provider_accounts", new
        {
            provider = "adyen",
            livemode = true,
            credentials = new { api_key = AdyenScenarioFixture.ApiKey, hmac_key = AdyenScenarioFixture.HmacKey },
            settings = new { merchant_account = AdyenScenarioFixture.MerchantAccountName, base_url = mock.BaseUrl + "/v71", return_url = "https://shop.example/return" },
        });
        created.EnsureStatus(200);
        var account = created.Str("id")!;
        await RuleAsync(merchant.Id, 1, new { currencies = new[] { "EUR" } }, (account, 1));
        mock.Server.Given(Request.Create().WithPath("/v71/payments").UsingPost())
            .RespondWith(ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("Authorised")));
        return (merchant, account, mock);
    }

    private Task<ApiResponse> AdyenNotifyAsync(string account, string eventCode, string success, string psp, string? original, string merchantReference, long amount) =>
        Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}",
            AdyenScenarioFixture.Notification(eventCode, success, psp, original, merchantReference, Money.Of(amount, "EUR"), AdyenScenarioFixture.HmacKey));

    [Fact]
    public async Task Adyen_refund_settles_only_by_its_notification_exactly_once_and_a_failed_refund_gives_the_amount_back()
    {
        var (merchant, account, mock) = await AdyenMerchantAsync("Adyen refunds merchant");
        const string psp = AdyenScenarioFixture.PspReference;
        mock.RespondInSequence(Request.Create().WithPath($"/v71/payments/{psp}/refunds").UsingPost(),
            ProviderWireMock.Json(201, AdyenScenarioFixture.Modification(psp, "RFND000000000001", Money.Of(400, "EUR"))),
            ProviderWireMock.Json(201, AdyenScenarioFixture.Modification(psp, "RFND000000000002", Money.Of(300, "EUR"))),
            ProviderWireMock.Json(201, AdyenScenarioFixture.Modification(psp, "RFND000000000003", Money.Of(200, "EUR"))));
        var payment = await PayAsync(merchant, captureMethod: "automatic");
        var paymentId = payment.Str("id")!;

        // Authorised under automatic capture is not succeeded: Adyen captures asynchronously, its CAPTURE notification settles it.
        Assert.Equal("processing", payment.Str("status"));
        await AdyenNotifyAsync(account, "CAPTURE", "true", "CAPT0000000000R1", psp, paymentId, 1000);
        Assert.Equal("succeeded", (await Server.Client(merchant.LiveSecretKey).GetAsync($"/v1/payments/{paymentId}")).Str("status"));
        var api = Server.Client(merchant.LiveSecretKey);
        var live = new TestMerchant(merchant.Id, merchant.LiveSecretKey!, merchant.LivePublishableKey!, null, null);

        // Adyen answers a refund "received": it stays pending, the amount reserved, until the REFUND notification.
        var first = (await api.PostAsync("/v1/refunds", new { payment = paymentId, amount = 400 })).EnsureStatus(200);
        var firstId = first.Str("id")!;
        Assert.Equal("pending", first.Str("status"));
        Assert.Equal(400, (await api.GetAsync($"/v1/payments/{paymentId}")).Json.GetProperty("amount_refunded").GetInt64());

        // A notification naming this refund from another merchant's account changes nothing.
        var (_, otherAccount, _) = await AdyenMerchantAsync("Adyen refunds bystander");
        Assert.Equal(200, (await AdyenNotifyAsync(otherAccount, "REFUND", "true", "RFND000000000001", psp, firstId, 400)).Status);
        Assert.Equal("pending", (await api.GetAsync($"/v1/refunds/{firstId}")).Str("status"));

        // The genuine REFUND success notification, delivered three times at once and then replayed: applied once.
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => AdyenNotifyAsync(account, "REFUND", "true", "RFND000000000001", psp, firstId, 400)));
        Assert.All(deliveries, d => Assert.Equal("[accepted]", d.Body));
        Assert.Equal("[accepted]", (await AdyenNotifyAsync(account, "REFUND", "true", "RFND000000000001", psp, firstId, 400)).Body);
        Assert.Equal("succeeded", (await api.GetAsync($"/v1/refunds/{firstId}")).Str("status"));
        Assert.Equal(1, (await Steps.EventTypesAsync(Server, live, firstId)).Count(t => t == "refund.succeeded"));
        Assert.Equal(400, (await api.GetAsync($"/v1/payments/{paymentId}")).Json.GetProperty("amount_refunded").GetInt64());

        // REFUND_FAILED (Adyen sends it with success "true") fails the refund and gives the 300 back, once.
        var second = (await api.PostAsync("/v1/refunds", new { payment = paymentId, amount = 300 })).EnsureStatus(200);
        var secondId = second.Str("id")!;
        Assert.Equal(700, (await api.GetAsync($"/v1/payments/{paymentId}")).Json.GetProperty("amount_refunded").GetInt64());
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => AdyenNotifyAsync(account, "REFUND_FAILED", "true", "RFND000000000002", psp, secondId, 300)));
        Assert.Equal(200, (await AdyenNotifyAsync(account, "REFUND_FAILED", "true", "RFND000000000002", psp, secondId, 300)).Status);
        var failed = await api.GetAsync($"/v1/refunds/{secondId}");
        Assert.Equal("failed", failed.Str("status"));
        Assert.Equal(400, (await api.GetAsync($"/v1/payments/{paymentId}")).Json.GetProperty("amount_refunded").GetInt64());
        Assert.Equal(1, (await Steps.EventTypesAsync(Server, live, secondId)).Count(t => t == "refund.failed"));

        // A late success for the failed refund is ignored (it is no longer pending); REFUND with success "false" fails too.
        await AdyenNotifyAsync(account, "REFUND", "true", "RFND000000000002", psp, secondId, 300);
        Assert.Equal("failed", (await api.GetAsync($"/v1/refunds/{secondId}")).Str("status"));
        var third = (await api.PostAsync("/v1/refunds", new { payment = paymentId, amount = 200 })).EnsureStatus(200);
        var thirdId = third.Str("id")!;
        await AdyenNotifyAsync(account, "REFUND", "false", "RFND000000000003", psp, thirdId, 200);
        Assert.Equal("failed", (await api.GetAsync($"/v1/refunds/{thirdId}")).Str("status"));
        Assert.Equal(400, (await api.GetAsync($"/v1/payments/{paymentId}")).Json.GetProperty("amount_refunded").GetInt64());

        // The refundable amount is really back: 600 more can be refunded.
        Assert.Equal("pending", (await api.PostAsync("/v1/refunds", new { payment = paymentId, amount = 600 })).EnsureStatus(200).Str("status"));
    }

    [Fact]
    public async Task Adyen_capture_and_cancel_notifications_confirm_or_record_a_failure_once()
    {
        var (merchant, account, mock) = await AdyenMerchantAsync("Adyen modifications merchant");
        const string psp = AdyenScenarioFixture.PspReference;
        mock.Server.Given(Request.Create().WithPath($"/v71/payments/{psp}/captures").UsingPost())
            .RespondWith(ProviderWireMock.Json(201, AdyenScenarioFixture.Modification(psp, "CAPT000000000001", Money.Of(1000, "EUR"))));
        mock.Server.Given(Request.Create().WithPath($"/v71/payments/{psp}/cancels").UsingPost())
            .RespondWith(ProviderWireMock.Json(201, AdyenScenarioFixture.Modification(psp, "CANC000000000001", null)));
        var api = Server.Client(merchant.LiveSecretKey);
        var live = new TestMerchant(merchant.Id, merchant.LiveSecretKey!, merchant.LivePublishableKey!, null, null);

        // CAPTURE success confirms what the gateway applied when Adyen answered "received": nothing changes.
        var captured = (await PayAsync(merchant)).Str("id")!;
        Assert.Equal("succeeded", (await api.PostAsync($"/v1/payments/{captured}/capture", new { })).EnsureStatus(200).Str("status"));
        var before = (await Steps.EventTypesAsync(Server, live, captured)).Count;
        await AdyenNotifyAsync(account, "CAPTURE", "true", "CAPT000000000001", psp, captured, 1000);
        var confirmed = await api.GetAsync($"/v1/payments/{captured}");
        Assert.Equal("succeeded", confirmed.Str("status"));
        Assert.Equal(JsonValueKind.Null, confirmed.Json.GetProperty("last_payment_error").ValueKind);
        Assert.Equal(before, (await Steps.EventTypesAsync(Server, live, captured)).Count);

        // CAPTURE_FAILED: succeeded is terminal in the state machine, so the failure is recorded on the payment, once.
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => AdyenNotifyAsync(account, "CAPTURE_FAILED", "true", "CAPT000000000001", psp, captured, 1000)));
        await AdyenNotifyAsync(account, "CAPTURE_FAILED", "true", "CAPT000000000001", psp, captured, 1000);
        var failedCapture = await api.GetAsync($"/v1/payments/{captured}");
        Assert.Equal("succeeded", failedCapture.Str("status"));
        Assert.Contains("capture failed", failedCapture.Json.GetProperty("last_payment_error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, (await Steps.EventTypesAsync(Server, live, captured)).Count);

        // CANCELLATION success confirms a cancel; success "false" records that the provider did not cancel.
        var canceled = (await PayAsync(merchant)).Str("id")!;
        Assert.Equal("canceled", (await api.PostAsync($"/v1/payments/{canceled}/cancel", new { })).EnsureStatus(200).Str("status"));
        await AdyenNotifyAsync(account, "CANCELLATION", "true", "CANC000000000001", psp, canceled, 1000);
        Assert.Equal(JsonValueKind.Null, (await api.GetAsync($"/v1/payments/{canceled}")).Json.GetProperty("last_payment_error").ValueKind);
        await AdyenNotifyAsync(account, "CANCELLATION", "false", "CANC000000000001", psp, canceled, 1000);
        var failedCancel = await api.GetAsync($"/v1/payments/{canceled}");
        Assert.Equal("canceled", failedCancel.Str("status"));
        Assert.Contains("cancellation failed", failedCancel.Json.GetProperty("last_payment_error").GetProperty("message").GetString(), StringComparison.Ordinal);

        // A capture notification for a payment still awaiting capture is not a confirmation of anything.
        var open = (await PayAsync(merchant)).Str("id")!;
        await AdyenNotifyAsync(account, "CAPTURE", "true", "CAPT000000000009", psp, open, 1000);
        Assert.Equal("requires_capture", (await api.GetAsync($"/v1/payments/{open}")).Str("status"));
    }

    [Fact]
    public async Task Stripe_refund_updated_settles_a_pending_refund_once()
    {
        var merchant = await Server.CreateMerchantAsync("Stripe refund hooks merchant", withLiveKeys: true);
        var mock = Stripe("approved");
        var account = await StripeAccountAsync(merchant.Id, mock.BaseUrl, StripeKeyA);
        await RuleAsync(merchant.Id, 1, null, (account, 1));
        var paymentId = (await PayAsync(merchant)).Str("id")!;
        var api = Server.Client(merchant.LiveSecretKey);
        mock.Server.Given(Request.Create().WithPath("/v1/payment_intents/pi_routed/capture").UsingPost())
            .RespondWith(ProviderWireMock.Json(200, StripeFixtures.PaymentIntent("pi_routed", "succeeded", 1000, "eur", false, paymentId).ToJsonString()));
        (await api.PostAsync($"/v1/payments/{paymentId}/capture", new { })).EnsureStatus(200);
        mock.Server.Given(Request.Create().WithPath("/v1/refunds").UsingPost())
            .RespondWith(ProviderWireMock.Json(200, StripeFixtures.Refund("re_3StripePending", "pending", 500, "eur", "pi_routed").ToJsonString()));
        var refund = (await api.PostAsync("/v1/refunds", new { payment = paymentId, amount = 500 })).EnsureStatus(200);
        var refundId = refund.Str("id")!;
        Assert.Equal("pending", refund.Str("status"));

        var stripeRefund = StripeFixtures.Refund("re_3StripePending", "succeeded", 500, "eur", "pi_routed");
        stripeRefund["metadata"] = new System.Text.Json.Nodes.JsonObject { ["gateway_refund_id"] = refundId, ["gateway_payment_id"] = paymentId };
        var body = Encoding.UTF8.GetBytes(StripeFixtures.Event("refund.updated", stripeRefund).ToJsonString());
        async Task<HttpResponseMessage> SendAsync()
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/provider_webhooks/{account}") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.TryAddWithoutValidation("Stripe-Signature", $"t={timestamp},v1={StripeWebhookTransformers.ComputeSignature(timestamp, body, StripeWebhookSecret)}");
            return await Server.Client(null).Http.SendAsync(request);
        }

        Assert.All(await Task.WhenAll(SendAsync(), SendAsync()), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync()).StatusCode);
        Assert.Equal("succeeded", (await api.GetAsync($"/v1/refunds/{refundId}")).Str("status"));
        var live = new TestMerchant(merchant.Id, merchant.LiveSecretKey!, merchant.LivePublishableKey!, null, null);
        Assert.Equal(1, (await Steps.EventTypesAsync(Server, live, refundId)).Count(t => t == "refund.succeeded"));
    }

    // ------------------------------------------------------------------ helpers

    private async Task<ApiResponse> PayAndGetAsync(TestMerchant merchant)
    {
        var payment = await PayAsync(merchant);
        Assert.True(payment.Status is 200 or 402, payment.Body);
        return await LatestAsync(merchant);
    }

    private async Task<ApiResponse> LatestAsync(TestMerchant merchant)
    {
        var api = Server.Client(merchant.LiveSecretKey);
        return (await api.GetAsync($"/v1/payments/{Steps.Ids(await api.GetAsync("/v1/payments?limit=1")).First()}")).EnsureStatus(200);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50);
        }
    }
}
