using System.Text.Json.Nodes;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.ContractTests.Scenarios;
using WireMock.RequestBuilders;

namespace PaymentGateway.Providers.ContractTests.Mollie;

/// <summary>
/// Mollie recurring (WireMock playing Mollie's documented API): the first payment is a Mollie Customer's
/// <c>sequenceType: first</c> payment on Mollie's checkout, whose paid read-back gives the customer and mandate; a
/// merchant-initiated payment is <c>sequenceType: recurring</c> on them with no redirect and no card data; a failed
/// recurring payment's <c>authentication_required</c> is the gateway's authentication required.
/// </summary>
public sealed class MollieStoredCredentialTests : IDisposable
{
    private const string Customer = "cst_8wmqcHMN4U";
    private const string Mandate = "mdt_pWUnw6pkBN";

    private readonly MollieScenarioFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private ProviderWireMock Mock => _fixture.Mock;

    private static string Recurring(string status, string sequenceType, string? failureReason = null)
    {
        var payment = JsonNode.Parse(MollieScenarioFixture.Payment(status, Money.Of(1990, "EUR"), manualCapture: false, failureReason: failureReason))!.AsObject();
        payment["customerId"] = Customer;
        payment["mandateId"] = Mandate;
        payment["sequenceType"] = sequenceType;
        return payment.ToJsonString();
    }

    [Fact]
    public async Task SaveOnFirstPayment_CreatesACustomer_PaysFirstOnTheCheckout_AndTheReadBackGivesTheCustomerAndMandate()
    {
        Mock.Server.Given(Request.Create().WithPath("/v2/customers").UsingPost()).RespondWith(ProviderWireMock.Json(201,
            new JsonObject { ["resource"] = "customer", ["id"] = Customer }.ToJsonString()));
        var open = JsonNode.Parse(MollieScenarioFixture.Payment("open", Money.Of(1990, "EUR"), manualCapture: false, checkoutUrl: MollieScenarioFixture.CheckoutUrl))!.AsObject();
        open["sequenceType"] = "first";
        open["customerId"] = Customer;
        Mock.Server.Given(Request.Create().WithPath("/v2/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201, open.ToJsonString()));
        Mock.Server.Given(Request.Create().WithPath($"/v2/payments/{MollieScenarioFixture.PaymentReference}").UsingGet()).RespondWith(ProviderWireMock.Json(200, Recurring("paid", "first")));

        var first = await ((IAuthorizeFlow)_fixture.Provider).AuthorizeAsync(Authorize(new StoredCredential
        {
            Initiator = StoredCredentialInitiator.Customer,
            Sequence = StoredCredentialSequence.First,
            Usage = StoredCredentialUsage.OffSession,
            CustomerReference = "cus_gateway1",
        }, ScenarioCards.Approved), CancellationToken.None);

        var customer = JsonNode.Parse(Assert.Single(Mock.Requests, r => r.Path == "/v2/customers").Body!)!;
        Assert.Equal("cus_gateway1", customer["metadata"]!["gateway_customer_id"]!.GetValue<string>());
        Assert.Equal("pay_saved:att_1:customer", ProviderWireMock.Header(Assert.Single(Mock.Requests, r => r.Path == "/v2/customers"), "Idempotency-Key"));
        var body = JsonNode.Parse(Assert.Single(Mock.Requests, r => r.Path == "/v2/payments").Body!)!;
        Assert.Equal((Customer, "first"), (body["customerId"]!.GetValue<string>(), body["sequenceType"]!.GetValue<string>()));
        Assert.Equal("https://shop.example/return", body["redirectUrl"]!.GetValue<string>());
        Assert.DoesNotContain("4242424242424242", Assert.Single(Mock.Requests, r => r.Path == "/v2/payments").Body, StringComparison.Ordinal);
        Assert.Equal(ProviderOutcome.RequiresAction, first.Outcome);

        var back = await ((IAuthenticationFlow)_fixture.Provider).CompleteAuthenticationAsync(new CompleteAuthenticationRequest
        {
            Account = _fixture.Account,
            PaymentId = "pay_saved",
            ProviderReference = MollieScenarioFixture.PaymentReference,
            Details = new Dictionary<string, string>(),
            Capture = true,
            Amount = Money.Of(1990, "EUR"),
        }, CancellationToken.None);

        Assert.Equal(ProviderOutcome.Succeeded, back.Outcome);
        Assert.Equal(new Dictionary<string, string> { ["customer_id"] = Customer, ["mandate_id"] = Mandate }, back.RecurringReferences);
    }

    [Fact]
    public async Task SetupMode_IsAZeroAmountFirstPaymentOnMolliesCheckout_AndTheReadBackGivesTheMandate()
    {
        Mock.Server.Given(Request.Create().WithPath("/v2/customers").UsingPost()).RespondWith(ProviderWireMock.Json(201,
            new JsonObject { ["resource"] = "customer", ["id"] = Customer }.ToJsonString()));
        var open = JsonNode.Parse(MollieScenarioFixture.Payment("open", Money.Of(0, "EUR"), manualCapture: false, checkoutUrl: MollieScenarioFixture.CheckoutUrl))!.AsObject();
        open["sequenceType"] = "first";
        open["customerId"] = Customer;
        Mock.Server.Given(Request.Create().WithPath("/v2/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201, open.ToJsonString()));
        var paid = JsonNode.Parse(MollieScenarioFixture.Payment("paid", Money.Of(0, "EUR"), manualCapture: false))!.AsObject();
        (paid["customerId"], paid["mandateId"], paid["sequenceType"]) = (Customer, Mandate, "first");
        Mock.Server.Given(Request.Create().WithPath($"/v2/payments/{MollieScenarioFixture.PaymentReference}").UsingGet()).RespondWith(ProviderWireMock.Json(200, paid.ToJsonString()));

        var setup = await ((IVerifyFlow)_fixture.Provider).VerifyAsync(new VerifyRequest
        {
            Account = _fixture.Account,
            PaymentId = "pay_setup",
            AttemptId = "att_1",
            IdempotencyKey = "pay_setup:att_1",
            Currency = Currency.Get("EUR"),
            Card = ScenarioCards.Approved,
            ReturnUrl = "https://shop.example/return",
            StoredCredential = new StoredCredential
            {
                Initiator = StoredCredentialInitiator.Customer,
                Sequence = StoredCredentialSequence.First,
                Usage = StoredCredentialUsage.OffSession,
                CustomerReference = "cus_gateway1",
            },
        }, CancellationToken.None);

        var sent = Assert.Single(Mock.Requests, r => r.Path == "/v2/payments");
        var body = JsonNode.Parse(sent.Body!)!;
        Assert.Equal(new JsonObject { ["currency"] = "EUR", ["value"] = "0.00" }.ToJsonString(), body["amount"]!.ToJsonString());
        Assert.Equal(("creditcard", "first", Customer), (body["method"]!.GetValue<string>(), body["sequenceType"]!.GetValue<string>(), body["customerId"]!.GetValue<string>()));
        Assert.Null(body["captureMode"]);
        Assert.Equal("https://shop.example/return", body["redirectUrl"]!.GetValue<string>());
        Assert.Equal("pay_setup:att_1", ProviderWireMock.Header(sent, "Idempotency-Key"));
        Assert.DoesNotContain("4242424242424242", sent.Body, StringComparison.Ordinal);
        Assert.Equal(ProviderOutcome.RequiresAction, setup.Outcome);
        Assert.Equal(MollieScenarioFixture.CheckoutUrl, setup.RedirectUrl);

        var back = await ((IAuthenticationFlow)_fixture.Provider).CompleteAuthenticationAsync(new CompleteAuthenticationRequest
        {
            Account = _fixture.Account,
            PaymentId = "pay_setup",
            ProviderReference = MollieScenarioFixture.PaymentReference,
            Details = new Dictionary<string, string>(),
            Capture = true,
            Amount = Money.Of(0, "EUR"),
        }, CancellationToken.None);

        Assert.Equal(ProviderOutcome.Succeeded, back.Outcome);
        Assert.Equal(new Dictionary<string, string> { ["customer_id"] = Customer, ["mandate_id"] = Mandate }, back.RecurringReferences);
    }

    [Fact]
    public async Task OffSessionCharge_IsARecurringPaymentOnTheCustomerAndMandate_WithNoRedirect()
    {
        Mock.Server.Given(Request.Create().WithPath("/v2/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201, Recurring("paid", "recurring")));

        var result = await ((IAuthorizeFlow)_fixture.Provider).AuthorizeAsync(Authorize(Mit(), ScenarioCards.Approved with { Cvc = null }) with { ReturnUrl = null },
            CancellationToken.None);

        var body = JsonNode.Parse(Assert.Single(Mock.Requests).Body!)!;
        Assert.Equal((Customer, Mandate, "recurring"), (body["customerId"]!.GetValue<string>(), body["mandateId"]!.GetValue<string>(), body["sequenceType"]!.GetValue<string>()));
        Assert.Null(body["redirectUrl"]);
        Assert.Equal(ProviderOutcome.Succeeded, result.Outcome);
        Assert.Null(result.RecurringReferences);
    }

    [Fact]
    public async Task OffSessionCharge_FailedAuthenticationRequired_IsTheGatewaysAuthenticationRequired()
    {
        Mock.Server.Given(Request.Create().WithPath("/v2/payments").UsingPost()).RespondWith(ProviderWireMock.Json(201, Recurring("failed", "recurring", "authentication_required")));

        var result = await ((IAuthorizeFlow)_fixture.Provider).AuthorizeAsync(Authorize(Mit(), ScenarioCards.Approved with { Cvc = null }), CancellationToken.None);

        Assert.Equal(ProviderOutcome.Declined, result.Outcome);
        Assert.Equal(DeclineCodes.AuthenticationRequired, result.DeclineCode);
    }

    [Fact]
    public async Task OffSessionCharge_OfACardMollieDidNotSave_IsNotSent()
    {
        await Assert.ThrowsAsync<ProviderUnavailableException>(() => ((IAuthorizeFlow)_fixture.Provider).AuthorizeAsync(
            Authorize(Mit() with { ProviderReferences = new Dictionary<string, string>() }, ScenarioCards.Approved with { Cvc = null }), CancellationToken.None));
        Assert.Empty(Mock.Requests);
        Assert.False(_fixture.Provider.Capabilities.AcceptsNetworkTransactionIds);
    }

    private static StoredCredential Mit() => new()
    {
        Initiator = StoredCredentialInitiator.Merchant,
        Sequence = StoredCredentialSequence.Subsequent,
        MerchantInitiatedType = MerchantInitiatedType.Recurring,
        ProviderReferences = new Dictionary<string, string> { ["customer_id"] = Customer, ["mandate_id"] = Mandate },
        CustomerReference = "cus_gateway1",
    };

    private AuthorizeRequest Authorize(StoredCredential stored, ProviderCard card) => new()
    {
        Account = _fixture.Account,
        PaymentId = "pay_saved",
        AttemptId = "att_1",
        IdempotencyKey = "pay_saved:att_1",
        Amount = Money.Of(19_90, "EUR"),
        Capture = true,
        Card = card,
        ReturnUrl = "https://shop.example/return",
        StoredCredential = stored,
    };
}
