using System.Text.Json;
using WireMock.RequestBuilders;

namespace PaymentGateway.Sdk.ContractTests;

public sealed class RequestShapeTests : IDisposable
{
    private readonly FakeGateway _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public async Task CreatePayment_SendsSnakeCaseBodyBearerKeyAndIdempotencyKey()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments").UsingPost())
            .RespondWith(FakeGateway.Json(200, FakeGateway.PaymentJson(), requestId: "req_create"));
        using var client = _gateway.CreateClient();

        var payment = await client.Payments.CreateAsync(new CreatePaymentRequest
        {
            Amount = 1999,
            Currency = "EUR",
            CaptureMethod = CaptureMethod.Manual,
            PaymentMethod = "pm_1",
            Confirm = true,
            ReturnUrl = "https://shop.example/return",
            Metadata = new Dictionary<string, string> { ["order"] = "42" },
        });

        var sent = Assert.Single(_gateway.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/payments", sent.Path);
        Assert.Equal($"Bearer {FakeGateway.SecretKey}", FakeGateway.Header(sent, "Authorization"));
        Assert.False(string.IsNullOrEmpty(FakeGateway.Header(sent, "Idempotency-Key")));
        Assert.StartsWith("application/json", FakeGateway.Header(sent, "Content-Type"));

        using var body = JsonDocument.Parse(sent.Body ?? "");
        var root = body.RootElement;
        Assert.Equal(1999, root.GetProperty("amount").GetInt64());
        Assert.Equal("EUR", root.GetProperty("currency").GetString());
        Assert.Equal("manual", root.GetProperty("capture_method").GetString());
        Assert.Equal("pm_1", root.GetProperty("payment_method").GetString());
        Assert.True(root.GetProperty("confirm").GetBoolean());
        Assert.Equal("https://shop.example/return", root.GetProperty("return_url").GetString());
        Assert.Equal("42", root.GetProperty("metadata").GetProperty("order").GetString());
        Assert.False(root.TryGetProperty("customer", out _), "unset optional fields are omitted, not sent as null");
        Assert.False(root.TryGetProperty("CaptureMethod", out _));

        Assert.Equal("pay_1", payment.Id);
        Assert.Equal(PaymentStatus.RequiresCapture, payment.Status);
        Assert.Equal(CaptureMethod.Manual, payment.CaptureMethod);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), payment.Created);
        Assert.Equal("req_create", payment.RequestId);
        Assert.False(payment.IdempotentReplayed);
    }

    [Fact]
    public async Task EveryPost_CarriesItsOwnIdempotencyKey()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments*").UsingPost()).RespondWith(FakeGateway.Json(200, FakeGateway.PaymentJson()));
        _gateway.Server.Given(Request.Create().WithPath("/v1/refunds").UsingPost()).RespondWith(FakeGateway.Json(200, FakeGateway.RefundJson()));
        _gateway.Server.Given(Request.Create().WithPath("/v1/payment_methods").UsingPost()).RespondWith(FakeGateway.Json(200, FakeGateway.PaymentMethodJson()));
        using var client = _gateway.CreateClient();

        await client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 100, Currency = "EUR" });
        await client.Payments.ConfirmAsync("pay_1", new ConfirmPaymentRequest { PaymentMethod = "pm_1" });
        await client.Payments.CaptureAsync("pay_1", new CapturePaymentRequest { AmountToCapture = 50 });
        await client.Payments.CancelAsync("pay_1", new CancelPaymentRequest { CancellationReason = "requested_by_customer" });
        await client.Refunds.CreateAsync(new CreateRefundRequest { Payment = "pay_1", Amount = 500 });
        await client.PaymentMethods.CreateAsync(new CreatePaymentMethodRequest
        {
            Card = new CardDetailsRequest { Number = "4242424242424242", ExpMonth = 12, ExpYear = 2030, Cvc = "123" },
        });

        var requests = _gateway.Requests;
        Assert.Equal(
            ["/v1/payments", "/v1/payments/pay_1/confirm", "/v1/payments/pay_1/capture", "/v1/payments/pay_1/cancel", "/v1/refunds", "/v1/payment_methods"],
            requests.Select(r => r.Path));
        var keys = requests.Select(r => FakeGateway.Header(r, "Idempotency-Key")).ToList();
        Assert.All(keys, k => Assert.False(string.IsNullOrEmpty(k)));
        Assert.Equal(keys.Count, keys.Distinct().Count());

        Assert.Equal("""{"amount_to_capture":50}""", requests[2].Body);
        Assert.Equal("""{"cancellation_reason":"requested_by_customer"}""", requests[3].Body);
        Assert.Equal("""{"payment":"pay_1","amount":500}""", requests[4].Body);
        Assert.Equal(
            """{"type":"card","card":{"number":"4242424242424242","exp_month":12,"exp_year":2030,"cvc":"123"}}""",
            requests[5].Body);
    }

    [Fact]
    public async Task Post_WithCallerSuppliedKey_SendsItVerbatim()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/refunds").UsingPost()).RespondWith(FakeGateway.Json(200, FakeGateway.RefundJson()));
        using var client = _gateway.CreateClient();

        await client.Refunds.CreateAsync(new CreateRefundRequest { Payment = "pay_1" }, new RequestOptions { IdempotencyKey = "order-42/refund-1" });

        Assert.Equal("order-42/refund-1", FakeGateway.Header(Assert.Single(_gateway.Requests), "Idempotency-Key"));
    }

    [Fact]
    public async Task Post_WithTooLongCallerKey_IsRejectedBeforeSending()
    {
        using var client = _gateway.CreateClient();

        await Assert.ThrowsAsync<ArgumentException>(() => client.Payments.CreateAsync(
            new CreatePaymentRequest { Amount = 1, Currency = "EUR" }, new RequestOptions { IdempotencyKey = new string('k', 256) }));

        Assert.Empty(_gateway.Requests);
    }

    [Fact]
    public async Task PerCallApiKey_OverridesTheClientKey()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payment_methods").UsingPost()).RespondWith(FakeGateway.Json(200, FakeGateway.PaymentMethodJson()));
        using var client = _gateway.CreateClient();

        var method = await client.PaymentMethods.CreateAsync(
            new CreatePaymentMethodRequest { Card = new CardDetailsRequest { Number = "4242424242424242", ExpMonth = 12, ExpYear = 2030 } },
            new RequestOptions { ApiKey = "pk_test_publishable" });

        Assert.Equal("Bearer pk_test_publishable", FakeGateway.Header(Assert.Single(_gateway.Requests), "Authorization"));
        Assert.Equal("4242", method.Card?.Last4);
    }

    [Fact]
    public async Task Get_SendsNoIdempotencyKeyAndEscapesTheId()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments/pay_1").UsingGet()).RespondWith(FakeGateway.Json(200, FakeGateway.PaymentJson()));
        using var client = _gateway.CreateClient();

        var payment = await client.Payments.GetAsync("pay_1");

        var sent = Assert.Single(_gateway.Requests);
        Assert.Equal("GET", sent.Method);
        Assert.Null(FakeGateway.Header(sent, "Idempotency-Key"));
        Assert.Equal("pay_1", payment.Id);
    }

    [Fact]
    public async Task ListPayments_SendsFiltersAndCursorsAsQuery()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments").UsingGet()).RespondWith(FakeGateway.Json(200, FakeGateway.PageJson(false)));
        using var client = _gateway.CreateClient();

        await client.Payments.ListAsync(new ListPaymentsRequest
        {
            Limit = 3,
            StartingAfter = "pay_9",
            Status = PaymentStatus.Succeeded,
            CreatedGte = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
            CreatedLt = new DateTimeOffset(2025, 2, 1, 1, 0, 0, TimeSpan.FromHours(1)),
        });

        // Brackets are percent-encoded on the wire (created%5Bgte%5D); servers decode query keys.
        var query = FakeGateway.DecodedQuery(Assert.Single(_gateway.Requests));
        Assert.Equal("3", query["limit"]);
        Assert.Equal("pay_9", query["starting_after"]);
        Assert.Equal("succeeded", query["status"]);
        Assert.Equal("2025-01-01T00:00:00Z", query["created[gte]"]);
        Assert.Equal("2025-02-01T00:00:00Z", query["created[lt]"]);
        Assert.False(query.ContainsKey("ending_before"));
    }

    [Fact]
    public async Task ReplayedResponse_IsReportedOnTheObject()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments").UsingPost())
            .RespondWith(FakeGateway.Json(200, FakeGateway.PaymentJson()).WithHeader("Idempotent-Replayed", "true"));
        using var client = _gateway.CreateClient();

        var payment = await client.Payments.CreateAsync(new CreatePaymentRequest { Amount = 1, Currency = "EUR" });

        Assert.True(payment.IdempotentReplayed);
        Assert.Equal(payment with { IdempotentReplayed = false, RequestId = null }, payment);
    }

    [Fact]
    public async Task UnknownStatus_IsPreservedNotRejected()
    {
        _gateway.Server.Given(Request.Create().WithPath("/v1/payments/pay_1").UsingGet())
            .RespondWith(FakeGateway.Json(200, FakeGateway.PaymentJson(status: "requires_review")));
        using var client = _gateway.CreateClient();

        var payment = await client.Payments.GetAsync("pay_1");

        Assert.Equal("requires_review", payment.Status.Value);
        Assert.Equal(new PaymentStatus("requires_review"), payment.Status);
        Assert.NotEqual(PaymentStatus.Succeeded, payment.Status);
    }

    [Fact]
    public void CardDetails_ToString_MasksNumberAndCvc()
    {
        var card = new CardDetailsRequest { Number = "4242424242424242", ExpMonth = 12, ExpYear = 2030, Cvc = "123" };
        var options = new RequestOptions { ApiKey = "sk_live_secret", IdempotencyKey = "k" };

        Assert.DoesNotContain("424242424242", card.ToString());
        Assert.DoesNotContain("123", card.ToString().Replace("2030", ""));
        Assert.DoesNotContain("sk_live_secret", options.ToString());
    }
}
