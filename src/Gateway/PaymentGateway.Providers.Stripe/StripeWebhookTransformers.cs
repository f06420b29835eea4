using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Stripe;

/// <summary>
/// Pure translations of Stripe's webhooks: the <c>Stripe-Signature</c> scheme and events to notifications. No I/O;
/// table-tested.
/// </summary>
public static class StripeWebhookTransformers
{
    /// <summary>The <c>v1</c> signature: hex HMAC-SHA256 of <c>{t}.{payload}</c> keyed with the endpoint secret.</summary>
    public static string ComputeSignature(long timestamp, ReadOnlySpan<byte> payload, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + payload.Length];
        prefix.CopyTo(signed, 0);
        payload.CopyTo(signed.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>
    /// Verifies a <c>Stripe-Signature</c> header (<c>t=...,v1=...[,v1=...]</c>): one <c>v1</c> must match and the
    /// timestamp must be within <paramref name="tolerance"/> of <paramref name="now"/>. Returns null when valid, else why not.
    /// </summary>
    public static string? VerifySignature(string? header, ReadOnlySpan<byte> payload, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return "missing Stripe-Signature header";
        }

        long? timestamp = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            var key = part[..eq];
            var value = part[(eq + 1)..];
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (key == "v1")
            {
                signatures.Add(value);
            }
        }

        if (timestamp is not { } ts || signatures.Count == 0)
        {
            return "malformed Stripe-Signature header";
        }

        var expected = Encoding.ASCII.GetBytes(ComputeSignature(ts, payload, secret));
        var matched = signatures.Any(s => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(s)));
        if (!matched)
        {
            return "no matching v1 signature";
        }

        return Math.Abs(now.ToUnixTimeSeconds() - ts) > tolerance.TotalSeconds ? "timestamp outside the tolerance" : null;
    }

    /// <summary>
    /// Maps a (verified) event to a notification: PaymentIntent events to authorization, capture or cancellation;
    /// <c>refund.created</c>/<c>refund.updated</c>/<c>refund.failed</c> (the Refund object) to refunds, and
    /// <c>charge.refunded</c> only when the charge still embeds its refunds (API versions before 2022-11-15); anything
    /// else to <see cref="ProviderNotificationKind.Other"/>.
    /// </summary>
    public static ProviderNotification ToNotification(JsonElement stripeEvent)
    {
        var type = stripeEvent.String("type");
        var obj = stripeEvent.TryGetProperty("data", out var data) && data.TryGetProperty("object", out var o) ? o : default;
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return new ProviderNotification { Kind = ProviderNotificationKind.Other, Outcome = ProviderOutcome.Pending, RawEventType = type };
        }

        var amount = obj.TryGetProperty("amount", out var a) && a.TryGetInt64(out var value) ? StripeTransformers.FromStripeAmount(value, obj.String("currency")) : null;
        var paymentId = StripeTransformers.Metadata(obj, StripeTransformers.PaymentIdMetadataKey);
        switch (type)
        {
            case "payment_intent.amount_capturable_updated":
                return Payment(ProviderNotificationKind.Authorization, ProviderOutcome.Authorized);
            case "payment_intent.succeeded":
                // Automatic capture: authorization and capture in one; manual: the capture completed.
                var kind = obj.String("capture_method") == "manual" ? ProviderNotificationKind.Capture : ProviderNotificationKind.Authorization;
                return Payment(kind, ProviderOutcome.Succeeded);
            case "payment_intent.payment_failed":
                var failed = StripeTransformers.ToPaymentResult(obj, StripeFlow.Payment);
                return Payment(ProviderNotificationKind.Authorization, ProviderOutcome.Declined) with
                {
                    DeclineCode = failed.DeclineCode ?? DeclineCodes.GenericDecline,
                };
            case "payment_intent.canceled":
                return Payment(ProviderNotificationKind.Cancellation, ProviderOutcome.Succeeded);
            case "payment_intent.processing":
                return Payment(ProviderNotificationKind.Authorization, ProviderOutcome.Pending);
            case "payment_intent.requires_action":
                return Payment(ProviderNotificationKind.Authorization, ProviderOutcome.RequiresAction);
            case "charge.refunded" when LatestRefundId(obj) is null:
                // Since 2022-11-15 a Charge no longer embeds its refunds, so this event cannot say which refund it is
                // about: the refund.* events (the Refund object, with its id and gateway metadata) settle refunds.
                return new ProviderNotification
                {
                    Kind = ProviderNotificationKind.Other,
                    Outcome = ProviderOutcome.Pending,
                    ProviderReference = obj.String("id"),
                    MerchantReference = paymentId,
                    RawEventType = type,
                };
            case "charge.refunded":
                var refundedAmount = obj.TryGetProperty("amount_refunded", out var r) && r.TryGetInt64(out var refunded)
                    ? StripeTransformers.FromStripeAmount(refunded, obj.String("currency"))
                    : amount;
                return new ProviderNotification
                {
                    Kind = ProviderNotificationKind.Refund,
                    Outcome = ProviderOutcome.Succeeded,
                    ProviderReference = LatestRefundId(obj),
                    MerchantReference = paymentId,
                    Amount = refundedAmount,
                    RawEventType = type,
                };
            case "refund.created":
            case "refund.updated":
            case "refund.failed":
            case "charge.refund.updated":
                return new ProviderNotification
                {
                    Kind = ProviderNotificationKind.Refund,
                    Outcome = StripeTransformers.RefundOutcome(obj.String("status")),
                    ProviderReference = obj.String("id"),
                    MerchantReference = StripeTransformers.Metadata(obj, StripeTransformers.RefundIdMetadataKey),
                    Amount = amount,
                    RawEventType = type,
                };
            default:
                return new ProviderNotification
                {
                    Kind = ProviderNotificationKind.Other,
                    Outcome = ProviderOutcome.Pending,
                    ProviderReference = obj.String("id"),
                    RawEventType = type,
                };
        }

        ProviderNotification Payment(ProviderNotificationKind kind, ProviderOutcome outcome) => new()
        {
            Kind = kind,
            Outcome = outcome,
            ProviderReference = obj.String("id"),
            MerchantReference = paymentId,
            Amount = amount,
            RawEventType = type,
        };
    }

    private static string? LatestRefundId(JsonElement charge) =>
        charge.TryGetProperty("refunds", out var refunds) && refunds.ValueKind == JsonValueKind.Object
        && refunds.TryGetProperty("data", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
            ? list[0].String("id")
            : null;
}
