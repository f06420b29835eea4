using System.Text;
using System.Text.Json;
using PaymentGateway.Providers.Adyen;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.ContractTests.Adyen;

public sealed class AdyenTransformersTests
{
    [Theory]
    [InlineData("Authorised", false, ProviderOutcome.Authorized)]
    [InlineData("Authorised", true, ProviderOutcome.Pending)]
    [InlineData("Refused", false, ProviderOutcome.Declined)]
    [InlineData("Error", false, ProviderOutcome.Declined)]
    [InlineData("Cancelled", false, ProviderOutcome.Declined)]
    [InlineData("RedirectShopper", false, ProviderOutcome.RequiresAction)]
    [InlineData("ChallengeShopper", false, ProviderOutcome.RequiresAction)]
    [InlineData("IdentifyShopper", false, ProviderOutcome.RequiresAction)]
    [InlineData("PresentToShopper", false, ProviderOutcome.RequiresAction)]
    [InlineData("Pending", true, ProviderOutcome.Pending)]
    [InlineData("Received", true, ProviderOutcome.Pending)]
    [InlineData("PartiallyAuthorised", true, ProviderOutcome.Pending)]
    [InlineData("AuthenticationFinished", true, ProviderOutcome.Pending)]
    [InlineData("AuthenticationNotRequired", true, ProviderOutcome.Pending)]
    [InlineData("Success", true, ProviderOutcome.Pending)]
    [InlineData("SomethingNew", true, ProviderOutcome.Pending)]
    public void ResultCode_MapsToOutcome(string resultCode, bool capture, ProviderOutcome expected)
    {
        var result = AdyenTransformers.ToPaymentResult(Parse(AdyenScenarioFixture.PaymentResponse(resultCode)), capture);
        Assert.Equal(expected, result.Outcome);
        Assert.Equal(AdyenScenarioFixture.PspReference, result.ProviderReference);
    }

    public static TheoryData<string, string, string> RefusalReasons()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (code, reason, normalized) in AdyenTransformers.RefusalReasonTable)
        {
            data.Add(code, reason, normalized);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RefusalReasons))]
    public void EveryDocumentedRefusalReason_IsNormalized_ByCodeAndByText(string code, string reason, string normalized)
    {
        var result = AdyenTransformers.ToPaymentResult(Parse(AdyenScenarioFixture.PaymentResponse("Refused", reason, code)), false);
        Assert.Equal(ProviderOutcome.Declined, result.Outcome);
        Assert.Equal(normalized, result.DeclineCode);
        Assert.Equal(normalized, AdyenTransformers.MapRefusalReason(null, reason));
    }

    [Theory]
    [InlineData("12", null, DeclineCodes.InsufficientFunds)]
    [InlineData("24", null, DeclineCodes.IncorrectCvc)]
    [InlineData("6", null, DeclineCodes.ExpiredCard)]
    [InlineData("20", null, DeclineCodes.Fraudulent)]
    [InlineData("11", null, DeclineCodes.AuthenticationFailed)]
    [InlineData("4", null, DeclineCodes.ProcessingError)]
    [InlineData("999", null, DeclineCodes.GenericDecline)]
    [InlineData(null, "not enough balance", DeclineCodes.InsufficientFunds)]
    [InlineData(null, "Some new reason", DeclineCodes.GenericDecline)]
    [InlineData(null, null, DeclineCodes.GenericDecline)]
    public void RefusalReason_Normalization(string? code, string? reason, string expected) =>
        Assert.Equal(expected, AdyenTransformers.MapRefusalReason(code, reason));

    [Fact]
    public void RedirectShopper_CarriesActionUrl() =>
        Assert.Equal("https://adyen.example/3ds",
            AdyenTransformers.ToPaymentResult(Parse(AdyenScenarioFixture.PaymentResponse("RedirectShopper", actionUrl: "https://adyen.example/3ds")), false).RedirectUrl);

    [Fact]
    public void Modifications_AreAlwaysPending()
    {
        var body = Parse(AdyenScenarioFixture.Modification("PSP1", "PSP2", Money.Of(100, "EUR")));
        Assert.Equal(ProviderOutcome.Pending, AdyenTransformers.ToModificationResult(body, "PSP1").Outcome);
        var refund = AdyenTransformers.ToRefundResult(body);
        Assert.Equal(ProviderOutcome.Pending, refund.Outcome);
        Assert.Equal("PSP2", refund.ProviderReference);
    }

    [Theory]
    [InlineData(400, "702", ProviderErrorDisposition.Declined)]
    [InlineData(422, "101", ProviderErrorDisposition.Declined)]
    [InlineData(422, "704", ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(401, "000", ProviderErrorDisposition.Declined)]
    [InlineData(403, "010", ProviderErrorDisposition.Declined)]
    [InlineData(429, "000", ProviderErrorDisposition.Declined)]
    [InlineData(502, "000", ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(503, "000", ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(500, "000", ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(504, "000", ProviderErrorDisposition.OutcomeUnknown)]
    public void Errors_AreClassified(int status, string code, ProviderErrorDisposition expected) =>
        Assert.Equal(expected, ProviderErrorPolicy.ForAnswer(status, AdyenTransformers.DocumentedDisposition(new AdyenError { ErrorCode = code }), mayHaveProcessed: false));

    [Theory]
    [InlineData(10_50, "EUR", 10_50)]
    [InlineData(1_000, "JPY", 1_000)]
    [InlineData(1_255, "KWD", 1_255)]
    [InlineData(500, "ISK", 50_000)]
    [InlineData(500, "CLP", 50_000)]
    [InlineData(12_300, "IDR", 123)]
    [InlineData(12_300, "CVE", 123)]
    public void Amounts_AreConvertedToAdyenMinorUnits(long minor, string currency, long expected)
    {
        var money = Money.Of(minor, currency);
        Assert.Equal(expected, AdyenTransformers.ToAdyenAmount(money));
        Assert.Equal(money, AdyenTransformers.FromAdyenAmount(expected, currency));
    }

    [Fact]
    public void IdempotencyKey_UpTo64Chars_IsUnchanged_LongerIsHashedStably()
    {
        var key = new string('k', 64);
        Assert.Equal(key, AdyenTransformers.IdempotencyKey(key));
        var longKey = new string('k', 200);
        Assert.Equal(64, AdyenTransformers.IdempotencyKey(longKey).Length);
        Assert.Equal(AdyenTransformers.IdempotencyKey(longKey), AdyenTransformers.IdempotencyKey(longKey));
    }

    [Fact]
    public void SigningString_FollowsTheDocumentedFieldOrder()
    {
        var item = Item(AdyenScenarioFixture.Notification("REFUND", "true", "PSPREF", "ORIGREF", "re_1", Money.Of(1_050, "EUR"), AdyenScenarioFixture.HmacKey));
        Assert.Equal("PSPREF:ORIGREF:GatewayTestMerchant:re_1:1050:EUR:REFUND:true", AdyenNotifications.SigningString(item));
        Assert.True(AdyenNotifications.VerifyHmac(item, AdyenScenarioFixture.HmacKey));
        Assert.False(AdyenNotifications.VerifyHmac(item, "00" + AdyenScenarioFixture.HmacKey[2..]));
    }

    [Theory]
    [InlineData("AUTHORISATION", "true", ProviderNotificationKind.Authorization, ProviderOutcome.Authorized, "PSP")]
    [InlineData("AUTHORISATION", "false", ProviderNotificationKind.Authorization, ProviderOutcome.Declined, "PSP")]
    [InlineData("CAPTURE", "true", ProviderNotificationKind.Capture, ProviderOutcome.Succeeded, "ORIG")]
    [InlineData("CAPTURE", "false", ProviderNotificationKind.Capture, ProviderOutcome.Declined, "ORIG")]
    [InlineData("CAPTURE_FAILED", "true", ProviderNotificationKind.Capture, ProviderOutcome.Declined, "ORIG")]
    [InlineData("CANCELLATION", "true", ProviderNotificationKind.Cancellation, ProviderOutcome.Succeeded, "ORIG")]
    [InlineData("CANCELLATION", "false", ProviderNotificationKind.Cancellation, ProviderOutcome.Declined, "ORIG")]
    [InlineData("CANCEL_OR_REFUND", "true", ProviderNotificationKind.Cancellation, ProviderOutcome.Succeeded, "ORIG")]
    [InlineData("REFUND", "true", ProviderNotificationKind.Refund, ProviderOutcome.Succeeded, "PSP")]
    [InlineData("REFUND", "false", ProviderNotificationKind.Refund, ProviderOutcome.Declined, "PSP")]
    [InlineData("REFUND_FAILED", "true", ProviderNotificationKind.Refund, ProviderOutcome.Declined, "PSP")]
    [InlineData("REFUNDED_REVERSED", "true", ProviderNotificationKind.Refund, ProviderOutcome.Declined, "PSP")]
    [InlineData("CHARGEBACK", "true", ProviderNotificationKind.Other, ProviderOutcome.Pending, "PSP")]
    [InlineData("SOMETHING_NEW", "true", ProviderNotificationKind.Other, ProviderOutcome.Pending, "PSP")]
    public void NotificationItems_MapToNotifications(string eventCode, string success, ProviderNotificationKind kind, ProviderOutcome outcome, string reference)
    {
        var item = Item(AdyenScenarioFixture.Notification(eventCode, success, "PSP", eventCode == "AUTHORISATION" ? null : "ORIG", "pay_1", Money.Of(1_000, "JPY"),
            AdyenScenarioFixture.HmacKey, success == "false" ? "Not enough balance" : null));
        var notification = AdyenNotifications.ToNotification(item);
        Assert.Equal(kind, notification.Kind);
        Assert.Equal(outcome, notification.Outcome);
        Assert.Equal(reference, notification.ProviderReference);
        Assert.Equal("pay_1", notification.MerchantReference);
        Assert.Equal(Money.Of(1_000, "JPY"), notification.Amount);
        if (eventCode == "AUTHORISATION" && success == "false")
        {
            Assert.Equal(DeclineCodes.InsufficientFunds, notification.DeclineCode);
        }
    }

    [Fact]
    public void PaymentRequestBody_HasDocumentedShape()
    {
        var body = AdyenTransformers.PaymentRequestBody(new AuthorizeRequest
        {
            PaymentId = "pay_1",
            AttemptId = "att_1",
            IdempotencyKey = "k",
            Amount = Money.Of(1_250, "KWD"),
            Capture = false,
            Card = Scenarios.ScenarioCards.Approved,
            ReturnUrl = "https://m.example/r",
        }, "Merchant", "https://m.example/r");
        var json = Parse(Encoding.UTF8.GetString(body));
        Assert.Equal(1_250, json.GetProperty("amount").GetProperty("value").GetInt64());
        Assert.Equal("KWD", json.GetProperty("amount").GetProperty("currency").GetString());
        Assert.Equal("Merchant", json.GetProperty("merchantAccount").GetString());
        Assert.Equal("pay_1", json.GetProperty("reference").GetString());
        Assert.Equal("https://m.example/r", json.GetProperty("returnUrl").GetString());
        Assert.Equal("scheme", json.GetProperty("paymentMethod").GetProperty("type").GetString());
        Assert.Equal("03", json.GetProperty("paymentMethod").GetProperty("expiryMonth").GetString());
        Assert.Equal("2030", json.GetProperty("paymentMethod").GetProperty("expiryYear").GetString());
        Assert.Equal("true", json.GetProperty("additionalData").GetProperty("manualCapture").GetString());
        Assert.False(json.TryGetProperty("captureDelayHours", out _));
    }

    private static JsonElement Item(string notification) =>
        Parse(notification).GetProperty("notificationItems")[0].GetProperty("NotificationRequestItem");

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
