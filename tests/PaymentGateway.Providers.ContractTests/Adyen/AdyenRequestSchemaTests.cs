using System.Text;
using System.Text.Json.Nodes;
using PaymentGateway.Providers.Adyen;
using PaymentGateway.Providers.ContractTests.Scenarios;

namespace PaymentGateway.Providers.ContractTests.Adyen;

/// <summary>
/// The Adyen adapter's request bodies against Adyen's published Checkout v71 OpenAPI document. The shared scenario suite
/// checks every body it makes the adapter send (<see cref="AdyenScenarioFixture"/> validates them when a scenario ends);
/// these tests cover the bodies the suite does not reach and prove the validator refuses what Adyen would.
/// </summary>
public sealed class AdyenRequestSchemaTests
{
    private static readonly AdyenOpenApiValidator Validator = AdyenOpenApiValidator.CheckoutV71;

    private static AuthorizeRequest Authorize(bool capture) => new()
    {
        PaymentId = "pay_schema",
        AttemptId = "att_schema",
        IdempotencyKey = "pay_schema:att_schema",
        Amount = Money.Of(12_34, "EUR"),
        Capture = capture,
        Card = ScenarioCards.Approved,
        ReturnUrl = "https://shop.example/return?order=1",
        Description = "Order #42 — café & more (2 items)",
        Browser = new CustomerBrowser
        {
            IpAddress = "203.0.113.7",
            Origin = "https://shop.example",
            UserAgent = "Mozilla/5.0 (X11; Linux x86_64)",
            AcceptHeader = "text/html,application/xhtml+xml",
            Language = "nl-NL",
            ColorDepth = 24,
            ScreenHeight = 1080,
            ScreenWidth = 1920,
            TimeZoneOffsetMinutes = -60,
            JavaEnabled = false,
            JavaScriptEnabled = true,
        },
        ThreeDSecure = ThreeDSecurePreference.Challenge,
    };

    public static TheoryData<string, string> AdapterBodies()
    {
        var data = new TheoryData<string, string>();
        void Add(string path, byte[] body) => data.Add(path, Encoding.UTF8.GetString(body));
        Add("/payments", AdyenTransformers.PaymentRequestBody(Authorize(capture: false), "GatewayTestMerchant", "https://shop.example/return"));
        Add("/payments", AdyenTransformers.PaymentRequestBody(Authorize(capture: true) with { Browser = null, ThreeDSecure = ThreeDSecurePreference.Automatic, Description = null },
            "GatewayTestMerchant", "https://shop.example/return"));
        Add("/payments/details", AdyenTransformers.PaymentDetailsBody(new CompleteAuthenticationRequest
        {
            PaymentId = "pay_schema",
            ProviderReference = "PSP1",
            Details = new Dictionary<string, string> { ["redirectResult"] = "X6XtfGC3!Y..." },
            Capture = false,
            Amount = Money.Of(12_34, "EUR"),
        }));
        Add("/payments/PSP1/captures", AdyenTransformers.CaptureBody(new CaptureRequest
        {
            PaymentId = "pay_schema",
            ProviderReference = "PSP1",
            IdempotencyKey = "k1",
            Amount = Money.Of(12_34, "EUR"),
        }, "GatewayTestMerchant"));
        Add("/payments/PSP1/cancels", AdyenTransformers.CancelBody(new VoidRequest { PaymentId = "pay_schema", ProviderReference = "PSP1", IdempotencyKey = "k2" }, "GatewayTestMerchant"));
        Add("/payments/PSP1/refunds", AdyenTransformers.RefundBody(new RefundRequest
        {
            RefundId = "re_schema",
            PaymentId = "pay_schema",
            ProviderReference = "PSP1",
            IdempotencyKey = "k3",
            Amount = Money.Of(5_00, "EUR"),
        }, "GatewayTestMerchant"));
        return data;
    }

    [Theory]
    [MemberData(nameof(AdapterBodies))]
    public void EveryBodyTheAdapterBuilds_IsOneAdyenDocuments(string path, string body) =>
        Assert.Empty(Validator.Validate(Validator.RequestSchemaFor(path), body));

    [Fact]
    public void ThePaymentBody_CarriesWebThreeDSecureData_AndAStatementOfAllowedCharacters()
    {
        var body = JsonNode.Parse(AdyenTransformers.PaymentRequestBody(Authorize(capture: false), "M", "https://shop.example/return"))!;
        Assert.Equal("https://shop.example", body["origin"]!.GetValue<string>());
        Assert.Equal("203.0.113.7", body["shopperIP"]!.GetValue<string>());
        Assert.Equal("Web", body["channel"]!.GetValue<string>());
        Assert.Equal("nl-NL", body["browserInfo"]!["language"]!.GetValue<string>());
        Assert.Equal(-60, body["browserInfo"]!["timeZoneOffset"]!.GetValue<int>());
        Assert.Equal("always", body["authenticationData"]!["attemptAuthentication"]!.GetValue<string>());
        Assert.Equal("03", body["threeDS2RequestData"]!["threeDSRequestorChallengeInd"]!.GetValue<string>());
        Assert.Equal("Order 42 caf more 2 it", body["shopperStatement"]!.GetValue<string>());
    }

    [Fact]
    public void AnUnknownPropertyAtTheRoot_Fails_WhereTheSchemaForbidsAdditionalProperties()
    {
        var body = PaymentBody();
        body["shopperMood"] = "happy";
        var problems = Validator.Validate("PaymentRequest", body.ToJsonString());
        Assert.Contains(problems, p => p.Contains("shopperMood", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnknownPropertyInsideThePaymentMethod_Fails_EvenWhereTheSchemaLeavesItOpen()
    {
        var body = PaymentBody();
        body["paymentMethod"]!["pinCode"] = "1234";
        var problems = Validator.Validate("PaymentRequest", body.ToJsonString());
        Assert.Contains(problems, p => p.Contains("$.paymentMethod.pinCode", StringComparison.Ordinal));
    }

    [Fact]
    public void AMissingRequiredField_AWrongEnumValue_AndAWrongType_Fail()
    {
        var missing = PaymentBody();
        missing.Remove("returnUrl");
        Assert.NotEmpty(Validator.Validate("PaymentRequest", missing.ToJsonString()));

        var wrongEnum = PaymentBody();
        wrongEnum["channel"] = "Telepathy";
        Assert.NotEmpty(Validator.Validate("PaymentRequest", wrongEnum.ToJsonString()));

        var wrongType = PaymentBody();
        wrongType["amount"]!["value"] = "12.34";
        Assert.NotEmpty(Validator.Validate("PaymentRequest", wrongType.ToJsonString()));

        var capture = JsonNode.Parse(AdyenTransformers.CaptureBody(new CaptureRequest
        {
            PaymentId = "pay_schema",
            ProviderReference = "PSP1",
            IdempotencyKey = "k",
            Amount = Money.Of(1, "EUR"),
        }, "M"))!.AsObject();
        capture["captureReason"] = "shipped";
        Assert.Contains(Validator.Validate(Validator.RequestSchemaFor("/payments/PSP1/captures"), capture.ToJsonString()), p => p.Contains("captureReason", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheScenarioFixture_ChecksEveryBodyItSent()
    {
        using var fixture = new AdyenScenarioFixture();
        var card = fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, Money.Of(10_00, "EUR"), capture: false);
        await ((IAuthorizeFlow)fixture.Provider).AuthorizeAsync(Authorize(capture: false) with { Account = fixture.Account, Card = card }, CancellationToken.None);
        fixture.ArrangeAuthorize(AuthorizeAnswer.Approved, Money.Of(10_00, "EUR"), capture: true); // clears WireMock's log: the fixture keeps it
        fixture.ArrangeCapture(AdyenScenarioFixture.PspReference, Money.Of(10_00, "EUR"));
        await ((ICaptureFlow)fixture.Provider).CaptureAsync(new CaptureRequest
        {
            Account = fixture.Account,
            PaymentId = "pay_schema",
            ProviderReference = AdyenScenarioFixture.PspReference,
            IdempotencyKey = "k",
            Amount = Money.Of(10_00, "EUR"),
        }, CancellationToken.None);

        Assert.Equal(["/v71/payments", $"/v71/payments/{AdyenScenarioFixture.PspReference}/captures"], fixture.AllSent.Select(r => r.Path));
        Assert.Empty(fixture.SchemaProblems());
    }

    private static JsonObject PaymentBody() =>
        JsonNode.Parse(AdyenTransformers.PaymentRequestBody(Authorize(capture: false), "M", "https://shop.example/return"))!.AsObject();
}
