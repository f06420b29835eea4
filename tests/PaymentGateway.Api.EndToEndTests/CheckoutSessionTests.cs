using System.Text.RegularExpressions;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>Hosted checkout sessions: validation, auth, states and expiry, paying a session, and the page's security headers.</summary>
[Collection(GatewayCollection.Name)]
public sealed partial class CheckoutSessionTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    internal static object SessionBody(string? origin = null, object? expiresAt = null) => new
    {
        currency = "EUR",
        line_items = new object[]
        {
            new { name = "Coffee beans 1 kg", quantity = 2, unit_amount = 1250 },
            new { name = "Grinder", quantity = 1, unit_amount = 4999 },
        },
        success_url = "https://shop.example/thanks?order=7",
        cancel_url = "https://shop.example/cart",
        allowed_frame_ancestors = origin is null ? null : new[] { origin },
        expires_at = expiresAt,
        metadata = new Dictionary<string, string> { ["order"] = "7" },
    };

    [Fact]
    public async Task Create_ReturnsOpenSessionWithAbsoluteUrlAndClientSecret_RetrieveNeverShowsTheSecret()
    {
        var merchant = await Server.CreateMerchantAsync();
        var sk = Server.Client(merchant.SecretKey);

        var created = (await sk.PostAsync("/v1/checkout/sessions", SessionBody())).EnsureStatus(200);

        var id = created.Str("id")!;
        Assert.StartsWith("cs_", id, StringComparison.Ordinal);
        Assert.Equal("checkout.session", created.Str("object"));
        Assert.Equal("open", created.Str("status"));
        Assert.Equal((2 * 1250) + 4999, created.Long("amount"));
        Assert.Equal($"{Server.BaseAddress.ToString().TrimEnd('/')}/checkout/{id}", created.Str("url"));
        Assert.StartsWith(id + "_secret_", created.Str("client_secret"), StringComparison.Ordinal);
        var expires = created.Json.GetProperty("expires_at").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));

        var fetched = (await sk.GetAsync($"/v1/checkout/sessions/{id}")).EnsureStatus(200);
        Assert.Equal("open", fetched.Str("status"));
        Assert.Null(fetched.Str("client_secret"));
        Assert.Equal(created.Str("url"), fetched.Str("url"));
        Assert.DoesNotContain(created.Str("client_secret")!, fetched.Body, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadSessions => new()
    {
        { """{"currency":"EUR","amount":500,"cancel_url":"https://s.example/c","description":"x"}""", "parameter_missing", "success_url" },
        { """{"currency":"EUR","amount":500,"success_url":"https://s.example/ok","cancel_url":"https://s.example/c"}""", "parameter_missing", "description" },
        { """{"currency":"EUR","amount":500,"success_url":"javascript:alert(1)","cancel_url":"https://s.example/c","description":"x"}""", "parameter_invalid", "success_url" },
        { """{"currency":"EUR","amount":0,"success_url":"https://s.example/ok","cancel_url":"https://s.example/c","description":"x"}""", "amount_invalid", "amount" },
        { """{"currency":"XXY","amount":500,"success_url":"https://s.example/ok","cancel_url":"https://s.example/c","description":"x"}""", "currency_unsupported", "currency" },
        { """{"currency":"EUR","amount":501,"line_items":[{"name":"a","quantity":1,"unit_amount":500}],"success_url":"https://s.example/ok","cancel_url":"https://s.example/c"}""", "amount_invalid", "amount" },
        { """{"currency":"EUR","line_items":[{"name":"a","quantity":0,"unit_amount":500}],"success_url":"https://s.example/ok","cancel_url":"https://s.example/c"}""", "parameter_invalid", "line_items[0].quantity" },
        { """{"currency":"EUR","line_items":[{"name":"a","quantity":10000,"unit_amount":9223372036854775}],"success_url":"https://s.example/ok","cancel_url":"https://s.example/c"}""", "amount_too_large", "line_items" },
        { """{"currency":"EUR","amount":500,"description":"x","success_url":"https://s.example/ok","cancel_url":"https://s.example/c","allowed_frame_ancestors":["https://shop.example/path"]}""", "url_invalid", "allowed_frame_ancestors" },
        { """{"currency":"EUR","amount":500,"description":"x","success_url":"https://s.example/ok","cancel_url":"https://s.example/c","allowed_frame_ancestors":["*"]}""", "url_invalid", "allowed_frame_ancestors" },
        { """{"currency":"EUR","amount":500,"description":"x","success_url":"https://s.example/ok","cancel_url":"https://s.example/c","allowed_frame_ancestors":["https://a.example 'unsafe-inline'"]}""", "url_invalid", "allowed_frame_ancestors" },
        { """{"currency":"EUR","amount":500,"description":"x","success_url":"https://s.example/ok","cancel_url":"https://s.example/c","expires_at":"2020-01-01T00:00:00Z"}""", "parameter_invalid", "expires_at" },
        { """{"currency":"EUR","amount":500,"description":"x","success_url":"https://s.example/ok","cancel_url":"https://s.example/c","expires_at":"2099-01-01T00:00:00Z"}""", "parameter_invalid", "expires_at" },
        { """{"currency":"EUR","amount":500,"description":"x","success_url":"https://s.example/ok","cancel_url":"https://s.example/c","capture_method":"later"}""", "parameter_invalid", "capture_method" },
        { """{"currency":"EUR","amount":500,"description":"x","success_url":"https://s.example/ok","cancel_url":"https://s.example/c","mode":"payment"}""", "parameter_unknown", "mode" },
    };

    [Theory]
    [MemberData(nameof(BadSessions))]
    public async Task Create_RejectsBadInputWithAStableCode_AndStoresNothing(string body, string code, string param)
    {
        var merchant = await Server.CreateMerchantAsync();

        var response = await Server.Client(merchant.SecretKey).PostRawAsync("/v1/checkout/sessions", body);

        response.EnsureStatus(400);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(code, response.Code);
        Assert.Equal(param, response.Str("param"));
    }

    [Fact]
    public async Task Auth_CreateNeedsTheSecretKey_AndSessionsAreScopedToTheirMerchant()
    {
        var merchant = await Server.CreateMerchantAsync();
        var other = await Server.CreateMerchantAsync("Other shop");

        var withPk = await Server.Client(merchant.PublishableKey).PostAsync("/v1/checkout/sessions", SessionBody());
        Assert.Equal(403, withPk.Status);
        Assert.Equal("secret_key_required", withPk.Code);
        Assert.Equal(401, (await Server.Client(null).PostAsync("/v1/checkout/sessions", SessionBody())).Status);

        var created = (await Server.Client(merchant.SecretKey).PostAsync("/v1/checkout/sessions", SessionBody())).EnsureStatus(200);
        var id = created.Str("id")!;
        Assert.Equal(404, (await Server.Client(other.SecretKey).GetAsync($"/v1/checkout/sessions/{id}")).Status);
        Assert.Equal(403, (await Server.Client(merchant.PublishableKey).GetAsync($"/v1/checkout/sessions/{id}")).Status);
    }

    [Fact]
    public async Task Create_HonoursIdempotencyKey()
    {
        var merchant = await Server.CreateMerchantAsync();
        var sk = Server.Client(merchant.SecretKey);
        var key = Guid.NewGuid().ToString();

        var first = (await sk.PostAsync("/v1/checkout/sessions", SessionBody(), key)).EnsureStatus(200);
        var replay = (await sk.PostAsync("/v1/checkout/sessions", SessionBody(), key)).EnsureStatus(200);

        Assert.Equal(first.Str("id"), replay.Str("id"));
        Assert.Equal(first.Str("client_secret"), replay.Str("client_secret"));
        var reused = await sk.PostAsync("/v1/checkout/sessions", SessionBody("https://other.example"), key);
        Assert.Equal(422, reused.Status);
    }

    [Fact]
    public async Task Pay_WithClientSecret_CompletesTheSession_AndASecondPaymentIsRefused()
    {
        var merchant = await Server.CreateMerchantAsync();
        var session = (await Server.Client(merchant.SecretKey).PostAsync("/v1/checkout/sessions", SessionBody("https://shop.example"))).EnsureStatus(200);
        var id = session.Str("id")!;
        var secret = session.Str("client_secret")!;
        var anon = Server.Client(null);

        var wrong = await anon.PostAsync($"/checkout/{id}/pay", new { client_secret = id + "_secret_nope", payment_method = await Flows.TokenizeAsync(Server, merchant) });
        Assert.Equal(401, wrong.Status);
        Assert.Equal("checkout_client_secret_invalid", wrong.Code);

        var pm = await Flows.TokenizeAsync(Server, merchant);
        var paid = (await anon.PostAsync($"/checkout/{id}/pay", new { client_secret = secret, payment_method = pm, embed_origin = "https://shop.example" })).EnsureStatus(200);
        Assert.Equal("succeeded", paid.Str("status"));
        Assert.Equal(session.Long("amount"), paid.Long("amount_received"));
        Assert.Equal(id, paid.Json.GetProperty("metadata").GetProperty("checkout_session").GetString());

        var fetched = (await Server.Client(merchant.SecretKey).GetAsync($"/v1/checkout/sessions/{id}")).EnsureStatus(200);
        Assert.Equal("complete", fetched.Str("status"));
        Assert.Equal(paid.Str("id"), fetched.Str("payment"));
        Assert.NotNull(fetched.Str("completed_at"));

        var again = await anon.PostAsync($"/checkout/{id}/pay", new { client_secret = secret, payment_method = await Flows.TokenizeAsync(Server, merchant) });
        Assert.Equal(409, again.Status);
        Assert.Equal("checkout_session_not_open", again.Code);
    }

    [Fact]
    public async Task Pay_RefusesAnEmbeddingOriginTheSessionDoesNotAllow_AndAnotherMerchantsPaymentMethod()
    {
        var merchant = await Server.CreateMerchantAsync();
        var other = await Server.CreateMerchantAsync("Other shop");
        var session = (await Server.Client(merchant.SecretKey).PostAsync("/v1/checkout/sessions", SessionBody("https://shop.example"))).EnsureStatus(200);
        var id = session.Str("id")!;
        var secret = session.Str("client_secret")!;

        var evil = await Server.Client(null).PostAsync($"/checkout/{id}/pay",
            new { client_secret = secret, payment_method = await Flows.TokenizeAsync(Server, merchant), embed_origin = "https://evil.example" });
        Assert.Equal(403, evil.Status);

        var foreign = await Server.Client(null).PostAsync($"/checkout/{id}/pay", new { client_secret = secret, payment_method = await Flows.TokenizeAsync(Server, other) });
        Assert.Equal(404, foreign.Status);
        Assert.Equal("open", (await Server.Client(merchant.SecretKey).GetAsync($"/v1/checkout/sessions/{id}")).Str("status"));
    }

    [Fact]
    public async Task HostedPage_DeclineKeepsTheSessionOpen_RetrySucceeds_ExactlyOnePaymentSucceeds()
    {
        var merchant = await Server.CreateMerchantAsync();
        var session = (await Server.Client(merchant.SecretKey).PostAsync("/v1/checkout/sessions", SessionBody())).EnsureStatus(200);
        var id = session.Str("id")!;
        var (http, token) = await OpenPageAsync(id);

        var declined = await PayFromPageAsync(http, id, token, TestCards.GenericDecline);
        Assert.Equal(402, declined.Status);
        Assert.Equal("card_declined", declined.Code);
        Assert.Equal("open", (await Server.Client(merchant.SecretKey).GetAsync($"/v1/checkout/sessions/{id}")).Str("status"));

        var noToken = await Server.Client(null).PostAsync($"/checkout/{id}/pay", CardBody(TestCards.Visa));
        Assert.Equal(401, noToken.Status);

        var paid = (await PayFromPageAsync(http, id, token, TestCards.Visa)).EnsureStatus(200);
        Assert.Equal("succeeded", paid.Str("status"));

        var again = await PayFromPageAsync(http, id, token, TestCards.Visa);
        Assert.Equal(409, again.Status);
        var list = (await Server.Client(merchant.SecretKey).GetAsync("/v1/payments?limit=100")).EnsureStatus(200);
        var statuses = list.Json.GetProperty("data").EnumerateArray()
            .Where(p => p.GetProperty("metadata").TryGetProperty("checkout_session", out var cs) && cs.GetString() == id)
            .Select(p => p.GetProperty("status").GetString()).OrderBy(s => s).ToList();
        Assert.Equal(["failed", "succeeded"], statuses);
    }

    [Fact]
    public async Task HostedPage_ThreeDSecure_PaymentWaitsForTheChallenge_AndAnotherPaymentIsRefusedMeanwhile()
    {
        var merchant = await Server.CreateMerchantAsync();
        var session = (await Server.Client(merchant.SecretKey).PostAsync("/v1/checkout/sessions", SessionBody("http://127.0.0.1:9"))).EnsureStatus(200);
        var id = session.Str("id")!;
        var (http, token) = await OpenPageAsync(id);

        var challenged = (await PayFromPageAsync(http, id, token, TestCards.ThreeDSecure)).EnsureStatus(200);
        Assert.Equal("requires_action", challenged.Str("status"));
        var redirect = challenged.Json.GetProperty("next_action").GetProperty("redirect_to_url");
        Assert.Equal($"{Server.BaseAddress.ToString().TrimEnd('/')}/checkout/{id}", redirect.GetProperty("return_url").GetString());

        var meanwhile = await PayFromPageAsync(http, id, token, TestCards.Visa);
        Assert.Equal(409, meanwhile.Status);
        Assert.Equal("checkout_session_payment_in_progress", meanwhile.Code);

        // The challenge page of a checkout payment may be framed by the session's allowed origins only.
        using var challenge = await http.GetAsync(redirect.GetProperty("url").GetString());
        Assert.Contains("frame-ancestors http://127.0.0.1:9", string.Join(";", challenge.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expiry_IsEnforced_GetReportsExpired_PayAndPageRefuse()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string?> { ["PaymentGateway:Checkout:MinExpiry"] = "00:00:01" });
        var merchant = await server.CreateMerchantAsync();
        var session = (await server.Client(merchant.SecretKey).PostAsync("/v1/checkout/sessions",
            SessionBody(expiresAt: DateTimeOffset.UtcNow.AddSeconds(2).ToString("O")))).EnsureStatus(200);
        var id = session.Str("id")!;
        var pm = await Flows.TokenizeAsync(server, merchant);

        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.Equal("expired", (await server.Client(merchant.SecretKey).GetAsync($"/v1/checkout/sessions/{id}")).EnsureStatus(200).Str("status"));
        var pay = await server.Client(null).PostAsync($"/checkout/{id}/pay", new { client_secret = session.Str("client_secret"), payment_method = pm });
        Assert.Equal(409, pay.Status);
        Assert.Equal("checkout_session_expired", pay.Code);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var page = await http.GetAsync($"/checkout/{id}");
        Assert.Equal(410, (int)page.StatusCode);
        Assert.Contains("expired", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("card-number", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_SecurityHeaders_NoInlineScript_NoFramingWithoutAllowedOrigins()
    {
        var merchant = await Server.CreateMerchantAsync();
        var id = (await Server.Client(merchant.SecretKey).PostAsync("/v1/checkout/sessions", SessionBody())).EnsureStatus(200).Str("id")!;
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };

        using var page = await http.GetAsync($"/checkout/{id}");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)page.StatusCode);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.All(ScriptTag().Matches(html), m => Assert.Matches("src=\"/checkout/assets/[a-z]+\\.js\"", m.Value));
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace(Server.BaseAddress.ToString(), string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("<label for=\"card-number\">", html, StringComparison.Ordinal);
        Assert.Contains("aria-live=\"assertive\"", html, StringComparison.Ordinal);
        Assert.Contains("74.99 EUR", html, StringComparison.Ordinal); // 2 × 12.50 + 49.99, with EUR's exponent 2

        // API responses and other pages are protected against framing too.
        var api = await Server.Client(merchant.SecretKey).GetAsync($"/v1/checkout/sessions/{id}");
        Assert.Equal("DENY", api.Header("X-Frame-Options"));
        Assert.Equal("nosniff", api.Header("X-Content-Type-Options"));
        using var missing = await http.GetAsync("/checkout/cs_doesnotexist");
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Contains("frame-ancestors 'none'", string.Join(";", missing.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_AllowsFramingOnlyByTheSessionsOrigins_AndFieldsOnlyByTheirDeclaredOrigin()
    {
        var merchant = await Server.CreateMerchantAsync();
        var id = (await Server.Client(merchant.SecretKey).PostAsync("/v1/checkout/sessions", SessionBody("http://127.0.0.1:8123"))).EnsureStatus(200).Str("id")!;
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };

        using var page = await http.GetAsync($"/checkout/{id}");
        Assert.Contains("frame-ancestors http://127.0.0.1:8123", string.Join(";", page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.False(page.Headers.Contains("X-Frame-Options"));

        using var fields = await http.GetAsync("/checkout/fields?origin=" + Uri.EscapeDataString("https://shop.example"));
        Assert.Equal(200, (int)fields.StatusCode);
        Assert.EndsWith("frame-ancestors https://shop.example", string.Join(";", fields.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);

        using var bad = await http.GetAsync("/checkout/fields?origin=" + Uri.EscapeDataString("https://a.example; script-src *"));
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.Contains("frame-ancestors 'none'", string.Join(";", bad.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PayEndpoint_RefusesCrossSiteRequests()
    {
        var merchant = await Server.CreateMerchantAsync();
        var id = (await Server.Client(merchant.SecretKey).PostAsync("/v1/checkout/sessions", SessionBody())).EnsureStatus(200).Str("id")!;
        var (http, token) = await OpenPageAsync(id);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/checkout/{id}/pay")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(CardBody(TestCards.Visa), TestJson.Options), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Checkout-Token", token);
        request.Headers.Add("Sec-Fetch-Site", "cross-site");

        using var response = await http.SendAsync(request);

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Equal("open", (await Server.Client(merchant.SecretKey).GetAsync($"/v1/checkout/sessions/{id}")).Str("status"));
    }

    [Fact]
    public async Task BrowserSdk_IsServedWithItsTypeDeclarations()
    {
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };

        using var js = await http.GetAsync("/js/v1/gateway.js");
        using var dts = await http.GetAsync("/js/v1/gateway.d.ts");

        Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        var source = await js.Content.ReadAsStringAsync();
        Assert.Contains("global.Gateway = { init: init", source, StringComparison.Ordinal);
        Assert.DoesNotContain("postMessage(message, '*')", source, StringComparison.Ordinal);
        Assert.Contains("pay(options: GatewayPayOptions): Promise<GatewayPayment>;", await dts.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(source.Length < 16_000, $"gateway.js is {source.Length} bytes");
    }

    private static object CardBody(string number) =>
        new { card = new { number, exp_month = 12, exp_year = DateTime.UtcNow.Year + 2, cvc = "123" } };

    private async Task<(HttpClient Http, string Token)> OpenPageAsync(string id)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.BaseAddress };
        var html = await http.GetStringAsync($"/checkout/{id}");
        return (http, PageToken().Match(html).Groups[1].Value);
    }

    private static async Task<ApiResponse> PayFromPageAsync(HttpClient http, string id, string token, string number)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/checkout/{id}/pay")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(CardBody(number), TestJson.Options), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Checkout-Token", token);
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var response = await http.SendAsync(request);
        return new ApiResponse(response.StatusCode, response.Headers, response.Content.Headers, await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("data-token=\"([^\"]+)\"")]
    private static partial Regex PageToken();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}
