using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Stripe;

/// <summary>
/// Pure translations of stored credentials to Stripe (docs/saved-cards.md): a card is saved on a Stripe Customer as a
/// PaymentMethod (<c>setup_future_usage</c> on the first PaymentIntent, or a SetupIntent in setup mode); a later payment
/// sends only <c>customer</c> + <c>payment_method</c> (never the card number again), with <c>off_session=true</c> when
/// the merchant charges alone. What Stripe returns (<c>cus_…</c>, <c>pm_…</c>, the charge's
/// <c>network_transaction_id</c>) is kept by the gateway as the account's recurring references. No I/O; table-tested.
/// </summary>
public static class StripeStoredCards
{
    /// <summary>The recurring reference naming the Stripe Customer the card is attached to.</summary>
    public const string CustomerReference = "customer";

    /// <summary>The recurring reference naming the Stripe PaymentMethod (<c>pm_…</c>) of the saved card.</summary>
    public const string PaymentMethodReference = "payment_method";

    /// <summary>Metadata key carrying the gateway's customer id on the Stripe Customer.</summary>
    public const string CustomerMetadataKey = "gateway_customer_id";

    /// <summary>
    /// The Stripe Customer and PaymentMethod a subsequent payment charges, when this account saved the card itself
    /// (both references present); null otherwise (a first payment, a one-off one, or a series started elsewhere).
    /// </summary>
    public static (string Customer, string PaymentMethod)? SavedPaymentMethod(StoredCredential? stored) =>
        stored is { Sequence: StoredCredentialSequence.Subsequent }
        && stored.ProviderReferences.TryGetValue(CustomerReference, out var customer)
        && stored.ProviderReferences.TryGetValue(PaymentMethodReference, out var paymentMethod)
            ? (customer, paymentMethod)
            : null;

    /// <summary>Whether the payment saves the card (the first of a series), so a Stripe Customer is needed first.</summary>
    public static bool SavesCard(StoredCredential? stored) => stored is { Sequence: StoredCredentialSequence.First };

    /// <summary>
    /// The <c>setup_future_usage</c> (PaymentIntent) or <c>usage</c> (SetupIntent) for a first payment:
    /// <c>off_session</c> unless the card is saved for on-session use only.
    /// </summary>
    public static string Usage(StoredCredential stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return stored.Usage == StoredCredentialUsage.OnSession ? "on_session" : "off_session";
    }

    /// <summary><c>POST /v1/customers</c> for a card being saved: only the gateway's customer id in metadata (no personal data).</summary>
    public static StripeForm CustomerForm(StoredCredential stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return new StripeForm().Add($"metadata[{CustomerMetadataKey}]", stored.CustomerReference);
    }

    /// <summary>
    /// Adds the stored-credential fields to a PaymentIntent create: a first payment gets <c>customer</c> and
    /// <c>setup_future_usage</c>; a payment on a card this account saved gets <c>customer</c> and <c>payment_method</c>
    /// (the caller then sends no card data) and, merchant-initiated, <c>off_session=true</c>. The charge is expanded so
    /// its <c>network_transaction_id</c> can be read.
    /// </summary>
    public static StripeForm AddTo(StripeForm form, StoredCredential? stored, string? stripeCustomer)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (stored is null)
        {
            return form;
        }

        if (SavesCard(stored))
        {
            form.Add("customer", stripeCustomer).Add("setup_future_usage", Usage(stored));
        }
        else if (SavedPaymentMethod(stored) is { } saved)
        {
            form.Add("customer", saved.Customer).Add("payment_method", saved.PaymentMethod);
            if (stored.Initiator == StoredCredentialInitiator.Merchant)
            {
                form.Add("off_session", "true");
            }
        }

        return form.Add("expand[0]", "latest_charge");
    }

    /// <summary>
    /// <c>POST /v1/setup_intents</c> (setup mode): confirm the vault's card on the Stripe Customer for later use, with the
    /// return URL for 3-D Secure and the gateway ids in metadata. Nothing is charged.
    /// </summary>
    public static StripeForm SetupIntentForm(VerifyRequest request, string? returnUrl, string stripeCustomer)
    {
        ArgumentNullException.ThrowIfNull(request);
        var card = request.Card;
        return new StripeForm()
            .Add("confirm", "true")
            .Add("customer", stripeCustomer)
            .Add("usage", request.StoredCredential is { } stored ? Usage(stored) : "off_session")
            .Add("payment_method_types[0]", "card")
            .Add("payment_method_data[type]", "card")
            .AddSecret("payment_method_data[card][number]", card.Number)
            .Add("payment_method_data[card][exp_month]", card.ExpMonth)
            .Add("payment_method_data[card][exp_year]", card.ExpYear)
            .AddSecret("payment_method_data[card][cvc]", card.Cvc)
            .Add("payment_method_data[billing_details][name]", card.HolderName)
            .Add("return_url", returnUrl)
            .Add("description", request.Description is { Length: > StripeTransformers.MaxDescriptionLength } d ? d[..StripeTransformers.MaxDescriptionLength] : request.Description)
            .Add($"metadata[{StripeTransformers.PaymentIdMetadataKey}]", request.PaymentId)
            .Add($"metadata[{StripeTransformers.AttemptIdMetadataKey}]", request.AttemptId)
            .Add($"metadata[{StripeTransformers.IdempotencyKeyMetadataKey}]", request.IdempotencyKey);
    }

    /// <summary>
    /// Maps a SetupIntent: <c>succeeded</c> verified (with the saved card's references), <c>requires_action</c> a
    /// 3-D Secure redirect, <c>requires_payment_method</c> after a <c>last_setup_error</c> a decline, <c>canceled</c> a
    /// decline; anything else pending.
    /// </summary>
    public static ProviderPaymentResult ToSetupResult(JsonElement setupIntent)
    {
        var status = setupIntent.String("status");
        var result = new ProviderPaymentResult { Outcome = ProviderOutcome.Pending, ProviderReference = setupIntent.String("id"), RawStatus = status };
        switch (status)
        {
            case "succeeded":
                return WithReferences(result with { Outcome = ProviderOutcome.Succeeded }, setupIntent);
            case "requires_action":
                var action = StripeTransformers.NextAction(setupIntent);
                return result with
                {
                    Outcome = ProviderOutcome.RequiresAction,
                    Action = action,
                    RedirectUrl = action is { Type: ProviderNextActionType.Redirect, Method: "GET" } ? action.Url : null,
                };
            case "requires_payment_method" when setupIntent.TryGetProperty("last_setup_error", out var error) && error.ValueKind == JsonValueKind.Object:
                return result with
                {
                    Outcome = ProviderOutcome.Declined,
                    DeclineCode = StripeErrorTransformers.MapDeclineCode(error.String("code"), error.String("decline_code")),
                    Message = error.String("message"),
                };
            case "canceled":
                return result with { Outcome = ProviderOutcome.Declined, DeclineCode = DeclineCodes.GenericDecline, Message = "The setup was canceled." };
            default:
                return result;
        }
    }

    /// <summary>
    /// Adds what a later payment needs to an approved result of a PaymentIntent (or SetupIntent) that saved the card
    /// (it has <c>setup_future_usage</c> or <c>usage</c>, a <c>customer</c> and a <c>payment_method</c>): the Stripe
    /// Customer and PaymentMethod as recurring references, and the expanded charge's <c>network_transaction_id</c>.
    /// Other results are returned unchanged, apart from the network transaction id when the charge carries one.
    /// </summary>
    public static ProviderPaymentResult WithReferences(ProviderPaymentResult result, JsonElement intent)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Outcome is not (ProviderOutcome.Authorized or ProviderOutcome.Succeeded))
        {
            return result;
        }

        var nti = intent.TryGetProperty("latest_charge", out var charge) && charge.ValueKind == JsonValueKind.Object
            && charge.TryGetProperty("payment_method_details", out var details) && details.TryGetProperty("card", out var card)
                ? card.String("network_transaction_id")
                : null;
        var saves = intent.String("setup_future_usage") is not null || intent.String("object") == "setup_intent";
        var customer = IdOf(intent, "customer");
        var paymentMethod = IdOf(intent, "payment_method");
        return result with
        {
            NetworkTransactionId = nti ?? result.NetworkTransactionId,
            RecurringReferences = saves && customer is not null && paymentMethod is not null
                ? new Dictionary<string, string>(StringComparer.Ordinal) { [CustomerReference] = customer, [PaymentMethodReference] = paymentMethod }
                : result.RecurringReferences,
        };
    }

    /// <summary>The id of a field that is either an id string or an expanded object.</summary>
    internal static string? IdOf(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ValueKind == JsonValueKind.Object ? value.String("id") : null
            : null;
}
