using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PaymentGateway.Providers.Stripe;

/// <summary>Which gateway flow a PaymentIntent answer belongs to; <c>canceled</c> means success only for a void.</summary>
public enum StripeFlow
{
    /// <summary>Authorize, sync or 3-D Secure completion.</summary>
    Payment,

    /// <summary>Capture.</summary>
    Capture,

    /// <summary>Void (cancel).</summary>
    Void,
}

/// <summary>What the transport does with a Stripe error answer.</summary>
public enum StripeErrorDisposition
{
    /// <summary>A business answer (card declined, invalid state): a declined result, not an exception.</summary>
    Declined,

    /// <summary>Stripe did not process the request (503, 502, 429, auth): safe to try elsewhere.</summary>
    Unavailable,

    /// <summary>Stripe may have processed it (500, 504, a concurrent request with the same key): reconcile, never retry with a new key.</summary>
    OutcomeUnknown,
}

/// <summary>A Stripe error object (<c>{"error": {...}}</c>), without anything card related.</summary>
public sealed record StripeError
{
    /// <summary><c>card_error</c>, <c>invalid_request_error</c>, <c>api_error</c>, <c>idempotency_error</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The error code (<c>card_declined</c>, <c>expired_card</c>, ...).</summary>
    public string? Code { get; init; }

    /// <summary>The issuer's decline code for card errors.</summary>
    public string? DeclineCode { get; init; }

    /// <summary>Stripe's human-readable message.</summary>
    public string? Message { get; init; }

    /// <summary>The PaymentIntent id the error concerns, when Stripe includes it.</summary>
    public string? PaymentIntentId { get; init; }
}

/// <summary>
/// Pure translations between gateway types and Stripe's wire types: form bodies, PaymentIntent and Refund statuses,
/// error objects, decline codes, amounts and webhook events. No I/O; table-tested.
/// </summary>
public static class StripeTransformers
{
    /// <summary>Metadata key carrying the gateway payment id (echoed back in webhooks).</summary>
    public const string PaymentIdMetadataKey = "gateway_payment_id";

    /// <summary>Metadata key carrying the gateway attempt id.</summary>
    public const string AttemptIdMetadataKey = "gateway_attempt_id";

    /// <summary>Metadata key carrying the attempt's idempotency key (how sync finds an attempt without a reference).</summary>
    public const string IdempotencyKeyMetadataKey = "gateway_idempotency_key";

    /// <summary>Metadata key carrying the gateway refund id.</summary>
    public const string RefundIdMetadataKey = "gateway_refund_id";

    // Stripe's zero-decimal currencies (docs.stripe.com/currencies). ISK is ISO zero-decimal but Stripe wants two decimals.
    private static readonly FrozenSet<string> ZeroDecimal = FrozenSet.ToFrozenSet(
        ["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"], StringComparer.Ordinal);

    private static readonly FrozenSet<string> ThreeDecimal = FrozenSet.ToFrozenSet(["BHD", "JOD", "KWD", "OMR", "TND"], StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> DeclineCodeMap = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["insufficient_funds"] = DeclineCodes.InsufficientFunds,
        ["withdrawal_count_limit_exceeded"] = DeclineCodes.InsufficientFunds,
        ["card_velocity_exceeded"] = DeclineCodes.InsufficientFunds,
        ["incorrect_cvc"] = DeclineCodes.IncorrectCvc,
        ["invalid_cvc"] = DeclineCodes.IncorrectCvc,
        ["expired_card"] = DeclineCodes.ExpiredCard,
        ["processing_error"] = DeclineCodes.ProcessingError,
        ["issuer_not_available"] = DeclineCodes.ProcessingError,
        ["try_again_later"] = DeclineCodes.ProcessingError,
        ["reenter_transaction"] = DeclineCodes.ProcessingError,
        ["authentication_required"] = DeclineCodes.AuthenticationFailed,
        ["payment_intent_authentication_failure"] = DeclineCodes.AuthenticationFailed,
        ["fraudulent"] = DeclineCodes.Fraudulent,
        ["merchant_blacklist"] = DeclineCodes.Fraudulent,
        ["security_violation"] = DeclineCodes.Fraudulent,
        ["lost_card"] = DeclineCodes.LostOrStolen,
        ["stolen_card"] = DeclineCodes.LostOrStolen,
        ["pickup_card"] = DeclineCodes.LostOrStolen,
        ["restricted_card"] = DeclineCodes.LostOrStolen,
        ["generic_decline"] = DeclineCodes.GenericDecline,
        ["do_not_honor"] = DeclineCodes.GenericDecline,
        ["card_declined"] = DeclineCodes.GenericDecline,
        ["call_issuer"] = DeclineCodes.GenericDecline,
        ["card_not_supported"] = DeclineCodes.GenericDecline,
        ["currency_not_supported"] = DeclineCodes.GenericDecline,
        ["incorrect_number"] = DeclineCodes.GenericDecline,
        ["invalid_number"] = DeclineCodes.GenericDecline,
        ["invalid_account"] = DeclineCodes.GenericDecline,
        ["not_permitted"] = DeclineCodes.GenericDecline,
        ["transaction_not_allowed"] = DeclineCodes.GenericDecline,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // ---- amounts ----

    /// <summary>The number of decimals Stripe expects for a currency.</summary>
    public static int StripeExponent(Currency currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        return ZeroDecimal.Contains(currency.Code) ? 0 : ThreeDecimal.Contains(currency.Code) ? 3 : 2;
    }

    /// <summary>The amount in Stripe's units; throws <see cref="ArgumentException"/> when Stripe cannot represent it.</summary>
    public static long ToStripeAmount(Money amount)
    {
        var value = Rescale(amount.MinorUnits, amount.Currency.Exponent, StripeExponent(amount.Currency));
        if (StripeExponent(amount.Currency) == 3 && value % 10 != 0)
        {
            // Stripe documents that three-decimal amounts must end in 0.
            throw new ArgumentException($"Stripe needs {amount.Currency.Code} amounts in multiples of 10 minor units.", nameof(amount));
        }

        return value;
    }

    /// <summary>A Stripe amount and (lower-case) currency back to gateway money; null for an unknown currency.</summary>
    public static Money? FromStripeAmount(long amount, string? currency)
    {
        if (!Currency.TryFind(currency, out var found))
        {
            return null;
        }

        return new Money(Rescale(amount, StripeExponent(found), found.Exponent), found);
    }

    private static long Rescale(long value, int fromExponent, int toExponent)
    {
        var factor = 1L;
        for (var i = 0; i < Math.Abs(toExponent - fromExponent); i++)
        {
            factor = checked(factor * 10);
        }

        if (toExponent >= fromExponent)
        {
            return checked(value * factor);
        }

        if (value % factor != 0)
        {
            throw new ArgumentException($"The amount {value} cannot be represented with {toExponent} decimals.", nameof(value));
        }

        return value / factor;
    }

    // ---- requests ----

    /// <summary>
    /// <c>POST /v1/payment_intents</c>: create and confirm with raw card data (test mode), manual or automatic capture,
    /// the gateway ids in metadata.
    /// </summary>
    public static StripeForm AuthorizeForm(AuthorizeRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var card = request.Card;
        return new StripeForm()
            .Add("amount", ToStripeAmount(request.Amount))
            .Add("currency", request.Amount.Currency.Code.ToLowerInvariant())
            .Add("capture_method", request.Capture ? "automatic" : "manual")
            .Add("confirm", "true")
            .Add("payment_method_types[0]", "card")
            .Add("payment_method_data[type]", "card")
            .AddSecret("payment_method_data[card][number]", card.Number)
            .Add("payment_method_data[card][exp_month]", card.ExpMonth)
            .Add("payment_method_data[card][exp_year]", card.ExpYear)
            .AddSecret("payment_method_data[card][cvc]", card.Cvc)
            .Add("payment_method_data[billing_details][name]", card.HolderName)
            .Add("return_url", request.ReturnUrl)
            .Add("description", request.Description)
            .Add($"metadata[{PaymentIdMetadataKey}]", request.PaymentId)
            .Add($"metadata[{AttemptIdMetadataKey}]", request.AttemptId)
            .Add($"metadata[{IdempotencyKeyMetadataKey}]", request.IdempotencyKey);
    }

    /// <summary><c>POST /v1/payment_intents/{id}/capture</c>.</summary>
    public static StripeForm CaptureForm(CaptureRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new StripeForm().Add("amount_to_capture", ToStripeAmount(request.Amount));
    }

    /// <summary><c>POST /v1/payment_intents/{id}/cancel</c>: no fields needed.</summary>
    public static StripeForm VoidForm(VoidRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new StripeForm();
    }

    /// <summary><c>POST /v1/refunds</c>.</summary>
    public static StripeForm RefundForm(RefundRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new StripeForm()
            .Add("payment_intent", request.ProviderReference)
            .Add("amount", ToStripeAmount(request.Amount))
            .Add($"metadata[{RefundIdMetadataKey}]", request.RefundId)
            .Add($"metadata[{PaymentIdMetadataKey}]", request.PaymentId);
    }

    /// <summary>The search query that finds an attempt's PaymentIntent by its idempotency key.</summary>
    public static string SyncSearchQuery(string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        var escaped = idempotencyKey.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        return $"metadata['{IdempotencyKeyMetadataKey}']:'{escaped}'";
    }

    // ---- responses ----

    /// <summary>Maps a PaymentIntent to the normalized outcome; any status not listed maps to pending.</summary>
    public static ProviderPaymentResult ToPaymentResult(JsonElement paymentIntent, StripeFlow flow)
    {
        var status = String(paymentIntent, "status");
        var id = String(paymentIntent, "id");
        switch (status)
        {
            case "requires_capture":
                return Result(ProviderOutcome.Authorized);
            case "succeeded":
                return Result(ProviderOutcome.Succeeded);
            case "requires_action":
                return Result(ProviderOutcome.RequiresAction) with { RedirectUrl = RedirectUrl(paymentIntent) };
            case "processing":
            case "requires_confirmation":
                return Result(ProviderOutcome.Pending);
            case "requires_payment_method":
                if (paymentIntent.TryGetProperty("last_payment_error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    return Result(ProviderOutcome.Declined) with
                    {
                        DeclineCode = MapDeclineCode(String(error, "code"), String(error, "decline_code")),
                        Message = String(error, "message"),
                    };
                }

                return Result(ProviderOutcome.Pending);
            case "canceled":
                return flow == StripeFlow.Void
                    ? Result(ProviderOutcome.Succeeded)
                    : Result(ProviderOutcome.Declined) with
                    {
                        DeclineCode = DeclineCodes.GenericDecline,
                        Message = "The payment was canceled" + (String(paymentIntent, "cancellation_reason") is { } reason ? $" ({reason})." : "."),
                    };
            default:
                return Result(ProviderOutcome.Pending);
        }

        ProviderPaymentResult Result(ProviderOutcome outcome) => new() { Outcome = outcome, ProviderReference = id, RawStatus = status };
    }

    /// <summary>Maps a Refund object; any status not listed maps to pending.</summary>
    public static ProviderRefundResult ToRefundResult(JsonElement refund)
    {
        var status = String(refund, "status");
        var outcome = RefundOutcome(status);
        return new ProviderRefundResult
        {
            Outcome = outcome,
            ProviderReference = String(refund, "id"),
            FailureReason = outcome == ProviderOutcome.Declined ? String(refund, "failure_reason") ?? status : null,
        };
    }

    /// <summary>A refund status to an outcome: succeeded, failed/canceled (declined), everything else pending.</summary>
    public static ProviderOutcome RefundOutcome(string? status) => status switch
    {
        "succeeded" => ProviderOutcome.Succeeded,
        "failed" or "canceled" => ProviderOutcome.Declined,
        _ => ProviderOutcome.Pending,
    };

    /// <summary>Normalizes Stripe's <c>decline_code</c> (preferred) or error <c>code</c>; unknown codes are a generic decline.</summary>
    public static string MapDeclineCode(string? code, string? declineCode)
    {
        if (declineCode is not null && DeclineCodeMap.TryGetValue(declineCode, out var fromDecline))
        {
            return fromDecline;
        }

        if (code is not null && DeclineCodeMap.TryGetValue(code, out var fromCode))
        {
            return fromCode;
        }

        return DeclineCodes.GenericDecline;
    }

    /// <summary>Reads Stripe's error object from a response body; null when the body is not one.</summary>
    public static StripeError? ParseError(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string? paymentIntentId = null;
        if (error.TryGetProperty("payment_intent", out var pi) && pi.ValueKind == JsonValueKind.Object)
        {
            paymentIntentId = String(pi, "id");
        }

        return new StripeError
        {
            Type = String(error, "type"),
            Code = String(error, "code"),
            DeclineCode = String(error, "decline_code"),
            Message = String(error, "message"),
            PaymentIntentId = paymentIntentId,
        };
    }

    /// <summary>
    /// Decides what an error answer means. 402 and card errors are declines; 400/404 are business refusals (declined
    /// with <c>processing_error</c>); 401/403/429/502/503 were not processed; 409 (the same key still running or reused),
    /// idempotency errors, 500, 504 and anything else may have been processed.
    /// </summary>
    public static StripeErrorDisposition ClassifyError(int statusCode, StripeError? error)
    {
        if (error?.Type == "idempotency_error" || statusCode == 409)
        {
            return StripeErrorDisposition.OutcomeUnknown;
        }

        if (statusCode == 402 || error?.Type == "card_error")
        {
            return StripeErrorDisposition.Declined;
        }

        return statusCode switch
        {
            400 or 404 => StripeErrorDisposition.Declined,
            401 or 403 or 429 or 502 or 503 => StripeErrorDisposition.Unavailable,
            _ => StripeErrorDisposition.OutcomeUnknown,
        };
    }

    /// <summary>The declined result for an error answer classified <see cref="StripeErrorDisposition.Declined"/>.</summary>
    public static ProviderPaymentResult DeclinedFromError(int statusCode, StripeError? error, string? providerReference) => new()
    {
        Outcome = ProviderOutcome.Declined,
        ProviderReference = error?.PaymentIntentId ?? providerReference,
        DeclineCode = statusCode == 402 || error?.Type == "card_error"
            ? MapDeclineCode(error?.Code, error?.DeclineCode)
            : DeclineCodes.ProcessingError,
        Message = error?.Message,
        RawStatus = error?.DeclineCode ?? error?.Code ?? error?.Type,
    };

    // ---- webhooks ----

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
    /// <c>charge.refunded</c> and refund events to refunds; anything else to <see cref="ProviderNotificationKind.Other"/>.
    /// </summary>
    public static ProviderNotification ToNotification(JsonElement stripeEvent)
    {
        var type = String(stripeEvent, "type");
        var obj = stripeEvent.TryGetProperty("data", out var data) && data.TryGetProperty("object", out var o) ? o : default;
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return new ProviderNotification { Kind = ProviderNotificationKind.Other, Outcome = ProviderOutcome.Pending, RawEventType = type };
        }

        var amount = obj.TryGetProperty("amount", out var a) && a.TryGetInt64(out var value) ? FromStripeAmount(value, String(obj, "currency")) : null;
        var paymentId = Metadata(obj, PaymentIdMetadataKey);
        switch (type)
        {
            case "payment_intent.amount_capturable_updated":
                return Payment(ProviderNotificationKind.Authorization, ProviderOutcome.Authorized);
            case "payment_intent.succeeded":
                // Automatic capture: authorization and capture in one; manual: the capture completed.
                var kind = String(obj, "capture_method") == "manual" ? ProviderNotificationKind.Capture : ProviderNotificationKind.Authorization;
                return Payment(kind, ProviderOutcome.Succeeded);
            case "payment_intent.payment_failed":
                var failed = ToPaymentResult(obj, StripeFlow.Payment);
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
            case "charge.refunded":
                var refundedAmount = obj.TryGetProperty("amount_refunded", out var r) && r.TryGetInt64(out var refunded)
                    ? FromStripeAmount(refunded, String(obj, "currency"))
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
                    Outcome = RefundOutcome(String(obj, "status")),
                    ProviderReference = String(obj, "id"),
                    MerchantReference = Metadata(obj, RefundIdMetadataKey),
                    Amount = amount,
                    RawEventType = type,
                };
            default:
                return new ProviderNotification
                {
                    Kind = ProviderNotificationKind.Other,
                    Outcome = ProviderOutcome.Pending,
                    ProviderReference = String(obj, "id"),
                    RawEventType = type,
                };
        }

        ProviderNotification Payment(ProviderNotificationKind kind, ProviderOutcome outcome) => new()
        {
            Kind = kind,
            Outcome = outcome,
            ProviderReference = String(obj, "id"),
            MerchantReference = paymentId,
            Amount = amount,
            RawEventType = type,
        };
    }

    // ---- helpers ----

    private static string? RedirectUrl(JsonElement paymentIntent) =>
        paymentIntent.TryGetProperty("next_action", out var next) && next.ValueKind == JsonValueKind.Object
        && next.TryGetProperty("redirect_to_url", out var redirect) && redirect.ValueKind == JsonValueKind.Object
            ? String(redirect, "url")
            : null;

    private static string? LatestRefundId(JsonElement charge) =>
        charge.TryGetProperty("refunds", out var refunds) && refunds.ValueKind == JsonValueKind.Object
        && refunds.TryGetProperty("data", out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
            ? String(list[0], "id")
            : null;

    private static string? Metadata(JsonElement obj, string key) =>
        obj.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object ? String(metadata, key) : null;

    internal static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
