using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

[Collection(GatewayCollection.Name)]
public sealed class PaymentLifecycleTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task ManualCapture_TokenizeAuthorizeCapturePartialRefund_TracksAmounts()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);

        var created = await Flows.PayAsync(Server, merchant, amount: 2000, captureMethod: "manual");
        created.EnsureStatus(200);
        Assert.Equal("requires_capture", created.Str("status"));
        Assert.Equal(2000, created.Long("amount_capturable"));
        var id = created.Str("id");

        var captured = await api.PostAsync($"/v1/payments/{id}/capture", new { amount_to_capture = 1500 });
        captured.EnsureStatus(200);
        Assert.Equal("succeeded", captured.Str("status"));
        Assert.Equal(1500, captured.Long("amount_received"));
        Assert.Equal(0, captured.Long("amount_capturable"));

        var refund = await api.PostAsync("/v1/refunds", new { payment = id, amount = 500 });
        refund.EnsureStatus(200);
        Assert.Equal("succeeded", refund.Str("status"));

        var after = await api.GetAsync($"/v1/payments/{id}");
        Assert.Equal(500, after.Long("amount_refunded"));

        var events = await api.GetAsync($"/v1/events?object_id={id}");
        var types = events.Json.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["payment.succeeded", "payment.authorized", "payment.processing", "payment.created"], types);
    }
}
