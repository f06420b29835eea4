using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.CheckoutCom;

/// <summary>
/// Pure translations of stored credentials to Checkout.com's Payments API (docs/saved-cards.md): the first payment
/// stores the card (<c>store_for_future_use</c>, <c>payment_type</c>, <c>merchant_initiated: false</c>); Checkout.com
/// answers the stored instrument (<c>source.id</c>, <c>src_…</c>) and the scheme's transaction id (<c>scheme_id</c>). A
/// later payment on this account's instrument sends <c>source: {type: id}</c> (never the card number again); a
/// merchant-initiated one adds <c>merchant_initiated: true</c>, its <c>payment_type</c> (<c>Recurring</c>,
/// <c>Unscheduled</c>, <c>Installment</c>) and <c>previous_payment_id</c> (the series' first payment, or the scheme
/// transaction id of a series started elsewhere, sent with the card). No I/O; table-tested.
/// </summary>
public static class CheckoutComStoredCards
{
    /// <summary>The recurring reference naming Checkout.com's stored instrument (<c>src_…</c>).</summary>
    public const string SourceReference = "source_id";

    /// <summary>The recurring reference naming the series' first payment (<c>pay_…</c>), sent as <c>previous_payment_id</c>.</summary>
    public const string FirstPaymentReference = "first_payment_id";

    /// <summary>This account's stored instrument for a subsequent payment, or null.</summary>
    public static string? SourceId(StoredCredential? stored) =>
        stored is { Sequence: StoredCredentialSequence.Subsequent } && stored.ProviderReferences.TryGetValue(SourceReference, out var id) ? id : null;

    /// <summary>Whether no CVV, 3-D Secure or redirect belongs in the request: the cardholder is absent.</summary>
    public static bool IsMerchantInitiated(StoredCredential? stored) => stored is { Initiator: StoredCredentialInitiator.Merchant };

    /// <summary>
    /// The <c>payment_type</c>: a merchant-initiated payment's type (<c>Recurring</c>, <c>Installment</c>,
    /// <c>Unscheduled</c>); a first payment stored for off-session use <c>Unscheduled</c> (it covers later MIT types);
    /// everything else <c>Regular</c>.
    /// </summary>
    public static string PaymentType(StoredCredential? stored) => stored switch
    {
        { Initiator: StoredCredentialInitiator.Merchant, MerchantInitiatedType: MerchantInitiatedType.Recurring } => "Recurring",
        { Initiator: StoredCredentialInitiator.Merchant, MerchantInitiatedType: MerchantInitiatedType.Instalment } => "Installment",
        { Initiator: StoredCredentialInitiator.Merchant } => "Unscheduled",
        { Sequence: StoredCredentialSequence.First, Usage: StoredCredentialUsage.OffSession } => "Unscheduled",
        _ => "Regular",
    };

    /// <summary>The <c>previous_payment_id</c> of a merchant-initiated payment: this account's first payment, else the series' network transaction id.</summary>
    public static string? PreviousPaymentId(StoredCredential? stored) =>
        IsMerchantInitiated(stored) && stored is not null
            ? stored.ProviderReferences.TryGetValue(FirstPaymentReference, out var first) ? first : stored.NetworkTransactionId
            : null;

    /// <summary>Writes the stored instrument as the <c>source</c> (<c>type: id</c>, no card data).</summary>
    public static void WriteSource(Utf8JsonWriter w, string sourceId)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject("source");
        w.WriteString("type", "id");
        w.WriteString("id", sourceId);
        w.WriteEndObject();
    }

    /// <summary>Writes <c>store_for_future_use</c> (true only when saving, false otherwise on a card source), <c>merchant_initiated</c> and <c>previous_payment_id</c>.</summary>
    public static void Write(Utf8JsonWriter w, StoredCredential? stored)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (stored is null)
        {
            return;
        }

        w.WriteBoolean("merchant_initiated", IsMerchantInitiated(stored));
        if (PreviousPaymentId(stored) is { } previous)
        {
            w.WriteString("previous_payment_id", previous);
        }
    }

    /// <summary>
    /// Adds what a later payment needs to an answer that was not declined: <c>scheme_id</c> as the network transaction
    /// id, and for a payment that stored the card (<paramref name="saved"/>) the instrument <c>source.id</c> and the payment id.
    /// </summary>
    public static ProviderPaymentResult WithReferences(ProviderPaymentResult result, JsonElement payment, bool saved)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Outcome == ProviderOutcome.Declined)
        {
            return result;
        }

        var source = payment.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.Object ? s.String("id") : null;
        return result with
        {
            NetworkTransactionId = payment.String("scheme_id") ?? result.NetworkTransactionId,
            RecurringReferences = saved && source is not null && payment.String("id") is { } id
                ? new Dictionary<string, string>(StringComparer.Ordinal) { [SourceReference] = source, [FirstPaymentReference] = id }
                : result.RecurringReferences,
        };
    }
}
