using System.Collections.Frozen;
using System.Text.Json;
using PaymentGateway.Providers.Http;

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
/// <summary>
/// Pure translations between gateway types and Stripe's wire types: amounts, form bodies, PaymentIntent and Refund
/// statuses. Error objects and decline codes are <see cref="StripeErrorTransformers"/>, webhook events
/// <see cref="StripeWebhookTransformers"/>. No I/O; table-tested.
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

    /// <summary>Stripe's longest <c>description</c> (1,000 characters); a longer one is cut, not refused.</summary>
    public const int MaxDescriptionLength = 1000;

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
        var value = amount.ToUnits(StripeExponent(amount.Currency));
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

        return Money.FromUnits(amount, StripeExponent(found), found);
    }

    // ---- requests ----

    /// <summary>
    /// <c>POST /v1/payment_intents</c>: create and confirm, manual or automatic capture, the gateway ids in metadata.
    /// With <see cref="AuthorizeRequest.ProviderPaymentMethod"/> the Stripe payment method (<c>pm_…</c>) is sent;
    /// otherwise the vault's card as <c>payment_method_data[card]</c> (raw card data, which Stripe accepts only on
    /// accounts it enabled for it: the provider checks <c>raw_card_data_enabled</c> before calling this).
    /// <paramref name="returnUrl"/> is always sent when known, so 3-D Secure answers <c>redirect_to_url</c> instead of
    /// <c>use_stripe_sdk</c>; a requested challenge is <c>request_three_d_secure=challenge</c>. Stored credentials
    /// (<see cref="StripeStoredCards.AddTo"/>): a first payment is attached to <paramref name="stripeCustomer"/>; a payment on a
    /// card this account saved sends its Stripe customer and payment method instead of any card data.
    /// </summary>
    public static StripeForm AuthorizeForm(AuthorizeRequest request, string? returnUrl, string? stripeCustomer = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var form = new StripeForm()
            .Add("amount", ToStripeAmount(request.Amount))
            .Add("currency", request.Amount.Currency.Code.ToLowerInvariant())
            .Add("capture_method", request.Capture ? "automatic" : "manual")
            .Add("confirm", "true")
            .Add("payment_method_types[0]", "card");
        if (StripeStoredCards.SavedPaymentMethod(request.StoredCredential) is not null)
        {
            // The card is Stripe's saved payment method: the number stays in the vault.
        }
        else if (request.ProviderPaymentMethod is { } token)
        {
            form.Add("payment_method", token);
        }
        else if (request.Card is { } card)
        {
            form.Add("payment_method_data[type]", "card")
                .AddSecret("payment_method_data[card][number]", card.Number)
                .Add("payment_method_data[card][exp_month]", card.ExpMonth)
                .Add("payment_method_data[card][exp_year]", card.ExpYear)
                .AddSecret("payment_method_data[card][cvc]", card.Cvc)
                .Add("payment_method_data[billing_details][name]", card.HolderName);
        }

        if (request.ThreeDSecure == ThreeDSecurePreference.Challenge)
        {
            form.Add("payment_method_options[card][request_three_d_secure]", "challenge");
        }

        return StripeStoredCards.AddTo(form, request.StoredCredential, stripeCustomer)
            .Add("return_url", returnUrl)
            .Add("description", Truncate(request.Description, MaxDescriptionLength))
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

    /// <summary>The first PaymentIntent of a search result (<c>data[0]</c>), or null when it found none.</summary>
    public static JsonElement? FirstSearchResult(JsonElement searchResult) =>
        searchResult.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0 ? data[0] : null;

    /// <summary>Maps a PaymentIntent to the normalized outcome; any status not listed maps to pending.</summary>
    public static ProviderPaymentResult ToPaymentResult(JsonElement paymentIntent, StripeFlow flow)
    {
        var status = paymentIntent.String("status");
        var id = paymentIntent.String("id");
        switch (status)
        {
            case "requires_capture":
                return StripeStoredCards.WithReferences(Result(ProviderOutcome.Authorized), paymentIntent);
            case "succeeded":
                return StripeStoredCards.WithReferences(Result(ProviderOutcome.Succeeded), paymentIntent);
            case "requires_action":
                var action = NextAction(paymentIntent);
                return Result(ProviderOutcome.RequiresAction) with
                {
                    Action = action,
                    RedirectUrl = action is { Type: ProviderNextActionType.Redirect, Method: "GET" } ? action.Url : null,
                };
            case "processing":
            case "requires_confirmation":
                return Result(ProviderOutcome.Pending);
            case "requires_payment_method":
                if (paymentIntent.TryGetProperty("last_payment_error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    return Result(ProviderOutcome.Declined) with
                    {
                        DeclineCode = StripeErrorTransformers.MapDeclineCode(error.String("code"), error.String("decline_code")),
                        Message = error.String("message"),
                    };
                }

                return Result(ProviderOutcome.Pending);
            case "canceled":
                return flow == StripeFlow.Void
                    ? Result(ProviderOutcome.Succeeded)
                    : Result(ProviderOutcome.Declined) with
                    {
                        DeclineCode = DeclineCodes.GenericDecline,
                        Message = "The payment was canceled" + (paymentIntent.String("cancellation_reason") is { } reason ? $" ({reason})." : "."),
                    };
            default:
                return Result(ProviderOutcome.Pending);
        }

        ProviderPaymentResult Result(ProviderOutcome outcome) => new() { Outcome = outcome, ProviderReference = id, RawStatus = status };
    }

    /// <summary>Maps a Refund object; any status not listed maps to pending.</summary>
    public static ProviderRefundResult ToRefundResult(JsonElement refund)
    {
        var status = refund.String("status");
        var outcome = RefundOutcome(status);
        return new ProviderRefundResult
        {
            Outcome = outcome,
            ProviderReference = refund.String("id"),
            FailureReason = outcome == ProviderOutcome.Declined ? refund.String("failure_reason") ?? status : null,
        };
    }

    /// <summary>A refund status to an outcome: succeeded, failed/canceled (declined), everything else pending.</summary>
    public static ProviderOutcome RefundOutcome(string? status) => status switch
    {
        "succeeded" => ProviderOutcome.Succeeded,
        "failed" or "canceled" => ProviderOutcome.Declined,
        _ => ProviderOutcome.Pending,
    };

    // ---- helpers ----

    /// <summary>
    /// A PaymentIntent's <c>next_action</c>: <c>redirect_to_url</c> is a GET redirect to its <c>url</c>; anything else
    /// (<c>use_stripe_sdk</c>, which Stripe answers when no <c>return_url</c> was sent) is data for Stripe.js, carried as
    /// the action object's JSON. Null when there is none.
    /// </summary>
    public static ProviderNextAction? NextAction(JsonElement paymentIntent)
    {
        if (!paymentIntent.TryGetProperty("next_action", out var next) || next.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var type = next.String("type");
        if (type == "redirect_to_url" && next.TryGetProperty("redirect_to_url", out var redirect) && redirect.String("url") is { } url)
        {
            return ProviderNextAction.RedirectTo(url, type);
        }

        var data = type is not null && next.TryGetProperty(type, out var typed) ? typed : next;
        return new ProviderNextAction { Type = ProviderNextActionType.ProviderSdk, SdkData = data.GetRawText(), ProviderType = type };
    }

    private static string? Truncate(string? text, int length) => text is null || text.Length <= length ? text : text[..length];

    /// <summary>The gateway metadata value <paramref name="key"/> of a Stripe object.</summary>
    internal static string? Metadata(JsonElement obj, string key) =>
        obj.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object ? metadata.String(key) : null;
}
