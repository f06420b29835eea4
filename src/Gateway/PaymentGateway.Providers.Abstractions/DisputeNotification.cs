namespace PaymentGateway.Providers;

/// <summary>
/// What a provider said about a dispute (an inquiry, a chargeback, a pre-arbitration), as its adapter read it from a
/// webhook (<see cref="ProviderWebhookResult.Disputes"/>) or from the provider's disputes API
/// (<see cref="IDisputeSyncFlow"/>). The adapter copies the provider's own codes verbatim (<see cref="EventCode"/>,
/// <see cref="ProviderStatus"/>, <see cref="ReasonCode"/>); the gateway maps them to its dispute statuses and reasons
/// (one pure table per provider in the core), so an adapter stays a translation of the wire format. Several deliveries
/// of the same notification, in any order, end in the same dispute state.
/// </summary>
public sealed record DisputeNotification
{
    /// <summary>The event code of a state the gateway read from the provider's API rather than received as an event.</summary>
    public const string SnapshotEventCode = "snapshot";

    /// <summary>The provider's id of the dispute, the same on every notification about it (Stripe <c>du_…</c>, Adyen's dispute PSP reference, Checkout.com <c>dsp_…</c>, Mollie <c>chb_…</c>).</summary>
    public required string ProviderDisputeId { get; init; }

    /// <summary>The gateway's payment id, when the provider echoes the merchant reference it was given (Adyen <c>merchantReference</c>).</summary>
    public string? PaymentReference { get; init; }

    /// <summary>The provider's reference of the disputed payment (Stripe charge or payment intent, Adyen <c>originalReference</c>, Checkout.com <c>payment_id</c>, Mollie <c>tr_…</c>).</summary>
    public string? ProviderPaymentReference { get; init; }

    /// <summary>
    /// The provider's event type or code, verbatim: <c>charge.dispute.closed</c>, <c>CHARGEBACK_REVERSED</c>,
    /// <c>dispute_won</c>, <c>chargeback</c>; <see cref="SnapshotEventCode"/> for a state read from the provider's API.
    /// </summary>
    public required string EventCode { get; init; }

    /// <summary>The provider's status of the dispute at the time, verbatim, when it states one (Stripe <c>status</c>, Adyen <c>disputeStatus</c>, Checkout.com <c>status</c>).</summary>
    public string? ProviderStatus { get; init; }

    /// <summary>The disputed amount, when stated.</summary>
    public Money? Amount { get; init; }

    /// <summary>The provider's reason code, verbatim (Stripe <c>reason</c>, Adyen <c>chargebackReasonCode</c>, Checkout.com <c>category</c>, Mollie <c>reason.code</c>).</summary>
    public string? ReasonCode { get; init; }

    /// <summary>The card scheme the reason code belongs to, when the provider says (Adyen <c>chargebackSchemeCode</c>, Checkout.com <c>payment_method</c>): <c>visa</c>, <c>mc</c>, <c>amex</c>, …</summary>
    public string? ReasonScheme { get; init; }

    /// <summary>When the merchant's evidence must reach the provider, when stated.</summary>
    public DateTimeOffset? EvidenceDueBy { get; init; }

    /// <summary>When the provider says the event happened (its event time), not when it arrived.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The provider's own identity of this event, the same on every redelivery (Stripe/Checkout.com event id, Adyen <c>pspReference:eventCode</c>), when it has one.</summary>
    public string? EventId { get; init; }

    /// <summary>
    /// The identity of the money movement this event's code documents, when it differs from <see cref="EventId"/>: the
    /// same on every notification of that one movement. Adyen sends <c>CHARGEBACK</c> again when only the dispute's
    /// <c>disputeStatus</c> changes (Undefended, then Lost): a new state, but the chargeback debited once. Defaults to
    /// <see cref="EventId"/>.
    /// </summary>
    public string? FundsEventId { get; init; }

    /// <summary>
    /// Money the provider moved for this dispute, when the adapter can read it with its own reference (Stripe balance
    /// transactions). When empty, the gateway derives the movement from the event code where the provider documents one
    /// (Adyen <c>CHARGEBACK</c> debits, <c>CHARGEBACK_REVERSED</c> credits, …).
    /// </summary>
    public IReadOnlyList<DisputeFundsMovement> FundsMovements { get; init; } = [];
}

/// <summary>Which way money moved for a dispute.</summary>
public enum DisputeFundsDirection
{
    /// <summary>Taken from the merchant (the chargeback debit).</summary>
    Withdrawn,

    /// <summary>Given back to the merchant (a won dispute, a reversed chargeback).</summary>
    Reinstated,
}

/// <summary>One movement of money for a dispute.</summary>
public sealed record DisputeFundsMovement
{
    /// <summary>Withdrawn or reinstated.</summary>
    public required DisputeFundsDirection Direction { get; init; }

    /// <summary>The amount moved (positive).</summary>
    public required Money Amount { get; init; }

    /// <summary>The provider's id of the movement (Stripe <c>txn_…</c>), the same whether read from a webhook or the API; deduplicates it.</summary>
    public required string Reference { get; init; }

    /// <summary>When it happened, when stated.</summary>
    public DateTimeOffset? At { get; init; }
}
