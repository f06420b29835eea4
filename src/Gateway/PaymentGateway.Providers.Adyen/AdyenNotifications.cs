using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Adyen;

/// <summary>
/// Adyen's standard webhook (notification) items: the HMAC signature over the documented signing string, and the mapping
/// of an item's <c>eventCode</c>/<c>success</c> to a <see cref="ProviderNotification"/>.
/// </summary>
public static class AdyenNotifications
{
    /// <summary>
    /// The signing string of a notification item: <c>pspReference:originalReference:merchantAccountCode:
    /// merchantReference:value:currency:eventCode:success</c>, absent fields empty.
    /// </summary>
    public static string SigningString(JsonElement item)
    {
        var amount = item.TryGetProperty("amount", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
        var value = amount.ValueKind == JsonValueKind.Object && amount.TryGetProperty("value", out var v) ? v.ValueKind == JsonValueKind.Number ? v.GetRawText() : v.GetString() : null;
        return string.Join(':',
            item.String("pspReference") ?? string.Empty,
            item.String("originalReference") ?? string.Empty,
            item.String("merchantAccountCode") ?? string.Empty,
            item.String("merchantReference") ?? string.Empty,
            value ?? string.Empty,
            amount.String("currency") ?? string.Empty,
            item.String("eventCode") ?? string.Empty,
            item.String("success") ?? string.Empty);
    }

    /// <summary>Base64 HMAC-SHA256 of <paramref name="signingString"/> keyed with the hex HMAC key.</summary>
    public static string ComputeHmac(string signingString, string hexKey)
    {
        ArgumentNullException.ThrowIfNull(signingString);
        ArgumentNullException.ThrowIfNull(hexKey);
        return Convert.ToBase64String(HMACSHA256.HashData(Convert.FromHexString(hexKey), Encoding.UTF8.GetBytes(signingString)));
    }

    /// <summary>True when the item's <c>additionalData.hmacSignature</c> matches (constant-time comparison).</summary>
    public static bool VerifyHmac(JsonElement item, string hexKey)
    {
        var additional = item.TryGetProperty("additionalData", out var ad) ? ad : default;
        if (additional.String("hmacSignature") is not { } received)
        {
            return false;
        }

        byte[] expected;
        try
        {
            expected = Encoding.ASCII.GetBytes(ComputeHmac(SigningString(item), hexKey));
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(received));
    }

    /// <summary>
    /// A (verified) notification item to a notification: AUTHORISATION, CAPTURE/CAPTURE_FAILED, CANCELLATION,
    /// CANCEL_OR_REFUND (a cancellation or a refund by <c>additionalData.modification.action</c>),
    /// REFUND/REFUND_FAILED/REFUNDED_REVERSED; <c>success: "false"</c> is declined; anything else is
    /// <see cref="ProviderNotificationKind.Other"/> and pending.
    /// </summary>
    public static ProviderNotification ToNotification(JsonElement item)
    {
        var eventCode = item.String("eventCode");
        var success = string.Equals(item.String("success"), "true", StringComparison.OrdinalIgnoreCase);
        var outcomeIfDone = success ? ProviderOutcome.Succeeded : ProviderOutcome.Declined;
        var psp = item.String("pspReference");
        var original = item.String("originalReference");
        var additional = item.TryGetProperty("additionalData", out var ad) && ad.ValueKind == JsonValueKind.Object ? ad : default;
        if (eventCode == "CANCEL_OR_REFUND")
        {
            // Adyen cancels an uncaptured payment or refunds a captured one, and says which in modification.action.
            eventCode = additional.String("modification.action") == "refund" ? "CANCEL_OR_REFUND:refund" : "CANCEL_OR_REFUND:cancel";
        }

        var (kind, outcome, reference) = eventCode switch
        {
            "AUTHORISATION" => (ProviderNotificationKind.Authorization, success ? ProviderOutcome.Authorized : ProviderOutcome.Declined, psp),
            "CAPTURE" => (ProviderNotificationKind.Capture, outcomeIfDone, original ?? psp),
            "CAPTURE_FAILED" => (ProviderNotificationKind.Capture, ProviderOutcome.Declined, original ?? psp),
            "CANCELLATION" or "CANCEL_OR_REFUND:cancel" or "TECHNICAL_CANCEL" => (ProviderNotificationKind.Cancellation, outcomeIfDone, original ?? psp),
            "REFUND" or "CANCEL_OR_REFUND:refund" => (ProviderNotificationKind.Refund, outcomeIfDone, psp),
            "REFUND_FAILED" or "REFUNDED_REVERSED" => (ProviderNotificationKind.Refund, ProviderOutcome.Declined, psp),
            _ => (ProviderNotificationKind.Other, ProviderOutcome.Pending, psp),
        };

        Money? amount = null;
        if (item.TryGetProperty("amount", out var a) && a.ValueKind == JsonValueKind.Object && a.TryGetProperty("value", out var v) && v.TryGetInt64(out var value))
        {
            amount = AdyenTransformers.FromAdyenAmount(value, a.String("currency"));
        }

        return new ProviderNotification
        {
            Kind = kind,
            Outcome = outcome,
            ProviderReference = reference,
            MerchantReference = item.String("merchantReference"),
            Amount = amount,
            DeclineCode = outcome == ProviderOutcome.Declined
                ? kind == ProviderNotificationKind.Authorization ? AdyenTransformers.MapRefusalReason(null, item.String("reason")) : DeclineCodes.ProcessingError
                : null,
            RawEventType = item.String("eventCode"),
            EventId = psp is null ? null : $"{psp}:{item.String("eventCode")}:{(success ? "true" : "false")}",
        };
    }
}
