using System.Diagnostics;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace PaymentGateway.Sdk.ContractTests;

public sealed class RetryTests : IDisposable
{
    private readonly FakeGateway _gateway = new();

    public void Dispose() => _gateway.Dispose();

    private static CreatePaymentRequest NewPayment => new() { Amount = 1999, Currency = "EUR" };

    [Fact]
    public async Task Post_RetriedAfter503_ReusesIdempotencyKey()
    {
        _gateway.RespondInSequence(
            Request.Create().WithPath("/v1/payments").UsingPost(),
            FakeGateway.Problem(503, "provider_unavailable"),
            FakeGateway.Problem(503, "provider_unavailable"),
            FakeGateway.Json(200, FakeGateway.PaymentJson(), requestId: "req_third"));
        using var client = _gateway.CreateClient();

        var payment = await client.Payments.CreateAsync(NewPayment);

        var keys = _gateway.Requests.Select(r => FakeGateway.Header(r, "Idempotency-Key")).ToList();
        Assert.Equal(3, keys.Count);
        Assert.False(string.IsNullOrEmpty(keys[0]));
        Assert.All(keys, k => Assert.Equal(keys[0], k));
        Assert.All(_gateway.Requests, r => Assert.Equal(_gateway.Requests[0].Body, r.Body));
        Assert.Equal("req_third", payment.RequestId);
    }

    [Fact]
    public async Task Post_RetriedWithCallerKey_SendsThatKeyOnEveryAttempt()
    {
        _gateway.RespondInSequence(
            Request.Create().WithPath("/v1/payments/pay_1/capture").UsingPost(),
            Response.Create().WithStatusCode(502).WithBody("<html>bad gateway</html>"),
            FakeGateway.Json(200, FakeGateway.PaymentJson(status: "succeeded")));
        using var client = _gateway.CreateClient();

        await client.Payments.CaptureAsync("pay_1", requestOptions: new RequestOptions { IdempotencyKey = "capture-order-42" });

        Assert.Equal(["capture-order-42", "capture-order-42"], _gateway.Requests.Select(r => FakeGateway.Header(r, "Idempotency-Key")));
    }

    [Fact]
    public async Task Get_RetriedAfter500And429()
    {
        _gateway.RespondInSequence(
            Request.Create().WithPath("/v1/payments/pay_1").UsingGet(),
            FakeGateway.Problem(500, "internal_error"),
            FakeGateway.Problem(429, "rate_limited"),
            FakeGateway.Json(200, FakeGateway.PaymentJson()));
        using var client = _gateway.CreateClient();

        var payment = await client.Payments.GetAsync("pay_1");

        Assert.Equal(3, _gateway.Requests.Count);
        Assert.Equal("pay_1", payment.Id);
    }

    [Fact]
    public async Task Retry_HonoursRetryAfterHeader()
    {
        _gateway.RespondInSequence(
            Request.Create().WithPath("/v1/payments").UsingPost(),
            FakeGateway.Problem(429, "rate_limited").WithHeader("Retry-After", "1"),
            FakeGateway.Json(200, FakeGateway.PaymentJson()));
        using var client = _gateway.CreateClient(o => o.RetryDelay = TimeSpan.FromMilliseconds(1));

        var stopwatch = Stopwatch.StartNew();
        await client.Payments.CreateAsync(NewPayment);
        stopwatch.Stop();

        Assert.Equal(2, _gateway.Requests.Count);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited only {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Retry_CapsRetryAfterAtMaxRetryDelay()
    {
        _gateway.RespondInSequence(
            Request.Create().WithPath("/v1/payments/pay_1").UsingGet(),
            FakeGateway.Problem(503, "provider_unavailable").WithHeader("Retry-After", "3600"),
            FakeGateway.Json(200, FakeGateway.PaymentJson()));
        using var client = _gateway.CreateClient(o => o.MaxRetryDelay = TimeSpan.FromMilliseconds(50));

        var stopwatch = Stopwatch.StartNew();
        await client.Payments.GetAsync("pay_1");

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(2, _gateway.Requests.Count);
    }

    [Theory]
    [InlineData(400, "parameter_invalid")]
    [InlineData(401, "api_key_invalid")]
    [InlineData(402, "card_declined")]
    [InlineData(403, "secret_key_required")]
    [InlineData(404, "resource_missing")]
    [InlineData(422, "idempotency_key_reused")]
    public async Task Post_NotRetriedOnClientErrors(int status, string code)
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments").UsingPost()).RespondWith(FakeGateway.Problem(status, code));
        using var client = _gateway.CreateClient();

        var error = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CreateAsync(NewPayment));

        Assert.Single(_gateway.Requests);
        Assert.Equal(status, error.Status);
        Assert.Equal(new ErrorCode(code), error.Code);
    }

    [Fact]
    public async Task Conflict_PaymentStateConflict_IsNotRetried()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments/pay_1/capture").UsingPost())
            .RespondWith(FakeGateway.Problem(409, "payment_state_conflict"));
        using var client = _gateway.CreateClient();

        var error = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CaptureAsync("pay_1"));

        Assert.Single(_gateway.Requests);
        Assert.Equal(ErrorCode.PaymentStateConflict, error.Code);
        Assert.Equal(409, error.Status);
    }

    [Theory]
    [InlineData("idempotency_key_in_use")]
    [InlineData("concurrent_update")]
    public async Task Conflict_TransientCode_IsRetriedWithSameKey(string code)
    {
        _gateway.RespondInSequence(
            Request.Create().WithPath("/v1/payments/pay_1/capture").UsingPost(),
            FakeGateway.Problem(409, code),
            FakeGateway.Json(200, FakeGateway.PaymentJson(status: "succeeded")));
        using var client = _gateway.CreateClient();

        var payment = await client.Payments.CaptureAsync("pay_1");

        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        var keys = _gateway.Requests.Select(r => FakeGateway.Header(r, "Idempotency-Key")).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0], keys[1]);
    }

    [Fact]
    public async Task MaxRetriesZero_DisablesRetries()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments").UsingPost()).RespondWith(FakeGateway.Problem(503, "provider_unavailable"));
        using var client = _gateway.CreateClient(o => o.MaxRetries = 0);

        var error = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CreateAsync(NewPayment));

        Assert.Single(_gateway.Requests);
        Assert.Equal(503, error.Status);
    }

    [Fact]
    public async Task RetriesExhausted_ThrowsTheLastErrorWithTheKey()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments").UsingPost()).RespondWith(FakeGateway.Problem(503, "provider_unavailable"));
        using var client = _gateway.CreateClient(o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.CreateAsync(NewPayment));

        Assert.Equal(3, _gateway.Requests.Count);
        Assert.Equal(ErrorCode.ProviderUnavailable, error.Code);
        Assert.Equal(FakeGateway.Header(_gateway.Requests[0], "Idempotency-Key"), error.IdempotencyKey);
    }

    [Fact]
    public async Task SlowAttempt_TimesOutAndIsRetried()
    {
        var attempts = 0;
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments/pay_1").UsingGet()).RespondWith(Response.Create()
            .WithStatusCode(200)
            .WithHeader("Content-Type", "application/json")
            .WithBody(async _ =>
            {
                if (Interlocked.Increment(ref attempts) == 1)
                {
                    await Task.Delay(TimeSpan.FromSeconds(3));
                }

                return FakeGateway.PaymentJson();
            }));
        using var client = _gateway.CreateClient(o => o.PerTryTimeout = TimeSpan.FromMilliseconds(300));

        var stopwatch = Stopwatch.StartNew();
        var payment = await client.Payments.GetAsync("pay_1");

        Assert.Equal("pay_1", payment.Id);
        Assert.Equal(2, Volatile.Read(ref attempts));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2.5), $"took {stopwatch.Elapsed}");
    }
}

public sealed class RetrySafetyTests : IDisposable
{
    private readonly FakeGateway _gateway = new();

    public void Dispose() => _gateway.Dispose();

    private HttpClient PipelineClient()
    {
        var options = new PaymentGatewayClientOptions { BaseAddress = _gateway.BaseAddress, ApiKey = "sk_test_x", RetryDelay = TimeSpan.FromMilliseconds(1) };
        var handler = new Microsoft.Extensions.Http.Resilience.ResilienceHandler(Internal.PaymentGatewayResilience.Build(options, TimeProvider.System))
        {
            InnerHandler = new SocketsHttpHandler(),
        };
        return new HttpClient(handler) { BaseAddress = _gateway.BaseAddress };
    }

    [Fact]
    public async Task Post_WithoutIdempotencyKey_IsNeverRetried()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/anything").UsingPost()).RespondWith(FakeGateway.Problem(503, "provider_unavailable"));
        using var http = PipelineClient();

        using var response = await http.PostAsync("/v1/anything", new StringContent("{}"));

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Single(_gateway.Requests);
    }

    [Fact]
    public async Task Post_WithIdempotencyKey_IsRetried()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/anything").UsingPost()).RespondWith(FakeGateway.Problem(503, "provider_unavailable"));
        using var http = PipelineClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/anything") { Content = new StringContent("{}") };
        request.Headers.Add("Idempotency-Key", "k1");

        using var response = await http.SendAsync(request);

        Assert.Equal(3, _gateway.Requests.Count);
    }
}
