using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

[Collection(GatewayCollection.Name)]
public sealed class BadInputTests(GatewayFixture fixture) : IAsyncLifetime
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
}
