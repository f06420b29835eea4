using System.Collections.Frozen;
using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Stripe;

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
/// Pure translations of Stripe's error answers: the error object, what it means (declined, not processed, unknown) where
/// Stripe documents more than the status says, the declined result, and Stripe's decline codes normalized to
/// <see cref="DeclineCodes"/>. No I/O; table-tested.
/// </summary>
public static class StripeErrorTransformers
{
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
        // The issuer wants the cardholder to authenticate (Stripe's answer to an off-session payment it will not take
        // without them): bring them back on session, never retried by the gateway.
        ["authentication_required"] = DeclineCodes.AuthenticationRequired,
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
            paymentIntentId = pi.String("id");
        }

        return new StripeError
        {
            Type = error.String("type"),
            Code = error.String("code"),
            DeclineCode = error.String("decline_code"),
            Message = error.String("message"),
            PaymentIntentId = paymentIntentId,
        };
    }

    /// <summary>
    /// What Stripe documents an error to mean where it differs from the shared status rule
    /// (<see cref="ProviderErrorPolicy.ForStatus"/>): 409 and idempotency errors (the same key still running, or reused
    /// with other parameters) may have been processed; 402 and card errors are declines whatever the status; 422 is not
    /// a Stripe status, so it stays unknown. Null: the shared rule decides (400/404 refused, 401/403/429/502/503 not
    /// processed, 500/504 unknown).
    /// </summary>
    public static ProviderErrorDisposition? DocumentedDisposition(int statusCode, StripeError? error)
    {
        if (error?.Type == "idempotency_error" || statusCode is 409 or 422)
        {
            return ProviderErrorDisposition.OutcomeUnknown;
        }

        return statusCode == 402 || error?.Type == "card_error" ? ProviderErrorDisposition.Declined : null;
    }

    /// <summary>The declined result for an error answer classified <see cref="ProviderErrorDisposition.Declined"/>.</summary>
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
}
