using PaymentGateway.Core.Api;
using PaymentGateway.Core.Merchants;
using PaymentGateway.Core.Payments;

namespace PaymentGateway.Core.UnitTests;

/// <summary>What <see cref="ValidatedPaymentRequest.From"/> accepts, what it refuses (the first problem, as the API reports it), and the Payment factory.</summary>
public sealed class ValidatedPaymentRequestTests
{
    private const long MaxAmount = 99_999_999;

    private static CreatePaymentRequest Card(long? amount = 1000, string? currency = "EUR") => new() { Amount = amount, Currency = currency };

    private static CreatePaymentRequest Sepa(string type, string? mandate = null, string currency = "EUR") =>
        new() { Amount = 1000, Currency = currency, PaymentMethodType = type, Mandate = mandate };

    public static TheoryData<string, CreatePaymentRequest, string, string> Refused => new()
    {
        { "no amount", Card(amount: null), ErrorCodes.ParameterMissing, "amount" },
        { "zero amount", Card(amount: 0), ErrorCodes.AmountInvalid, "amount" },
        { "above the maximum", Card(amount: MaxAmount + 1), ErrorCodes.AmountTooLarge, "amount" },
        { "no currency", Card(currency: null), ErrorCodes.ParameterMissing, "currency" },
        { "unknown currency", Card(currency: "XXX"), ErrorCodes.CurrencyUnsupported, "currency" },
        { "bad capture method", Card() with { CaptureMethod = "later" }, ErrorCodes.ParameterInvalid, "capture_method" },
        { "too many metadata keys", Card() with { Metadata = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", _ => "v") }, ErrorCodes.ParameterInvalid, "metadata" },
        { "long description", Card() with { Description = new string('d', 1001) }, ErrorCodes.ParameterInvalid, "description" },
        { "long customer", Card() with { Customer = new string('c', 256) }, ErrorCodes.ParameterInvalid, "customer" },
        { "relative return url", Card() with { ReturnUrl = "/back" }, ErrorCodes.ParameterInvalid, "return_url" },
        { "unknown method type", Sepa("ideal"), ErrorCodes.ParameterInvalid, "payment_method_type" },
        { "mandate on a transfer", Sepa(PaymentMethodTypes.BankTransfer, mandate: "mdt_1"), ErrorCodes.ParameterInvalid, "mandate" },
        { "mandate on an unknown type comes first", Sepa("ideal", mandate: "mdt_1"), ErrorCodes.ParameterInvalid, "mandate" },
        { "transfer in USD", Sepa(PaymentMethodTypes.BankTransfer, currency: "USD"), ErrorCodes.CurrencyUnsupported, "currency" },
        { "transfer with a card", Sepa(PaymentMethodTypes.BankTransfer) with { PaymentMethod = "pm_1" }, ErrorCodes.ParameterInvalid, "payment_method" },
        { "transfer with confirm", Sepa(PaymentMethodTypes.BankTransfer) with { Confirm = false }, ErrorCodes.ParameterInvalid, "confirm" },
        { "transfer with a provider", Sepa(PaymentMethodTypes.BankTransfer) with { Provider = "stripe" }, ErrorCodes.ParameterInvalid, "provider" },
        { "transfer captured manually", Sepa(PaymentMethodTypes.BankTransfer) with { CaptureMethod = "manual" }, ErrorCodes.ParameterInvalid, "capture_method" },
        { "debit without mandate", Sepa(PaymentMethodTypes.SepaDebit), ErrorCodes.ParameterMissing, "mandate" },
        { "debit without mandate before metadata", Sepa(PaymentMethodTypes.SepaDebit) with { ReturnUrl = "/back" }, ErrorCodes.ParameterMissing, "mandate" },
        { "debit in GBP", Sepa(PaymentMethodTypes.SepaDebit, "mdt_1", "GBP"), ErrorCodes.CurrencyUnsupported, "currency" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void From_RefusesTheFirstProblem(string why, CreatePaymentRequest request, string code, string param)
    {
        var e = Assert.Throws<GatewayException>(() => ValidatedPaymentRequest.From(request, MaxAmount));
        Assert.True(code == e.Code && param == e.Param, $"{why}: got {e.Code} on {e.Param}");
        Assert.Equal(ErrorKind.InvalidRequest, e.Kind);
    }

    [Fact]
    public void From_ACard_KeepsItsCardParameters()
    {
        var request = ValidatedPaymentRequest.From(Card() with
        {
            CaptureMethod = "manual",
            PaymentMethod = "pm_1",
            Confirm = true,
            Provider = "simulator",
            Mandate = "mdt_ignored",
            Metadata = new() { ["order"] = "42" },
        }, MaxAmount);

        Assert.Equal(1000, request.Amount);
        Assert.Equal("EUR", request.Currency.Code);
        Assert.Equal(CaptureMethod.Manual, request.CaptureMethod);
        Assert.Null(request.PaymentMethodType);
        Assert.Equal(("pm_1", "simulator", true), (request.PaymentMethod, request.Provider, request.Confirm));
        Assert.Null(request.Mandate);
        Assert.Equal("42", request.Metadata["order"]);
    }

    [Theory]
    [InlineData(PaymentMethodTypes.BankTransfer, null, null)]
    [InlineData(PaymentMethodTypes.SepaDebit, "mdt_1", "mdt_1")]
    public void From_ASepaPayment_IsAutomaticWithoutCardParameters(string type, string? mandate, string? expectedMandate)
    {
        var request = ValidatedPaymentRequest.From(Sepa(type, mandate) with { CaptureMethod = "automatic" }, MaxAmount);

        Assert.Equal(type, request.PaymentMethodType);
        Assert.Equal(CaptureMethod.Automatic, request.CaptureMethod);
        Assert.Equal(expectedMandate, request.Mandate);
        Assert.Equal((null, null, false), (request.PaymentMethod, request.Provider, request.Confirm));
        Assert.Empty(request.Metadata);
    }

    [Fact]
    public void PaymentCreate_CopiesTheValidatedRequest_IntoANewPaymentOfTheCaller()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var request = ValidatedPaymentRequest.From(Card(4200, "JPY") with
        {
            CaptureMethod = "manual",
            Customer = "cus_1",
            Description = "Tea",
            ReturnUrl = "https://shop.example/back",
            Metadata = new() { ["order"] = "42" },
        }, MaxAmount);

        var payment = Payment.Create("pay_1", new CallerContext("mer_1", true, ApiKeyKind.Secret), request, now);

        Assert.Equal(("pay_1", "mer_1", true), (payment.Id, payment.MerchantId, payment.Livemode));
        Assert.Equal(PaymentStatus.RequiresPaymentMethod, payment.Status);
        Assert.Equal((4200L, "JPY", CaptureMethod.Manual), (payment.Amount, payment.Currency, payment.CaptureMethod));
        Assert.Equal(("cus_1", "Tea", "https://shop.example/back"), (payment.Customer, payment.Description, payment.ReturnUrl));
        Assert.Equal("42", payment.Metadata["order"]);
        Assert.Null(payment.PaymentMethodType);
        Assert.Equal((now, now), (payment.Created, payment.Updated));
        Assert.Empty(payment.Attempts);
        Assert.Null(payment.Provider);
    }
}
