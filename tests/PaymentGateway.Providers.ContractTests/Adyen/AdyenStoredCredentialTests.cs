using System.Text.Json.Nodes;
using PaymentGateway.Providers.Adyen;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Scenarios;
using WireMock.RequestBuilders;

namespace PaymentGateway.Providers.ContractTests.Adyen;

/// <summary>
/// Stored credentials through Adyen Checkout v71 (WireMock; every body validated against the published OpenAPI): the first
/// payment stores a token, setup mode is a zero-value authorisation, an off-session payment sends the token with
/// <c>ContAuth</c> and no card, a card saved elsewhere carries the network transaction id, and refusal 38 is
/// authentication required.
/// </summary>
public sealed class AdyenStoredCredentialTests : IDisposable
{
    private const string Token = "8415718415172200";
    private const string Nti = "MCC123456789012";

    private readonly AdyenScenarioFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private ProviderWireMock Mock => _fixture.Mock;

    private static string Tokenized(string resultCode) => new JsonObject
    {
        ["pspReference"] = AdyenScenarioFixture.PspReference,
        ["resultCode"] = resultCode,
        ["additionalData"] = new JsonObject
        {
            ["tokenization.storedPaymentMethodId"] = Token,
            ["recurring.shopperReference"] = "cus_gateway1",
            ["networkTxReference"] = Nti,
        },
    }.ToJsonString();

    [Fact]
    public async Task SaveOnFirstPayment_StoresTheTokenForTheShopper_AndReturnsTheTokenAndNetworkTxReference()
    {
        Mock.Server.Given(Request.Create().WithPath("/v71/payments").UsingPost()).RespondWith(ProviderWireMock.Json(200, Tokenized("Authorised")));

        var result = await Flow<IAuthorizeFlow>().AuthorizeAsync(Authorize(First(StoredCredentialUsage.OffSession), ScenarioCards.Approved, capture: false), CancellationToken.None);

        var body = SentPayment();
        Assert.True(body["storePaymentMethod"]!.GetValue<bool>());
        Assert.Equal("cus_gateway1", body["shopperReference"]!.GetValue<string>());
        Assert.Equal("UnscheduledCardOnFile", body["recurringProcessingModel"]!.GetValue<string>());
        Assert.Equal("Ecommerce", body["shopperInteraction"]!.GetValue<string>());
        Assert.Equal("4242424242424242", body["paymentMethod"]!["number"]!.GetValue<string>());
        Assert.Empty(_fixture.SchemaProblems());

        Assert.Equal(ProviderOutcome.Authorized, result.Outcome);
        Assert.Equal(Nti, result.NetworkTransactionId);
        Assert.Equal(new Dictionary<string, string> { ["stored_payment_method_id"] = Token, ["shopper_reference"] = "cus_gateway1" }, result.RecurringReferences);
    }

    [Fact]
    public async Task SaveForOnSessionUse_IsCardOnFile_AndAutomaticCaptureStaysPendingWithTheToken()
    {
        Mock.Server.Given(Request.Create().WithPath("/v71/payments").UsingPost()).RespondWith(ProviderWireMock.Json(200, Tokenized("Authorised")));

        var result = await Flow<IAuthorizeFlow>().AuthorizeAsync(Authorize(First(StoredCredentialUsage.OnSession), ScenarioCards.Approved, capture: true), CancellationToken.None);

        Assert.Equal("CardOnFile", SentPayment()["recurringProcessingModel"]!.GetValue<string>());
        Assert.Equal(ProviderOutcome.Pending, result.Outcome);
        Assert.Equal(Token, result.RecurringReferences?["stored_payment_method_id"]);
    }

    [Fact]
    public async Task SetupMode_IsAZeroValueAuthorisationThatStoresTheCard()
    {
        Mock.Server.Given(Request.Create().WithPath("/v71/payments").UsingPost()).RespondWith(ProviderWireMock.Json(200, Tokenized("Authorised")));

        var result = await Flow<IVerifyFlow>().VerifyAsync(new VerifyRequest
        {
            Account = _fixture.Account,
            PaymentId = "pay_setup",
            AttemptId = "att_1",
            IdempotencyKey = "pay_setup:att_1",
            Currency = Currency.Get("EUR"),
            Card = ScenarioCards.Approved,
            ReturnUrl = "https://shop.example/return",
            StoredCredential = First(StoredCredentialUsage.OffSession),
        }, CancellationToken.None);

        var body = SentPayment();
        Assert.Equal(0, body["amount"]!["value"]!.GetValue<long>());
        Assert.Equal("EUR", body["amount"]!["currency"]!.GetValue<string>());
        Assert.True(body["storePaymentMethod"]!.GetValue<bool>());
        Assert.Null(body["captureDelayHours"]);
        Assert.Null(body["additionalData"]);
        Assert.Empty(_fixture.SchemaProblems());
        Assert.Equal(ProviderOutcome.Authorized, result.Outcome);
        Assert.Equal(Token, result.RecurringReferences?["stored_payment_method_id"]);
    }

    [Theory]
    [InlineData(MerchantInitiatedType.Recurring, "Subscription")]
    [InlineData(MerchantInitiatedType.Instalment, "Subscription")]
    [InlineData(MerchantInitiatedType.Unscheduled, "UnscheduledCardOnFile")]
    public async Task OffSessionCharge_SendsTheTokenWithContAuth_AndNoCardNumber(MerchantInitiatedType type, string model)
    {
        Mock.Server.Given(Request.Create().WithPath("/v71/payments").UsingPost()).RespondWith(ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("Authorised")));

        var result = await Flow<IAuthorizeFlow>().AuthorizeAsync(
            Authorize(Mit(type, new Dictionary<string, string> { ["stored_payment_method_id"] = Token, ["shopper_reference"] = "cus_gateway1" }), ScenarioCards.Approved with { Cvc = null }, capture: false),
            CancellationToken.None);

        var body = SentPayment();
        Assert.Equal(new JsonObject { ["type"] = "scheme", ["storedPaymentMethodId"] = Token }.ToJsonString(), body["paymentMethod"]!.ToJsonString());
        Assert.Equal("ContAuth", body["shopperInteraction"]!.GetValue<string>());
        Assert.Equal(model, body["recurringProcessingModel"]!.GetValue<string>());
        Assert.Equal("cus_gateway1", body["shopperReference"]!.GetValue<string>());
        Assert.Null(body["storePaymentMethod"]);
        Assert.Null(body["additionalData"]!["networkTxReference"]);
        Assert.DoesNotContain("4242424242424242", Assert.Single(Mock.Requests).Body, StringComparison.Ordinal);
        Assert.Empty(_fixture.SchemaProblems());
        Assert.Equal(ProviderOutcome.Authorized, result.Outcome);
    }

    [Fact]
    public async Task OffSessionCharge_OfACardSavedElsewhere_SendsTheCardWithTheSeriesNetworkTxReference()
    {
        Mock.Server.Given(Request.Create().WithPath("/v71/payments").UsingPost()).RespondWith(ProviderWireMock.Json(200, AdyenScenarioFixture.PaymentResponse("Authorised")));

        await Flow<IAuthorizeFlow>().AuthorizeAsync(Authorize(Mit(MerchantInitiatedType.Recurring, new Dictionary<string, string>()), ScenarioCards.Approved with { Cvc = null }, capture: false),
            CancellationToken.None);

        var body = SentPayment();
        Assert.Equal("4242424242424242", body["paymentMethod"]!["number"]!.GetValue<string>());
        Assert.Null(body["paymentMethod"]!["cvc"]);
        Assert.Equal(Nti, body["additionalData"]!["networkTxReference"]!.GetValue<string>());
        Assert.Equal("ContAuth", body["shopperInteraction"]!.GetValue<string>());
        Assert.Empty(_fixture.SchemaProblems());
        Assert.True(_fixture.Provider.Capabilities.AcceptsNetworkTransactionIds);
    }

    [Fact]
    public async Task OffSessionCharge_RefusedAuthenticationRequired_MapsToTheGatewaysAuthenticationRequired()
    {
        Mock.Server.Given(Request.Create().WithPath("/v71/payments").UsingPost()).RespondWith(ProviderWireMock.Json(200,
            AdyenScenarioFixture.PaymentResponse("Refused", "Authentication required", "38")));

        var result = await Flow<IAuthorizeFlow>().AuthorizeAsync(
            Authorize(Mit(MerchantInitiatedType.Recurring, new Dictionary<string, string> { ["stored_payment_method_id"] = Token }), ScenarioCards.Approved with { Cvc = null }, capture: true),
            CancellationToken.None);

        Assert.Equal(ProviderOutcome.Declined, result.Outcome);
        Assert.Equal(DeclineCodes.AuthenticationRequired, result.DeclineCode);
        Assert.Null(result.RecurringReferences);
    }

    private JsonNode SentPayment() => JsonNode.Parse(Assert.Single(Mock.Requests, r => r.Path == "/v71/payments").Body!)!;

    private static StoredCredential First(StoredCredentialUsage usage) => new()
    {
        Initiator = StoredCredentialInitiator.Customer,
        Sequence = StoredCredentialSequence.First,
        Usage = usage,
        CustomerReference = "cus_gateway1",
    };

    private static StoredCredential Mit(MerchantInitiatedType type, IReadOnlyDictionary<string, string> references) => new()
    {
        Initiator = StoredCredentialInitiator.Merchant,
        Sequence = StoredCredentialSequence.Subsequent,
        MerchantInitiatedType = type,
        NetworkTransactionId = Nti,
        ProviderReferences = references,
        CustomerReference = "cus_gateway1",
    };

    private AuthorizeRequest Authorize(StoredCredential stored, ProviderCard card, bool capture) => new()
    {
        Account = _fixture.Account,
        PaymentId = "pay_saved",
        AttemptId = "att_1",
        IdempotencyKey = "pay_saved:att_1",
        Amount = Money.Of(19_90, "EUR"),
        Capture = capture,
        Card = card,
        ReturnUrl = "https://shop.example/return",
        StoredCredential = stored,
    };

    private T Flow<T>() => (T)_fixture.Provider;
}
