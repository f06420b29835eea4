using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.CheckoutCom;

/// <summary>Checkout.com's error body: <c>request_id</c>, <c>error_type</c> and <c>error_codes</c>.</summary>
public sealed record CheckoutComError
{
    /// <summary>The request id, for support.</summary>
    public string? RequestId { get; init; }

    /// <summary>The error category ("request_invalid", "processing_error", ...).</summary>
    public string? ErrorType { get; init; }

    /// <summary>The individual codes ("card_number_invalid", "amount_invalid", ...).</summary>
    public IReadOnlyList<string> ErrorCodes { get; init; } = [];
}

/// <summary>
/// Pure translations between gateway types and Checkout.com Payments API wire types: request bodies, payment
/// statuses, <c>response_code</c> decline codes, action acknowledgements, errors, amounts and signed webhook events.
/// </summary>
public static class CheckoutComTransformers
{
    // Checkout.com formats amounts per its own currency table (checkout.com/docs/resources/calculating-the-amount):
    // its "full value" list matches ISO 4217's zero-decimal currencies except CLP, which it takes in two decimals.
    private static readonly FrozenDictionary<string, int> ExponentOverrides =
        new Dictionary<string, int>(StringComparer.Ordinal) { ["CLP"] = 2 }.ToFrozenDictionary(StringComparer.Ordinal);

    // response_code, response_summary, normalized code (checkout.com/docs/resources/codes/api-response-codes).
    private static readonly (string Code, string Summary, string Normalized)[] ResponseCodes =
    [
        ("20001", "Refer to card issuer", DeclineCodes.GenericDecline),
        ("20002", "Refer to card issuer - Special conditions", DeclineCodes.GenericDecline),
        ("20003", "Invalid merchant or service provider", DeclineCodes.ProcessingError),
        ("20005", "Declined - Do not honour", DeclineCodes.GenericDecline),
        ("20006", "Error / Invalid request parameters", DeclineCodes.ProcessingError),
        ("20012", "Invalid transaction", DeclineCodes.GenericDecline),
        ("20013", "Invalid value/amount", DeclineCodes.GenericDecline),
        ("20014", "Invalid account number (no such number)", DeclineCodes.GenericDecline),
        ("20019", "Re-enter transaction", DeclineCodes.ProcessingError),
        ("20046", "Closed account", DeclineCodes.GenericDecline),
        ("20051", "Insufficient funds", DeclineCodes.InsufficientFunds),
        ("20054", "Expired card", DeclineCodes.ExpiredCard),
        ("20055", "Incorrect PIN", DeclineCodes.GenericDecline),
        ("20057", "Transaction not permitted to cardholder", DeclineCodes.GenericDecline),
        ("20059", "Suspected fraud", DeclineCodes.Fraudulent),
        ("20061", "Activity amount limit exceeded", DeclineCodes.InsufficientFunds),
        ("20062", "Restricted card", DeclineCodes.GenericDecline),
        ("20063", "Security violation", DeclineCodes.Fraudulent),
        ("20065", "Exceeds withdrawal frequency limit", DeclineCodes.InsufficientFunds),
        ("20068", "Response received too late / Timeout", DeclineCodes.ProcessingError),
        ("20082", "Negative CAM, dCVV, iCVV, or CVV results", DeclineCodes.IncorrectCvc),
        ("20087", "Bad track data", DeclineCodes.IncorrectCvc),
        ("20091", "Issuer unavailable or switch is inoperative", DeclineCodes.ProcessingError),
        ("20096", "System malfunction", DeclineCodes.ProcessingError),
        ("200N7", "CVV2 failure", DeclineCodes.IncorrectCvc),
        ("20150", "Card not 3D Secure enabled", DeclineCodes.AuthenticationFailed),
        ("20151", "Cardholder failed 3D Secure authentication", DeclineCodes.AuthenticationFailed),
        ("20154", "3D Secure authentication required", DeclineCodes.AuthenticationRequired),
        ("30004", "Pick up card (No fraud)", DeclineCodes.GenericDecline),
        ("30041", "Lost card - Pick up", DeclineCodes.LostOrStolen),
        ("30043", "Stolen card - Pick up", DeclineCodes.LostOrStolen),
        ("30044", "Closed account", DeclineCodes.GenericDecline),
        ("40101", "Risk blocked transaction", DeclineCodes.Fraudulent),
    ];

    private static readonly FrozenDictionary<string, string> ByResponseCode =
        ResponseCodes.ToFrozenDictionary(r => r.Code, r => r.Normalized, StringComparer.OrdinalIgnoreCase);

    /// <summary>The documented response code table: code, summary, normalized decline code.</summary>
    public static IReadOnlyList<(string Code, string Summary, string Normalized)> ResponseCodeTable => ResponseCodes;

    // ---- amounts ----

    /// <summary>The number of decimals Checkout.com expects for a currency.</summary>
    public static int CheckoutComExponent(Currency currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        return ExponentOverrides.TryGetValue(currency.Code, out var exponent) ? exponent : currency.Exponent;
    }

    /// <summary>
    /// The amount in Checkout.com's units. Three-decimal currencies (BHD, KWD, ...) are sent in thousandths whose
    /// last digit must be 0, as Checkout.com documents; an amount that breaks that rule throws
    /// <see cref="ArgumentException"/> rather than being rounded.
    /// </summary>
    public static long ToCheckoutComAmount(Money amount)
    {
        var exponent = CheckoutComExponent(amount.Currency);
        var value = amount.ToUnits(exponent);
        if (exponent == 3 && value % 10 != 0)
        {
            throw new ArgumentException(
                $"Checkout.com takes {amount.Currency.Code} amounts with a last digit of 0; {amount} cannot be sent.", nameof(amount));
        }

        return value;
    }

    /// <summary>A Checkout.com amount back to gateway money; null for an unknown currency.</summary>
    public static Money? FromCheckoutComAmount(long value, string? currency) =>
        Currency.TryFind(currency, out var found) ? Money.FromUnits(value, CheckoutComExponent(found), found) : null;

    // ---- requests ----

    /// <summary>Checkout.com's longest <c>description</c> (100 characters); a longer one is cut, not refused.</summary>
    public const int MaxDescriptionLength = 100;

    /// <summary>Metadata key carrying the attempt's idempotency key (how sync finds a payment whose create answer was lost).</summary>
    public const string IdempotencyKeyMetadataKey = "gateway_idempotency_key";

    /// <summary>Metadata key saying the payment stores its card (so any read of it returns the stored instrument as references).</summary>
    public const string StoreCardMetadataKey = "gateway_store_card";

    /// <summary>Metadata key saying the payment was created with <c>capture: true</c> (so a read-back <c>Authorized</c> is a capture in flight).</summary>
    public const string CaptureMetadataKey = "gateway_capture";

    /// <summary>
    /// <c>POST /payments</c> with a <c>card</c> source. <c>capture</c> asks for automatic capture; <c>reference</c> is
    /// the gateway payment id (echoed in webhooks); <c>processing_channel_id</c> when the account has one;
    /// <c>payment_ip</c> when the gateway knows the customer's IP; a <c>3ds</c> object unless the account disabled it
    /// (<paramref name="threeDSecure"/> false): <c>enabled</c>, <c>attempt_n3d</c> (fall back to a non-3-D Secure
    /// authorization where the issuer is not enrolled) and a <c>challenge_indicator</c>; <c>success_url</c>/<c>failure_url</c>
    /// for the 3-D Secure redirect. The attempt's idempotency key and the capture mode go into metadata so sync can find
    /// the payment when the create answer was lost and read it correctly. The card number and CVV are revealed here, into
    /// the body only.
    /// </summary>
    public static byte[] PaymentRequestBody(AuthorizeRequest request, string? processingChannelId, string? returnUrl, bool threeDSecure)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stored = request.StoredCredential;
        var sourceId = CheckoutComStoredCards.SourceId(stored);
        var card = request.Card ?? (sourceId is null ? throw new ArgumentException("The Checkout.com adapter sends card data; the request has none.", nameof(request)) : null);
        var merchantInitiated = CheckoutComStoredCards.IsMerchantInitiated(stored);
        var savesCard = stored is { Sequence: StoredCredentialSequence.First };
        return ProviderJson.Write(w =>
        {
            if (sourceId is not null)
            {
                // Checkout.com's stored instrument: the card number stays in the vault.
                CheckoutComStoredCards.WriteSource(w, sourceId);
            }
            else if (card is not null)
            {
                w.WriteStartObject("source");
                w.WriteString("type", "card");
                w.WriteString("number", card.Number.Reveal());
                w.WriteNumber("expiry_month", card.ExpMonth);
                w.WriteNumber("expiry_year", card.ExpYear);
                if (card.Cvc is { } cvc && !merchantInitiated)
                {
                    w.WriteString("cvv", cvc.Reveal());
                }

                if (card.HolderName is { } holder)
                {
                    w.WriteString("name", holder);
                }

                if (stored is not null)
                {
                    w.WriteBoolean("store_for_future_use", savesCard);
                }

                w.WriteEndObject();
            }

            w.WriteNumber("amount", ToCheckoutComAmount(request.Amount));
            w.WriteString("currency", request.Amount.Currency.Code);
            w.WriteString("payment_type", CheckoutComStoredCards.PaymentType(stored));
            CheckoutComStoredCards.Write(w, stored);
            w.WriteBoolean("capture", request.Capture);
            w.WriteString("reference", request.PaymentId);
            if (request.Description is { } description)
            {
                w.WriteString("description", description.Length > MaxDescriptionLength ? description[..MaxDescriptionLength] : description);
            }

            if (processingChannelId is not null)
            {
                w.WriteString("processing_channel_id", processingChannelId);
            }

            if (request.Browser?.IpAddress is { } ip)
            {
                w.WriteString("payment_ip", ip);
            }

            if (threeDSecure && !merchantInitiated)
            {
                w.WriteStartObject("3ds");
                w.WriteBoolean("enabled", true);
                w.WriteBoolean("attempt_n3d", true);
                w.WriteString("challenge_indicator", request.ThreeDSecure == ThreeDSecurePreference.Challenge ? "challenge_requested" : "no_preference");
                w.WriteEndObject();
            }

            if (returnUrl is not null)
            {
                w.WriteString("success_url", returnUrl);
                w.WriteString("failure_url", returnUrl);
            }

            w.WriteStartObject("metadata");
            w.WriteString("gateway_attempt_id", request.AttemptId);
            w.WriteString(IdempotencyKeyMetadataKey, request.IdempotencyKey);
            if (request.Capture)
            {
                w.WriteString(CaptureMetadataKey, "true");
            }

            if (savesCard)
            {
                w.WriteString(StoreCardMetadataKey, "true");
            }

            w.WriteEndObject();
        });
    }

    /// <summary><c>POST /payments/{id}/captures</c>: the amount (partial capture allowed) and the payment id as reference.</summary>
    public static byte[] CaptureBody(CaptureRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ProviderJson.Write(w =>
        {
            w.WriteNumber("amount", ToCheckoutComAmount(request.Amount));
            w.WriteString("reference", request.PaymentId);
        });
    }

    /// <summary><c>POST /payments/{id}/voids</c>.</summary>
    public static byte[] VoidBody(VoidRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ProviderJson.Write(w => w.WriteString("reference", request.PaymentId));
    }

    /// <summary><c>POST /payments/{id}/refunds</c>; the reference is the gateway refund id, echoed in the refund webhooks.</summary>
    public static byte[] RefundBody(RefundRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ProviderJson.Write(w =>
        {
            w.WriteNumber("amount", ToCheckoutComAmount(request.Amount));
            w.WriteString("reference", request.RefundId);
        });
    }

    // ---- responses ----

    /// <summary>
    /// A payment <c>status</c> to an outcome. <c>Authorized</c> is <see cref="ProviderOutcome.Authorized"/>, except when
    /// capture was asked in the same call: Checkout.com then captures asynchronously and the capture can fail, so it is
    /// <see cref="ProviderOutcome.Pending"/> until <c>Captured</c> (or the <c>payment_captured</c> webhook).
    /// <c>Pending</c> with a redirect link is 3-D Secure. Anything not listed is pending.
    /// </summary>
    public static ProviderOutcome StatusOutcome(string? status, bool capture, bool hasRedirect) => status switch
    {
        "Authorized" => capture ? ProviderOutcome.Pending : ProviderOutcome.Authorized,
        "Card Verified" => ProviderOutcome.Authorized,
        "Captured" or "Partially Captured" or "Paid" or "Refunded" or "Partially Refunded" => ProviderOutcome.Succeeded,
        "Declined" or "Voided" or "Canceled" or "Expired" => ProviderOutcome.Declined,
        "Pending" when hasRedirect => ProviderOutcome.RequiresAction,
        // Pending without a redirect, Retry Scheduled, and any new value: ask again later.
        _ => ProviderOutcome.Pending,
    };

    /// <summary>
    /// Maps a <c>POST /payments</c> or <c>GET /payments/{id}</c> answer. Whether capture was asked is
    /// <paramref name="capture"/> or, on a read-back, the <see cref="CaptureMetadataKey"/> authorize stored. A decline's
    /// code is the top-level <c>response_code</c> (the create answer) or, since <c>GET /payments/{id}</c> has none, the
    /// latest authorization in its <c>actions</c> summary (so a decline after 3-D Secure keeps its reason).
    /// </summary>
    public static ProviderPaymentResult ToPaymentResult(JsonElement payment, bool capture)
    {
        var status = payment.String("status");
        var redirect = payment.TryGetProperty("_links", out var links) && links.TryGetProperty("redirect", out var r) ? r.String("href") : null;
        var metadata = payment.TryGetProperty("metadata", out var m) ? m : default;
        var outcome = StatusOutcome(status, capture || metadata.String(CaptureMetadataKey) == "true", redirect is not null);
        var result = CheckoutComStoredCards.WithReferences(new ProviderPaymentResult { Outcome = outcome, ProviderReference = payment.String("id"), RawStatus = status },
            payment, saved: metadata.String(StoreCardMetadataKey) == "true");
        switch (outcome)
        {
            case ProviderOutcome.Declined:
                var (code, summary) = DeclineReason(payment);
                return result with
                {
                    DeclineCode = status == "Declined" ? MapResponseCode(code) : DeclineCodes.GenericDecline,
                    Message = summary ?? $"The payment is {status}.",
                };
            case ProviderOutcome.RequiresAction when redirect is not null:
                return result with { RedirectUrl = redirect, Action = ProviderNextAction.RedirectTo(redirect, "redirect") };
            case ProviderOutcome.Pending when status == "Authorized":
                return result with { Message = "Authorized; Checkout.com captures asynchronously, Captured or payment_captured settles it." };
            default:
                return result;
        }
    }

    /// <summary>
    /// A declined payment's <c>response_code</c> and <c>response_summary</c>: top level when present (the create
    /// answer), else the <c>Authorization</c> or <c>Card Verification</c> in the <c>actions</c> summary of
    /// <c>GET /payments/{id}</c> whose code is not an approval (1xxxx).
    /// </summary>
    public static (string? Code, string? Summary) DeclineReason(JsonElement payment)
    {
        if (payment.String("response_code") is { } top)
        {
            return (top, payment.String("response_summary"));
        }

        if (payment.TryGetProperty("actions", out var actions) && actions.ValueKind == JsonValueKind.Array)
        {
            // An approved action has a 1xxxx code; the declined authorization is the one that carries the reason.
            foreach (var action in actions.EnumerateArray())
            {
                if (action.String("type") is "Authorization" or "Card Verification" && action.String("response_code") is { } code && !code.StartsWith('1'))
                {
                    return (code, action.String("response_summary"));
                }
            }
        }

        return (null, null);
    }

    /// <summary>
    /// The payment of a <c>GET /payments?reference=…</c> list whose metadata carries the attempt's idempotency key (what
    /// authorize put there), or null when none does yet.
    /// </summary>
    public static JsonElement? PaymentOfAttempt(JsonElement paymentList, string idempotencyKey)
    {
        if (paymentList.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            foreach (var payment in data.EnumerateArray())
            {
                var metadata = payment.TryGetProperty("metadata", out var m) ? m : default;
                if (metadata.String("gateway_idempotency_key") == idempotencyKey)
                {
                    return payment;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Normalizes a <c>response_code</c>: the documented table first, then by class (2xxxx soft and 3xxxx hard
    /// declines are generic, 4xxxx risk declines are fraud). Null or unparseable is a generic decline.
    /// </summary>
    public static string MapResponseCode(string? responseCode)
    {
        if (responseCode is null)
        {
            return DeclineCodes.GenericDecline;
        }

        if (ByResponseCode.TryGetValue(responseCode, out var normalized))
        {
            return normalized;
        }

        return responseCode.StartsWith('4') ? DeclineCodes.Fraudulent : DeclineCodes.GenericDecline;
    }

    /// <summary>
    /// A capture or void answer (<c>202 Accepted</c> with an <c>action_id</c>): the result arrives by webhook, so it is
    /// <see cref="ProviderOutcome.Pending"/>.
    /// </summary>
    public static ProviderPaymentResult ToActionResult(JsonElement response, string paymentReference) => new()
    {
        Outcome = ProviderOutcome.Pending,
        ProviderReference = paymentReference,
        RawStatus = response.String("action_id") is null ? "accepted" : "accepted:" + response.String("action_id"),
    };

    /// <summary>A refund answer: pending (result by <c>payment_refunded</c>), with the refund's <c>action_id</c>.</summary>
    public static ProviderRefundResult ToRefundResult(JsonElement response) => new()
    {
        Outcome = ProviderOutcome.Pending,
        ProviderReference = response.String("action_id"),
    };

    /// <summary>Reads an error body; null when the body is not one.</summary>
    public static CheckoutComError? ParseError(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || (body.String("error_type") is null && body.String("request_id") is null))
        {
            return null;
        }

        var codes = body.TryGetProperty("error_codes", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString() ?? string.Empty).ToList()
            : [];
        return new CheckoutComError { RequestId = body.String("request_id"), ErrorType = body.String("error_type"), ErrorCodes = codes };
    }

    /// <summary>
    /// What Checkout.com documents a status to mean where it differs from the shared status rule
    /// (<see cref="ProviderErrorPolicy.ForStatus"/>): 403 is "action not allowed" on this payment, a refusal. Null: the
    /// shared rule decides (400/404/422 refused, 401/429/502/503 not processed, 409 the same key in flight, 500/504 unknown).
    /// </summary>
    public static ProviderErrorDisposition? DocumentedDisposition(int statusCode) =>
        statusCode == 403 ? ProviderErrorDisposition.Declined : null;

    /// <summary>The declined result for a refused request: an invalid card number is a generic decline, anything else a processing error.</summary>
    public static ProviderPaymentResult DeclinedFromError(int statusCode, CheckoutComError? error, string? providerReference) => new()
    {
        Outcome = ProviderOutcome.Declined,
        ProviderReference = providerReference,
        DeclineCode = error?.ErrorCodes.Any(c => c.StartsWith("card_", StringComparison.Ordinal)) == true
            ? DeclineCodes.GenericDecline
            : DeclineCodes.ProcessingError,
        Message = error is null ? $"Checkout.com refused the request (HTTP {statusCode})." : $"{error.ErrorType}: {string.Join(", ", error.ErrorCodes)}",
        RawStatus = error?.ErrorCodes.FirstOrDefault() ?? "http_" + statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // ---- webhooks ----

    /// <summary>The lower-case hex HMAC-SHA256 of the raw body keyed with the webhook's signature key (<c>Cko-Signature</c>).</summary>
    public static string ComputeSignature(ReadOnlySpan<byte> body, string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    /// <summary>True when <paramref name="header"/> is the body's signature (hex, any case; constant-time comparison).</summary>
    public static bool VerifySignature(string? header, ReadOnlySpan<byte> body, string secret)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(ComputeSignature(body, secret));
        var received = Encoding.ASCII.GetBytes(header.Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, received);
    }

    /// <summary>
    /// A (verified) webhook event to a notification. Payment events carry the payment in <c>data</c>; its
    /// <c>reference</c> is the gateway's id (payment id, or refund id for refund events). Unlisted types are
    /// <see cref="ProviderNotificationKind.Other"/> and pending.
    /// </summary>
    public static ProviderNotification ToNotification(JsonElement webhookEvent)
    {
        var type = webhookEvent.String("type");
        var data = webhookEvent.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var paymentId = data.String("id");
        var (kind, outcome) = type switch
        {
            "payment_approved" or "card_verified" => (ProviderNotificationKind.Authorization, ProviderOutcome.Authorized),
            "payment_pending" or "payment_retry_scheduled" => (ProviderNotificationKind.Authorization, ProviderOutcome.Pending),
            "payment_declined" or "payment_expired" or "payment_canceled" or "payment_authentication_failed" or "card_verification_declined"
                => (ProviderNotificationKind.Authorization, ProviderOutcome.Declined),
            "payment_captured" => (ProviderNotificationKind.Capture, ProviderOutcome.Succeeded),
            "payment_capture_pending" => (ProviderNotificationKind.Capture, ProviderOutcome.Pending),
            "payment_capture_declined" => (ProviderNotificationKind.Capture, ProviderOutcome.Declined),
            "payment_voided" => (ProviderNotificationKind.Cancellation, ProviderOutcome.Succeeded),
            "payment_void_declined" => (ProviderNotificationKind.Cancellation, ProviderOutcome.Declined),
            "payment_refunded" => (ProviderNotificationKind.Refund, ProviderOutcome.Succeeded),
            "payment_refund_pending" => (ProviderNotificationKind.Refund, ProviderOutcome.Pending),
            "payment_refund_declined" => (ProviderNotificationKind.Refund, ProviderOutcome.Declined),
            _ => (ProviderNotificationKind.Other, ProviderOutcome.Pending),
        };

        Money? amount = null;
        if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("amount", out var a) && a.TryGetInt64(out var value))
        {
            amount = FromCheckoutComAmount(value, data.String("currency"));
        }

        return new ProviderNotification
        {
            Kind = kind,
            Outcome = outcome,
            ProviderReference = kind == ProviderNotificationKind.Refund ? data.String("action_id") ?? paymentId : paymentId,
            MerchantReference = data.String("reference"),
            Amount = amount,
            DeclineCode = outcome != ProviderOutcome.Declined ? null : type switch
            {
                "payment_declined" or "card_verification_declined" => MapResponseCode(data.String("response_code")),
                "payment_authentication_failed" => DeclineCodes.AuthenticationFailed,
                "payment_expired" or "payment_canceled" => DeclineCodes.GenericDecline,
                _ => DeclineCodes.ProcessingError,
            },
            RawEventType = type,
        };
    }
}
