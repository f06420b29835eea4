using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

[Collection(GatewayCollection.Name)]
public sealed class IdempotencyTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    private static string NewKey() => "idem-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task SameKeySameBody_ReplaysStoredResponse_AndCreatesOnePayment()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);
        var body = new { amount = 1000, currency = "EUR", payment_method = pm, confirm = true, metadata = new { order = "1" } };
        var key = NewKey();

        var first = (await api.PostAsync("/v1/payments", body, key)).EnsureStatus(200);
        var second = await api.PostAsync("/v1/payments", body, key);
        var third = await api.PostAsync("/v1/payments", body, key);

        Assert.Null(first.Header("Idempotent-Replayed"));
        foreach (var replay in new[] { second, third })
        {
            Assert.Equal(200, replay.Status);
            Assert.Equal(first.Body, replay.Body);
            Assert.Equal("true", replay.Header("Idempotent-Replayed"));
            Assert.Equal("application/json", replay.ContentType);
            Assert.NotNull(replay.Header("Request-Id"));
        }

        var list = (await api.GetAsync("/v1/payments?limit=100")).EnsureStatus(200);
        Assert.Equal([first.Str("id")!], Steps.Ids(list));
        var types = await Steps.EventTypesAsync(Server, merchant, first.Str("id")!);
        Assert.Equal(["payment.created", "payment.processing", "payment.succeeded"], Steps.InLifecycleOrder(types));
    }

    [Fact]
    public async Task SameKeyDifferentBody_Returns422IdempotencyKeyReused()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var key = NewKey();
        (await api.PostAsync("/v1/payments", new { amount = 1000, currency = "EUR" }, key)).EnsureStatus(200);

        var changed = await api.PostAsync("/v1/payments", new { amount = 1001, currency = "EUR" }, key);
        var otherPath = await api.PostAsync("/v1/refunds", new { amount = 1000, currency = "EUR" }, key);

        Problem.Assert(changed, 422, "idempotency_key_reused", "Idempotency-Key");
        Problem.Assert(otherPath, 422, "idempotency_key_reused");
        Assert.Single(Steps.Ids(await api.GetAsync("/v1/payments")));
    }

    [Fact]
    public async Task SameKeyWhitespaceChangedBody_IsADifferentRequest()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var key = NewKey();
        (await api.PostRawAsync("/v1/payments", """{"amount":1000,"currency":"EUR"}""", key)).EnsureStatus(200);

        var changed = await api.PostRawAsync("/v1/payments", """{"amount": 1000, "currency": "EUR"}""", key);

        // The gateway compares the bytes: a re-serialized body is not a replay. It must not create a second payment.
        Assert.True(changed.Status is 200 or 422, changed.Body);
        Assert.Single(Steps.Ids(await api.GetAsync("/v1/payments")));
    }

    [Fact]
    public async Task DeclineReplay_ReturnsSame402()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.InsufficientFunds);
        var body = new { amount = 500, currency = "EUR", payment_method = pm, confirm = true };
        var key = NewKey();

        var first = Problem.Assert(await api.PostAsync("/v1/payments", body, key), 402, "card_declined");
        var replay = await api.PostAsync("/v1/payments", body, key);

        Assert.Equal(402, replay.Status);
        Assert.Equal(first.Body, replay.Body);
        Assert.Equal("application/problem+json", replay.ContentType);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Equal("insufficient_funds", replay.Str("decline_code"));
        Assert.Single(Steps.Ids(await api.GetAsync("/v1/payments")));
    }

    [Fact]
    public async Task ValidationErrorReplay_Returns400Again()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var key = NewKey();

        var first = Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 0, currency = "EUR" }, key), 400, "amount_invalid");
        var replay = await api.PostAsync("/v1/payments", new { amount = 0, currency = "EUR" }, key);

        Assert.Equal(400, replay.Status);
        Assert.Equal(first.Body, replay.Body);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(1000)]
    public async Task KeyLongerThan255_Returns400IdempotencyKeyInvalid(int length)
    {
        var merchant = await Server.CreateMerchantAsync();

        var response = await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 100, currency = "EUR" }, new string('k', length));

        Problem.Assert(response, 400, "idempotency_key_invalid", "Idempotency-Key");
        Assert.Empty(Steps.Ids(await Server.Client(merchant.SecretKey).GetAsync("/v1/payments")));
    }

    [Fact]
    public async Task KeyOf255_IsAccepted()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var key = new string('k', 255);

        var first = (await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR" }, key)).EnsureStatus(200);
        var replay = (await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR" }, key)).EnsureStatus(200);

        Assert.Equal(first.Str("id"), replay.Str("id"));
    }

    [Fact]
    public async Task KeyWithControlCharacters_Returns400()
    {
        var merchant = await Server.CreateMerchantAsync();

        var response = await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 100, currency = "EUR" }, "abc\tdef");

        Problem.Assert(response, 400, "idempotency_key_invalid");
    }

    [Fact]
    public async Task Keys_AreScopedPerMerchant()
    {
        var a = await Server.CreateMerchantAsync("A");
        var b = await Server.CreateMerchantAsync("B");
        var key = NewKey();
        var body = new { amount = 1000, currency = "EUR" };

        var fromA = (await Server.Client(a.SecretKey).PostAsync("/v1/payments", body, key)).EnsureStatus(200);
        var fromB = await Server.Client(b.SecretKey).PostAsync("/v1/payments", body, key);
        var fromBDifferent = await Server.Client(b.SecretKey).PostAsync("/v1/payments", new { amount = 5, currency = "EUR" }, NewKey());

        fromB.EnsureStatus(200);
        fromBDifferent.EnsureStatus(200);
        Assert.Null(fromB.Header("Idempotent-Replayed"));
        Assert.NotEqual(fromA.Str("id"), fromB.Str("id"));
        Problem.Assert(await Server.Client(a.SecretKey).GetAsync($"/v1/payments/{fromB.Str("id")}"), 404, "resource_missing");
        Assert.Equal(fromA.Str("id"), (await Server.Client(a.SecretKey).PostAsync("/v1/payments", body, key)).Str("id"));
    }

    [Fact]
    public async Task Refunds_SameKey_CreateOneRefund()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.SucceededPaymentAsync(Server, merchant, 1000);
        var key = NewKey();

        var first = (await api.PostAsync("/v1/refunds", new { payment = id, amount = 400 }, key)).EnsureStatus(200);
        var replay = (await api.PostAsync("/v1/refunds", new { payment = id, amount = 400 }, key)).EnsureStatus(200);
        var changed = await api.PostAsync("/v1/refunds", new { payment = id, amount = 401 }, key);

        Assert.Equal(first.Body, replay.Body);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Problem.Assert(changed, 422, "idempotency_key_reused");
        Assert.Equal(400, (await api.GetAsync($"/v1/payments/{id}")).Long("amount_refunded"));
        Assert.Single(Steps.Ids(await api.GetAsync($"/v1/refunds?payment={id}")));
    }

    [Fact]
    public async Task Capture_SameKey_ReplaysInsteadOfConflicting()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant, 1000);
        var key = NewKey();

        var first = (await api.PostAsync($"/v1/payments/{id}/capture", new { amount_to_capture = 600 }, key)).EnsureStatus(200);
        var replay = await api.PostAsync($"/v1/payments/{id}/capture", new { amount_to_capture = 600 }, key);

        Assert.Equal(200, replay.Status);
        Assert.Equal(first.Body, replay.Body);
        Assert.Equal(600, (await api.GetAsync($"/v1/payments/{id}")).Long("amount_received"));
    }

    [Fact]
    public async Task Tokenize_SameKey_ReturnsSamePaymentMethod()
    {
        var merchant = await Server.CreateMerchantAsync();
        var pk = Server.Client(merchant.PublishableKey);
        var body = new { type = "card", card = new { number = TestCards.Visa, exp_month = 1, exp_year = DateTime.UtcNow.Year + 1, cvc = "737" } };
        var key = NewKey();

        var first = (await pk.PostAsync("/v1/payment_methods", body, key)).EnsureStatus(200);
        var replay = (await pk.PostAsync("/v1/payment_methods", body, key)).EnsureStatus(200);

        Assert.Equal(first.Str("id"), replay.Str("id"));
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Concurrent_SameKey_OneRunsOneGets409InUse_ThenRetryReplays()
    {
        await using var slow = await GatewayServer.StartAsync(new Dictionary<string, string?>
        {
            ["PaymentGateway:Simulator:Latency"] = "00:00:01",

            // Keep the reconciler off in-flight authorizations (see MultiNodeReconcilerTests).
            ["PaymentGateway:Reconciler:MinAge"] = "00:00:05",
        });
        var merchant = await slow.CreateMerchantAsync();
        var api = slow.Client(merchant.SecretKey);
        var pm = await Steps.TokenizeAsync(slow, merchant, TestCards.Visa);
        var body = new { amount = 1000, currency = "EUR", payment_method = pm, confirm = true };
        var key = NewKey();

        var responses = await Task.WhenAll(api.PostAsync("/v1/payments", body, key), api.PostAsync("/v1/payments", body, key));

        var ok = Assert.Single(responses, r => r.Status == 200);
        var conflict = Assert.Single(responses, r => r.Status == 409);
        Problem.Assert(conflict, 409, "idempotency_key_in_use", "Idempotency-Key");
        Assert.Equal("succeeded", ok.Str("status"));

        var retry = await api.PostAsync("/v1/payments", body, key);
        Assert.Equal(200, retry.Status);
        Assert.Equal(ok.Body, retry.Body);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Single(Steps.Ids(await api.GetAsync("/v1/payments")));
    }

    [Fact]
    public async Task Concurrent_DifferentKeys_SameBody_CreateTwoPayments()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var body = new { amount = 1000, currency = "EUR" };

        var responses = await Task.WhenAll(api.PostAsync("/v1/payments", body, NewKey()), api.PostAsync("/v1/payments", body, NewKey()));

        Assert.All(responses, r => r.EnsureStatus(200));
        Assert.NotEqual(responses[0].Str("id"), responses[1].Str("id"));
        Assert.Equal(2, Steps.Ids(await api.GetAsync("/v1/payments")).Count());
    }

    [Fact]
    public async Task GetRequests_IgnoreIdempotencyKey()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var key = NewKey();
        var id = (await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR" }, key)).EnsureStatus(200).Str("id");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/payments/{id}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", merchant.SecretKey);
        request.Headers.Add("Idempotency-Key", key);
        using var response = await api.Http.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.False(response.Headers.Contains("Idempotent-Replayed"));
    }
}
