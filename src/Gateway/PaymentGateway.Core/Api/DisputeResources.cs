using PaymentGateway.Core.Disputes;

namespace PaymentGateway.Core.Api;

/// <summary>A dispute (chargeback, inquiry or pre-arbitration) on a payment (docs/disputes.md).</summary>
public sealed record DisputeResource
{
    public required string Id { get; init; }
    public string Object => "dispute";
    public required bool Livemode { get; init; }
    public required string Payment { get; init; }
    public required long Amount { get; init; }
    public required string Currency { get; init; }

    /// <summary><c>warning_needs_response</c>, <c>warning_under_review</c>, <c>warning_closed</c>, <c>needs_response</c>, <c>under_review</c>, <c>prearbitration_needs_response</c>, <c>prearbitration_under_review</c>, <c>won</c>, <c>lost</c>, <c>accepted</c>.</summary>
    public required string Status { get; init; }

    /// <summary><c>inquiry</c>, <c>chargeback</c> or <c>pre_arbitration</c>: the furthest stage reached.</summary>
    public required string Stage { get; init; }

    /// <summary>Normalized: <c>fraudulent</c>, <c>duplicate</c>, <c>product_not_received</c>, <c>product_unacceptable</c>, <c>subscription_canceled</c>, <c>credit_not_processed</c>, <c>unrecognized</c>, <c>general</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>The provider's own reason code, verbatim.</summary>
    public string? ProviderReasonCode { get; init; }

    /// <summary>When the evidence must reach the provider.</summary>
    public DateTimeOffset? EvidenceDueBy { get; init; }

    public required DisputeEvidenceResource Evidence { get; init; }

    public required IReadOnlyList<DisputeEvidenceFileResource> EvidenceFiles { get; init; }

    public DateTimeOffset? EvidenceSubmittedAt { get; init; }

    /// <summary>The latest answer sent to the provider (submission or acceptance), when there is one.</summary>
    public DisputeResponseResource? Response { get; init; }

    /// <summary>Money the provider took back for this dispute, in total.</summary>
    public required long AmountWithdrawn { get; init; }

    /// <summary>Money the provider gave back, in total.</summary>
    public required long AmountReinstated { get; init; }

    /// <summary>What this dispute keeps from being refunded on its payment (part of the payment's <c>amount_disputed</c>).</summary>
    public required long AmountHeld { get; init; }

    public required IReadOnlyList<DisputeFundsMovementResource> FundsMovements { get; init; }

    public required string Provider { get; init; }
    public string? ProviderAccount { get; init; }
    public required string ProviderDisputeId { get; init; }
    public string? ProviderPaymentReference { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; init; }
}

/// <summary>
/// The merchant's evidence (Stripe's field set). Text fields hold text; the file fields (<c>cancellation_policy</c>,
/// <c>customer_communication</c>, <c>customer_signature</c>, <c>duplicate_charge_documentation</c>, <c>receipt</c>,
/// <c>refund_policy</c>, <c>service_documentation</c>, <c>shipping_documentation</c>, <c>uncategorized_file</c>) name an
/// evidence file uploaded to the dispute (<c>dpf_…</c>). As a request body (<c>POST /v1/disputes/{id}/evidence</c>): a
/// field left out is unchanged, an empty string clears it.
/// </summary>
public sealed record DisputeEvidenceResource
{
    public string? AccessActivityLog { get; init; }
    public string? BillingAddress { get; init; }
    public string? CancellationPolicy { get; init; }
    public string? CancellationPolicyDisclosure { get; init; }
    public string? CancellationRebuttal { get; init; }
    public string? CustomerCommunication { get; init; }
    public string? CustomerEmailAddress { get; init; }
    public string? CustomerName { get; init; }
    public string? CustomerPurchaseIp { get; init; }
    public string? CustomerSignature { get; init; }
    public string? DuplicateChargeDocumentation { get; init; }
    public string? DuplicateChargeExplanation { get; init; }
    public string? DuplicateChargeId { get; init; }
    public string? ProductDescription { get; init; }
    public string? Receipt { get; init; }
    public string? RefundPolicy { get; init; }
    public string? RefundPolicyDisclosure { get; init; }
    public string? RefundRefusalExplanation { get; init; }
    public string? ServiceDate { get; init; }
    public string? ServiceDocumentation { get; init; }
    public string? ShippingAddress { get; init; }
    public string? ShippingCarrier { get; init; }
    public string? ShippingDate { get; init; }
    public string? ShippingDocumentation { get; init; }
    public string? ShippingTrackingNumber { get; init; }
    public string? UncategorizedFile { get; init; }
    public string? UncategorizedText { get; init; }

    /// <summary>The fields that are set, by their wire name.</summary>
    public Dictionary<string, string> ToFields()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                fields[name] = value;
            }
        }

        Add("access_activity_log", AccessActivityLog);
        Add("billing_address", BillingAddress);
        Add("cancellation_policy", CancellationPolicy);
        Add("cancellation_policy_disclosure", CancellationPolicyDisclosure);
        Add("cancellation_rebuttal", CancellationRebuttal);
        Add("customer_communication", CustomerCommunication);
        Add("customer_email_address", CustomerEmailAddress);
        Add("customer_name", CustomerName);
        Add("customer_purchase_ip", CustomerPurchaseIp);
        Add("customer_signature", CustomerSignature);
        Add("duplicate_charge_documentation", DuplicateChargeDocumentation);
        Add("duplicate_charge_explanation", DuplicateChargeExplanation);
        Add("duplicate_charge_id", DuplicateChargeId);
        Add("product_description", ProductDescription);
        Add("receipt", Receipt);
        Add("refund_policy", RefundPolicy);
        Add("refund_policy_disclosure", RefundPolicyDisclosure);
        Add("refund_refusal_explanation", RefundRefusalExplanation);
        Add("service_date", ServiceDate);
        Add("service_documentation", ServiceDocumentation);
        Add("shipping_address", ShippingAddress);
        Add("shipping_carrier", ShippingCarrier);
        Add("shipping_date", ShippingDate);
        Add("shipping_documentation", ShippingDocumentation);
        Add("shipping_tracking_number", ShippingTrackingNumber);
        Add("uncategorized_file", UncategorizedFile);
        Add("uncategorized_text", UncategorizedText);
        return fields;
    }

    /// <summary>The resource for stored fields.</summary>
    public static DisputeEvidenceResource FromFields(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        string? Get(string name) => fields.TryGetValue(name, out var value) ? value : null;
        return new DisputeEvidenceResource
        {
            AccessActivityLog = Get("access_activity_log"),
            BillingAddress = Get("billing_address"),
            CancellationPolicy = Get("cancellation_policy"),
            CancellationPolicyDisclosure = Get("cancellation_policy_disclosure"),
            CancellationRebuttal = Get("cancellation_rebuttal"),
            CustomerCommunication = Get("customer_communication"),
            CustomerEmailAddress = Get("customer_email_address"),
            CustomerName = Get("customer_name"),
            CustomerPurchaseIp = Get("customer_purchase_ip"),
            CustomerSignature = Get("customer_signature"),
            DuplicateChargeDocumentation = Get("duplicate_charge_documentation"),
            DuplicateChargeExplanation = Get("duplicate_charge_explanation"),
            DuplicateChargeId = Get("duplicate_charge_id"),
            ProductDescription = Get("product_description"),
            Receipt = Get("receipt"),
            RefundPolicy = Get("refund_policy"),
            RefundPolicyDisclosure = Get("refund_policy_disclosure"),
            RefundRefusalExplanation = Get("refund_refusal_explanation"),
            ServiceDate = Get("service_date"),
            ServiceDocumentation = Get("service_documentation"),
            ShippingAddress = Get("shipping_address"),
            ShippingCarrier = Get("shipping_carrier"),
            ShippingDate = Get("shipping_date"),
            ShippingDocumentation = Get("shipping_documentation"),
            ShippingTrackingNumber = Get("shipping_tracking_number"),
            UncategorizedFile = Get("uncategorized_file"),
            UncategorizedText = Get("uncategorized_text"),
        };
    }
}

/// <summary>An evidence file uploaded to a dispute. Its bytes download only as an attachment.</summary>
public sealed record DisputeEvidenceFileResource
{
    public required string Id { get; init; }
    public string Object => "dispute_evidence_file";
    public required string Dispute { get; init; }
    public required string Filename { get; init; }

    /// <summary><c>application/pdf</c>, <c>image/png</c> or <c>image/jpeg</c>, from the file's bytes.</summary>
    public required string ContentType { get; init; }

    public required long Size { get; init; }
    public required string Sha256 { get; init; }
    public required DateTimeOffset Created { get; init; }
}

/// <summary>Money the provider moved for a dispute.</summary>
public sealed record DisputeFundsMovementResource
{
    /// <summary><c>withdrawn</c> or <c>reinstated</c>.</summary>
    public required string Type { get; init; }

    public required long Amount { get; init; }
    public required string Currency { get; init; }
    public required DateTimeOffset Created { get; init; }
}

/// <summary>The merchant's latest answer through the provider.</summary>
public sealed record DisputeResponseResource
{
    /// <summary><c>evidence</c> or <c>accept</c>.</summary>
    public required string Type { get; init; }

    /// <summary><c>sending</c> (the provider's answer is not known yet: submit again to retry), <c>accepted</c>, <c>rejected</c>.</summary>
    public required string Status { get; init; }

    public string? FailureMessage { get; init; }
    public required DateTimeOffset Created { get; init; }
}

public static class DisputeResourceMapper
{
    public static DisputeResource ToResource(this Dispute d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new DisputeResource
        {
            Id = d.Id,
            Livemode = d.Livemode,
            Payment = d.PaymentId,
            Amount = d.Amount,
            Currency = d.Currency,
            Status = d.Status.ToWire(),
            Stage = d.Stage.ToWire(),
            Reason = d.Reason.ToWire(),
            ProviderReasonCode = d.ProviderReasonCode,
            EvidenceDueBy = d.EvidenceDueBy,
            Evidence = DisputeEvidenceResource.FromFields(d.Evidence),
            EvidenceFiles = d.Files.Select(f => f.ToResource(d.Id)).ToList(),
            EvidenceSubmittedAt = d.EvidenceSubmittedAt,
            Response = d.Submission is { } s
                ? new DisputeResponseResource
                {
                    Type = s.Kind,
                    Status = s.State switch { DisputeSubmissionState.Accepted => "accepted", DisputeSubmissionState.Rejected => "rejected", _ => "sending" },
                    FailureMessage = s.FailureMessage,
                    Created = s.At,
                }
                : null,
            AmountWithdrawn = d.AmountWithdrawn,
            AmountReinstated = d.AmountReinstated,
            AmountHeld = d.AmountHeld,
            FundsMovements = d.Funds.Select(f => new DisputeFundsMovementResource
            {
                Type = f.Kind == DisputeFundsKind.Withdrawn ? "withdrawn" : "reinstated",
                Amount = f.Amount,
                Currency = f.Currency,
                Created = f.At,
            }).ToList(),
            Provider = d.Provider,
            ProviderAccount = d.ProviderAccountId,
            ProviderDisputeId = d.ProviderDisputeId,
            ProviderPaymentReference = d.ProviderPaymentReference,
            ClosedAt = d.ClosedAt,
            Created = d.Created,
            Updated = d.Updated,
        };
    }

    public static DisputeEvidenceFileResource ToResource(this DisputeEvidenceFile f, string disputeId)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new DisputeEvidenceFileResource
        {
            Id = f.Id,
            Dispute = disputeId,
            Filename = f.FileName,
            ContentType = f.ContentType,
            Size = f.Size,
            Sha256 = f.Sha256,
            Created = f.Created,
        };
    }
}
