using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace PaymentGateway.Sdk.ContractTests;

public sealed class ErrorMappingTests : IDisposable
{
    private readonly FakeGateway _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task CardDeclined_MapsEveryProblemFieldAndThePayment()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments").UsingPost()).RespondWith(FakeGateway.Problem(
            402, "card_declined", declineCode: "insufficient_funds", param: "payment_method", requestId: "req_declined",
            paymentJson: FakeGateway.PaymentJson(status: "failed")));
        using var client = _gateway.CreateClient();

        var error = await Assert.ThrowsAsync<PaymentGatewayException>(() =>
            client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 1999, Currency = "EUR", PaymentMethod = "pm_1", Confirm = true }));

        Assert.Equal(402, error.Status);
        Assert.Equal(ErrorCode.CardDeclined, error.Code);
        Assert.Equal("insufficient_funds", error.DeclineCode);
        Assert.Equal("payment_method", error.Param);
        Assert.Equal("req_declined", error.RequestId);
        Assert.Equal("https://docs.paymentgateway.dev/errors/card_declined", error.Type);
        Assert.Equal("Error", error.Title);
        Assert.Equal("Detail for card_declined.", error.Detail);
        Assert.Equal(FakeGateway.Header(Assert.Single(_gateway.Requests), "Idempotency-Key"), error.IdempotencyKey);
        Assert.Equal(PaymentStatus.Failed, error.Payment?.Status);
        Assert.Contains("card_declined", error.Message);
        Assert.Contains("req_declined", error.Message);
    }

    [Fact]
    public async Task RequestIdInBody_IsUsedWhenTheHeaderIsMissing()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments/pay_x").UsingGet()).RespondWith(Response.Create()
            .WithStatusCode(404)
            .WithHeader("Content-Type", "application/problem+json")
            .WithBody("""{"type":"about:blank","title":"Not found","status":404,"detail":"No such payment.","code":"resource_missing","param":"id","request_id":"req_body"}"""));
        using var client = _gateway.CreateClient();

        var error = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.GetAsync("pay_x"));

        Assert.Equal(404, error.Status);
        Assert.Equal(ErrorCode.ResourceMissing, error.Code);
        Assert.Equal("id", error.Param);
        Assert.Equal("req_body", error.RequestId);
        Assert.Null(error.IdempotencyKey);
        Assert.Null(error.DeclineCode);
    }

    [Fact]
    public async Task NonJson502_MapsToExceptionWithStatusAndBody()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments/pay_1").UsingGet()).RespondWith(Response.Create()
            .WithStatusCode(502)
            .WithHeader("Content-Type", "text/html")
            .WithHeader("Request-Id", "req_proxy")
            .WithBody("<html><body>502 Bad Gateway</body></html>"));
        using var client = _gateway.CreateClient(o => o.MaxRetries = 1);

        var error = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Payments.GetAsync("pay_1"));

        Assert.Equal(2, _gateway.Requests.Count);
        Assert.Equal(502, error.Status);
        Assert.Null(error.Code);
        Assert.Equal("req_proxy", error.RequestId);
        Assert.Contains("502 Bad Gateway", error.ResponseBody);
        Assert.Contains("502", error.Message);
    }

    [Fact]
    public async Task UnknownErrorCode_IsPreserved()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/refunds").UsingPost()).RespondWith(FakeGateway.Problem(400, "refund_window_closed"));
        using var client = _gateway.CreateClient();

        var error = await Assert.ThrowsAsync<PaymentGatewayException>(() => client.Refunds.CreateAsync(new CreateRefundRequest { Payment = "pay_1" }));

        Assert.Equal("refund_window_closed", error.Code?.Value);
    }

    [Fact]
    public async Task ConnectionRefused_ThrowsWithStatusZeroAfterRetries()
    {
        var deadAddress = _gateway.BaseAddress;
        _gateway.Dispose();
        using var client = new PaymentGatewayClient(new PaymentGatewayClientOptions
        {
            BaseAddress = deadAddress,
            ApiKey = FakeGateway.SecretKey,
            MaxRetries = 1,
            RetryDelay = TimeSpan.FromMilliseconds(1),
        });

        var error = await Assert.ThrowsAsync<PaymentGatewayException>(() =>
            client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 1, Currency = "EUR" }));

        Assert.Equal(0, error.Status);
        Assert.NotNull(error.IdempotencyKey);
        Assert.IsType<HttpRequestException>(error.InnerException, exactMatch: false);
    }

    [Fact]
    public async Task CallerCancellation_ThrowsOperationCanceled()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments/pay_1").UsingGet())
            .RespondWith(FakeGateway.Json(200, FakeGateway.PaymentJson()).WithDelay(TimeSpan.FromSeconds(5)));
        using var client = _gateway.CreateClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Payments.GetAsync("pay_1", cancellationToken: cts.Token));
    }
}
