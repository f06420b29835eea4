using System.Text;
using System.Text.Json;
using PaymentGateway.Providers.CheckoutCom;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.ContractTests.CheckoutCom;

public sealed class CheckoutComTransformersTests
{
    private static readonly Money TenEuros = Money.Of(10_00, "EUR");

    [Theory]
    [InlineData("Authorized", false, false, ProviderOutcome.Authorized)]
    [InlineData("Authorized", true, false, ProviderOutcome.Pending)]
    [InlineData("Card Verified", false, false, ProviderOutcome.Authorized)]
    [InlineData("Captured", false, false, ProviderOutcome.Succeeded)]
    [InlineData("Partially Captured", false, false, ProviderOutcome.Succeeded)]
    [InlineData("Paid", false, false, ProviderOutcome.Succeeded)]
    [InlineData("Refunded", false, false, ProviderOutcome.Succeeded)]
    [InlineData("Partially Refunded", false, false, ProviderOutcome.Succeeded)]
    [InlineData("Declined", false, false, ProviderOutcome.Declined)]
    [InlineData("Voided", false, false, ProviderOutcome.Declined)]
    [InlineData("Canceled", false, false, ProviderOutcome.Declined)]
    [InlineData("Expired", false, false, ProviderOutcome.Declined)]
    [InlineData("Pending", false, true, ProviderOutcome.RequiresAction)]
    [InlineData("Pending", false, false, ProviderOutcome.Pending)]
    [InlineData("Retry Scheduled", true, false, ProviderOutcome.Pending)]
    [InlineData("SomethingNew", true, false, ProviderOutcome.Pending)]
    [InlineData(null, true, false, ProviderOutcome.Pending)]
    public void Status_MapsToOutcome_UnknownIsPending(string? status, bool capture, bool hasRedirect, ProviderOutcome expected) =>
        Assert.Equal(expected, CheckoutComTransformers.StatusOutcome(status, capture, hasRedirect));

    public static TheoryData<string, string, string> ResponseCodes()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (code, summary, normalized) in CheckoutComTransformers.ResponseCodeTable)
        {
            data.Add(code, summary, normalized);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ResponseCodes))]
    public void EveryDocumentedResponseCode_IsNormalized(string code, string summary, string normalized)
    {
        var result = CheckoutComTransformers.ToPaymentResult(Parse(CheckoutComScenarioFixture.Payment("Declined", TenEuros, code, summary)), false);
        Assert.Equal(ProviderOutcome.Declined, result.Outcome);
        Assert.Equal(normalized, result.DeclineCode);
        Assert.Equal(summary, result.Message);
    }

    [Theory]
    [InlineData("20051", DeclineCodes.InsufficientFunds)]
    [InlineData("20054", DeclineCodes.ExpiredCard)]
    [InlineData("20087", DeclineCodes.IncorrectCvc)]
    [InlineData("20005", DeclineCodes.GenericDecline)]
    [InlineData("20059", DeclineCodes.Fraudulent)]
    [InlineData("30043", DeclineCodes.LostOrStolen)]
    [InlineData("20999", DeclineCodes.GenericDecline)]
    [InlineData("30999", DeclineCodes.GenericDecline)]
    [InlineData("40999", DeclineCodes.Fraudulent)]
    [InlineData(null, DeclineCodes.GenericDecline)]
    public void ResponseCode_Normalization(string? code, string expected) =>
        Assert.Equal(expected, CheckoutComTransformers.MapResponseCode(code));

    [Fact]
    public void PendingWithRedirect_CarriesRedirectUrl()
    {
        var result = CheckoutComTransformers.ToPaymentResult(
            Parse(CheckoutComScenarioFixture.Payment("Pending", TenEuros, null, null, CheckoutComScenarioFixture.RedirectUrl)), false);
        Assert.Equal(ProviderOutcome.RequiresAction, result.Outcome);
        Assert.Equal(CheckoutComScenarioFixture.RedirectUrl, result.RedirectUrl);
        Assert.Equal(CheckoutComScenarioFixture.PaymentReference, result.ProviderReference);
    }

    [Fact]
    public void Actions_ArePending_RefundCarriesActionId()
    {
        var body = Parse(CheckoutComScenarioFixture.Action("act_1", "re_1"));
        Assert.Equal(ProviderOutcome.Pending, CheckoutComTransformers.ToActionResult(body, "pay_1").Outcome);
        Assert.Equal("pay_1", CheckoutComTransformers.ToActionResult(body, "pay_1").ProviderReference);
        var refund = CheckoutComTransformers.ToRefundResult(body);
        Assert.Equal(ProviderOutcome.Pending, refund.Outcome);
        Assert.Equal("act_1", refund.ProviderReference);
    }

    [Theory]
    [InlineData(400, ProviderErrorDisposition.Declined)]
    [InlineData(403, ProviderErrorDisposition.Declined)]
    [InlineData(404, ProviderErrorDisposition.Declined)]
    [InlineData(422, ProviderErrorDisposition.Declined)]
    [InlineData(401, ProviderErrorDisposition.Declined)]
    [InlineData(429, ProviderErrorDisposition.Declined)]
    [InlineData(502, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(503, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(409, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(500, ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(504, ProviderErrorDisposition.OutcomeUnknown)]
    public void ErrorStatus_Classification(int status, ProviderErrorDisposition expected) =>
        Assert.Equal(expected, ProviderErrorPolicy.ForAnswer(status, CheckoutComTransformers.DocumentedDisposition(status), mayHaveProcessed: false));

    [Fact]
    public void ErrorBody_IsParsed_AndCardErrorsAreGenericDeclines()
    {
        var error = CheckoutComTransformers.ParseError(Parse(CheckoutComScenarioFixture.Error("request_invalid", "card_number_invalid")));
        Assert.NotNull(error);
        Assert.Equal(["card_number_invalid"], error.ErrorCodes);
        Assert.Equal(DeclineCodes.GenericDecline, CheckoutComTransformers.DeclinedFromError(422, error, null).DeclineCode);
        var other = CheckoutComTransformers.ParseError(Parse(CheckoutComScenarioFixture.Error("request_invalid", "amount_invalid")));
        Assert.Equal(DeclineCodes.ProcessingError, CheckoutComTransformers.DeclinedFromError(422, other, null).DeclineCode);
        Assert.Null(CheckoutComTransformers.ParseError(Parse("{\"status\":\"Authorized\"}")));
    }

    [Theory]
    [InlineData(10_50, "EUR", 10_50)]
    [InlineData(1_000, "JPY", 1_000)]
    [InlineData(1_250, "KWD", 1_250)]
    [InlineData(500, "BHD", 500)]
    [InlineData(5_000, "CLP", 5_000_00)]
    public void Amounts_FollowCheckoutComsCurrencyRules(long minor, string currency, long expected)
    {
        var money = Money.Of(minor, currency);
        Assert.Equal(expected, CheckoutComTransformers.ToCheckoutComAmount(money));
        Assert.Equal(money, CheckoutComTransformers.FromCheckoutComAmount(expected, currency));
    }

    [Fact]
    public void ThreeDecimalAmount_WhoseLastDigitIsNotZero_IsRefused_NotRounded() =>
        Assert.Throws<ArgumentException>(() => CheckoutComTransformers.ToCheckoutComAmount(Money.Of(1_255, "KWD")));

    [Fact]
    public void Signature_IsHexHmacOfTheRawBody_AnyCase_ConstantTime()
    {
        var body = Encoding.UTF8.GetBytes("{\"type\":\"payment_approved\"}");
        var signature = CheckoutComTransformers.ComputeSignature(body, "secret");
        Assert.Equal(64, signature.Length);
        Assert.True(CheckoutComTransformers.VerifySignature(signature, body, "secret"));
        Assert.True(CheckoutComTransformers.VerifySignature(signature.ToUpperInvariant(), body, "secret"));
        Assert.False(CheckoutComTransformers.VerifySignature(signature, body, "other"));
        Assert.False(CheckoutComTransformers.VerifySignature(signature, Encoding.UTF8.GetBytes("{\"type\":\"payment_declined\"}"), "secret"));
        Assert.False(CheckoutComTransformers.VerifySignature(null, body, "secret"));
        Assert.False(CheckoutComTransformers.VerifySignature(string.Empty, body, "secret"));
    }

    [Theory]
    [InlineData("payment_approved", ProviderNotificationKind.Authorization, ProviderOutcome.Authorized, null)]
    [InlineData("card_verified", ProviderNotificationKind.Authorization, ProviderOutcome.Authorized, null)]
    [InlineData("payment_pending", ProviderNotificationKind.Authorization, ProviderOutcome.Pending, null)]
    [InlineData("payment_declined", ProviderNotificationKind.Authorization, ProviderOutcome.Declined, DeclineCodes.InsufficientFunds)]
    [InlineData("payment_expired", ProviderNotificationKind.Authorization, ProviderOutcome.Declined, DeclineCodes.GenericDecline)]
    [InlineData("payment_canceled", ProviderNotificationKind.Authorization, ProviderOutcome.Declined, DeclineCodes.GenericDecline)]
    [InlineData("payment_authentication_failed", ProviderNotificationKind.Authorization, ProviderOutcome.Declined, DeclineCodes.AuthenticationFailed)]
    [InlineData("payment_captured", ProviderNotificationKind.Capture, ProviderOutcome.Succeeded, null)]
    [InlineData("payment_capture_pending", ProviderNotificationKind.Capture, ProviderOutcome.Pending, null)]
    [InlineData("payment_capture_declined", ProviderNotificationKind.Capture, ProviderOutcome.Declined, DeclineCodes.ProcessingError)]
    [InlineData("payment_voided", ProviderNotificationKind.Cancellation, ProviderOutcome.Succeeded, null)]
    [InlineData("payment_void_declined", ProviderNotificationKind.Cancellation, ProviderOutcome.Declined, DeclineCodes.ProcessingError)]
    [InlineData("payment_refunded", ProviderNotificationKind.Refund, ProviderOutcome.Succeeded, null)]
    [InlineData("payment_refund_pending", ProviderNotificationKind.Refund, ProviderOutcome.Pending, null)]
    [InlineData("payment_refund_declined", ProviderNotificationKind.Refund, ProviderOutcome.Declined, DeclineCodes.ProcessingError)]
    [InlineData("dispute_received", ProviderNotificationKind.Other, ProviderOutcome.Pending, null)]
    public void WebhookEvent_MapsToNotification(string type, ProviderNotificationKind kind, ProviderOutcome outcome, string? declineCode)
    {
        var notification = CheckoutComTransformers.ToNotification(
            Parse(CheckoutComScenarioFixture.WebhookEvent(type, "pay_1", "gw_ref", TenEuros, responseCode: "20051", actionId: "act_9")));
        Assert.Equal(kind, notification.Kind);
        Assert.Equal(outcome, notification.Outcome);
        Assert.Equal(declineCode, notification.DeclineCode);
        Assert.Equal("gw_ref", notification.MerchantReference);
        Assert.Equal(kind == ProviderNotificationKind.Refund ? "act_9" : "pay_1", notification.ProviderReference);
        Assert.Equal(TenEuros, notification.Amount);
        Assert.Equal(type, notification.RawEventType);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
