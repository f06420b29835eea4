using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Adyen;

/// <summary>
/// Pure translations of stored credentials to Adyen Checkout v71 (docs/saved-cards.md): the first payment stores a token
/// (<c>storePaymentMethod</c>, <c>shopperReference</c>, <c>recurringProcessingModel</c>); a later payment on a token of
/// this account sends <c>paymentMethod.storedPaymentMethodId</c> (never the card number again) with
/// <c>shopperInteraction: ContAuth</c> when the merchant charges alone; a card saved elsewhere is sent with the series'
/// <c>additionalData.networkTxReference</c>. No I/O; table-tested.
/// </summary>
public static class AdyenStoredCards
{
    /// <summary>The recurring reference naming Adyen's token (<c>storedPaymentMethodId</c>).</summary>
    public const string StoredPaymentMethodReference = "stored_payment_method_id";

    /// <summary>The recurring reference naming the <c>shopperReference</c> the token was stored under.</summary>
    public const string ShopperReference = "shopper_reference";

    /// <summary>The token of this account for a subsequent payment, or null (a first payment, or a series started elsewhere).</summary>
    public static string? StoredPaymentMethodId(StoredCredential? stored) =>
        stored is { Sequence: StoredCredentialSequence.Subsequent } && stored.ProviderReferences.TryGetValue(StoredPaymentMethodReference, out var id) ? id : null;

    /// <summary>The <c>shopperReference</c>: the one the token was stored under, else the gateway's customer id.</summary>
    public static string? ShopperReferenceOf(StoredCredential stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return stored.ProviderReferences.TryGetValue(ShopperReference, out var reference) ? reference : stored.CustomerReference;
    }

    /// <summary>
    /// Adyen's <c>recurringProcessingModel</c>: a first payment stored for off-session use is <c>UnscheduledCardOnFile</c>
    /// (it covers every later merchant-initiated type), for on-session use <c>CardOnFile</c>; a customer-initiated payment
    /// on a stored card <c>CardOnFile</c>; a merchant-initiated one <c>Subscription</c> (recurring, and instalments,
    /// which follow a fixed schedule) or <c>UnscheduledCardOnFile</c>.
    /// </summary>
    public static string RecurringProcessingModel(StoredCredential stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return stored switch
        {
            { Sequence: StoredCredentialSequence.First } => stored.Usage == StoredCredentialUsage.OnSession ? "CardOnFile" : "UnscheduledCardOnFile",
            { Initiator: StoredCredentialInitiator.Customer } => "CardOnFile",
            { MerchantInitiatedType: MerchantInitiatedType.Recurring or MerchantInitiatedType.Instalment } => "Subscription",
            _ => "UnscheduledCardOnFile",
        };
    }

    /// <summary><c>ContAuth</c> for a merchant-initiated payment (no shopper present), else <c>Ecommerce</c>.</summary>
    public static string ShopperInteraction(StoredCredential? stored) =>
        stored is { Initiator: StoredCredentialInitiator.Merchant } ? "ContAuth" : "Ecommerce";

    /// <summary>
    /// The series' network transaction id to send in <c>additionalData.networkTxReference</c>: only for a subsequent
    /// payment without this account's token (a card saved through another provider or account), which carries the card.
    /// </summary>
    public static string? NetworkTxReference(StoredCredential? stored) =>
        stored is { Sequence: StoredCredentialSequence.Subsequent } && StoredPaymentMethodId(stored) is null ? stored.NetworkTransactionId : null;

    /// <summary>Writes the stored-credential fields of a <c>PaymentRequest</c> (nothing for a one-off payment).</summary>
    public static void Write(Utf8JsonWriter w, StoredCredential? stored)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (stored is null)
        {
            return;
        }

        if (ShopperReferenceOf(stored) is { } shopper)
        {
            w.WriteString("shopperReference", shopper);
        }

        if (stored.Sequence == StoredCredentialSequence.First)
        {
            w.WriteBoolean("storePaymentMethod", true);
        }

        w.WriteString("recurringProcessingModel", RecurringProcessingModel(stored));
    }

    /// <summary>
    /// Adds what a later payment needs to an answer that was not declined: the token
    /// (<c>additionalData.tokenization.storedPaymentMethodId</c>, or the older <c>recurring.recurringDetailReference</c>)
    /// with its <c>recurring.shopperReference</c>, and <c>additionalData.networkTxReference</c>.
    /// </summary>
    public static ProviderPaymentResult WithReferences(ProviderPaymentResult result, JsonElement response)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Outcome == ProviderOutcome.Declined || !response.TryGetProperty("additionalData", out var additional) || additional.ValueKind != JsonValueKind.Object)
        {
            return result;
        }

        var token = additional.String("tokenization.storedPaymentMethodId") ?? additional.String("recurring.recurringDetailReference");
        var references = token is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { [StoredPaymentMethodReference] = token };
        if (references is not null && additional.String("recurring.shopperReference") is { } shopper)
        {
            references[ShopperReference] = shopper;
        }

        return result with
        {
            NetworkTransactionId = additional.String("networkTxReference") ?? result.NetworkTransactionId,
            RecurringReferences = references ?? result.RecurringReferences,
        };
    }
}
