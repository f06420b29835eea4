using PaymentGateway.Providers.ContractTests.Infrastructure;

namespace PaymentGateway.Providers.ContractTests.Scenarios;

/// <summary>
/// The scenarios every provider adapter must pass. A provider's test class derives from this with its fixture; a
/// scenario the fixture cannot express is reported as skipped with the fixture's reason.
/// </summary>
public abstract class ProviderScenarioSuite<TFixture> : IDisposable
    where TFixture : ProviderScenarioFixture, new()
{
    protected ProviderScenarioSuite() => Fixture = new TFixture();

    protected TFixture Fixture { get; }

    private IPaymentProvider Provider => Fixture.Provider;

    [ScenarioFact]
    public async Task ManualAuthorize_ThenCapture_ThenPartialRefund()
    {
        var amount = Money.Of(10_50, "EUR");
        var card = Fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, amount, capture: false);
        var authorized = await Flow<IAuthorizeFlow>().AuthorizeAsync(Authorize(amount, capture: false, card), CancellationToken.None);
        Assert.Equal(ProviderOutcome.Authorized, authorized.Outcome);
        var reference = Assert.IsType<string>(authorized.ProviderReference);

        Fixture.ArrangeCapture(reference, amount);
        var captured = await Flow<ICaptureFlow>().CaptureAsync(new CaptureRequest
        {
            Account = Fixture.Account,
            PaymentId = "pay_scenario",
            ProviderReference = reference,
            IdempotencyKey = NewKey(),
            Amount = amount,
        }, CancellationToken.None);
        Assert.Equal(Fixture.ModificationOutcome, captured.Outcome);

        var part = Money.Of(4_00, "EUR");
        Fixture.ArrangeRefund(reference, part);
        var refunded = await Flow<IRefundFlow>().RefundAsync(new RefundRequest
        {
            Account = Fixture.Account,
            RefundId = "re_scenario",
            PaymentId = "pay_scenario",
            ProviderReference = reference,
            IdempotencyKey = NewKey(),
            Amount = part,
        }, CancellationToken.None);
        Assert.Equal(Fixture.ModificationOutcome, refunded.Outcome);

        if (!Fixture.Unsupported.ContainsKey(ScenarioFeature.WireObservation))
        {
            Assert.Equal(Fixture.ExpectedWireAmount(part), Fixture.SentAmount(Fixture.Sent[^1]));
        }
    }

    [ScenarioFact]
    public async Task AutomaticCapture_Succeeds()
    {
        var amount = Money.Of(25_00, "EUR");
        var card = Fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, amount, capture: true);
        var result = await Flow<IAuthorizeFlow>().AuthorizeAsync(Authorize(amount, capture: true, card), CancellationToken.None);
        Assert.Equal(Fixture.AutomaticCaptureOutcome, result.Outcome);
        Assert.NotEqual(ProviderOutcome.Authorized, result.Outcome);
        Assert.False(string.IsNullOrEmpty(result.ProviderReference));
    }

    [ScenarioFact]
    public async Task Decline_MapsToNormalizedDeclineCode()
    {
        var amount = Money.Of(10_00, "EUR");
        var card = Fixture.ArrangeAuthorize(AuthorizeAnswer.DeclinedInsufficientFunds, amount, capture: false);
        var result = await Flow<IAuthorizeFlow>().AuthorizeAsync(Authorize(amount, capture: false, card), CancellationToken.None);
        Assert.Equal(ProviderOutcome.Declined, result.Outcome);
        Assert.Equal(DeclineCodes.InsufficientFunds, result.DeclineCode);
    }

    [ScenarioFact]
    public async Task ThreeDSecure_RequiresActionWithRedirectUrl()
    {
        var amount = Money.Of(10_00, "EUR");
        var card = Fixture.ArrangeAuthorize(AuthorizeAnswer.RequiresAction, amount, capture: false);
        var result = await Flow<IAuthorizeFlow>().AuthorizeAsync(Authorize(amount, capture: false, card), CancellationToken.None);
        Assert.Equal(ProviderOutcome.RequiresAction, result.Outcome);
        Assert.True(Uri.TryCreate(result.RedirectUrl, UriKind.Absolute, out _), $"redirect URL '{result.RedirectUrl}'");
        var action = Assert.IsType<ProviderNextAction>(result.Action);
        Assert.Equal(ProviderNextActionType.Redirect, action.Type);
        Assert.Equal("GET", action.Method);
        Assert.Equal(result.RedirectUrl, action.Url);
    }

    [ScenarioFact]
    public async Task Void_ReleasesTheAuthorization()
    {
        var amount = Money.Of(10_00, "EUR");
        var card = Fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, amount, capture: false);
        var authorized = await Flow<IAuthorizeFlow>().AuthorizeAsync(Authorize(amount, capture: false, card), CancellationToken.None);
        var reference = Assert.IsType<string>(authorized.ProviderReference);

        Fixture.ArrangeVoid(reference);
        var voided = await Flow<IVoidFlow>().VoidAsync(new VoidRequest
        {
            Account = Fixture.Account,
            PaymentId = "pay_scenario",
            ProviderReference = reference,
            IdempotencyKey = NewKey(),
        }, CancellationToken.None);
        Assert.Equal(Fixture.VoidOutcome, voided.Outcome);
    }

    [ScenarioFact]
    public async Task UnknownProviderStatus_IsPending_NeverSuccess()
    {
        Fixture.Require(ScenarioFeature.UnknownStatus);
        var amount = Money.Of(10_00, "EUR");
        var card = Fixture.ArrangeAuthorize(AuthorizeAnswer.UnknownStatus, amount, capture: true);
        var result = await Flow<IAuthorizeFlow>().AuthorizeAsync(Authorize(amount, capture: true, card), CancellationToken.None);
        Assert.Equal(ProviderOutcome.Pending, result.Outcome);
    }

    [ScenarioFact]
    public async Task ServerErrorAfterSending_IsOutcomeUnknown_NeverUnavailable()
    {
        // A 5xx answer means the request reached the provider: it may have been processed, so failing over could charge
        // twice. Only the reconciler, asking with the same idempotency key, may settle it.
        Fixture.Require(ScenarioFeature.ServerErrors);
        var amount = Money.Of(10_00, "EUR");
        foreach (var answer in new[] { AuthorizeAnswer.InternalServerError, AuthorizeAnswer.BadGateway, AuthorizeAnswer.ServiceUnavailable })
        {
            var card = Fixture.ArrangeAuthorize(answer, amount, capture: false);
            var key = NewKey();
            var error = await Assert.ThrowsAsync<ProviderOutcomeUnknownException>(() =>
                Flow<IAuthorizeFlow>().AuthorizeAsync(Authorize(amount, capture: false, card) with { IdempotencyKey = key }, CancellationToken.None));
            Assert.Equal(Provider.Id, error.ProviderId);
            if (!Fixture.Unsupported.ContainsKey(ScenarioFeature.WireObservation))
            {
                Assert.All(Fixture.Sent, r => Assert.Equal(key, r.Headers.GetValueOrDefault("Idempotency-Key")));
            }
        }
    }

    [ScenarioFact]
    public async Task ConnectionRefused_BeforeSending_IsUnavailable()
    {
        // Nothing left the gateway: the one case in which routing may try another account.
        Fixture.Require(ScenarioFeature.WireObservation);
        var account = Assert.IsType<ProviderAccount>(Fixture.Account);
        var refused = account with { Settings = new Dictionary<string, string>(account.Settings) { ["base_url"] = $"http://127.0.0.1:{ClosedPort()}" } };
        var amount = Money.Of(10_00, "EUR");
        var card = Fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, amount, capture: false);
        var error = await Assert.ThrowsAsync<ProviderUnavailableException>(() =>
            Flow<IAuthorizeFlow>().AuthorizeAsync(Authorize(amount, capture: false, card) with { Account = refused }, CancellationToken.None));
        Assert.Equal(Provider.Id, error.ProviderId);
    }

    [ScenarioFact]
    public async Task FailedStatusLookup_IsOutcomeUnknown_NeverADecline_AndTheProvidersWordSettlesIt()
    {
        // A 400 or 404 from a lookup (search unavailable, the object not yet indexed) says nothing about the payment.
        Fixture.Require(ScenarioFeature.Sync);
        foreach (var reference in new[] { Fixture.SyncReference, null })
        {
            var key = NewKey();
            foreach (var status in new[] { 400, 404, 500, 200 })
            {
                Fixture.ArrangeSyncFailure(reference, status);
                var error = await Assert.ThrowsAsync<ProviderOutcomeUnknownException>(() => SyncAsync(reference, key));
                Assert.Equal(Provider.Id, error.ProviderId);
            }

            Fixture.ArrangeSyncAuthorized(reference, key);
            var settled = await SyncAsync(reference, key);
            Assert.Equal(ProviderOutcome.Authorized, settled.Outcome);
            Assert.False(string.IsNullOrEmpty(settled.ProviderReference));
        }
    }

    [ScenarioFact]
    public async Task TimeoutAfterSending_ThrowsOutcomeUnknown()
    {
        var amount = Money.Of(10_00, "EUR");
        var card = Fixture.ArrangeAuthorize(AuthorizeAnswer.Timeout, amount, capture: false);
        var error = await Assert.ThrowsAsync<ProviderOutcomeUnknownException>(() =>
            Flow<IAuthorizeFlow>().AuthorizeAsync(Authorize(amount, capture: false, card), CancellationToken.None));
        Assert.Equal(Provider.Id, error.ProviderId);
    }

    [ScenarioFact]
    public async Task IdempotencyKey_IsPassedUnchanged_OnEveryCallAndRetry()
    {
        Fixture.Require(ScenarioFeature.WireObservation);
        Fixture.Require(ScenarioFeature.ServerErrors);
        var amount = Money.Of(10_00, "EUR");
        var card = Fixture.ArrangeAuthorize(AuthorizeAnswer.ServiceUnavailableThenApproved, amount, capture: false);
        var authorizeKey = NewKey();
        var authorized = await Flow<IAuthorizeFlow>().AuthorizeAsync(Authorize(amount, capture: false, card) with { IdempotencyKey = authorizeKey }, CancellationToken.None);
        Assert.Equal(ProviderOutcome.Authorized, authorized.Outcome);
        var attempts = Fixture.Sent;
        Assert.True(attempts.Count >= 2, "the 5xx answer was retried");
        Assert.All(attempts, a => Assert.Equal(authorizeKey, a.Headers.GetValueOrDefault("Idempotency-Key")));

        var reference = Assert.IsType<string>(authorized.ProviderReference);
        Fixture.ArrangeCapture(reference, amount);
        var captureKey = NewKey();
        await Flow<ICaptureFlow>().CaptureAsync(new CaptureRequest
        {
            Account = Fixture.Account,
            PaymentId = "pay_scenario",
            ProviderReference = reference,
            IdempotencyKey = captureKey,
            Amount = amount,
        }, CancellationToken.None);
        Assert.Equal(captureKey, Fixture.Sent[^1].Headers.GetValueOrDefault("Idempotency-Key"));

        Fixture.ArrangeRefund(reference, amount);
        var refundKey = NewKey();
        await Flow<IRefundFlow>().RefundAsync(new RefundRequest
        {
            Account = Fixture.Account,
            RefundId = "re_scenario",
            PaymentId = "pay_scenario",
            ProviderReference = reference,
            IdempotencyKey = refundKey,
            Amount = amount,
        }, CancellationToken.None);
        Assert.Equal(refundKey, Fixture.Sent[^1].Headers.GetValueOrDefault("Idempotency-Key"));

        Fixture.ArrangeVoid(reference);
        var voidKey = NewKey();
        await Flow<IVoidFlow>().VoidAsync(new VoidRequest
        {
            Account = Fixture.Account,
            PaymentId = "pay_scenario",
            ProviderReference = reference,
            IdempotencyKey = voidKey,
        }, CancellationToken.None);
        Assert.Equal(voidKey, Fixture.Sent[^1].Headers.GetValueOrDefault("Idempotency-Key"));
    }

    [ScenarioFact]
    public async Task Amounts_AreSentInProviderUnits_ForTwoZeroAndThreeDecimalCurrencies()
    {
        Fixture.Require(ScenarioFeature.WireObservation);
        foreach (var amount in new[] { Money.Of(10_50, "EUR"), Money.Of(1_000, "JPY"), Money.Of(1_250, "KWD") })
        {
            var card = Fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, amount, capture: false);
            await Flow<IAuthorizeFlow>().AuthorizeAsync(Authorize(amount, capture: false, card), CancellationToken.None);
            Assert.Equal(Fixture.ExpectedWireAmount(amount), Fixture.SentAmount(Fixture.Sent[^1]));
        }
    }

    [ScenarioFact]
    public async Task Webhook_WithValidSignature_YieldsNotifications()
    {
        Fixture.Require(ScenarioFeature.Webhooks);
        var amount = Money.Of(10_50, "EUR");
        var webhook = Fixture.AuthorizationWebhook("ref_webhook_1", "pay_webhook_1", amount, validSignature: true);
        var result = await Flow<IWebhookFlow>().HandleWebhookAsync(webhook, CancellationToken.None);
        var notification = Assert.Single(result.Notifications);
        Assert.Equal(ProviderNotificationKind.Authorization, notification.Kind);
        Assert.Equal(ProviderOutcome.Authorized, notification.Outcome);
        Assert.Equal("ref_webhook_1", notification.ProviderReference);
        Assert.Equal("pay_webhook_1", notification.MerchantReference);
        Assert.Equal(amount, notification.Amount);

        // The provider's own event identity, the same when the provider delivers the event again (deduplication key).
        Assert.False(string.IsNullOrEmpty(notification.EventId));
        if (Fixture.ExpectedEventId("ref_webhook_1") is { } expected)
        {
            Assert.Equal(expected, notification.EventId);
        }

        var again = await Flow<IWebhookFlow>().HandleWebhookAsync(Fixture.AuthorizationWebhook("ref_webhook_1", "pay_webhook_1", amount, validSignature: true), CancellationToken.None);
        Assert.Equal(notification.EventId, Assert.Single(again.Notifications).EventId);
    }

    [ScenarioFact]
    public async Task Webhook_WithBadSignature_IsRejected()
    {
        Fixture.Require(ScenarioFeature.Webhooks);
        var webhook = Fixture.AuthorizationWebhook("ref_webhook_1", "pay_webhook_1", Money.Of(10_50, "EUR"), validSignature: false);
        var error = await Assert.ThrowsAsync<ProviderWebhookRejectedException>(() => Flow<IWebhookFlow>().HandleWebhookAsync(webhook, CancellationToken.None));
        Assert.Equal(Provider.Id, error.ProviderId);
    }

    [ScenarioFact]
    public async Task CredentialsAndCardData_NeverAppearInLogsOrExceptions()
    {
        var texts = new List<string>();
        var amount = Money.Of(10_00, "EUR");
        var answers = new List<AuthorizeAnswer> { AuthorizeAnswer.Approved, AuthorizeAnswer.DeclinedInsufficientFunds, AuthorizeAnswer.Timeout };
        if (!Fixture.Unsupported.ContainsKey(ScenarioFeature.ServerErrors))
        {
            answers.Add(AuthorizeAnswer.ServiceUnavailable);
        }

        foreach (var answer in answers)
        {
            var card = Fixture.ArrangeAuthorize(answer, amount, capture: false);
            var request = Authorize(amount, capture: false, card);
            texts.Add(request.ToString());
            try
            {
                var result = await Flow<IAuthorizeFlow>().AuthorizeAsync(request, CancellationToken.None);
                texts.Add(result.ToString());
            }
            catch (Exception e) when (e is ProviderOutcomeUnknownException or ProviderUnavailableException)
            {
                texts.Add(e.ToString());
            }
        }

        texts.AddRange(Fixture.Logs.Lines);
        if (Fixture.Account is { } account)
        {
            texts.Add(account.ToString());
        }

        foreach (var secret in Fixture.Secrets.Where(s => s.Length >= 6))
        {
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.Ordinal));
        }
    }

    public void Dispose()
    {
        Fixture.Dispose();
        GC.SuppressFinalize(this);
    }

    protected T Flow<T>()
        where T : class =>
        Provider as T ?? throw new InvalidOperationException($"{Provider.Id} does not implement {typeof(T).Name}.");

    protected AuthorizeRequest Authorize(Money amount, bool capture, ProviderCard card) => new()
    {
        Account = Fixture.Account,
        PaymentId = "pay_scenario",
        AttemptId = "att_scenario",
        IdempotencyKey = NewKey(),
        Amount = amount,
        Capture = capture,
        Card = card,
        ReturnUrl = "https://merchant.example/return",
        Description = "Scenario",
        TestMode = true,
    };

    protected static string NewKey() => "idem_" + Guid.NewGuid().ToString("N");

    private Task<ProviderPaymentResult> SyncAsync(string? reference, string key) =>
        Flow<ISyncFlow>().SyncAsync(new SyncRequest
        {
            Account = Fixture.Account,
            PaymentId = "pay_scenario",
            IdempotencyKey = key,
            ProviderReference = reference,
        }, CancellationToken.None);

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed: connections are refused
    }
}
