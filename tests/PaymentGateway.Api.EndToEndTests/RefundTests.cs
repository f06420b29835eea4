using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

[Collection(GatewayCollection.Name)]
public sealed class RefundTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task Refund_WithoutAmount_RefundsEverything()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.SucceededPaymentAsync(Server, merchant, 1999);

        var refund = (await api.PostAsync("/v1/refunds", new { payment = id })).EnsureStatus(200);

        Assert.Matches("^re_[0-9a-z]{29}$", refund.Str("id"));
        Assert.Equal("refund", refund.Str("object"));
        Assert.Equal("succeeded", refund.Str("status"));
        Assert.Equal(1999, refund.Long("amount"));
        Assert.Equal("EUR", refund.Str("currency"));
        Assert.Equal(id, refund.Str("payment"));
        var payment = await api.GetAsync($"/v1/payments/{id}");
        Assert.Equal(1999, payment.Long("amount_refunded"));
        Assert.Equal("succeeded", payment.Str("status"));
        Problem.Assert(await api.PostAsync("/v1/refunds", new { payment = id }), 422, "amount_exceeds_refundable", "amount");
        Problem.Assert(await api.PostAsync("/v1/refunds", new { payment = id, amount = 1 }), 422, "amount_exceeds_refundable", "amount");
    }

    [Fact]
    public async Task PartialRefunds_UpToExactlyCaptured_ThenOneMoreReturns422()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.SucceededPaymentAsync(Server, merchant, 1000);

        foreach (var amount in new long[] { 300, 300, 399, 1 })
        {
            var refund = (await api.PostAsync("/v1/refunds", new { payment = id, amount, reason = "requested_by_customer" })).EnsureStatus(200);
            Assert.Equal(amount, refund.Long("amount"));
            Assert.Equal("requested_by_customer", refund.Str("reason"));
        }

        Assert.Equal(1000, (await api.GetAsync($"/v1/payments/{id}")).Long("amount_refunded"));
        Problem.Assert(await api.PostAsync("/v1/refunds", new { payment = id, amount = 1 }), 422, "amount_exceeds_refundable", "amount");
        Assert.Equal(1000, (await api.GetAsync($"/v1/payments/{id}")).Long("amount_refunded"));
    }

    [Fact]
    public async Task Refund_MoreThanRemaining_Returns422AndChangesNothing()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.SucceededPaymentAsync(Server, merchant, 1000);
        (await api.PostAsync("/v1/refunds", new { payment = id, amount = 300 })).EnsureStatus(200);

        Problem.Assert(await api.PostAsync("/v1/refunds", new { payment = id, amount = 701 }), 422, "amount_exceeds_refundable", "amount");

        Assert.Equal(300, (await api.GetAsync($"/v1/payments/{id}")).Long("amount_refunded"));
        var list = (await api.GetAsync($"/v1/refunds?payment={id}")).EnsureStatus(200);
        Assert.Single(Steps.Ids(list));
    }

    [Fact]
    public async Task Refund_PartiallyCapturedPayment_LimitedToAmountReceived()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant, 2000);
        (await api.PostAsync($"/v1/payments/{id}/capture", new { amount_to_capture = 1200 })).EnsureStatus(200);

        Problem.Assert(await api.PostAsync("/v1/refunds", new { payment = id, amount = 1201 }), 422, "amount_exceeds_refundable", "amount");
        var full = (await api.PostAsync("/v1/refunds", new { payment = id })).EnsureStatus(200);

        Assert.Equal(1200, full.Long("amount"));
        Assert.Equal(1200, (await api.GetAsync($"/v1/payments/{id}")).Long("amount_refunded"));
    }

    [Fact]
    public async Task Refund_RequiresCapturePayment_Returns409()
    {
        var merchant = await Server.CreateMerchantAsync();
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant);

        Problem.Assert(await Server.Client(merchant.SecretKey).PostAsync("/v1/refunds", new { payment = id, amount = 100 }), 409, "payment_state_conflict");
    }

    [Fact]
    public async Task Refund_CanceledOrUnconfirmedOrFailedPayment_Returns409()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var open = (await Steps.CreateUnconfirmedAsync(Server, merchant)).Str("id");
        var canceled = await Steps.AuthorizedPaymentAsync(Server, merchant);
        (await api.PostAsync($"/v1/payments/{canceled}/cancel", new { })).EnsureStatus(200);
        var failed = (await Steps.PayAsync(Server, merchant, TestCards.GenericDecline)).Json.GetProperty("payment").GetProperty("id").GetString();

        foreach (var id in new[] { open, canceled, failed })
        {
            Problem.Assert(await api.PostAsync("/v1/refunds", new { payment = id }), 409, "payment_state_conflict");
        }
    }

    [Fact]
    public async Task ConcurrentRefunds_NeverExceedCapturedAmount()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.SucceededPaymentAsync(Server, merchant, 1000);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => api.PostAsync("/v1/refunds", new { payment = id, amount = 300 })));

        var succeeded = responses.Where(r => r.Status == 200).ToList();
        Assert.All(responses, r => Assert.True(r.Status is 200 or 409 or 422, $"unexpected {r.Status}: {r.Body}"));
        Assert.All(responses.Where(r => r.Status != 200), r => Assert.Contains(r.Code, new[] { "amount_exceeds_refundable", "payment_state_conflict", "concurrent_update" }));
        var refunded = succeeded.Sum(r => r.Long("amount"));
        Assert.True(refunded <= 1000, $"refunded {refunded} of 1000");
        Assert.Equal(3, succeeded.Count);
        Assert.Equal(refunded, (await api.GetAsync($"/v1/payments/{id}")).Long("amount_refunded"));
        var listed = (await api.GetAsync($"/v1/refunds?payment={id}&limit=100")).EnsureStatus(200);
        Assert.Equal(succeeded.Select(r => r.Str("id")).Order(), Steps.Ids(listed).Order());
    }

    [Fact]
    public async Task GetRefund_ReturnsTheRefund_UnknownIs404()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.SucceededPaymentAsync(Server, merchant, 1000);
        var created = (await api.PostAsync("/v1/refunds", new { payment = id, amount = 250, metadata = new { ticket = "T-9" } })).EnsureStatus(200);

        var fetched = (await api.GetAsync($"/v1/refunds/{created.Str("id")}")).EnsureStatus(200);

        Assert.Equal(created.Body, fetched.Body);
        Assert.Equal("T-9", fetched.Json.GetProperty("metadata").GetProperty("ticket").GetString());
        Problem.Assert(await api.GetAsync("/v1/refunds/re_00000000000000000000000000000"), 404, "resource_missing");
    }

    [Fact]
    public async Task ListRefunds_ByPayment_NewestFirstOnlyThatPayment()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var first = await Steps.SucceededPaymentAsync(Server, merchant, 1000);
        var second = await Steps.SucceededPaymentAsync(Server, merchant, 1000);
        var ids = new List<string>();
        foreach (var amount in new[] { 100, 200, 300 })
        {
            ids.Add((await api.PostAsync("/v1/refunds", new { payment = first, amount })).EnsureStatus(200).Str("id")!);
            await Task.Delay(5);
        }

        var other = (await api.PostAsync("/v1/refunds", new { payment = second, amount = 50 })).EnsureStatus(200).Str("id");

        var byFirst = (await api.GetAsync($"/v1/refunds?payment={first}")).EnsureStatus(200);
        var all = (await api.GetAsync("/v1/refunds")).EnsureStatus(200);
        var limited = (await api.GetAsync($"/v1/refunds?payment={first}&limit=2")).EnsureStatus(200);

        ids.Reverse();
        Assert.Equal(ids, Steps.Ids(byFirst));
        Assert.All(byFirst.Json.GetProperty("data").EnumerateArray(), r => Assert.Equal(first, r.GetProperty("payment").GetString()));
        Assert.Equal(ids.Prepend(other!), Steps.Ids(all));
        Assert.Equal(ids.Take(2), Steps.Ids(limited));
        Assert.True(limited.Json.GetProperty("has_more").GetBoolean());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task Refund_ZeroOrNegativeAmount_Returns400(long amount)
    {
        var merchant = await Server.CreateMerchantAsync();
        var id = await Steps.SucceededPaymentAsync(Server, merchant);

        Problem.Assert(await Server.Client(merchant.SecretKey).PostAsync("/v1/refunds", new { payment = id, amount }), 400, "amount_invalid", "amount");
    }

    [Fact]
    public async Task Refund_BadInput_StableCodes()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.SucceededPaymentAsync(Server, merchant);

        Problem.Assert(await api.PostAsync("/v1/refunds", new { amount = 100 }), 400, "parameter_missing", "payment");
        Problem.Assert(await api.PostAsync("/v1/refunds", new { payment = "pay_00000000000000000000000000000" }), 404, "resource_missing", "payment");
        Problem.Assert(await api.PostAsync("/v1/refunds", new { payment = id, reason = "changed_mind" }), 400, "parameter_invalid", "reason");
        Problem.Assert(await api.PostRawAsync("/v1/refunds", $$"""{"payment":"{{id}}","amount":"100"}"""), 400, "parameter_invalid", "amount");
        Problem.Assert(await api.PostRawAsync("/v1/refunds", $$"""{"payment":"{{id}}","amout":100}"""), 400, "parameter_unknown", "amout");
        Assert.Equal(0, (await api.GetAsync($"/v1/payments/{id}")).Long("amount_refunded"));
    }

    [Fact]
    public async Task Refund_WritesCreatedAndSucceededEvents()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.SucceededPaymentAsync(Server, merchant);
        var refund = (await api.PostAsync("/v1/refunds", new { payment = id, amount = 400 })).EnsureStatus(200);

        var types = await Steps.EventTypesAsync(Server, merchant, refund.Str("id")!);

        Assert.Equal(["refund.created", "refund.succeeded"], Steps.InLifecycleOrder(types));
    }
}
