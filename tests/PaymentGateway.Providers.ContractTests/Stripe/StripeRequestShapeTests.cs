using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Scenarios;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace PaymentGateway.Providers.ContractTests.Stripe;

public sealed class StripeRequestShapeTests : IDisposable
{
    private readonly StripeScenarioFixture _fixture = new();

    private IAuthorizeFlow Authorizer => (IAuthorizeFlow)_fixture.Provider;

    [Fact]
    public async Task Authorize_SendsFormEncodedPaymentIntent_WithBearerAuthAndIdempotencyKey()
    {
        _fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, Money.Of(1_050, "EUR"), capture: false);
        var result = await Authorizer.AuthorizeAsync(Authorize("idem_shape_1", Money.Of(1_050, "EUR")), CancellationToken.None);

        Assert.Equal(ProviderOutcome.Authorized, result.Outcome);
        Assert.Equal(StripeScenarioFixture.PaymentIntentId, result.ProviderReference);
        var sent = Assert.Single(_fixture.Mock.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/payment_intents", sent.Path);
        Assert.Equal($"Bearer {StripeScenarioFixture.ApiKey}", ProviderWireMock.Header(sent, "Authorization"));
        Assert.Equal("idem_shape_1", ProviderWireMock.Header(sent, "Idempotency-Key"));
        Assert.StartsWith("application/x-www-form-urlencoded", ProviderWireMock.Header(sent, "Content-Type"), StringComparison.Ordinal);
        var form = ProviderWireMock.Form(sent);
        Assert.Equal("1050", form["amount"]);
        Assert.Equal("eur", form["currency"]);
        Assert.Equal("manual", form["capture_method"]);
        Assert.Equal("true", form["confirm"]);
        Assert.Equal("card", form["payment_method_data[type]"]);
        Assert.Equal("4242424242424242", form["payment_method_data[card][number]"]);
        Assert.Equal("3", form["payment_method_data[card][exp_month]"]);
        Assert.Equal("2030", form["payment_method_data[card][exp_year]"]);
        Assert.Equal("737", form["payment_method_data[card][cvc]"]);
        Assert.Equal("https://merchant.example/return", form["return_url"]);
        Assert.Equal("pay_shape", form["metadata[gateway_payment_id]"]);
        Assert.Equal("idem_shape_1", form["metadata[gateway_idempotency_key]"]);
    }

    [Fact]
    public async Task CaptureVoidRefund_HitDocumentedPaths_WithAmountsAndKeys()
    {
        _fixture.Mock.Server.Reset();
        _fixture.ArrangeCapture("pi_9", Money.Of(700, "EUR"));
        _fixture.ArrangeVoid("pi_9");
        _fixture.ArrangeRefund("pi_9", Money.Of(300, "EUR"));
        var provider = _fixture.Provider;
        await ((ICaptureFlow)provider).CaptureAsync(new CaptureRequest { Account = _fixture.Account, PaymentId = "pay_1", ProviderReference = "pi_9", IdempotencyKey = "k_cap", Amount = Money.Of(700, "EUR") }, CancellationToken.None);
        var voided = await ((IVoidFlow)provider).VoidAsync(new VoidRequest { Account = _fixture.Account, PaymentId = "pay_1", ProviderReference = "pi_9", IdempotencyKey = "k_void" }, CancellationToken.None);
        var refund = await ((IRefundFlow)provider).RefundAsync(new RefundRequest { Account = _fixture.Account, RefundId = "re_gw", PaymentId = "pay_1", ProviderReference = "pi_9", IdempotencyKey = "k_ref", Amount = Money.Of(300, "EUR") }, CancellationToken.None);

        Assert.Equal(ProviderOutcome.Succeeded, voided.Outcome);
        Assert.Equal(ProviderOutcome.Succeeded, refund.Outcome);
        // On a loaded machine an attempt can time out and be retried: a retry repeats its path with the same key.
        var requests = _fixture.Mock.Requests;
        var keys = new Dictionary<string, string>
        {
            ["/v1/payment_intents/pi_9/capture"] = "k_cap",
            ["/v1/payment_intents/pi_9/cancel"] = "k_void",
            ["/v1/refunds"] = "k_ref",
        };
        Assert.Equal(keys.Keys, requests.Select(r => r.Path).Distinct());
        Assert.All(requests, r => Assert.Equal(keys[r.Path], ProviderWireMock.Header(r, "Idempotency-Key")));
        Assert.Equal("700", ProviderWireMock.Form(requests.First(r => r.Path.EndsWith("/capture", StringComparison.Ordinal)))["amount_to_capture"]);
        var refundForm = ProviderWireMock.Form(requests.First(r => r.Path == "/v1/refunds"));
        Assert.Equal("300", refundForm["amount"]);
        Assert.Equal("pi_9", refundForm["payment_intent"]);
        Assert.Equal("re_gw", refundForm["metadata[gateway_refund_id]"]);
    }

    [Fact]
    public async Task CardError402_IsADeclinedResult_NotAnException()
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v1/payment_intents").UsingPost()).RespondWith(ProviderWireMock.Json(402,
            StripeFixtures.CardError("expired_card", null, "Your card has expired.", StripeFixtures.PaymentIntent("pi_x", "requires_payment_method", 1000, "eur", false)).ToJsonString()));
        var result = await Authorizer.AuthorizeAsync(Authorize("k", Money.Of(1_000, "EUR")), CancellationToken.None);
        Assert.Equal(ProviderOutcome.Declined, result.Outcome);
        Assert.Equal(DeclineCodes.ExpiredCard, result.DeclineCode);
        Assert.Equal("pi_x", result.ProviderReference);
        Assert.Single(_fixture.Mock.Requests);
    }

    [Theory]
    [InlineData(409, "idempotency_error")]
    [InlineData(500, "api_error")]
    public async Task PossiblyProcessedErrors_ThrowOutcomeUnknown(int status, string type)
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v1/payment_intents").UsingPost())
            .RespondWith(ProviderWireMock.Json(status, StripeFixtures.Error(type, null, "x").ToJsonString()));
        await Assert.ThrowsAsync<ProviderOutcomeUnknownException>(() => Authorizer.AuthorizeAsync(Authorize("k", Money.Of(1_000, "EUR")), CancellationToken.None));
        Assert.Equal(3, _fixture.Mock.Requests.Count);
        Assert.All(_fixture.Mock.Requests, r => Assert.Equal("k", ProviderWireMock.Header(r, "Idempotency-Key")));
    }

    [Fact]
    public async Task AuthenticationError401_IsARefusal_NeverFailedOver_AndNotRetried()
    {
        // The request reached Stripe, which refused it: the provider's definite word (nothing charged), not "not sent".
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v1/payment_intents").UsingPost())
            .RespondWith(ProviderWireMock.Json(401, StripeFixtures.Error("invalid_request_error", null, "Invalid API Key provided").ToJsonString()));
        var result = await Authorizer.AuthorizeAsync(Authorize("k", Money.Of(1_000, "EUR")), CancellationToken.None);
        Assert.Equal(ProviderOutcome.Declined, result.Outcome);
        Assert.Equal(DeclineCodes.ProcessingError, result.DeclineCode);
        Assert.Single(_fixture.Mock.Requests);
    }

    [Fact]
    public async Task TimeoutThen503_IsOutcomeUnknown_BecauseTheFirstAttemptMayHaveBeenProcessed()
    {
        var create = Request.Create().WithPath("/v1/payment_intents").UsingPost();
        _fixture.Mock.RespondInSequence(create,
            Response.Create().WithStatusCode(200).WithBody("{}").WithDelay(TimeSpan.FromSeconds(10)),
            ProviderWireMock.Json(503, StripeFixtures.Error("api_error", null, "x").ToJsonString()));
        await Assert.ThrowsAsync<ProviderOutcomeUnknownException>(() => Authorizer.AuthorizeAsync(Authorize("k", Money.Of(1_000, "EUR")), CancellationToken.None));
    }

    [Fact]
    public async Task ConnectionRefused_IsUnavailable()
    {
        // Port 1 on loopback: nothing listens there, and unlike a just-released random port no parallel test can take it.
        const string closedUrl = "http://127.0.0.1:1";
        var account = _fixture.Account! with { Settings = new Dictionary<string, string>(_fixture.Account!.Settings) { ["base_url"] = closedUrl } };
        await Assert.ThrowsAsync<ProviderUnavailableException>(() =>
            Authorizer.AuthorizeAsync(Authorize("k", Money.Of(1_000, "EUR")) with { Account = account }, CancellationToken.None));
    }

    [Fact]
    public async Task Sync_WithReference_ReadsThePaymentIntent()
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v1/payment_intents/pi_7").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, StripeFixtures.PaymentIntent("pi_7", "succeeded", 1000, "eur", true).ToJsonString()));
        var result = await ((ISyncFlow)_fixture.Provider).SyncAsync(new SyncRequest { Account = _fixture.Account, PaymentId = "pay_1", IdempotencyKey = "k", ProviderReference = "pi_7" }, CancellationToken.None);
        Assert.Equal(ProviderOutcome.Succeeded, result.Outcome);
        var sent = Assert.Single(_fixture.Mock.Requests);
        Assert.Equal("GET", sent.Method);
        Assert.Null(ProviderWireMock.Header(sent, "Idempotency-Key"));
    }

    [Fact]
    public async Task Sync_WithoutReference_SearchesByIdempotencyKey_AndNotFoundIsPending()
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v1/payment_intents/search").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, "{\"object\":\"search_result\",\"data\":[],\"has_more\":false}"));
        var result = await ((ISyncFlow)_fixture.Provider).SyncAsync(new SyncRequest { Account = _fixture.Account, PaymentId = "pay_1", IdempotencyKey = "idem_lost" }, CancellationToken.None);
        Assert.Equal(ProviderOutcome.Pending, result.Outcome);
        var sent = Assert.Single(_fixture.Mock.Requests);
        Assert.Contains("metadata['gateway_idempotency_key']:'idem_lost'", Uri.UnescapeDataString(sent.RawQuery ?? string.Empty), StringComparison.Ordinal);
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
