using Google.Protobuf;
using PaymentGateway.Core;
using PaymentGateway.Core.Api;
using PaymentGateway.Core.Disputes;
using PaymentGateway.Core.Storage;
using V1 = Payments.V1;

namespace PaymentGateway.Grpc;

/// <summary>Dispute messages to the core's requests and resources back to messages (payments.v1 disputes.proto).</summary>
public static class DisputeProtoMapper
{
    public static DisputeListQuery ToCore(V1.ListDisputesRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new DisputeListQuery
        {
            Limit = ProtoMapper.Limit(r.HasLimit, r.Limit),
            StartingAfter = ProtoMapper.Cursor(r.HasStartingAfter, r.StartingAfter, "starting_after", Ids.Dispute),
            EndingBefore = ProtoMapper.Cursors(r.HasStartingAfter, r.HasEndingBefore, r.EndingBefore, Ids.Dispute),
            CreatedGte = ProtoMapper.Time(r.CreatedGte, "created[gte]"),
            CreatedLt = ProtoMapper.Time(r.CreatedLt, "created[lt]"),
            Status = r.Status == V1.DisputeStatus.Unspecified ? null
                : DisputeStatusNames.TryParse(Snake(r.Status.ToString()), out var status) ? status
                : throw GatewayException.Invalid(ErrorCodes.ParameterInvalid, "status is not a dispute status.", "status"),
            PaymentId = r.HasPayment && r.Payment.Length > 0 ? r.Payment : null,
        };
    }

    public static DisputeEvidenceResource ToCore(V1.DisputeEvidence? e) => e is null ? new DisputeEvidenceResource() : new DisputeEvidenceResource
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

    public static V1.Dispute ToProto(DisputeResource d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var proto = new V1.Dispute
        {
            Id = d.Id,
            Livemode = d.Livemode,
            Payment = d.Payment,
            Amount = d.Amount,
            Currency = d.Currency,
            Status = Enum.TryParse<V1.DisputeStatus>(Pascal(d.Status), out var status) ? status : V1.DisputeStatus.Unspecified,
            Stage = Enum.TryParse<V1.DisputeStage>(Pascal(d.Stage), out var stage) ? stage : V1.DisputeStage.Unspecified,
            Reason = Enum.TryParse<V1.DisputeReason>(Pascal(d.Reason), out var reason) ? reason : V1.DisputeReason.Unspecified,
            Evidence = ToProto(d.Evidence),
            EvidenceFiles = { d.EvidenceFiles.Select(ToProto) },
            AmountWithdrawn = d.AmountWithdrawn,
            AmountReinstated = d.AmountReinstated,
            AmountHeld = d.AmountHeld,
            FundsMovements =
            {
                d.FundsMovements.Select(f => new V1.DisputeFundsMovement { Type = f.Type, Amount = f.Amount, Currency = f.Currency, Created = ProtoMapper.Time(f.Created) }),
            },
            Provider = d.Provider,
            ProviderDisputeId = d.ProviderDisputeId,
            Created = ProtoMapper.Time(d.Created),
            Updated = ProtoMapper.Time(d.Updated),
        };
        if (d.ProviderReasonCode is not null)
        {
            proto.ProviderReasonCode = d.ProviderReasonCode;
        }

        if (d.ProviderAccount is not null)
        {
            proto.ProviderAccount = d.ProviderAccount;
        }

        if (d.ProviderPaymentReference is not null)
        {
            proto.ProviderPaymentReference = d.ProviderPaymentReference;
        }

        if (d.EvidenceDueBy is { } due)
        {
            proto.EvidenceDueBy = ProtoMapper.Time(due);
        }

        if (d.EvidenceSubmittedAt is { } submitted)
        {
            proto.EvidenceSubmittedAt = ProtoMapper.Time(submitted);
        }

        if (d.ClosedAt is { } closed)
        {
            proto.ClosedAt = ProtoMapper.Time(closed);
        }

        if (d.Response is { } response)
        {
            proto.Response = new V1.DisputeResponse { Type = response.Type, Status = response.Status, Created = ProtoMapper.Time(response.Created) };
            if (response.FailureMessage is not null)
            {
                proto.Response.FailureMessage = response.FailureMessage;
            }
        }

        return proto;
    }

    public static V1.DisputeEvidenceFile ToProto(DisputeEvidenceFileResource f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new V1.DisputeEvidenceFile
        {
            Id = f.Id,
            Dispute = f.Dispute,
            Filename = f.Filename,
            ContentType = f.ContentType,
            Size = f.Size,
            Sha256 = f.Sha256,
            Created = ProtoMapper.Time(f.Created),
        };
    }

    public static V1.DownloadDisputeEvidenceFileResponse ToProto(DisputeEvidenceFileResource file, byte[] content) =>
        new() { File = ToProto(file), Content = ByteString.CopyFrom(content) };

    private static V1.DisputeEvidence ToProto(DisputeEvidenceResource e)
    {
        var proto = new V1.DisputeEvidence();
        var descriptor = V1.DisputeEvidence.Descriptor;
        foreach (var (name, value) in e.ToFields())
        {
            descriptor.FindFieldByName(name)?.Accessor.SetValue(proto, value);
        }

        return proto;
    }

    private static string Pascal(string snake) => string.Concat(snake.Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));

    private static string Snake(string pascal)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var ch in pascal)
        {
            if (char.IsUpper(ch) && sb.Length > 0)
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(ch));
        }

        return sb.ToString();
    }
}
