using System.Text.Json;
using PaymentGateway.Api.EndToEndTests.Infrastructure;

namespace PaymentGateway.Api.EndToEndTests;

[Collection(GatewayCollection.Name)]
public sealed class PaymentsApiTests(GatewayFixture fixture)
{
    private GatewayServer Server => fixture.Server;

    [Fact]
    public async Task Create_WithoutPaymentMethod_RequiresPaymentMethod_ThenConfirmWithMethodSucceeds()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);

        var created = await Steps.CreateUnconfirmedAsync(Server, merchant, 4200);
        Assert.Equal("requires_payment_method", created.Str("status"));
        Assert.Equal("payment", created.Str("object"));
        Assert.False(created.Json.GetProperty("livemode").GetBoolean());
        Assert.Equal(4200, created.Long("amount"));
        Assert.Equal("EUR", created.Str("currency"));
        Assert.Equal(0, created.Long("amount_capturable"));
        Assert.Equal(0, created.Long("amount_received"));
        Assert.Equal(0, created.Long("amount_refunded"));
        Assert.Equal(JsonValueKind.Null, created.Json.GetProperty("payment_method").ValueKind);
        Assert.Matches("^pay_[0-9a-z]{29}$", created.Str("id"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", created.Str("created"));

        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);
        var confirmed = (await api.PostAsync($"/v1/payments/{created.Str("id")}/confirm", new { payment_method = pm })).EnsureStatus(200);
        Assert.Equal("succeeded", confirmed.Str("status"));
        Assert.Equal(pm, confirmed.Str("payment_method"));
        Assert.Equal(4200, confirmed.Long("amount_received"));
    }

    [Fact]
    public async Task Create_WithPaymentMethodNoConfirm_RequiresConfirmation_ThenEmptyConfirmSucceeds()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);

        var created = await Steps.CreateUnconfirmedAsync(Server, merchant, 1000, pm, "manual");
        Assert.Equal("requires_confirmation", created.Str("status"));
        Assert.Equal(pm, created.Str("payment_method"));

        var confirmed = (await api.PostAsync($"/v1/payments/{created.Str("id")}/confirm", new { })).EnsureStatus(200);
        Assert.Equal("requires_capture", confirmed.Str("status"));
        Assert.Equal(1000, confirmed.Long("amount_capturable"));
    }

    [Fact]
    public async Task Confirm_WithoutAnyPaymentMethod_Returns400PaymentMethodRequired()
    {
        var merchant = await Server.CreateMerchantAsync();
        var created = await Steps.CreateUnconfirmedAsync(Server, merchant);

        var response = await Server.Client(merchant.SecretKey).PostAsync($"/v1/payments/{created.Str("id")}/confirm", new { });

        Problem.Assert(response, 400, "payment_method_required", "payment_method");
    }

    [Fact]
    public async Task Retrieve_ReturnsSamePaymentAsCreate()
    {
        var merchant = await Server.CreateMerchantAsync();
        var created = (await Steps.PayAsync(Server, merchant, TestCards.Visa, 777)).EnsureStatus(200);

        var fetched = (await Server.Client(merchant.SecretKey).GetAsync($"/v1/payments/{created.Str("id")}")).EnsureStatus(200);

        Assert.Equal(created.Body, fetched.Body);
    }

    [Fact]
    public async Task Retrieve_UnknownId_Returns404ResourceMissing()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);

        Problem.Assert(await api.GetAsync("/v1/payments/pay_00000000000000000000000000000"), 404, "resource_missing");
        Problem.Assert(await api.GetAsync("/v1/payments/not-an-id"), 404, "resource_missing");
        Problem.Assert(await api.PostAsync("/v1/payments/pay_00000000000000000000000000000/capture", new { }), 404, "resource_missing");
        Problem.Assert(await api.PostAsync("/v1/payments/pay_00000000000000000000000000000/cancel", new { }), 404, "resource_missing");
        Problem.Assert(await api.PostAsync("/v1/payments/pay_00000000000000000000000000000/confirm", new { }), 404, "resource_missing");
    }

    [Theory]
    [InlineData("requires_payment_method")]
    [InlineData("requires_confirmation")]
    [InlineData("requires_capture")]
    public async Task Cancel_FromCancelableState_CancelsWithReason(string from)
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = from switch
        {
            "requires_payment_method" => (await Steps.CreateUnconfirmedAsync(Server, merchant)).Str("id"),
            "requires_confirmation" => (await Steps.CreateUnconfirmedAsync(Server, merchant, paymentMethod: await Steps.TokenizeAsync(Server, merchant, TestCards.Visa))).Str("id"),
            _ => await Steps.AuthorizedPaymentAsync(Server, merchant),
        };
        Assert.Equal(from, (await api.GetAsync($"/v1/payments/{id}")).Str("status"));

        var canceled = (await api.PostAsync($"/v1/payments/{id}/cancel", new { cancellation_reason = "requested_by_customer" })).EnsureStatus(200);

        Assert.Equal("canceled", canceled.Str("status"));
        Assert.Equal(0, canceled.Long("amount_capturable"));
        Assert.Equal(0, canceled.Long("amount_received"));
        Assert.Equal("requested_by_customer", canceled.Str("cancellation_reason"));
        Assert.NotNull(canceled.Str("canceled_at"));
        Assert.Equal("canceled", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));
        Assert.Contains("payment.canceled", await Steps.EventTypesAsync(Server, merchant, id!));
    }

    [Fact]
    public async Task Cancel_WithoutBody_Cancels()
    {
        var merchant = await Server.CreateMerchantAsync();
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant);

        var canceled = (await Server.Client(merchant.SecretKey).PostAsync($"/v1/payments/{id}/cancel", null)).EnsureStatus(200);

        Assert.Equal("canceled", canceled.Str("status"));
        Assert.Equal(JsonValueKind.Null, canceled.Json.GetProperty("cancellation_reason").ValueKind);
    }

    [Theory]
    [InlineData("because")]
    [InlineData("")]
    [InlineData("DUPLICATE")]
    public async Task Cancel_WithInvalidReason_Returns400AndLeavesPaymentAlone(string reason)
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant);

        Problem.Assert(await api.PostAsync($"/v1/payments/{id}/cancel", new { cancellation_reason = reason }), 400, "parameter_invalid", "cancellation_reason");
        Assert.Equal("requires_capture", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));
    }

    [Fact]
    public async Task Capture_WithoutBody_CapturesEverything()
    {
        var merchant = await Server.CreateMerchantAsync();
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant, 3100);

        var captured = (await Server.Client(merchant.SecretKey).PostAsync($"/v1/payments/{id}/capture", null)).EnsureStatus(200);

        Assert.Equal("succeeded", captured.Str("status"));
        Assert.Equal(3100, captured.Long("amount_received"));
        Assert.Equal(0, captured.Long("amount_capturable"));
    }

    [Fact]
    public async Task Confirm_WithoutBody_ConfirmsWithAttachedMethod()
    {
        var merchant = await Server.CreateMerchantAsync();
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);
        var id = (await Steps.CreateUnconfirmedAsync(Server, merchant, 1000, pm)).Str("id");

        var confirmed = (await Server.Client(merchant.SecretKey).PostAsync($"/v1/payments/{id}/confirm", null)).EnsureStatus(200);

        Assert.Equal("succeeded", confirmed.Str("status"));
    }

    [Fact]
    public async Task Capture_EmptyBodyWithJsonContentType_CapturesEverything()
    {
        var merchant = await Server.CreateMerchantAsync();
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant, 700);

        var captured = (await Server.Client(merchant.SecretKey).PostRawAsync($"/v1/payments/{id}/capture", string.Empty)).EnsureStatus(200);

        Assert.Equal(700, captured.Long("amount_received"));
    }

    [Fact]
    public async Task Capture_EmptyJsonObject_CapturesEverything()
    {
        var merchant = await Server.CreateMerchantAsync();
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant, 900);

        var captured = (await Server.Client(merchant.SecretKey).PostRawAsync($"/v1/payments/{id}/capture", "{}")).EnsureStatus(200);

        Assert.Equal(900, captured.Long("amount_received"));
    }

    [Fact]
    public async Task Capture_Partial_CapturesThatAmountAndReleasesTheRest()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant, 2000);

        var captured = (await api.PostAsync($"/v1/payments/{id}/capture", new { amount_to_capture = 1234 })).EnsureStatus(200);

        Assert.Equal("succeeded", captured.Str("status"));
        Assert.Equal(1234, captured.Long("amount_received"));
        Assert.Equal(0, captured.Long("amount_capturable"));
        Assert.Equal(2000, captured.Long("amount"));
        Problem.Assert(await api.PostAsync($"/v1/payments/{id}/capture", new { amount_to_capture = 100 }), 409, "payment_state_conflict");
    }

    [Fact]
    public async Task Capture_MoreThanAuthorized_Returns422AmountExceedsCapturable()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant, 1000);

        Problem.Assert(await api.PostAsync($"/v1/payments/{id}/capture", new { amount_to_capture = 1001 }), 422, "amount_exceeds_capturable", "amount_to_capture");

        var after = await api.GetAsync($"/v1/payments/{id}");
        Assert.Equal("requires_capture", after.Str("status"));
        Assert.Equal(1000, after.Long("amount_capturable"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-1000)]
    public async Task Capture_ZeroOrNegative_Returns400AmountInvalid(long amount)
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant, 1000);

        Problem.Assert(await api.PostAsync($"/v1/payments/{id}/capture", new { amount_to_capture = amount }), 400, "amount_invalid", "amount_to_capture");
        Assert.Equal("requires_capture", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));
    }

    [Fact]
    public async Task Capture_WrongType_Returns400ParameterInvalid()
    {
        var merchant = await Server.CreateMerchantAsync();
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant, 1000);

        var response = await Server.Client(merchant.SecretKey).PostRawAsync($"/v1/payments/{id}/capture", """{"amount_to_capture":"500"}""");

        Problem.Assert(response, 400, "parameter_invalid", "amount_to_capture");
    }

    [Fact]
    public async Task Capture_SucceededPayment_Returns409()
    {
        var merchant = await Server.CreateMerchantAsync();
        var id = await Steps.SucceededPaymentAsync(Server, merchant);

        Problem.Assert(await Server.Client(merchant.SecretKey).PostAsync($"/v1/payments/{id}/capture", new { }), 409, "payment_state_conflict");
    }

    [Fact]
    public async Task Capture_RequiresPaymentMethod_Returns409()
    {
        var merchant = await Server.CreateMerchantAsync();
        var created = await Steps.CreateUnconfirmedAsync(Server, merchant, captureMethod: "manual");

        Problem.Assert(await Server.Client(merchant.SecretKey).PostAsync($"/v1/payments/{created.Str("id")}/capture", new { }), 409, "payment_state_conflict");
    }

    [Fact]
    public async Task Cancel_SucceededPayment_Returns409AndStaysSucceeded()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.SucceededPaymentAsync(Server, merchant);

        Problem.Assert(await api.PostAsync($"/v1/payments/{id}/cancel", new { }), 409, "payment_state_conflict");
        Assert.Equal("succeeded", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));
    }

    [Fact]
    public async Task Cancel_CanceledPayment_Returns409()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = (await Steps.CreateUnconfirmedAsync(Server, merchant)).Str("id");
        (await api.PostAsync($"/v1/payments/{id}/cancel", new { })).EnsureStatus(200);

        Problem.Assert(await api.PostAsync($"/v1/payments/{id}/cancel", new { }), 409, "payment_state_conflict");
    }

    [Fact]
    public async Task Confirm_CanceledPayment_Returns409()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = (await Steps.CreateUnconfirmedAsync(Server, merchant)).Str("id");
        (await api.PostAsync($"/v1/payments/{id}/cancel", new { })).EnsureStatus(200);
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);

        Problem.Assert(await api.PostAsync($"/v1/payments/{id}/confirm", new { payment_method = pm }), 409, "payment_state_conflict");
        Assert.Equal("canceled", (await api.GetAsync($"/v1/payments/{id}")).Str("status"));
    }

    [Fact]
    public async Task Confirm_SucceededPayment_Returns409()
    {
        var merchant = await Server.CreateMerchantAsync();
        var id = await Steps.SucceededPaymentAsync(Server, merchant);

        Problem.Assert(await Server.Client(merchant.SecretKey).PostAsync($"/v1/payments/{id}/confirm", new { }), 409, "payment_state_conflict");
    }

    [Fact]
    public async Task Capture_AfterCancel_Returns409()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var id = await Steps.AuthorizedPaymentAsync(Server, merchant);
        (await api.PostAsync($"/v1/payments/{id}/cancel", new { })).EnsureStatus(200);

        Problem.Assert(await api.PostAsync($"/v1/payments/{id}/capture", new { }), 409, "payment_state_conflict");
        var after = await api.GetAsync($"/v1/payments/{id}");
        Assert.Equal("canceled", after.Str("status"));
        Assert.Equal(0, after.Long("amount_received"));
    }

    [Fact]
    public async Task CreateWithConfirm_WithoutPaymentMethod_Returns400PaymentMethodRequired()
    {
        var merchant = await Server.CreateMerchantAsync();

        var response = await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 1000, currency = "EUR", confirm = true });

        Problem.Assert(response, 400, "payment_method_required", "payment_method");
    }

    [Theory]
    [InlineData("pm_00000000000000000000000000000")]
    [InlineData("pm_doesnotexist")]
    [InlineData("pay_00000000000000000000000000000")]
    public async Task Create_UnknownPaymentMethod_Returns404WithParam(string pm)
    {
        var merchant = await Server.CreateMerchantAsync();

        var response = await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 1000, currency = "EUR", payment_method = pm, confirm = true });

        Problem.Assert(response, 404, "resource_missing", "payment_method");
    }

    [Fact]
    public async Task Confirm_UnknownPaymentMethod_Returns404WithParam()
    {
        var merchant = await Server.CreateMerchantAsync();
        var id = (await Steps.CreateUnconfirmedAsync(Server, merchant)).Str("id");

        var response = await Server.Client(merchant.SecretKey).PostAsync($"/v1/payments/{id}/confirm", new { payment_method = "pm_00000000000000000000000000000" });

        Problem.Assert(response, 404, "resource_missing", "payment_method");
    }

    [Fact]
    public async Task Metadata_DescriptionCustomer_RoundTrip()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var metadata = new Dictionary<string, string> { ["order_id"] = "A-1001", ["note"] = "Grüße \"quoted\" <b>", ["empty"] = string.Empty };

        var created = (await api.PostAsync("/v1/payments", new
        {
            amount = 1500,
            currency = "usd",
            description = "Two coffees",
            customer = "shopper-42", // free text; a cus_ value must name a customer
            metadata,
        })).EnsureStatus(200);
        var fetched = (await api.GetAsync($"/v1/payments/{created.Str("id")}")).EnsureStatus(200);

        foreach (var view in new[] { created, fetched })
        {
            var md = view.Json.GetProperty("metadata").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
            Assert.Equal(metadata.OrderBy(p => p.Key), md.OrderBy(p => p.Key)!);
            Assert.Equal("Two coffees", view.Str("description"));
            Assert.Equal("shopper-42", view.Str("customer"));
            Assert.Equal("USD", view.Str("currency"));
        }
    }

    [Fact]
    public async Task Metadata_FiftyKeysAccepted_FiftyOneRejected()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);
        var fifty = Enumerable.Range(0, 50).ToDictionary(i => $"k{i}", i => $"v{i}");
        var fiftyOne = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => $"v{i}");

        var ok = (await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", metadata = fifty })).EnsureStatus(200);
        Assert.Equal(50, ok.Json.GetProperty("metadata").EnumerateObject().Count());
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", metadata = fiftyOne }), 400, "parameter_invalid", "metadata");
    }

    [Fact]
    public async Task Metadata_KeyOrValueTooLong_Returns400()
    {
        var merchant = await Server.CreateMerchantAsync();
        var api = Server.Client(merchant.SecretKey);

        (await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", metadata = new Dictionary<string, string> { [new string('k', 40)] = new string('v', 500) } })).EnsureStatus(200);
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", metadata = new Dictionary<string, string> { [new string('k', 41)] = "v" } }),
            400, "parameter_invalid", "metadata");
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", metadata = new Dictionary<string, string> { ["k"] = new string('v', 501) } }),
            400, "parameter_invalid", "metadata[k]");
        Problem.Assert(await api.PostAsync("/v1/payments", new { amount = 100, currency = "EUR", metadata = new Dictionary<string, string> { [string.Empty] = "v" } }),
            400, "parameter_invalid", "metadata");
    }

    [Fact]
    public async Task Metadata_NonStringValue_Returns400()
    {
        var merchant = await Server.CreateMerchantAsync();

        var response = await Server.Client(merchant.SecretKey).PostRawAsync("/v1/payments", """{"amount":100,"currency":"EUR","metadata":{"n":5}}""");

        Problem.Assert(response, 400, "parameter_invalid");
        Assert.StartsWith("metadata", response.Str("param"));
    }

    [Fact]
    public async Task DescriptionTooLong_Returns400()
    {
        var merchant = await Server.CreateMerchantAsync();

        var response = await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 100, currency = "EUR", description = new string('d', 1001) });

        Problem.Assert(response, 400, "parameter_invalid", "description");
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("ftp://shop.example/return")]
    [InlineData("javascript:alert(1)")]
    public async Task ReturnUrl_Invalid_Returns400(string url)
    {
        var merchant = await Server.CreateMerchantAsync();

        var response = await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 100, currency = "EUR", return_url = url });

        Problem.Assert(response, 400, "parameter_invalid", "return_url");
    }

    [Fact]
    public async Task ReturnUrl_TooLong_Returns400()
    {
        var merchant = await Server.CreateMerchantAsync();

        var response = await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 100, currency = "EUR", return_url = "https://shop.example/" + new string('a', 2048) });

        Problem.Assert(response, 400, "parameter_invalid", "return_url");
    }

    [Fact]
    public async Task ReturnUrl_Valid_IsReturned()
    {
        var merchant = await Server.CreateMerchantAsync();

        var response = (await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 100, currency = "EUR", return_url = "https://shop.example/return?order=1" })).EnsureStatus(200);

        Assert.Equal("https://shop.example/return?order=1", response.Str("return_url"));
    }

    [Fact]
    public async Task Confirm_InvalidReturnUrl_Returns400()
    {
        var merchant = await Server.CreateMerchantAsync();
        var id = (await Steps.CreateUnconfirmedAsync(Server, merchant)).Str("id");
        var pm = await Steps.TokenizeAsync(Server, merchant, TestCards.Visa);

        var response = await Server.Client(merchant.SecretKey).PostAsync($"/v1/payments/{id}/confirm", new { payment_method = pm, return_url = "nope" });

        Problem.Assert(response, 400, "parameter_invalid", "return_url");
    }

    [Fact]
    public async Task Create_InTestMode_ReportsSimulatorProvider()
    {
        var merchant = await Server.CreateMerchantAsync();

        var response = (await Server.Client(merchant.SecretKey).PostAsync("/v1/payments", new { amount = 100, currency = "EUR", provider = "simulator" })).EnsureStatus(200);

        Assert.Equal("simulator", response.Str("provider"));
    }
}
