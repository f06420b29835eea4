using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>
/// The npm tools of tests/openapi (Spectral, Prism, openapi-typescript + tsc) and one real gateway whose
/// <c>/openapi/v1.json</c> they check. Without node/npm the tests report why and pass without checking — except in CI
/// (<c>CI=true</c>), where .ci/run installs Node.js and <c>npm ci</c>s tests/openapi, so a missing tool fails.
/// </summary>
public sealed class OpenApiToolsFixture : IAsyncLifetime
{
    private GatewayServer? _server;

    public GatewayServer Server => _server ?? throw new InvalidOperationException("Gateway not started.");

    /// <summary>tests/openapi.</summary>
    public string ToolsDirectory { get; } = RepositoryFiles.RootPath(Path.Combine("tests", "openapi"));

    /// <summary>The document as the gateway served it, saved for the tools.</summary>
    public string DocumentPath { get; private set; } = "";

    public string DocumentText { get; private set; } = "";

    public string WorkDirectory { get; private set; } = "";

    public string? SkipReason { get; private set; }

    public async Task InitializeAsync()
    {
        _server = await GatewayServer.StartAsync();
        DocumentText = await Server.Client(null).Http.GetStringAsync("/openapi/v1.json");
        WorkDirectory = Path.Combine(GatewayServer.TestRoot, "openapi-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(WorkDirectory);
        DocumentPath = Path.Combine(WorkDirectory, "openapi.json");
        await File.WriteAllTextAsync(DocumentPath, DocumentText);

        if (ExternalProcess.Find("node") is null || ExternalProcess.Find("npm") is null)
        {
            SkipReason = "node and npm are not on PATH; install Node.js to run the OpenAPI tool checks.";
            Assert.False(ToolFactAttribute.IsCi, "CI must run the OpenAPI tool checks: " + SkipReason);
            return;
        }

        if (!File.Exists(Path.Combine(ToolsDirectory, "node_modules", ".bin", "prism")))
        {
            var (exit, output) = await ExternalProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--prefix", ToolsDirectory],
                Path.Combine(WorkDirectory, "npm.log"), timeout: TimeSpan.FromMinutes(5));
            Assert.True(exit == 0, "npm ci in tests/openapi failed: " + output);
        }
    }

    /// <summary>Runs an npm tool of tests/openapi with node, in that directory; bounded by <paramref name="timeout"/>.</summary>
    public async Task<(int ExitCode, string Output)> RunToolAsync(string tool, IEnumerable<string> arguments, string logName, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(ExternalProcess.Find("node") ?? "node")
        {
            WorkingDirectory = ToolsDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(ToolsDirectory, "node_modules", ".bin", tool));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish within {timeout}.");
        }

        var output = await stdout + await stderr;
        await File.WriteAllTextAsync(Path.Combine(WorkDirectory, logName), output);
        return (process.ExitCode, output);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// The OpenAPI document is a reference to trust (issue 22, docs/api-reference.md): Spectral (<c>spectral:oas</c> plus
/// tests/openapi/.spectral.yaml) finds no error and no warning; the REST traffic of a merchant's integration passes
/// through Prism as a validating proxy with no request or response the document does not describe; and a client
/// generated from it by openapi-typescript compiles and makes a payment. Bounded: about a minute in all.
/// </summary>
public sealed class OpenApiReferenceTests(OpenApiToolsFixture tools) : IClassFixture<OpenApiToolsFixture>
{
    [Fact]
    public async Task Spectral_FindsNoErrorsOrWarnings()
    {
        if (tools.SkipReason is not null)
        {
            return;
        }

        var (exit, output) = await RunSpectralAsync(tools.DocumentPath, "spectral.log");
        Assert.True(exit == 0, "Spectral found problems in /openapi/v1.json:\n" + output);
        Assert.Contains("No results with a severity of 'warn' or higher found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spectral_ProjectRules_FailAnUndescribedPropertyAndANullableRequiredOne()
    {
        if (tools.SkipReason is not null)
        {
            return;
        }

        // The same document with two regressions the project ruleset exists for.
        var document = JsonNode.Parse(tools.DocumentText)?.AsObject() ?? throw new InvalidOperationException("no document");
        var payment = document["components"]?["schemas"]?["PaymentResource"]?["properties"]?.AsObject() ?? throw new InvalidOperationException("no PaymentResource");
        payment["amount_refunded"]?.AsObject().Remove("description");
        payment["amount"] = JsonNode.Parse("""{"type":["null","integer"],"format":"int64","description":"x"}""");
        var broken = Path.Combine(tools.WorkDirectory, "openapi-broken.json");
        await File.WriteAllTextAsync(broken, document.ToJsonString());

        var (exit, output) = await RunSpectralAsync(broken, "spectral-broken.log");

        Assert.NotEqual(0, exit);
        Assert.Contains("pg-property-description", output, StringComparison.Ordinal);
        Assert.Contains("required property \"amount\" allows null", output, StringComparison.Ordinal); // the function's own message
    }

    [Fact]
    public async Task PrismProxy_RestTraffic_HasNoRequestOrResponseTheDocumentDoesNotDescribe()
    {
        if (tools.SkipReason is not null)
        {
            return;
        }

        var (prism, proxy) = await StartPrismAsync(tools.DocumentPath, "prism.log");
        await using var _ = prism;
        var traffic = new CheckedTraffic(proxy);

        // The validator is on: a request the document forbids (no currency) is refused by Prism itself.
        var admin = traffic.Client(tools.Server.AdminKey);
        var merchant = await admin.PostAsync("/v1/merchants", new { name = "OpenAPI proxy merchant" });
        var merchantId = merchant.Str("id") ?? throw new InvalidOperationException("no merchant");
        var secret = (await admin.PostAsync($"/v1/merchants/{merchantId}/api_keys", new { type = "secret", livemode = false })).Str("secret") ?? "";
        var publishable = (await admin.PostAsync($"/v1/merchants/{merchantId}/api_keys", new { type = "publishable", livemode = false })).Str("secret") ?? "";
        await admin.GetAsync($"/v1/merchants/{merchantId}/api_keys");
        var sk = traffic.Client(secret);
        var pk = traffic.Client(publishable);
        var undescribed = await new GatewayClient(new HttpClient { BaseAddress = proxy }, secret).PostAsync("/v1/payments", new { amount = 100 });
        Assert.Equal(422, undescribed.Status);
        Assert.StartsWith("https://stoplight.io/prism/errors", undescribed.Str("type"), StringComparison.Ordinal);

        // Tokenize, then the payment's life: manual capture, partial capture, refunds, cancel.
        var card = await pk.PostAsync("/v1/payment_methods", new { type = "card", card = new { number = Flows.Visa, exp_month = 12, exp_year = DateTime.UtcNow.Year + 2, cvc = "123" } });
        var pm = card.Str("id") ?? "";
        await sk.GetAsync($"/v1/payment_methods/{pm}");
        var payment = await sk.PostAsync("/v1/payments", new { amount = 5000, currency = "EUR", capture_method = "manual", payment_method = pm, confirm = true, description = "Order 1", metadata = new { order = "1" } }, "proxy-pay-1");
        Assert.Equal("requires_capture", payment.Str("status"));
        var id = payment.Str("id") ?? "";
        var replay = await sk.PostAsync("/v1/payments", new { amount = 5000, currency = "EUR", capture_method = "manual", payment_method = pm, confirm = true, description = "Order 1", metadata = new { order = "1" } }, "proxy-pay-1");
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Equal(200, (await sk.PostAsync($"/v1/payments/{id}/capture", new { amount_to_capture = 4000 })).Status);
        traffic.Expect(409, await sk.PostAsync($"/v1/payments/{id}/capture", null));
        Assert.Equal(200, (await sk.PostAsync("/v1/refunds", new { payment = id, amount = 1000, reason = "requested_by_customer" })).Status);
        traffic.Expect(422, await sk.PostAsync("/v1/refunds", new { payment = id, amount = 999_999 }));
        await sk.GetAsync($"/v1/refunds?payment={id}&limit=5");

        var second = await sk.PostAsync("/v1/payments", new { amount = 1200, currency = "USD" });
        Assert.Equal("requires_payment_method", second.Str("status"));
        await sk.PostAsync($"/v1/payments/{second.Str("id")}/confirm", new { payment_method = "pm_card_visa" });
        var third = await sk.PostAsync("/v1/payments", new { amount = 700, currency = "EUR", capture_method = "manual", payment_method = "pm_card_mastercard", confirm = true });
        Assert.Equal("canceled", (await sk.PostAsync($"/v1/payments/{third.Str("id")}/cancel", new { cancellation_reason = "requested_by_customer" })).Str("status"));

        // Errors: a decline (402 with the payment), an unknown id (404), a bad parameter the schema allows (400).
        traffic.Expect(402, await sk.PostAsync("/v1/payments", new { amount = 900, currency = "EUR", payment_method = "pm_card_insufficient_funds", confirm = true }));
        traffic.Expect(404, await sk.GetAsync("/v1/payments/pay_doesnotexist"));
        traffic.Expect(400, await sk.PostAsync("/v1/payments", new { amount = 900, currency = "XYZ" }));
        traffic.Expect(401, await traffic.Client("sk_test_wrong").GetAsync("/v1/payments"));

        // Lists with their query parameters.
        var page = await sk.GetAsync("/v1/payments?limit=2&status=succeeded");
        await sk.GetAsync($"/v1/payments?limit=1&starting_after={id}");
        await sk.GetAsync("/v1/payments?created[gte]=2020-01-01T00:00:00Z");
        Assert.Equal("list", page.Str("object"));
        await sk.GetAsync($"/v1/payments/{id}");
        await sk.GetAsync($"/v1/events?limit=3&object_id={id}");

        // Customers and saved cards.
        var customer = await sk.PostAsync("/v1/customers", new { email = "proxy@example.com", name = "Proxy Customer", metadata = new { tier = "gold" } });
        var customerId = customer.Str("id") ?? "";
        await sk.GetAsync("/v1/customers?email=proxy@example.com");
        await sk.SendAsync(HttpMethod.Patch, $"/v1/customers/{customerId}", """{"phone":"+49 30 1234"}""", null);
        var saved = await sk.PostAsync("/v1/payments", new { amount = 1500, currency = "EUR", payment_method = "pm_card_visa", confirm = true, customer = customerId, setup_future_usage = "off_session" });
        Assert.Equal("succeeded", saved.Str("status"));
        await sk.GetAsync($"/v1/customers/{customerId}/payment_methods?limit=10");
        await sk.GetAsync($"/v1/customers/{customerId}");

        // Webhook endpoints (the secret appears once) and a checkout session.
        var endpoint = await sk.PostAsync("/v1/webhook_endpoints", new { url = "https://example.com/hooks", enabled_events = new[] { "payment.succeeded" } });
        await sk.GetAsync($"/v1/webhook_endpoints/{endpoint.Str("id")}");
        await sk.PostAsync("/v1/checkout/sessions", new { amount = 1999, currency = "EUR", success_url = "https://example.com/thanks", cancel_url = "https://example.com/cart" });

        Assert.True(traffic.Count >= 30, $"only {traffic.Count} exchanges");
        Assert.True(traffic.Violations.Count == 0, "Prism found traffic the document does not describe:\n" + string.Join("\n", traffic.Violations));
    }

    [Fact]
    public async Task PrismProxy_FlagsAResponseTheDocumentDoesNotDescribe()
    {
        if (tools.SkipReason is not null)
        {
            return;
        }

        // The document without the status "succeeded": a successful payment's answer is then undescribed.
        var document = JsonNode.Parse(tools.DocumentText)?.AsObject() ?? throw new InvalidOperationException("no document");
        var statuses = document["components"]?["schemas"]?["PaymentResource"]?["properties"]?["status"]?["enum"]?.AsArray() ?? throw new InvalidOperationException("no status enum");
        statuses.Remove(statuses.First(v => v?.GetValue<string>() == "succeeded"));
        var narrowed = Path.Combine(tools.WorkDirectory, "openapi-narrowed.json");
        await File.WriteAllTextAsync(narrowed, document.ToJsonString());
        var (prism, proxy) = await StartPrismAsync(narrowed, "prism-narrowed.log");
        await using var _ = prism;
        var merchant = await tools.Server.CreateMerchantAsync("Narrowed document merchant");
        var traffic = new CheckedTraffic(proxy);

        await traffic.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 1000, currency = "EUR", payment_method = "pm_card_visa", confirm = true });

        var violation = Assert.Single(traffic.Violations);
        Assert.Contains("status", violation, StringComparison.Ordinal);
        Assert.Contains("allowed values", violation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GeneratedClient_CompilesAndMakesAPayment()
    {
        if (tools.SkipReason is not null)
        {
            return;
        }

        var generated = Path.Combine(tools.ToolsDirectory, "generated", "api.d.ts");
        var (genExit, genOutput) = await tools.RunToolAsync("openapi-typescript", [tools.DocumentPath, "-o", generated], "openapi-typescript.log", TimeSpan.FromMinutes(2));
        Assert.True(genExit == 0, "openapi-typescript failed: " + genOutput);
        var (tscExit, tscOutput) = await tools.RunToolAsync("tsc", ["-p", "tsconfig.json"], "tsc.log", TimeSpan.FromMinutes(3));
        Assert.True(tscExit == 0, "the generated client does not compile: " + tscOutput);

        var merchant = await tools.Server.CreateMerchantAsync("Generated client merchant");
        var (exit, output) = await ExternalProcess.RunAsync("node",
            [Path.Combine(tools.ToolsDirectory, "build", "client", "pay.js"), tools.Server.BaseAddress.ToString().TrimEnd('/'), merchant.PublishableKey, merchant.SecretKey],
            Path.Combine(tools.WorkDirectory, "pay.log"), timeout: TimeSpan.FromMinutes(1));
        Assert.True(exit == 0, "the generated client failed: " + output);

        var line = output.Split('\n').Last(l => l.TrimStart().StartsWith('{'));
        using var result = JsonDocument.Parse(line);
        var id = result.RootElement.GetProperty("id").GetString() ?? "";
        Assert.Equal("requires_capture", result.RootElement.GetProperty("authorized_status").GetString());
        Assert.Equal("resource_missing", result.RootElement.GetProperty("missing_code").GetString());

        // The gateway's own view of what the generated client did.
        var payment = await tools.Server.Client(merchant.SecretKey).GetAsync($"/v1/payments/{id}");
        Assert.Equal("succeeded", payment.Str("status"));
        Assert.Equal(1500, payment.Long("amount_received"));
        Assert.Equal("gen-1", payment.Json.GetProperty("metadata").GetProperty("order").GetString());
    }

    /// <summary>Prism as a validating proxy (errors mode) in front of the fixture's gateway, on a free loopback port.</summary>
    private async Task<(ExternalProcess Prism, Uri Proxy)> StartPrismAsync(string document, string logName)
    {
        var port = ExternalProcess.FreeLoopbackPort();
        var prism = ExternalProcess.Start("node",
            [Path.Combine(tools.ToolsDirectory, "node_modules", ".bin", "prism"), "proxy", document, tools.Server.BaseAddress.ToString().TrimEnd('/'),
             "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--errors"],
            Path.Combine(tools.WorkDirectory, logName));
        await prism.WaitForPortAsync(port, TimeSpan.FromSeconds(90));
        return (prism, new Uri($"http://127.0.0.1:{port}"));
    }

    private Task<(int ExitCode, string Output)> RunSpectralAsync(string document, string logName) =>
        tools.RunToolAsync("spectral", ["lint", document, "--ruleset", Path.Combine(tools.ToolsDirectory, ".spectral.yaml"), "--fail-severity=warn", "--format", "text"],
            logName, TimeSpan.FromMinutes(2));

    /// <summary>Every exchange through the proxy, with what Prism said about it.</summary>
    private sealed class CheckedTraffic(Uri proxy)
    {
        public List<string> Violations { get; } = [];

        public int Count { get; private set; }

        public CheckingClient Client(string key) => new(this, new GatewayClient(new HttpClient { BaseAddress = proxy }, key));

        /// <summary>Records a wrong status too: the flow must be the one the test means, not only a described one.</summary>
        public void Expect(int status, ApiResponse response)
        {
            if (response.Status != status)
            {
                Violations.Add($"expected {status}, got {response.Status}: {response.Body}");
            }
        }

        public ApiResponse Check(string request, ApiResponse response)
        {
            Count++;
            if (response.Header("sl-violations") is { } violations)
            {
                Violations.Add($"{request} → {response.Status}: {violations}");
            }
            else if (response.ContentType == "application/problem+json" && response.Str("type") is { } type && type.StartsWith("https://stoplight.io/prism/", StringComparison.Ordinal))
            {
                Violations.Add($"{request} → {response.Status}: {response.Body}");
            }

            return response;
        }
    }

    private sealed class CheckingClient(CheckedTraffic traffic, GatewayClient client)
    {
        public async Task<ApiResponse> GetAsync(string path) => traffic.Check("GET " + path, await client.GetAsync(path));

        public async Task<ApiResponse> PostAsync(string path, object? body, string? idempotencyKey = null) =>
            traffic.Check("POST " + path, await client.PostAsync(path, body, idempotencyKey));

        public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? body, string? idempotencyKey) =>
            traffic.Check($"{method} {path}", await client.SendAsync(method, path, body, idempotencyKey));
    }
}
