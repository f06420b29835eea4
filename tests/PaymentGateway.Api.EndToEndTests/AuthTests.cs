using System.Net.Http.Headers;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

[Collection(GatewayCollection.Name)]
public sealed class AuthTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    public static TheoryData<string, string> ProtectedEndpoints => new()
    {
        { "GET", "/v1/payments" },
        { "POST", "/v1/payments" },
        { "GET", "/v1/payments/pay_00000000000000000000000000000" },
        { "POST", "/v1/payments/pay_00000000000000000000000000000/capture" },
        { "POST", "/v1/payments/pay_00000000000000000000000000000/cancel" },
        { "POST", "/v1/payments/pay_00000000000000000000000000000/confirm" },
        { "POST", "/v1/refunds" },
        { "GET", "/v1/refunds" },
        { "GET", "/v1/refunds/re_00000000000000000000000000000" },
        { "POST", "/v1/payment_methods" },
        { "GET", "/v1/payment_methods/pm_00000000000000000000000000000" },
        { "GET", "/v1/events" },
        { "GET", "/v1/events/evt_00000000000000000000000000000" },
        { "POST", "/v1/merchants" },
        { "GET", "/v1/merchants" },
    };

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task NoAuthorization_Returns401AuthenticationRequired(string method, string path)
    {
        var response = await Server.Client(null).SendAsync(new HttpMethod(method), path, method == "POST" ? "{}" : null, null);

        Problem.Assert(response, 401, "authentication_required");
    }

    [Theory]
    [MemberData(nameof(ProtectedEndpoints))]
    public async Task GarbageKey_Returns401ApiKeyInvalid(string method, string path)
    {
        var response = await Server.Client("sk_test_thisIsNotARealKeyAtAll0000000000").SendAsync(new HttpMethod(method), path, method == "POST" ? "{}" : null, null);

        Problem.Assert(response, 401, "api_key_invalid");
    }

    [Theory]
    [InlineData("Basic x")]
    [InlineData("Basic c2tfdGVzdDo=")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Token sk_test_abc")]
    [InlineData("sk_test_abcdefghijklmnopqrstuvwxyz012345")]
    public async Task MalformedAuthorizationHeader_Returns401ApiKeyInvalid(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/payments");
        request.Headers.TryAddWithoutValidation("Authorization", header);
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };

        using var raw = await http.SendAsync(request);
        var body = await raw.Content.ReadAsStringAsync();

        Assert.Equal(401, (int)raw.StatusCode);
        Assert.Equal("api_key_invalid", System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task BearerScheme_IsCaseInsensitive()
    {
        var merchant = await Server.CreateMerchantAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/payments");
        request.Headers.TryAddWithoutValidation("Authorization", "bearer " + merchant.SecretKey);
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };

        using var response = await http.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task PublishableKey_OnSecretEndpoints_Returns403SecretKeyRequired()
    {
        var merchant = await Server.CreateMerchantAsync();
        var pk = Server.Client(merchant.PublishableKey);
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);

        Problem.Assert(await pk.PostAsync("/v1/payments", new { amount = 100, currency = "EUR" }), 403, "secret_key_required");
        Problem.Assert(await pk.GetAsync("/v1/payments"), 403, "secret_key_required");
        Problem.Assert(await pk.PostAsync("/v1/refunds", new { payment = "pay_x" }), 403, "secret_key_required");
        Problem.Assert(await pk.GetAsync("/v1/events"), 403, "secret_key_required");
        Problem.Assert(await pk.GetAsync($"/v1/payment_methods/{pm}"), 403, "secret_key_required");
        Assert.Empty(Steps.Ids(await Server.Client(merchant.SecretKey).GetAsync("/v1/payments")));
    }

    [Fact]
    public async Task SecretKey_OnTokenize_Returns403PublishableKeyRequired()
    {
        var merchant = await Server.CreateMerchantAsync();

        var response = await Server.Client(merchant.SecretKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = TestCards.Visa, exp_month = 12, exp_year = DateTime.UtcNow.Year + 1, cvc = "123" },
        });

        Problem.Assert(response, 403, "publishable_key_required");
        Assert.DoesNotContain(TestCards.Visa, response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MerchantKeys_OnAdminEndpoints_Return403AdminKeyRequired()
    {
        var merchant = await Server.CreateMerchantAsync();

        Problem.Assert(await Server.Client(merchant.SecretKey).PostAsync("/v1/merchants", new { name = "x" }), 403, "admin_key_required");
        Problem.Assert(await Server.Client(merchant.PublishableKey).GetAsync("/v1/merchants"), 403, "admin_key_required");
        Problem.Assert(await Server.Client(merchant.SecretKey).PostAsync($"/v1/merchants/{merchant.Id}/api_keys", new { type = "secret" }), 403, "admin_key_required");
    }

    [Fact]
    public async Task AdminKey_CreatesMerchantsAndKeys_ButIsNotAMerchantKey()
    {
        var admin = Server.Client(Server.AdminKey);

        var created = (await admin.PostAsync("/v1/merchants", new { name = "  Admin made  " })).EnsureStatus(200);
        var key = (await admin.PostAsync($"/v1/merchants/{created.Str("id")}/api_keys", new { type = "secret" })).EnsureStatus(200);
        var list = (await admin.GetAsync("/v1/merchants")).EnsureStatus(200);

        Assert.Matches("^mer_[0-9a-z]{29}$", created.Str("id"));
        Assert.Equal("Admin made", created.Str("name"));
        Assert.StartsWith("sk_test_", key.Str("secret"));
        Assert.Contains(created.Str("id")!, Steps.Ids(list));
        (await Server.Client(key.Str("secret")).GetAsync("/v1/payments")).EnsureStatus(200);
        Problem.Assert(await admin.GetAsync("/v1/payments"), 401, "api_key_invalid");
        Problem.Assert(await admin.PostAsync("/v1/merchants/mer_00000000000000000000000000000/api_keys", new { type = "secret" }), 404, "resource_missing");
        Problem.Assert(await admin.PostAsync($"/v1/merchants/{created.Str("id")}/api_keys", new { type = "root" }), 400, "parameter_invalid", "type");
        Problem.Assert(await admin.PostAsync("/v1/merchants", new { name = " " }), 400, "parameter_missing", "name");
    }

    [Fact]
    public async Task WrongAdminKey_Returns401()
    {
        Problem.Assert(await Server.Client("admin_test_" + Guid.NewGuid().ToString("N")).GetAsync("/v1/merchants"), 401, "api_key_invalid");
    }

    [Fact]
    public async Task OtherMerchant_CannotTouchPaymentsRefundsMethodsOrEvents_404NotFound403()
    {
        var a = await Server.CreateMerchantAsync("A");
        var b = await Server.CreateMerchantAsync("B");
        var apiA = Server.Client(a.SecretKey);
        var apiB = Server.Client(b.SecretKey);
        var succeeded = await Steps.SucceededPaymentAsync(Server, a, 1000);
        var authorized = await Steps.AuthorizedPaymentAsync(Server, a, 1000);
        var pmA = await Steps.TokenizeAsync(Server, a, TestCards.Visa);
        var unconfirmed = (await Steps.CreateUnconfirmedAsync(Server, a, 1000, pmA)).Str("id");
        var refund = (await apiA.PostAsync("/v1/refunds", new { payment = succeeded, amount = 100 })).EnsureStatus(200).Str("id");
        var evt = (await apiA.GetAsync($"/v1/events?object_id={succeeded}&limit=1")).Json.GetProperty("data")[0].GetProperty("id").GetString();
        var pmB = await Steps.TokenizeAsync(Server, b, TestCards.Visa);

        Problem.Assert(await apiB.GetAsync($"/v1/payments/{succeeded}"), 404, "resource_missing");
        Problem.Assert(await apiB.PostAsync($"/v1/payments/{unconfirmed}/confirm", new { payment_method = pmB }), 404, "resource_missing");
        Problem.Assert(await apiB.PostAsync($"/v1/payments/{authorized}/capture", new { }), 404, "resource_missing");
        Problem.Assert(await apiB.PostAsync($"/v1/payments/{authorized}/cancel", new { }), 404, "resource_missing");
        Problem.Assert(await apiB.PostAsync("/v1/refunds", new { payment = succeeded }), 404, "resource_missing", "payment");
        Problem.Assert(await apiB.GetAsync($"/v1/refunds/{refund}"), 404, "resource_missing");
        Problem.Assert(await apiB.GetAsync($"/v1/payment_methods/{pmA}"), 404, "resource_missing");
        Problem.Assert(await apiB.GetAsync($"/v1/events/{evt}"), 404, "resource_missing");
        Problem.Assert(await apiB.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", payment_method = pmA, confirm = true }), 404, "resource_missing", "payment_method");
        Assert.Empty(Steps.Ids(await apiB.GetAsync($"/v1/refunds?payment={succeeded}")));
        Assert.Empty(Steps.Ids(await apiB.GetAsync($"/v1/events?object_id={succeeded}")));

        // Nothing changed for A.
        Assert.Equal("requires_capture", (await apiA.GetAsync($"/v1/payments/{authorized}")).Str("status"));
        Assert.Equal("requires_confirmation", (await apiA.GetAsync($"/v1/payments/{unconfirmed}")).Str("status"));
        Assert.Equal(100, (await apiA.GetAsync($"/v1/payments/{succeeded}")).Long("amount_refunded"));
    }

    [Fact]
    public async Task TestAndLiveModes_DoNotSeeEachOthersObjects()
    {
        var merchant = await Server.CreateMerchantAsync("Live merchant", withLiveKeys: true);
        Assert.StartsWith("sk_live_", merchant.LiveSecretKey);
        Assert.StartsWith("pk_live_", merchant.LivePublishableKey);
        var test = Server.Client(merchant.SecretKey);
        var live = Server.Client(merchant.LiveSecretKey);

        var livePm = (await Server.Client(merchant.LivePublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number = TestCards.Visa, exp_month = 12, exp_year = DateTime.UtcNow.Year + 1, cvc = "123" },
        })).EnsureStatus(200);
        Assert.True(livePm.Json.GetProperty("livemode").GetBoolean());
        var testPm = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);
        var testPayment = await Steps.SucceededPaymentAsync(Server, merchant);

        Problem.Assert(await test.GetAsync($"/v1/payment_methods/{livePm.Str("id")}"), 404, "resource_missing");
        Problem.Assert(await live.GetAsync($"/v1/payment_methods/{testPm}"), 404, "resource_missing");
        (await live.GetAsync($"/v1/payment_methods/{livePm.Str("id")}")).EnsureStatus(200);
        Problem.Assert(await live.GetAsync($"/v1/payments/{testPayment}"), 404, "resource_missing");
        Problem.Assert(await live.PostAsync("/v1/refunds", new { payment = testPayment }), 404, "resource_missing", "payment");
        Assert.Empty(Steps.Ids(await live.GetAsync("/v1/payments")));
        // Live mode has only the events of its own keys (api_key.created), nothing of test mode.
        Assert.All((await live.GetAsync("/v1/events")).EnsureStatus(200).Json.GetProperty("data").EnumerateArray(),
            e => Assert.Equal("api_key.created", e.GetProperty("type").GetString()));
        Problem.Assert(await test.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", payment_method = livePm.Str("id"), confirm = true }), 404, "resource_missing", "payment_method");
    }

    [Fact]
    public async Task LivePayment_WithoutLiveProvider_Returns422ProviderNotConfigured()
    {
        var merchant = await Server.CreateMerchantAsync("Live merchant", withLiveKeys: true);
        var live = Server.Client(merchant.LiveSecretKey);

        var response = await live.PostAsync("/v1/payments", new { amount = 100, currency = "EUR" });
        var simulator = await live.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", provider = "simulator" });

        Problem.Assert(response, 422, "provider_not_configured", "provider");
        Problem.Assert(simulator, 400, "parameter_invalid", "provider");
        Assert.Empty(Steps.Ids(await live.GetAsync("/v1/payments")));
    }

    [Theory]
    [InlineData("stripe")]
    [InlineData("adyen")]
    [InlineData("nonexistent")]
    public async Task TestMode_NonSimulatorProvider_Returns400(string provider)
    {
        var merchant = await Server.CreateMerchantAsync();

        var response = await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 100, currency = "EUR", provider });

        Problem.Assert(response, 400, "parameter_invalid", "provider");
    }

    [Fact]
    public async Task ApiKeys_AreNotEchoedInErrors()
    {
        var merchant = await Server.CreateMerchantAsync();

        var wrongType = await Server.Client(merchant.PublishableKey).GetAsync("/v1/payments");
        var garbage = await Server.Client(merchant.SecretKey + "x").GetAsync("/v1/payments");

        Assert.DoesNotContain(merchant.PublishableKey, wrongType.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(merchant.SecretKey, garbage.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicEndpoints_IgnoreAGarbageKey()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "garbage");

        using var health = await http.GetAsync("/health/live");

        Assert.Equal(200, (int)health.StatusCode);
    }
}
