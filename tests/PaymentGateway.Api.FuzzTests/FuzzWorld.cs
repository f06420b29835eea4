using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.FuzzTests;

/// <summary>
/// What the fuzzer needs to reach the handlers: a real gateway with a merchant, its keys and real objects of every
/// kind (made through the API), a valid request body per operation to mutate, and real ids for the path parameters.
/// Ids are harvested from the document's own list operations; the few objects no list shows are registered here.
/// </summary>
public sealed class FuzzWorld
{
    /// <summary>A Luhn-valid card that is not among the simulator's test cards (and not in CI's card-data scan list).</summary>
    public const string Card = "4111111111111111";

    public const string Iban = "DE89 3704 0044 0532 0130 00";

    private readonly Dictionary<string, List<string>> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _bodies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _operationIds = new(StringComparer.Ordinal);

    private FuzzWorld(GatewayServer server, TestMerchant merchant, string routingMerchantId)
    {
        Server = server;
        Merchant = merchant;
        RoutingMerchantId = routingMerchantId;
    }

    public GatewayServer Server { get; }

    public TestMerchant Merchant { get; }

    /// <summary>
    /// The merchant whose provider accounts and routing rules the admin operations change: another one than
    /// <see cref="Merchant"/>, so that fuzzed rules never stop the payment operations from reaching the simulator.
    /// </summary>
    public string RoutingMerchantId { get; }

    /// <summary>Gateway settings that let bank transfers and direct debits reach their handlers.</summary>
    public static IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["PaymentGateway:BankTransfers:CollectionAccount:Iban"] = Iban,
        ["PaymentGateway:BankTransfers:CollectionAccount:Bic"] = "COBADEFFXXX",
        ["PaymentGateway:BankTransfers:CollectionAccount:AccountHolderName"] = "Fuzz Shop GmbH",
        ["PaymentGateway:BankTransfers:CreditorId"] = "DE98 ZZZ 0999 9999 999",
        ["PaymentGateway:BankTransfers:ExpiryEnabled"] = "false",
        ["PaymentGateway:BankTransfers:SettlementEnabled"] = "false",
        ["PaymentGateway:Reconciler:MinAge"] = "00:00:00.500",
        ["Logging:LogLevel:Default"] = "Warning", // tens of thousands of requests: keep the test log small
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    public string KeyFor(FuzzKey key) => key switch
    {
        FuzzKey.Secret => Merchant.SecretKey,
        FuzzKey.Publishable => Merchant.PublishableKey,
        _ => Server.AdminKey,
    };

    public static async Task<FuzzWorld> CreateAsync(GatewayServer server, IReadOnlyList<FuzzOperation> operations)
    {
        var merchant = await server.CreateMerchantAsync("Fuzz merchant");
        var routing = (await server.Client(server.AdminKey).PostAsync("/v1/merchants", new { name = "Fuzz routing merchant" })).EnsureStatus(200);
        var world = new FuzzWorld(server, merchant, Id(routing));
        await world.SeedAsync(operations);
        return world;
    }

    /// <summary>A real value for a path parameter: an id of the collection the path is under.</summary>
    public string PathValue(FuzzOperation operation, string parameter)
    {
        if (parameter == operation.PathParameters[^1] && _operationIds.TryGetValue(operation.OperationId, out var own))
        {
            return own;
        }

        var template = operation.PathTemplate;
        var at = template.IndexOf("{" + parameter + "}", StringComparison.Ordinal);
        var collection = at > 0 ? template[..(at - 1)] : template;
        if (_ids.TryGetValue(Concrete(collection), out var ids) && ids.Count > 0)
        {
            // Deletes go to a spare object, so the one the other operations use stays.
            return operation.Method == "DELETE" && parameter == operation.PathParameters[^1] && ids.Count > 1 ? ids[^1] : ids[0];
        }

        // A parameter named after its collection (provider_account_id → …/provider_accounts).
        if (parameter.EndsWith("_id", StringComparison.Ordinal))
        {
            var plural = parameter[..^3] + "s";
            var match = _ids.FirstOrDefault(p => p.Key.EndsWith("/" + plural, StringComparison.Ordinal) && p.Value.Count > 0);
            if (match.Value is { } named)
            {
                return named[0];
            }
        }

        return "zz_00000000000000000000000000000";
    }

    public JsonObject? BaseBody(FuzzOperation operation) =>
        _bodies.TryGetValue(operation.OperationId, out var body) ? body : Generated(operation.BodySchema);

    public byte[]? BaseRawBody(FuzzOperation operation, out string? contentType)
    {
        if (operation.OperationId == "ImportBankStatement")
        {
            contentType = "application/xml";
            return Encoding.UTF8.GetBytes(Statement("FUZZ-BASE"));
        }

        contentType = operation.Method == "POST" ? "application/json" : null;
        return operation.Method == "POST" ? "{}"u8.ToArray() : null;
    }

    /// <summary>How many objects a list operation shows now (all pages), for the nothing-half-written check.</summary>
    public async Task<int> CountAsync(string path, FuzzKey key)
    {
        var client = Server.Client(KeyFor(key));
        var count = 0;
        string? after = null;
        for (var page = 0; page < 10_000; page++)
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var response = await client.GetAsync(after is null ? $"{path}{separator}limit=100" : $"{path}{separator}limit=100&starting_after={after}");
            response.EnsureStatus(200);
            var data = response.Json.GetProperty("data");
            count += data.GetArrayLength();
            if (!response.Json.TryGetProperty("has_more", out var more) || !more.GetBoolean() || data.GetArrayLength() == 0)
            {
                return count;
            }

            after = data[data.GetArrayLength() - 1].GetProperty("id").GetString();
        }

        return count;
    }

    private async Task SeedAsync(IReadOnlyList<FuzzOperation> operations)
    {
        var sk = Server.Client(Merchant.SecretKey);
        var pk = Server.Client(Merchant.PublishableKey);
        var admin = Server.Client(Server.AdminKey);
        var year = DateTime.UtcNow.Year + 3;

        var card = new { type = "card", card = new { number = Card, exp_month = 12, exp_year = year, cvc = "123" }, holder_name = "Fuzz Tester" };
        var pmCard = Id(await pk.PostAsync("/v1/payment_methods", card));
        var pmSepa = Id(await pk.PostAsync("/v1/payment_methods", new { type = "sepa_debit", sepa_debit = new { iban = Iban, bic = "COBADEFFXXX" }, holder_name = "Ada Lovelace" }));
        Register("/v1/payment_methods", pmCard);

        var toConfirm = Id(await sk.PostAsync("/v1/payments", new { amount = 1000, currency = "EUR" }));
        var toCancel = Id(await sk.PostAsync("/v1/payments", new { amount = 1000, currency = "EUR", payment_method = pmCard, capture_method = "manual", confirm = true }));
        var toCapture = Id(await sk.PostAsync("/v1/payments", new { amount = 1000, currency = "EUR", payment_method = pmCard, capture_method = "manual", confirm = true }));
        var succeeded = Id(await sk.PostAsync("/v1/payments", new { amount = 5000, currency = "EUR", payment_method = pmCard, confirm = true }));
        var bankTransfer = Id(await sk.PostAsync("/v1/payments", new { amount = 2500, currency = "EUR", payment_method_type = "bank_transfer" }));
        Id(await sk.PostAsync("/v1/refunds", new { payment = succeeded, amount = 100 }));
        var mandate = Id(await sk.PostAsync("/v1/mandates", new { payment_method = pmSepa, reference = "FUZZ-MANDATE-1", signature_date = "2026-01-15" }));
        Id(await sk.PostAsync("/v1/payments", new { amount = 700, currency = "EUR", payment_method_type = "sepa_debit", mandate }));
        (await sk.PostAsync("/v1/direct_debit_batches", new { })).EnsureStatus(200);
        var endpoint = Id(await sk.PostAsync("/v1/webhook_endpoints", new { url = "http://127.0.0.1:9/hooks", enabled_events = new[] { "*" } }));
        Id(await sk.PostAsync("/v1/webhook_endpoints", new { url = "http://127.0.0.1:9/spare", enabled_events = new[] { "*" } }));
        Id(await sk.PostAsync("/v1/customers", new { email = "fuzz@example.com", name = "Fuzz" }));
        Id(await sk.PostAsync("/v1/customers", new { email = "spare@example.com", name = "Spare" }));
        var session = Id(await sk.PostAsync("/v1/checkout/sessions", CheckoutSession()));
        Register("/v1/checkout/sessions", session);
        var statement = await sk.PostRawAsync("/v1/bank_statements", Statement("FUZZ-SEED"), contentType: "application/xml");
        statement.EnsureStatus(200);

        var accounts = $"/v1/merchants/{RoutingMerchantId}/provider_accounts";
        var simulator = Id(await admin.PostAsync(accounts, new { provider = "simulator", livemode = false, description = "fuzz" }));
        var stripe = Id(await admin.PostAsync(accounts, new
        {
            provider = "stripe",
            livemode = false,
            credentials = new Dictionary<string, string> { ["api_key"] = "sk_test_fuzz", ["webhook_secret"] = "whsec_fuzz" },
            settings = new Dictionary<string, string> { ["base_url"] = "http://127.0.0.1:9", ["raw_card_data_enabled"] = "true" },
        }));
        var rule = Id(await admin.PostAsync($"/v1/merchants/{RoutingMerchantId}/routing_rules", RoutingRule(simulator, livemode: false)));
        Id(await admin.PostAsync($"/v1/merchants/{RoutingMerchantId}/routing_rules", RoutingRule(simulator, livemode: false)));

        // Real ids for every path: the document's own list operations, merchant first where a merchant id is asked for.
        Register("/v1/merchants", RoutingMerchantId);
        foreach (var list in operations.Where(o => o.Method == "GET" && o.OperationId.StartsWith("List", StringComparison.Ordinal)))
        {
            var path = Concrete(list.PathTemplate);
            if (path.Contains('{', StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var key in new[] { FuzzKey.Secret, FuzzKey.Admin })
            {
                var response = await Server.Client(KeyFor(key)).GetAsync(path);
                if (response.Status == 200 && response.Json.TryGetProperty("data", out var data))
                {
                    foreach (var item in data.EnumerateArray())
                    {
                        if (item.TryGetProperty("id", out var id) && id.GetString() is { } value)
                        {
                            Register(path, value);
                        }
                    }

                    break;
                }
            }
        }

        // The objects a fuzz request should find in a known state come first; payment actions each get their own.
        Prefer("/v1/payments", toConfirm);
        _operationIds["CapturePayment"] = toCapture;
        _operationIds["CancelPayment"] = toCancel;
        _operationIds["ReceiveProviderWebhook"] = stripe; // verified by signature, unlike the simulator's (which sends none)
        Prefer("/v1/webhook_endpoints", endpoint);
        Prefer(accounts, simulator);
        Prefer($"/v1/merchants/{RoutingMerchantId}/routing_rules", rule);

        _bodies["CreatePayment"] = Json(new { amount = 1000, currency = "EUR", payment_method = pmCard, confirm = true, capture_method = "automatic", description = "fuzz", metadata = new Dictionary<string, string> { ["order"] = "1" }, return_url = "https://shop.example/return" });
        _bodies["ConfirmPayment"] = Json(new { payment_method = pmCard, return_url = "https://shop.example/return" });
        _bodies["CapturePayment"] = Json(new { amount_to_capture = 100 });
        _bodies["CancelPayment"] = Json(new { cancellation_reason = "requested_by_customer" });
        _bodies["CreateRefund"] = Json(new { payment = succeeded, amount = 1, reason = "requested_by_customer", metadata = new Dictionary<string, string> { ["k"] = "v" } });
        _bodies["CreatePaymentMethod"] = Json(card);
        _bodies["CreateMerchant"] = Json(new { name = "Fuzzed merchant" });
        _bodies["CreateApiKey"] = Json(new { type = "secret", livemode = false });
        _bodies["CreateWebhookEndpoint"] = Json(new { url = "http://127.0.0.1:9/hooks", enabled_events = new[] { "payment.succeeded" }, description = "fuzz" });
        _bodies["UpdateWebhookEndpoint"] = Json(new { url = "http://127.0.0.1:9/hooks2", enabled_events = new[] { "*" }, description = "fuzz", disabled = false });
        _bodies["RotateWebhookSecret"] = Json(new { overlap_seconds = 60 });
        _bodies["RedeliverEvent"] = Json(new { webhook_endpoint = endpoint });
        _bodies["CreateProviderAccount"] = Json(new
        {
            provider = "stripe",
            livemode = false,
            description = "fuzz",
            credentials = new Dictionary<string, string> { ["api_key"] = "sk_test_fuzz", ["webhook_secret"] = "whsec_fuzz" },
            settings = new Dictionary<string, string> { ["base_url"] = "http://127.0.0.1:9", ["raw_card_data_enabled"] = "true" },
        });
        _bodies["UpdateProviderAccount"] = Json(new { description = "fuzz", disabled = false, credentials = new Dictionary<string, string>(), settings = new Dictionary<string, string>() });
        _bodies["CreateRoutingRule"] = Json(RoutingRule(simulator, livemode: false));
        _bodies["UpdateRoutingRule"] = Json(RoutingRule(simulator, livemode: null));
        _bodies["MatchBankStatementEntry"] = Json(new { payment = bankTransfer });
        _bodies["CreateMandate"] = Json(new { payment_method = pmSepa, reference = "FUZZ-MANDATE-2", signature_date = "2026-01-15" });
        _bodies["CreateCheckoutSession"] = Json(CheckoutSession());
    }

    private static object CheckoutSession() => new
    {
        currency = "EUR",
        amount = 1000,
        description = "fuzz",
        line_items = new[] { new { name = "Socks", quantity = 2, unit_amount = 500 } },
        success_url = "https://shop.example/success",
        cancel_url = "https://shop.example/cancel",
        allowed_frame_ancestors = new[] { "https://shop.example" },
        expires_at = DateTimeOffset.UtcNow.AddHours(2).ToString("O"),
        metadata = new Dictionary<string, string> { ["order"] = "1" },
    };

    private static Dictionary<string, object?> RoutingRule(string account, bool? livemode)
    {
        var rule = new Dictionary<string, object?>
        {
            ["priority"] = 10,
            ["description"] = "fuzz",
            ["conditions"] = new { currencies = new[] { "EUR" }, amount_gte = 1, amount_lte = 1_000_000, card_brands = new[] { "visa" }, payment_method_types = new[] { "card" }, countries = new[] { "DE" } },
            ["targets"] = new[] { new { provider_account = account, weight = 1 } },
        };
        if (livemode is { } mode)
        {
            rule["livemode"] = mode;
        }

        return rule;
    }

    private static string Statement(string id)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Statements", "multiple-entries.camt053.xml");
        return File.ReadAllText(path)
            .Replace("STMT-MULTI-0001", id, StringComparison.Ordinal)
            .Replace("{{REF_A}}", "RF18FUZZ", StringComparison.Ordinal)
            .Replace("{{REF_B}}", "RF18FUZZ", StringComparison.Ordinal);
    }

    /// <summary>A plausible instance of a schema for operations without a hand-written body.</summary>
    private static JsonObject Generated(JsonObject? schema)
    {
        var body = new JsonObject();
        if (schema?["properties"] is JsonObject properties)
        {
            foreach (var (name, value) in properties)
            {
                body[name] = OpenApiOperations.MainType(value as JsonObject) switch
                {
                    "string" => "x",
                    "integer" or "number" => 1,
                    "boolean" => false,
                    _ => null,
                };
            }
        }

        return body;
    }

    private string Concrete(string template) => template.Replace("{merchant_id}", RoutingMerchantId, StringComparison.Ordinal);

    private void Register(string collection, string id)
    {
        if (!_ids.TryGetValue(collection, out var ids))
        {
            _ids[collection] = ids = [];
        }

        if (!ids.Contains(id, StringComparer.Ordinal))
        {
            ids.Add(id);
        }
    }

    private void Prefer(string collection, string id)
    {
        if (_ids.TryGetValue(collection, out var ids))
        {
            ids.Remove(id);
            ids.Insert(0, id);
        }
    }

    private static JsonObject Json(object value) =>
        JsonNode.Parse(JsonSerializer.Serialize(value, TestJson.Options))?.AsObject() ?? throw new InvalidOperationException("not an object");

    private static string Id(ApiResponse response) =>
        response.EnsureStatus(200).Str("id") ?? throw new InvalidOperationException($"no id in {response.Body}");
}
