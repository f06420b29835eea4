using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaymentGateway.Providers.ContractTests.Infrastructure;
using PaymentGateway.Providers.Mollie;
using WireMock.RequestBuilders;

namespace PaymentGateway.Providers.ContractTests.Mollie;

/// <summary>
/// The Mollie adapter's <see cref="IBankTransferProvider"/> flow against WireMock playing Mollie's documented
/// <c>banktransfer</c> payment (<c>details.bankName</c>, <c>bankAccount</c>, <c>bankBic</c>, <c>transferReference</c>,
/// <c>expiresAt</c>), and the pure translations behind it.
/// </summary>
public sealed class MollieBankTransferTests : IDisposable
{
    private const string Reference = "RF12-3456-7890-1234";
    private readonly MollieScenarioFixture _fixture = new();

    private IBankTransferProvider Flow => (IBankTransferProvider)_fixture.Provider;

    public void Dispose() => _fixture.Dispose();

    private static JsonObject Transfer(string status, string? paymentId = null) => new()
    {
        ["resource"] = "payment",
        ["id"] = "tr_WDqYK6vllg",
        ["status"] = status,
        ["method"] = "banktransfer",
        ["amount"] = new JsonObject { ["currency"] = "EUR", ["value"] = "125.00" },
        ["description"] = "Order 1001",
        ["expiresAt"] = "2026-12-06T13:10:19+00:00",
        ["paidAt"] = status == "paid" ? "2026-11-30T09:00:00+00:00" : null,
        ["details"] = new JsonObject
        {
            ["bankName"] = "Stichting Mollie Payments",
            ["bankAccount"] = "NL53 ABNA 0627 5355 77",
            ["bankBic"] = "ABNANL2A",
            ["transferReference"] = Reference,
        },
        ["metadata"] = paymentId is null ? null : new JsonObject { ["gateway_payment_id"] = paymentId },
    };

    private CreateBankTransferRequest Create(string key = "pay_bt:att_1") => new()
    {
        Account = _fixture.Account!,
        PaymentId = "pay_bt",
        AttemptId = "att_1",
        IdempotencyKey = key,
        Amount = Money.Of(125_00, "EUR"),
        Description = "Order 1001",
    };

    [Fact]
    public void Capabilities_ListBankTransfer_AndTheAdapterImplementsTheFlow()
    {
        Assert.Contains("bank_transfer", _fixture.Provider.Capabilities.PaymentMethodTypes);
        Assert.IsAssignableFrom<IBankTransferProvider>(_fixture.Provider);
    }

    [Fact]
    public async Task Create_SendsBanktransferWithDecimalAmountAndKey_AndReturnsMolliesInstructions()
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments").UsingPost())
            .RespondWith(ProviderWireMock.Json(201, Transfer("open").ToJsonString()));

        var transfer = await Flow.CreateBankTransferAsync(Create(), CancellationToken.None);

        Assert.Equal("tr_WDqYK6vllg", transfer.ProviderReference);
        Assert.Equal(ProviderTransferStatus.Open, transfer.Status);
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 13, 10, 19, TimeSpan.Zero), transfer.ExpiresAt);
        Assert.Equal(Money.Of(125_00, "EUR"), transfer.Amount);
        var instructions = Assert.IsType<ProviderTransferInstructions>(transfer.Instructions);
        Assert.Equal("Stichting Mollie Payments", instructions.BankName);
        Assert.Equal("NL53ABNA0627535577", instructions.Iban);
        Assert.Equal("ABNANL2A", instructions.Bic);
        Assert.Equal(Reference, instructions.Reference); // as-is, no formatting

        var sent = Assert.Single(_fixture.Mock.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("pay_bt:att_1", ProviderWireMock.Header(sent, "Idempotency-Key"));
        Assert.Equal("Bearer " + MollieScenarioFixture.ApiKey, ProviderWireMock.Header(sent, "Authorization"));
        using var body = JsonDocument.Parse(sent.Body!);
        var root = body.RootElement;
        Assert.Equal("banktransfer", root.GetProperty("method").GetString());
        Assert.Equal("125.00", root.GetProperty("amount").GetProperty("value").GetString());
        Assert.Equal("EUR", root.GetProperty("amount").GetProperty("currency").GetString());
        Assert.Equal(MollieScenarioFixture.WebhookUrl, root.GetProperty("webhookUrl").GetString());
        Assert.False(root.TryGetProperty("redirectUrl", out _)); // optional for banktransfer; none configured
        Assert.False(root.TryGetProperty("captureMode", out _));
        Assert.Equal("pay_bt", root.GetProperty("metadata").GetProperty("gateway_payment_id").GetString());
    }

    [Theory]
    [InlineData(422, false)] // refused (e.g. method not enabled): nothing opened, another account may take it
    [InlineData(500, true)] // after sending, any 5xx may have opened it: never a new key
    [InlineData(502, true)]
    [InlineData(503, true)]
    public async Task Create_Errors_AreUnavailableOrUnknown_NeverAResult(int status, bool unknown)
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments").UsingPost())
            .RespondWith(ProviderWireMock.Json(status, $$"""{"status":{{status}},"title":"Error","detail":"The payment method is not enabled","field":"method"}"""));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Flow.CreateBankTransferAsync(Create(), CancellationToken.None));
        Assert.IsType(unknown ? typeof(ProviderOutcomeUnknownException) : typeof(ProviderUnavailableException), error);
        Assert.DoesNotContain(MollieScenarioFixture.ApiKey, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("open", ProviderTransferStatus.Open)]
    [InlineData("pending", ProviderTransferStatus.Open)]
    [InlineData("paid", ProviderTransferStatus.Paid)]
    [InlineData("expired", ProviderTransferStatus.Expired)]
    [InlineData("canceled", ProviderTransferStatus.Canceled)]
    [InlineData("failed", ProviderTransferStatus.Failed)]
    [InlineData("somethingnew", ProviderTransferStatus.Open)]
    [InlineData(null, ProviderTransferStatus.Open)]
    public void TransferStatus_MapsMollieStatuses_UnknownStaysOpen(string? status, ProviderTransferStatus expected) =>
        Assert.Equal(expected, MollieTransformers.TransferStatus(status));

    [Fact]
    public async Task Get_ReadsThePayment_PaidWithItsPaidAt()
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments/tr_WDqYK6vllg").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, Transfer("paid").ToJsonString()));

        var transfer = await Flow.GetBankTransferAsync(new BankTransferStatusRequest
        {
            Account = _fixture.Account!,
            PaymentId = "pay_bt",
            ProviderReference = "tr_WDqYK6vllg",
        }, CancellationToken.None);

        Assert.Equal(ProviderTransferStatus.Paid, transfer.Status);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), transfer.PaidAt);
        Assert.Equal("paid", transfer.RawStatus);
        Assert.Equal("GET", Assert.Single(_fixture.Mock.Requests).Method);
    }

    [Fact]
    public void Details_WithoutAccountOrReference_GiveNoInstructions()
    {
        var payment = Transfer("open");
        payment["details"]!.AsObject().Remove("transferReference");
        var transfer = MollieTransformers.ToBankTransfer(JsonDocument.Parse(payment.ToJsonString()).RootElement);
        Assert.NotNull(transfer);
        Assert.Null(transfer.Instructions);
        Assert.Null(MollieTransformers.ToBankTransfer(JsonDocument.Parse("""{"status":"open"}""").RootElement));
    }

    [Fact]
    public async Task Webhook_ForABankTransfer_CarriesTheTransferStatus_ACardPaymentDoesNot()
    {
        _fixture.Mock.Server.Given(Request.Create().WithPath("/v2/payments/tr_WDqYK6vllg").UsingGet())
            .RespondWith(ProviderWireMock.Json(200, Transfer("expired", "pay_bt").ToJsonString()));

        var result = await ((IWebhookFlow)_fixture.Provider).HandleWebhookAsync(new ProviderWebhookRequest
        {
            Account = _fixture.Account!,
            Headers = new Dictionary<string, string>(),
            Body = Encoding.UTF8.GetBytes("id=tr_WDqYK6vllg"),
        }, CancellationToken.None);

        var notification = Assert.Single(result.Notifications);
        Assert.Equal(ProviderTransferStatus.Expired, notification.BankTransferStatus);
        Assert.Equal("pay_bt", notification.MerchantReference);
        Assert.Equal("tr_WDqYK6vllg", notification.ProviderReference);
        Assert.Equal("tr_WDqYK6vllg:expired", notification.EventId);

        var card = Transfer("paid", "pay_card");
        card["method"] = "creditcard";
        Assert.Null(MollieTransformers.ToNotification(JsonDocument.Parse(card.ToJsonString()).RootElement).BankTransferStatus);
    }
}
