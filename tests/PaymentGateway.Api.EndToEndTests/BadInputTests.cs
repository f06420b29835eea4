using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

[Collection(GatewayCollection.Name)]
public sealed partial class BadInputTests(GatewayFixture fixture) : IAsyncLifetime
{
    private TestMerchant _merchant = null!;

    private GatewayServer Server => fixture.Server;

    public async Task InitializeAsync() => _merchant = await Server.CreateMerchantAsync("Bad input merchant");

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("{\"amount\": 100, \"currency\": \"EUR\"", "invalid_json", null)]
    [InlineData("{\"amount\": 100,, \"currency\": \"EUR\"}", "invalid_json", null)]
    [InlineData("{amount: 100}", "invalid_json", null)]
    [InlineData("{\"amount\": 100, \"currency\": \"EUR\",}", "invalid_json", null)]
    [InlineData("not json at all", "invalid_json", null)]
    [InlineData("", "invalid_json", null)]
    [InlineData("   ", "invalid_json", null)]
    [InlineData("null", "invalid_json", null)]
    [InlineData("[]", "invalid_json", null)]
    [InlineData("[{\"amount\":100,\"currency\":\"EUR\"}]", "invalid_json", null)]
    [InlineData("\"amount\"", "invalid_json", null)]
    [InlineData("42", "invalid_json", null)]
    [InlineData("{\"amount\":\"abc\",\"currency\":\"EUR\"}", "parameter_invalid", "amount")]
    [InlineData("{\"amount\":10.5,\"currency\":\"EUR\"}", "parameter_invalid", "amount")]
    [InlineData("{\"amount\":\"100\",\"currency\":\"EUR\"}", "parameter_invalid", "amount")]
    [InlineData("{\"amount\":true,\"currency\":\"EUR\"}", "parameter_invalid", "amount")]
    [InlineData("{\"amount\":1e3,\"currency\":\"EUR\"}", "parameter_invalid", "amount")]
    [InlineData("{\"amount\":99999999999999999999,\"currency\":\"EUR\"}", "parameter_invalid", "amount")]
    [InlineData("{\"amount\":100,\"currency\":5}", "parameter_invalid", "currency")]
    [InlineData("{\"amount\":100,\"currency\":\"EUR\",\"confirm\":\"yes\"}", "parameter_invalid", "confirm")]
    [InlineData("{\"amount\":100,\"currency\":\"EUR\",\"metadata\":[]}", "parameter_invalid", "metadata")]
    [InlineData("{\"currency\":\"EUR\"}", "parameter_missing", "amount")]
    [InlineData("{\"amount\":null,\"currency\":\"EUR\"}", "parameter_missing", "amount")]
    [InlineData("{\"amount\":100}", "parameter_missing", "currency")]
    [InlineData("{}", "parameter_missing", "amount")]
    [InlineData("{\"amount\":100,\"currency\":\"XYZ\"}", "currency_unsupported", "currency")]
    [InlineData("{\"amount\":100,\"currency\":\"eu\"}", "currency_unsupported", "currency")]
    [InlineData("{\"amount\":100,\"currency\":\"EURO\"}", "currency_unsupported", "currency")]
    [InlineData("{\"amount\":100,\"currency\":\"\"}", "currency_unsupported", "currency")]
    [InlineData("{\"amount\":0,\"currency\":\"EUR\"}", "amount_invalid", "amount")]
    [InlineData("{\"amount\":-1,\"currency\":\"EUR\"}", "amount_invalid", "amount")]
    [InlineData("{\"amount\":-9223372036854775808,\"currency\":\"EUR\"}", "amount_invalid", "amount")]
    [InlineData("{\"amount\":100000000,\"currency\":\"EUR\"}", "amount_too_large", "amount")]
    [InlineData("{\"amount\":9223372036854775807,\"currency\":\"EUR\"}", "amount_too_large", "amount")]
    [InlineData("{\"amount\":100,\"currency\":\"EUR\",\"amout\":5}", "parameter_unknown", "amout")]
    [InlineData("{\"amount\":100,\"currency\":\"EUR\",\"card_number\":\"4242424242424242\"}", "parameter_unknown", "card_number")]
    [InlineData("{\"amount\":100,\"currency\":\"EUR\",\"capture_method\":\"later\"}", "parameter_invalid", "capture_method")]
    [InlineData("{\"amount\":100,\"currency\":\"EUR\",\"capture_method\":\"MANUAL\"}", "parameter_invalid", "capture_method")]
    [InlineData("{\"amount\":100,\"currency\":\"EUR\",\"capture_method\":5}", "parameter_invalid", "capture_method")]
    public async Task CreatePayment_BadBody_Returns400WithStableCode(string body, string code, string? param)
    {
        var response = await Server.Client(_merchant.SecretKey).PostRawAsync("/v1/payments", body);

        Problem.Assert(response, 400, code, param);
        if (param is null)
        {
            Assert.False(response.Json.TryGetProperty("param", out var p) && p.ValueKind != System.Text.Json.JsonValueKind.Null, $"unexpected param in {response.Body}");
        }
    }

    [Fact]
    public async Task CreatePayment_MaxAmount_IsAccepted()
    {
        var response = (await Server.Client(_merchant.SecretKey).PostRawAsync("/v1/payments", """{"amount":99999999,"currency":"EUR"}""")).EnsureStatus(200);

        Assert.Equal(99999999, response.Long("amount"));
    }

    [Theory]
    [InlineData("eur", "EUR")]
    [InlineData("Usd", "USD")]
    [InlineData("jpy", "JPY")]
    public async Task CreatePayment_LowercaseCurrency_AcceptedAndReturnedUppercase(string currency, string expected)
    {
        var response = (await Server.Client(_merchant.SecretKey).PostAsync("/v1/payments", new { amount = 100, currency })).EnsureStatus(200);

        Assert.Equal(expected, response.Str("currency"));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    public async Task CreatePayment_WrongContentType_Returns400UnsupportedMediaType(string contentType)
    {
        var response = await Server.Client(_merchant.SecretKey).PostRawAsync("/v1/payments", """{"amount":100,"currency":"EUR"}""", contentType: contentType);

        Problem.Assert(response, 400, "unsupported_media_type");
    }

    [Fact]
    public async Task CreatePayment_JsonWithCharset_IsAccepted()
    {
        var response = await Server.Client(_merchant.SecretKey).PostRawAsync("/v1/payments", """{"amount":100,"currency":"EUR"}""", contentType: "application/json; charset=utf-8");

        response.EnsureStatus(200);
    }

    [Fact]
    public async Task CreatePayment_BodyOver64KiB_Returns413()
    {
        var body = $$"""{"amount":100,"currency":"EUR","description":"{{new string('x', 70 * 1024)}}"}""";

        var response = await Server.Client(_merchant.SecretKey).PostRawAsync("/v1/payments", body);

        Problem.Assert(response, 413, "request_too_large");
    }

    [Fact]
    public async Task CreatePayment_ChunkedBodyOver64KiB_Returns413()
    {
        var body = $$"""{"amount":100,"currency":"EUR","description":"{{new string('x', 70 * 1024)}}"}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payments")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body))),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _merchant.SecretKey);
        using var http = new HttpClient { BaseAddress = Server.BaseAddress };

        using var response = await http.SendAsync(request);

        Assert.Equal(413, (int)response.StatusCode);
        Assert.Contains("request_too_large", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreatePayment_BodyJustUnder64KiB_IsNotRejectedForSize()
    {
        var overhead = """{"amount":100,"currency":"EUR","metadata":{"k":""}}""".Length;
        var body = $$$"""{"amount":100,"currency":"EUR","metadata":{"k":"{{{new string('x', (64 * 1024) - overhead)}}}"}}""";
        Assert.Equal(64 * 1024, body.Length);

        var response = await Server.Client(_merchant.SecretKey).PostRawAsync("/v1/payments", body);

        // Within the size limit: the metadata rule (500 chars) answers, not the body limit.
        Problem.Assert(response, 400, "parameter_invalid", "metadata[k]");
    }

    [Theory]
    [InlineData("/v1/refunds", "{\"payment\":\"pay_x\",\"amount\":\"x\"}", "parameter_invalid", "amount")]
    [InlineData("/v1/refunds", "{\"payment\":5}", "parameter_invalid", "payment")]
    [InlineData("/v1/refunds", "[1]", "invalid_json", null)]
    [InlineData("/v1/refunds", "{\"payment\":\"pay_x\",\"extra\":1}", "parameter_unknown", "extra")]
    [InlineData("/v1/payments/pay_00000000000000000000000000000/capture", "{\"amount_to_capture\":1.5}", "parameter_invalid", "amount_to_capture")]
    [InlineData("/v1/payments/pay_00000000000000000000000000000/capture", "{\"amount\":100}", "parameter_unknown", "amount")]
    [InlineData("/v1/payments/pay_00000000000000000000000000000/cancel", "{\"reason\":\"duplicate\"}", "parameter_unknown", "reason")]
    [InlineData("/v1/payments/pay_00000000000000000000000000000/confirm", "{\"payment_method\":[]}", "parameter_invalid", "payment_method")]
    [InlineData("/v1/payments/pay_00000000000000000000000000000/confirm", "{bad", "invalid_json", null)]
    public async Task OtherEndpoints_BadBody_Returns400BeforeLookingAnythingUp(string path, string body, string code, string? param)
    {
        var response = await Server.Client(_merchant.SecretKey).PostRawAsync(path, body);

        Problem.Assert(response, 400, code, param);
    }

    [Fact]
    public async Task BadInputs_NeverReturn500()
    {
        var api = Server.Client(_merchant.SecretKey);
        string[] bodies =
        [
            "{\"amount\":100,\"currency\":\"EUR\",\"metadata\":{\"a\":null}}",
            "{\"amount\":100,\"currency\":\"EUR\",\"metadata\":null}",
            "{\"amount\":100,\"currency\":\"EUR\",\"payment_method\":\"\"}",
            "{\"amount\":100,\"currency\":\"EUR\",\"payment_method\":\"" + new string('p', 5000) + "\"}",
            "{\"amount\":100,\"currency\":\"\\u0000\\u0001\"}",
            "{\"amount\":100,\"currency\":\"EUR\",\"description\":\"\\ud800\"}",
            "{\"amount\":100,\"currency\":\"EUR\",\"return_url\":\"http://[::1\"}",
            "{\"amount\":100,\"currency\":\"EUR\",\"provider\":\"\"}",
            "{\"amount\":100,\"currency\":\"EUR\",\"amount\":200}",
            "{\"a\":" + string.Concat(Enumerable.Repeat("[", 2000)) + string.Concat(Enumerable.Repeat("]", 2000)) + "}",
            "\uFEFF{\"amount\":100,\"currency\":\"EUR\"}",
        ];

        foreach (var body in bodies)
        {
            var response = await api.PostRawAsync("/v1/payments", body);
            Assert.True(response.Status is >= 200 and < 500, $"{response.Status} for {body[..Math.Min(body.Length, 80)]}: {response.Body}");
            if (response.Status >= 400)
            {
                Assert.Equal("application/problem+json", response.ContentType);
                Assert.NotNull(response.Code);
            }
        }

        foreach (var path in new[] { "/v1/payments/%00", "/v1/payments/" + new string('a', 3000), "/v1/refunds/%F0%9F%92%B3", "/v1/events/..%2F..%2Fetc" })
        {
            var response = await api.GetAsync(path);
            Assert.True(response.Status is >= 400 and < 500, $"{response.Status} for {path}: {response.Body}");
        }
    }

    [Fact]
    public async Task ProblemResponses_HaveRequestIdHeaderMatchingBody_AndUniquePerRequest()
    {
        var api = Server.Client(_merchant.SecretKey);

        var first = Problem.Assert(await api.PostRawAsync("/v1/payments", "{}"), 400, "parameter_missing", "amount");
        var second = Problem.Assert(await api.PostRawAsync("/v1/payments", "{}"), 400, "parameter_missing", "amount");

        Assert.StartsWith("req_", first.Str("request_id"));
        Assert.NotEqual(first.Str("request_id"), second.Str("request_id"));
        Assert.Equal("urn:paymentgateway:error:parameter_missing", first.Str("type"));
        Assert.Equal("Invalid request", first.Str("title"));
    }

    // ---- classes of 500 the fuzzer (tests/PaymentGateway.Api.FuzzTests) found, each now a 400 with the value named ----

    [Theory]
    [InlineData("\"not-a-date\"")]
    [InlineData("\"2026-13-45T25:61:61Z\"")]
    [InlineData("\"2026-01-01T00:00:00+99:99\"")]
    [InlineData("\"0001-01-01T00:00:00+14:00\"")]
    [InlineData("\"\"")]
    [InlineData("1767225600")]
    public async Task CreateCheckoutSession_UnparseableTimestamp_Returns400NamingIt(string expiresAt)
    {
        var body = $$"""{"amount":1000,"currency":"EUR","description":"x","success_url":"https://shop.example/s","cancel_url":"https://shop.example/c","expires_at":{{expiresAt}}}""";

        var response = await Server.Client(_merchant.SecretKey).PostRawAsync("/v1/checkout/sessions", body);

        Problem.Assert(response, 400, "parameter_invalid", "expires_at");
    }

    [Theory]
    [InlineData("{\"livemode\":false,\"priority\":1,\"targets\":[null]}", "targets[0]")]
    [InlineData("{\"livemode\":false,\"priority\":1,\"targets\":[{\"provider_account\":\"pa_x\"},null]}", "targets[1]")]
    [InlineData("{\"livemode\":false,\"priority\":1,\"conditions\":{\"currencies\":[\"EUR\",null]},\"targets\":[]}", "conditions.currencies[1]")]
    public async Task CreateRoutingRule_NullInsideAnArray_Returns400NamingIt_AndWritesNothing(string body, string param)
    {
        var merchant = await Server.CreateMerchantAsync("Null targets merchant");
        var admin = Server.Client(Server.AdminKey);
        var path = $"/v1/merchants/{merchant.Id}/routing_rules";

        Problem.Assert(await admin.PostRawAsync(path, body), 400, "parameter_invalid", param);

        Assert.Equal(0, (await admin.GetAsync(path)).EnsureStatus(200).Json.GetProperty("data").GetArrayLength());
    }

    [Theory]
    [InlineData("/v1/webhook_endpoints", "{\"url\":\"https://shop.example/hooks\",\"enabled_events\":[null]}", "enabled_events[0]")]
    [InlineData("/v1/checkout/sessions", "{\"currency\":\"EUR\",\"line_items\":[null],\"success_url\":\"https://shop.example/s\",\"cancel_url\":\"https://shop.example/c\"}", "line_items[0]")]
    [InlineData("/v1/checkout/sessions", "{\"amount\":100,\"currency\":\"EUR\",\"description\":\"x\",\"allowed_frame_ancestors\":[null],\"success_url\":\"https://shop.example/s\",\"cancel_url\":\"https://shop.example/c\"}", "allowed_frame_ancestors[0]")]
    [InlineData("/v1/payments", "{\"amount\":100,\"currency\":\"EUR\",\"metadata\":{\"order\":null}}", "metadata[order]")]
    [InlineData("/v1/refunds", "{\"payment\":\"pay_x\",\"metadata\":{\"k\":null}}", "metadata[k]")]
    public async Task MerchantEndpoints_NullElementOrMapValue_Returns400NamingIt(string path, string body, string param)
    {
        var response = await Server.Client(_merchant.SecretKey).PostRawAsync(path, body);

        Problem.Assert(response, 400, "parameter_invalid", param);
    }

    [Theory]
    [InlineData("{\"provider\":\"stripe\",\"livemode\":false,\"credentials\":{\"api_key\":null}}", "credentials[api_key]")]
    [InlineData("{\"provider\":\"stripe\",\"livemode\":false,\"credentials\":{\"api_key\":\"sk_test_x\",\"webhook_secret\":null}}", "credentials[webhook_secret]")]
    [InlineData("{\"provider\":\"stripe\",\"livemode\":false,\"credentials\":{\"api_key\":\"sk_test_x\"},\"settings\":{\"base_url\":null}}", "settings[base_url]")]
    public async Task CreateProviderAccount_NullCredentialOrSetting_Returns400NamingIt_AndWritesNothing(string body, string param)
    {
        var merchant = await Server.CreateMerchantAsync("Null settings merchant");
        var admin = Server.Client(Server.AdminKey);
        var path = $"/v1/merchants/{merchant.Id}/provider_accounts";

        Problem.Assert(await admin.PostRawAsync(path, body), 400, "parameter_invalid", param);

        Assert.Equal(0, (await admin.GetAsync(path)).EnsureStatus(200).Json.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task UpdateProviderAccount_NullSetting_Returns400_AndChangesNothing()
    {
        var merchant = await Server.CreateMerchantAsync("Null update merchant");
        var admin = Server.Client(Server.AdminKey);
        var account = (await admin.PostAsync($"/v1/merchants/{merchant.Id}/provider_accounts", new { provider = "simulator", livemode = false, description = "before" }))
            .EnsureStatus(200).Str("id");
        var path = $"/v1/merchants/{merchant.Id}/provider_accounts/{account}";

        Problem.Assert(await admin.PostRawAsync(path, "{\"description\":\"after\",\"settings\":{\"k\":null}}"), 400, "parameter_invalid", "settings[k]");

        Assert.Equal("before", (await admin.GetAsync(path)).EnsureStatus(200).Str("description"));
    }

    [Theory]
    [InlineData("{\"amount\":100,\"currency\":\"EUR\",\"description\":\"a\\u0000b\"}", "description")]
    [InlineData("{\"amount\":100,\"currency\":\"EUR\",\"metadata\":{\"k\":\"\\u0000\"}}", "metadata[k]")]
    [InlineData("{\"amount\":100,\"currency\":\"EUR\",\"customer\":\"\\u0000\"}", "customer")]
    public async Task CreatePayment_NulCharacterInAString_Returns400NamingIt(string body, string param)
    {
        var response = await Server.Client(_merchant.SecretKey).PostRawAsync("/v1/payments", body);

        Problem.Assert(response, 400, "parameter_invalid", param);
    }

    [Theory]
    [InlineData("/v1/events?type=%00", "type")]
    [InlineData("/v1/events?object_id=pay%00", "object_id")]
    [InlineData("/v1/refunds?payment=%00", "payment")]
    public async Task Lists_NulCharacterInAQueryValue_Returns400NamingIt(string path, string param)
    {
        var response = await Server.Client(_merchant.SecretKey).GetAsync(path);

        Problem.Assert(response, 400, "parameter_invalid", param);
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=zz", "garbage")]
    [InlineData("multipart/form-data", "outcome=pass")]
    [InlineData("application/x-www-form-urlencoded", null)]
    public async Task SimulatorChallenge_MalformedForm_Returns400_AndLeavesThePaymentWaiting(string contentType, string? body)
    {
        var payment = (await Steps.PayAsync(Server, _merchant, TestCards.ThreeDSecure)).EnsureStatus(200);
        var challenge = new Uri(payment.Json.GetProperty("next_action").GetProperty("redirect_to_url").GetProperty("url").GetString() ?? string.Empty);
        body ??= string.Join('&', Enumerable.Range(0, 1200).Select(i => $"f{i}=1")); // over the 1,024-value form limit

        var response = await Server.Client(null).PostRawAsync(challenge.PathAndQuery, body, contentType: contentType);

        Problem.Assert(response, 400, "parameter_invalid");
        Assert.Equal("requires_action", (await Server.Client(_merchant.SecretKey).GetAsync($"/v1/payments/{payment.Str("id")}")).EnsureStatus(200).Str("status"));
    }

    // ---- requests Kestrel refuses before the application runs ----

    [Theory]
    [InlineData("GET /v1/payments/%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400)]
    [InlineData("GET /v1/payments HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", 400)]
    [InlineData("NOT AN HTTP REQUEST LINE\r\n\r\n", 400)]
    [InlineData("GET /v1/payments HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400)]
    public async Task KestrelRejection_CarriesARequestId(string rawRequest, int status)
    {
        var (head, _) = await RawAsync(rawRequest);

        Assert.StartsWith($"HTTP/1.1 {status} ", head, StringComparison.Ordinal);
        Assert.Single(RequestIdHeader().Matches(head));
        Assert.Contains("Connection: close", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KestrelRejection_HeadersTooLarge_Returns431WithRequestId()
    {
        var (head, _) = await RawAsync($"GET /v1/payments HTTP/1.1\r\nHost: x\r\nX-Big: {new string('a', 40 * 1024)}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 431 ", head, StringComparison.Ordinal);
        Assert.Single(RequestIdHeader().Matches(head));
    }

    [Fact]
    public async Task AfterAKestrelRejection_OtherConnectionsAnswerNormally_WithOneRequestId()
    {
        await RawAsync("GET /v1/payments/%00 HTTP/1.1\r\nHost: x\r\n\r\n");

        // Two requests on one kept-alive connection: each has exactly one Request-Id, its own.
        var (head, body) = await RawAsync($"GET /v1/payments/pay_none HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {_merchant.SecretKey}\r\n\r\n" +
            $"GET /v1/payments/pay_none HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {_merchant.SecretKey}\r\nConnection: close\r\n\r\n");
        var ids = RequestIdHeader().Matches(head + body).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(2, ids.Count);
        Assert.NotEqual(ids[0], ids[1]);
        Assert.Equal(2, Regex.Matches(head + body, "HTTP/1.1 404 ").Count);
        Assert.Contains(ids[0], body, StringComparison.Ordinal);
    }

    /// <summary>Sends raw bytes on a new connection and reads until the server closes it (or 10 s pass).</summary>
    private async Task<(string Head, string Body)> RawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(Server.BaseAddress.Host, Server.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The server reset the connection after answering, or kept it open: what arrived is the answer.
        }

        var text = Encoding.ASCII.GetString(received.ToArray());
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end < 0 ? (text, string.Empty) : (text[..end], text[(end + 4)..]);
    }

    [GeneratedRegex(@"(?m)^Request-Id: (req_[A-Za-z0-9]+)\r?$")]
    private static partial Regex RequestIdHeader();
}
