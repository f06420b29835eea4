using System.Text.Json;
using System.Text.Json.Nodes;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Scenarios;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace PaymentGateway.Providers.ContractTests.Mollie;

public sealed class MollieRequestShapeTests : IDisposable
{
    private readonly MollieScenarioFixture _fixture = new();

    private IPaymentProvider Provider => _fixture.Provider;

    [Theory]
    [InlineData(10_50, "EUR", "10.50")]
    [InlineData(1_000, "JPY", "1000")]
    [InlineData(1_250, "KWD", "1.250")]
    public async Task Authorize_SendsCreditcardPayment_WithBearerKeyIdempotencyKeyAndDecimalAmount(long minor, string currency, string value)
    {
        var amount = Money.Of(minor, currency);
        _fixture.ArrangeAuthorize(AuthorizeAnswer.RequiresAction, amount, capture: false);
        var result = await ((IAuthorizeFlow)Provider).AuthorizeAsync(Authorize("idem_mollie_1", amount), CancellationToken.None);

        Assert.Equal(ProviderOutcome.RequiresAction, result.Outcome);
        Assert.Equal(MollieScenarioFixture.CheckoutUrl, result.RedirectUrl);
        var sent = Assert.Single(_fixture.Mock.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v2/payments", sent.Path);
        Assert.Equal("Bearer " + MollieScenarioFixture.ApiKey, ProviderWireMock.Header(sent, "Authorization"));
        Assert.Equal("idem_mollie_1", ProviderWireMock.Header(sent, "Idempotency-Key"));
        using var body = JsonDocument.Parse(sent.Body ?? "{}");
        var root = body.RootElement;
        Assert.Equal(currency, root.GetProperty("amount").GetProperty("currency").GetString());
        Assert.Equal(JsonValueKind.String, root.GetProperty("amount").GetProperty("value").ValueKind);
        Assert.Equal(value, root.GetProperty("amount").GetProperty("value").GetString());
        Assert.Equal("creditcard", root.GetProperty("method").GetString());
        Assert.Equal("manual", root.GetProperty("captureMode").GetString());
        Assert.Equal("Scenario shape", root.GetProperty("description").GetString());
        Assert.Equal("https://merchant.example/return", root.GetProperty("redirectUrl").GetString());
        Assert.Equal(MollieScenarioFixture.WebhookUrl, root.GetProperty("webhookUrl").GetString());
        Assert.Equal("pay_shape", root.GetProperty("metadata").GetProperty("gateway_payment_id").GetString());
        // Mollie takes card details only on its own checkout: nothing of the card is sent.
        Assert.DoesNotContain("4242424242424242", sent.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(ScenarioCards.CvcValue, sent.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_WithAutomaticCapture_OmitsCaptureMode_AndFallsBackToTheAccountsReturnUrl()
    {
        var account = _fixture.Account! with
        {
            Settings = new Dictionary<string, string>(_fixture.Account!.Settings) { ["return_url"] = "https://merchant.example/fallback" },
        };
        _fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, Money.Of(10_00, "EUR"), capture: true);
        var result = await ((IAuthorizeFlow)Provider).AuthorizeAsync(
            Authorize("k", Money.Of(10_00, "EUR")) with { Account = account, Capture = true, ReturnUrl = null }, CancellationToken.None);
        Assert.Equal(ProviderOutcome.Succeeded, result.Outcome);
        using var body = JsonDocument.Parse(Assert.Single(_fixture.Mock.Requests).Body ?? "{}");
        Assert.False(body.RootElement.TryGetProperty("captureMode", out _));
        Assert.Equal("https://merchant.example/fallback", body.RootElement.GetProperty("redirectUrl").GetString());
    }

    [Fact]
    public async Task Modifications_HitDocumentedPathsAndMethods_WithIdempotencyKeys()
    {
        _fixture.ArrangeCapture("tr_9", Money.Of(700, "EUR"));
        _fixture.ArrangeVoid("tr_9");
        _fixture.ArrangeRefund("tr_9", Money.Of(300, "EUR"));
        var captured = await ((ICaptureFlow)Provider).CaptureAsync(new CaptureRequest { Account = _fixture.Account, PaymentId = "pay_1", ProviderReference = "tr_9", IdempotencyKey = "k_cap", Amount = Money.Of(700, "EUR") }, CancellationToken.None);
        var voided = await ((IVoidFlow)Provider).VoidAsync(new VoidRequest { Account = _fixture.Account, PaymentId = "pay_1", ProviderReference = "tr_9", IdempotencyKey = "k_void" }, CancellationToken.None);
        var refund = await ((IRefundFlow)Provider).RefundAsync(new RefundRequest { Account = _fixture.Account, RefundId = "re_gw", PaymentId = "pay_1", ProviderReference = "tr_9", IdempotencyKey = "k_ref", Amount = Money.Of(300, "EUR") }, CancellationToken.None);

        Assert.Equal(("tr_9", ProviderOutcome.Succeeded), (captured.ProviderReference, captured.Outcome));
        Assert.Equal(ProviderOutcome.Pending, voided.Outcome); // the release is asynchronous: the webhook reports canceled
        Assert.Equal("re_4qqhO89gsT", refund.ProviderReference);
        Assert.Equal(["POST /v2/payments/tr_9/captures", "GET /v2/payments/tr_9", "POST /v2/payments/tr_9/release-authorization", "POST /v2/payments/tr_9/refunds"],
            _fixture.Mock.Requests.Select(r => $"{r.Method} {r.Path}"));
        var requests = _fixture.Mock.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(["k_cap", "k_void", "k_ref"], requests.Select(r => ProviderWireMock.Header(r, "Idempotency-Key")));
        using var capture = JsonDocument.Parse(requests[0].Body ?? "{}");
        Assert.Equal("7.00", capture.RootElement.GetProperty("amount").GetProperty("value").GetString());
        using var refundBody = JsonDocument.Parse(requests[2].Body ?? "{}");
        Assert.Equal("3.00", refundBody.RootElement.GetProperty("amount").GetProperty("value").GetString());
        Assert.Equal("re_gw", refundBody.RootElement.GetProperty("metadata").GetProperty("gateway_refund_id").GetString());
    }

    [Fact]
    public async Task Void_OfAnOpenPayment_IsADelete_WhoseAnswerIsTheCanceledPayment()
    {
        // Not an authorized hold (a bank transfer, a checkout the customer has not completed): DELETE cancels it.
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments/tr_open").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, MollieScenarioFixture.Payment("open", Money.Of(1_000, "EUR"), id: "tr_open")));
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments/tr_open").UsingDelete())
            .RespondWith(ProviderWireMock.Json(200, MollieScenarioFixture.Payment("canceled", Money.Of(1_000, "EUR"), id: "tr_open")));
        var voided = await ((IVoidFlow)Provider).VoidAsync(new VoidRequest { Account = _fixture.Account, PaymentId = "pay_1", ProviderReference = "tr_open", IdempotencyKey = "k_del" }, CancellationToken.None);
        Assert.Equal(ProviderOutcome.Succeeded, voided.Outcome);
        Assert.Equal(["GET /v2/payments/tr_open", "DELETE /v2/payments/tr_open"], _fixture.Mock.Requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal("k_del", ProviderWireMock.Header(_fixture.Mock.Requests[^1], "Idempotency-Key"));

        // A failed read says nothing about the payment: unknown, nothing canceled.
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments/tr_gone").UsingGet())
            .RespondWith(ProviderWireMock.Json(404, MollieScenarioFixture.Error(404, "Not Found", "No payment exists with token tr_gone.")));
        await Assert.ThrowsAsync<ProviderOutcomeUnknownException>(() =>
            ((IVoidFlow)Provider).VoidAsync(new VoidRequest { Account = _fixture.Account, PaymentId = "pay_1", ProviderReference = "tr_gone", IdempotencyKey = "k" }, CancellationToken.None));
    }

    [Fact]
    public async Task PendingCaptureAndQueuedRefund_ArePending()
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments/tr_9/captures").UsingPost())
            .RespondWith(ProviderWireMock.Json(201, MollieScenarioFixture.Capture("pending", Money.Of(700, "EUR"), "tr_9")));
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments/tr_9/refunds").UsingPost())
            .RespondWith(ProviderWireMock.Json(201, MollieScenarioFixture.Refund("queued", Money.Of(300, "EUR")).ToJsonString()));
        var captured = await ((ICaptureFlow)Provider).CaptureAsync(new CaptureRequest { Account = _fixture.Account, PaymentId = "pay_1", ProviderReference = "tr_9", IdempotencyKey = "k1", Amount = Money.Of(700, "EUR") }, CancellationToken.None);
        var refund = await ((IRefundFlow)Provider).RefundAsync(new RefundRequest { Account = _fixture.Account, RefundId = "re_gw", PaymentId = "pay_1", ProviderReference = "tr_9", IdempotencyKey = "k2", Amount = Money.Of(300, "EUR") }, CancellationToken.None);
        Assert.Equal(ProviderOutcome.Pending, captured.Outcome);
        Assert.Equal(ProviderOutcome.Pending, refund.Outcome);
    }

    [Fact]
    public async Task Sync_GetsThePayment_WithoutIdempotencyKey_AndWithoutReferenceListsByTheAttemptsKey()
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments/tr_7").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, MollieScenarioFixture.Payment("paid", Money.Of(1_000, "EUR"), id: "tr_7")));
        var result = await ((ISyncFlow)Provider).SyncAsync(new SyncRequest { Account = _fixture.Account, PaymentId = "pay_1", IdempotencyKey = "k", ProviderReference = "tr_7" }, CancellationToken.None);
        Assert.Equal(ProviderOutcome.Succeeded, result.Outcome);
        var sent = Assert.Single(_fixture.Mock.Requests);
        Assert.Equal("GET", sent.Method);
        Assert.Null(ProviderWireMock.Header(sent, "Idempotency-Key"));

        // Without a reference the newest payments are listed; none carries this attempt's key yet: pending, not a failure.
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, """{"count":0,"_embedded":{"payments":[]}}"""));
        var unknown = await ((ISyncFlow)Provider).SyncAsync(new SyncRequest { Account = _fixture.Account, PaymentId = "pay_1", IdempotencyKey = "k" }, CancellationToken.None);
        Assert.Equal(ProviderOutcome.Pending, unknown.Outcome);
        var list = _fixture.Mock.Requests[^1];
        Assert.Equal("GET", list.Method);
        Assert.Equal("/v2/payments", list.Path);
        Assert.Equal("250", list.Query?["limit"].FirstOrDefault());
    }

    [Fact]
    public async Task Webhook_IsConfirmedByFetchingThePaymentWithTheAccountsKey_AndAnsweredEmpty()
    {
        var refunds = new JsonArray(MollieScenarioFixture.Refund("refunded", Money.Of(300, "EUR"), "re_A", "re_gw"));
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments/tr_hook").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, MollieScenarioFixture.Payment("paid", Money.Of(1_000, "EUR"), id: "tr_hook", gatewayPaymentId: "pay_hook", refunds: refunds)));
        var result = await ((IWebhookFlow)Provider).HandleWebhookAsync(_fixture.Webhook("id=tr_hook"), CancellationToken.None);

        Assert.Equal(200, result.StatusCode);
        Assert.Null(result.ResponseBody);
        Assert.Equal([ProviderNotificationKind.Capture, ProviderNotificationKind.Refund], result.Notifications.Select(n => n.Kind));
        Assert.Equal("pay_hook", result.Notifications[0].MerchantReference);
        Assert.Equal("re_gw", result.Notifications[1].MerchantReference);
        var fetch = Assert.Single(_fixture.Mock.Requests);
        Assert.Equal("GET", fetch.Method);
        Assert.Equal("/v2/payments/tr_hook", fetch.Path);
        Assert.Equal("Bearer " + MollieScenarioFixture.ApiKey, ProviderWireMock.Header(fetch, "Authorization"));
    }

    [Fact]
    public async Task Webhook_TheBodyIsNeverTrusted_OnlyTheFetchedPayment()
    {
        // A forged body claiming more than the id cannot change what the notification says.
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments/tr_hook").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, MollieScenarioFixture.Payment("failed", Money.Of(1_000, "EUR"), id: "tr_hook", failureReason: "card_expired")));
        var result = await ((IWebhookFlow)Provider).HandleWebhookAsync(_fixture.Webhook("id=tr_hook&status=paid&amount=99999"), CancellationToken.None);
        var notification = Assert.Single(result.Notifications);
        Assert.Equal(ProviderOutcome.Declined, notification.Outcome);
        Assert.Equal(DeclineCodes.ExpiredCard, notification.DeclineCode);
    }

    [Fact]
    public async Task Webhook_WithoutAnId_IsRejectedWithoutCallingMollie()
    {
        await Assert.ThrowsAsync<ProviderWebhookRejectedException>(() => ((IWebhookFlow)Provider).HandleWebhookAsync(_fixture.Webhook("{}"), CancellationToken.None));
        Assert.Empty(_fixture.Mock.Requests);
    }

    [Fact]
    public async Task Webhook_WhenMollieIsDown_Throws_SoTheWebhookIsRetried()
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments/tr_hook").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("Service Unavailable"));
        await Assert.ThrowsAsync<ProviderOutcomeUnknownException>(() => ((IWebhookFlow)Provider).HandleWebhookAsync(_fixture.Webhook("id=tr_hook"), CancellationToken.None));
    }

    [Fact]
    public async Task ValidationError_IsADecline_NotAnException()
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments").UsingPost())
            .RespondWith(ProviderWireMock.Json(422, MollieScenarioFixture.Error(422, "Unprocessable Entity", "The currency is not supported", "amount.currency")));
        var result = await ((IAuthorizeFlow)Provider).AuthorizeAsync(Authorize("k", Money.Of(1_250, "KWD")), CancellationToken.None);
        Assert.Equal(ProviderOutcome.Declined, result.Outcome);
        Assert.Equal(DeclineCodes.ProcessingError, result.DeclineCode);
        Assert.Single(_fixture.Mock.Requests);
    }

    [Fact]
    public async Task TimeoutThen503_IsOutcomeUnknown_BecauseTheFirstAttemptMayHaveBeenProcessed()
    {
        _fixture.Mock.RespondInSequence(Request.Create().WithPath("/v2/payments").UsingPost(),
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
        Description = "Scenario shape",
    };
}
