using System.Text.Json;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Scenarios;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace PaymentGateway.Providers.ContractTests.CheckoutCom;

public sealed class CheckoutComRequestShapeTests : IDisposable
{
    private readonly CheckoutComScenarioFixture _fixture = new();

    private IPaymentProvider Provider => _fixture.Provider;

    [Theory]
    [InlineData(10_50, "EUR", 10_50)]
    [InlineData(1_000, "JPY", 1_000)]
    [InlineData(1_250, "KWD", 1_250)]
    public async Task Authorize_SendsCardPayment_WithBearerKeyAndCkoIdempotencyKey(long minor, string currency, long wire)
    {
        var amount = Money.Of(minor, currency);
        _fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, amount, capture: false);
        var result = await ((IAuthorizeFlow)Provider).AuthorizeAsync(Authorize("idem_cko_1", amount), CancellationToken.None);

        Assert.Equal(ProviderOutcome.Authorized, result.Outcome);
        Assert.Equal(CheckoutComScenarioFixture.PaymentReference, result.ProviderReference);
        var sent = Assert.Single(_fixture.Mock.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/payments", sent.Path);
        Assert.Equal("Bearer " + CheckoutComScenarioFixture.SecretKey, ProviderWireMock.Header(sent, "Authorization"));
        Assert.Equal("idem_cko_1", ProviderWireMock.Header(sent, "Cko-Idempotency-Key"));
        Assert.StartsWith("application/json", ProviderWireMock.Header(sent, "Content-Type"), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(sent.Body ?? "{}");
        var root = body.RootElement;
        Assert.Equal(wire, root.GetProperty("amount").GetInt64());
        Assert.Equal(currency, root.GetProperty("currency").GetString());
        Assert.False(root.GetProperty("capture").GetBoolean());
        Assert.Equal("pay_shape", root.GetProperty("reference").GetString());
        Assert.Equal("pc_scenario", root.GetProperty("processing_channel_id").GetString());
        Assert.Equal("https://merchant.example/return", root.GetProperty("success_url").GetString());
        var source = root.GetProperty("source");
        Assert.Equal("card", source.GetProperty("type").GetString());
        Assert.Equal("4242424242424242", source.GetProperty("number").GetString());
        Assert.Equal(3, source.GetProperty("expiry_month").GetInt32());
        Assert.Equal(2030, source.GetProperty("expiry_year").GetInt32());
        Assert.Equal(ScenarioCards.CvcValue, source.GetProperty("cvv").GetString());
        Assert.Equal("idem_cko_1", root.GetProperty("metadata").GetProperty("gateway_idempotency_key").GetString());
    }

    [Fact]
    public async Task Authorize_ThreeDecimalAmountCheckoutComCannotTake_IsRefusedBeforeSending()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            ((IAuthorizeFlow)Provider).AuthorizeAsync(Authorize("k", Money.Of(1_255, "KWD")), CancellationToken.None));
        Assert.Empty(_fixture.Mock.Requests);
    }

    [Fact]
    public async Task Modifications_HitDocumentedPaths_WithReferencesAndAmounts()
    {
        _fixture.ArrangeCapture("pay_9", Money.Of(700, "EUR"));
        _fixture.ArrangeVoid("pay_9");
        _fixture.ArrangeRefund("pay_9", Money.Of(300, "EUR"));
        await ((ICaptureFlow)Provider).CaptureAsync(new CaptureRequest { Account = _fixture.Account, PaymentId = "pay_1", ProviderReference = "pay_9", IdempotencyKey = "k_cap", Amount = Money.Of(700, "EUR") }, CancellationToken.None);
        await ((IVoidFlow)Provider).VoidAsync(new VoidRequest { Account = _fixture.Account, PaymentId = "pay_1", ProviderReference = "pay_9", IdempotencyKey = "k_void" }, CancellationToken.None);
        var refund = await ((IRefundFlow)Provider).RefundAsync(new RefundRequest { Account = _fixture.Account, RefundId = "re_gw", PaymentId = "pay_1", ProviderReference = "pay_9", IdempotencyKey = "k_ref", Amount = Money.Of(300, "EUR") }, CancellationToken.None);

        Assert.Equal("act_refund_scenario", refund.ProviderReference);
        var requests = _fixture.Mock.Requests;
        Assert.Equal(["/payments/pay_9/captures", "/payments/pay_9/voids", "/payments/pay_9/refunds"], requests.Select(r => r.Path));
        Assert.Equal(["k_cap", "k_void", "k_ref"], requests.Select(r => ProviderWireMock.Header(r, "Cko-Idempotency-Key")));
        Assert.All(requests, r => Assert.Equal("Bearer " + CheckoutComScenarioFixture.SecretKey, ProviderWireMock.Header(r, "Authorization")));
        using var capture = JsonDocument.Parse(requests[0].Body ?? "{}");
        Assert.Equal(700, capture.RootElement.GetProperty("amount").GetInt64());
        Assert.Equal("pay_1", capture.RootElement.GetProperty("reference").GetString());
        using var refundBody = JsonDocument.Parse(requests[2].Body ?? "{}");
        Assert.Equal("re_gw", refundBody.RootElement.GetProperty("reference").GetString());
        Assert.Equal(300, refundBody.RootElement.GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task Sync_WithReference_GetsThePayment_WithoutIdempotencyKey()
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/payments/pay_7").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, CheckoutComScenarioFixture.Payment("Captured", Money.Of(1_000, "EUR"))));
        var result = await ((ISyncFlow)Provider).SyncAsync(new SyncRequest { Account = _fixture.Account, PaymentId = "pay_1", IdempotencyKey = "k", ProviderReference = "pay_7" }, CancellationToken.None);
        Assert.Equal(ProviderOutcome.Succeeded, result.Outcome);
        var sent = Assert.Single(_fixture.Mock.Requests);
        Assert.Equal("GET", sent.Method);
        Assert.Null(ProviderWireMock.Header(sent, "Cko-Idempotency-Key"));
    }

    [Fact]
    public async Task Sync_WithoutReference_ListsByReference_AndPicksTheAttemptsPayment()
    {
        var other = CheckoutComScenarioFixture.Payment("Declined", Money.Of(1_000, "EUR"), "20051", "Insufficient Funds", reference: "pay_1");
        var mine = CheckoutComScenarioFixture.Payment("Authorized", Money.Of(1_000, "EUR"), reference: "pay_1")
            .Replace("\"reference\":\"pay_1\"", "\"reference\":\"pay_1\",\"metadata\":{\"gateway_idempotency_key\":\"idem_lost\"}", StringComparison.Ordinal);
        _fixture.Mock.Server.Given(Request.Create().WithPath("/payments").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, $"{{\"limit\":10,\"skip\":0,\"total_count\":2,\"data\":[{other},{mine}]}}"));
        var result = await ((ISyncFlow)Provider).SyncAsync(new SyncRequest { Account = _fixture.Account, PaymentId = "pay_1", IdempotencyKey = "idem_lost" }, CancellationToken.None);
        Assert.Equal(ProviderOutcome.Authorized, result.Outcome);
        Assert.Contains("reference=pay_1", Assert.Single(_fixture.Mock.Requests).RawQuery, StringComparison.Ordinal);

        var none = await ((ISyncFlow)Provider).SyncAsync(new SyncRequest { Account = _fixture.Account, PaymentId = "pay_1", IdempotencyKey = "idem_other" }, CancellationToken.None);
        Assert.Equal(ProviderOutcome.Pending, none.Outcome);
    }

    [Fact]
    public async Task CompleteAuthentication_ReadsThePaymentBySessionId()
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/payments/sid_y3oqhf46pyzuxjbcn2giaqnb44").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, CheckoutComScenarioFixture.Payment("Authorized", Money.Of(1_000, "EUR"))));
        var result = await ((IAuthenticationFlow)Provider).CompleteAuthenticationAsync(new CompleteAuthenticationRequest
        {
            Account = _fixture.Account,
            PaymentId = "pay_1",
            ProviderReference = CheckoutComScenarioFixture.PaymentReference,
            Details = new Dictionary<string, string> { ["cko-session-id"] = "sid_y3oqhf46pyzuxjbcn2giaqnb44" },
            Capture = false,
            Amount = Money.Of(1_000, "EUR"),
        }, CancellationToken.None);
        Assert.Equal(ProviderOutcome.Authorized, result.Outcome);
    }

    [Theory]
    [InlineData(422, typeof(ProviderPaymentResult))]
    [InlineData(401, typeof(ProviderPaymentResult))]
    [InlineData(500, typeof(ProviderOutcomeUnknownException))]
    [InlineData(502, typeof(ProviderOutcomeUnknownException))]
    [InlineData(503, typeof(ProviderOutcomeUnknownException))]
    public async Task ErrorAnswers_AreDeclinedOrUnknown_NeverUnavailable(int status, Type expected)
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/payments").UsingPost())
            .RespondWith(ProviderWireMock.Json(status, CheckoutComScenarioFixture.Error("request_invalid", "card_number_invalid")));
        try
        {
            var result = await ((IAuthorizeFlow)Provider).AuthorizeAsync(Authorize("k", Money.Of(1_000, "EUR")), CancellationToken.None);
            Assert.Equal(expected, result.GetType());
            Assert.Equal(ProviderOutcome.Declined, result.Outcome);
            Assert.Equal(DeclineCodes.GenericDecline, result.DeclineCode);
        }
        catch (Exception e) when (e is ProviderUnavailableException or ProviderOutcomeUnknownException)
        {
            Assert.Equal(expected, e.GetType());
        }
    }

    [Fact]
    public async Task TimeoutThen503_IsOutcomeUnknown_BecauseTheFirstAttemptMayHaveBeenProcessed()
    {
        _fixture.Mock.RespondInSequence(Request.Create().WithPath("/payments").UsingPost(),
            Response.Create().WithStatusCode(201).WithBody("{}").WithDelay(TimeSpan.FromSeconds(10)),
            Response.Create().WithStatusCode(503).WithBody("Service Unavailable"));
        await Assert.ThrowsAsync<ProviderOutcomeUnknownException>(() =>
            ((IAuthorizeFlow)Provider).AuthorizeAsync(Authorize("k", Money.Of(1_000, "EUR")), CancellationToken.None));
    }

    [Fact]
    public async Task ConnectionRefused_IsUnavailable()
    {
        // Port 1 on loopback: nothing listens there, and unlike a just-released random port no parallel test can take it.
        var account = _fixture.Account! with { Settings = new Dictionary<string, string> { ["base_url"] = "http://127.0.0.1:1" } };
        await Assert.ThrowsAsync<ProviderUnavailableException>(() =>
            ((IAuthorizeFlow)Provider).AuthorizeAsync(Authorize("k", Money.Of(1_000, "EUR")) with { Account = account }, CancellationToken.None));
    }

    [Fact]
    public async Task Webhook_RefundEvent_IsVerifiedAndMapped_AndATamperedBodyIsRejected()
    {
        var body = CheckoutComScenarioFixture.WebhookEvent("payment_refunded", "pay_9", "re_gw", Money.Of(300, "EUR"), actionId: "act_r1");
        var result = await ((IWebhookFlow)Provider).HandleWebhookAsync(_fixture.Webhook(body, CheckoutComScenarioFixture.WebhookSecret), CancellationToken.None);
        var notification = Assert.Single(result.Notifications);
        Assert.Equal(ProviderNotificationKind.Refund, notification.Kind);
        Assert.Equal("re_gw", notification.MerchantReference);
        Assert.Equal("act_r1", notification.ProviderReference);
        Assert.Equal(200, result.StatusCode);
        Assert.Null(result.ResponseBody);

        var signed = _fixture.Webhook(body, CheckoutComScenarioFixture.WebhookSecret);
        var tampered = signed with { Body = System.Text.Encoding.UTF8.GetBytes(body.Replace("\"amount\":300", "\"amount\":30000", StringComparison.Ordinal)) };
        await Assert.ThrowsAsync<ProviderWebhookRejectedException>(() => ((IWebhookFlow)Provider).HandleWebhookAsync(tampered, CancellationToken.None));
        var unsigned = signed with { Headers = new Dictionary<string, string>() };
        await Assert.ThrowsAsync<ProviderWebhookRejectedException>(() => ((IWebhookFlow)Provider).HandleWebhookAsync(unsigned, CancellationToken.None));
    }

    public void Dispose() => _fixture.Dispose();

    private AuthorizeRequest Authorize(string key, Money amount) => new()
    {
        Account = _fixture.Account,
        PaymentId = "pay_shape",
        AttemptId = "att_shape",
        IdempotencyKey = key,
        Amount = amount,
        Capture = false,
        Card = ScenarioCards.Approved,
        ReturnUrl = "https://merchant.example/return",
    };
}
