using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaymentGateway.Providers.Http;
using PaymentGateway.Providers.Mollie;

namespace PaymentGateway.Providers.ContractTests.Mollie;

public sealed class MollieTransformersTests
{
    private static readonly Money TenFifty = Money.Of(10_50, "EUR");

    [Theory]
    [InlineData("open", true, MollieFlow.Payment, ProviderOutcome.RequiresAction)]
    [InlineData("open", false, MollieFlow.Payment, ProviderOutcome.Pending)]
    [InlineData("pending", false, MollieFlow.Payment, ProviderOutcome.Pending)]
    [InlineData("authorized", false, MollieFlow.Payment, ProviderOutcome.Authorized)]
    [InlineData("paid", false, MollieFlow.Payment, ProviderOutcome.Succeeded)]
    [InlineData("failed", false, MollieFlow.Payment, ProviderOutcome.Declined)]
    [InlineData("expired", false, MollieFlow.Payment, ProviderOutcome.Declined)]
    [InlineData("canceled", false, MollieFlow.Payment, ProviderOutcome.Declined)]
    [InlineData("canceled", false, MollieFlow.Cancel, ProviderOutcome.Succeeded)]
    [InlineData("somethingnew", false, MollieFlow.Payment, ProviderOutcome.Pending)]
    [InlineData(null, false, MollieFlow.Payment, ProviderOutcome.Pending)]
    public void Status_MapsToOutcome_UnknownIsPending(string? status, bool hasCheckout, MollieFlow flow, ProviderOutcome expected) =>
        Assert.Equal(expected, MollieTransformers.StatusOutcome(status, hasCheckout, flow));

    [Fact]
    public void OpenWithCheckoutLink_RequiresActionAtThatUrl()
    {
        var result = MollieTransformers.ToPaymentResult(Parse(MollieScenarioFixture.Payment("open", TenFifty, checkoutUrl: MollieScenarioFixture.CheckoutUrl)), MollieFlow.Payment);
        Assert.Equal(ProviderOutcome.RequiresAction, result.Outcome);
        Assert.Equal(MollieScenarioFixture.CheckoutUrl, result.RedirectUrl);
        Assert.Equal(MollieScenarioFixture.PaymentReference, result.ProviderReference);
    }

    public static TheoryData<string, string> FailureReasons()
    {
        var data = new TheoryData<string, string>();
        foreach (var (reason, normalized) in MollieTransformers.FailureReasonTable)
        {
            data.Add(reason, normalized);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FailureReasons))]
    public void EveryDocumentedFailureReason_IsNormalized(string reason, string normalized)
    {
        var result = MollieTransformers.ToPaymentResult(Parse(MollieScenarioFixture.Payment("failed", TenFifty, failureReason: reason)), MollieFlow.Payment);
        Assert.Equal(ProviderOutcome.Declined, result.Outcome);
        Assert.Equal(normalized, result.DeclineCode);
    }

    [Theory]
    [InlineData("insufficient_funds", DeclineCodes.InsufficientFunds)]
    [InlineData("card_expired", DeclineCodes.ExpiredCard)]
    [InlineData("invalid_cvv", DeclineCodes.IncorrectCvc)]
    [InlineData("possible_fraud", DeclineCodes.Fraudulent)]
    [InlineData("authentication_failed", DeclineCodes.AuthenticationFailed)]
    [InlineData("some_new_reason", DeclineCodes.GenericDecline)]
    [InlineData(null, DeclineCodes.GenericDecline)]
    public void FailureReason_Normalization(string? reason, string expected) =>
        Assert.Equal(expected, MollieTransformers.MapFailureReason(reason));

    [Theory]
    [InlineData("expired")]
    [InlineData("canceled")]
    public void ExpiredOrCanceledPayment_IsAGenericDecline(string status) =>
        Assert.Equal(DeclineCodes.GenericDecline, MollieTransformers.ToPaymentResult(Parse(MollieScenarioFixture.Payment(status, TenFifty)), MollieFlow.Payment).DeclineCode);

    [Theory]
    [InlineData("pending", ProviderOutcome.Pending)]
    [InlineData("succeeded", ProviderOutcome.Succeeded)]
    [InlineData("failed", ProviderOutcome.Declined)]
    [InlineData("somethingnew", ProviderOutcome.Pending)]
    public void CaptureStatus_MapsToOutcome(string status, ProviderOutcome expected)
    {
        var result = MollieTransformers.ToCaptureResult(Parse(MollieScenarioFixture.Capture(status, TenFifty)), "tr_1");
        Assert.Equal(expected, result.Outcome);
        Assert.Equal("tr_1", result.ProviderReference);
    }

    [Theory]
    [InlineData("queued", ProviderOutcome.Pending)]
    [InlineData("pending", ProviderOutcome.Pending)]
    [InlineData("processing", ProviderOutcome.Pending)]
    [InlineData("refunded", ProviderOutcome.Succeeded)]
    [InlineData("failed", ProviderOutcome.Declined)]
    [InlineData("canceled", ProviderOutcome.Declined)]
    [InlineData("somethingnew", ProviderOutcome.Pending)]
    public void RefundStatus_MapsToOutcome(string status, ProviderOutcome expected)
    {
        var result = MollieTransformers.ToRefundResult(Parse(MollieScenarioFixture.Refund(status, TenFifty).ToJsonString()));
        Assert.Equal(expected, result.Outcome);
        Assert.Equal("re_4qqhO89gsT", result.ProviderReference);
    }

    [Theory]
    [InlineData(10_50, "EUR", "10.50")]
    [InlineData(5, "EUR", "0.05")]
    [InlineData(1_000, "JPY", "1000")]
    [InlineData(1_250, "KWD", "1.250")]
    [InlineData(100_00, "USD", "100.00")]
    public void Amounts_AreDecimalStringsWithTheCurrencysDecimals(long minor, string currency, string expected)
    {
        var money = Money.Of(minor, currency);
        Assert.Equal(expected, MollieTransformers.ToMollieValue(money));
        Assert.Equal(money, MollieTransformers.FromMollieAmount(Parse(new JsonObject { ["currency"] = currency, ["value"] = expected }.ToJsonString())));
    }

    [Fact]
    public void Capabilities_ListMolliesCurrencies_SoKwdIsNotRoutedThere()
    {
        Assert.Contains("EUR", MollieTransformers.SupportedCurrencies);
        Assert.Contains("JPY", MollieTransformers.SupportedCurrencies);
        Assert.DoesNotContain("KWD", MollieTransformers.SupportedCurrencies);
    }

    [Theory]
    [InlineData(400, ProviderErrorDisposition.Declined)]
    [InlineData(404, ProviderErrorDisposition.Declined)]
    [InlineData(422, ProviderErrorDisposition.Declined)]
    [InlineData(401, ProviderErrorDisposition.Declined)]
    [InlineData(429, ProviderErrorDisposition.Declined)]
    [InlineData(503, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(500, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(504, ProviderErrorDisposition.OutcomeUnknown)]
    public void ErrorStatus_Classification(int status, ProviderErrorDisposition expected) =>
        Assert.Equal(expected, ProviderErrorPolicy.ForAnswer(status, MollieTransformers.DocumentedDisposition(status), mayHaveProcessed: false));

    [Fact]
    public void ErrorBody_IsParsed()
    {
        var error = MollieTransformers.ParseError(Parse(MollieScenarioFixture.Error(422, "Unprocessable Entity", "The amount is higher than the maximum", "amount")));
        Assert.NotNull(error);
        Assert.Equal("amount", error.Field);
        var declined = MollieTransformers.DeclinedFromError(422, error, null);
        Assert.Equal(DeclineCodes.ProcessingError, declined.DeclineCode);
        Assert.Equal("invalid_amount", declined.RawStatus);
    }

    [Theory]
    [InlineData("id=tr_d0b0E3EA3v", "tr_d0b0E3EA3v")]
    [InlineData("id=tr_abc&other=1", "tr_abc")]
    [InlineData("other=1&id=tr_abc", "tr_abc")]
    [InlineData("id=", null)]
    [InlineData("id=tr_..%2F..%2Fsecrets", null)]
    [InlineData("{\"id\":\"tr_abc\"}", null)]
    [InlineData("", null)]
    public void WebhookBody_YieldsOnlyAWellFormedId(string body, string? expected) =>
        Assert.Equal(expected, MollieTransformers.WebhookPaymentId(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("authorized", true, ProviderNotificationKind.Authorization, ProviderOutcome.Authorized)]
    [InlineData("paid", true, ProviderNotificationKind.Capture, ProviderOutcome.Succeeded)]
    [InlineData("paid", false, ProviderNotificationKind.Authorization, ProviderOutcome.Succeeded)]
    [InlineData("canceled", true, ProviderNotificationKind.Authorization, ProviderOutcome.Declined)]
    [InlineData("failed", true, ProviderNotificationKind.Authorization, ProviderOutcome.Declined)]
    [InlineData("expired", true, ProviderNotificationKind.Authorization, ProviderOutcome.Declined)]
    [InlineData("open", true, ProviderNotificationKind.Authorization, ProviderOutcome.Pending)]
    [InlineData("somethingnew", true, ProviderNotificationKind.Authorization, ProviderOutcome.Pending)]
    public void FetchedPayment_MapsToNotification(string status, bool manual, ProviderNotificationKind kind, ProviderOutcome outcome)
    {
        var notification = MollieTransformers.ToNotification(Parse(MollieScenarioFixture.Payment(status, TenFifty, manualCapture: manual, failureReason: status == "failed" ? "card_expired" : null)));
        Assert.Equal(kind, notification.Kind);
        Assert.Equal(outcome, notification.Outcome);
        Assert.Equal(MollieScenarioFixture.PaymentReference, notification.ProviderReference);
        Assert.Equal("pay_scenario", notification.MerchantReference);
        Assert.Equal(TenFifty, notification.Amount);
        Assert.Equal(status == "failed" ? DeclineCodes.ExpiredCard : outcome == ProviderOutcome.Declined ? DeclineCodes.GenericDecline : null, notification.DeclineCode);
    }

    [Fact]
    public void Canceled_AfterAnAuthorization_IsTheReleasedHold_WhileCanceledWithout_IsTheCustomerAbandoningCheckout()
    {
        // The gateway's void releases an authorized hold (release-authorization): the payment was authorized first.
        var released = MollieTransformers.ToNotification(Parse(MollieScenarioFixture.Payment("canceled", TenFifty, wasAuthorized: true)));
        Assert.Equal(ProviderNotificationKind.Cancellation, released.Kind);
        Assert.Equal(ProviderOutcome.Succeeded, released.Outcome);

        // Canceled on Mollie's checkout (never authorized): the payment attempt failed; it is not a successful void.
        var abandoned = MollieTransformers.ToNotification(Parse(MollieScenarioFixture.Payment("canceled", TenFifty)));
        Assert.Equal(ProviderNotificationKind.Authorization, abandoned.Kind);
        Assert.Equal(ProviderOutcome.Declined, abandoned.Outcome);
        Assert.Equal(DeclineCodes.GenericDecline, abandoned.DeclineCode);
    }

    [Fact]
    public void EmbeddedRefunds_BecomeRefundNotifications()
    {
        var payment = Parse(MollieScenarioFixture.Payment("paid", TenFifty, refunds: new JsonArray(MollieScenarioFixture.Refund("refunded", Money.Of(4_00, "EUR"), "re_A", "re_gw_1"))));
        var refund = Assert.Single(MollieTransformers.RefundNotifications(payment));
        Assert.Equal(ProviderNotificationKind.Refund, refund.Kind);
        Assert.Equal(ProviderOutcome.Succeeded, refund.Outcome);
        Assert.Equal("re_A", refund.ProviderReference);
        Assert.Equal("re_gw_1", refund.MerchantReference);
        Assert.Equal(Money.Of(4_00, "EUR"), refund.Amount);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
