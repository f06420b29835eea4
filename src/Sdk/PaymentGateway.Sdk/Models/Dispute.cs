namespace PaymentGateway.Sdk;

/// <summary>A dispute (chargeback, inquiry or pre-arbitration) on a payment (<c>dp_…</c>); docs/disputes.md.</summary>
public sealed record Dispute : PaymentGatewayObject
{
    /// <summary>Unique identifier, prefixed <c>dp_</c>.</summary>
    public required string Id { get; init; }

    /// <summary><see langword="true"/> in live mode.</summary>
    public required bool Livemode { get; init; }

    /// <summary>The disputed payment (<c>pay_…</c>).</summary>
    public required string Payment { get; init; }

    /// <summary>The disputed amount in minor units.</summary>
    public required long Amount { get; init; }

    /// <summary>ISO 4217 currency code, upper case.</summary>
    public required string Currency { get; init; }

    /// <summary>The status; compare with the members of <see cref="DisputeStatus"/>.</summary>
    public required DisputeStatus Status { get; init; }

    /// <summary>The furthest stage reached: <c>inquiry</c>, <c>chargeback</c> or <c>pre_arbitration</c>.</summary>
    public required string Stage { get; init; }

    /// <summary>Why the cardholder disputed, normalized; compare with the members of <see cref="DisputeReason"/>.</summary>
    public required DisputeReason Reason { get; init; }

    /// <summary>The provider's own reason code, verbatim.</summary>
    public string? ProviderReasonCode { get; init; }

    /// <summary>When the evidence must reach the provider (UTC).</summary>
    public DateTimeOffset? EvidenceDueBy { get; init; }

    /// <summary>The evidence given so far.</summary>
    public required DisputeEvidence Evidence { get; init; }

    /// <summary>The evidence files uploaded to this dispute.</summary>
    public IReadOnlyList<DisputeEvidenceFile> EvidenceFiles { get; init; } = [];

    /// <summary>When the evidence was submitted, if it was.</summary>
    public DateTimeOffset? EvidenceSubmittedAt { get; init; }

    /// <summary>The latest answer sent to the provider (submission or acceptance), if any.</summary>
    public DisputeResponse? Response { get; init; }

    /// <summary>Money the provider took back for this dispute, in total (minor units).</summary>
    public required long AmountWithdrawn { get; init; }

    /// <summary>Money the provider gave back, in total (minor units).</summary>
    public required long AmountReinstated { get; init; }

    /// <summary>What this dispute keeps from being refunded on its payment (part of <see cref="Sdk.Payment.AmountDisputed"/>).</summary>
    public required long AmountHeld { get; init; }

    /// <summary>Each movement of money, oldest first.</summary>
    public IReadOnlyList<DisputeFundsMovement> FundsMovements { get; init; } = [];

    /// <summary>The provider (<c>stripe</c>, <c>adyen</c>, <c>simulator</c>, …).</summary>
    public required string Provider { get; init; }

    /// <summary>The provider account (<c>pa_…</c>), when the payment was routed to one.</summary>
    public string? ProviderAccount { get; init; }

    /// <summary>The provider's id of the dispute.</summary>
    public required string ProviderDisputeId { get; init; }

    /// <summary>The provider's reference of the disputed payment.</summary>
    public string? ProviderPaymentReference { get; init; }

    /// <summary>When the dispute was closed (won, lost, accepted, inquiry closed), while it is.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>When the gateway learned of the dispute (UTC).</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>When the dispute last changed (UTC).</summary>
    public required DateTimeOffset Updated { get; init; }
}

/// <summary>
/// A dispute's evidence (the set Stripe uses; other providers' evidence maps onto it). File fields hold an evidence
/// file id (<c>dpf_…</c>). As an update (<see cref="UpdateDisputeEvidenceRequest"/>), a field left null is unchanged and an
/// empty string clears it.
/// </summary>
public sealed record DisputeEvidence
{
    /// <summary>Server or activity logs showing the customer used the product or service. Wire name <c>access_activity_log</c>.</summary>
    public string? AccessActivityLog { get; init; }

    /// <summary>The billing address the customer gave. Wire name <c>billing_address</c>.</summary>
    public string? BillingAddress { get; init; }

    /// <summary>Your cancellation policy as shown to the customer. An evidence file id (<c>dpf_…</c>) from <see cref="DisputesOperations.UploadEvidenceFileAsync"/>. Wire name <c>cancellation_policy</c>.</summary>
    public string? CancellationPolicy { get; init; }

    /// <summary>How and when the cancellation policy was shown. Wire name <c>cancellation_policy_disclosure</c>.</summary>
    public string? CancellationPolicyDisclosure { get; init; }

    /// <summary>Why the customer's subscription was not canceled. Wire name <c>cancellation_rebuttal</c>.</summary>
    public string? CancellationRebuttal { get; init; }

    /// <summary>Correspondence with the customer. An evidence file id (<c>dpf_…</c>) from <see cref="DisputesOperations.UploadEvidenceFileAsync"/>. Wire name <c>customer_communication</c>.</summary>
    public string? CustomerCommunication { get; init; }

    /// <summary>The customer's email address. Wire name <c>customer_email_address</c>.</summary>
    public string? CustomerEmailAddress { get; init; }

    /// <summary>The customer's name. Wire name <c>customer_name</c>.</summary>
    public string? CustomerName { get; init; }

    /// <summary>The IP address the purchase was made from. Wire name <c>customer_purchase_ip</c>.</summary>
    public string? CustomerPurchaseIp { get; init; }

    /// <summary>A signature or signed agreement. An evidence file id (<c>dpf_…</c>) from <see cref="DisputesOperations.UploadEvidenceFileAsync"/>. Wire name <c>customer_signature</c>.</summary>
    public string? CustomerSignature { get; init; }

    /// <summary>Documents showing the charges are not duplicates. An evidence file id (<c>dpf_…</c>) from <see cref="DisputesOperations.UploadEvidenceFileAsync"/>. Wire name <c>duplicate_charge_documentation</c>.</summary>
    public string? DuplicateChargeDocumentation { get; init; }

    /// <summary>Why two similar charges are not duplicates. Wire name <c>duplicate_charge_explanation</c>.</summary>
    public string? DuplicateChargeExplanation { get; init; }

    /// <summary>The other payment that looks like a duplicate. Wire name <c>duplicate_charge_id</c>.</summary>
    public string? DuplicateChargeId { get; init; }

    /// <summary>What was sold. Wire name <c>product_description</c>.</summary>
    public string? ProductDescription { get; init; }

    /// <summary>The receipt or order confirmation. An evidence file id (<c>dpf_…</c>) from <see cref="DisputesOperations.UploadEvidenceFileAsync"/>. Wire name <c>receipt</c>.</summary>
    public string? Receipt { get; init; }

    /// <summary>Your refund policy as shown to the customer. An evidence file id (<c>dpf_…</c>) from <see cref="DisputesOperations.UploadEvidenceFileAsync"/>. Wire name <c>refund_policy</c>.</summary>
    public string? RefundPolicy { get; init; }

    /// <summary>How and when the refund policy was shown. Wire name <c>refund_policy_disclosure</c>.</summary>
    public string? RefundPolicyDisclosure { get; init; }

    /// <summary>Why no refund was given. Wire name <c>refund_refusal_explanation</c>.</summary>
    public string? RefundRefusalExplanation { get; init; }

    /// <summary>When the service was provided. Wire name <c>service_date</c>.</summary>
    public string? ServiceDate { get; init; }

    /// <summary>Proof the service was provided. An evidence file id (<c>dpf_…</c>) from <see cref="DisputesOperations.UploadEvidenceFileAsync"/>. Wire name <c>service_documentation</c>.</summary>
    public string? ServiceDocumentation { get; init; }

    /// <summary>Where the goods were shipped. Wire name <c>shipping_address</c>.</summary>
    public string? ShippingAddress { get; init; }

    /// <summary>The carrier that shipped them. Wire name <c>shipping_carrier</c>.</summary>
    public string? ShippingCarrier { get; init; }

    /// <summary>When they were shipped. Wire name <c>shipping_date</c>.</summary>
    public string? ShippingDate { get; init; }

    /// <summary>Proof of shipment or delivery. An evidence file id (<c>dpf_…</c>) from <see cref="DisputesOperations.UploadEvidenceFileAsync"/>. Wire name <c>shipping_documentation</c>.</summary>
    public string? ShippingDocumentation { get; init; }

    /// <summary>The shipment's tracking number. Wire name <c>shipping_tracking_number</c>.</summary>
    public string? ShippingTrackingNumber { get; init; }

    /// <summary>Any other evidence file. An evidence file id (<c>dpf_…</c>) from <see cref="DisputesOperations.UploadEvidenceFileAsync"/>. Wire name <c>uncategorized_file</c>.</summary>
    public string? UncategorizedFile { get; init; }

    /// <summary>Any other evidence. Wire name <c>uncategorized_text</c>.</summary>
    public string? UncategorizedText { get; init; }
}

/// <summary>An evidence file uploaded to a dispute (<c>dpf_…</c>).</summary>
public sealed record DisputeEvidenceFile : PaymentGatewayObject
{
    /// <summary>Unique identifier, prefixed <c>dpf_</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The dispute (<c>dp_…</c>).</summary>
    public required string Dispute { get; init; }

    /// <summary>The file name (sanitized by the gateway).</summary>
    public required string Filename { get; init; }

    /// <summary><c>application/pdf</c>, <c>image/png</c> or <c>image/jpeg</c>, from the file's bytes.</summary>
    public required string ContentType { get; init; }

    /// <summary>The size in bytes.</summary>
    public required long Size { get; init; }

    /// <summary>The hex SHA-256 of the bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>When it was uploaded (UTC).</summary>
    public required DateTimeOffset Created { get; init; }
}

/// <summary>Money the provider moved for a dispute.</summary>
public sealed record DisputeFundsMovement
{
    /// <summary><c>withdrawn</c> or <c>reinstated</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The amount in minor units.</summary>
    public required long Amount { get; init; }

    /// <summary>ISO 4217 currency code.</summary>
    public required string Currency { get; init; }

    /// <summary>When it happened (UTC).</summary>
    public required DateTimeOffset Created { get; init; }
}

/// <summary>The merchant's latest answer to a dispute through its provider.</summary>
public sealed record DisputeResponse
{
    /// <summary><c>evidence</c> or <c>accept</c>.</summary>
    public required string Type { get; init; }

    /// <summary><c>sending</c> (the provider's answer is not known: submit again to retry), <c>accepted</c> or <c>rejected</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Why the provider refused it, when it did.</summary>
    public string? FailureMessage { get; init; }

    /// <summary>When it was sent or answered (UTC).</summary>
    public required DateTimeOffset Created { get; init; }
}
