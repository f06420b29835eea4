using System.Text.Json;
using PaymentGateway.Providers.Http;

namespace PaymentGateway.Providers.Mollie;

/// <summary>
/// Pure translations of stored credentials to Mollie's recurring API (docs/saved-cards.md). Mollie keeps the card: the
/// first payment is made by a Mollie Customer (<c>customerId</c>) with <c>sequenceType: first</c> on Mollie's checkout
/// (the customer authenticates there), and Mollie creates a mandate (<c>mandateId</c> on the paid payment). A
/// merchant-initiated payment is <c>sequenceType: recurring</c> with the <c>customerId</c> (and the <c>mandateId</c> when
/// known; Mollie otherwise takes the customer's valid mandate), no redirect. Mollie takes no network transaction id of
/// a series started elsewhere. No I/O; table-tested.
/// </summary>
public static class MollieStoredCards
{
    /// <summary>The recurring reference naming the Mollie Customer (<c>cst_…</c>).</summary>
    public const string CustomerReference = "customer_id";

    /// <summary>The recurring reference naming the mandate (<c>mdt_…</c>).</summary>
    public const string MandateReference = "mandate_id";

    /// <summary>Metadata key carrying the gateway's customer id on the Mollie Customer.</summary>
    public const string CustomerMetadataKey = "gateway_customer_id";

    /// <summary>The Mollie Customer of a payment on a card this account saved, or null.</summary>
    public static string? CustomerId(StoredCredential? stored) =>
        stored is { Sequence: StoredCredentialSequence.Subsequent } && stored.ProviderReferences.TryGetValue(CustomerReference, out var id) ? id : null;

    /// <summary>Whether the payment is a merchant-initiated charge on a mandate (<c>sequenceType: recurring</c>, no checkout).</summary>
    public static bool IsRecurring(StoredCredential? stored) => stored is { Initiator: StoredCredentialInitiator.Merchant } && CustomerId(stored) is not null;

    /// <summary><c>POST /v2/customers</c> for a card being saved: only the gateway's customer id in metadata (no personal data).</summary>
    public static byte[] CustomerBody(StoredCredential stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return ProviderJson.Write(w =>
        {
            w.WriteStartObject("metadata");
            w.WriteString(CustomerMetadataKey, stored.CustomerReference);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// Writes the recurring fields of a payment: <c>customerId</c> + <c>sequenceType: first</c> when saving (the Mollie
    /// Customer just created), <c>customerId</c> + <c>mandateId</c> + <c>sequenceType: recurring</c> for a merchant-initiated
    /// payment, and <c>customerId</c> on a customer-initiated payment on a saved card (Mollie's checkout offers the card).
    /// </summary>
    public static void Write(Utf8JsonWriter w, StoredCredential? stored, string? newCustomer)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (stored is { Sequence: StoredCredentialSequence.First } && newCustomer is not null)
        {
            w.WriteString("customerId", newCustomer);
            w.WriteString("sequenceType", "first");
        }
        else if (CustomerId(stored) is { } customer)
        {
            w.WriteString("customerId", customer);
            if (IsRecurring(stored))
            {
                w.WriteString("sequenceType", "recurring");
                if (stored?.ProviderReferences.TryGetValue(MandateReference, out var mandate) == true)
                {
                    w.WriteString("mandateId", mandate);
                }
            }
        }
    }

    /// <summary>
    /// Adds the references of a first payment Mollie authorized or paid (<c>sequenceType: first</c> with a
    /// <c>customerId</c>): the customer and, once Mollie created it, the mandate. On a failed recurring payment,
    /// <c>authentication_required</c> is the issuer asking for the cardholder: the gateway's authentication required.
    /// </summary>
    public static ProviderPaymentResult WithReferences(ProviderPaymentResult result, JsonElement payment)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sequence = payment.String("sequenceType");
        if (result.Outcome == ProviderOutcome.Declined)
        {
            var reason = payment.TryGetProperty("details", out var details) ? details.String("failureReason") : null;
            return sequence == "recurring" && reason == "authentication_required" ? result with { DeclineCode = DeclineCodes.AuthenticationRequired } : result;
        }

        if (sequence != "first" || result.Outcome is not (ProviderOutcome.Authorized or ProviderOutcome.Succeeded) || payment.String("customerId") is not { } customer)
        {
            return result;
        }

        var references = new Dictionary<string, string>(StringComparer.Ordinal) { [CustomerReference] = customer };
        if (payment.String("mandateId") is { } mandate)
        {
            references[MandateReference] = mandate;
        }

        return result with { RecurringReferences = references };
    }
}
