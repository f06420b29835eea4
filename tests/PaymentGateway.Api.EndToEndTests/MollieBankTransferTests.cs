using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PaymentGateway.Api.EndToEndTests.Infrastructure;
using PaymentGateway.Core.BankTransfers;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using WireMock;
using WireMock.RequestBuilders;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// Bank transfers collected by Mollie (<c>method: banktransfer</c>) through the real gateway on Kestrel: a live-mode
/// merchant with a Mollie provider account pointing at WireMock, which plays Mollie's documented Payments API
/// (<c>POST /v2/payments</c>, <c>GET /v2/payments/{id}</c>, the thin <c>id=tr_…</c> webhook).
/// </summary>
public class MollieBankTransferFixture : IAsyncLifetime
{
    private GatewayServer? _server;

    public GatewayServer Server => _server ?? throw new InvalidOperationException("not started");

    protected virtual Dictionary<string, string?> Settings() => new()
    {
        ["PaymentGateway:Providers:Mollie:AttemptTimeout"] = "00:00:10", // no scenario waits for it; a loaded CI machine can take seconds to answer
        ["PaymentGateway:Providers:Mollie:MaxRetries"] = "0",
        ["PaymentGateway:BankTransfers:CollectionAccount:Iban"] = "DE89 3704 0044 0532 0130 00",
        ["PaymentGateway:BankTransfers:CollectionAccount:Bic"] = "COBADEFFXXX",
        ["PaymentGateway:BankTransfers:CollectionAccount:AccountHolderName"] = "Demo Shop GmbH",
        ["PaymentGateway:BankTransfers:ExpiryEnabled"] = "false",
        ["PaymentGateway:Reconciler:Interval"] = "00:00:00.200",
        ["PaymentGateway:Reconciler:MinAge"] = "00:00:00.100",
        ["PaymentGateway:Reconciler:BackoffCap"] = "00:00:00.500",
    };

    public virtual async Task InitializeAsync() => _server = await GatewayServer.StartAsync(Settings());

    public virtual async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>The same gateway on PostgreSQL (its own database on the shared test server), when one is configured.</summary>
public sealed class MollieBankTransferPostgresFixture : MollieBankTransferFixture
{
    private string? _database;

    protected override Dictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["PaymentGateway:Storage:Engine"] = "postgres";
        settings["PaymentGateway:Storage:ConnectionString"] = new NpgsqlConnectionStringBuilder(MultiNodePostgres.ConnectionString) { Database = _database }.ConnectionString;
        settings["PaymentGateway:Vault:Keys"] = "k1:" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        settings["PaymentGateway:Vault:FingerprintKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        return settings;
    }

    public override async Task InitializeAsync()
    {
        if (MultiNodePostgres.ConnectionString is null)
        {
            return;
        }

        _database = await MultiNodePostgres.CreateDatabaseAsync("pg_mollie_bt_");

        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null && MultiNodePostgres.ConnectionString is not null)
        {
            await MultiNodePostgres.DropDatabaseAsync(_database);
        }
    }
}

public abstract class MollieBankTransferScenarios(MollieBankTransferFixture fixture) : IDisposable
{
    private const string MollieKey = "live_BankTransferAccountSecretKey0001";
    private const string MollieIban = "NL53ABNA0627535577";
    private const string MollieBic = "ABNANL2A";
    private const string MollieBankName = "Stichting Mollie Payments";
    private const string WebhookUrl = "https://gateway.example/v1/provider_webhooks/pa_mollie";

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

    private ProviderWireMock Mock()
    {
        var mock = new ProviderWireMock();
        _mocks.Add(mock);
        return mock;
    }

    /// <summary>A Mollie bank-transfer payment object as documented (status, expiresAt, details, metadata, links).</summary>
    private static string MolliePayment(string id, string status, long amount, string reference, DateTimeOffset expiresAt, string? paymentId = null)
    {
        var payment = new JsonObject
        {
            ["resource"] = "payment",
            ["id"] = id,
            ["mode"] = "live",
            ["createdAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss+00:00", CultureInfo.InvariantCulture),
            ["status"] = status,
            ["amount"] = new JsonObject { ["currency"] = "EUR", ["value"] = Providers.Money.Of(amount, "EUR").ToDecimalString() },
            ["description"] = "Order 4711",
            ["method"] = "banktransfer",
            ["sequenceType"] = "oneoff",
            ["expiresAt"] = expiresAt.ToString("yyyy-MM-ddTHH:mm:ss+00:00", CultureInfo.InvariantCulture),
            ["details"] = new JsonObject
            {
                ["bankName"] = MollieBankName,
                ["bankAccount"] = MollieIban,
                ["bankBic"] = MollieBic,
                ["transferReference"] = reference,
            },
            ["_links"] = new JsonObject
            {
                ["self"] = new JsonObject { ["href"] = $"https://api.mollie.com/v2/payments/{id}", ["type"] = "application/hal+json" },
                ["status"] = new JsonObject { ["href"] = $"https://www.mollie.com/checkout/bank-transfer/status/{id}", ["type"] = "text/html" },
            },
        };
        if (paymentId is not null)
        {
            payment["metadata"] = new JsonObject { ["gateway_payment_id"] = paymentId };
        }

        if (status == "paid")
        {
            payment["paidAt"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss+00:00", CultureInfo.InvariantCulture);
        }

        return payment.ToJsonString();
    }

    private static void AnswerCreate(ProviderWireMock mock, string id, long amount, string reference, DateTimeOffset expiresAt) =>
        mock.Server.Given(Request.Create().WithPath("/v2/payments").UsingPost())
            .RespondWith(ProviderWireMock.Json(201, MolliePayment(id, "open", amount, reference, expiresAt)));

    private static void AnswerGet(ProviderWireMock mock, string id, string status, long amount, string reference, DateTimeOffset expiresAt, string paymentId) =>
        mock.Server.Given(Request.Create().WithPath($"/v2/payments/{id}").UsingGet()).AtPriority(1)
            .RespondWith(ProviderWireMock.Json(200, MolliePayment(id, status, amount, reference, expiresAt, paymentId)));

    private async Task<string> MollieAccountAsync(string merchantId, string baseUrl)
    {
        var response = await Admin.PostAsync($"/v1/merchants/{merchantId}/provider_accounts", new
        {
            provider = "mollie",
            livemode = true,
            credentials = new Dictionary<string, string> { ["api_key"] = MollieKey },
            settings = new Dictionary<string, string> { ["base_url"] = baseUrl, ["webhook_url"] = WebhookUrl },
        });
        response.EnsureStatus(200);
        return response.Str("id")!;
    }

    private async Task<string> BankTransferRuleAsync(string merchantId, params string[] accounts)
    {
        var response = await Admin.PostAsync($"/v1/merchants/{merchantId}/routing_rules", new
        {
            livemode = true,
            priority = 10,
            description = "bank transfers through Mollie",
            conditions = new { payment_method_types = new[] { "bank_transfer" } },
            targets = accounts.Select(a => new { provider_account = a, weight = 1 }).ToArray(),
        });
        response.EnsureStatus(200);
        return response.Str("id")!;
    }

    private Task<ApiResponse> CreateTransferAsync(TestMerchant merchant, long amount = 10000, string? idempotencyKey = null) =>
        Server.Client(merchant.LiveSecretKey).PostAsync("/v1/payments",
            new { amount, currency = "EUR", payment_method_type = "bank_transfer", description = "Order 4711" }, idempotencyKey);

    private Task<ApiResponse> WebhookAsync(string account, string molliePaymentId) =>
        Server.Client(null).PostRawAsync($"/v1/provider_webhooks/{account}", "id=" + molliePaymentId, contentType: "application/x-www-form-urlencoded");

    private async Task<ApiResponse> PaymentAsync(TestMerchant merchant, string id) =>
        (await Server.Client(merchant.LiveSecretKey).GetAsync($"/v1/payments/{id}")).EnsureStatus(200);

    private Task<List<string>> EventsAsync(TestMerchant merchant, string id) =>
        Steps.EventTypesAsync(Server, new TestMerchant(merchant.Id, merchant.LiveSecretKey!, merchant.LivePublishableKey!, null, null), id);

    private static List<IRequestMessage> Creates(ProviderWireMock mock) =>
        [.. mock.Requests.Where(r => r.Method == "POST" && r.Path == "/v2/payments")];

    private static JsonElement Instructions(ApiResponse payment) =>
        payment.Json.GetProperty("next_action").GetProperty("bank_transfer_instructions");

    private static string Statement(string reference) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Statements", "multiple-entries.camt053.xml"))
            .Replace("{{REF_A}}", reference, StringComparison.Ordinal)
            .Replace("{{REF_B_SPACED_LOWER}}", "rf71 2348 231", StringComparison.Ordinal)
            .Replace("{{REF_B}}", "RF712348231", StringComparison.Ordinal);

    private static DateTimeOffset Seconds(DateTimeOffset value) => DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());

    // ------------------------------------------------------------------ scenarios

    protected async Task Mollie_gives_the_instructions_its_webhook_settles_the_transfer_once_and_statements_never_touch_it()
    {
        var merchant = await Server.CreateMerchantAsync("Mollie transfers merchant", withLiveKeys: true);
        var mock = Mock();
        var account = await MollieAccountAsync(merchant.Id, mock.BaseUrl);
        var rule = await BankTransferRuleAsync(merchant.Id, account);
        var reference = CreditorReference.Generate(); // a valid RF: a statement would match it if it were the gateway's own
        var expiresAt = Seconds(DateTimeOffset.UtcNow.AddDays(12));
        AnswerCreate(mock, "tr_BankTransfer01", 10000, reference, expiresAt);

        var created = (await CreateTransferAsync(merchant, idempotencyKey: "order-4711")).EnsureStatus(200);
        var id = created.Str("id")!;
        Assert.Equal("requires_action", created.Str("status"));
        Assert.Equal("mollie", created.Str("provider"));
        Assert.Equal("bank_transfer", created.Str("payment_method_type"));
        Assert.Equal("bank_transfer_instructions", created.Json.GetProperty("next_action").GetProperty("type").GetString());
        var instructions = Instructions(created);
        Assert.Equal(MollieIban, instructions.GetProperty("iban").GetString());
        Assert.Equal(MollieBic, instructions.GetProperty("bic").GetString());
        Assert.Equal(MollieBankName, instructions.GetProperty("bank_name").GetString());
        Assert.Equal(MollieBankName, instructions.GetProperty("account_holder_name").GetString());
        Assert.Equal(reference, instructions.GetProperty("reference").GetString());
        Assert.Equal(reference, instructions.GetProperty("reference_formatted").GetString()); // shown as Mollie gives it
        Assert.Equal(10000, instructions.GetProperty("amount").GetInt64());
        Assert.Equal("EUR", instructions.GetProperty("currency").GetString());
        Assert.Equal(expiresAt, instructions.GetProperty("expires_at").GetDateTimeOffset());
        Assert.Equal(rule, created.Json.GetProperty("routing").GetProperty("rule_id").GetString());
        var attempt = Assert.Single(created.Json.GetProperty("routing").GetProperty("attempts").EnumerateArray());
        Assert.Equal(account, attempt.GetProperty("provider_account").GetString());
        Assert.Equal("requires_action", attempt.GetProperty("status").GetString());
        Assert.Equal(["payment.created", "payment.requires_action"], Steps.InLifecycleOrder(await EventsAsync(merchant, id)));

        // What Mollie received: one create, method banktransfer, the amount as a decimal string, our idempotency key.
        var sent = Assert.Single(Creates(mock));
        using (var body = JsonDocument.Parse(sent.Body!))
        {
            var root = body.RootElement;
            Assert.Equal("banktransfer", root.GetProperty("method").GetString());
            Assert.Equal("100.00", root.GetProperty("amount").GetProperty("value").GetString());
            Assert.Equal("EUR", root.GetProperty("amount").GetProperty("currency").GetString());
            Assert.Equal("Order 4711", root.GetProperty("description").GetString());
            Assert.Equal(WebhookUrl, root.GetProperty("webhookUrl").GetString());
            Assert.Equal(id, root.GetProperty("metadata").GetProperty("gateway_payment_id").GetString());
            Assert.False(root.TryGetProperty("captureMode", out _));
        }

        Assert.Equal("Bearer " + MollieKey, ProviderWireMock.Header(sent, "Authorization"));
        var key = ProviderWireMock.Header(sent, "Idempotency-Key");
        Assert.StartsWith(id + ":att_", key, StringComparison.Ordinal);

        // Replaying the merchant's create changes nothing and sends nothing.
        Assert.Equal(id, (await CreateTransferAsync(merchant, idempotencyKey: "order-4711")).EnsureStatus(200).Str("id"));
        Assert.Single(Creates(mock));

        // A statement crediting Mollie's reference (the money went to Mollie, not to this account) matches nothing.
        var secret = Server.Client(merchant.LiveSecretKey);
        var import = (await secret.PostRawAsync("/v1/bank_statements", Statement(reference), contentType: "application/xml")).EnsureStatus(200);
        var entry = import.Json.GetProperty("entries").EnumerateArray().First();
        Assert.Equal("unmatched", entry.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("payment").ValueKind);
        Problem.Assert(await secret.PostAsync($"/v1/bank_statement_entries/{entry.GetProperty("id").GetString()}/match", new { payment = id }), 400, "parameter_invalid", "payment");
        var untouched = await PaymentAsync(merchant, id);
        Assert.Equal("requires_action", untouched.Str("status"));
        Assert.Equal(0, untouched.Long("amount_received"));

        // Mollie reports the money arrived; the thin webhook only names the payment, the gateway fetches it.
        AnswerGet(mock, "tr_BankTransfer01", "paid", 10000, reference, expiresAt, id);
        var deliveries = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => WebhookAsync(account, "tr_BankTransfer01")));
        Assert.All(deliveries, d => Assert.Equal(200, d.Status));
        var paid = await PaymentAsync(merchant, id);
        Assert.Equal("succeeded", paid.Str("status"));
        Assert.Equal(10000, paid.Long("amount_received"));
        Assert.Equal(JsonValueKind.Null, paid.Json.GetProperty("next_action").ValueKind);
        Assert.Equal("captured", paid.Json.GetProperty("routing").GetProperty("attempts")[0].GetProperty("status").GetString());

        // A replay later changes nothing either: exactly one payment.succeeded.
        Assert.Equal(200, (await WebhookAsync(account, "tr_BankTransfer01")).Status);
        var events = await EventsAsync(merchant, id);
        Assert.Equal(1, events.Count(t => t == "payment.succeeded"));
        Assert.Equal(["payment.created", "payment.requires_action", "payment.succeeded"], Steps.InLifecycleOrder(events));
        Assert.True(mock.Requests.Count(r => r.Method == "GET") >= 1);

        // Refunds of a transfer are refused (the merchant pays it back by bank); nothing is sent to Mollie.
        Problem.Assert(await secret.PostAsync("/v1/refunds", new { payment = id, amount = 1000 }), 422, "refund_not_supported", "payment");
        Assert.DoesNotContain(mock.Requests, r => r.Path.Contains("refunds", StringComparison.Ordinal) && r.Method == "POST");
        Assert.DoesNotContain(MollieKey, await File.ReadAllTextAsync(Server.LogFile), StringComparison.Ordinal);
    }

    protected async Task An_expired_transfer_is_canceled_by_the_webhook_and_the_reconciler_settles_one_whose_webhook_was_lost()
    {
        var merchant = await Server.CreateMerchantAsync("Mollie expiry merchant", withLiveKeys: true);
        var mock = Mock();
        var account = await MollieAccountAsync(merchant.Id, mock.BaseUrl);
        await BankTransferRuleAsync(merchant.Id, account);
        var expiresAt = Seconds(DateTimeOffset.UtcNow.AddDays(1));

        AnswerCreate(mock, "tr_Expiring0001", 2500, "RF18539007547034", expiresAt);
        var expiring = (await CreateTransferAsync(merchant, 2500)).EnsureStatus(200).Str("id")!;
        AnswerGet(mock, "tr_Expiring0001", "expired", 2500, "RF18539007547034", expiresAt, expiring);

        mock.Server.ResetMappings();
        AnswerCreate(mock, "tr_LostHook0001", 4200, "RF712348231", expiresAt);
        var lost = (await CreateTransferAsync(merchant, 4200)).EnsureStatus(200).Str("id")!;
        Assert.Equal("requires_action", (await PaymentAsync(merchant, lost)).Str("status"));
        AnswerGet(mock, "tr_Expiring0001", "expired", 2500, "RF18539007547034", expiresAt, expiring);

        // The expiry webhook cancels the first (reason expired), once.
        Assert.Equal(200, (await WebhookAsync(account, "tr_Expiring0001")).Status);
        Assert.Equal(200, (await WebhookAsync(account, "tr_Expiring0001")).Status);
        var canceled = await PaymentAsync(merchant, expiring);
        Assert.Equal("canceled", canceled.Str("status"));
        Assert.Equal("expired", canceled.Str("cancellation_reason"));
        Assert.Equal(0, canceled.Long("amount_received"));
        Assert.Equal(1, (await EventsAsync(merchant, expiring)).Count(t => t == "payment.canceled"));

        // The second is paid but its webhook never came: the reconciler asks Mollie and settles it, once.
        AnswerGet(mock, "tr_LostHook0001", "paid", 4200, "RF712348231", expiresAt, lost);
        var settled = await Steps.PollPaymentAsync(Server.Client(merchant.LiveSecretKey), lost, p => p.Str("status") != "requires_action", TimeSpan.FromSeconds(20));
        Assert.Equal("succeeded", settled.Str("status"));
        Assert.Equal(4200, settled.Long("amount_received"));
        await Task.Delay(600); // further reconciler rounds change nothing
        Assert.Equal(1, (await EventsAsync(merchant, lost)).Count(t => t == "payment.succeeded"));
        Assert.Equal("succeeded", (await PaymentAsync(merchant, lost)).Str("status"));
        Assert.Equal("canceled", (await PaymentAsync(merchant, expiring)).Str("status"));
    }

    protected async Task An_account_that_takes_nothing_is_failed_over_and_an_unknown_create_is_recovered_with_the_same_key()
    {
        var merchant = await Server.CreateMerchantAsync("Mollie failover merchant", withLiveKeys: true);
        var up = Mock();

        // Account a refuses the connection: nothing was sent, so the transfer may be opened at b. (A 5xx answer would
        // not be failed over: the request reached Mollie, see the second half.)
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var closedUrl = $"http://127.0.0.1:{((System.Net.IPEndPoint)closed.LocalEndpoint).Port}";
        closed.Stop();
        var a = await MollieAccountAsync(merchant.Id, closedUrl);
        var b = await MollieAccountAsync(merchant.Id, up.BaseUrl);
        // Weight 1000 vs 1 in one rule is still a hash pick; two rules make the order certain: [a, b].
        await BankTransferRuleAsync(merchant.Id, a);
        (await Admin.PostAsync($"/v1/merchants/{merchant.Id}/routing_rules", new
        {
            livemode = true,
            priority = 20,
            conditions = new { payment_method_types = new[] { "bank_transfer" } },
            targets = new[] { new { provider_account = b, weight = 1 } },
        })).EnsureStatus(200);
        var expiresAt = Seconds(DateTimeOffset.UtcNow.AddDays(12));
        AnswerCreate(up, "tr_FailedOver01", 10000, "RF18539007547034", expiresAt);

        var payment = (await CreateTransferAsync(merchant)).EnsureStatus(200);
        Assert.Equal("requires_action", payment.Str("status"));
        var attempts = payment.Json.GetProperty("routing").GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([a, b], attempts.Select(x => x.GetProperty("provider_account").GetString()));
        Assert.Equal(["failed", "requires_action"], attempts.Select(x => x.GetProperty("status").GetString()));
        var keys = Creates(up).Select(r => ProviderWireMock.Header(r, "Idempotency-Key")).ToList();
        Assert.Equal($"{payment.Str("id")}:{attempts[1].GetProperty("id").GetString()}", Assert.Single(keys.Distinct())); // b's own attempt key
        Assert.Equal(MollieIban, Instructions(payment).GetProperty("iban").GetString());

        // A 500 (any answer after sending) may have opened the transfer: no failover, 503 to the merchant, and the
        // reconciler repeats the create with the same key (Mollie answers the transfer it opened) until the instructions are there.
        var unknownMerchant = await Server.CreateMerchantAsync("Mollie unknown merchant", withLiveKeys: true);
        var flaky = Mock();
        var c = await MollieAccountAsync(unknownMerchant.Id, flaky.BaseUrl);
        await BankTransferRuleAsync(unknownMerchant.Id, c);
        flaky.Server.Given(Request.Create().WithPath("/v2/payments").UsingPost())
            .RespondWith(ProviderWireMock.Json(500, """{"status":500,"title":"Internal Server Error","detail":"try again"}"""));
        var failed = await CreateTransferAsync(unknownMerchant);
        Problem.Assert(failed, 503, "provider_unavailable");
        var list = (await Server.Client(unknownMerchant.LiveSecretKey).GetAsync("/v1/payments?limit=1")).EnsureStatus(200);
        var id = Steps.Ids(list).Single();
        Assert.Equal("requires_payment_method", (await PaymentAsync(unknownMerchant, id)).Str("status"));

        flaky.Server.ResetMappings();
        AnswerCreate(flaky, "tr_Recovered001", 10000, "RF712348231", expiresAt);
        var recovered = await Steps.PollPaymentAsync(Server.Client(unknownMerchant.LiveSecretKey), id, p => p.Str("status") != "requires_payment_method", TimeSpan.FromSeconds(20));
        Assert.Equal("requires_action", recovered.Str("status"));
        Assert.Equal("RF712348231", Instructions(recovered).GetProperty("reference").GetString());
        var flakyKeys = Creates(flaky).Select(r => ProviderWireMock.Header(r, "Idempotency-Key")).Distinct().ToList();
        Assert.Single(flakyKeys);
        Assert.True(Creates(flaky).Count >= 2);
        Assert.Equal(1, (await EventsAsync(unknownMerchant, id)).Count(t => t == "payment.requires_action"));
    }

    protected async Task Canceling_a_Mollie_transfer_cancels_it_at_Mollie_first_and_a_refusal_changes_nothing()
    {
        var merchant = await Server.CreateMerchantAsync("Mollie cancel merchant", withLiveKeys: true);
        var mock = Mock();
        var account = await MollieAccountAsync(merchant.Id, mock.BaseUrl);
        await BankTransferRuleAsync(merchant.Id, account);
        var expiresAt = Seconds(DateTimeOffset.UtcNow.AddDays(12));
        var api = Server.Client(merchant.LiveSecretKey);

        // Mollie refuses to cancel the first (documented 422: the payment cannot be canceled, e.g. it was just paid).
        AnswerCreate(mock, "tr_NotCancelable", 10000, "RF18539007547034", expiresAt);
        var refusedId = (await CreateTransferAsync(merchant)).EnsureStatus(200).Str("id")!;

        // The adapter reads the payment first: open (not an authorized card hold), so it is canceled with DELETE.
        AnswerGet(mock, "tr_NotCancelable", "open", 10000, "RF18539007547034", expiresAt, refusedId);
        mock.Server.Given(Request.Create().WithPath("/v2/payments/tr_NotCancelable").UsingDelete())
            .RespondWith(ProviderWireMock.Json(422, """{"status":422,"title":"Unprocessable Entity","detail":"The payment cannot be canceled"}"""));
        Problem.Assert(await api.PostAsync($"/v1/payments/{refusedId}/cancel", new { }), 409, "payment_state_conflict");
        Assert.Equal("requires_action", (await PaymentAsync(merchant, refusedId)).Str("status"));
        Assert.DoesNotContain("payment.canceled", await EventsAsync(merchant, refusedId));

        // The second is canceled at Mollie (DELETE with an idempotency key), then here.
        mock.Server.ResetMappings();
        AnswerCreate(mock, "tr_Cancelable01", 10000, "RF712348231", expiresAt);
        var id = (await CreateTransferAsync(merchant)).EnsureStatus(200).Str("id")!;
        AnswerGet(mock, "tr_Cancelable01", "open", 10000, "RF712348231", expiresAt, id);
        mock.Server.Given(Request.Create().WithPath("/v2/payments/tr_Cancelable01").UsingDelete())
            .RespondWith(ProviderWireMock.Json(200, MolliePayment("tr_Cancelable01", "canceled", 10000, "RF712348231", expiresAt, id)));
        var canceled = (await api.PostAsync($"/v1/payments/{id}/cancel", new { cancellation_reason = "requested_by_customer" })).EnsureStatus(200);
        Assert.Equal("canceled", canceled.Str("status"));
        Assert.Equal("requested_by_customer", canceled.Str("cancellation_reason"));
        var delete = Assert.Single(mock.Requests, r => r.Method == "DELETE" && r.Path == "/v2/payments/tr_Cancelable01");
        Assert.Equal(id + ":cancel", ProviderWireMock.Header(delete, "Idempotency-Key"));

        // Mollie's own webhook for the cancellation then changes nothing.
        mock.Server.ResetMappings();
        AnswerGet(mock, "tr_Cancelable01", "canceled", 10000, "RF712348231", expiresAt, id);
        Assert.Equal(200, (await WebhookAsync(account, "tr_Cancelable01")).Status);
        Assert.Equal(1, (await EventsAsync(merchant, id)).Count(t => t == "payment.canceled"));
    }

    protected async Task Only_rules_naming_bank_transfer_route_it_and_they_must_target_an_adapter_that_collects_transfers()
    {
        var merchant = await Server.CreateMerchantAsync("Mollie rules merchant", withLiveKeys: true);
        var mock = Mock();
        var mollie = await MollieAccountAsync(merchant.Id, mock.BaseUrl);
        var stripe = (await Admin.PostAsync($"/v1/merchants/{merchant.Id}/provider_accounts", new
        {
            provider = "stripe",
            livemode = true,
            credentials = new Dictionary<string, string> { ["api_key"] = "sk_live_51BankTransferRoutingStripe" },
            settings = new Dictionary<string, string> { ["base_url"] = mock.BaseUrl, ["raw_card_data_enabled"] = "true" },
        })).EnsureStatus(200).Str("id")!;

        // Stripe's adapter cannot collect bank transfers: the rule is refused with a stable code naming the target.
        Problem.Assert(await Admin.PostAsync($"/v1/merchants/{merchant.Id}/routing_rules", new
        {
            livemode = true,
            priority = 1,
            conditions = new { payment_method_types = new[] { "card", "bank_transfer" } },
            targets = new[] { new { provider_account = mollie, weight = 1 }, new { provider_account = stripe, weight = 1 } },
        }), 422, "provider_method_unsupported", "targets[1]");

        // A card-only default route (no payment_method_types) leaves transfers to the gateway's own collection account.
        var cardRule = (await Admin.PostAsync($"/v1/merchants/{merchant.Id}/routing_rules", new
        {
            livemode = true,
            priority = 100,
            targets = new[] { new { provider_account = mollie, weight = 1 } },
        })).EnsureStatus(200).Str("id")!;
        var own = (await CreateTransferAsync(merchant)).EnsureStatus(200);
        Assert.Equal("requires_action", own.Str("status"));
        Assert.Null(own.Str("provider"));
        Assert.Equal("DE89370400440532013000", Instructions(own).GetProperty("iban").GetString());
        Assert.True(CreditorReference.IsValid(Instructions(own).GetProperty("reference").GetString()!));
        Assert.Empty(Creates(mock));

        // Changing that rule to route bank transfers to Stripe is refused too, and leaves the rule as it was.
        Problem.Assert(await Admin.PostAsync($"/v1/merchants/{merchant.Id}/routing_rules/{cardRule}", new
        {
            conditions = new { payment_method_types = new[] { "bank_transfer" } },
            targets = new[] { new { provider_account = stripe, weight = 1 } },
        }), 422, "provider_method_unsupported", "targets[0]");
        var unchanged = (await Admin.GetAsync($"/v1/merchants/{merchant.Id}/routing_rules/{cardRule}")).EnsureStatus(200);
        Assert.Equal(mollie, unchanged.Json.GetProperty("targets")[0].GetProperty("provider_account").GetString());
        Assert.Empty(Creates(mock));
    }
}

public sealed class MollieBankTransferSqliteTests(MollieBankTransferFixture fixture) : MollieBankTransferScenarios(fixture), IClassFixture<MollieBankTransferFixture>
{
    [Fact]
    public Task Mollie_gives_the_instructions_its_webhook_settles_the_transfer_once_and_statements_never_touch_it_Sqlite() => Mollie_gives_the_instructions_its_webhook_settles_the_transfer_once_and_statements_never_touch_it();

    [Fact]
    public Task An_expired_transfer_is_canceled_by_the_webhook_and_the_reconciler_settles_one_whose_webhook_was_lost_Sqlite() => An_expired_transfer_is_canceled_by_the_webhook_and_the_reconciler_settles_one_whose_webhook_was_lost();

    [Fact]
    public Task An_account_that_takes_nothing_is_failed_over_and_an_unknown_create_is_recovered_with_the_same_key_Sqlite() => An_account_that_takes_nothing_is_failed_over_and_an_unknown_create_is_recovered_with_the_same_key();

    [Fact]
    public Task Canceling_a_Mollie_transfer_cancels_it_at_Mollie_first_and_a_refusal_changes_nothing_Sqlite() => Canceling_a_Mollie_transfer_cancels_it_at_Mollie_first_and_a_refusal_changes_nothing();

    [Fact]
    public Task Only_rules_naming_bank_transfer_route_it_and_they_must_target_an_adapter_that_collects_transfers_Sqlite() => Only_rules_naming_bank_transfer_route_it_and_they_must_target_an_adapter_that_collects_transfers();
}

public sealed class MollieBankTransferPostgresTests(MollieBankTransferPostgresFixture fixture) : MollieBankTransferScenarios(fixture), IClassFixture<MollieBankTransferPostgresFixture>
{
    [MultiNodePostgresFact]
    public Task Mollie_gives_the_instructions_its_webhook_settles_the_transfer_once_and_statements_never_touch_it_Postgres() => Mollie_gives_the_instructions_its_webhook_settles_the_transfer_once_and_statements_never_touch_it();

    [MultiNodePostgresFact]
    public Task An_expired_transfer_is_canceled_by_the_webhook_and_the_reconciler_settles_one_whose_webhook_was_lost_Postgres() => An_expired_transfer_is_canceled_by_the_webhook_and_the_reconciler_settles_one_whose_webhook_was_lost();

    [MultiNodePostgresFact]
    public Task An_account_that_takes_nothing_is_failed_over_and_an_unknown_create_is_recovered_with_the_same_key_Postgres() => An_account_that_takes_nothing_is_failed_over_and_an_unknown_create_is_recovered_with_the_same_key();

    [MultiNodePostgresFact]
    public Task Canceling_a_Mollie_transfer_cancels_it_at_Mollie_first_and_a_refusal_changes_nothing_Postgres() => Canceling_a_Mollie_transfer_cancels_it_at_Mollie_first_and_a_refusal_changes_nothing();

    [MultiNodePostgresFact]
    public Task Only_rules_naming_bank_transfer_route_it_and_they_must_target_an_adapter_that_collects_transfers_Postgres() => Only_rules_naming_bank_transfer_route_it_and_they_must_target_an_adapter_that_collects_transfers();
}
