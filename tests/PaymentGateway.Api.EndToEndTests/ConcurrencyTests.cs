using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

/// <summary>Racing state changes on one payment: exactly one wins, the rest are 409, and money moves once.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ConcurrencyTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task ParallelCaptures_OneSucceeds_RestConflict()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant, 1000);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => api.PostAsync($"/v1/payments/{id}/capture", new { })));

        Assert.Single(responses, r => r.Status == 200);
        Assert.All(responses.Where(r => r.Status != 200), r => Problem.Assert(r, 409, "payment_state_conflict"));
        var payment = await api.GetAsync($"/v1/payments/{id}");
        Assert.Equal(1000, payment.Long("amount_received"));
        Assert.Single(await Steps.EventTypesAsync(Server, merchant, id!), t => t == "payment.succeeded");
    }

    [Fact]
    public async Task CaptureRacingCancel_ExactlyOneWins()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant, 1000);

        var responses = await Task.WhenAll(
            api.PostAsync($"/v1/payments/{id}/capture", new { }),
            api.PostAsync($"/v1/payments/{id}/cancel", new { }),
            api.PostAsync($"/v1/payments/{id}/capture", new { }),
            api.PostAsync($"/v1/payments/{id}/cancel", new { }));

        var winner = Assert.Single(responses, r => r.Status == 200);
        Assert.All(responses.Where(r => r.Status != 200), r => Problem.Assert(r, 409, "payment_state_conflict"));
        var payment = await api.GetAsync($"/v1/payments/{id}");
        Assert.Equal(winner.Str("status"), payment.Str("status"));
        Assert.Equal(payment.Str("status") == "succeeded" ? 1000 : 0, payment.Long("amount_received"));
        Assert.Equal(0, payment.Long("amount_capturable"));
    }

    [Fact]
    public async Task ParallelConfirms_AuthorizeOnce()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);
        var id = (await Steps.CreateUnconfirmedAsync(Server, merchant, 1000, pm)).Str("id")!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => api.PostAsync($"/v1/payments/{id}/confirm", new { })));

        Assert.Single(responses, r => r.Status == 200);
        Assert.All(responses.Where(r => r.Status != 200), r => Problem.Assert(r, 409, "payment_state_conflict"));
        Assert.Equal("succeeded", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));
        var types = await Steps.EventTypesAsync(Server, merchant, id);
        Assert.Equal(["payment.created", "payment.processing", "payment.succeeded"], types);
    }

    [Fact]
    public async Task ParallelRefundsAndCapture_StayWithinReceived()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var ids = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Steps.SucceededPaymentAsync(Server, merchant, 500)));

        var responses = await Task.WhenAll(ids.SelectMany(id => Enumerable.Range(0, 4).Select(_ => api.PostAsync("/v1/refunds", new { payment = id, amount = 200 }))));

        Assert.All(responses, r => Assert.True(r.Status is 200 or 409 or 422, $"{r.Status}: {r.Body}"));
        foreach (var id in ids)
        {
            var refunded = responses.Where(r => r.Status == 200 && r.Str("payment") == id).Sum(r => r.Long("amount"));
            Assert.Equal(400, refunded);
            Assert.Equal(400, (await api.GetAsync($"/v1/payments/{id}")).Long("amount_refunded"));
        }
    }
}
