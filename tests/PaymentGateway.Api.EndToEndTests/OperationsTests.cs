using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

[Collection(GatewayCollection.Name)]
public sealed partial class OperationsTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_Returns200Healthy(string path)
    {
        var response = await Server.Client(null).GetAsync(path);

        Assert.Equal(200, response.Status);
        Assert.Equal("Healthy", response.Body);
    }

    [Fact]
    public async Task OpenApi_ListsEveryMappedV1Path_WithResourceSchemas()
    {
        string[] expected =
        [
            "/v1/payments",
            "/v1/payments/{id}",
            "/v1/payments/{id}/confirm",
            "/v1/payments/{id}/capture",
            "/v1/payments/{id}/cancel",
            "/v1/refunds",
            "/v1/refunds/{id}",
            "/v1/payment_methods",
            "/v1/payment_methods/{id}",
            "/v1/events",
            "/v1/events/stream",
            "/v1/request_logs/stream",
            "/v1/events/{id}",
            "/v1/merchants",
            "/v1/merchants/{id}/api_keys",
            "/v1/merchants/{id}/api_keys/{keyId}",
            "/v1/merchants/{id}/api_keys/{keyId}/roll",
            "/v1/merchants/{id}/api_keys/{keyId}/revoke",
            "/v1/webhook_endpoints",
            "/v1/webhook_endpoints/{id}",
            "/v1/webhook_endpoints/{id}/rotate_secret",
            "/v1/webhook_endpoints/{id}/deliveries",
            "/v1/events/{id}/deliveries",
            "/v1/events/{id}/redeliver",
            "/v1/checkout/sessions",
            "/v1/checkout/sessions/{id}",
            "/v1/merchants/{merchant_id}/provider_accounts",
            "/v1/merchants/{merchant_id}/provider_accounts/{id}",
            "/v1/merchants/{merchant_id}/routing_rules",
            "/v1/merchants/{merchant_id}/routing_rules/{id}",
            "/v1/provider_webhooks/{provider_account_id}",
            "/v1/bank_statements",
            "/v1/bank_statements/{id}",
            "/v1/bank_statement_entries",
            "/v1/bank_statement_entries/{id}",
            "/v1/bank_statement_entries/{id}/match",
            "/v1/mandates",
            "/v1/mandates/{id}",
            "/v1/direct_debit_batches",
            "/v1/direct_debit_batches/{id}",
            "/v1/direct_debit_batches/{id}/file",
            "/v1/audit_entries",
            "/v1/admin_keys",
            "/v1/admin_keys/events",
            "/v1/admin_keys/{id}",
            "/v1/admin_keys/{id}/roll",
            "/v1/admin_keys/{id}/revoke",
            "/v1/reports/payments",
            "/v1/reports/payments/chart",
            "/v1/reports/decline_reasons",
            "/v1/reports/settings",
            "/v1/admin/reports/payments",
            "/v1/admin/reports/decline_reasons",
            "/v1/exports",
            "/v1/exports/{id}",
            "/v1/exports/{id}/cancel",
            "/v1/exports/{id}/download",
            "/v1/settlements",
            "/v1/settlements/fetch",
            "/v1/settlements/payouts",
            "/v1/settlements/unsettled",
            "/v1/settlements/{id}",
            "/v1/customers",
            "/v1/customers/{id}",
            "/v1/customers/{id}/payment_methods",
            "/v1/customers/{id}/payment_methods/{paymentMethodId}",
            "/v1/disputes",
            "/v1/disputes/{id}",
            "/v1/disputes/{id}/evidence",
            "/v1/disputes/{id}/evidence/files",
            "/v1/disputes/{id}/evidence/files/{fileId}",
            "/v1/disputes/{id}/submit",
            "/v1/disputes/{id}/accept",
        ];

        var response = await Server.Client(null).GetAsync("/openapi/v1.json");

        Assert.Equal(200, response.Status);
        var paths = response.Json.GetProperty("paths").EnumerateObject().Select(p => p.Name.Length > 1 ? p.Name.TrimEnd('/') : p.Name).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), paths.Where(p => p.StartsWith("/v1/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(paths, p => p.StartsWith("/simulator", StringComparison.Ordinal));

        var payments = response.Json.GetProperty("paths").EnumerateObject().First(p => p.Name.TrimEnd('/') == "/v1/payments").Value;
        Assert.True(payments.TryGetProperty("get", out _));
        Assert.True(payments.TryGetProperty("post", out _));

        var schemas = response.Json.GetProperty("components").GetProperty("schemas");
        foreach (var name in new[] { "PaymentResource", "ProblemResource", "RefundResource", "PaymentMethodResource", "EventResource" })
        {
            Assert.True(schemas.TryGetProperty(name, out _), $"components.schemas has no {name}");
        }

        Assert.True(schemas.GetProperty("PaymentResource").GetProperty("properties").TryGetProperty("amount_capturable", out _));
        Assert.Equal("PaymentGateway API", response.Json.GetProperty("info").GetProperty("title").GetString());
        var schemes = response.Json.GetProperty("components").GetProperty("securitySchemes");
        Assert.All(new[] { "secretKey", "publishableKey", "adminKey" }, scheme => Assert.Equal("bearer", schemes.GetProperty(scheme).GetProperty("scheme").GetString()));
    }

    [Fact]
    public async Task OpenApi_PathsHaveNoTrailingSlash()
    {
        var response = await Server.Client(null).GetAsync("/openapi/v1.json");

        var paths = response.Json.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.All(paths, p => Assert.False(p.Length > 1 && p.EndsWith('/'), $"{p} ends with '/'"));
    }

    [Fact]
    public async Task Docs_FollowingRedirects_ServesHtml()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };

        using var response = await http.GetAsync("/docs");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StateDiagram_IsMermaidFromTheTransitionTable()
    {
        var response = await Server.Client(null).GetAsync("/docs/state-diagram.mmd");

        Assert.Equal(200, response.Status);
        Assert.StartsWith("stateDiagram-v2", response.Body);
        Assert.Contains("requires_capture --> succeeded", response.Body, StringComparison.Ordinal);
        Assert.Contains("processing --> requires_action", response.Body, StringComparison.Ordinal);
        Assert.Contains("canceled --> [*]", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("succeeded --> canceled", response.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/v1/nope")]
    [InlineData("GET", "/nope")]
    [InlineData("POST", "/v2/payments")]
    [InlineData("GET", "/v1/payments/pay_x/refunds")]
    public async Task UnknownRoute_Returns404RouteNotFound(string method, string path)
    {
        var response = await Server.Client(null).SendAsync(new HttpMethod(method), path, method == "POST" ? "{}" : null, null);

        Problem.Assert(response, 404, "route_not_found");
    }

    [Theory]
    [InlineData("DELETE", "/v1/payments")]
    [InlineData("PUT", "/v1/payments/pay_00000000000000000000000000000")]
    [InlineData("GET", "/v1/payments/pay_00000000000000000000000000000/capture")]
    public async Task WrongMethod_IsA4xxProblemNot500(string method, string path)
    {
        var merchant = await Server.CreateMerchantAsync();

        var response = await Server.Client(merchant.SecretKey).SendAsync(new HttpMethod(method), path, method == "PUT" ? "{}" : null, null);

        Assert.True(response.Status is 404 or 405, $"{response.Status}: {response.Body}");
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Contains(response.Code, new[] { "route_not_found", "method_not_allowed" });
    }

    [Fact]
    public async Task EveryResponse_CarriesRequestIdAndServerTiming()
    {
        var merchant = await Server.CreateMerchantAsync();
        var sk = Server.Client(merchant.SecretKey);
        var payment = await Steps.PayAsync(Server, merchant, TestCards.Visa);
        var responses = new List<(string What, int Status, string? RequestId, string? Timing)>();
        void Add(string what, ApiResponse r) => responses.Add((what, r.Status, r.Header("Request-Id"), r.Header("Server-Timing")));

        Add("create 200", payment);
        Add("get 200", await sk.GetAsync($"/v1/payments/{payment.Str("id")}"));
        Add("list 200", await sk.GetAsync("/v1/payments"));
        Add("decline 402", await Steps.PayAsync(Server, merchant, TestCards.GenericDecline));
        Add("401", await Server.Client(null).GetAsync("/v1/payments"));
        Add("403", await Server.Client(merchant.PublishableKey).GetAsync("/v1/payments"));
        Add("400", await sk.PostRawAsync("/v1/payments", "{"));
        Add("404", await sk.GetAsync("/v1/payments/pay_00000000000000000000000000000"));
        Add("404 route", await sk.GetAsync("/v1/nothing"));
        Add("409", await sk.PostAsync($"/v1/payments/{payment.Str("id")}/capture", new { }));
        Add("413", await sk.PostRawAsync("/v1/payments", new string(' ', 70 * 1024)));
        Add("health", await Server.Client(null).GetAsync("/health/live"));
        Add("openapi", await Server.Client(null).GetAsync("/openapi/v1.json"));

        Assert.All(responses, r =>
        {
            Assert.False(string.IsNullOrEmpty(r.RequestId), $"{r.What} has no Request-Id");
            Assert.Matches("^req_[0-9a-z]+$", r.RequestId);
            Assert.NotNull(r.Timing);
            Assert.Matches(GatewayTiming(), r.Timing);
        });
        Assert.Equal(responses.Count, responses.Select(r => r.RequestId).Distinct().Count());
    }

    [Fact]
    public async Task ChallengePage_CarriesRequestId()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };

        using var response = await http.GetAsync("/simulator/challenge/pay_00000000000000000000000000000?ref=x");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True(response.Headers.Contains("Request-Id"));
        Assert.True(response.Headers.Contains("Server-Timing"));
    }

    [Fact]
    public async Task Responses_DoNotAdvertiseServer()
    {
        var response = await Server.Client(null).GetAsync("/health/live");

        Assert.Null(response.Header("Server"));
    }

    [Fact]
    public async Task Json_IsSnakeCaseWithUtcMillisecondTimestamps()
    {
        var merchant = await Server.CreateMerchantAsync();
        var payment = (await Steps.PayAsync(Server, merchant, TestCards.Visa)).EnsureStatus(200);

        Assert.All(Steps.PropertyNames(payment.Json), name => Assert.Matches("^[a-z0-9_]+$", name));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", payment.Str("created"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", payment.Str("updated"));
        Assert.Equal(JsonValueKind.Number, payment.Json.GetProperty("amount").ValueKind);
    }

    [GeneratedRegex(@"(^|,\s*)gateway;dur=\d+(\.\d+)?")]
    private static partial Regex GatewayTiming();
}
