using System.Text;
using System.Text.Json;
using PaymentGateway.Providers.Http;
using PaymentGateway.Providers.Stripe;

namespace PaymentGateway.Providers.ContractTests.Stripe;

public sealed class StripeTransformersTests
{
    [Theory]
    [InlineData("requires_capture", StripeFlow.Payment, ProviderOutcome.Authorized)]
    [InlineData("succeeded", StripeFlow.Payment, ProviderOutcome.Succeeded)]
    [InlineData("succeeded", StripeFlow.Capture, ProviderOutcome.Succeeded)]
    [InlineData("requires_action", StripeFlow.Payment, ProviderOutcome.RequiresAction)]
    [InlineData("processing", StripeFlow.Payment, ProviderOutcome.Pending)]
    [InlineData("requires_confirmation", StripeFlow.Payment, ProviderOutcome.Pending)]
    [InlineData("requires_payment_method", StripeFlow.Payment, ProviderOutcome.Pending)]
    [InlineData("canceled", StripeFlow.Payment, ProviderOutcome.Declined)]
    [InlineData("canceled", StripeFlow.Void, ProviderOutcome.Succeeded)]
    [InlineData("some_future_status", StripeFlow.Payment, ProviderOutcome.Pending)]
    [InlineData("some_future_status", StripeFlow.Capture, ProviderOutcome.Pending)]
    public void PaymentIntentStatus_MapsToOutcome(string status, StripeFlow flow, ProviderOutcome expected)
    {
        var pi = Parse(StripeFixtures.PaymentIntent("pi_1", status, 1000, "eur", capture: false).ToJsonString());
        var result = StripeTransformers.ToPaymentResult(pi, flow);
        Assert.Equal(expected, result.Outcome);
        Assert.Equal("pi_1", result.ProviderReference);
        Assert.Equal(status, result.RawStatus);
    }

    [Fact]
    public void RequiresAction_CarriesTheRedirectUrl()
    {
        var pi = Parse(StripeFixtures.RequiresAction("pi_1", 1000, "eur", "https://hooks.stripe.com/3ds").ToJsonString());
        Assert.Equal("https://hooks.stripe.com/3ds", StripeTransformers.ToPaymentResult(pi, StripeFlow.Payment).RedirectUrl);
    }

    [Fact]
    public void RequiresPaymentMethod_WithLastPaymentError_IsDeclinedWithNormalizedCode()
    {
        var error = StripeFixtures.CardError("card_declined", "lost_card", "Your card was declined.", StripeFixtures.PaymentIntent("pi_1", "x", 1000, "eur", false));
        var pi = Parse(error["error"]!["payment_intent"]!.ToJsonString());
        var result = StripeTransformers.ToPaymentResult(pi, StripeFlow.Payment);
        Assert.Equal(ProviderOutcome.Declined, result.Outcome);
        Assert.Equal(DeclineCodes.LostOrStolen, result.DeclineCode);
    }

    [Theory]
    [InlineData("card_declined", "insufficient_funds", DeclineCodes.InsufficientFunds)]
    [InlineData("card_declined", "generic_decline", DeclineCodes.GenericDecline)]
    [InlineData("card_declined", "do_not_honor", DeclineCodes.GenericDecline)]
    [InlineData("card_declined", "lost_card", DeclineCodes.LostOrStolen)]
    [InlineData("card_declined", "stolen_card", DeclineCodes.LostOrStolen)]
    [InlineData("card_declined", "fraudulent", DeclineCodes.Fraudulent)]
    [InlineData("card_declined", "merchant_blacklist", DeclineCodes.Fraudulent)]
    [InlineData("card_declined", "processing_error", DeclineCodes.ProcessingError)]
    [InlineData("card_declined", "try_again_later", DeclineCodes.ProcessingError)]
    [InlineData("card_declined", "authentication_required", DeclineCodes.AuthenticationRequired)]
    [InlineData("card_declined", "a_new_decline_code", DeclineCodes.GenericDecline)]
    [InlineData("card_declined", null, DeclineCodes.GenericDecline)]
    [InlineData("expired_card", null, DeclineCodes.ExpiredCard)]
    [InlineData("incorrect_cvc", null, DeclineCodes.IncorrectCvc)]
    [InlineData("processing_error", null, DeclineCodes.ProcessingError)]
    [InlineData("incorrect_number", null, DeclineCodes.GenericDecline)]
    [InlineData("payment_intent_authentication_failure", null, DeclineCodes.AuthenticationFailed)]
    [InlineData(null, null, DeclineCodes.GenericDecline)]
    public void DeclineCodes_AreNormalized(string? code, string? declineCode, string expected) =>
        Assert.Equal(expected, StripeErrorTransformers.MapDeclineCode(code, declineCode));

    [Theory]
    [InlineData("succeeded", ProviderOutcome.Succeeded)]
    [InlineData("pending", ProviderOutcome.Pending)]
    [InlineData("requires_action", ProviderOutcome.Pending)]
    [InlineData("failed", ProviderOutcome.Declined)]
    [InlineData("canceled", ProviderOutcome.Declined)]
    [InlineData("brand_new", ProviderOutcome.Pending)]
    public void RefundStatus_MapsToOutcome(string status, ProviderOutcome expected)
    {
        var refund = Parse(StripeFixtures.Refund("re_1", status, 100, "eur", "pi_1").ToJsonString());
        var result = StripeTransformers.ToRefundResult(refund);
        Assert.Equal(expected, result.Outcome);
        Assert.Equal("re_1", result.ProviderReference);
    }

    [Theory]
    [InlineData(402, "card_error", ProviderErrorDisposition.Declined)]
    [InlineData(400, "invalid_request_error", ProviderErrorDisposition.Declined)]
    [InlineData(404, "invalid_request_error", ProviderErrorDisposition.Declined)]
    [InlineData(400, "idempotency_error", ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(409, "idempotency_error", ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(409, "api_error", ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(401, "authentication_error", ProviderErrorDisposition.Declined)]
    [InlineData(403, "invalid_request_error", ProviderErrorDisposition.Declined)]
    [InlineData(429, "rate_limit_error", ProviderErrorDisposition.Declined)]
    [InlineData(502, "api_error", ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(503, "api_error", ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(500, "api_error", ProviderErrorDisposition.OutcomeUnknown)]
    [InlineData(504, null, ProviderErrorDisposition.OutcomeUnknown)]
    public void Errors_AreClassified(int status, string? type, ProviderErrorDisposition expected) =>
        Assert.Equal(expected, ProviderErrorPolicy.ForAnswer(status,
            StripeErrorTransformers.DocumentedDisposition(status, type is null ? null : new StripeError { Type = type }), mayHaveProcessed: false));

    [Theory]
    [InlineData(10_50, "EUR", 10_50)]
    [InlineData(1_000, "JPY", 1_000)]
    [InlineData(1_250, "KWD", 1_250)]
    [InlineData(500, "ISK", 50_000)]
    [InlineData(5_000, "UGX", 5_000)]
    [InlineData(12_300, "MGA", 123)]
    public void Amounts_AreConvertedToStripeUnits(long minor, string currency, long expected)
    {
        var money = Money.Of(minor, currency);
        Assert.Equal(expected, StripeTransformers.ToStripeAmount(money));
        Assert.Equal(money, StripeTransformers.FromStripeAmount(expected, currency.ToLowerInvariant()));
    }

    [Fact]
    public void ThreeDecimalAmount_NotEndingInZero_IsRefused() =>
        Assert.Throws<ArgumentException>(() => StripeTransformers.ToStripeAmount(Money.Of(1_255, "KWD")));

    [Fact]
    public void AuthorizeForm_HasBracketedCardFields_AndMasksSecrets()
    {
        var form = StripeTransformers.AuthorizeForm(new AuthorizeRequest
        {
            PaymentId = "pay_1",
            AttemptId = "att_1",
            IdempotencyKey = "key_1",
            Amount = Money.Of(1_000, "JPY"),
            Capture = false,
            Card = Scenarios.ScenarioCards.Approved,
            ReturnUrl = "https://m.example/r",
        }, "https://m.example/r");
        Assert.Equal("1000", form.Get("amount"));
        Assert.Equal("jpy", form.Get("currency"));
        Assert.Equal("manual", form.Get("capture_method"));
        Assert.Equal("true", form.Get("confirm"));
        Assert.Equal("***", form.Get("payment_method_data[card][number]"));
        Assert.Equal("***", form.Get("payment_method_data[card][cvc]"));
        Assert.Equal("3", form.Get("payment_method_data[card][exp_month]"));
        Assert.Equal("pay_1", form.Get("metadata[gateway_payment_id]"));
        Assert.DoesNotContain("4242424242424242", form.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_Valid_IsAccepted()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":\"evt_1\"}");
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var sig = StripeWebhookTransformers.ComputeSignature(1_700_000_000, body, "whsec_x");
        Assert.Null(StripeWebhookTransformers.VerifySignature($"t=1700000000,v1=deadbeef,v1={sig},v0=zzz", body, "whsec_x", now, TimeSpan.FromSeconds(300)));
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("", "missing")]
    [InlineData("v1=abc", "malformed")]
    [InlineData("t=1700000000", "malformed")]
    [InlineData("t=1700000000,v1=0000", "no matching")]
    public void Signature_Invalid_IsRejected(string? header, string expectedReason)
    {
        var reason = StripeWebhookTransformers.VerifySignature(header, "{}"u8, "whsec_x", DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), TimeSpan.FromSeconds(300));
        Assert.Contains(expectedReason, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_OutsideTolerance_IsRejected()
    {
        var body = "{}"u8.ToArray();
        var sig = StripeWebhookTransformers.ComputeSignature(1_700_000_000, body, "whsec_x");
        var reason = StripeWebhookTransformers.VerifySignature($"t=1700000000,v1={sig}", body, "whsec_x", DateTimeOffset.FromUnixTimeSeconds(1_700_000_301), TimeSpan.FromSeconds(300));
        Assert.Contains("tolerance", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("payment_intent.amount_capturable_updated", "requires_capture", false, ProviderNotificationKind.Authorization, ProviderOutcome.Authorized)]
    [InlineData("payment_intent.succeeded", "succeeded", true, ProviderNotificationKind.Authorization, ProviderOutcome.Succeeded)]
    [InlineData("payment_intent.succeeded", "succeeded", false, ProviderNotificationKind.Capture, ProviderOutcome.Succeeded)]
    [InlineData("payment_intent.canceled", "canceled", false, ProviderNotificationKind.Cancellation, ProviderOutcome.Succeeded)]
    [InlineData("payment_intent.processing", "processing", false, ProviderNotificationKind.Authorization, ProviderOutcome.Pending)]
    [InlineData("payment_intent.something_new", "requires_capture", false, ProviderNotificationKind.Other, ProviderOutcome.Pending)]
    public void PaymentIntentEvents_MapToNotifications(string type, string status, bool automatic, ProviderNotificationKind kind, ProviderOutcome outcome)
    {
        var evt = Parse(StripeFixtures.Event(type, StripeFixtures.PaymentIntent("pi_1", status, 1_050, "eur", automatic, "pay_1")).ToJsonString());
        var notification = StripeWebhookTransformers.ToNotification(evt);
        Assert.Equal(kind, notification.Kind);
        Assert.Equal(outcome, notification.Outcome);
        Assert.Equal("pi_1", notification.ProviderReference);
        Assert.Equal(type, notification.RawEventType);
        if (kind != ProviderNotificationKind.Other)
        {
            Assert.Equal("pay_1", notification.MerchantReference);
            Assert.Equal(Money.Of(1_050, "EUR"), notification.Amount);
        }
    }

    [Fact]
    public void PaymentFailedEvent_IsDeclinedWithCode()
    {
        var pi = StripeFixtures.PaymentIntent("pi_1", "requires_payment_method", 1_050, "eur", false, "pay_1");
        pi["last_payment_error"] = new System.Text.Json.Nodes.JsonObject { ["code"] = "card_declined", ["decline_code"] = "insufficient_funds" };
        var notification = StripeWebhookTransformers.ToNotification(Parse(StripeFixtures.Event("payment_intent.payment_failed", pi).ToJsonString()));
        Assert.Equal(ProviderOutcome.Declined, notification.Outcome);
        Assert.Equal(DeclineCodes.InsufficientFunds, notification.DeclineCode);
    }

    [Theory]
    [InlineData("refund.updated", "succeeded", ProviderOutcome.Succeeded)]
    [InlineData("refund.updated", "failed", ProviderOutcome.Declined)]
    [InlineData("refund.created", "pending", ProviderOutcome.Pending)]
    [InlineData("charge.refund.updated", "succeeded", ProviderOutcome.Succeeded)]
    public void RefundEvents_MapToRefundNotifications(string type, string status, ProviderOutcome outcome)
    {
        var notification = StripeWebhookTransformers.ToNotification(Parse(StripeFixtures.Event(type, StripeFixtures.Refund("re_1", status, 400, "eur", "pi_1")).ToJsonString()));
        Assert.Equal(ProviderNotificationKind.Refund, notification.Kind);
        Assert.Equal(outcome, notification.Outcome);
        Assert.Equal("re_1", notification.ProviderReference);
        Assert.Equal("re_scenario", notification.MerchantReference);
        Assert.Equal(Money.Of(400, "EUR"), notification.Amount);
    }

    [Fact]
    public void ChargeRefundedEvent_WithEmbeddedRefunds_IsASucceededRefundWithItsId()
    {
        // Endpoints on API versions before 2022-11-15 still embed the charge's refunds.
        var charge = StripeFixtures.Resource("charge");
        charge["amount_refunded"] = 400;
        charge["currency"] = "eur";
        charge["metadata"] = new System.Text.Json.Nodes.JsonObject { ["gateway_payment_id"] = "pay_1" };
        charge["refunds"] = new System.Text.Json.Nodes.JsonObject
        {
            ["object"] = "list",
            ["data"] = new System.Text.Json.Nodes.JsonArray(StripeFixtures.Refund("re_embedded", "succeeded", 400, "eur", "pi_1")),
        };
        var notification = StripeWebhookTransformers.ToNotification(Parse(StripeFixtures.Event("charge.refunded", charge).ToJsonString()));
        Assert.Equal(ProviderNotificationKind.Refund, notification.Kind);
        Assert.Equal(ProviderOutcome.Succeeded, notification.Outcome);
        Assert.Equal("re_embedded", notification.ProviderReference);
        Assert.Equal(Money.Of(400, "EUR"), notification.Amount);
        Assert.Equal("pay_1", notification.MerchantReference);
    }

    [Fact]
    public void ChargeRefundedEvent_OnThePinnedVersion_IsNotActedOn_TheRefundEventsSettleRefunds()
    {
        // Since 2022-11-15 a Charge no longer embeds its refunds: the event cannot name its refund, so refund.* does.
        var charge = StripeFixtures.Resource("charge");
        charge.Remove("refunds");
        charge["amount_refunded"] = 400;
        charge["currency"] = "eur";
        var notification = StripeWebhookTransformers.ToNotification(Parse(StripeFixtures.Event("charge.refunded", charge).ToJsonString()));
        Assert.Equal(ProviderNotificationKind.Other, notification.Kind);
        Assert.Equal(ProviderOutcome.Pending, notification.Outcome);

        var refund = StripeFixtures.Refund("re_3Pinned", "succeeded", 400, "eur", "pi_1");
        refund["metadata"] = new System.Text.Json.Nodes.JsonObject { ["gateway_refund_id"] = "re_gateway_1" };
        var updated = StripeWebhookTransformers.ToNotification(Parse(StripeFixtures.Event("refund.updated", refund).ToJsonString()));
        Assert.Equal(ProviderNotificationKind.Refund, updated.Kind);
        Assert.Equal("re_3Pinned", updated.ProviderReference);
        Assert.Equal("re_gateway_1", updated.MerchantReference);
        Assert.Equal(ProviderOutcome.Succeeded, updated.Outcome);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
