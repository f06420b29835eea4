using System.Text;
using System.Text.Json;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Scenarios;
using WireMock.RequestBuilders;

namespace PaymentGateway.Providers.ContractTests.Adyen;

public sealed class AdyenRequestShapeTests : IDisposable
{
    private readonly AdyenScenarioFixture _fixture = new();

    [Fact]
    public async Task Authorize_SendsJsonPayment_WithApiKeyAndIdempotencyKey()
    {
        _fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, Money.Of(1_000, "JPY"), capture: true);
        var result = await ((IAuthorizeFlow)_fixture.Provider).AuthorizeAsync(new AuthorizeRequest
        {
            Account = _fixture.Account,
            PaymentId = "pay_shape",
            AttemptId = "att",
            IdempotencyKey = "idem_adyen_1",
            Amount = Money.Of(1_000, "JPY"),
            Capture = true,
            Card = ScenarioCards.Approved,
            ReturnUrl = "https://merchant.example/return",
        }, CancellationToken.None);

        // Authorised under automatic capture: Adyen captures asynchronously, so not succeeded until CAPTURE.
        Assert.Equal(ProviderOutcome.Pending, result.Outcome);
        Assert.Equal("Authorised", result.RawStatus);
        var sent = Assert.Single(_fixture.Mock.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v71/payments", sent.Path);
        Assert.Equal(AdyenScenarioFixture.ApiKey, ProviderWireMock.Header(sent, "X-API-Key"));
        Assert.Equal("idem_adyen_1", ProviderWireMock.Header(sent, "Idempotency-Key"));
        Assert.StartsWith("application/json", ProviderWireMock.Header(sent, "Content-Type"), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(sent.Body ?? "{}");
        Assert.Equal(1_000, body.RootElement.GetProperty("amount").GetProperty("value").GetInt64());
        Assert.Equal(0, body.RootElement.GetProperty("captureDelayHours").GetInt32());
        Assert.Equal("4242424242424242", body.RootElement.GetProperty("paymentMethod").GetProperty("number").GetString());
        Assert.Equal(AdyenScenarioFixture.MerchantAccountName, body.RootElement.GetProperty("merchantAccount").GetString());
        Assert.Equal("https://merchant.example/return", body.RootElement.GetProperty("returnUrl").GetString());
        Assert.Equal("Web", body.RootElement.GetProperty("channel").GetString());
        Assert.Equal("https://merchant.example", body.RootElement.GetProperty("origin").GetString());
        Assert.False(body.RootElement.TryGetProperty("browserInfo", out _)); // unknown to the gateway here: omitted, not invented
    }

    [Fact]
    public async Task Modifications_HitDocumentedPaths_WithMerchantAccountAndReferences()
    {
        _fixture.ArrangeCapture("PSP9", Money.Of(700, "EUR"));
        _fixture.ArrangeVoid("PSP9");
        _fixture.ArrangeRefund("PSP9", Money.Of(300, "EUR"));
        var p = _fixture.Provider;
        await ((ICaptureFlow)p).CaptureAsync(new CaptureRequest { Account = _fixture.Account, PaymentId = "pay_1", ProviderReference = "PSP9", IdempotencyKey = "k_cap", Amount = Money.Of(700, "EUR") }, CancellationToken.None);
        await ((IVoidFlow)p).VoidAsync(new VoidRequest { Account = _fixture.Account, PaymentId = "pay_1", ProviderReference = "PSP9", IdempotencyKey = "k_void" }, CancellationToken.None);
        var refund = await ((IRefundFlow)p).RefundAsync(new RefundRequest { Account = _fixture.Account, RefundId = "re_gw", PaymentId = "pay_1", ProviderReference = "PSP9", IdempotencyKey = "k_ref", Amount = Money.Of(300, "EUR") }, CancellationToken.None);

        Assert.Equal("8825408195409507", refund.ProviderReference);
        var requests = _fixture.Mock.Requests;
        Assert.Equal(["/v71/payments/PSP9/captures", "/v71/payments/PSP9/cancels", "/v71/payments/PSP9/refunds"], requests.Select(r => r.Path));
        Assert.Equal(["k_cap", "k_void", "k_ref"], requests.Select(r => ProviderWireMock.Header(r, "Idempotency-Key")));
        using var refundBody = JsonDocument.Parse(requests[2].Body ?? "{}");
        Assert.Equal("re_gw", refundBody.RootElement.GetProperty("reference").GetString());
        Assert.Equal(300, refundBody.RootElement.GetProperty("amount").GetProperty("value").GetInt64());
        Assert.All(requests, r => Assert.Contains(AdyenScenarioFixture.MerchantAccountName, r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PaymentDetails_CompletesAuthentication()
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v71/payments/details").UsingPost())
            .RespondWith(ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("Authorised")));
        var result = await ((IAuthenticationFlow)_fixture.Provider).CompleteAuthenticationAsync(new CompleteAuthenticationRequest
        {
            Account = _fixture.Account,
            PaymentId = "pay_1",
            ProviderReference = "PSP",
            Details = new Dictionary<string, string> { ["redirectResult"] = "X6XtfGC3" },
            Capture = false,
            Amount = Money.Of(100, "EUR"),
        }, CancellationToken.None);
        Assert.Equal(ProviderOutcome.Authorized, result.Outcome);
        using var body = JsonDocument.Parse(Assert.Single(_fixture.Mock.Requests).Body ?? "{}");
        Assert.Equal("X6XtfGC3", body.RootElement.GetProperty("details").GetProperty("redirectResult").GetString());
    }

    [Fact]
    public async Task Idempotency704_IsOutcomeUnknown()
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v71/payments").UsingPost())
            .RespondWith(ProviderWireMock.Json(422, AdyenScenarioFixture.ServiceError(422, "704", "validation", "request already processed or in progress")));
        await Assert.ThrowsAsync<ProviderOutcomeUnknownException>(() => ((IAuthorizeFlow)_fixture.Provider).AuthorizeAsync(new AuthorizeRequest
        {
            Account = _fixture.Account,
            PaymentId = "pay_1",
            AttemptId = "att",
            IdempotencyKey = "k",
            Amount = Money.Of(100, "EUR"),
            Capture = false,
            Card = ScenarioCards.Approved,
            ReturnUrl = "https://merchant.example/return",
        }, CancellationToken.None));
    }

    [Fact]
    public async Task Webhook_BatchIsAcceptedWithAcceptedBody_AndOneBadItemRejectsAll()
    {
        var good = AdyenScenarioFixture.Notification("REFUND", "true", "PSPR", "PSP", "re_1", Money.Of(300, "EUR"), AdyenScenarioFixture.HmacKey);
        var result = await ((IWebhookFlow)_fixture.Provider).HandleWebhookAsync(Webhook(good), CancellationToken.None);
        Assert.Equal("[accepted]", result.ResponseBody);
        Assert.Equal(ProviderNotificationKind.Refund, Assert.Single(result.Notifications).Kind);

        var tampered = good.Replace("\"value\":300", "\"value\":30000", StringComparison.Ordinal);
        await Assert.ThrowsAsync<ProviderWebhookRejectedException>(() => ((IWebhookFlow)_fixture.Provider).HandleWebhookAsync(Webhook(tampered), CancellationToken.None));
    }

    public void Dispose() => _fixture.Dispose();

    private ProviderWebhookRequest Webhook(string body) => new()
    {
        Account = _fixture.Account!,
        Headers = new Dictionary<string, string>(),
        Body = Encoding.UTF8.GetBytes(body),
    };
}
