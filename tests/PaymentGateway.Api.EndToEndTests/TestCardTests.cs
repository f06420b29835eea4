using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

[Collection(GatewayCollection.Name)]
public sealed class TestCardTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Theory]
    [InlineData(TestCards.Visa, "visa")]
    [InlineData(TestCards.Mastercard, "mastercard")]
    [InlineData(TestCards.Amex, "amex")]
    [InlineData(TestCards.UnlistedVisa, "visa")]
    public async Task SuccessCard_AutomaticCapture_Succeeds(string number, string brand)
    {
        var merchant = await Server.CreateMerchantAsync();
        var pm = await Server.Client(merchant.PublishableKey).PostAsync("/v1/payment_methods", new
        {
            type = "card",
            card = new { number, exp_month = 12, exp_year = DateTime.UtcNow.Year + 2, cvc = TestCards.CvcFor(number) },
        });
        pm.EnsureStatus(200);
        Assert.Equal(brand, pm.Json.GetProperty("card").GetProperty("brand").GetString());

        var payment = await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new
        {
            amount = 1234,
            currency = "EUR",
            payment_method = pm.Str("id"),
            confirm = true,
        });

        payment.EnsureStatus(200);
        Assert.Equal("succeeded", payment.Str("status"));
        Assert.Equal(1234, payment.Long("amount_received"));
        Assert.Equal(0, payment.Long("amount_capturable"));
        Assert.Equal("automatic", payment.Str("capture_method"));
        Assert.Equal(pm.Str("id"), payment.Str("payment_method"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, payment.Json.GetProperty("last_payment_error").ValueKind);
    }

    [Theory]
    [InlineData(TestCards.Visa)]
    [InlineData(TestCards.Mastercard)]
    [InlineData(TestCards.Amex)]
    [InlineData(TestCards.UnlistedVisa)]
    public async Task SuccessCard_ManualCapture_StopsAtRequiresCaptureThenCaptures(string number)
    {
        var merchant = await Server.CreateMerchantAsync();
        var created = (await Steps.PayAsync(Server, merchant, number, 2500, "manual")).EnsureStatus(200);
        Assert.Equal("requires_capture", created.Str("status"));
        Assert.Equal(2500, created.Long("amount_capturable"));
        Assert.Equal(0, created.Long("amount_received"));

        var captured = (await Server.Client(merchant.SecretKey).PostAsync($"/v1/payments/{created.Str("id")}/capture", new { })).EnsureStatus(200);
        Assert.Equal("succeeded", captured.Str("status"));
        Assert.Equal(2500, captured.Long("amount_received"));
        Assert.Equal(0, captured.Long("amount_capturable"));
    }

    [Theory]
    [InlineData(TestCards.GenericDecline, "generic_decline", "automatic")]
    [InlineData(TestCards.InsufficientFunds, "insufficient_funds", "automatic")]
    [InlineData(TestCards.IncorrectCvc, "incorrect_cvc", "automatic")]
    [InlineData(TestCards.ExpiredCard, "expired_card", "automatic")]
    [InlineData(TestCards.ProcessingError, "processing_error", "automatic")]
    [InlineData(TestCards.GenericDecline, "generic_decline", "manual")]
    [InlineData(TestCards.InsufficientFunds, "insufficient_funds", "manual")]
    public async Task DeclineCard_Returns402CardDeclined_WithDeclineCodeAndFailedPayment(string number, string declineCode, string captureMethod)
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);

        var response = await Steps.PayAsync(Server, merchant, number, 1500, captureMethod);

        Problem.Assert(response, 402, "card_declined");
        Assert.Equal(declineCode, response.Str("decline_code"));
        var payment = response.Json.GetProperty("payment");
        var id = payment.GetProperty("id").GetString();
        Assert.StartsWith("pay_", id);
        Assert.Equal("failed", payment.GetProperty("status").GetString());
        Assert.Equal(0, payment.GetProperty("amount_received").GetInt64());
        Assert.Equal(0, payment.GetProperty("amount_capturable").GetInt64());
        var error = payment.GetProperty("last_payment_error");
        Assert.Equal("card_declined", error.GetProperty("code").GetString());
        Assert.Equal(declineCode, error.GetProperty("decline_code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));

        // The failed payment is persisted as the problem says.
        var stored = (await api.GetAsync($"/v1/payments/{id}")).EnsureStatus(200);
        Assert.Equal("failed", stored.Str("status"));
        Assert.Equal(declineCode, stored.Json.GetProperty("last_payment_error").GetProperty("decline_code").GetString());
        Assert.Equal(["payment.created", "payment.processing", "payment.failed"], Steps.InLifecycleOrder(await Steps.EventTypesAsync(Server, merchant, id!)));
    }

    [Fact]
    public async Task ThreeDSecureCard_ReturnsRequiresActionWithRedirect()
    {
        var merchant = await Server.CreateMerchantAsync();
        var response = (await Steps.PayAsync(Server, merchant, TestCards.ThreeDSecure, returnUrl: "https://shop.example/return")).EnsureStatus(200);

        Assert.Equal("requires_action", response.Str("status"));
        var next = response.Json.GetProperty("next_action");
        Assert.Equal("redirect_to_url", next.GetProperty("type").GetString());
        Assert.StartsWith(Server.BaseAddress.ToString().TrimEnd('/') + "/simulator/challenge/" + response.Str("id"),
            next.GetProperty("redirect_to_url").GetProperty("url").GetString());
    }

    [Fact]
    public async Task UnknownOutcomeCard_Returns200Processing()
    {
        var merchant = await Server.CreateMerchantAsync();
        var response = (await Steps.PayAsync(Server, merchant, TestCards.UnknownOutcome)).EnsureStatus(200);
        Assert.Equal("processing", response.Str("status"));
        Assert.Equal(0, response.Long("amount_received"));
    }

    [Fact]
    public async Task DeclinedPayment_CanBeRetrievedButNotCapturedOrConfirmed()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var declined = await Steps.PayAsync(Server, merchant, TestCards.GenericDecline, captureMethod: "manual");
        var id = declined.Json.GetProperty("payment").GetProperty("id").GetString();

        Problem.Assert(await api.PostAsync($"/v1/payments/{id}/capture", new { }), 409, "payment_state_conflict");
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);
        Problem.Assert(await api.PostAsync($"/v1/payments/{id}/confirm", new { payment_method = pm }), 409, "payment_state_conflict");
        Problem.Assert(await api.PostAsync($"/v1/payments/{id}/cancel", new { }), 409, "payment_state_conflict");
    }
}
