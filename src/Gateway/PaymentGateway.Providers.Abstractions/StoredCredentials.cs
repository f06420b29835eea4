namespace PaymentGateway.Providers;

/// <summary>Who starts a payment on a stored card: the cardholder (on session) or the merchant without them (off session).</summary>
public enum StoredCredentialInitiator
{
    /// <summary>A customer-initiated transaction (CIT): the cardholder is present and can authenticate (3-D Secure).</summary>
    Customer,

    /// <summary>A merchant-initiated transaction (MIT): the cardholder is absent; no CVC, no 3-D Secure challenge possible.</summary>
    Merchant,
}

/// <summary>Where a payment stands in a stored-credential series (the card schemes' "initial" and "subsequent" transactions).</summary>
public enum StoredCredentialSequence
{
    /// <summary>The first, customer-initiated payment of a series: the card is being stored. Its network transaction id starts the series.</summary>
    First,

    /// <summary>A later payment on the stored card, referring to the series (its network transaction id or the provider's references).</summary>
    Subsequent,
}

/// <summary>Why the merchant charges a stored card without the cardholder: the schemes' merchant-initiated transaction types.</summary>
public enum MerchantInitiatedType
{
    /// <summary>Charges at no fixed schedule (top-ups, "charge when the order ships", usage-based billing).</summary>
    Unscheduled,

    /// <summary>A subscription: a fixed amount or schedule agreed with the cardholder.</summary>
    Recurring,

    /// <summary>One of an agreed number of instalments of one purchase.</summary>
    Instalment,
}

/// <summary>What the cardholder agreed the stored card may be used for (the first payment's <c>setup_future_usage</c>).</summary>
public enum StoredCredentialUsage
{
    /// <summary>Only with the cardholder present (one-click checkout).</summary>
    OnSession,

    /// <summary>Also without the cardholder (subscriptions, instalments, unscheduled charges).</summary>
    OffSession,
}

/// <summary>
/// The stored-credential framework data of an authorization or verification (<see cref="AuthorizeRequest.StoredCredential"/>,
/// <see cref="VerifyRequest.StoredCredential"/>). Null on a request means a one-off card payment, exactly as before.
/// An adapter that takes this (<see cref="ProviderCapabilities.StoredCredentials"/>) maps it to its provider's fields:
/// Stripe's <c>setup_future_usage</c> / <c>off_session</c>, Adyen's <c>shopperInteraction</c> / <c>recurringProcessingModel</c>
/// / <c>storePaymentMethod</c>, Checkout.com's <c>payment_type</c> / <c>merchant_initiated</c> / <c>previous_payment_id</c>,
/// Mollie's <c>sequenceType</c>.
/// </summary>
public sealed record StoredCredential
{
    /// <summary>Who starts the payment.</summary>
    public required StoredCredentialInitiator Initiator { get; init; }

    /// <summary>The first payment of a series (store the card) or a later one.</summary>
    public required StoredCredentialSequence Sequence { get; init; }

    /// <summary>For <see cref="StoredCredentialSequence.First"/>: what the card is being stored for.</summary>
    public StoredCredentialUsage? Usage { get; init; }

    /// <summary>For a merchant-initiated payment: why (recurring, unscheduled, instalment).</summary>
    public MerchantInitiatedType? MerchantInitiatedType { get; init; }

    /// <summary>
    /// For a subsequent payment: the card scheme's transaction id of the series' first payment (Visa's transaction id,
    /// Mastercard's trace id), as an earlier result returned it (<see cref="ProviderPaymentResult.NetworkTransactionId"/>),
    /// possibly from another provider. Null when none is known.
    /// </summary>
    public string? NetworkTransactionId { get; init; }

    /// <summary>
    /// For a subsequent payment: what this provider account returned earlier about the stored card
    /// (<see cref="ProviderPaymentResult.RecurringReferences"/>), for example its stored payment method id, customer or
    /// mandate. Empty when the series started at another account.
    /// </summary>
    public IReadOnlyDictionary<string, string> ProviderReferences { get; init; } = new Dictionary<string, string>();

    /// <summary>The gateway's customer id (<c>cus_…</c>) the card is stored for, stable across payments (Adyen's <c>shopperReference</c>).</summary>
    public string? CustomerReference { get; init; }
}
