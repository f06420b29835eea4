using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Mollie;

/// <summary>Mollie's error body (<c>application/hal+json</c>): <c>status</c>, <c>title</c>, <c>detail</c> and <c>field</c>.</summary>
public sealed record MollieError
{
    /// <summary>The HTTP status repeated in the body.</summary>
    public int? Status { get; init; }

    /// <summary>The status text ("Unprocessable Entity").</summary>
    public string? Title { get; init; }

    /// <summary>What went wrong, in English.</summary>
    public string? Detail { get; init; }

    /// <summary>The request field at fault, when there is one.</summary>
    public string? Field { get; init; }
}

/// <summary>Which gateway flow a payment answer belongs to; <c>canceled</c> means success only for a cancel.</summary>
public enum MollieFlow
{
    /// <summary>Create, sync or return from Mollie's checkout.</summary>
    Payment,

    /// <summary>A read-back after the gateway's own cancel or release, where <c>canceled</c> is what was asked.</summary>
    Cancel,
}

/// <summary>
/// Pure translations between gateway types and Mollie API v2 wire types: request bodies (amounts as decimal strings),
/// payment, capture and refund statuses, card failure reasons, errors and the thin webhook body.
/// </summary>
public static class MollieTransformers
{
    /// <summary>The currencies Mollie accepts for card payments (docs.mollie.com, "Multicurrency").</summary>
    public static IReadOnlySet<string> SupportedCurrencies { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "AED", "AUD", "BGN", "BRL", "CAD", "CHF", "CZK", "DKK", "EUR", "GBP", "HKD", "HUF", "ILS", "ISK", "JPY", "MXN",
        "MYR", "NOK", "NZD", "PHP", "PLN", "RON", "RUB", "SEK", "SGD", "THB", "TWD", "USD", "ZAR",
    }.ToFrozenSet(StringComparer.Ordinal);

    // details.failureReason of a failed creditcard payment, normalized (docs.mollie.com, "Credit card" payment details).
    private static readonly (string Reason, string Normalized)[] FailureReasons =
    [
        ("authentication_abandoned", DeclineCodes.AuthenticationFailed),
        ("authentication_failed", DeclineCodes.AuthenticationFailed),
        ("authentication_required", DeclineCodes.AuthenticationFailed),
        ("authentication_unavailable_acs", DeclineCodes.AuthenticationFailed),
        ("card_declined", DeclineCodes.GenericDecline),
        ("card_expired", DeclineCodes.ExpiredCard),
        ("inactive_card", DeclineCodes.GenericDecline),
        ("insufficient_funds", DeclineCodes.InsufficientFunds),
        ("invalid_cvv", DeclineCodes.IncorrectCvc),
        ("invalid_card_holder_name", DeclineCodes.GenericDecline),
        ("invalid_card_number", DeclineCodes.GenericDecline),
        ("invalid_card_type", DeclineCodes.GenericDecline),
        ("possible_fraud", DeclineCodes.Fraudulent),
        ("refused_by_issuer", DeclineCodes.GenericDecline),
        ("unknown_reason", DeclineCodes.GenericDecline),
    ];

    private static readonly FrozenDictionary<string, string> ByFailureReason =
        FailureReasons.ToFrozenDictionary(r => r.Reason, r => r.Normalized, StringComparer.Ordinal);

    /// <summary>The documented failure reason table: reason, normalized decline code.</summary>
    public static IReadOnlyList<(string Reason, string Normalized)> FailureReasonTable => FailureReasons;

    // ---- amounts ----

    /// <summary>
    /// Mollie's <c>amount</c> object value: a string with exactly the currency's number of decimals ("10.50",
    /// "1000" for JPY, "1.250" for KWD). Mollie accepts only <see cref="SupportedCurrencies"/> (the capability flags say
    /// so, so the router does not send others); a currency outside it is sent as ISO 4217 formats it and Mollie refuses it.
    /// </summary>
    public static string ToMollieValue(Money amount) => amount.ToDecimalString();

    /// <summary>A Mollie amount object (<c>{currency, value}</c>) back to gateway money; null when absent or unreadable.</summary>
    public static Money? FromMollieAmount(JsonElement amount)
    {
        if (amount.String("value") is not { } value || !Currency.TryFind(amount.String("currency"), out var currency)
            || !decimal.TryParse(value, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return null;
        }

        var minor = parsed;
        for (var i = 0; i < currency.Exponent; i++)
        {
            minor *= 10;
        }

        return minor == decimal.Truncate(minor) ? new Money(decimal.ToInt64(minor), currency) : null;
    }

    // ---- requests ----

    /// <summary>
    /// <c>POST /v2/payments</c>: <c>method: creditcard</c>, <c>captureMode: manual</c> unless capturing at once, the
    /// redirect and webhook URLs, and metadata that ties the payment to the gateway. No card data is sent: Mollie takes
    /// card details only on its own checkout page (or as a Mollie Components token), so the customer is sent to
    /// <c>_links.checkout</c>.
    /// <para>Stored credentials (<see cref="MollieStoredCards"/>): <paramref name="newCustomer"/> is the Mollie Customer created
    /// for a card being saved; a merchant-initiated payment on a mandate has no <c>redirectUrl</c> (nobody is redirected).</para>
    /// </summary>
    public static byte[] PaymentRequestBody(AuthorizeRequest request, string? redirectUrl, string? webhookUrl, string? newCustomer = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var recurring = MollieStoredCards.IsRecurring(request.StoredCredential);
        if (redirectUrl is null && !recurring)
        {
            throw new ArgumentNullException(nameof(redirectUrl));
        }

        return ProviderJson.Write(w =>
        {
            WriteAmount(w, request.Amount);
            w.WriteString("description", Description(request.Description, request.PaymentId));
            if (!recurring && redirectUrl is not null)
            {
                w.WriteString("redirectUrl", redirectUrl);
            }

            MollieStoredCards.Write(w, request.StoredCredential, newCustomer);
            if (webhookUrl is not null)
            {
                w.WriteString("webhookUrl", webhookUrl);
            }

            w.WriteString("method", "creditcard");
            if (!request.Capture)
            {
                w.WriteString("captureMode", "manual");
            }

            w.WriteStartObject("metadata");
            w.WriteString("gateway_payment_id", request.PaymentId);
            w.WriteString("gateway_attempt_id", request.AttemptId);
            w.WriteString(IdempotencyKeyMetadataKey, request.IdempotencyKey);
            w.WriteEndObject();
        });
    }

    /// <summary>Metadata key carrying the attempt's idempotency key (how sync finds a payment whose create answer was lost).</summary>
    public const string IdempotencyKeyMetadataKey = "gateway_idempotency_key";

    /// <summary>How many of the newest payments sync lists to find one without a reference (Mollie's maximum page).</summary>
    public const int SyncListLimit = 250;

    /// <summary>Mollie's longest <c>description</c> (255 characters); a longer one is cut, not refused.</summary>
    public const int MaxDescriptionLength = 255;

    /// <summary>The payment's description for Mollie (required there): the merchant's, cut to 255 characters, or "Payment {id}".</summary>
    public static string Description(string? description, string paymentId)
    {
        var text = description ?? $"Payment {paymentId}";
        return text.Length > MaxDescriptionLength ? text[..MaxDescriptionLength] : text;
    }

    /// <summary>
    /// The payment of a <c>GET /v2/payments</c> list (<c>_embedded.payments</c>) whose metadata carries the attempt's
    /// idempotency key, or null when none does.
    /// </summary>
    public static JsonElement? PaymentOfAttempt(JsonElement paymentList, string idempotencyKey)
    {
        if (paymentList.TryGetProperty("_embedded", out var embedded) && embedded.TryGetProperty("payments", out var payments) && payments.ValueKind == JsonValueKind.Array)
        {
            foreach (var payment in payments.EnumerateArray())
            {
                var metadata = payment.TryGetProperty("metadata", out var m) ? m : default;
                if (metadata.String(IdempotencyKeyMetadataKey) == idempotencyKey)
                {
                    return payment;
                }
            }
        }

        return null;
    }

    /// <summary>A release-authorization accepted (202): pending until the payment's webhook reports it <c>canceled</c>.</summary>
    public static ProviderPaymentResult ReleaseAccepted(string paymentReference) => new()
    {
        Outcome = ProviderOutcome.Pending,
        ProviderReference = paymentReference,
        Message = "Mollie accepted the release of the authorization; the payment's webhook reports it canceled.",
        RawStatus = "release_requested",
    };

    /// <summary><c>POST /v2/payments/{id}/captures</c> with the amount (partial capture allowed).</summary>
    public static byte[] CaptureBody(CaptureRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ProviderJson.Write(w =>
        {
            WriteAmount(w, request.Amount);
            w.WriteString("description", $"Capture {request.PaymentId}");
        });
    }

    /// <summary><c>POST /v2/payments/{id}/refunds</c>; the gateway refund id travels in metadata.</summary>
    public static byte[] RefundBody(RefundRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ProviderJson.Write(w =>
        {
            WriteAmount(w, request.Amount);
            w.WriteString("description", $"Refund {request.RefundId}");
            w.WriteStartObject("metadata");
            w.WriteString("gateway_refund_id", request.RefundId);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// <c>POST /v2/payments</c> for a bank transfer: <c>method: banktransfer</c>, the amount as a decimal string, the
    /// description, <c>redirectUrl</c> only when there is one (Mollie's hosted status page sends the customer there),
    /// the webhook URL and metadata tying the payment to the gateway. No capture mode: a transfer is paid or not.
    /// </summary>
    public static byte[] BankTransferRequestBody(CreateBankTransferRequest request, string? redirectUrl, string? webhookUrl)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ProviderJson.Write(w =>
        {
            WriteAmount(w, request.Amount);
            w.WriteString("description", Description(request.Description, request.PaymentId));
            if (redirectUrl is not null)
            {
                w.WriteString("redirectUrl", redirectUrl);
            }

            if (webhookUrl is not null)
            {
                w.WriteString("webhookUrl", webhookUrl);
            }

            w.WriteString("method", BankTransferMethod);
            w.WriteStartObject("metadata");
            w.WriteString("gateway_payment_id", request.PaymentId);
            w.WriteString("gateway_attempt_id", request.AttemptId);
            w.WriteEndObject();
        });
    }

    /// <summary>Mollie's method id for SEPA bank transfers.</summary>
    public const string BankTransferMethod = "banktransfer";

    /// <summary>
    /// A bank-transfer payment <c>status</c>: <c>paid</c> is paid, <c>expired</c>, <c>canceled</c> and <c>failed</c> are
    /// themselves; <c>open</c>, <c>pending</c> and anything new are still open (never paid).
    /// </summary>
    public static ProviderTransferStatus TransferStatus(string? status) => status switch
    {
        "paid" => ProviderTransferStatus.Paid,
        "expired" => ProviderTransferStatus.Expired,
        "canceled" => ProviderTransferStatus.Canceled,
        "failed" => ProviderTransferStatus.Failed,
        _ => ProviderTransferStatus.Open,
    };

    /// <summary>
    /// A bank-transfer payment object: its id, normalized status, <c>expiresAt</c>, <c>paidAt</c>, amount, and the
    /// instructions from <c>details</c> (<c>bankName</c>, <c>bankAccount</c>, <c>bankBic</c>, <c>transferReference</c>
    /// shown as-is). Instructions are null when <c>details</c> lacks the account or the reference. Null when the
    /// object has no id.
    /// </summary>
    public static ProviderBankTransfer? ToBankTransfer(JsonElement payment)
    {
        if (payment.String("id") is not { } id)
        {
            return null;
        }

        var status = payment.String("status");
        var details = payment.TryGetProperty("details", out var d) ? d : default;
        var account = details.String("bankAccount")?.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        var reference = details.String("transferReference");
        var instructions = string.IsNullOrEmpty(account) || string.IsNullOrEmpty(reference) ? null : new ProviderTransferInstructions
        {
            BankName = details.String("bankName") ?? "Mollie",
            Iban = account,
            Bic = details.String("bankBic"),
            Reference = reference,
        };
        return new ProviderBankTransfer
        {
            ProviderReference = id,
            Status = TransferStatus(status),
            Instructions = instructions,
            ExpiresAt = Timestamp(payment, "expiresAt"),
            PaidAt = Timestamp(payment, "paidAt"),
            Amount = payment.TryGetProperty("amount", out var amount) ? FromMollieAmount(amount) : null,
            RawStatus = status,
        };
    }

    private static DateTimeOffset? Timestamp(JsonElement obj, string name) =>
        obj.String(name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.ToUniversalTime()
            : null;

    // ---- responses ----

    /// <summary>
    /// A payment <c>status</c> to an outcome: <c>open</c> with a checkout link needs the customer; <c>authorized</c> is
    /// authorized; <c>paid</c> succeeded; <c>failed</c>, <c>expired</c> and <c>canceled</c> are declined (except
    /// <c>canceled</c> answering a cancel, which succeeded). Anything else is pending.
    /// </summary>
    public static ProviderOutcome StatusOutcome(string? status, bool hasCheckout, MollieFlow flow) => status switch
    {
        "open" when hasCheckout => ProviderOutcome.RequiresAction,
        "authorized" => ProviderOutcome.Authorized,
        "paid" => ProviderOutcome.Succeeded,
        "canceled" when flow == MollieFlow.Cancel => ProviderOutcome.Succeeded,
        "failed" or "expired" or "canceled" => ProviderOutcome.Declined,
        // open without a checkout link, pending, and any new value: ask again later.
        _ => ProviderOutcome.Pending,
    };

    /// <summary>Maps a payment object.</summary>
    public static ProviderPaymentResult ToPaymentResult(JsonElement payment, MollieFlow flow)
    {
        var status = payment.String("status");
        var checkout = payment.TryGetProperty("_links", out var links) && links.TryGetProperty("checkout", out var c) ? c.String("href") : null;
        var outcome = StatusOutcome(status, checkout is not null, flow);
        var result = new ProviderPaymentResult { Outcome = outcome, ProviderReference = payment.String("id"), RawStatus = status };
        var details = payment.TryGetProperty("details", out var d) ? d : default;
        return MollieStoredCards.WithReferences(outcome switch
        {
            ProviderOutcome.Declined => result with
            {
                DeclineCode = status == "failed" ? MapFailureReason(details.String("failureReason")) : DeclineCodes.GenericDecline,
                Message = details.String("failureMessage") ?? $"The payment is {status}.",
            },
            ProviderOutcome.RequiresAction when checkout is not null => result with { RedirectUrl = checkout, Action = ProviderNextAction.RedirectTo(checkout, "checkout") },
            _ => result,
        }, payment);
    }

    /// <summary>Normalizes a card <c>failureReason</c>; unknown or absent is a generic decline.</summary>
    public static string MapFailureReason(string? failureReason) =>
        failureReason is not null && ByFailureReason.TryGetValue(failureReason, out var normalized) ? normalized : DeclineCodes.GenericDecline;

    /// <summary>A capture object: <c>succeeded</c>, <c>failed</c> (declined), anything else pending. The reference stays the payment's.</summary>
    public static ProviderPaymentResult ToCaptureResult(JsonElement capture, string paymentReference)
    {
        var status = capture.String("status");
        return status switch
        {
            "succeeded" => new ProviderPaymentResult { Outcome = ProviderOutcome.Succeeded, ProviderReference = paymentReference, RawStatus = status },
            "failed" => new ProviderPaymentResult
            {
                Outcome = ProviderOutcome.Declined,
                ProviderReference = paymentReference,
                DeclineCode = DeclineCodes.ProcessingError,
                Message = "Mollie could not capture the payment.",
                RawStatus = status,
            },
            _ => new ProviderPaymentResult { Outcome = ProviderOutcome.Pending, ProviderReference = paymentReference, RawStatus = status },
        };
    }

    /// <summary>A refund <c>status</c>: <c>refunded</c> succeeded, <c>failed</c>/<c>canceled</c> declined, <c>queued</c>/<c>pending</c>/<c>processing</c> and anything new pending.</summary>
    public static ProviderOutcome RefundOutcome(string? status) => status switch
    {
        "refunded" => ProviderOutcome.Succeeded,
        "failed" or "canceled" => ProviderOutcome.Declined,
        _ => ProviderOutcome.Pending,
    };

    /// <summary>A refund object to a refund result with the refund's own id.</summary>
    public static ProviderRefundResult ToRefundResult(JsonElement refund)
    {
        var outcome = RefundOutcome(refund.String("status"));
        return new ProviderRefundResult
        {
            Outcome = outcome,
            ProviderReference = refund.String("id"),
            FailureReason = outcome == ProviderOutcome.Declined ? "refund_" + refund.String("status") : null,
        };
    }

    /// <summary>Reads an error body; null when the body is not one.</summary>
    public static MollieError? ParseError(JsonElement body) =>
        body.ValueKind != JsonValueKind.Object || (body.String("title") is null && body.String("detail") is null)
            ? null
            : new MollieError
            {
                Status = body.TryGetProperty("status", out var s) && s.TryGetInt32(out var status) ? status : null,
                Title = body.String("title"),
                Detail = body.String("detail"),
                Field = body.String("field"),
            };

    /// <summary>
    /// What Mollie documents a status to mean where it differs from the shared status rule
    /// (<see cref="ProviderErrorPolicy.ForStatus"/>): 409 (a conflicting request) and 410 (the object is gone) are
    /// refusals. Null: the shared rule decides (400/404/422 refused, 401/403/429/502/503 not processed, 500/504 unknown).
    /// </summary>
    public static ProviderErrorDisposition? DocumentedDisposition(int statusCode) =>
        statusCode is 409 or 410 ? ProviderErrorDisposition.Declined : null;

    /// <summary>The declined result for a refused request.</summary>
    public static ProviderPaymentResult DeclinedFromError(int statusCode, MollieError? error, string? providerReference) => new()
    {
        Outcome = ProviderOutcome.Declined,
        ProviderReference = providerReference,
        DeclineCode = DeclineCodes.ProcessingError,
        Message = error?.Detail ?? $"Mollie refused the request (HTTP {statusCode}).",
        RawStatus = error?.Field is { } field ? "invalid_" + field : "http_" + statusCode.ToString(CultureInfo.InvariantCulture),
    };

    // ---- webhooks ----

    /// <summary>
    /// The payment id from a thin webhook body (<c>application/x-www-form-urlencoded</c>, <c>id=tr_…</c>); null when
    /// there is none or it is not an id (letters, digits and underscores). The id is only a hint: the payment must be
    /// fetched to learn anything.
    /// </summary>
    public static string? WebhookPaymentId(ReadOnlySpan<byte> body)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            if (parts.Length == 2 && Uri.UnescapeDataString(parts[0].Replace('+', ' ')) == "id")
            {
                var id = Uri.UnescapeDataString(parts[1].Replace('+', ' ')).Trim();
                return id.Length > 0 && id.Length <= 64 && id.All(IsIdChar) ? id : null;
            }
        }

        return null;
    }

    private static bool IsIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>
    /// The payment fetched after a webhook to a notification. <c>authorized</c> is an authorization;
    /// <c>paid</c> is a capture for a manual-capture payment and an authorization that succeeded otherwise;
    /// <c>canceled</c> after an authorization (<c>authorizedAt</c>: the hold was released, as the gateway's void asks) is
    /// a cancellation, while <c>canceled</c> without one (the customer abandoned or canceled Mollie's checkout) declines
    /// the authorization, like <c>failed</c>/<c>expired</c>; anything else is a pending authorization.
    /// </summary>
    public static ProviderNotification ToNotification(JsonElement payment)
    {
        var status = payment.String("status");
        var manual = payment.String("captureMode") == "manual";
        var details = payment.TryGetProperty("details", out var d) ? d : default;
        var (kind, outcome) = status switch
        {
            "authorized" => (ProviderNotificationKind.Authorization, ProviderOutcome.Authorized),
            "paid" => (manual ? ProviderNotificationKind.Capture : ProviderNotificationKind.Authorization, ProviderOutcome.Succeeded),
            "canceled" when payment.String("authorizedAt") is not null => (ProviderNotificationKind.Cancellation, ProviderOutcome.Succeeded),
            "canceled" => (ProviderNotificationKind.Authorization, ProviderOutcome.Declined),
            "failed" or "expired" => (ProviderNotificationKind.Authorization, ProviderOutcome.Declined),
            _ => (ProviderNotificationKind.Authorization, ProviderOutcome.Pending),
        };
        var metadata = payment.TryGetProperty("metadata", out var m) ? m : default;
        return new ProviderNotification
        {
            Kind = kind,
            Outcome = outcome,
            ProviderReference = payment.String("id"),
            MerchantReference = metadata.String("gateway_payment_id"),
            Amount = payment.TryGetProperty("amount", out var amount) ? FromMollieAmount(amount) : null,
            DeclineCode = outcome != ProviderOutcome.Declined ? null
                : status == "failed" ? MapFailureReason(details.String("failureReason")) : DeclineCodes.GenericDecline,
            RawEventType = "payment." + (status ?? "unknown"),
            EventId = payment.String("id") is { } paymentId ? $"{paymentId}:{status ?? "unknown"}" : null,
            BankTransferStatus = payment.String("method") == BankTransferMethod ? TransferStatus(status) : null,
        };
    }

    /// <summary>
    /// The refunds embedded in a fetched payment (<c>_embedded.refunds</c>) as refund notifications: Mollie calls the
    /// same payment webhook when a refund changes state.
    /// </summary>
    public static IEnumerable<ProviderNotification> RefundNotifications(JsonElement payment)
    {
        if (!payment.TryGetProperty("_embedded", out var embedded) || !embedded.TryGetProperty("refunds", out var refunds) || refunds.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var refund in refunds.EnumerateArray())
        {
            var outcome = RefundOutcome(refund.String("status"));
            var metadata = refund.TryGetProperty("metadata", out var m) ? m : default;
            yield return new ProviderNotification
            {
                Kind = ProviderNotificationKind.Refund,
                Outcome = outcome,
                ProviderReference = refund.String("id"),
                MerchantReference = metadata.String("gateway_refund_id"),
                Amount = refund.TryGetProperty("amount", out var amount) ? FromMollieAmount(amount) : null,
                DeclineCode = outcome == ProviderOutcome.Declined ? DeclineCodes.ProcessingError : null,
                RawEventType = "refund." + (refund.String("status") ?? "unknown"),
                EventId = refund.String("id") is { } refundId ? $"{refundId}:{refund.String("status") ?? "unknown"}" : null,
            };
        }
    }

    // ---- helpers ----

    private static void WriteAmount(Utf8JsonWriter writer, Money amount)
    {
        writer.WriteStartObject("amount");
        writer.WriteString("currency", amount.Currency.Code);
        writer.WriteString("value", ToMollieValue(amount));
        writer.WriteEndObject();
    }
}
