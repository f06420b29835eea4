using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using V1 = Payments.V1;

namespace PaymentGateway.Sdk.Internal;

/// <summary>Dispute messages (payments.v1 disputes.proto) to the SDK's models and back.</summary>
internal static class DisputeGrpcMapper
{
    public static V1.ListDisputesRequest ToProto(ListDisputesRequest r)
    {
        var proto = new V1.ListDisputesRequest();
        if (r.Limit is { } limit)
        {
            proto.Limit = limit;
        }

        if (r.StartingAfter is not null)
        {
            proto.StartingAfter = r.StartingAfter;
        }

        if (r.EndingBefore is not null)
        {
            proto.EndingBefore = r.EndingBefore;
        }

        if (r.Payment is not null)
        {
            proto.Payment = r.Payment;
        }

        if (r.Status is { } status)
        {
            // A status this SDK knows maps to its enum value; anything else is sent as a number the server refuses.
            proto.Status = System.Enum.TryParse<V1.DisputeStatus>(Pascal(status.Value), out var value) && value != V1.DisputeStatus.Unspecified
                ? value
                : (V1.DisputeStatus)(-1);
        }

        return proto;
    }

    public static V1.DisputeEvidence ToProto(DisputeEvidence evidence)
    {
        var proto = new V1.DisputeEvidence();
        void Set(string? value, Action<string> set)
        {
            if (value is not null)
            {
                set(value);
            }
        }

        Set(evidence.AccessActivityLog, v => proto.AccessActivityLog = v);
        Set(evidence.BillingAddress, v => proto.BillingAddress = v);
        Set(evidence.CancellationPolicy, v => proto.CancellationPolicy = v);
        Set(evidence.CancellationPolicyDisclosure, v => proto.CancellationPolicyDisclosure = v);
        Set(evidence.CancellationRebuttal, v => proto.CancellationRebuttal = v);
        Set(evidence.CustomerCommunication, v => proto.CustomerCommunication = v);
        Set(evidence.CustomerEmailAddress, v => proto.CustomerEmailAddress = v);
        Set(evidence.CustomerName, v => proto.CustomerName = v);
        Set(evidence.CustomerPurchaseIp, v => proto.CustomerPurchaseIp = v);
        Set(evidence.CustomerSignature, v => proto.CustomerSignature = v);
        Set(evidence.DuplicateChargeDocumentation, v => proto.DuplicateChargeDocumentation = v);
        Set(evidence.DuplicateChargeExplanation, v => proto.DuplicateChargeExplanation = v);
        Set(evidence.DuplicateChargeId, v => proto.DuplicateChargeId = v);
        Set(evidence.ProductDescription, v => proto.ProductDescription = v);
        Set(evidence.Receipt, v => proto.Receipt = v);
        Set(evidence.RefundPolicy, v => proto.RefundPolicy = v);
        Set(evidence.RefundPolicyDisclosure, v => proto.RefundPolicyDisclosure = v);
        Set(evidence.RefundRefusalExplanation, v => proto.RefundRefusalExplanation = v);
        Set(evidence.ServiceDate, v => proto.ServiceDate = v);
        Set(evidence.ServiceDocumentation, v => proto.ServiceDocumentation = v);
        Set(evidence.ShippingAddress, v => proto.ShippingAddress = v);
        Set(evidence.ShippingCarrier, v => proto.ShippingCarrier = v);
        Set(evidence.ShippingDate, v => proto.ShippingDate = v);
        Set(evidence.ShippingDocumentation, v => proto.ShippingDocumentation = v);
        Set(evidence.ShippingTrackingNumber, v => proto.ShippingTrackingNumber = v);
        Set(evidence.UncategorizedFile, v => proto.UncategorizedFile = v);
        Set(evidence.UncategorizedText, v => proto.UncategorizedText = v);
        return proto;
    }

    public static V1.UploadDisputeEvidenceFileRequest ToProto(string id, byte[] content, string fileName, string contentType) => new()
    {
        Dispute = id,
        Filename = fileName,
        ContentType = contentType,
        Content = ByteString.CopyFrom(content),
    };

    public static Dispute FromProto(V1.Dispute d) => new()
    {
        Id = d.Id,
        Livemode = d.Livemode,
        Payment = d.Payment,
        Amount = d.Amount,
        Currency = d.Currency,
        Status = new DisputeStatus(Wire(d.Status)),
        Stage = Wire(d.Stage),
        Reason = new DisputeReason(Wire(d.Reason)),
        ProviderReasonCode = d.HasProviderReasonCode ? d.ProviderReasonCode : null,
        EvidenceDueBy = Time(d.EvidenceDueBy),
        Evidence = FromProto(d.Evidence ?? new V1.DisputeEvidence()),
        EvidenceFiles = [.. d.EvidenceFiles.Select(FromProto)],
        EvidenceSubmittedAt = Time(d.EvidenceSubmittedAt),
        Response = d.Response is null ? null : new DisputeResponse
        {
            Type = d.Response.Type,
            Status = d.Response.Status,
            FailureMessage = d.Response.HasFailureMessage ? d.Response.FailureMessage : null,
            Created = Time(d.Response.Created) ?? default,
        },
        AmountWithdrawn = d.AmountWithdrawn,
        AmountReinstated = d.AmountReinstated,
        AmountHeld = d.AmountHeld,
        FundsMovements = [.. d.FundsMovements.Select(f => new DisputeFundsMovement { Type = f.Type, Amount = f.Amount, Currency = f.Currency, Created = Time(f.Created) ?? default })],
        Provider = d.Provider,
        ProviderAccount = d.HasProviderAccount ? d.ProviderAccount : null,
        ProviderDisputeId = d.ProviderDisputeId,
        ProviderPaymentReference = d.HasProviderPaymentReference ? d.ProviderPaymentReference : null,
        ClosedAt = Time(d.ClosedAt),
        Created = Time(d.Created) ?? default,
        Updated = Time(d.Updated) ?? default,
    };

    public static DisputeEvidenceFile FromProto(V1.DisputeEvidenceFile f) => new()
    {
        Id = f.Id,
        Dispute = f.Dispute,
        Filename = f.Filename,
        ContentType = f.ContentType,
        Size = f.Size,
        Sha256 = f.Sha256,
        Created = Time(f.Created) ?? default,
    };

    private static DisputeEvidence FromProto(V1.DisputeEvidence e) => new()
    {
        AccessActivityLog = e.HasAccessActivityLog ? e.AccessActivityLog : null,
        BillingAddress = e.HasBillingAddress ? e.BillingAddress : null,
        CancellationPolicy = e.HasCancellationPolicy ? e.CancellationPolicy : null,
        CancellationPolicyDisclosure = e.HasCancellationPolicyDisclosure ? e.CancellationPolicyDisclosure : null,
        CancellationRebuttal = e.HasCancellationRebuttal ? e.CancellationRebuttal : null,
        CustomerCommunication = e.HasCustomerCommunication ? e.CustomerCommunication : null,
        CustomerEmailAddress = e.HasCustomerEmailAddress ? e.CustomerEmailAddress : null,
        CustomerName = e.HasCustomerName ? e.CustomerName : null,
        CustomerPurchaseIp = e.HasCustomerPurchaseIp ? e.CustomerPurchaseIp : null,
        CustomerSignature = e.HasCustomerSignature ? e.CustomerSignature : null,
        DuplicateChargeDocumentation = e.HasDuplicateChargeDocumentation ? e.DuplicateChargeDocumentation : null,
        DuplicateChargeExplanation = e.HasDuplicateChargeExplanation ? e.DuplicateChargeExplanation : null,
        DuplicateChargeId = e.HasDuplicateChargeId ? e.DuplicateChargeId : null,
        ProductDescription = e.HasProductDescription ? e.ProductDescription : null,
        Receipt = e.HasReceipt ? e.Receipt : null,
        RefundPolicy = e.HasRefundPolicy ? e.RefundPolicy : null,
        RefundPolicyDisclosure = e.HasRefundPolicyDisclosure ? e.RefundPolicyDisclosure : null,
        RefundRefusalExplanation = e.HasRefundRefusalExplanation ? e.RefundRefusalExplanation : null,
        ServiceDate = e.HasServiceDate ? e.ServiceDate : null,
        ServiceDocumentation = e.HasServiceDocumentation ? e.ServiceDocumentation : null,
        ShippingAddress = e.HasShippingAddress ? e.ShippingAddress : null,
        ShippingCarrier = e.HasShippingCarrier ? e.ShippingCarrier : null,
        ShippingDate = e.HasShippingDate ? e.ShippingDate : null,
        ShippingDocumentation = e.HasShippingDocumentation ? e.ShippingDocumentation : null,
        ShippingTrackingNumber = e.HasShippingTrackingNumber ? e.ShippingTrackingNumber : null,
        UncategorizedFile = e.HasUncategorizedFile ? e.UncategorizedFile : null,
        UncategorizedText = e.HasUncategorizedText ? e.UncategorizedText : null,
    };

    /// <summary>The wire string of a proto enum value (<c>NeedsResponse</c> → <c>needs_response</c>); a number this SDK does not know stays visible.</summary>
    private static string Wire<TEnum>(TEnum value)
        where TEnum : struct, System.Enum
    {
        if (!System.Enum.IsDefined(value))
        {
            return "unrecognized_" + Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        var sb = new System.Text.StringBuilder();
        foreach (var ch in value.ToString())
        {
            if (char.IsUpper(ch) && sb.Length > 0)
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(ch));
        }

        return sb.ToString();
    }

    private static string Pascal(string snake) => string.Concat(snake.Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));

    private static DateTimeOffset? Time(Timestamp? value) => value?.ToDateTimeOffset();
}
